"""Everything the Overview page shows, in calls that need no Qt.

This month's figures (core) as of today by the workspace clock: read when the vault
unlocks, before the window shows them. The current project year's AMIF indicators
(reports) count each person once for the project, in the year of their first support, as
the Reports page and the bundles do; that needs the records from the project's start (about
0.35 s with 10,000 people), so the page counts them on a worker after the window shows;
with them, how many people's notes are due for deletion (its SQLite reads, run on the UI
thread while a worker counts, waited for the interpreter row by row: 0.2 s).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain.reference import ReferenceDataError
from kisi_desktop.core.overview import MonthOverview, month_overview
from kisi_desktop.core.retention import deletion_due
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.facts import load_facts
from kisi_desktop.reports.indicators import compute
from kisi_desktop.reports.periods import PROJECT_START, Period, project_year, project_year_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OverviewFigures:
    """This month's figures and the AMIF indicators of the current project year."""

    month: MonthOverview
    project_year: int | None
    """None outside the project's three years (then ``indicators`` is empty)."""
    indicators: dict[str, int] | None = field(default_factory=dict)
    """Indicator code -> people counted in the project year so far; None: not counted yet."""
    deletion_due: int | None = None
    """How many people's notes are due for deletion; None: not counted (yet)."""


def overview_figures(ws: Workspace, *, indicators: bool = True) -> OverviewFigures:
    """The Overview's figures as of today by the workspace clock (``indicators=False``:
    this month's only, and ``indicators`` None)."""
    day = today(ws.clock)
    if not indicators:
        return month_figures(month_overview(ws, day))
    number = project_year_of(day)
    return OverviewFigures(
        month_overview(ws, day),
        number,
        project_year_indicators(ws, number),
        people_due_for_deletion(ws),
    )


def month_figures(month: MonthOverview) -> OverviewFigures:
    """This month's figures alone, counted already (at unlock, by the unlock's worker):
    the project year is that of the month's ``today``, its indicators not counted yet."""
    return OverviewFigures(month, project_year_of(month.today), None)


def people_due_for_deletion(ws: Workspace) -> int | None:
    """How many people's notes are due for deletion today; None when a closing date has
    no retention period in the reference data (logged; the notice then says nothing)."""
    try:
        return len(deletion_due(ws, today(ws.clock)))
    except ReferenceDataError as error:  # (a read copy dropped at a lock raises on: no log)
        log.error("counting the people due for deletion failed: %s", type(error).__name__)
        return None


def project_year_indicators(ws: Workspace, number: int | None) -> dict[str, int]:
    """Indicator code -> people counted in project year ``number`` so far, each person once
    for the project (empty outside the project)."""
    if number is None:
        return {}
    period = project_year(number)
    since = Period(PROJECT_START, period.end, period.key)
    # Counts only: the breakdowns by gender and age are for the Reports page.
    results = compute(load_facts(ws, since), period, ws.ref, breakdowns=False, once_in_project=True)
    return {r.code: r.count for r in results}
