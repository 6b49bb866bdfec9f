"""Everything the Overview page shows, in one call that needs no Qt.

This month's figures (core) and the current project year's AMIF indicators (reports), as of
today by the workspace clock: 0.14 s with 10,000 people, through the working set's date
index. Working it out on the unlock worker instead, before the window shows it, was tried:
the start-up benchmark came out 0.05 s slower (median of three), so the page calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kisi_desktop.core.clock import today
from kisi_desktop.core.overview import MonthOverview, month_overview
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.facts import load_facts
from kisi_desktop.reports.indicators import compute
from kisi_desktop.reports.periods import project_year, project_year_of


@dataclass(frozen=True, slots=True)
class OverviewFigures:
    """This month's figures and the AMIF indicators of the current project year."""

    month: MonthOverview
    project_year: int | None
    """None outside the project's three years (then ``indicators`` is empty)."""
    indicators: dict[str, int] = field(default_factory=dict)
    """Indicator code -> people counted in the project year so far."""


def overview_figures(ws: Workspace) -> OverviewFigures:
    """The Overview's figures as of today by the workspace clock."""
    day = today(ws.clock)
    number = project_year_of(day)
    counts: dict[str, int] = {}
    if number is not None:
        period = project_year(number)
        # Counts only: the breakdowns by gender and age are for the Reports page.
        results = compute(load_facts(ws, period), period, ws.ref, breakdowns=False)
        counts = {r.code: r.count for r in results}
    return OverviewFigures(month_overview(ws, day), number, counts)
