"""Unlock from a current snapshot with the row check on a thread (what the GUI does).

The records are there at once; the check of every row against the audit chain follows,
and what fails it leaves the working set. Nothing may be written before the check is
settled, and locking in the middle of it must neither hang nor fail.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.domain import Note, Person
from kisi_desktop.core.errors import RecordNotFound, VaultCorrupt
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from tests.support.vaults import vault_with_notes

PASS = "Sonnenblume am Fenster"
DAY = date(2026, 3, 2)


def _open(path: Path) -> Workspace:
    return Workspace.open(path, passphrase=PASS, snapshot_min_records=1, check_later=True)


def _vault_with_notes(path: Path, n: int = 20) -> list[Note]:
    return vault_with_notes(path, PASS, n)


def _roll_back(path: Path, note: Note, old: tuple[bytes, int]) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE record SET blob = ?, version = ? WHERE id = ?", (*old, bytes.fromhex(note.id))
    )
    conn.commit()
    conn.close()


def _row(path: Path, note: Note) -> tuple[bytes, int]:
    conn = sqlite3.connect(path)
    found = conn.execute(
        "SELECT blob, version FROM record WHERE id = ?", (bytes.fromhex(note.id),)
    ).fetchone()
    conn.close()
    return bytes(found[0]), int(found[1])


def _vault_with_a_rolled_back_row(path: Path) -> list[Note]:
    notes = _vault_with_notes(path)
    old = _row(path, notes[0])
    ws = Workspace.open(path, passphrase=PASS, snapshot_min_records=1)
    ws.update(dataclasses.replace(notes[0], text="zweite Fassung"))
    ws.lock()  # the snapshot now holds the second version
    _roll_back(path, notes[0], old)
    return notes


def test_a_clean_vault_shows_its_records_at_once_and_the_check_finds_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_notes(path)
    ws = _open(path)
    assert ws.checking
    assert ws.count(Note) == len(notes)
    assert len(ws.search("Sprachkurs", limit=100)) == len(notes)
    ws.start_check()
    assert ws.wait_check(timeout=30)
    assert ws.settle_check() == ()
    assert not ws.checking
    ws.lock()


def test_a_rolled_back_row_is_caught_and_leaves_the_working_set(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_a_rolled_back_row(path)
    ws = _open(path)
    # Until the check ends, the snapshot's (authentic) second version is shown.
    assert ws.get(Note, notes[0].id).text == "zweite Fassung"
    ws.start_check()
    ws.wait_check(timeout=30)
    problems = ws.settle_check()
    assert any(notes[0].id in p for p in problems)
    assert ws.problems == problems
    with pytest.raises(RecordNotFound):
        ws.get(Note, notes[0].id)
    assert ws.search("zweite Fassung") == []
    assert ws.count(Note) == len(notes) - 1
    ws.lock()


def test_a_write_before_the_check_settles_it_first(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_notes(path)
    ws = _open(path)
    assert ws.checking  # not even started: the write runs it on the spot
    edited = ws.update(dataclasses.replace(notes[1], text="Termin beim Jobcenter"))
    assert not ws.checking
    assert ws.vault.version_of(edited.id) == 2
    ws.lock()
    ws = Workspace.open(path, passphrase=PASS)
    assert ws.problems == ()
    assert ws.get(Note, notes[1].id).text == "Termin beim Jobcenter"
    ws.lock()


def test_a_write_while_the_check_runs_waits_for_it_and_sees_its_findings(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_a_rolled_back_row(path)
    ws = _open(path)
    ws.start_check()
    ws.add(Note(written_on=DAY, text="Neue Notiz zur Kita"))
    assert not ws.checking
    assert any(notes[0].id in p for p in ws.problems)
    with pytest.raises(RecordNotFound):
        ws.get(Note, notes[0].id)
    ws.lock()


@pytest.mark.parametrize("started", [False, True])
def test_locking_during_the_check_neither_hangs_nor_fails(
    tmp_path: Path, started: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_notes(path, n=300)
    scans: list[str] = []
    real_scan = Vault._scan

    def tracked(self: Vault, *args: Any) -> Any:
        scans.append(threading.current_thread().name)
        return real_scan(self, *args)

    monkeypatch.setattr(Vault, "_scan", tracked)
    ws = _open(path)
    if started:
        ws.start_check()
    ws.lock()
    # Locking stops the check; it never runs it on the locking thread.
    assert threading.main_thread().name not in scans
    assert len(scans) == (1 if started else 0)
    monkeypatch.undo()
    assert ws.locked
    assert ws.wait_check(timeout=1)
    ws = Workspace.open(path, passphrase=PASS)
    assert ws.problems == ()
    assert ws.count(Note) == len(notes)
    ws.lock()


def test_a_snapshot_older_than_the_newest_entry_is_checked_before_unlock_returns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_notes(path)
    ws = Workspace.open(path, passphrase=PASS, snapshot_min_records=1)
    added = ws.add(Note(written_on=DAY, text="nach dem Snapshot"))
    ws.vault.close()  # a crash: no new snapshot
    ws = _open(path)
    assert not ws.checking  # records newer than the snapshot had to be opened now
    assert ws.get(Note, added.id).text == "nach dem Snapshot"
    assert ws.count(Note) == len(notes) + 1
    ws.lock()


def _flip_a_person_key(path: Path) -> None:
    conn = sqlite3.connect(path)
    ref, wrapped = conn.execute("SELECT key_ref, wrapped FROM person_key").fetchone()
    changed = bytearray(wrapped)
    changed[-1] ^= 1
    conn.execute("UPDATE person_key SET wrapped = ? WHERE key_ref = ?", (bytes(changed), ref))
    conn.commit()
    conn.close()


def test_an_altered_person_key_refuses_the_vault_when_the_check_settles(tmp_path: Path) -> None:
    """Person keys stay wrapped until used; the check still proves every one of them."""
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    people = [ws.add(Person(name=f"Person {i}")) for i in range(5)]
    ws.lock()
    _flip_a_person_key(path)
    ws = _open(path)
    assert ws.count(Person) == len(people)  # shown from the snapshot meanwhile
    ws.start_check()
    ws.wait_check(timeout=30)
    with pytest.raises(VaultCorrupt):
        ws.settle_check()
    ws.lock()
    with pytest.raises(VaultCorrupt):
        Workspace.open(path, passphrase=PASS)


def test_a_refusing_check_stays_refused_whoever_settles_it_first(tmp_path: Path) -> None:
    """A write that settles a check finding an altered key fails, and so does every
    later write and settle: the vault is never half open (rows unknown, versions wrong)."""
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    for i in range(3):
        ws.add(Person(name=f"Person {i}"))
    note = ws.add(Note(written_on=DAY, text="vorher"))
    ws.lock()
    _flip_a_person_key(path)
    ws = _open(path)
    with pytest.raises(VaultCorrupt):
        ws.add(Note(written_on=DAY, text="erste Schreibaktion"))
    with pytest.raises(VaultCorrupt):
        ws.update(dataclasses.replace(note, text="zweite Schreibaktion"))
    with pytest.raises(VaultCorrupt):
        ws.settle_check()
    assert ws.checking
    ws.lock()
    plain = sqlite3.connect(path)
    assert plain.execute("SELECT count(*) FROM record").fetchone()[0] == 4  # nothing written
    plain.close()
