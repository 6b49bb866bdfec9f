"""What was spent per budget category and project year, flat rates included, and how fast.

* An expense counts with its share allocated to KISI (``allocated_amount``), in the project
  year of its date (30 September and 1 October fall into different years). Expenses marked
  ineligible are kept apart: they were paid, but not from the grant. Expenses and trips
  dated outside the three project years are totalled apart.
* A trip counts as travel with its whole claim (``trip_amount``): the mileage from the
  dated km rates and the Tagegeld (HRKG §§ 6, 7).
* A flat-rate line (indirect costs) is not spent by receipts but as its percentage of a
  base in the same year: the direct costs (every category that is not itself a flat rate)
  for up to 7 %, the staff costs for up to 15 % (Reg. (EU) 2021/1060 Art. 54). A plan
  without a named base stores only the percentage, so the base is the one whose legal
  maximum admits it; the maxima are dated data in ``rates.json`` (``flat_rates``).
* The staff line itself may be a flat rate of up to 20 % of the other direct costs
  (Art. 55(1)), when the plan names that base; it is worked out first, and then counts as
  direct (staff) costs in the other flat rates' bases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain import (
    BudgetPlan,
    Expense,
    Guide,
    TimeSheet,
    Trip,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.domain.budget import allocated_amount, trip_amount
from kisi_desktop.core.domain.municipality import staff_hourly_rate
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.budget_limits import HUNDRED, ZERO, percent_of
from kisi_desktop.reports.budget_sheets import counted_sheets
from kisi_desktop.reports.money import cents
from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START, project_year, project_year_of

TRAVEL_CATEGORY = "travel"
VOLUNTEER_CATEGORY = "volunteers"
STAFF_CATEGORY = "staff"
DIRECT_COSTS_RATE = "indirect_of_direct_costs"
STAFF_COSTS_RATE = "indirect_of_direct_staff_costs"
STAFF_FLAT_RATE = "staff_of_other_direct_costs"
FLAT_RATE_KEYS = (DIRECT_COSTS_RATE, STAFF_COSTS_RATE)
"""The indirect-cost bases a bare percentage is read against (:func:`flat_rate_key`)."""
ALL_FLAT_RATE_KEYS = (*FLAT_RATE_KEYS, STAFF_FLAT_RATE)
PROJECT_MONTHS = 36

YearKey = tuple[str, int]
"""(category code, project year)."""


@dataclass(frozen=True, slots=True)
class BudgetRecords:
    """The records the budget is computed from (plain values, so tests need no vault)."""

    plans: tuple[BudgetPlan, ...] = ()
    expenses: tuple[Expense, ...] = ()
    trips: tuple[Trip, ...] = ()
    volunteers: tuple[Volunteer, ...] = ()
    deployments: tuple[VolunteerDeployment, ...] = ()
    guides: tuple[Guide, ...] = ()
    time_sheets: tuple[TimeSheet, ...] = ()
    """In the order they were entered: of two for one member's month, the later counts
    (``budget_sheets``)."""

    @classmethod
    def of(cls, ws: Workspace) -> BudgetRecords:
        """Everything budget-related in the open vault (a few thousand records at most)."""
        return cls(
            plans=tuple(ws.list(BudgetPlan)),
            expenses=tuple(ws.list(Expense)),
            trips=tuple(ws.list(Trip)),
            volunteers=tuple(ws.list(Volunteer)),
            deployments=tuple(ws.list(VolunteerDeployment)),
            guides=tuple(ws.list(Guide)),
            # (listed newest first: by the day and time each was entered)
            time_sheets=tuple(reversed(ws.list(TimeSheet))),
        )


@dataclass(frozen=True, slots=True)
class HourlyYear:
    """An hourly-rate line's cost in one project year, month by month (:func:`hourly_costs`)."""

    amount: Decimal
    months_from_receipts: int
    """Months that had receipts but no time sheet: counted from the receipts."""
    unpriced: bool
    """A time sheet of a team member without an annual gross cost (their hours are out;
    those of someone no longer on the team are out too, with a warning of their own)."""


def hourly_costs(
    records: BudgetRecords, ref: ReferenceData, category: str, until: date | None = None
) -> dict[int, HourlyYear]:
    """Project year -> what an hourly-rate line of ``category`` costs (Art. 55 Reg. (EU)
    2021/1060: hours x annual gross / 1,720, pro rata for part-time staff).

    Month by month: a month with time sheets counts their hours at each team member's rate
    (each sheet to the cent); a month without one counts its receipts, as a real-cost line
    would, so that a year half entered neither drops to the sheets alone nor hides the gap
    (the line's warning names it). ``until``: months begun by then, receipts up to it.
    A member's month with several sheets counts once, and the sheets of someone no longer
    on the team are not priced (:mod:`~kisi_desktop.reports.budget_sheets`).
    """
    guides = {g.id: g for g in records.guides}
    sheets: dict[date, Decimal] = {}
    unpriced: set[int] = set()
    for sheet in counted_sheets(records.time_sheets):
        month = sheet.first_day()
        year = project_year_of(month)
        if year is None or (until is not None and month > until):
            continue
        guide = guides.get(sheet.guide_id)
        rate = staff_hourly_rate(guide, month, ref) if guide is not None else None
        if rate is None:
            if guide is not None:
                unpriced.add(year)
            sheets.setdefault(month, ZERO)
            continue
        sheets[month] = sheets.get(month, ZERO) + cents(sheet.hours * rate)
    receipts: dict[date, Decimal] = {}
    for expense in records.expenses:
        if expense.category != category or expense.eligibility == "ineligible":
            continue
        if until is not None and expense.spent_on > until:
            continue
        month = expense.spent_on.replace(day=1)
        receipts[month] = receipts.get(month, ZERO) + allocated_amount(expense)
    result: dict[int, HourlyYear] = {}
    for year in {y for m in (*sheets, *receipts) if (y := project_year_of(m)) is not None}:
        in_year = [m for m in {*sheets, *receipts} if project_year_of(m) == year]
        gaps = [m for m in in_year if m not in sheets]
        amount = sum((sheets[m] for m in in_year if m in sheets), ZERO)
        amount += sum((receipts[m] for m in gaps), ZERO)
        result[year] = HourlyYear(amount, len(gaps), year in unpriced)
    return result


@dataclass(frozen=True, slots=True)
class Planned:
    """The plan of one category in one project year (several plans summed)."""

    amount: Decimal
    mode: str
    percent: Decimal | None
    base: str | None = None
    """The flat rate's base as the plan names it (``flat_rates`` key), if it does."""


def planned_by_line(plans: Iterable[BudgetPlan]) -> dict[YearKey, Planned]:
    """Plans summed per category-year; a flat rate wins, with its highest percentage (and
    that plan's base)."""
    result: dict[YearKey, Planned] = {}
    for plan in sorted(plans, key=lambda p: p.id):
        key = (plan.category, plan.project_year)
        old = result.get(key)
        mine = Planned(plan.planned, plan.funding_mode, plan.flat_rate_percent, plan.flat_rate_base)
        if old is None:
            result[key] = mine
            continue
        flat = [p for p in (old, mine) if p.percent is not None]
        if not flat:
            result[key] = Planned(old.amount + plan.planned, old.mode, None)
            continue
        top = max(flat, key=lambda p: p.percent or ZERO)
        result[key] = Planned(old.amount + plan.planned, "flat_rate", top.percent, top.base)
    return result


@dataclass
class Costs:
    """Receipts and trips per category-year: counted (eligible or unclear) and ineligible."""

    counted: defaultdict[YearKey, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    ineligible: defaultdict[YearKey, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    outside: Decimal = ZERO
    """Dated outside the three project years."""


def book_costs(records: BudgetRecords, ref: ReferenceData, until: date | None = None) -> Costs:
    """Expenses (allocated share) and trips per category-year, up to ``until`` if given."""
    costs = Costs()
    items: list[tuple[date, str, Decimal, bool]] = [
        (e.spent_on, e.category, allocated_amount(e), e.eligibility == "ineligible")
        for e in records.expenses
    ]
    # A trip before the project has no rate in the table (rates start with the project):
    # it is none of the project's costs, so it is left out rather than priced. One after
    # the project's end has a rate, and counts with what lies outside the project.
    items += [
        (t.travelled_on, TRAVEL_CATEGORY, trip_amount(t, ref), False)
        for t in records.trips
        if t.travelled_on >= PROJECT_START
    ]
    for day, category, amount, ineligible in items:
        if until is not None and day > until:
            continue
        year = project_year_of(day)
        if year is None:
            costs.outside += amount
        elif ineligible:
            costs.ineligible[(category, year)] += amount
        else:
            costs.counted[(category, year)] += amount
    return costs


def flat_rate_maxima(ref: ReferenceData, year: int) -> dict[str, Decimal]:
    """Legal maximum percentage per flat-rate base at the start of project ``year``."""
    day = project_year(year).start
    return {key: ref.rate_on("flat_rates", key, day) * HUNDRED for key in ALL_FLAT_RATE_KEYS}


def flat_rate_key(percent: Decimal, maxima: Mapping[str, Decimal]) -> str:
    """The base a flat-rate percentage applies to: the one with the lowest maximum admitting it.

    7 % or less is read as a share of direct costs, up to 15 % as a share of staff costs;
    above every maximum, the base with the highest maximum (the plan earns a warning). Only
    indirect costs are guessed: a staff line at a flat rate names its base.
    """
    indirect = {key: value for key, value in maxima.items() if key in FLAT_RATE_KEYS}
    ordered = sorted(indirect.items(), key=lambda item: item[1])
    for key, maximum in ordered:
        if percent <= maximum:
            return key
    return ordered[-1][0]


@dataclass(frozen=True, slots=True)
class FlatRate:
    """How a flat-rate line was worked out: which base, and how large it was."""

    key: str
    base: Decimal


def spent_by_line(
    costs: Costs,
    plans: Mapping[YearKey, Planned],
    ref: ReferenceData,
    hourly: Mapping[str, Mapping[int, HourlyYear]] | None = None,
) -> tuple[dict[YearKey, Decimal], dict[YearKey, FlatRate]]:
    """Spent per category-year with flat rates worked out from their base; and the bases.

    An hourly-rate line counts what :func:`hourly_costs` gives for its category and year
    (``hourly``) instead of its receipts, and so does a flat rate on staff costs."""
    flat = {key: plan for key, plan in plans.items() if plan.mode == "flat_rate"}
    real = {key: amount for key, amount in costs.counted.items() if key not in flat}
    for (category, year), plan in plans.items():
        found = (hourly or {}).get(category, {}).get(year)
        if plan.mode == "hourly_rate" and found is not None:
            real[(category, year)] = found.amount
    spent = dict(real)
    bases: dict[YearKey, FlatRate] = {}
    keys = {
        (category, year): plan.base
        or flat_rate_key(plan.percent or ZERO, flat_rate_maxima(ref, year))
        for (category, year), plan in flat.items()
    }
    # Staff at a flat rate first: it is a direct cost in the other flat rates' bases.
    for (category, year), plan in sorted(flat.items(), key=lambda i: keys[i[0]] != STAFF_FLAT_RATE):
        key = keys[(category, year)]
        if key == STAFF_FLAT_RATE:
            base = sum(
                (
                    a
                    for (c, y), a in real.items()
                    if y == year and c not in (category, STAFF_CATEGORY)
                ),
                ZERO,
            )
        elif key == DIRECT_COSTS_RATE:
            base = sum((amount for (_c, y), amount in real.items() if y == year), ZERO)
        else:
            base = real.get((STAFF_CATEGORY, year), ZERO)
        bases[(category, year)] = FlatRate(key, base)
        spent[(category, year)] = cents(base * (plan.percent or ZERO) / HUNDRED)
        if key == STAFF_FLAT_RATE:
            real[(category, year)] = spent[(category, year)]
    return spent, bases


def months_elapsed(today: date) -> Decimal:
    """Project months up to and including ``today``: whole months plus the share of this one.

    31 March 2026 is 6 months, 15 March 2026 is 5 + 15/31; 0 before the start, 36 after.
    """
    if today < PROJECT_START:
        return ZERO
    if today >= PROJECT_END:
        return Decimal(PROJECT_MONTHS)
    whole = (today.year - PROJECT_START.year) * 12 + today.month - PROJECT_START.month
    following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    days_in_month = (following - today.replace(day=1)).days
    return whole + Decimal(today.day) / Decimal(days_in_month)


@dataclass(frozen=True, slots=True)
class BurnRate:
    """How fast the grant is spent, and where that pace ends on 30 September 2028."""

    spent_so_far: Decimal
    """Spent on days up to the reference day."""
    months_elapsed: Decimal
    """Months since 1 October 2025 up to and including the reference day (two places)."""
    per_month: Decimal | None
    forecast: Decimal | None
    """Spent at the end of the project if spending goes on at this pace."""
    forecast_percent_of_cap: Decimal | None


def burn_rate(spent_so_far: Decimal, today: date, cap: Decimal) -> BurnRate:
    """Spent so far per month elapsed, and the linear forecast over the 36 project months."""
    months = months_elapsed(today)
    if months == 0:
        return BurnRate(spent_so_far, ZERO, None, None, None)
    forecast = cents(spent_so_far * PROJECT_MONTHS / months)
    return BurnRate(
        spent_so_far=spent_so_far,
        months_elapsed=cents(months),
        per_month=cents(spent_so_far / months),
        forecast=forecast,
        forecast_percent_of_cap=percent_of(forecast, cap),
    )
