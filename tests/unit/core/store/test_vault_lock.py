"""One open workspace per vault: a second open is refused, so no save overwrites another's."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from kisi_desktop.core.domain.person import Person
from kisi_desktop.core.errors import VaultInUse, WrongSecret
from kisi_desktop.core.store.snapshot import snapshot_path
from kisi_desktop.core.store.vault_lock import in_use, lock_path
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    ws, _code = Workspace.create(tmp_path / "vault.kisi", PASSPHRASE, kdf=TEST_PARAMS)
    ws.add(Person(name="Amina Haddad"))
    ws.lock()
    return ws.path


def test_a_second_open_is_refused_and_the_first_edit_survives(vault: Path) -> None:
    first = Workspace.open(vault, passphrase=PASSPHRASE)
    [person] = first.list(Person)
    with pytest.raises(VaultInUse, match="schon geöffnet"):
        Workspace.open(vault, passphrase=PASSPHRASE)
    # Before locks, the second workspace's save of the same person (its older copy)
    # silently replaced this phone number.
    first.update(dataclasses.replace(person, phone="0611 123456"))
    first.lock()
    again = Workspace.open(vault, passphrase=PASSPHRASE)
    assert [p.phone for p in again.list(Person)] == ["0611 123456"]
    again.lock()


def test_the_vault_is_free_again_once_locked_and_its_snapshot_written(vault: Path) -> None:
    assert not in_use(vault)
    ws = Workspace.open(vault, passphrase=PASSPHRASE, snapshot_min_records=1)
    assert in_use(vault)
    closing = ws.begin_lock()
    assert closing.writes_snapshot
    # The snapshot is written (under the lock) after the window already shows "locked".
    assert in_use(vault)
    closing.finish()
    assert snapshot_path(vault).exists()
    assert not in_use(vault)


def test_a_refused_secret_leaves_the_vault_free(vault: Path) -> None:
    with pytest.raises(WrongSecret):
        Workspace.open(vault, passphrase="not the passphrase at all")
    assert not in_use(vault)
    Workspace.open(vault, passphrase=PASSPHRASE).lock()


def test_a_new_vault_is_held_until_its_first_lock(tmp_path: Path) -> None:
    ws, _code = Workspace.create(tmp_path / "new.kisi", PASSPHRASE, kdf=TEST_PARAMS)
    with pytest.raises(VaultInUse):
        Workspace.open(ws.path, passphrase=PASSPHRASE)
    ws.lock()
    assert not in_use(ws.path)


def test_the_lock_file_stays_empty_and_private(vault: Path) -> None:
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    ws.lock()
    lock = lock_path(vault)
    assert lock.read_bytes() == b""
    assert lock.stat().st_mode & 0o077 == 0 or os.name == "nt"


def test_a_missing_vault_is_not_in_use(tmp_path: Path) -> None:
    assert not in_use(tmp_path / "none.kisi")
    assert not lock_path(tmp_path / "none.kisi").exists()


def test_a_lock_file_removed_by_its_holder_is_not_taken_as_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed set-up removes its lock file (release_unused). A process that opened the
    file just before must not go on holding a lock on a file nobody else can find: the
    next process would lock a new file of the same name, and both would open the vault."""
    from kisi_desktop.core.store import vault_lock

    target = tmp_path / "vault.kisi"
    real_lock = vault_lock._lock
    removed: list[bool] = []

    def removed_in_between(fd: int) -> None:
        if not removed:  # the holder's release_unused, between our open and our lock
            removed.append(True)
            lock_path(target).unlink()
        real_lock(fd)

    monkeypatch.setattr(vault_lock, "_lock", removed_in_between)
    first = vault_lock.VaultLock.acquire(target)
    monkeypatch.undo()
    assert removed and first.held
    with pytest.raises(VaultInUse):
        vault_lock.VaultLock.acquire(target)
    first.release_unused()
    assert not lock_path(target).exists()
    vault_lock.VaultLock.acquire(target).release()
