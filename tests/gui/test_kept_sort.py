"""A list opens sorted as the guide left it, also after the app was closed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView

from kisi_desktop.core.domain import Municipality, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.pages.people.person_table_model import Column as PersonColumn

from tests.gui.test_record_table import Line, _names, _table
from tests.support.windows import unlocked_window

pytestmark = pytest.mark.gui

PASS = "Sortierung bleibt 2026"


def _click_heading(qtbot: QtBot, view: QTableView, column: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_a_list_sorted_by_the_guide_comes_back_sorted_so(qtbot: QtBot) -> None:
    lines = [Line("1", "Bus", 30), Line("2", "Miete", 450), Line("3", "Kurs", 120)]
    first = _table(qtbot, lines)
    assert _names(first) == ["Miete", "Kurs", "Bus"]  # (by name, Z to A: the default)
    _click_heading(qtbot, first.view, 1)
    _click_heading(qtbot, first.view, 1)
    assert _names(first) == ["Miete", "Kurs", "Bus"]  # by amount, largest first
    _click_heading(qtbot, first.view, 1)
    assert _names(first) == ["Bus", "Kurs", "Miete"]  # by amount, smallest first
    again = _table(qtbot, lines)
    assert _names(again) == ["Bus", "Kurs", "Miete"]
    header = again.view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        1,
        Qt.SortOrder.AscendingOrder,
    )


def test_the_people_list_keeps_its_sort_after_the_app_was_closed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    for name, year in (("Amina Haidari", 1990), ("Bilal Nouri", 1975), ("Chiara Tesfay", 2001)):
        ws.add(Person(name=name, birth_year=year, nationalities=("AF",)))
    ws.lock()

    def names_shown(window: object) -> list[str]:
        page = window.page("people")  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: not page.reader.busy and page.list_view.proxy.rowCount() == 3)
        proxy = page.list_view.proxy
        return [proxy.index(r, PersonColumn.NAME).data() for r in range(proxy.rowCount())]

    window = unlocked_window(qtbot, path, PASS)
    window.navigate("people")
    assert names_shown(window) == ["Amina Haidari", "Bilal Nouri", "Chiara Tesfay"]
    _click_heading(qtbot, window.page("people").list_view.table, PersonColumn.BORN)
    born_first = names_shown(window)
    assert born_first == ["Bilal Nouri", "Amina Haidari", "Chiara Tesfay"]  # oldest first
    window.session.shutdown()
    window.close()

    reopened = unlocked_window(qtbot, path, PASS)
    reopened.navigate("people")
    assert names_shown(reopened) == born_first
    reopened.session.shutdown()
