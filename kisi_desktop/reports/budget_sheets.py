"""Time sheets the staff costs cannot count as they stand, and how they count meanwhile.

The window and ``kisi timesheet`` refuse a second sheet for a team member's month, and a
team member with time sheets is not removed (``core/team.py``). A vault used before those
checks may still hold both, and an hourly-rate staff line (``budget_spending.hourly_costs``)
counted them without a word. Until the guide puts them right, the budget counts them so
that no month counts twice, and says what to do (``budget.py``, warnings
``time_sheets_same_month`` and ``time_sheets_orphaned``):

* Two or more sheets for one member and month count once: the one entered last. It is the
  guide's latest word on that month (a correction entered as a new sheet instead of by
  changing the first); the larger would count hours that may never have been worked, and
  both would count the month twice.
* The sheets of someone no longer on the team have no gross cost to give an hourly rate,
  so their hours are not priced and their cost is not in the staff costs. Their months
  still count as entered, as they did: receipts step in only for a month without any
  time sheet.

A third, ``time_sheets_over_year``, is no slip of an older version: a member's hours in a
calendar year above 1,720 x their full-time share (Art. 55(2) Reg. (EU) 2021/1060;
``core/annual_hours.py``). The budget counts them as entered and says so; the time sheet
form says it while the hours are typed.

All are found whatever the staff line's funding mode (a plan may turn to the hourly rate
later, and the refusals do not ask either). They concern one person's working hours, so
the warnings stay on the laptop
(:attr:`~kisi_desktop.reports.budget_limits.BudgetWarning.personal`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from kisi_desktop.core.annual_hours import annual_hours_ceiling, hours_in_year
from kisi_desktop.core.domain import Guide, TimeSheet
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.reference_schema import ReferenceDataError
from kisi_desktop.core.text_sort import sort_text

from kisi_desktop.reports.budget_limits import BudgetWarning
from kisi_desktop.reports.periods import project_year_of

SheetTrouble = Literal["time_sheets_same_month", "time_sheets_orphaned"]
OVER_YEAR = "time_sheets_over_year"


@dataclass(frozen=True, slots=True)
class SheetProblem:
    """Time sheets of one team member that the staff costs cannot take as they stand.

    ``time_sheets_same_month``: several sheets for one month, of which the last entered
    counts. ``time_sheets_orphaned``: every sheet of a team member no longer on the team,
    none of which counts.
    """

    what: SheetTrouble
    guide_id: str
    name: str
    """The team member's name ("" when they are no longer on the team). Personal: local only."""
    sheets: tuple[TimeSheet, ...]
    """In the order entered (same month), or by month (orphaned)."""

    @property
    def counted(self) -> TimeSheet | None:
        """The sheet the staff costs count: the one entered last; None when orphaned."""
        return self.sheets[-1] if self.what == "time_sheets_same_month" else None

    @property
    def left_out(self) -> tuple[TimeSheet, ...]:
        """The sheets whose hours the staff costs do not count."""
        return self.sheets[:-1] if self.what == "time_sheets_same_month" else self.sheets

    @property
    def hours_left_out(self) -> Decimal:
        """The hours on :attr:`left_out`."""
        return sum((s.hours for s in self.left_out), Decimal(0))


def counted_sheets(sheets: Iterable[TimeSheet]) -> list[TimeSheet]:
    """One sheet per team member and month: of several, the one entered last.

    ``sheets`` come in the order they were entered (:attr:`BudgetRecords.time_sheets`).
    Sheets of someone no longer on the team are kept: whether they are priced is for the
    caller to say.
    """
    last: dict[tuple[str, str], TimeSheet] = {}
    for sheet in sheets:
        last.pop((sheet.guide_id, sheet.month), None)
        last[(sheet.guide_id, sheet.month)] = sheet
    return list(last.values())


def sheet_problems(guides: Iterable[Guide], sheets: Iterable[TimeSheet]) -> list[SheetProblem]:
    """Every month of a team member with more than one sheet (by name and month), then the
    sheets of each team member no longer on the team (by their first month).

    ``sheets`` come in the order they were entered. The sheets of someone no longer on the
    team are one problem for all their months: none of them counts, twice or not.
    """
    names = {g.id: g.name for g in guides}
    months: dict[tuple[str, str], list[TimeSheet]] = {}
    orphans: dict[str, list[TimeSheet]] = {}
    for sheet in sheets:
        if sheet.guide_id in names:
            months.setdefault((sheet.guide_id, sheet.month), []).append(sheet)
        else:
            orphans.setdefault(sheet.guide_id, []).append(sheet)
    twice = [
        SheetProblem("time_sheets_same_month", guide_id, names[guide_id], tuple(found))
        for (guide_id, _month), found in months.items()
        if len(found) > 1
    ]
    twice.sort(key=lambda p: (sort_text(p.name), p.sheets[0].month, p.guide_id))
    gone = [
        SheetProblem(
            "time_sheets_orphaned", guide_id, "", tuple(sorted(found, key=lambda s: s.month))
        )
        for guide_id, found in orphans.items()
    ]
    gone.sort(key=lambda p: (p.sheets[0].month, p.guide_id))
    return [*twice, *gone]


def time_sheet_warnings(problems: Iterable[SheetProblem]) -> list[BudgetWarning]:
    """A warning ("to check") per problem, pointing at the first sheet left out; its
    ``amount`` is the hours the staff costs leave out."""
    found = []
    for problem in problems:
        first = problem.left_out[0]
        found.append(
            BudgetWarning(
                "check",
                problem.what,
                problem.hours_left_out,
                project_year=project_year_of(first.first_day()),
                subject_id=first.id,
                day=first.first_day(),
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class YearOverCeiling:
    """A team member's hours in a calendar year above 1,720 x their full-time share."""

    guide_id: str
    name: str
    """Personal: local only."""
    year: int
    hours: Decimal
    ceiling: Decimal
    last: TimeSheet
    """The year's last month with a sheet: the one a warning points at."""


def years_over_ceiling(
    guides: Iterable[Guide], sheets: Iterable[TimeSheet], ref: ReferenceData
) -> list[YearOverCeiling]:
    """Every member and calendar year whose counted hours exceed the ceiling, by name and
    year (a month with several sheets counts the one entered last, as the staff costs do)."""
    counted = counted_sheets(sheets)
    found = []
    for guide in guides:
        own = sorted((s for s in counted if s.guide_id == guide.id), key=lambda s: s.month)
        for year in sorted({int(s.month[:4]) for s in own}):
            try:
                ceiling = annual_hours_ceiling(guide, year, ref)
            except ReferenceDataError:  # a year before the divisor is known: nothing to say
                continue
            hours = hours_in_year(own, guide.id, year)
            if hours > ceiling:
                last = [s for s in own if s.month.startswith(f"{year:04d}-")][-1]
                found.append(YearOverCeiling(guide.id, guide.name, year, hours, ceiling, last))
    found.sort(key=lambda y: (y.name.casefold(), y.guide_id, y.year))
    return found


def over_year_warnings(years: Iterable[YearOverCeiling]) -> list[BudgetWarning]:
    """An ``over`` warning per member and year; ``amount`` the hours, ``limit`` the
    ceiling in hours, pointing at the year's last sheet."""
    return [
        BudgetWarning(
            "over",
            OVER_YEAR,
            y.hours,
            limit=y.ceiling,
            project_year=project_year_of(y.last.first_day()),
            year=y.year,
            subject_id=y.last.id,
            day=y.last.first_day(),
        )
        for y in years
    ]
