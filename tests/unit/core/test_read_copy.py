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
    assert copy.count(Person) == 1  # the first read takes the copy (on a worker: its thread)
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


def test_the_copy_is_taken_at_its_first_read_not_when_it_is_asked_for(ws: Workspace) -> None:
    """Asking for a copy costs the UI thread nothing: the worker takes it at its first
    read, so a save in between is in it (never half of one: see the batch tests)."""
    _person(ws, "Amira Haddad")
    copy = ReadCopy(ws)
    _person(ws, "Yonas Tesfaye")
    assert {p.name for p in copy.list(Person)} == {"Amira Haddad", "Yonas Tesfaye"}
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
    # Taken on the worker while the writes went on: every read saw the one moment of the
    # copy, however far the writes had got by then.
    assert 50 <= seen[0] <= 80
    assert seen == [seen[0]] * 20
    assert ws.count(Person) == 80


def test_a_save_of_several_records_reaches_a_copy_whole_or_not_at_all(ws: Workspace) -> None:
    """Taken on a worker while a save of two people goes on, the copy waits for the end of
    the save: it never holds one of the two."""
    _person(ws, "Amira Haddad")
    working = ws.working_set
    one, two = Person(name="Yonas Tesfaye"), Person(name="Dilan Aydin")
    counted: list[int] = []
    copy = ReadCopy(ws)
    worker = threading.Thread(target=lambda: counted.append(copy.count(Person)))
    with working.batch():  # what Workspace.save does around its changes
        working.upsert(one.id, one.KIND, 1, ws._envelope(one, None))
        worker.start()
        worker.join(timeout=0.3)
        assert worker.is_alive()  # the copy waits for the batch
        working.upsert(two.id, two.KIND, 1, ws._envelope(two, None))
    worker.join(timeout=30)
    assert counted == [3]
    copy.lock()


def test_a_copy_gives_up_on_a_batch_that_never_ends(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch left open is a bug: the worker says so instead of waiting for ever."""
    _person(ws, "Amira Haddad")
    monkeypatch.setattr("kisi_desktop.core.store.working_set.COPY_WAIT_S", 0.1)
    working = ws.working_set
    working.conn.execute("BEGIN")
    working.conn.execute("UPDATE item SET version = version")
    failures: list[BaseException] = []
    copy = ReadCopy(ws)

    def read() -> None:
        try:
            copy.count(Person)
        except BaseException as error:  # reported below
            failures.append(error)

    worker = threading.Thread(target=read)
    worker.start()
    worker.join(timeout=30)
    working.conn.execute("COMMIT")
    assert not worker.is_alive()
    assert [type(error) for error in failures] == [RuntimeError]
    assert ws.count(Person) == 1  # the workspace goes on
    copy.lock()


def test_a_discarded_copy_stops_its_reader(ws: Workspace) -> None:
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


def test_a_copy_discarded_while_it_is_taken_stops_and_is_not_read(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(300):  # more pages than one step of the copy
        ws.add(Note(written_on=DAY, text=f"Notiz {i} " + "x" * 4000))
    monkeypatch.setattr("kisi_desktop.core.store.working_set.COPY_STEP_PAGES", 4)
    copy = ReadCopy(ws)
    steps: list[WorkingSet] = []
    real = WorkingSet

    def take_then_discard(spec: Any, **kwargs: Any) -> WorkingSet:
        stop = kwargs.pop("stop")

        def stop_after_a_step() -> bool:
            steps.append(kwargs["copy_of"])
            copy.discard()  # the lock came from the UI thread while the worker copied
            return bool(stop())

        return real(spec, stop=stop_after_a_step, **kwargs)

    monkeypatch.setattr("kisi_desktop.core.read_copy.WorkingSet", take_then_discard)
    with pytest.raises(VaultLocked):
        copy.count(Note)
    assert len(steps) == 1  # it stopped after the first step, not at the end
    copy.lock()
    assert ws.count(Note) == 300
