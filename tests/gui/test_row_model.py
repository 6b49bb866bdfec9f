"""The shared row model keeps each cell's answer (Qt asks for it over and over while a
table fits itself to its contents) and never shows a kept answer that is out of date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from kisi_desktop.core.i18n import N_, _, set_ui_language

from kisi_desktop.ui.tables.row_model import KEPT_ROWS_MAX, Column, RowRole, RowTableModel
from kisi_desktop.ui.tables.row_view import row_table

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class Line:
    id: str
    name: str
    amount: int


class Counted:
    """A column's text ("N staatenlos": a word the UI language changes) that counts how
    often it was worked out."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, line: Line) -> str:
        self.calls += 1
        return f"{line.amount} {_('stateless')}"


@pytest.fixture
def german() -> Iterator[None]:
    set_ui_language("de")
    yield
    set_ui_language("de")


def _texts(model: RowTableModel, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_a_table_fitted_to_its_contents_works_each_text_out_once(
    qtbot: QtBot, german: None
) -> None:
    amount = Counted()
    model = RowTableModel(
        [Column(N_("Name"), lambda line: line.name), Column(N_("Amount"), amount)]
    )
    model.set_rows([Line(str(n), f"Zeile {n}", n) for n in range(40)])
    view = row_table("lines", model)
    header = view.horizontalHeader()
    for column in range(2):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setWordWrap(True)
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    for width in (380, 360, 420):  # each new width lays the rows out again
        view.resize(width, 300)
        qtbot.wait(20)
    assert amount.calls == 40  # once per line, however often Qt asked
    assert _texts(model, 1)[:2] == ["0 staatenlos", "1 staatenlos"]


def test_a_kept_text_gives_way_to_a_changed_line_a_removal_and_another_language(
    german: None,
) -> None:
    model = RowTableModel([Column(N_("Amount"), Counted())])
    model.set_rows([Line("a", "A", 1), Line("b", "B", 2)])
    assert _texts(model, 0) == ["1 staatenlos", "2 staatenlos"]
    model.upsert(Line("a", "A", 5))
    assert _texts(model, 0) == ["5 staatenlos", "2 staatenlos"]
    model.remove("a")
    assert _texts(model, 0) == ["2 staatenlos"]
    assert model.index(0, 0).data(RowRole.ID) == "b"
    set_ui_language("en")  # (before the window has told the model)
    assert _texts(model, 0) == ["2 stateless"]
    model.set_rows([Line("c", "C", 3)])
    assert _texts(model, 0) == ["3 stateless"]
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None


def test_a_long_list_keeps_no_answers(german: None) -> None:
    """Only the rows in view of a long list are asked: keeping every answer of 18,000
    rows paged through took 68 MB, for nothing."""
    amount = Counted()
    model = RowTableModel([Column(N_("Amount"), amount)])
    model.set_rows([Line(str(n), "", n) for n in range(KEPT_ROWS_MAX + 1)])
    for _asked in range(2):
        assert _texts(model, 0)[-1] == f"{KEPT_ROWS_MAX} staatenlos"
    assert amount.calls == 2 * (KEPT_ROWS_MAX + 1)
    model.set_rows([Line("a", "", 1)])
    for _asked in range(2):
        assert _texts(model, 0) == ["1 staatenlos"]
    assert amount.calls == 2 * (KEPT_ROWS_MAX + 1) + 1
