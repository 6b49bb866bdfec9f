"""The office lists' table as a guide sorts it: by the header, in the order a German
reader expects, and with the chosen row still chosen and in sight."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt

from kisi_desktop.core.i18n import N_

from kisi_desktop.ui.tables.record_table import RecordTable
from kisi_desktop.ui.tables.row_model import Column

from tests.gui.test_row_model import Line

pytestmark = pytest.mark.gui


def _table(qtbot: QtBot, lines: list[Line]) -> RecordTable:
    table = RecordTable(
        [
            Column(N_("Name"), lambda line: line.name),
            Column(N_("Amount"), lambda line: str(line.amount), sort=lambda line: line.amount),
        ],
        name="lines",
    )
    table.retranslate_ui(noun="lines")
    qtbot.addWidget(table)
    table.resize(600, 300)
    table.show()
    qtbot.waitExposed(table)
    table.set_rows(lines)
    return table


def _click_heading(qtbot: QtBot, table: RecordTable, column: int) -> None:
    header = table.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def _names(table: RecordTable) -> list[str]:
    return [table.proxy.index(r, 0).data() for r in range(table.proxy.rowCount())]


def test_umlauts_sort_with_their_letter_as_a_german_reader_expects(qtbot: QtBot) -> None:
    """'Übersetzen und Dolmetschen' came after 'Zugang zu Behörden' and 'Ärztehaus' after
    'Wohnungsamt': Qt compared the letters' code points (DIN 5007-1 files Ä with A)."""
    words = ["Zugang zu Behörden", "Übersetzen und Dolmetschen", "Wohnungsamt", "Ärztehaus",
             "Arbeit", "Straße", "Strasse B", "öffentlicher Nahverkehr", "Ortsbeirat"]  # fmt: skip
    table = _table(qtbot, [Line(str(i), word, i) for i, word in enumerate(words)])
    _click_heading(qtbot, table, 0)
    assert table.view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert _names(table) == [
        "Arbeit",
        "Ärztehaus",
        "öffentlicher Nahverkehr",
        "Ortsbeirat",
        "Straße",
        "Strasse B",
        "Übersetzen und Dolmetschen",
        "Wohnungsamt",
        "Zugang zu Behörden",
    ]
    _click_heading(qtbot, table, 0)  # again: the other way round
    assert _names(table)[0] == "Zugang zu Behörden"
    assert _names(table)[-1] == "Arbeit"


def test_sorting_keeps_the_chosen_row_chosen_and_in_sight(qtbot: QtBot) -> None:
    """The row stayed chosen but scrolled out of sight: on a list of 59 expenses, sorted
    by amount, the guide saw no chosen row and Enter edited one they could not see."""
    table = _table(qtbot, [Line(f"{i:03}", f"Zeile {i:03}", 1000 - i) for i in range(200)])
    _click_heading(qtbot, table, 0)  # names ascending: Zeile 000 on top
    view = table.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    chosen = table.current_id()
    assert chosen == "001"
    for _ in range(2):  # amount ascending (the chosen row near the bottom), then descending
        _click_heading(qtbot, table, 1)
        assert table.current_id() == chosen
        assert view.viewport().rect().contains(view.visualRect(view.currentIndex()))
