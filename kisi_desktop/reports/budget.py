"""Planned vs spent per budget category and project year, measured against the grant cap.

The grant decision fixes a plan per category and project year and a cap over all three
years (290,657.90 EUR, ``rates.json`` programme/max_per_municipality); the guide has to see
*before* a line or the cap runs out that it will, hence warnings from 80 %. This module
puts the pieces together; how spending is counted (allocation, eligibility, trips, flat
rates) is in ``budget_spending``, the warning rule in ``budget_limits``, the per-person
limits in ``budget_people``, time sheets the staff costs cannot count as they stand in
``budget_sheets`` and the report tables in ``budget_tables``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kisi_desktop.core.domain.budget import allocated_amount
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.volunteer import other_programme
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.budget_limits import (
    ZERO,
    BudgetWarning,
    Level,
    level_of,
    percent_of,
)
from kisi_desktop.reports.budget_people import (
    OverdueClaim,
    VolunteerAllowance,
    overdue_claims,
    volunteer_allowances,
)
from kisi_desktop.reports.budget_sheets import (
    SheetProblem,
    YearOverCeiling,
    over_year_warnings,
    sheet_problems,
    time_sheet_warnings,
    years_over_ceiling,
)
from kisi_desktop.reports.budget_spending import (
    VOLUNTEER_CATEGORY,
    BudgetRecords,
    BurnRate,
    HourlyYear,
    book_costs,
    burn_rate,
    flat_rate_maxima,
    hourly_costs,
    planned_by_line,
    spent_by_line,
)
from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START, PROJECT_YEARS

__all__ = [
    "BudgetOverview",
    "BudgetRecords",
    "BudgetWarning",
    "BurnRate",
    "Level",
    "Line",
    "OverdueClaim",
    "SheetProblem",
    "VolunteerAllowance",
    "budget_overview",
]


@dataclass(frozen=True, slots=True)
class Line:
    """Planned and spent for a category in a project year, or a total over either.

    ``category`` None means all categories, ``project_year`` None all three years.
    """

    category: str | None
    project_year: int | None
    planned: Decimal
    spent: Decimal
    ineligible: Decimal = ZERO
    """Allocated amounts of expenses marked ineligible: paid, but not from the grant."""
    booked: Decimal = ZERO
    """Receipts booked on the line; for a flat rate they are not what counts as spent."""
    funding_mode: str | None = None
    """real_cost, hourly_rate or flat_rate (only for one category in one year)."""
    flat_rate_percent: Decimal | None = None
    flat_rate_key: str | None = None
    """The base the flat rate applies to: a ``flat_rates`` key of ``rates.json``."""
    flat_rate_base: Decimal | None = None

    @property
    def remaining(self) -> Decimal:
        """Planned minus spent; negative when overspent."""
        return self.planned - self.spent

    @property
    def percent_used(self) -> Decimal | None:
        """Spent as a percentage of planned; None when nothing was planned."""
        return percent_of(self.spent, self.planned)

    @property
    def level(self) -> Level | None:
        """``warn`` from 80 % of the plan, ``over`` above it (or spent without a plan)."""
        return level_of(self.spent, self.planned)


@dataclass(frozen=True, slots=True)
class BudgetOverview:
    """The whole budget picture on ``today``."""

    today: date
    cap: Decimal
    lines: tuple[Line, ...]
    """Every category in every project year, categories in reference-data order."""
    categories: tuple[Line, ...]
    """Every category over all three years."""
    years: tuple[Line, ...]
    """All categories per project year."""
    total: Line
    outside_project: Decimal
    """Expenses and trips dated outside the three project years (not counted)."""
    burn: BurnRate
    volunteers: tuple[VolunteerAllowance, ...]
    overdue_claims: tuple[OverdueClaim, ...]
    warnings: tuple[BudgetWarning, ...]
    time_sheets: tuple[SheetProblem, ...]
    """Time sheets the staff costs cannot take as they stand (names: local only)."""
    hours_over_year: tuple[YearOverCeiling, ...] = ()
    """Team members' years above 1,720 hours x their full-time share (names: local only)."""

    @property
    def cap_remaining(self) -> Decimal:
        """What is left of the grant cap after everything spent."""
        return self.cap - self.total.spent

    @property
    def cap_percent(self) -> Decimal | None:
        """Spent as a percentage of the cap."""
        return percent_of(self.total.spent, self.cap)

    def line(self, category: str, year: int | None = None) -> Line:
        """The line of ``category`` in project ``year`` (None: over all three years)."""
        pool = self.lines if year is not None else self.categories
        for line in pool:
            if line.category == category and line.project_year == year:
                return line
        raise KeyError((category, year))


def budget_overview(
    source: Workspace | BudgetRecords, today: date, ref: ReferenceData
) -> BudgetOverview:
    """Plan, spending, burn rate, allowances, overdue claims and warnings on ``today``.

    ``today`` decides the burn rate (spending up to that day) and which unsubmitted claims
    are overdue; the lines count every expense booked in the project years, whatever its
    date, so pre-booked rent already shows against its plan.
    """
    records = source if isinstance(source, BudgetRecords) else BudgetRecords.of(source)
    plans = planned_by_line(records.plans)
    costs = book_costs(records, ref)
    hourly_categories = {c for (c, _y), plan in plans.items() if plan.mode == "hourly_rate"}
    hourly = {c: hourly_costs(records, ref, c) for c in hourly_categories}
    spent, bases = spent_by_line(costs, plans, ref, hourly)
    order = list(ref.enum("budget_categories"))
    order += sorted({c for c, _y in [*plans, *spent, *costs.ineligible]} - set(order))
    years = range(1, PROJECT_YEARS + 1)
    lines = []
    for category in order:
        for year in years:
            key = (category, year)
            plan = plans.get(key)
            flat = bases.get(key)
            lines.append(
                Line(
                    category=category,
                    project_year=year,
                    planned=plan.amount if plan else ZERO,
                    spent=spent.get(key, ZERO),
                    ineligible=costs.ineligible.get(key, ZERO),
                    booked=costs.counted.get(key, ZERO),
                    funding_mode=plan.mode if plan else "real_cost",
                    flat_rate_percent=plan.percent if plan else None,
                    flat_rate_key=flat.key if flat else None,
                    flat_rate_base=flat.base if flat else None,
                )
            )
    per_category = tuple(_sum([ln for ln in lines if ln.category == c], c, None) for c in order)
    per_year = tuple(_sum([ln for ln in lines if ln.project_year == y], None, y) for y in years)
    total = _sum(lines, None, None)
    cap = ref.rate_on("programme", "max_per_municipality", PROJECT_START)
    hourly_so_far = {c: hourly_costs(records, ref, c, today) for c in hourly_categories}
    so_far, _bases = spent_by_line(book_costs(records, ref, today), plans, ref, hourly_so_far)
    allowances = volunteer_allowances(records.volunteers, records.deployments, ref)
    claims = overdue_claims(records.trips, today, ref)
    sheets = sheet_problems(records.guides, records.time_sheets)
    over_year = years_over_ceiling(records.guides, records.time_sheets, ref)
    warnings = [
        *_plan_warnings(lines, per_category, per_year, total, cap, ref),
        *_hourly_rate_warnings(lines, hourly),
        *time_sheet_warnings(sheets),
        *over_year_warnings(over_year),
        *_flat_rate_receipt_warnings(lines),
        *_unbooked_warning(records, today, ref),
        *_people_warnings(allowances, claims),
    ]
    return BudgetOverview(
        today=today,
        cap=cap,
        lines=tuple(lines),
        categories=per_category,
        years=per_year,
        total=total,
        outside_project=costs.outside,
        burn=burn_rate(sum(so_far.values(), ZERO), today, cap),
        volunteers=allowances,
        overdue_claims=claims,
        warnings=tuple(warnings),
        time_sheets=tuple(sheets),
        hours_over_year=tuple(over_year),
    )


def _sum(lines: list[Line], category: str | None, year: int | None) -> Line:
    return Line(
        category=category,
        project_year=year,
        planned=sum((ln.planned for ln in lines), ZERO),
        spent=sum((ln.spent for ln in lines), ZERO),
        ineligible=sum((ln.ineligible for ln in lines), ZERO),
        booked=sum((ln.booked for ln in lines), ZERO),
    )


def _usage(what: str, lines: Iterable[Line]) -> list[BudgetWarning]:
    return [
        BudgetWarning(
            level=level,
            what=what,
            amount=line.spent,
            limit=line.planned,
            percent=line.percent_used,
            category=line.category,
            project_year=line.project_year,
        )
        for line in lines
        if (level := line.level) is not None
    ]


def _plan_warnings(
    lines: Iterable[Line],
    categories: Iterable[Line],
    years: Iterable[Line],
    total: Line,
    cap: Decimal,
    ref: ReferenceData,
) -> list[BudgetWarning]:
    """The cap, the plan against the cap, years, categories, category-years, flat rates."""
    found = []
    if (level := level_of(total.spent, cap)) is not None:
        found.append(BudgetWarning(level, "cap", total.spent, cap, percent_of(total.spent, cap)))
    if total.planned > cap:
        found.append(
            BudgetWarning("over", "plan_cap", total.planned, cap, percent_of(total.planned, cap))
        )
    found += _usage("year", years)
    found += _usage("category", categories)
    found += _usage("category_year", lines)
    for line in lines:
        if line.flat_rate_percent is None or line.project_year is None:
            continue
        maximum = flat_rate_maxima(ref, line.project_year)[str(line.flat_rate_key)]
        if line.flat_rate_percent > maximum:
            found.append(
                BudgetWarning(
                    "over",
                    "flat_rate",
                    line.flat_rate_percent,
                    maximum,
                    category=line.category,
                    project_year=line.project_year,
                )
            )
    return found


def _flat_rate_receipt_warnings(lines: Iterable[Line]) -> list[BudgetWarning]:
    """Receipts booked under a line planned as a flat rate: the percentage counts, not
    they (a salary receipt under a staff line at 20 % of the other direct costs)."""
    return [
        BudgetWarning("check", "flat_rate_receipts", line.booked, None, category=line.category,
                      project_year=line.project_year)
        for line in lines
        if line.funding_mode == "flat_rate" and line.booked > 0
    ]  # fmt: skip


def _hourly_rate_warnings(
    lines: Iterable[Line], hourly: Mapping[str, Mapping[int, HourlyYear]]
) -> list[BudgetWarning]:
    """An hourly-rate line counts hours x annual gross / 1,720 (Art. 55) from the time
    sheets: months without one count their receipts (``hourly_rate``); a team member
    without a gross cost leaves their hours out (``hourly_rate_unpriced``)."""
    found = []
    for line in lines:
        if line.funding_mode != "hourly_rate" or line.project_year is None:
            continue
        year = hourly.get(str(line.category), {}).get(line.project_year)
        kinds = []
        if year is not None and year.unpriced:
            kinds.append("hourly_rate_unpriced")
        if (year is None and line.planned) or (year is not None and year.months_from_receipts):
            kinds.append("hourly_rate")
        found += [
            BudgetWarning(
                "check", what, line.spent, None, category=line.category,
                project_year=line.project_year,
            )
            for what in kinds
        ]  # fmt: skip
    return found


PAYOUT_GRACE_DAYS = 123
"""How long after a deployment its allowance may still wait to be booked: a collective
payout after the quarter ends, within the month after (3 months + 1)."""


def _unbooked_warning(
    records: BudgetRecords, today: date, ref: ReferenceData
) -> list[BudgetWarning]:
    """A warning when the deployments record more paid to volunteers (allowances and
    expenses) than the expenses book under the volunteers' category.

    The budget counts receipts only: a payment noted on a deployment is not also counted,
    or a guide who records both would count it twice. One recorded only on the deployment
    is missing from the budget, and the guide should see that. Payouts come in batches
    after the quarter, so deployments of the last four months are left out; the sums run
    over the whole project, and bookings count whatever their date up to today (the
    September allowance is paid in October, in the next project year or after the end).
    A payout booked within those four months makes up for an older one never booked: the
    deployments do not say which payout paid them, so only the totals can be compared.
    km are left out: their rate for volunteers is the municipality's to set. So are the
    deployments of volunteers another programme pays (WIR Integrationslotsen: the Land's
    WIR funds, whose allowance covers travel and other costs too): booked in KISI as well,
    one payment would be funded twice (expenses noted on them get a warning of their own).
    The volunteer's regime today decides, for every deployment of theirs.
    """
    until = min(today - timedelta(days=PAYOUT_GRACE_DAYS), PROJECT_END)
    elsewhere = {v.id for v in records.volunteers if other_programme(v, ref) is not None}
    paid = sum(
        (
            d.allowance_paid + d.expenses
            for d in records.deployments
            if PROJECT_START <= d.deployed_on
            and (d.paid_on or d.deployed_on) <= until
            and d.volunteer_id not in elsewhere
        ),
        ZERO,
    )
    booked = sum(
        (
            allocated_amount(e)
            for e in records.expenses
            if e.category == VOLUNTEER_CATEGORY and e.spent_on <= today
        ),
        ZERO,
    )
    if paid <= booked:
        return []
    return [
        BudgetWarning(
            "check", "volunteers_unbooked", paid, booked, category=VOLUNTEER_CATEGORY, day=until
        )
    ]


def _people_warnings(
    allowances: Iterable[VolunteerAllowance], claims: Iterable[OverdueClaim]
) -> list[BudgetWarning]:
    """Volunteers near or over their tax-free cap; claims past their deadline."""
    found = [
        BudgetWarning(
            level=level,
            what="volunteer",
            amount=a.paid,
            limit=a.cap,
            percent=a.percent_used,
            year=a.year,
            subject_id=a.volunteer_id,
        )
        for a in allowances
        if (level := a.level) is not None
    ]
    for a in allowances:
        # An hourly regime paid by another programme (WIR): more paid than the hours
        # give, more hours than it pays, expenses refunded on top of its allowance.
        checks = (
            ("volunteer_rate", a.paid, a.due, a.over_rate),
            ("volunteer_hours", a.hours, a.hours_cap, a.over_hours),
            ("volunteer_expenses", a.expenses, None, a.expenses_elsewhere),
        )
        found += [
            BudgetWarning("check", what, used, limit, year=a.year, subject_id=a.volunteer_id)
            for what, used, limit, flagged in checks
            if flagged
        ]
    found += [
        BudgetWarning("over", "claim", c.amount, subject_id=c.trip_id, day=c.deadline)
        for c in claims
    ]
    return found
