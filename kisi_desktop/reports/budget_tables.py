"""The budget as report tables: plan vs spent, warnings, volunteer allowances, late claims.

A report prints in its own language whatever the UI speaks, and exports carry both, so
titles, headings and notes come in German and English, and text cells in ``_de``/``_en``
column pairs (the convention of ``indicator_tables``); amounts stay Decimal so CSV/XLSX
get numbers. Tables that name people (volunteers, trip routes) are
``leaves_laptop=False``; the warnings table leaves the laptop only without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from kisi_desktop.core.domain import TimeSheet
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import N_, format_date, format_list, format_number, translator

from kisi_desktop.reports.budget import BudgetOverview, BudgetWarning, Line, VolunteerAllowance
from kisi_desktop.reports.budget_limits import TIME_SHEET_WARNINGS, VOLUNTEER_WARNINGS
from kisi_desktop.reports.budget_sheets import OVER_YEAR, SheetProblem, YearOverCeiling
from kisi_desktop.reports.budget_spending import DIRECT_COSTS_RATE, STAFF_FLAT_RATE
from kisi_desktop.reports.money import format_eur, format_percent
from kisi_desktop.reports.periods import PROJECT_YEARS
from kisi_desktop.reports.tables import Column, Kind, ReportTable, TableShape

LANGUAGES = ("de", "en")

LEVELS = {"warn": N_("nearly used up"), "over": N_("exceeded"), "check": N_("to check")}

MESSAGES = {
    "cap": N_("Grant cap: {amount} of {limit} spent ({percent})."),
    "plan_cap": N_("The plan exceeds the grant cap: {amount} planned, the cap is {limit}."),
    "year": N_("Project year {year}: {amount} of {limit} spent ({percent})."),
    "category": N_("{category}, all project years: {amount} of {limit} spent ({percent})."),
    "category_year": N_("{category}, project year {year}: {amount} of {limit} spent ({percent})."),
    "flat_rate": N_(
        "{category}, project year {year}: the flat rate of {amount} is above the legal "
        "maximum of {limit}."
    ),
    "hourly_rate": N_(
        "{category}, project year {year}: planned as an hourly rate (annual gross cost ÷ "
        "1,720), which counts the hours on the time sheets. Months without a time sheet "
        "count their receipts instead (the line shows {amount}). Enter the hours of every "
        "month under Time sheets."
    ),
    "hourly_rate_unpriced": N_(
        "{category}, project year {year}: hours on a time sheet of a team member without an "
        "annual gross cost are left out; the hourly rate is worked out from it. Enter it "
        "under Team."
    ),
    "volunteer": N_("{name}, {year}: allowances of {amount}, {percent} of the tax-free {limit}."),
    "volunteer_no_cap": N_(
        "{name}, {year}: allowances of {amount} recorded, but the payment regime is "
        "“{regime}”, which has no tax-free allowance. Check the regime or the payments."
    ),
    "volunteer_rate": N_(
        "{name}, {year}: allowances of {amount} for {hours} hours, but the regime “{regime}” "
        "pays {limit} for them. Check the allowances and the hours."
    ),
    "volunteer_hours": N_(
        "{name}, {year}: {hours} hours given, but the regime “{regime}” pays at most {cap} "
        "hours a year. Check the hours, or the regime (Lotsen who coordinate may give more)."
    ),
    "flat_rate_receipts": N_(
        "{category}, project year {year}: {amount} in receipts booked, but the line is a flat "
        "rate: the percentage counts, not the receipts. Fine if they are booked for the "
        "record only."
    ),
    "volunteer_expenses": N_(
        "{name}, {year}: {amount} expenses noted on deployments, but the allowance of the "
        "regime “{regime}” already covers travel and other costs. Refunded from KISI too, "
        "they would be paid twice."
    ),
    "claim": N_("Trip on {date} ({amount}): not claimed, the deadline was {deadline}."),
    "claim_late": N_("Trip on {date} ({amount}): claimed on {submitted}, after {deadline}."),
    "volunteers_unbooked": N_(
        "{category}: {amount} paid to volunteers for their deployments up to {date} "
        "(allowances and expenses), but only {limit} booked as expenses. Book the "
        "payments, or the budget shows too little spent."
    ),
    "time_sheets_same_month": N_(
        "{name} has two time sheets for {month} ({hours}). Staff costs at an hourly rate "
        "count the month once, with the sheet entered last ({counted} h). Delete one of the "
        "two under Time sheets; if both hold hours worked, first put their sum on the one "
        "you keep."
    ),
    "time_sheets_over_year": N_(
        "{name}, {year}: {hours} hours on the time sheets, more than the {ceiling} hours a "
        "year the full-time share allows (1,720 × the share, Art. 55 Reg. (EU) 2021/1060). "
        "The staff costs count them all, but no more than that can be claimed. Check the "
        "hours under Time sheets, and the full-time share under Team."
    ),
    "time_sheets_same_month_more": N_(
        "{name} has {count} time sheets for {month} ({hours}). Staff costs at an hourly rate "
        "count the month once, with the sheet entered last ({counted} h). Keep one of them "
        "under Time sheets and delete the others; if they all hold hours worked, first put "
        "their sum on the one you keep."
    ),
}
UNPLANNED = {
    "year": N_("Project year {year}: {amount} spent without a plan."),
    "category": N_("{category}, all project years: {amount} spent without a plan."),
    "category_year": N_("{category}, project year {year}: {amount} spent without a plan."),
}


def category_label(ref: ReferenceData, code: str | None, language: str) -> str:
    """The category's name in ``language`` (its code if the reference data lacks it)."""
    if code is None:
        return translator(language).gettext(N_("all categories"))
    if ref.has_code("budget_categories", code):
        return ref.label("budget_categories", code, language)
    return code


def year_label(year: int | None) -> str:
    """``PY1``..``PY3``, or ``PY1–PY3`` for a total over the project."""
    return f"PY{year}" if year is not None else f"PY1–PY{PROJECT_YEARS}"


def describe(
    warning: BudgetWarning, overview: BudgetOverview, ref: ReferenceData, language: str
) -> str:
    """One sentence for a warning in ``language``; personal ones name the volunteer."""
    tr = translator(language).gettext
    w = warning

    def eur(value: Decimal | None) -> str:
        return "-" if value is None else format_eur(value, language)

    def pct(value: Decimal | None) -> str:
        return "-" if value is None else format_percent(value, language)

    values: dict[str, Any] = {
        "amount": eur(w.amount),
        "limit": eur(w.limit),
        "percent": pct(w.percent),
        "year": w.project_year if w.project_year is not None else w.year,
        "category": category_label(ref, w.category, language),
    }
    if w.what in TIME_SHEET_WARNINGS:
        return _time_sheets(w, overview, language)
    template = MESSAGES[w.what]
    if w.what in UNPLANNED and w.percent is None:
        template = UNPLANNED[w.what]
    elif w.what == "flat_rate":
        values.update(amount=pct(w.amount), limit=pct(w.limit))
    elif w.what in VOLUNTEER_WARNINGS:
        found = [
            a for a in overview.volunteers if a.volunteer_id == w.subject_id and a.year == w.year
        ]
        values["name"] = found[0].name if found else "?"
        if found:
            values["regime"] = _regime(found[0].payment_regime, ref, language)
            values["hours"] = format_number(found[0].hours, language)
        if w.what == "volunteer_hours":
            values["cap"] = "-" if w.limit is None else format_number(w.limit, language)
        if w.what == "volunteer" and w.limit is None and found:
            template = MESSAGES["volunteer_no_cap"]
    elif w.what == "volunteers_unbooked":
        values["date"] = format_date(w.day, language) if w.day else "-"
    elif w.what == "claim":
        claims = {c.trip_id: c for c in overview.overdue_claims}
        claim = claims.get(w.subject_id or "")
        values.update(
            date=format_date(claim.travelled_on, language) if claim else "-",
            deadline=format_date(w.day, language) if w.day else "-",
        )
        if claim is not None and claim.submitted_on is not None:
            template = MESSAGES["claim_late"]
            values["submitted"] = format_date(claim.submitted_on, language)
    return tr(template).format(**values)


def over_year_text(years: Iterable[YearOverCeiling], warning: BudgetWarning, language: str) -> str:
    """The sentence for a team member's year above the ceiling ("?" if it is not among
    ``years``); the time sheet form says the same while the hours are typed."""
    found = [y for y in years if y.last.id == warning.subject_id and y.year == warning.year]
    if not found:
        return "?"
    return over_year_sentence(found[0], language)


def over_year_sentence(year: YearOverCeiling, language: str) -> str:
    """See :func:`over_year_text`."""
    return (
        translator(language)
        .gettext(MESSAGES[OVER_YEAR])
        .format(
            name=year.name,
            year=year.year,
            hours=format_number(year.hours, language),
            ceiling=format_number(year.ceiling, language),
        )
    )


def _time_sheets(warning: BudgetWarning, overview: BudgetOverview, language: str) -> str:
    """A member's month with several time sheets (naming them), or the sheets of someone
    no longer on the team, and what to do about either."""
    tr = translator(language)
    if warning.what == OVER_YEAR:
        return over_year_text(overview.hours_over_year, warning, language)
    found = [p for p in overview.time_sheets if p.left_out[0].id == warning.subject_id]
    if not found:
        return "?"
    problem: SheetProblem = found[0]

    def month(sheet: TimeSheet) -> str:
        return format_date(sheet.first_day(), language, "LLLL yyyy")

    def hours(value: Decimal) -> str:
        return format_number(value, language) + " h"

    sheets = problem.sheets
    counted = problem.counted
    if counted is not None:
        key = "time_sheets_same_month" if len(sheets) == 2 else "time_sheets_same_month_more"
        return tr.gettext(MESSAGES[key]).format(
            name=problem.name,
            count=len(sheets),
            month=month(counted),
            hours=format_list([hours(s.hours) for s in sheets], language),
            counted=format_number(counted.hours, language),
        )
    first, last = month(sheets[0]), month(sheets[-1])
    return tr.ngettext(
        "A time sheet for {months} ({hours} h) belongs to a team member who is no longer on "
        "the team. Without their gross cost its hours have no hourly rate, so their cost is "
        "not included in the staff costs. Under Time sheets, give it to the team member who "
        "worked the hours (add them under Team first if they are missing), or delete it.",
        "{count} time sheets for {months} ({hours} h) belong to a team member who is no "
        "longer on the team. Without their gross cost the hours have no hourly rate, so "
        "their cost is not included in the staff costs. Under Time sheets, give them to the "
        "team member who worked the hours (add them under Team first if they are missing), "
        "or delete them.",
        len(sheets),
    ).format(
        count=len(sheets),
        months=first if first == last else f"{first} – {last}",
        hours=format_number(problem.hours_left_out, language),
    )


def _used(line: Line) -> bool:
    """Whether a line has anything to show (a plan, spending or ineligible receipts)."""
    return bool(line.planned or line.spent or line.ineligible)


def _pair(key: str, make: Callable[[str], str]) -> dict[str, str]:
    """``{key}_de`` and ``{key}_en`` cells: the same text in both report languages."""
    return {f"{key}_{language}": make(language) for language in LANGUAGES}


def _pair_columns(key: str, de: str, en: str) -> tuple[Column, Column]:
    return (
        Column(f"{key}_de", de, f"{en} (German)"),
        Column(f"{key}_en", f"{de} (englisch)", en),
    )


def _mode(line: Line, ref: ReferenceData, language: str) -> str:
    if line.funding_mode is None:
        return ""
    text = ref.label("funding_modes", line.funding_mode, language)
    if line.flat_rate_percent is not None:
        text += " " + format_percent(line.flat_rate_percent, language)
    return text


def plan_shape() -> TableShape:
    """The plan table's title and columns."""
    return TableShape(
        "budget_plan",
        "Finanzplan: geplant und ausgegeben",
        "Budget: planned and spent",
        (
            *_pair_columns("category", "Kategorie", "Category"),
            Column("year", "Projektjahr", "Project year"),
            *_pair_columns("mode", "Abrechnung", "Funding"),
            Column("planned", "Geplant", "Planned", Kind.MONEY),
            Column("spent", "Ausgegeben", "Spent", Kind.MONEY),
            Column("remaining", "Verbleibend", "Remaining", Kind.MONEY),
            Column("percent", "Verbraucht", "Used", Kind.PERCENT),
        ),
    )


def plan_table(
    overview: BudgetOverview, ref: ReferenceData, year: int | None = None
) -> ReportTable:
    """Planned, spent, remaining and % used per category and project year, with totals.

    Only category-years with a plan or spending; ``year`` narrows it to one project year
    (without the cap row, which is about all three years).
    """

    def row(line: Line) -> dict[str, Any]:
        return {
            **_pair("category", lambda lang: category_label(ref, line.category, lang)),
            "year": year_label(line.project_year),
            **_pair("mode", lambda lang: _mode(line, ref, lang)),
            "planned": line.planned,
            "spent": line.spent,
            "remaining": line.remaining,
            "percent": line.percent_used,
        }

    rows: list[dict[str, Any]] = []
    for total in overview.categories:
        rows += [
            row(ln)
            for ln in overview.lines
            if ln.category == total.category and year in (None, ln.project_year) and _used(ln)
        ]
        if year is None and _used(total):
            rows.append(row(total))
    rows += [row(ln) for ln in overview.years if year in (None, ln.project_year)]
    if year is None:
        rows.append(row(overview.total))
        rows.append(
            {
                **_pair("category", lambda lang: translator(lang).gettext(N_("grant cap"))),
                "year": year_label(None),
                **_pair("mode", lambda lang: ""),
                "planned": overview.cap,
                "spent": overview.total.spent,
                "remaining": overview.cap_remaining,
                "percent": overview.cap_percent,
            }
        )
    return plan_shape().table(
        rows,
        [spent_note(overview, "de"), *plan_notes(overview, ref, "de")],
        [spent_note(overview, "en"), *plan_notes(overview, ref, "en")],
    )


def spent_note(overview: BudgetOverview, language: str) -> str:
    """What "spent" counts: a report of one quarter otherwise read as that quarter's
    spending (QA: a cost of 10 April stood in the first quarter's report)."""
    return (
        translator(language)
        .gettext(
            N_(
                "Spent: every cost booked for the three project years as of {day}, including "
                "costs booked ahead (such as rent), not only those of the report's period."
            )
        )
        .format(day=format_date(overview.today, language))
    )


def plan_notes(overview: BudgetOverview, ref: ReferenceData, language: str) -> list[str]:
    """How flat rates were worked out, the burn rate, and what was not counted."""
    tr = translator(language).gettext
    notes = []
    for line in overview.lines:
        if line.flat_rate_key is None or line.flat_rate_percent is None:
            continue
        base = {
            DIRECT_COSTS_RATE: N_("direct costs"),
            STAFF_FLAT_RATE: N_("the other direct costs"),
        }.get(str(line.flat_rate_key), N_("staff costs"))
        notes.append(
            tr(
                N_("{category}, project year {year}: flat rate {percent} of {base} {amount}.")
            ).format(
                category=category_label(ref, line.category, language),
                year=line.project_year,
                percent=format_percent(line.flat_rate_percent, language),
                base=tr(base),
                amount=format_eur(line.flat_rate_base or Decimal(0), language),
            )
        )
    burn = overview.burn
    if burn.per_month is not None and burn.forecast is not None:
        notes.append(
            tr(
                N_(
                    "Burn rate: {per_month} a month over {months} months; at this pace "
                    "{forecast} will be spent by the end of the project ({percent} of the cap)."
                )
            ).format(
                per_month=format_eur(burn.per_month, language),
                months=format_number(burn.months_elapsed, language),
                forecast=format_eur(burn.forecast, language),
                percent=format_percent(burn.forecast_percent_of_cap or Decimal(0), language),
            )
        )
    if overview.total.ineligible:
        notes.append(
            tr(
                N_("Expenses marked ineligible ({amount}) are not counted against the grant.")
            ).format(amount=format_eur(overview.total.ineligible, language))
        )
    if overview.outside_project:
        notes.append(
            tr(
                N_("Costs dated outside the three project years ({amount}) are not counted.")
            ).format(amount=format_eur(overview.outside_project, language))
        )
    return notes


def level_label(level: str, language: str) -> str:
    """The level in ``language``: "nearly used up" from 80 %, "exceeded" above 100 %, "to
    check" for figures that disagree."""
    return translator(language).gettext(LEVELS[level])


def warnings_shape(*, local: bool = False) -> TableShape:
    """The warnings table's title and columns (``local``: the one with personal warnings)."""
    return TableShape(
        "budget_warnings_local" if local else "budget_warnings",
        "Warnungen zum Finanzplan",
        "Budget warnings",
        (
            *_pair_columns("level", "Stufe", "Level"),
            *_pair_columns("message", "Warnung", "Warning"),
            Column("used", "Verbraucht", "Used", Kind.MONEY),
            Column("limit", "Grenze", "Limit", Kind.MONEY),
            Column("percent", "Prozent", "Percent", Kind.PERCENT),
        ),
    )


def warnings_table(
    overview: BudgetOverview, ref: ReferenceData, *, local: bool = False
) -> ReportTable:
    """Every warning; with ``local=False`` only those naming no one, fit to leave the laptop."""
    shown = [w for w in overview.warnings if local or not w.personal]
    held_back = len(overview.warnings) - len(shown)

    def row(w: BudgetWarning) -> dict[str, Any]:
        return {
            **_pair("level", lambda lang: level_label(w.level, lang)),
            **_pair("message", lambda lang: describe(w, overview, ref, lang)),
            # (a flat rate's figures are percentages, and the payouts not booked compare
            # two sums, neither of them a limit: their sentences carry them)
            # (nor are hours money: their sentence says them too)
            "used": None
            if w.what
            in ("flat_rate", "volunteers_unbooked", "volunteer_hours", *TIME_SHEET_WARNINGS)
            else w.amount,
            "limit": None
            if w.what
            in (
                "flat_rate",
                "volunteers_unbooked",
                "hourly_rate",
                "volunteer_hours",
                "flat_rate_receipts",
                *TIME_SHEET_WARNINGS,  # (hours, said in the sentence)
            )
            else w.limit,
            "percent": w.amount if w.what == "flat_rate" else w.percent,
        }

    rows = [row(w) for w in shown]

    sheets_held_back = 0 if local else sum(w.what in TIME_SHEET_WARNINGS for w in overview.warnings)
    people_held_back = held_back - sheets_held_back

    def notes(language: str) -> tuple[str, ...]:
        tr = translator(language)
        found = []
        if people_held_back:
            found.append(
                tr.ngettext(
                    "{count} warning about a volunteer or a travel claim is in local tables only.",
                    "{count} warnings about volunteers or travel claims are in local tables only.",
                    people_held_back,
                ).format(count=people_held_back)
            )
        if sheets_held_back:
            found.append(
                tr.ngettext(
                    "{count} warning about a team member's time sheets is in local tables only.",
                    "{count} warnings about team members' time sheets are in local tables only.",
                    sheets_held_back,
                ).format(count=sheets_held_back)
            )
        return tuple(found)

    return warnings_shape(local=local).table(
        rows, notes("de"), notes("en"), leaves_laptop=not local
    )


def _regime(code: str, ref: ReferenceData, language: str) -> str:
    if ref.has_code("payment_regimes", code):
        return ref.label("payment_regimes", code, language)
    return code


def volunteer_table(overview: BudgetOverview, ref: ReferenceData) -> ReportTable:
    """Allowances per volunteer and calendar year against the tax-free cap (names: local)."""

    def row(a: VolunteerAllowance) -> dict[str, Any]:
        return {
            "name": a.name,
            "year": str(a.year),
            **_pair("regime", lambda lang: _regime(a.payment_regime, ref, lang)),
            "paid": a.paid,
            "cap": a.cap,
            "percent": a.percent_used,
            **_pair("level", lambda lang: level_label(a.level, lang) if a.level else ""),
        }

    rows = [row(a) for a in overview.volunteers]
    return ReportTable(
        key="budget_volunteer_allowances",
        title_de="Ehrenamtspauschalen je Person und Kalenderjahr",
        title_en="Volunteer allowances per person and calendar year",
        columns=(
            Column("name", "Name", "Name"),
            Column("year", "Jahr", "Year"),
            *_pair_columns("regime", "Regelung", "Regime"),
            Column("paid", "Gezahlt", "Paid", Kind.MONEY),
            Column("cap", "Freibetrag", "Tax-free cap", Kind.MONEY),
            Column("percent", "Ausgeschöpft", "Used", Kind.PERCENT),
            *_pair_columns("level", "Warnung", "Warning"),
        ),
        rows=tuple(rows),
        leaves_laptop=False,
    )


def overdue_claims_table(overview: BudgetOverview) -> ReportTable:
    """Trips claimed, or still unclaimed, after the claim deadline (routes: local)."""
    rows = [
        {
            "travelled_on": c.travelled_on,
            "route": c.route,
            "amount": c.amount,
            "deadline": c.deadline,
            "submitted_on": c.submitted_on,
        }
        for c in overview.overdue_claims
    ]
    return ReportTable(
        key="budget_overdue_claims",
        title_de="Reisekosten: Frist für den Antrag überschritten",
        title_en="Travel claims past their deadline",
        columns=(
            Column("travelled_on", "Reisetag", "Trip date", Kind.DATE),
            Column("route", "Strecke", "Route"),
            Column("amount", "Betrag", "Amount", Kind.MONEY),
            Column("deadline", "Frist", "Deadline", Kind.DATE),
            Column("submitted_on", "Beantragt am", "Claimed on", Kind.DATE),
        ),
        rows=rows,
        leaves_laptop=False,
    )
