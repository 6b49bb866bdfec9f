"""The Budget page on a real vault whose every figure is worked out by hand below.

Today (the session clock): 2026-06-30, nine whole project months after 2025-10-01.

Plans (EUR, real cost)     PY1         PY2
  staff                    40,000.00   40,000.00
  travel                    1,000.00
  room_rent                 2,400.00
  sum                      43,400.00   40,000.00   -> 83,400.00 over the project

Expenses (allocated = amount x allocation %)
  staff        2025-10-31  3,000.00         -> PY1
  staff        2026-05-31  3,000.00         -> PY1 staff 6,000.00 of 40,000.00 = 15.00 %
  room_rent    2025-11-01  2,000.00 at 50 % -> PY1 1,000.00 of 2,400.00 = 41.67 %
  travel       2026-01-10    800.00         -> PY1
  acquisitions 2026-10-05    500.00         -> PY2, no plan: "spent without a plan" (over)
Trip (travel)
  2025-11-05 bicycle 50 km x 0.06 = 3.00, never claimed; deadline 2026-05-05: overdue
  travel PY1 = 800.00 + 3.00 = 803.00 of 1,000.00 = 80.30 %: a warning (>= 80 %)

Per year: PY1 spent 6,000.00 + 1,000.00 + 803.00 = 7,803.00 of 43,400.00 = 17.98 %;
  PY2 500.00 of 40,000.00 = 1.25 %; PY3 nothing. Total 8,303.00 of 83,400.00.
Cap 290,657.90: remaining 290,657.90 - 8,303.00 = 282,354.90; 8,303.00 / 2,906.579 = 2.86 %.
Burn rate: up to today 7,803.00 (the PY2 receipt is dated later) / 9 months = 867.00 a
  month; forecast 7,803.00 x 36 / 9 = 31,212.00 = 10.74 % of the cap (31,212 / 2,906.579).

Warnings, in the overview's order: travel over all years (warn), acquisitions over all years
(over, no plan), travel PY1 (warn), acquisitions PY2 (over), Amira's 800.00 allowance of
1 February not booked as an expense four months on (to check), Amira's allowances 2026:
800.00 of the 960.00 Ehrenamtspauschale = 83.33 % (warn), the unclaimed trip (over).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableView

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import (
    BudgetPlan,
    Draft,
    Expense,
    Guide,
    Municipality,
    TimeSheet,
    Trip,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.budget import BudgetPage
from kisi_desktop.ui.pages.budget.budget_chart import OVER_FILL, SPENT_FILL, WARN_FILL
from kisi_desktop.ui.pages.budget.budget_models import OVER_BACKGROUND, WARN_BACKGROUND
from kisi_desktop.ui.pages.budget.budget_rows import PlanRow, WarningRow
from kisi_desktop.ui.pages.registry import page_factories, page_title
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.tables.row_model import RowRole
from kisi_desktop.ui.workers import TaskRunner

from tests.gui.office.conftest import AGS, PASS, Office
from tests.support.clipping import cut_in_tables
from tests.support.discard import discard

pytestmark = pytest.mark.gui
D = Decimal
TODAY = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)


def _expense(day: date, amount: str, category: str, allocation: str = "100") -> Expense:
    return Expense(
        spent_on=day,
        amount=D(amount),
        payee="Stadtkasse",
        category=category,
        allocation_percent=D(allocation),
        eligibility="eligible",
    )


@pytest.fixture
def office(qtbot: QtBot, tmp_path: Path) -> Iterator[Office]:
    """The vault of the module docstring, unlocked on 2026-06-30."""
    clock = FixedClock(TODAY)
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, clock=clock)
    ws.add(Municipality(ags=AGS, name="Kirchhain"))
    for category, year, planned in (
        ("staff", 1, "40000.00"),
        ("staff", 2, "40000.00"),
        ("travel", 1, "1000.00"),
        ("room_rent", 1, "2400.00"),
    ):
        ws.add(BudgetPlan(category=category, project_year=year, planned=D(planned)))
    for expense in (
        _expense(date(2025, 10, 31), "3000.00", "staff"),
        _expense(date(2026, 5, 31), "3000.00", "staff"),
        _expense(date(2025, 11, 1), "2000.00", "room_rent", allocation="50"),
        _expense(date(2026, 1, 10), "800.00", "travel"),
        _expense(date(2026, 10, 5), "500.00", "acquisitions"),
    ):
        # A seeded history (``save``): the last lies after the clock, which an expense
        # typed today may not (core/domain/entry_dates.py).
        ws.save([expense])
    ws.add(
        Trip(
            travelled_on=date(2025, 11, 5),
            purpose="Netzwerktreffen",
            origin="Rathaus",
            destination="Landratsamt",
            km=D(50),
            vehicle_type="bicycle",
        )
    )
    amira = ws.add(Volunteer(name="Amira Yousef", payment_regime="ehrenamtspauschale"))
    ws.add(
        VolunteerDeployment(
            volunteer_id=amira.id,
            deployed_on=date(2026, 2, 1),
            hours=D(2),
            kind="accompaniment",
            allowance_paid=D("800.00"),
        )
    )
    ws.lock()
    runner = TaskRunner()

    def open_workspace(vault: Path, **kwargs: Any) -> Workspace:
        return Workspace.open(vault, clock=clock, **kwargs)

    session = Session(path, runner, open_workspace=open_workspace)
    office = Office(qtbot, session, runner, clock, path)
    office.ids = {"amira": amira.id}  # type: ignore[attr-defined]
    office.unlock()
    yield office
    for dialog in [d for p in office.pages for d in p.dialogs]:
        dialog.close()
    session.lock()
    runner.wait()


def _page(office: Office) -> BudgetPage:
    page = office.page(BudgetPage)
    page.resize(1140, 700)
    return page


def _rows(view: QTableView) -> list[Any]:
    model = view.model()
    return [model.index(r, 0).data(RowRole.ROW) for r in range(model.rowCount())]


def _texts(view: QTableView) -> dict[str, list[str]]:
    """Every row's shown texts, keyed by row id."""
    model = view.model()
    return {
        str(model.index(r, 0).data(RowRole.ID)): [
            model.index(r, c).data() for c in range(model.columnCount())
        ]
        for r in range(model.rowCount())
    }


def _background(view: QTableView, row_id: str) -> Any:
    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(RowRole.ID) == row_id)
    return model.index(row, 3).data(Qt.ItemDataRole.BackgroundRole)


def _plan(office: Office, category: str, year: int) -> list[BudgetPlan]:
    return [
        p for p in office.ws.list(BudgetPlan) if p.category == category and p.project_year == year
    ]


def test_planned_and_spent_per_category_and_year_with_totals_and_cap(
    office: Office, qtmodeltester: ModelTester
) -> None:
    page = _page(office)
    qtmodeltester.check(page.plan_model)
    rows = _texts(page.plan_view)
    # Category, year, funding, planned, spent, remaining, used, status (German UI).
    assert rows["line:staff:1"][1:8] == [
        "1",  # project year 1: "PY1" is the reports' key, not German
        "Echtkosten",
        "40.000,00\xa0€",
        "6.000,00\xa0€",
        "34.000,00\xa0€",
        "15,00\xa0%",
        "",
    ]
    assert rows["line:room_rent:1"][3:7] == [
        "2.400,00\xa0€",
        "1.000,00\xa0€",
        "1.400,00\xa0€",
        "41,67\xa0%",
    ]
    assert rows["line:travel:1"][3:7] == [
        "1.000,00\xa0€",
        "803,00\xa0€",
        "197,00\xa0€",
        "80,30\xa0%",
    ]
    assert rows["line:acquisitions:2"][3:7] == ["0,00\xa0€", "500,00\xa0€", "-500,00\xa0€", "–"]
    assert rows["category:staff"][1] == "1–3"
    assert rows["category:staff"][3:5] == ["80.000,00\xa0€", "6.000,00\xa0€"]
    assert rows["year:1"][3:7] == [
        "43.400,00\xa0€",
        "7.803,00\xa0€",
        "35.597,00\xa0€",
        "17,98\xa0%",
    ]
    assert rows["year:2"][3:7] == ["40.000,00\xa0€", "500,00\xa0€", "39.500,00\xa0€", "1,25\xa0%"]
    assert rows["total"][3:5] == ["83.400,00\xa0€", "8.303,00\xa0€"]
    assert rows["cap"][3:7] == [
        "290.657,90\xa0€",
        "8.303,00\xa0€",
        "282.354,90\xa0€",
        "2,86\xa0%",
    ]
    # Category-years without plan or spending (fees, PY3 lines) are left out; years are not.
    assert "line:fees:1" not in rows
    assert "line:staff:3" not in rows
    assert "year:3" in rows
    assert list(rows)[-2:] == ["total", "cap"]
    summary = page.summary.text()
    assert "290.657,90\xa0€" in summary
    assert "282.354,90\xa0€" in summary
    assert "867,00\xa0€" in summary  # a month
    assert "31.212,00\xa0€" in summary  # by the end of the project
    assert "10,74\xa0%" in summary


def test_the_words_in_english(office: Office) -> None:
    set_ui_language("en")
    page = _page(office)
    rows = _texts(page.plan_view)
    assert rows["line:travel:1"][0] == "travel costs"
    assert rows["line:travel:1"][7] == "nearly used up"
    assert rows["line:acquisitions:2"][7] == "spent without a plan"
    assert rows["cap"][0] == "Grant cap"
    assert rows["total"][0:2] == ["Total", "1–3"]
    assert rows["cap"][3] == "€290,657.90"
    assert page.summary.text() == (
        "As of Jun 30, 2026. "
        "Grant cap €290,657.90: €8,303.00 spent (2.86%), €282,354.90 remaining. "
        "Planned for the three project years: €83,400.00 (28.69% of the cap). "
        "Burn rate: €867.00 a month (€7,803.00 over 9 months up to Jun 30, 2026). "
        "At this pace €31,212.00 will be spent by the end of the project on Sep 30, 2028 "
        "(10.74% of the cap)."
    )
    assert page.year_combo.itemText(0) == "All project years"
    assert page.tabs.tabText(0) == "&Warnings (7)"
    assert page.tabs.tabText(1) == "&Late travel claims (1)"


def test_the_year_selector_narrows_table_and_chart(office: Office) -> None:
    page = _page(office)
    page.year_combo.setCurrentIndex(page.year_combo.findData(1))
    assert page.year() == 1
    assert list(_texts(page.plan_view)) == [
        "line:staff:1",
        "line:travel:1",
        "line:room_rent:1",
        "year:1",
    ]
    assert [(b.category, b.planned, b.spent) for b in page.chart.bars()] == [
        ("staff", D("40000.00"), D("6000.00")),
        ("travel", D("1000.00"), D("803.00")),
        ("room_rent", D("2400.00"), D("1000.00")),
    ]
    page.year_combo.setCurrentIndex(page.year_combo.findData(2))
    assert list(_texts(page.plan_view)) == ["line:staff:2", "line:acquisitions:2", "year:2"]
    page.year_combo.setCurrentIndex(page.year_combo.findData(3))
    assert list(_texts(page.plan_view)) == ["year:3"]
    assert page.chart.bars() == []
    page.year_combo.setCurrentIndex(0)
    assert page.year() is None
    assert len(_rows(page.plan_view)) == 14


def test_rows_at_80_percent_warn_and_over_100_are_red(office: Office) -> None:
    page = _page(office)
    assert _background(page.plan_view, "line:travel:1") == WARN_BACKGROUND  # 80.30 %
    assert _background(page.plan_view, "category:travel") == WARN_BACKGROUND
    assert _background(page.plan_view, "line:acquisitions:2") == OVER_BACKGROUND
    assert _background(page.plan_view, "line:room_rent:1") is None  # 41.67 %
    assert _background(page.plan_view, "line:staff:1") is None
    rows: list[PlanRow] = _rows(page.plan_view)
    assert {r.id: r.level for r in rows if r.level} == {
        "line:travel:1": "warn",
        "category:travel": "warn",
        "line:acquisitions:2": "over",
        "category:acquisitions": "over",
    }


def test_warnings_as_sentences_naming_the_volunteer(
    office: Office, qtmodeltester: ModelTester
) -> None:
    set_ui_language("en")
    page = _page(office)
    qtmodeltester.check(page.warning_model)
    warnings: list[WarningRow] = _rows(page.warning_view)
    assert [(w.level, w.message) for w in warnings] == [
        ("warn", "travel costs, all project years: €803.00 of €1,000.00 spent (80.30%)."),
        ("over", "acquisitions (equipment), all project years: €500.00 spent without a plan."),
        ("warn", "travel costs, project year 1: €803.00 of €1,000.00 spent (80.30%)."),
        ("over", "acquisitions (equipment), project year 2: €500.00 spent without a plan."),
        (
            "check",
            "volunteer costs: €800.00 paid to volunteers for their deployments up to "
            "Feb 27, 2026 (allowances and expenses), but only €0.00 booked as expenses. Book "
            "the payments, or the budget shows too little spent.",
        ),
        ("warn", "Amira Yousef, 2026: allowances of €800.00, 83.33% of the tax-free €960.00."),
        ("over", "Trip on Nov 5, 2025 (€3.00): not claimed, the deadline was May 5, 2026."),
    ]
    model = page.warning_model
    assert model.index(0, 0).data() == "nearly used up"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == WARN_BACKGROUND
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) == OVER_BACKGROUND
    claims = _texts(page.claim_view)
    assert list(claims.values()) == [
        ["Nov 5, 2025", "Rathaus – Landratsamt", "€3.00", "May 5, 2026", "not yet"]
    ]
    assert model.index(4, 0).data() == "to check"
    # Enter on the volunteer's warning opens them on the Volunteers page; on the payments
    # not booked, the project expenses, where they are booked.
    page.warning_view.setCurrentIndex(model.index(5, 1))
    page.warning_view.setFocus()
    QTest.keyClick(page.warning_view, Qt.Key.Key_Return)
    assert office.navigated == [("volunteers", office.ids["amira"])]  # type: ignore[attr-defined]
    page.warning_view.setCurrentIndex(model.index(4, 1))
    QTest.keyClick(page.warning_view, Qt.Key.Key_Return)
    assert office.navigated[-1] == ("expenses", "category:volunteers")  # type: ignore[attr-defined]


def test_time_sheets_left_from_before_the_checks_lead_to_the_time_sheets_page(
    office: Office,
) -> None:
    """An older version let in a second sheet for Maria's March and kept Jonas's sheet
    after he was removed: the warnings name Maria and the month, and Enter opens the sheet
    left out on the Time sheets page, where it is deleted or given to someone."""
    ws = office.ws
    maria = ws.add(Guide(name="Maria Weber", fte=D(1), started_on=date(2025, 10, 1)))
    jonas = ws.add(Guide(name="Jonas Becker", fte=D(1), started_on=date(2025, 10, 1)))
    first = ws.add(TimeSheet(guide_id=maria.id, month="2026-03", hours=D(100)))
    office.clock.advance(minutes=1)  # (entered a minute later)
    ws.add(TimeSheet(guide_id=maria.id, month="2026-03", hours=D(120)))
    his = ws.add(TimeSheet(guide_id=jonas.id, month="2026-04", hours=D("7.5")))
    ws.delete(Guide.KIND, jonas.id, despite_hold=True)  # (as an older version removed him)
    page = _page(office)
    page.reload()
    model = page.warning_model
    rows: list[WarningRow] = _rows(page.warning_view)
    sheets = {r.what: (index, r) for index, r in enumerate(rows) if r.what.startswith("time")}
    same, orphaned = sheets["time_sheets_same_month"], sheets["time_sheets_orphaned"]
    assert same[1].message.startswith(
        "Maria Weber hat zwei Stundennachweise für März 2026 (100 h und 120 h). "
    )
    assert orphaned[1].message.startswith("Ein Stundennachweis für April 2026 (7,5 h) gehört")
    assert model.index(same[0], 0).data() == "prüfen"
    assert page.tabs.tabText(0) == f"&Warnungen ({len(rows)})"
    page.warning_view.setCurrentIndex(model.index(same[0], 1))
    page.warning_view.setFocus()
    QTest.keyClick(page.warning_view, Qt.Key.Key_Return)
    page.warning_view.setCurrentIndex(model.index(orphaned[0], 1))
    QTest.keyClick(page.warning_view, Qt.Key.Key_Return)
    assert office.navigated[-2:] == [("time_sheets", first.id), ("time_sheets", his.id)]  # type: ignore[attr-defined]


def test_the_chart_has_two_bars_per_category(office: Office) -> None:
    set_ui_language("en")
    page = _page(office)
    bars = page.chart.bars()
    assert [(b.category, b.label, b.planned, b.spent, b.level) for b in bars] == [
        ("staff", "staff costs (integration guides)", D("80000.00"), D("6000.00"), None),
        ("travel", "travel costs", D("1000.00"), D("803.00"), "warn"),
        ("acquisitions", "acquisitions (equipment)", D("0.00"), D("500.00"), "over"),
        ("room_rent", "room rent", D("2400.00"), D("1000.00"), None),
    ]
    assert [b.spent_fill for b in bars] == [SPENT_FILL, WARN_FILL, OVER_FILL, SPENT_FILL]
    assert bars[1].amounts() == ("€1,000.00", "€803.00")
    areas = page.chart.bar_areas()
    assert [a.accessibleName() for a in areas] == [
        "staff costs (integration guides): planned €80,000.00, spent €6,000.00 (7.50%)",
        "travel costs: planned €1,000.00, spent €803.00 (80.30%)",
        "acquisitions (equipment): nothing planned, spent €500.00",
        "room rent: planned €2,400.00, spent €1,000.00 (41.67%)",
    ]
    assert page.chart.accessibleName() == "Planned and spent per budget category"
    # On one scale: the longest bar is the largest amount; a bar's length follows its amount.
    shapes = page.chart.geometry_of_bars()
    staff, travel = shapes[0], shapes[1]
    assert staff.planned.width() > staff.spent.width() > travel.planned.width() > 0
    assert staff.planned.width() == pytest.approx(
        staff.spent.width() * 80_000 / 6_000, abs=14
    )  # pixels are whole: 1 pixel of the short bar is 13.3 of the long one
    assert [s.row.top() for s in shapes] == sorted(s.row.top() for s in shapes)
    for shape in shapes:  # every part inside the chart
        for rect in (shape.label, shape.planned_value, shape.spent_value):
            assert page.chart.rect().contains(rect)


def _open_plan_dialog(office: Office, page: BudgetPage) -> RecordDialog:
    office.qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    return office.dialog(page)


def _type_amount(dialog: RecordDialog, field: str, text: str) -> None:
    edit = dialog.form.editors[field].widget
    assert isinstance(edit, QLineEdit)
    edit.selectAll()
    QTest.keyClicks(edit, text)


def test_plan_dialog_creates_then_updates_a_plan(office: Office) -> None:
    set_ui_language("en")
    page = _page(office)
    page.plan_view.clearSelection()
    page.plan_view.setCurrentIndex(page.plan_model.index(-1, -1))
    dialog = _open_plan_dialog(office, page)
    combo = dialog.form.editors["category"].widget
    combo.setCurrentIndex(combo.findData("fees"))  # type: ignore[attr-defined]
    assert dialog.form.editors["project_year"].get() == 1  # today is in project year 1
    assert not dialog.form.editors["flat_rate_percent"].widget.isEnabled()
    _type_amount(dialog, "planned", "1500.50")
    office.save(dialog)
    assert [p.planned for p in _plan(office, "fees", 1)] == [D("1500.50")]
    assert page.current_row() is not None
    assert page.current_row().id == "line:fees:1"  # type: ignore[union-attr]
    assert _texts(page.plan_view)["line:fees:1"][3] == "€1,500.50"
    # Plan… on the selected row edits that plan.
    dialog = _open_plan_dialog(office, page)
    assert dialog.form.record is not None
    assert dialog.form.record.id == _plan(office, "fees", 1)[0].id
    _type_amount(dialog, "planned", "2000")
    office.save(dialog)
    assert [p.planned for p in _plan(office, "fees", 1)] == [D("2000")]
    assert _texts(page.plan_view)["line:fees:1"][3] == "€2,000.00"


def test_a_new_plan_for_a_planned_category_year_replaces_it(office: Office) -> None:
    set_ui_language("en")
    page = _page(office)
    before = _plan(office, "travel", 1)
    changed: list[str] = []
    page.changed.connect(changed.append)
    dialog = page.new_plan(category="staff", year=2)
    assert dialog is not None
    office.qtbot.waitExposed(dialog)
    hint = dialog.findChild(QLabel, "planReplaceHint")
    assert hint is not None
    assert (
        hint.text() == "Saving replaces the plan of €40,000.00 for this category and project year."
    )
    combo = dialog.form.editors["category"].widget
    combo.setCurrentIndex(combo.findData("travel"))  # type: ignore[attr-defined]
    dialog.form.editors["project_year"].set(1)
    assert "€1,000.00" in hint.text()
    dialog.form.editors["project_year"].set(3)
    assert hint.isHidden()
    dialog.form.editors["project_year"].set(1)
    _type_amount(dialog, "planned", "1200")
    office.save(dialog)
    after = _plan(office, "travel", 1)
    assert [(p.id, p.planned) for p in after] == [(before[0].id, D("1200"))]
    assert changed == ["budget_plan"]
    # 803.00 of 1,200.00 = 66.92 %: no longer a warning.
    row = _texts(page.plan_view)["line:travel:1"]
    assert row[6:8] == ["66.92%", ""]
    assert _background(page.plan_view, "line:travel:1") is None


def test_a_flat_rate_needs_its_percentage(office: Office) -> None:
    page = _page(office)
    dialog = page.new_plan(category="administrative", year=1)
    assert dialog is not None
    mode = dialog.form.editors["funding_mode"].widget
    percent = dialog.form.editors["flat_rate_percent"].widget
    base = dialog.form.editors["flat_rate_base"].widget
    assert not percent.isEnabled() and not base.isEnabled()
    assert "Zuwendungsbescheid" in base.toolTip()
    mode.setCurrentIndex(mode.findData("flat_rate"))  # type: ignore[attr-defined]
    assert percent.isEnabled() and base.isEnabled()
    _type_amount(dialog, "planned", "600")
    office.save(dialog)
    assert dialog.form.error_text("flat_rate_percent")  # no percentage: refused
    _type_amount(dialog, "flat_rate_percent", "7")
    office.save(dialog)
    (plan,) = _plan(office, "administrative", 1)
    assert (plan.funding_mode, plan.flat_rate_percent) == ("flat_rate", D("7"))
    # 7 % of the PY1 direct costs 7,803.00 = 546.21 (546.21 of 600.00 = 91.04 %: a warning).
    row = _texts(page.plan_view)["line:administrative:1"]
    assert row[2:7] == [
        "Pauschale 7,00\xa0%",
        "600,00\xa0€",
        "546,21\xa0€",
        "53,79\xa0€",
        "91,04\xa0%",
    ]
    assert "7.803,00\xa0€" in page.notes.text()  # the base of the flat rate, in words


def test_lock_clears_everything_and_closes_the_dialog(office: Office) -> None:
    page = _page(office)
    dialog = page.new_plan(category="fees", year=1)
    assert dialog is not None
    _type_amount(dialog, "planned", "99")
    office.session.lock()
    office.qtbot.waitUntil(lambda: page.workspace is None)
    assert page.plan_model.rowCount() == 0
    assert page.warning_model.rowCount() == 0
    assert page.claim_model.rowCount() == 0
    assert page.chart.bars() == []
    assert page.chart.bar_areas() == []
    assert page.summary.text() == ""
    assert page.notes.text() == ""
    assert page.overview is None
    assert page.plans == {}
    assert page.dialogs == []
    # Unlocked again: the figures come back and the unsaved plan reopens from its draft.
    office.unlock()
    office.qtbot.waitUntil(lambda: page.plan_model.rowCount() == 14)
    reopened = office.dialog(page)
    assert reopened.form.editors["category"].get() == "fees"
    edit = reopened.form.editors["planned"].widget
    assert isinstance(edit, QLineEdit)
    assert edit.text() == "99"
    discard(office.qtbot, reopened)
    assert [d for d in office.ws.list(Draft) if d.form == "budget_plan_form"] == []


def test_writes_elsewhere_refresh_when_the_page_is_shown(office: Office) -> None:
    page = _page(office)
    page.hide()
    office.ws.add(_expense(date(2026, 2, 1), "100.00", "room_rent"))
    page.refresh()  # the window calls it after another page's changed("expense")
    assert _texts(page.plan_view)["line:room_rent:1"][4] == "1.000,00\xa0€"  # hidden: later
    page.show()
    office.qtbot.waitExposed(page)
    assert _texts(page.plan_view)["line:room_rent:1"][4] == "1.100,00\xa0€"


def test_the_page_comes_before_its_expenses_and_trips_in_the_navigation() -> None:
    keys = [factory.key for factory in page_factories()]  # type: ignore[attr-defined]
    assert keys[keys.index("budget") :][:3] == ["budget", "expenses", "trips"]


def _budget_window(office: Office) -> tuple[MainWindow, BudgetPage]:
    """The Budget page in a main window of 1366x768, as a guide sees it."""
    window = MainWindow(office.session, office.runner, [BudgetPage])
    office.qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    office.qtbot.waitExposed(window)
    window._on_unlocked()  # the session was unlocked before the window existed
    window.navigate("budget")
    page = window.page_list[0]
    assert isinstance(page, BudgetPage)
    office.qtbot.wait(50)
    return window, page


@pytest.mark.parametrize("language", ["de", "en"])
def test_screenshot_at_1366x768(office: Office, tmp_path: Path, language: str) -> None:
    """The page in the main window as a guide sees it; nothing one-line is clipped."""
    register_fonts()
    set_ui_language(language)
    out = Path(os.environ.get("KISI_SHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    window, page = _budget_window(office)
    assert window.grab().save(str(out / f"budget_{language}.png"))
    clipped = [
        f"{type(w).__name__} {w.text()!r}"
        for w in page.findChildren(QPushButton) + page.findChildren(QLabel)
        if w.isVisible()
        and not (isinstance(w, QLabel) and w.wordWrap())
        and w.width() < w.minimumSizeHint().width() - 1
    ]
    assert clipped == []
    # Every category of the chart is on screen without scrolling.
    assert page.chart_scroll.verticalScrollBar().maximum() == 0
    # The table shows its columns without a horizontal scroll bar.
    assert page.plan_view.horizontalScrollBar().maximum() == 0
    page.set_year(1)
    assert page.select_row("line:travel:1")
    office.qtbot.wait(50)
    assert window.grab().save(str(out / f"budget_py1_{language}.png"))
    dialog = page.plan_selected()
    assert dialog is not None
    office.qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(out / f"budget_plan_dialog_{language}.png"))
    dialog.reject()


def test_long_category_names_are_whole_in_table_and_chart(office: Office) -> None:
    """At 1366x768 in German the table showed "Personalausgaben Integra…" and the chart
    "Sonstige Sachausgaben (Druck, Öffentlichkeitsarbeit, V…": the names now wrap."""
    register_fonts()
    office.ws.add(_expense(date(2026, 3, 2), "250.00", "other"))
    _window, page = _budget_window(office)
    longest = "Sonstige Sachausgaben (Druck, Öffentlichkeitsarbeit, Veranstaltungen)"
    (other,) = [b for b in page.chart.bars() if b.category == "other"]
    assert other.label == longest
    bold = QFont(page.chart.font())
    bold.setBold(True)
    flags = int(Qt.TextFlag.TextWordWrap)
    for shape in page.chart.geometry_of_bars():  # every name fits its rectangle, wrapped
        needed = QFontMetrics(bold).boundingRect(shape.label, flags, shape.bar.label)
        assert shape.label.contains(needed), shape.bar.label
        assert shape.planned.top() >= shape.label.bottom()  # the bars come under the name
    assert page.chart_scroll.verticalScrollBar().maximum() == 0
    # In the table: each name whole, on two lines where the column is narrow.
    index = next(
        page.plan_model.index(r, 0)
        for r in range(page.plan_model.rowCount())
        if page.plan_model.index(r, 0).data() == longest
    )
    page.plan_view.scrollTo(index)
    office.qtbot.waitUntil(
        lambda: page.plan_view.rowHeight(index.row()) > page.plan_view.rowHeight(0),
        timeout=2000,
    )
    assert cut_in_tables(page) == []
    for row in range(page.plan_model.rowCount()):
        page.plan_view.scrollTo(page.plan_model.index(row, 0))
        assert cut_in_tables(page.plan_view) == []


def _lines(view: QTableView, row: int, column: int) -> int:
    """The lines the text of a cell wraps onto in its column."""
    index = view.model().index(row, column)
    font = index.data(Qt.ItemDataRole.FontRole)
    metrics = QFontMetrics(font if isinstance(font, QFont) else view.font())
    width = view.columnWidth(column) - 8  # the cell's margins
    box = metrics.boundingRect(
        QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), str(index.data() or "")
    )
    return round(box.height() / metrics.lineSpacing())


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_seven_digit_typo_leaves_the_category_names_readable(
    office: Office, tmp_path: Path, language: str
) -> None:
    """A mistyped 1.234.567,89 € widened the money columns: at 1366x768 "Sonstige
    Sachausgaben (Druck, Öffentlichkeitsarbeit, Veranstaltungen)" ran over four lines
    while the Status column kept the width of "ohne Planung ausgegeben". The status now
    wraps first: every name on at most two lines, every status too, nothing cut."""
    register_fonts()
    set_ui_language(language)
    office.ws.add(_expense(date(2026, 3, 2), "1234567.89", "other"))
    office.ws.add(BudgetPlan(category="room_rent", project_year=2, planned=D("1234567.89")))
    window, page = _budget_window(office)
    view = page.plan_view
    office.qtbot.wait(50)
    out = Path(os.environ.get("KISI_SHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(out / f"budget_seven_digits_{language}.png"))
    status = page.plan_model.columnCount() - 1
    names = {page.plan_model.index(r, 0).data() for r in range(page.plan_model.rowCount())}
    assert "1.234.567,89\xa0€" in _texts(view)["line:room_rent:2"] or language == "en"
    for row in range(page.plan_model.rowCount()):
        assert _lines(view, row, 0) <= 2, page.plan_model.index(row, 0).data()
        assert _lines(view, row, status) <= 2, page.plan_model.index(row, status).data()
        view.scrollTo(page.plan_model.index(row, 0))
        assert cut_in_tables(view) == []
    assert len(names) > 5
    assert view.horizontalScrollBar().maximum() == 0


def test_without_a_plan_the_summary_says_how_to_enter_one(office: Office) -> None:
    set_ui_language("en")
    page = _page(office)
    for plan in office.ws.list(BudgetPlan):
        office.ws.delete(BudgetPlan.KIND, plan.id)
    page.refresh()
    assert "Nothing is planned yet" in page.summary.text()
    assert {r.level for r in _rows(page.plan_view) if r.kind == "line"} == {"over"}


def test_a_cap_already_exceeded_is_not_forecast_to_run_out_in_the_past(office: Office) -> None:
    """Spent above the cap by today, the summary said the cap would be used up "in June
    2026, before the project ends" (the month the pace passes it, this one or one long
    gone) as if it were a forecast."""
    office.ws.add(_expense(date(2026, 6, 1), "290000.00", "acquisitions"))
    page = _page(office)
    summary = page.summary.text()
    # 7,803.00 + 290,000.00 = 297,803.00 spent up to today: 7,145.10 over the cap.
    assert "wäre schon" not in summary
    exceeded = "Der Förderhöchstbetrag ist schon um 7.145,10\xa0€ überschritten."
    assert summary.endswith(exceeded), summary


def test_an_allowance_in_a_year_without_a_known_cap_leaves_the_budget_standing(
    office: Office,
) -> None:
    """A deployment typed as 1.5.20 (2020: before the caps in rates.json begin) made the
    whole page say "The budget cannot be worked out" and kept the report from being made."""
    set_ui_language("en")
    page = _page(office)
    amira = office.ids["amira"]  # type: ignore[attr-defined]
    office.ws.add(VolunteerDeployment(volunteer_id=amira, deployed_on=date(2020, 5, 1), hours=D(2),
                                      kind="accompaniment", allowance_paid=D("40.00")))  # fmt: skip
    page.refresh()
    assert not page.summary.text().startswith("The budget cannot be worked out:")
    assert page.overview is not None
    [old] = [a for a in page.overview.volunteers if a.year == 2020]
    assert (old.paid, old.cap, old.level) == (D("40.00"), None, None)


def test_a_trip_before_the_project_is_left_out(office: Office) -> None:
    """A trip before the project (and before its km rates, 1 October 2025) is no project cost."""
    set_ui_language("en")
    page = _page(office)
    assert page.overview is not None
    before = page.overview.total.spent
    office.ws.add(
        Trip(
            travelled_on=date(2025, 9, 15),
            purpose="Vorbereitung",
            origin="Rathaus",
            destination="Landratsamt",
            km=D(10),
            vehicle_type="car",
        )
    )
    page.refresh()
    assert not page.summary.text().startswith("The budget cannot be worked out:")
    assert page.overview is not None
    assert page.overview.total.spent == before


def test_the_page_leads_to_where_expenses_and_trips_are_entered(office: Office) -> None:
    page = _page(office)
    # Named as the page they open is named in the navigation (was "Ausgaben" beside
    # "Projektausgaben"): the guide looks for the same word there.
    for button, key in ((page.expenses_button, "expenses"), (page.trips_button, "trips")):
        assert button.text().replace("&", "") == page_title(key)
    office.qtbot.mouseClick(page.expenses_button, Qt.MouseButton.LeftButton)
    office.qtbot.mouseClick(page.trips_button, Qt.MouseButton.LeftButton)
    assert office.navigated[-2:] == [("expenses", None), ("trips", None)]


def test_tab_into_the_plan_table_chooses_its_row_for_plan_and_down(office: Office) -> None:
    """Keyboard QA: Tab from Trips into the table only outlined the first line. Alt+P then
    opened a new plan instead of that line's, and Down jumped to the second line; the
    office lists had been fixed so, the tables of Budget, Needs, Reports and the Overview
    not. The outlined line is chosen now."""
    page = _page(office)
    page.plan_view.clearSelection()
    page.plan_view.setCurrentIndex(page.plan_model.index(-1, -1))
    office.activate(page)
    page.trips_button.setFocus()
    office.qtbot.keyClick(page.trips_button, Qt.Key.Key_Tab)
    assert page.plan_view.hasFocus()
    first = page.plan_model.index(0, 0).data(RowRole.ROW)
    assert page.current_row() == first
    office.qtbot.keyClick(page.plan_view, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    dialog = office.dialog(page)
    assert dialog.form.record is not None  # that line's plan, staff in project year 1
    assert (dialog.form.record.category, dialog.form.record.project_year) == ("staff", 1)
    dialog.reject()
    office.activate(page)
    page.plan_view.setFocus()
    office.qtbot.keyClick(page.plan_view, Qt.Key.Key_Down)
    assert page.current_row() == page.plan_model.index(1, 0).data(RowRole.ROW)
