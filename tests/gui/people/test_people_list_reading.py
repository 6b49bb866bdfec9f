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

from tests.gui.people.conftest import Harness, add_person

pytestmark = pytest.mark.gui


class Gate:
    """Holds the list's reads on their worker until :meth:`release` (the real read runs
    then), and notes the thread each ran on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._open = threading.Event()
        self.threads: list[threading.Thread] = []
        real: Callable[..., Any] = people_page_module.load_person_rows

        def held(workspace: Any, owner: str | None = None, **kwargs: Any) -> Any:
            if owner is None:  # (a single person's line is read at once, on the UI thread)
                self.threads.append(threading.current_thread())
                assert self._open.wait(10)
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
    qtbot.wait(400)  # the event loop turns while the read is held on its worker
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


def test_a_person_saved_while_the_list_is_read_stays_in_it(
    harness: Harness, gate: Gate, qtbot: QtBot
) -> None:
    """The read under way answers from before the save; its rows must not take the new
    person's line away."""
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
