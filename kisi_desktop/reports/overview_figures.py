"""Everything the Overview page shows, in calls that need no Qt.

This month's figures (core) as of today by the workspace clock: read when the vault
unlocks, before the window shows them. The current project year's AMIF indicators
(reports) count each person once for the project, in the year of their first support, as
the Reports page and the bundles do; that needs the records from the project's start (about
0.35 s with 10,000 people), so the page counts them on a worker after the window shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kisi_desktop.core.clock import today
from kisi_desktop.core.overview import MonthOverview, month_overview
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.facts import load_facts
from kisi_desktop.reports.indicators import compute
from kisi_desktop.reports.periods import PROJECT_START, Period, project_year, project_year_of


@dataclass(frozen=True, slots=True)
class OverviewFigures:
    """This month's figures and the AMIF indicators of the current project year."""

    month: MonthOverview
    project_year: int | None
    """None outside the project's three years (then ``indicators`` is empty)."""
    indicators: dict[str, int] | None = field(default_factory=dict)
    """Indicator code -> people counted in the project year so far; None: not counted yet."""


def overview_figures(ws: Workspace, *, indicators: bool = True) -> OverviewFigures:
    """The Overview's figures as of today by the workspace clock (``indicators=False``:
    this month's only, and ``indicators`` None)."""
    day = today(ws.clock)
    number = project_year_of(day)
    counts = project_year_indicators(ws, number) if indicators else None
    return OverviewFigures(month_overview(ws, day), number, counts)


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
