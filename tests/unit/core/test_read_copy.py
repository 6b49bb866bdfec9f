"""The read copy: a moment's records for a worker thread, never a way to write or a key."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.domain import Contact, Note, Person
from kisi_desktop.core.errors import VaultLocked
from kisi_desktop.core.read_copy import ReadCopy, ReadOnlyCopy
from kisi_desktop.core.store.working_set import WorkingSet
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

PASS = "Sonnenblume am Fenster"
DAY = date(2026, 3, 2)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace, _code = Workspace.create(tmp_path / "vault.kisi", PASS, kdf=TEST_PARAMS)
    yield workspace
    workspace.lock()


def _person(ws: Workspace, name: str) -> Person:
    return ws.add(Person(name=name))


def test_the_copy_reads_what_the_workspace_held_when_it_was_taken(ws: Workspace) -> None:
    amira = _person(ws, "Amira Haddad")
    ws.add(
        Contact(
            person_id=amira.id,
            contacted_on=DAY,
            duration_minutes=30,
            mode="office",
            note="Termin Sprachkurs",
        )
    )
    copy = ReadCopy(ws)
    # Written after the copy was taken: the copy does not see it, the workspace does.
    later = _person(ws, "Yonas Tesfaye")
    ws.update(dataclasses.replace(amira, name="Amira Haddad-Saleh"))
    assert {p.name for p in copy.list(Person)} == {"Amira Haddad"}
    assert copy.get(Person, amira.id).name == "Amira Haddad"
    assert copy.count(Contact) == 1
    assert copy.rows(Contact, ["contacted_on"], days=(DAY, DAY)) == [
        (copy.list(Contact)[0].id, DAY.isoformat())
    ]
    assert [h.id for h in copy.search("sprachkurs")] == [copy.list(Contact)[0].id]
    assert {p.name for p in ws.list(Person)} == {"Amira Haddad-Saleh", "Yonas Tesfaye"}
    assert ws.get(Person, later.id).name == "Yonas Tesfaye"
    copy.lock()


def test_the_copy_cannot_write_or_reach_the_vault(ws: Workspace) -> None:
    amira = _person(ws, "Amira Haddad")
    copy = ReadCopy(ws)
    with pytest.raises(ReadOnlyCopy):
        copy.add(Note(written_on=DAY, text="nie gespeichert"))
    with pytest.raises(ReadOnlyCopy):
        copy.update(dataclasses.replace(amira, name="Geändert"))
    with pytest.raises(ReadOnlyCopy):
        copy.erase_person(amira.id)
    with pytest.raises(ReadOnlyCopy):
        copy.vault.audit_head()
    with pytest.raises(ReadOnlyCopy):
        copy.begin_lock()  # it has no vault to hand over, and stays readable
    assert [p.name for p in copy.list(Person)] == ["Amira Haddad"]
    # Nothing reached the vault: a fresh unlock sees the one person, unchanged.
    copy.lock()
    ws.lock()
    again = Workspace.open(ws.path, passphrase=PASS)
    try:
        assert [p.name for p in again.list(Person)] == ["Amira Haddad"]
        assert again.count(Note) == 0
    finally:
        again.lock()


def test_a_closed_copy_refuses_to_read_and_the_workspace_goes_on(ws: Workspace) -> None:
    _person(ws, "Amira Haddad")
    copy = ReadCopy(ws)
    assert copy.count(Person) == 1
    copy.lock()
    assert copy.locked
    with pytest.raises(VaultLocked):
        copy.count(Person)
    # The workspace is untouched by its copy's closing.
    assert not ws.locked
    assert ws.count(Person) == 1
    _person(ws, "Yonas Tesfaye")
    assert ws.count(Person) == 2


def test_the_copy_is_read_on_another_thread_while_the_workspace_writes(ws: Workspace) -> None:
    for i in range(50):
        _person(ws, f"Person {i}")
    copy = ReadCopy(ws)
    seen: list[int] = []
    failures: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                seen.append(copy.count(Person))
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            copy.lock()

    worker = threading.Thread(target=read)
    worker.start()
    for i in range(30):
        _person(ws, f"Neu {i}")
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert failures == []
    # Every read on the worker saw the moment of the copy, however far the writes had got.
    assert seen == [50] * 20
    assert ws.count(Person) == 80


def test_a_discarded_copy_drops_its_image_and_stops_its_reader(ws: Workspace) -> None:
    _person(ws, "Amira Haddad")
    unread = ReadCopy(ws)
    unread.discard()  # the vault locked before the worker began
    with pytest.raises(VaultLocked):
        unread.count(Person)
    unread.lock()
    reading = ReadCopy(ws)
    assert reading.count(Person) == 1  # loaded on the worker
    reading.discard()  # a newer read began, or the vault locked, while this one counted
    with pytest.raises(VaultLocked):
        reading.list(Person)
    reading.lock()
    assert reading.locked
    assert ws.count(Person) == 1


def test_a_copy_discarded_while_it_loads_is_closed_and_not_read(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _person(ws, "Amira Haddad")
    copy = ReadCopy(ws)
    loaded: list[WorkingSet] = []

    def load_then_discard(spec: Any, snapshot: Any) -> WorkingSet:
        working = WorkingSet(spec, snapshot=snapshot)
        loaded.append(working)
        copy.discard()  # the lock came from the UI thread while the worker loaded
        return working

    monkeypatch.setattr("kisi_desktop.core.read_copy.WorkingSet", load_then_discard)
    with pytest.raises(VaultLocked):
        copy.count(Person)
    with pytest.raises(RuntimeError):  # what it loaded was closed at once
        loaded[0].count()
    copy.lock()
