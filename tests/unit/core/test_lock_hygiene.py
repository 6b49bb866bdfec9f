"""P2 lock hygiene: after a lock nothing reachable holds a record or its text.

SECURITY.md test plan P2: "after auto-lock: working-set connection closed;
gc.get_objects() shows 0 decrypted record objects". The workspace is used the way the
window and the command line use it (list, get, search, raw rows, the person export, an
edit), locked, unlocked again from the snapshot and used again, then locked. After a
full collection no object of any record class (``RECORD_TYPES``) or ``LoadedRecord`` may
be reachable that was not before the test began, the working set's and the vault's
connections must be closed, and no string or bytes object that a reachable object refers
to may hold the marker typed into a note, or the marker in a person's name.

What this cannot see (see tests/support/live_objects.py): text only C code refers to, and
freed memory not yet overwritten (core/store/FORMAT.md, "Known limits"). ``str`` and
``bytes`` objects are not tracked by the collector themselves: they are found through the
tracked containers and objects that refer to them.
"""

from __future__ import annotations

import dataclasses
import gc
import weakref
from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Note, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from tests.support.live_objects import Marker, RecordCensus, holders, open_connections

PASS = "Sonnenblume am Fenster"
DAY = date(2026, 3, 2)


def _use(ws: Workspace, note_id: str, person_id: str, typed: str) -> None:
    """What a session does with the records: every read path, one edit."""
    assert [n.id for n in ws.list(Note)] == [note_id]
    note = ws.get(Note, note_id)
    assert [hit.id for hit in ws.search(typed)]
    assert ws.rows(Note, ("text",))
    assert ws.rows(Person, ("name",))
    assert ws.export_person(person_id)["records"]
    ws.update(dataclasses.replace(note, text=note.text + " (ergänzt)"))


@pytest.mark.parametrize("check_later", [False, True], ids=["checked-first", "checked-later"])
def test_after_a_lock_no_record_and_no_typed_text_is_reachable(
    tmp_path: Path, check_later: bool
) -> None:
    census = RecordCensus()  # (other tests' module-level records are not this lock's)
    path = tmp_path / "vault.kisi"
    in_note, in_name = Marker.new(), Marker.new()
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    person = ws.add(Person(name=f"Amina {in_name.text()}", nationalities=("AF",)))
    note = ws.add(
        Note(person_id=person.id, written_on=DAY, text=f"Termin {in_note.text()} Jobcenter")
    )
    note_id, person_id = note.id, person.id
    del note, person
    _use(ws, note_id, person_id, in_note.text())
    ws.lock()

    ws = Workspace.open(path, passphrase=PASS, snapshot_min_records=1, check_later=check_later)
    assert ws.vault.snapshot_seq() is not None  # (this unlock came from the snapshot)
    _use(ws, note_id, person_id, in_name.text())
    working, vault = ws.working_set, ws.vault
    connections = [working.conn, vault.conn]
    gone = [weakref.ref(working), weakref.ref(vault)]

    # Negative control: while something holds a record, the scan finds it and its text.
    kept = ws.get(Note, note_id)
    assert "Note" in census.new()
    assert holders(in_note)
    del kept, working, vault

    ws.lock()
    gc.collect()
    assert open_connections(connections) == []
    assert [ref() for ref in gone] == [None, None]
    assert census.new() == []
    assert holders(in_note) == []
    assert holders(in_name) == []
