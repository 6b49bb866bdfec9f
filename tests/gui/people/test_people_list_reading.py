"""The people list is read on a worker: the window answers meanwhile, the list says it is
reading, and nothing typed or chosen meanwhile is lost when the rows come."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from kisi_desktop.core.domain import Person

from kisi_desktop.ui.pages.people import people_page as people_page_module
from kisi_desktop.ui.pages.people.person_table_model import Column

from tests.gui.people.conftest import Harness, add_person

pytestmark = pytest.mark.gui


class Gate:
    """Holds the list's reads on their worker until :meth:`release` (the real read runs
    then), and notes the thread each ran on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._open = threading.Event()
        self.threads: list[threading.Thread] = []
        self.fail_with: BaseException | None = None  # raised by the next read let through
        real: Callable[..., Any] = people_page_module.load_person_rows

        def held(workspace: Any, owner: str | None = None, **kwargs: Any) -> Any:
            if owner is None:  # (a single person's line is read at once, on the UI thread)
                self.threads.append(threading.current_thread())
                self._open.wait(10)  # (a test that failed before releasing: go on)
                failure, self.fail_with = self.fail_with, None
                if failure is not None:
                    raise failure
            return real(workspace, owner, **kwargs)

        monkeypatch.setattr(people_page_module, "load_person_rows", held)

    def release(self) -> None:
        self._open.set()


def _names(h: Harness) -> list[str]:
    model = h.page.list_view.model
    return sorted(model.person_row(r).name for r in range(model.rowCount()))


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Gate:
    return Gate(monkeypatch)


def test_the_window_answers_while_the_list_is_read_and_says_so(
    harness: Harness, gate: Gate, qtbot: QtBot
) -> None:
    h = harness
    for name in ("Amina Haidari", "Yonas Tesfay", "Ilya Petrenko"):
        add_person(h.ws, name)
    h.page.set_workspace(None)  # as at a lock and the next unlock: the list starts empty
    h.page.set_workspace(h.ws)
    view = h.page.list_view
    # The event loop turns while the read is held on its worker: the note comes.
    qtbot.waitUntil(view.busy_note.isVisible, timeout=5000)
    assert h.page.reader.busy
    assert gate.threads and threading.main_thread() not in gate.threads
    assert view.busy_note.isVisible()
    assert view.busy_note.label.text() == "Liste der Personen wird gelesen…"
    # Not "nothing entered yet" while the rows are coming, and no count of none.
    assert not view.empty_hint.isVisible()
    assert view.count_label.text() == ""
    qtbot.keyClicks(view.filter_edit, "ilya")  # typing goes on meanwhile
    gate.release()
    h.wait_for_list()
    assert not view.busy_note.isVisible()
    assert view.visible_ids() == [p.id for p in h.ws.list(Person) if p.name == "Ilya Petrenko"]
    assert view.count_label.text() == "1 von 3 Personen"


def test_a_person_saved_while_the_list_is_read_stays_in_it_and_is_chosen(
    harness: Harness, gate: Gate, qtbot: QtBot
) -> None:
    """The read under way answers from before the save; its rows must not take the new
    person's line away, and the new person is chosen once their line has come."""
    h = harness
    add_person(h.ws, "Amina Haidari")
    h.page.refresh()
    assert h.page.reader.busy
    qtbot.mouseClick(h.page.list_view.new_button, Qt.MouseButton.LeftButton)
    dialog = h.dialog()
    dialog.form.editors["name"].widget.setText("Yonas Tesfay")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert h.page.dialog is None
    gate.release()
    h.wait_for_list()
    assert _names(h) == ["Amina Haidari", "Yonas Tesfay"]
    saved = [p.id for p in h.ws.list(Person) if p.name == "Yonas Tesfay"]
    assert [h.page.list_view.current_id()] == saved


@pytest.mark.allow_log_warnings
def test_a_list_that_could_not_be_read_says_so_and_is_read_when_shown_again(
    harness: Harness, gate: Gate, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """No memory for the copy of the records: the guide must not take the empty list for
    a lost one (and type everyone in again)."""
    h = harness
    add_person(h.ws, "Amina Haidari")
    h.page.set_workspace(None)
    h.page.set_workspace(h.ws)
    gate.fail_with = MemoryError()
    with qtbot.waitSignal(h.page.status, timeout=5000) as said:
        gate.release()
    told = (
        "Die Liste der Personen konnte nicht gelesen werden. Öffnen Sie eine andere Seite "
        "und kommen Sie zurück."
    )
    assert said.args == [told]
    # (The log names the error's type only: no personal data.)
    assert [r.getMessage() for r in caplog.records] == [
        "reading the people list failed: MemoryError"
    ]
    view = h.page.list_view
    assert view.empty_hint.isVisible() and view.empty_hint.text() == told
    assert not view.busy_note.isVisible()
    h.page.hide()
    h.page.show()
    h.wait_for_list()
    assert _names(h) == ["Amina Haidari"]
    assert not view.empty_hint.isVisible()
    assert view.count_label.text() == "1 Person"


def test_the_chosen_person_stays_chosen_when_the_list_is_read_again(harness: Harness) -> None:
    h = harness
    people = [add_person(h.ws, name) for name in ("Amina Haidari", "Yonas Tesfay", "Zahra Noori")]
    h.reload_list()
    view = h.page.list_view
    view.select(people[1].id)
    add_person(h.ws, "Bashir Ahmadi")  # sorts before the chosen one: its row number moves
    h.reload_list()
    assert view.current_id() == people[1].id
    assert view.table.currentIndex().row() == 2


def test_a_lock_while_the_list_is_read_drops_its_rows(
    harness: Harness, gate: Gate, qtbot: QtBot
) -> None:
    h = harness
    add_person(h.ws, "Amina Haidari")
    h.page.refresh()
    assert h.page.reader.busy
    h.session.lock("manual")
    qtbot.waitUntil(lambda: h.session.workspace is None, timeout=10_000)
    gate.release()
    h.runner.wait()
    qtbot.wait(50)  # (an answer would come through the event loop)
    assert h.page.list_view.model.rowCount() == 0
    assert not h.page.reader.busy
    assert not h.page.list_view.busy_note.isVisible()


def test_a_saved_person_takes_their_place_in_the_sorted_list(
    harness: Harness, qtbot: QtBot
) -> None:
    """Not left at the bottom of a list sorted by birth, nor kept in place after a name
    changed: the line goes where the order puts it, and stays chosen."""
    h = harness
    for name, year in (("Amina Haidari", 1990), ("Yonas Tesfay", 1975), ("Zahra Noori", 1960)):
        add_person(h.ws, name, birth_year=year)
    view = h.page.list_view
    view.table.sortByColumn(Column.BORN, Qt.SortOrder.DescendingOrder)
    h.reload_list()
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    dialog = h.dialog()
    dialog.form.editors["name"].widget.setText("Bashir Ahmadi")
    qtbot.keyClicks(dialog.form.editors["birth_year"].widget, "1980")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert h.page.dialog is None

    def shown() -> list[str]:
        model = view.model
        return [model.person_row(view.proxy.mapToSource(view.proxy.index(r, 0)).row()).name
                for r in range(view.proxy.rowCount())]  # fmt: skip

    assert shown() == ["Amina Haidari", "Bashir Ahmadi", "Yonas Tesfay", "Zahra Noori"]
    bashir = next(p for p in h.ws.list(Person) if p.name == "Bashir Ahmadi")
    assert view.current_id() == bashir.id
    view.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    h.page.open_person(bashir.id)
    h.page.person_view.commands["edit_person"].trigger()
    dialog = h.dialog()
    dialog.form.editors["name"].widget.setText("Zubair Ahmadi")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    h.page.show_list()
    assert shown() == ["Amina Haidari", "Yonas Tesfay", "Zahra Noori", "Zubair Ahmadi"]
    assert view.current_id() == bashir.id


def test_the_table_does_not_move_while_the_rows_are_read(
    harness: Harness, gate: Gate, qtbot: QtBot
) -> None:
    h = harness
    add_person(h.ws, "Amina Haidari")
    view = h.page.list_view
    bottoms = [view.table.geometry().bottom()]  # the rows shown, their count below
    h.page.set_workspace(None)
    h.page.set_workspace(h.ws)
    view.layout().activate()  # (laid out now; the note waits a moment before it shows)
    assert not view.busy_note.isVisible()
    bottoms.append(view.table.geometry().bottom())
    qtbot.waitUntil(view.busy_note.isVisible, timeout=5000)
    bottoms.append(view.table.geometry().bottom())
    gate.release()
    h.wait_for_list()
    qtbot.wait(20)
    bottoms.append(view.table.geometry().bottom())
    assert len(set(bottoms)) == 1, bottoms
