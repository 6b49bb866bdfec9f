"""The glance: a few hundred bytes the window shows the moment the passphrase is right.

Reading the records (the snapshot: 0.1 s with 10,000 people, more on an old laptop) and
importing the code that reads them take longer than the whole start of a bare window. What
the Overview shows first (this month's figures, the follow-ups due, the municipality's
name) is therefore sealed at every lock into a small file beside the vault
(``vault.kisi.glance``), and the unlock shows it before it reads the records.

It holds personal data (the names of people with follow-ups due, the follow-ups' texts), so
it is sealed like the snapshot and dies with it:

* its key is derived from the snapshot's key (HKDF, its own label), which the master key
  wraps in the vault's ``snapshot`` row. Every erasure deletes that row in its own
  transaction, and a renewal of the keys draws new ones: the file can then never be opened
  again, whatever copy of it is left;
* its associated data binds it to the vault and to the newest audit entry and its chain
  value. After any write since the lock (another program, a restored copy, a newer save)
  it does not open, and the unlock simply reads the records first, as before.

The file is written atomically (temporary name, fsync, rename) and read with a size limit;
a file that does not open is never an error, only a slower start.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from kisi_desktop.core.errors import SealBroken
from kisi_desktop.core.vault import keys, subkeys
from kisi_desktop.core.vault.encoding import length_prefixed
from kisi_desktop.core.vault.seal import SealingKey

SUFFIX = ".glance"
# A glance is kilobytes (115 kB for the demo's 10,000 people and their 1,000 follow-ups
# due); a larger file than this is not read (hostile or broken): the records are, instead.
MAX_BYTES = 16 * 1024 * 1024
_LABEL = "kisi/v1/glance"


def glance_path(vault_path: Path) -> Path:
    """Where the glance of ``vault_path`` lives."""
    return vault_path.with_name(vault_path.name + SUFFIX)


def _aad(vault_id: bytes, seq: int, head: bytes) -> bytes:
    return length_prefixed("KISI-GLANCE", vault_id, seq, head)


def _key(conn: sqlite3.Connection, vmk: bytes, vault_id: bytes) -> tuple[SealingKey, bytes] | None:
    """The glance's key and associated data, when the snapshot reflects the newest entry."""
    row = conn.execute("SELECT audit_seq, wrapped_key FROM snapshot").fetchone()
    meta = conn.execute("SELECT audit_seq, audit_head FROM vault_meta").fetchone()
    if row is None or meta is None or row[0] != meta[0]:
        return None
    seq, head = int(meta[0]), bytes(meta[1])
    raw = keys.unwrap_key(vmk, row[1], "snapshot", f"snap-{seq}", vault_id)
    return SealingKey(subkeys.derive_subkey(raw, _LABEL), "glance"), _aad(vault_id, seq, head)


def write(
    conn: sqlite3.Connection, vault_path: Path, vmk: bytes, vault_id: bytes, data: bytes
) -> bool:
    """Seal ``data`` as the glance of the vault as it is now. Only while the snapshot
    reflects the newest audit entry (its key is the root); otherwise any old glance file is
    removed and False returned."""
    found = _key(conn, vmk, vault_id)
    path = glance_path(vault_path)
    if found is None:
        remove_file(vault_path)
        return False
    key, aad = found
    tmp = _tmp_path(vault_path)
    # A new file, owner-only: one left by a crash (with whatever mode) goes first.
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(key.seal(data, aad))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return True


def read(conn: sqlite3.Connection, vault_path: Path, vmk: bytes, vault_id: bytes) -> bytes | None:
    """The glance, if one was sealed for the vault as it is now and opens; else None."""
    try:
        found = _key(conn, vmk, vault_id)
        if found is None:
            return None
        key, aad = found
        with glance_path(vault_path).open("rb") as file:
            blob = file.read(MAX_BYTES + 1)
        if len(blob) > MAX_BYTES:
            return None
        return key.open(blob, aad)
    except (SealBroken, OSError, sqlite3.Error, TypeError, ValueError):
        return None


def _tmp_path(vault_path: Path) -> Path:
    path = glance_path(vault_path)
    return path.with_name(path.name + ".tmp")


def remove_file(vault_path: Path) -> None:
    """Delete the glance file and a temporary one a crash left, if any. Called once its
    key is gone: a file another program holds open (a virus scanner) can stay, it can
    never be opened again, and the erasure that called this must not fail over it."""
    for path in (glance_path(vault_path), _tmp_path(vault_path)):
        with contextlib.suppress(OSError):
            path.unlink()
