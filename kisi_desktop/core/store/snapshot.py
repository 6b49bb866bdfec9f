"""The sealed working-set snapshot: a cache that lets a large vault unlock without re-indexing.

The serialised in-memory database is sealed under a fresh random key and written to a
file beside the vault (``vault.kisi.snapshot``), atomically (temporary name, fsync,
rename). The key, wrapped by the master key, lives in the vault's ``snapshot`` table, and
the associated data binds the blob to the vault and to the exact audit entry it reflects.
Deleting that one row (every erasure and deletion does, in its own transaction) destroys
the key, so whatever the file still holds can never be opened again.

Keeping the bulk outside SQLite matters: inside, a 100 MB blob is written three times
(WAL, checkpoint, secure-delete of the old copy).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from kisi_desktop.core import crashpoints
from kisi_desktop.core.errors import SealBroken
from kisi_desktop.core.store import glance
from kisi_desktop.core.vault import keys, seal
from kisi_desktop.core.vault.encoding import length_prefixed

SUFFIX = ".snapshot"
# A snapshot larger than this is not read (a hostile or broken file must not exhaust memory).
MAX_BYTES = 2 * 1024**3


def snapshot_path(vault_path: Path) -> Path:
    """Where the snapshot of ``vault_path`` lives."""
    return vault_path.with_name(vault_path.name + SUFFIX)


def _aad(vault_id: bytes, seq: int, mac: bytes) -> bytes:
    return length_prefixed("KISI-SNAP", vault_id, seq, mac)


def _key_ref(seq: int) -> str:
    return f"snap-{seq}"


def read(
    conn: sqlite3.Connection,
    vault_path: Path,
    vmk: bytes,
    vault_id: bytes,
    mac_at: dict[int, bytes],
) -> tuple[int, memoryview] | None:
    """(audit seq, serialised working set) if a snapshot exists and opens, else None.

    ``mac_at`` maps the snapshot's audit seq to the chain value there. A snapshot that
    does not open (damaged, stale, from another history) is ignored: records are then
    opened one by one, which is slower, not less correct.
    """
    row = conn.execute("SELECT audit_seq, wrapped_key FROM snapshot").fetchone()
    if row is None:
        return None
    seq, wrapped = row
    mac = mac_at.get(seq)
    path = snapshot_path(vault_path)
    if mac is None or not path.is_file():
        return None
    try:
        raw = keys.unwrap_key(vmk, wrapped, "snapshot", _key_ref(seq), vault_id)
        # Streamed from the file (see seal.open_file): no copy of the ciphertext in memory.
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_BYTES:
                return None
            return seq, seal.open_file(raw, file, size, _aad(vault_id, seq, mac))
    except (SealBroken, OSError, TypeError, ValueError):
        return None


def write(
    conn: sqlite3.Connection,
    vault_path: Path,
    vmk: bytes,
    vault_id: bytes,
    seq: int,
    mac: bytes,
    data: bytes,
) -> None:
    """Seal ``data`` (the working set as of audit entry ``seq``) and store it atomically."""
    raw = keys.new_key()
    wrapped = keys.wrap_key(vmk, raw, "snapshot", _key_ref(seq), vault_id)
    path = snapshot_path(vault_path)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            seal.seal_to_file(raw, data, _aad(vault_id, seq, mac), out)
            out.flush()
            os.fsync(out.fileno())
        crashpoints.reached("snapshot.file_written")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    crashpoints.reached("snapshot.renamed")
    conn.execute("BEGIN")
    try:
        conn.execute(
            "INSERT INTO snapshot (id, audit_seq, wrapped_key) VALUES (1, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET audit_seq = excluded.audit_seq, "
            "wrapped_key = excluded.wrapped_key",
            (seq, wrapped),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def forget_key(conn: sqlite3.Connection) -> None:
    """Destroy the snapshot key (inside the caller's transaction)."""
    conn.execute("DELETE FROM snapshot")


def remove_file(vault_path: Path) -> None:
    """Delete the snapshot file, if any (its key is already gone), and the glance sealed
    under it (core/store/glance.py)."""
    with contextlib.suppress(FileNotFoundError):
        snapshot_path(vault_path).unlink()
    glance.remove_file(vault_path)
