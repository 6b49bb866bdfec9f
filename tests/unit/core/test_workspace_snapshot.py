"""The sealed working-set snapshot: faster unlock, never stale, never a place data survives."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Note, Person
from kisi_desktop.core.errors import RecordNotFound, VaultLocked
from kisi_desktop.core.store.snapshot import snapshot_path
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from tests.support.marker_scan import scan
from tests.support.vaults import vault_with_notes

PASS = "Sonnenblume am Fenster"
DAY = date(2026, 3, 2)


def _open(path: Path) -> Workspace:
    return Workspace.open(path, passphrase=PASS, snapshot_min_records=1)


def _snapshot_seq(path: Path) -> int | None:
    conn = sqlite3.connect(path)
    row = conn.execute("SELECT audit_seq FROM snapshot").fetchone()
    conn.close()
    return row[0] if row else None


def _vault_with_notes(path: Path, n: int = 20) -> list[Note]:
    return vault_with_notes(path, PASS, n)


def test_lock_writes_a_snapshot_and_unlock_uses_it(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_notes(path)
    assert _snapshot_seq(path) is not None
    ws = _open(path)
    assert ws.problems == ()
    assert ws.count(Note) == len(notes)
    assert {h.id for h in ws.search("Sprachkurs", limit=100)} == {n.id for n in notes}
    ws.lock()


def test_changes_after_the_snapshot_are_applied(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_notes(path)
    ws = _open(path)
    seq = _snapshot_seq(path)
    edited = dataclasses.replace(notes[0], text="Termin beim Jobcenter verschoben")
    ws.update(edited)
    ws.delete("note", notes[1].id)
    added = ws.add(Note(written_on=DAY, text="Neue Notiz zur Kita"))
    # Simulate a crash: the session ends without lock(), so no new snapshot is written.
    ws.vault.close()
    assert _snapshot_seq(path) in (seq, None)
    ws = _open(path)
    assert ws.problems == ()
    assert ws.get(Note, edited.id).text == "Termin beim Jobcenter verschoben"
    assert [h.id for h in ws.search("Jobcenter")] == [edited.id]
    assert notes[1].id not in {h.id for h in ws.search("Sprachkurs", limit=100)}
    with pytest.raises(RecordNotFound):
        ws.get(Note, notes[1].id)
    assert [h.id for h in ws.search("Kita")] == [added.id]
    assert ws.count(Note) == len(notes)
    ws.lock()


def test_a_row_rolled_back_is_caught_even_with_a_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_notes(path)
    conn = sqlite3.connect(path)
    old = conn.execute(
        "SELECT blob, version FROM record WHERE id = ?", (bytes.fromhex(notes[0].id),)
    ).fetchone()
    conn.close()
    ws = _open(path)
    ws.update(dataclasses.replace(notes[0], text="zweite Fassung"))
    ws.lock()
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE record SET blob = ?, version = ? WHERE id = ?", (*old, bytes.fromhex(notes[0].id))
    )
    conn.commit()
    conn.close()
    ws = _open(path)
    assert any(notes[0].id in p for p in ws.problems)
    assert ws.search("zweite Fassung") == []
    ws.lock()


def _flip_middle(blob: bytes) -> bytes:
    damaged = bytearray(blob)
    damaged[len(damaged) // 2] ^= 1
    return bytes(damaged)


DAMAGE = {
    "one bit flipped": _flip_middle,
    "empty": lambda blob: b"",
    "shorter than an envelope": lambda blob: blob[:20],
    "cut off before the tag": lambda blob: blob[:-1],
    "longer than written": lambda blob: blob + b"\0",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_snapshot_falls_back_to_opening_every_record(
    tmp_path: Path, damage: object
) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_notes(path)
    file = snapshot_path(path)
    file.write_bytes(damage(file.read_bytes()))  # type: ignore[operator]
    ws = _open(path)
    assert ws.problems == ()
    assert ws.count(Note) == len(notes)
    assert ws.search(notes[0].text.split()[0])
    ws.lock()


def test_erasure_deletes_the_snapshot_at_once(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    marker = "Qwertzuiopname"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    person = ws.add(Person(name=f"Hamid {marker}", nationalities=("AF",)))
    ws.add(Note(person_id=person.id, written_on=DAY, text=f"{marker} braucht einen Kitaplatz"))
    ws.add(Note(written_on=DAY, text="allgemeine Notiz"))
    ws.lock()
    assert _snapshot_seq(path) is not None
    ws = _open(path)
    assert snapshot_path(path).is_file()
    ws.erase_person(person.id)
    assert _snapshot_seq(path) is None
    assert not snapshot_path(path).exists()
    # Even if the app died now, nothing of the person is left in any file.
    ws.vault.close()
    assert scan([path.parent], [marker]) == []
    ws = _open(path)
    assert ws.search(marker) == []
    assert ws.count(Note) == 1
    ws.lock()


def test_a_snapshot_from_an_older_state_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    notes = _vault_with_notes(path)
    old_file = snapshot_path(path).read_bytes()
    ws = _open(path)
    ws.update(dataclasses.replace(notes[0], text="geänderter Text"))
    ws.lock()
    snapshot_path(path).write_bytes(old_file)  # someone puts back yesterday's copy
    ws = _open(path)
    assert ws.problems == ()
    assert ws.get(Note, notes[0].id).text == "geänderter Text"
    ws.lock()


def test_small_vaults_keep_no_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.add(Note(written_on=DAY, text="eine Notiz"))
    ws.lock()
    assert _snapshot_seq(path) is None
    assert not snapshot_path(path).exists()


def test_the_snapshot_after_an_erasure_holds_none_of_the_persons_words(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    marker = "Zzyzxmarkername"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    person = ws.add(Person(name=f"Hamid {marker}", nationalities=("AF",)))
    ws.add(Note(person_id=person.id, written_on=DAY, text=f"Qwertyvictimword {marker}"))
    ws.add(Note(written_on=DAY, text="allgemeine Notiz"))
    ws.lock()
    ws = _open(path)
    ws.erase_person(person.id)
    ws.lock()  # writes a new snapshot from the working set that held the person
    ws = _open(path)
    restored = ws.vault.read_snapshot()
    assert restored is not None
    _seq, image = restored
    # The index keeps words lower-cased (and may share a prefix with the word before it):
    # look for the lower-cased tail as well as the word as typed.
    for word in (marker, "Qwertyvictimword", person.id):
        for variant in (word, word.lower(), word.lower()[3:]):
            for encoding in ("utf-8", "utf-16-le"):
                assert variant.encode(encoding) not in image, variant
    assert ws.search(marker) == []
    ws.lock()


@pytest.mark.allow_log_warnings  # the failure is said, without personal data
def test_lock_still_locks_when_the_snapshot_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "vault.kisi"
    _vault_with_notes(path)
    ws = _open(path)
    ws.add(Note(written_on=DAY, text="neu"))

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ws.vault, "write_snapshot", disk_full)
    ws.lock()
    assert ws.locked
    assert [r.getMessage() for r in caplog.records] == ["snapshot not written: OSError"]
    with pytest.raises(VaultLocked):
        ws.search("neu")


def test_begin_lock_locks_at_once_and_the_snapshot_is_written_on_another_thread(
    tmp_path: Path,
) -> None:
    """The GUI locks, clears the window, and writes the snapshot on a thread."""
    path = tmp_path / "vault.kisi"
    _vault_with_notes(path)
    ws = _open(path)
    added = ws.add(Note(written_on=DAY, text="Elternabend in der Kita"))
    newest = ws.vault.audit_seq()
    closing = ws.begin_lock()
    assert ws.locked and closing.writes_snapshot
    with pytest.raises(VaultLocked):
        ws.search("Elternabend")
    assert _snapshot_seq(path) != newest  # not yet written
    thread = threading.Thread(target=closing.finish)
    thread.start()
    thread.join()
    assert _snapshot_seq(path) == newest
    again = _open(path)
    assert [hit.id for hit in again.search("Elternabend")] == [added.id]
    again.lock()
    closing.finish()  # a second call has nothing left to do


def test_a_lock_with_nothing_changed_has_no_snapshot_to_write(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    _vault_with_notes(path)
    ws = _open(path)
    closing = ws.begin_lock()
    assert not closing.writes_snapshot
    seq = _snapshot_seq(path)
    closing.finish()
    assert _snapshot_seq(path) == seq


def test_a_missing_key_is_reported_on_the_snapshot_path_too(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    person = ws.add(Person(name="Olena Kovalenko", nationalities=("UA",)))
    ws.add(Note(written_on=DAY, text="allgemeine Notiz"))
    ws.lock()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM person_key")
    conn.commit()
    conn.close()
    ws = _open(path)
    assert any(person.id in problem for problem in ws.problems)
    with pytest.raises(RecordNotFound):
        ws.get(Person, person.id)
    ws.lock()


def _has_person_index(ws: Workspace) -> bool:
    found = ws.working_set.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'item_owner'"
    ).fetchone()
    return found is not None


def _person_lookup_plan(ws: Workspace) -> str:
    plan = ws.working_set.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM item WHERE kind = ? AND owner = ?", ("note", "x")
    ).fetchall()
    return " ".join(str(step[-1]) for step in plan)


def _vault_with_a_persons_notes(path: Path) -> tuple[Person, list[Note]]:
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    amira = ws.add(Person(name="Amira Haddad"))
    notes = [Note(written_on=DAY, text=f"Gespräch {i}", person_id=amira.id) for i in range(5)]
    ws.save([*notes, Note(written_on=DAY, text="Teamsitzung")], "import")
    ws.lock()
    return amira, notes


def test_the_snapshot_carries_the_index_that_finds_one_persons_records(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    amira, notes = _vault_with_a_persons_notes(path)
    ws = _open(path)
    # Restored with the index: no 0.15 s build at the first person opened.
    assert _has_person_index(ws)
    assert "item_owner" in _person_lookup_plan(ws)
    assert {n.id for n in ws.list(Note, owner=amira.id)} == {n.id for n in notes}
    ws.lock()


def test_a_snapshot_made_without_that_index_is_written_again_with_it(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    amira, notes = _vault_with_a_persons_notes(path)
    # A snapshot as an earlier version wrote it: without the index.
    ws = _open(path)
    ws.working_set.conn.execute("DROP INDEX item_owner")
    ws.vault.write_snapshot(ws.working_set.serialize())
    ws.lock()
    ws = _open(path)
    assert not _has_person_index(ws)
    assert len(ws.list(Note, owner=amira.id)) == len(notes)  # built on first use
    assert _has_person_index(ws)
    ws.lock()  # nothing changed, but the snapshot now lacks what the session built
    ws = _open(path)
    assert _has_person_index(ws)
    ws.lock()
