"""A team member's hours in a calendar year above 1,720 x their full-time share
(Art. 55(2) Reg. (EU) 2021/1060): the budget warns, and counts them as entered.

Today 2026-07-10. Maria Weber, full time (ceiling 1,720 h), and Jonas Becker, half time
(860 h), each 32.00 an hour; time sheets January to June 2026: Maria 140 h a month
(840 h), Jonas 150 h a month (900 h: 40 h over his 860).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import BudgetPlan, Guide, TimeSheet
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.budget import BudgetOverview, budget_overview
from kisi_desktop.reports.budget_tables import describe, warnings_table

D = Decimal
TODAY = date(2026, 7, 10)
MARIA = Guide(name="Maria Weber", fte=D(1), started_on=date(2025, 10, 1),
              annual_gross_cost=D("55040.00"))  # fmt: skip
JONAS = Guide(name="Jonas Becker", fte=D("0.5"), started_on=date(2025, 10, 1),
              annual_gross_cost=D("27520.00"))  # fmt: skip
OVER_DE = (
    "Jonas Becker, 2026: 900 Stunden auf den Stundennachweisen, mehr als die 860 Stunden im "
    "Jahr, die der Stellenanteil zulässt (1.720 × Stellenanteil, Art. 55 VO (EU) "
    "2021/1060). Die Personalausgaben zählen sie alle, abgerechnet werden können aber "
    "höchstens diese. Prüfen Sie die Stunden unter Stundennachweise und den Stellenanteil "
    "unter Team."
)
OVER_EN = (
    "Jonas Becker, 2026: 900 hours on the time sheets, more than the 860 hours a year the "
    "full-time share allows (1,720 × the share, Art. 55 Reg. (EU) 2021/1060). The staff "
    "costs count them all, but no more than that can be claimed. Check the hours under "
    "Time sheets, and the full-time share under Team."
)


REF = ReferenceData.load()


@pytest.fixture(scope="module")
def overview(tmp_path_factory: pytest.TempPathFactory) -> BudgetOverview:
    clock = FixedClock(datetime(2026, 7, 10, 9, 0, tzinfo=UTC))
    path: Path = tmp_path_factory.mktemp("hours") / "vault.kisi"
    ws, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS,
                                 clock=clock)  # fmt: skip
    ws.add(BudgetPlan(category="staff", project_year=1, planned=D("60000.00"),
                      funding_mode="hourly_rate"))  # fmt: skip
    ws.add(MARIA)
    ws.add(JONAS)
    for month in range(1, 7):
        ws.add(TimeSheet(guide_id=MARIA.id, month=f"2026-{month:02d}", hours=D(140)))
        ws.add(TimeSheet(guide_id=JONAS.id, month=f"2026-{month:02d}", hours=D(150)))
    try:
        return budget_overview(ws, TODAY, REF)
    finally:
        ws.lock()


def test_the_year_over_the_share_is_a_warning_that_points_at_its_last_sheet(
    overview: BudgetOverview,
) -> None:
    [over] = overview.hours_over_year
    assert (over.name, over.year, over.hours, over.ceiling) == ("Jonas Becker", 2026, 900, 860)
    assert over.last.month == "2026-06"
    found = [
        (w.level, w.what, w.amount, w.limit, w.year, w.project_year, w.subject_id, w.personal)
        for w in overview.warnings
        if w.what == "time_sheets_over_year"
    ]
    assert found == [("over", "time_sheets_over_year", D(900), D(860), 2026, 1, over.last.id, True)]
    # Counted as entered: (840 + 900) h x 32.00.
    assert overview.line("staff", 1).spent == D("55680.00")


def test_the_warning_says_it_in_plain_words_and_stays_on_the_laptop(
    overview: BudgetOverview,
) -> None:
    ref = REF
    [warning] = [w for w in overview.warnings if w.what == "time_sheets_over_year"]
    assert describe(warning, overview, ref, "de") == OVER_DE
    assert describe(warning, overview, ref, "en") == OVER_EN
    local = warnings_table(overview, ref, local=True)
    [row] = [r for r in local.rows if r["message_de"] == OVER_DE]
    assert (row["level_de"], row["used"], row["limit"]) == ("überschritten", None, None)
    shared = warnings_table(overview, ref)
    assert all(r["message_de"] != OVER_DE for r in shared.rows)
