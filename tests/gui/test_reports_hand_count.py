"""The Reports page on the hand-counted vault of tests/support/hand_count_vault.py.

The page counts exactly (it is the guide's own screen); its CSV export leaves the laptop
and shows 1 to 4 people as "<5" and a cell held back beside one as "x". Both against the
hand count of 2026-Q1 (and of project year 1, where Chadi's first contact of November 2025
counts him).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.pages.reports import ReportsPage
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.tables.row_model import RowRole
from kisi_desktop.ui.workers import TaskRunner

from tests.gui.office.conftest import Office
from tests.support.hand_count_vault import (
    PASSPHRASE,
    PY1_O23,
    Q1_COUNTS,
    build_hand_count_vault,
)
from tests.support.modal import FileDialogAnswers

pytestmark = pytest.mark.gui

Q1_PEOPLE = {"Amina", "Bashir", "Dilan", "Elif", "Farid", "Goli", "Ilham", "Jana", "Maryam"}


@pytest.fixture
def office(qtbot: QtBot, tmp_path: Path) -> Iterator[Office]:
    vault = build_hand_count_vault(tmp_path)
    runner = TaskRunner()

    def open_workspace(path: Path, **kwargs: Any) -> Workspace:
        return Workspace.open(path, clock=vault.clock, **kwargs)

    session = Session(vault.path, runner, open_workspace=open_workspace)
    office = Office(qtbot, session, runner, vault.clock, vault.path)
    session.unlock(passphrase=PASSPHRASE)
    qtbot.waitUntil(lambda: session.workspace is not None, timeout=10_000)
    yield office
    session.lock()
    runner.wait()


def _page(office: Office) -> ReportsPage:
    page = office.page(ReportsPage)
    page.resize(1366, 768)
    office.qtbot.waitUntil(lambda: not page.reader.busy, timeout=10_000)
    return page


def _rows(view: Any) -> list[Any]:
    model = view.model()
    return [model.index(r, 0).data(RowRole.ROW) for r in range(model.rowCount())]


def test_the_quarter_on_the_page_and_in_its_csv_is_the_hand_count(
    office: Office, tmp_path: Path, file_dialogs: FileDialogAnswers
) -> None:
    page = _page(office)
    assert page.chooser.key() == "PY1"  # the clock says 15 April 2026
    assert {r.id: r.count for r in _rows(page.indicator_view)}["O.2.3"] == PY1_O23
    with office.qtbot.waitSignal(page.chooser.period_changed):
        page.chooser.choose("2026-Q1")
    assert {r.id: r.count for r in _rows(page.indicator_view)} == Q1_COUNTS
    page.select_indicator("O.2.3")
    assert {r.name.split()[0] for r in _rows(page.people_view)} == Q1_PEOPLE

    target = tmp_path / "q1.csv"
    file_dialogs.save(target)
    with office.qtbot.waitSignal(page.status, timeout=10_000):
        office.qtbot.mouseClick(page.exports.button("csv"), Qt.MouseButton.LeftButton)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))

    def cell(table: str, label: str, column: str) -> str:
        return next(
            r["value"]
            for r in rows
            if r["table"] == table and r["label"] == label and r["column"] == column
        )

    counts = {code: cell("indicators", code, "count") for code in Q1_COUNTS}
    assert counts == {
        code: str(n) if n == 0 or n >= 5 or code == "O.2.2" else "<5"
        for code, n in Q1_COUNTS.items()
    }
    assert cell("indicators_by_gender", "O.2.3", "gender.female") == "6"
    assert cell("indicators_by_age_group", "O.2.3", "age_group.18_60") == "x"
    assert cell("contacts_by_mode", "total", "contacts") == "12"
    assert cell("contacts_by_mode", "total", "hours") == "8.50"
    assert cell("events_by_type", "total", "attendance") == "33"
    assert not any(name in target.read_text(encoding="utf-8") for name in Q1_PEOPLE)
