"""The budget overview as rows and sentences for the Budget page, worded in the UI language.

The figures come from :func:`kisi_desktop.reports.budget.budget_overview`; this module only
picks what the page shows for the chosen project year (the same lines as ``kisi budget
show`` and the printed plan table: category-years with a plan or spending, the category
totals, the year totals, the total and the grant cap) and says the burn rate and forecast in
words. Amounts stay Decimal in the rows and are formatted when shown, so a language switch
only rewords them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from kisi_desktop.core.domain.case import add_months
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import _, format_date, format_number

from kisi_desktop.reports.budget import BudgetOverview, Level, Line
from kisi_desktop.reports.budget_limits import ZERO, WarningLevel, level_of, percent_of
from kisi_desktop.reports.budget_tables import (
    category_label,
    describe,
    level_label,
    plan_notes,
)
from kisi_desktop.reports.money import format_eur, format_percent
from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START, PROJECT_YEARS

RowKind = Literal["line", "category", "year", "total", "cap"]
"""A category in a project year, a category over all years, a year, everything, the cap."""


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One line of the plan table: planned, spent, remaining, % used and its warning level."""

    id: str
    kind: RowKind
    category: str | None
    project_year: int | None
    category_label: str
    year_label: str
    funding: str
    planned: Decimal
    spent: Decimal
    remaining: Decimal
    percent: Decimal | None
    level: Level | None

    @property
    def is_total(self) -> bool:
        """Whether the row sums other rows (shown in bold)."""
        return self.kind != "line"


@dataclass(frozen=True, slots=True)
class WarningRow:
    """One warning as a sentence; volunteer warnings name the volunteer (local only)."""

    id: str
    level: WarningLevel
    level_text: str
    message: str
    what: str
    category: str | None
    project_year: int | None
    subject_id: str | None
    """The volunteer or trip a personal warning is about."""


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A trip claimed, or still unclaimed, after its claim deadline."""

    id: str
    travelled_on: date
    route: str
    amount: Decimal
    deadline: date
    submitted_on: date | None


def _used(line: Line) -> bool:
    return bool(line.planned or line.spent or line.ineligible)


def _funding(line: Line, ref: ReferenceData, language: str) -> str:
    if line.funding_mode is None or not ref.has_code("funding_modes", line.funding_mode):
        return ""
    text = ref.label("funding_modes", line.funding_mode, language)
    if line.flat_rate_percent is not None:
        text += " " + format_percent(line.flat_rate_percent, language)
    return text


def row_id(kind: RowKind, category: str | None = None, year: int | None = None) -> str:
    """The id of a plan table row: ``line:travel:1``, ``category:travel``, ``year:1``, ``total``."""
    parts = [kind, category, str(year) if year is not None else None]
    return ":".join(p for p in parts if p)


def year_text(year: int | None) -> str:
    """The project year as the table's "Project year" column shows it: 1, 2, 3, or 1–3
    for a total (the reports' "PY1" is a key, not German or English)."""
    return str(year) if year is not None else f"1–{PROJECT_YEARS}"


def _row(line: Line, kind: RowKind, ref: ReferenceData, language: str) -> PlanRow:
    return PlanRow(
        id=row_id(kind, line.category, line.project_year),
        kind=kind,
        category=line.category,
        project_year=line.project_year,
        category_label=category_label(ref, line.category, language),
        year_label=year_text(line.project_year),
        funding=_funding(line, ref, language) if kind == "line" else "",
        planned=line.planned,
        spent=line.spent,
        remaining=line.remaining,
        percent=line.percent_used,
        level=line.level,
    )


def plan_rows(
    overview: BudgetOverview, ref: ReferenceData, language: str, year: int | None = None
) -> list[PlanRow]:
    """The rows of the plan table for project ``year`` (None: all three years).

    Per category its category-years with a plan or spending and, over all years, its total;
    then the year totals; over all years also the total and the grant cap.
    """
    rows: list[PlanRow] = []
    for total in overview.categories:
        rows += [
            _row(line, "line", ref, language)
            for line in overview.lines
            if line.category == total.category and year in (None, line.project_year) and _used(line)
        ]
        if year is None and _used(total):
            rows.append(_row(total, "category", ref, language))
    rows += [
        _row(line, "year", ref, language)
        for line in overview.years
        if year in (None, line.project_year)
    ]
    if year is None:
        rows.append(
            dataclasses.replace(
                _row(overview.total, "total", ref, language), category_label=_("Total")
            )
        )
        rows.append(
            PlanRow(
                id=row_id("cap"),
                kind="cap",
                category=None,
                project_year=None,
                category_label=_("Grant cap"),
                year_label=year_text(None),
                funding="",
                planned=overview.cap,
                spent=overview.total.spent,
                remaining=overview.cap_remaining,
                percent=overview.cap_percent,
                level=level_of(overview.total.spent, overview.cap),
            )
        )
    return rows


def chart_lines(overview: BudgetOverview, year: int | None = None) -> list[Line]:
    """Per category with a plan or spending: its line in ``year``, or its total over all."""
    if year is None:
        return [line for line in overview.categories if _used(line)]
    return [line for line in overview.lines if line.project_year == year and _used(line)]


def warning_rows(overview: BudgetOverview, ref: ReferenceData, language: str) -> list[WarningRow]:
    """Every warning as a sentence, in the order of the overview (cap and plan first)."""
    return [
        WarningRow(
            id=f"warning:{index}",
            level=warning.level,
            level_text=level_label(warning.level, language),
            message=describe(warning, overview, ref, language),
            what=warning.what,
            category=warning.category,
            project_year=warning.project_year,
            subject_id=warning.subject_id,
        )
        for index, warning in enumerate(overview.warnings)
    ]


def claim_rows(overview: BudgetOverview) -> list[ClaimRow]:
    """The late or overdue travel claims, oldest trip first."""
    return [
        ClaimRow(
            id=claim.trip_id,
            travelled_on=claim.travelled_on,
            route=claim.route,
            amount=claim.amount,
            deadline=claim.deadline,
            submitted_on=claim.submitted_on,
        )
        for claim in overview.overdue_claims
    ]


def cap_sentence(overview: BudgetOverview, language: str) -> str:
    """The grant cap, what is spent of it and what remains, e.g. for the page's summary."""
    return _("Grant cap {cap}: {spent} spent ({percent}), {remaining} remaining.").format(
        cap=format_eur(overview.cap, language),
        spent=format_eur(overview.total.spent, language),
        percent=format_percent(overview.cap_percent or ZERO, language),
        remaining=format_eur(overview.cap_remaining, language),
    )


def planned_sentence(overview: BudgetOverview, language: str) -> str:
    """How much of the cap the plan takes (or that there is no plan yet, and how to enter it)."""
    if not overview.total.planned:
        return _("Nothing is planned yet: enter the amounts of the grant decision with “Plan…”.")
    return _("Planned for the three project years: {planned} ({percent} of the cap).").format(
        planned=format_eur(overview.total.planned, language),
        percent=format_percent(percent_of(overview.total.planned, overview.cap) or ZERO, language),
    )


def burn_sentences(overview: BudgetOverview, language: str) -> list[str]:
    """The burn rate and where it leads by the end of the project, in words.

    A linear forecast: what was spent up to today per project month, times the 36 months.
    When that pace would use up the cap early, say in which month; when what was spent
    up to today is above it already, say by how much instead.
    """
    burn = overview.burn
    if burn.per_month is None or burn.forecast is None:
        return [
            _("The project starts on {start}: there is no burn rate yet.").format(
                start=format_date(PROJECT_START, language)
            )
        ]
    sentences = [
        _("Burn rate: {per_month} a month ({spent} over {months} months up to {today}).").format(
            per_month=format_eur(burn.per_month, language),
            spent=format_eur(burn.spent_so_far, language),
            months=format_number(burn.months_elapsed, language),
            today=format_date(overview.today, language),
        ),
        _(
            "At this pace {forecast} will be spent by the end of the project on {end} "
            "({percent} of the cap)."
        ).format(
            forecast=format_eur(burn.forecast, language),
            end=format_date(PROJECT_END, language),
            percent=format_percent(burn.forecast_percent_of_cap or ZERO, language),
        ),
    ]
    if burn.spent_so_far > overview.cap:
        # Already spent: "would be used up in <a month gone>" read as a forecast.
        sentences.append(
            _("The cap is already exceeded by {amount}.").format(
                amount=format_eur(burn.spent_so_far - overview.cap, language)
            )
        )
    elif burn.forecast > overview.cap and burn.per_month > 0:
        month = cap_used_up_in(overview)
        sentences.append(
            _("The cap would be used up in {month}, before the project ends.").format(
                month=format_date(month, language, "MMMM yyyy")
            )
        )
    return sentences


def cap_used_up_in(overview: BudgetOverview) -> date:
    """The month in which spending at the current pace reaches the cap (first of the month).

    Spent so far / months elapsed is the pace; the cap lasts cap / pace months from
    1 October 2025, so the month that passes it is the whole number of months after it.
    """
    per_month = overview.burn.per_month
    if per_month is None or per_month <= 0:
        return PROJECT_END
    months = int(overview.cap / per_month)
    return min(add_months(PROJECT_START, months), PROJECT_END)


def table_notes(overview: BudgetOverview, ref: ReferenceData, language: str) -> list[str]:
    """How flat rates were worked out and what was not counted (the burn rate is elsewhere)."""
    without_burn = dataclasses.replace(
        overview, burn=dataclasses.replace(overview.burn, per_month=None, forecast=None)
    )
    return plan_notes(without_burn, ref, language)
