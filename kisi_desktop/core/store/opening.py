"""The first step of an unlock: the vault file opened, locked for this process, and its
master key unwrapped with the passphrase or the recovery code; no record read yet.

Split from :meth:`Vault.open <kisi_desktop.core.store.sealed_store.Vault.open>` so that the
window can show the Overview's sealed glance (:mod:`kisi_desktop.core.store.glance`) the
moment the secret is known to be right, and read the records after. This module imports
only the vault's file, lock and key code: the step runs before the domain and the store,
about 90 ms of imports, are loaded.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kisi_desktop.core.errors import SealBroken, VaultCorrupt, VaultNotFound
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store import glance, vault_file
from kisi_desktop.core.store.not_opened import not_opened
from kisi_desktop.core.store.vault_lock import VaultLock
from kisi_desktop.core.vault import keys, recovery


@dataclass(eq=False)
class OpenedFile:
    """A vault file with its master key: hand it to ``Vault.open(opened=...)`` (which
    takes it over), or :meth:`close` it."""

    path: Path
    conn: sqlite3.Connection
    lock: VaultLock
    vault_id: bytes
    vmk: bytes

    def glance(self) -> bytes | None:
        """The Overview's glance sealed at the last lock, if the vault is still as it was
        then (:mod:`kisi_desktop.core.store.glance`); else None."""
        return glance.read(self.conn, self.path, self.vmk, self.vault_id)

    def close(self) -> None:
        """Let go of the file and its lock (the key goes with this object)."""
        self.conn.close()
        self.lock.release()


def open_file(
    path: Path, *, passphrase: str | None = None, recovery_code: str | None = None
) -> OpenedFile:
    """Open the vault at ``path`` and unwrap its master key with exactly one of the two
    secrets. A wrong secret raises ``WrongSecret`` and changes nothing; a vault open
    elsewhere raises ``VaultInUse`` before the key derivation."""
    path = Path(path)
    if not path.is_file():
        raise VaultNotFound(_("No vault found at {path}.").format(path=path))
    if (passphrase is None) == (recovery_code is None):
        raise ValueError("give exactly one of passphrase or recovery_code")
    conn = vault_file.connect(path, existing=True)
    # After the file-type check (a file that is no vault gets no lock file beside it),
    # before the key derivation: a vault open elsewhere is refused at once.
    try:
        lock = VaultLock.acquire(path)
    except BaseException:
        conn.close()
        raise
    try:
        slot_id = "passphrase" if passphrase is not None else "recovery"
        vault_id, slot = vault_file.read_header(conn, path, slot_id)
        if passphrase is not None:
            secret = keys.passphrase_bytes(passphrase)
        else:
            secret = recovery.parse_code(recovery_code or "")
        try:
            vmk = keys.open_slot(slot, secret, vault_id)
        except SealBroken as exc:
            raise VaultCorrupt(_("The key slot of {path} is damaged.").format(path=path)) from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        lock.release()
        raise not_opened(path, exc) from exc
    except BaseException:
        conn.close()
        lock.release()
        raise
    return OpenedFile(path, conn, lock, vault_id, vmk)
