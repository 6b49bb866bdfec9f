"""Time sheets: the monthly hours an hourly-rate staff line counts (Art. 55: hours x annual
gross / 1,720), entered in the window."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from kisi_desktop.core.domain import BudgetPlan, Guide, TimeSheet

from kisi_desktop.reports.budget import budget_overview

from kisi_desktop.ui.pages.time_sheets_page import TimeSheetsPage

from tests.gui.office.conftest import Office

pytestmark = pytest.mark.gui


def test_a_month_of_hours_is_entered_and_counts_in_the_hourly_rate_line(office: Office) -> None:
    page = office.page(TimeSheetsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    assert dialog.findChild(QLabel, "teamHint") is not None  # nobody to choose yet
    dialog.reject()

    anna = office.ws.add(Guide(name="Anna Beispiel", fte=Decimal(1), started_on=date(2025, 10, 1),
                               annual_gross_cost=Decimal("55000.00")))  # fmt: skip
    office.ws.add(BudgetPlan(category="staff", project_year=1, planned=Decimal("60000"),
                             funding_mode="hourly_rate"))  # fmt: skip
    page.table.new_button.click()
    dialog = office.dialog(page)
    # Today is 18 March 2026: last month, for the only team member.
    month = dialog.form.editors["month"].widget
    assert isinstance(month, QLineEdit) and month.text() == "2026-02"
    assert month.placeholderText() == "JJJJ-MM, z. B. 2026-03"
    guide = dialog.form.editors["guide_id"].widget
    assert isinstance(guide, QComboBox) and guide.currentText() == "Anna Beispiel"
    month.setText("Feb 2026")
    office.qtbot.keyClicks(dialog.form.editors["hours"].widget, "120")
    office.save(dialog)
    assert dialog.form.error_text("month")  # the shape is YYYY-MM
    month.setText("2026-02")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    [sheet] = office.ws.list(TimeSheet)
    assert (sheet.guide_id, sheet.month, sheet.hours) == (anna.id, "2026-02", Decimal(120))
    # 120 h x 31.98 (55,000 / 1,720) = 3,837.60 in the staff line of project year 1.
    overview = budget_overview(office.ws, date(2026, 3, 18), office.ws.ref)
    assert overview.line("staff", 1).spent == Decimal("3837.60")
