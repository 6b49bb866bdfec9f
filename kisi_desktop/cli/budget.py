"""``kisi budget``: the plan per category and project year, planned vs spent, warnings.

``plan`` sets (or replaces) the planned amount of one category in one project year, as the
grant decision states it. ``show`` and ``warnings`` are local output: warnings about a
volunteer or a team member's time sheets name them. JSON carries amounts as decimal
strings (``"290657.90"``), never floats, so a script reading it sums to the cent.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from kisi_desktop.core.domain import BudgetPlan
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _, format_date, ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.cli.args import add_actions, add_json, amount, build, day, edit, save
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table
from kisi_desktop.reports.budget import BudgetOverview, BudgetWarning, Line, budget_overview
from kisi_desktop.reports.budget_limits import TIME_SHEET_WARNINGS
from kisi_desktop.reports.budget_tables import describe, level_label, plan_table
from kisi_desktop.reports.money import cents, format_eur, format_percent
from kisi_desktop.reports.periods import PROJECT_YEARS
from kisi_desktop.reports.tables import Kind

OPTIONS = {
    "category": "--category",
    "project_year": "--year",
    "planned": "--amount",
    "funding_mode": "--mode",
    "flat_rate_percent": "--percent",
    "flat_rate_base": "--base",
}


def register(sub: Any) -> None:
    """Add ``budget``."""
    p = sub.add_parser("budget", help=command_help("budget"))
    actions = add_actions(p)
    pl = actions.add_parser(
        "plan", help=_("set the planned amount of a category in a project year")
    )
    pl.add_argument("--category", required=True, help=_("budget category code, e.g. travel"))
    pl.add_argument("--year", required=True, help=_("project year: 1, 2 or 3"))
    pl.add_argument("--amount", required=True, help=_("planned amount in EUR, e.g. 4800.00"))
    pl.add_argument(
        "--mode",
        help=_(
            "real_cost, hourly_rate or flat_rate (default: real_cost; flat_rate with --percent)"
        ),
    )
    pl.add_argument("--percent", help=_("flat rate: percent of its base, e.g. 7"))
    pl.add_argument(
        "--base",
        help=_(
            "flat rate: what the percent is of, indirect_of_direct_costs or "
            "indirect_of_direct_staff_costs (default: read from the percent)"
        ),
    )
    add_json(pl)
    pl.set_defaults(handler=set_plan)
    for name, handler, text in (
        ("show", show, _("planned, spent and remaining per category and year, with warnings")),
        ("warnings", list_warnings, _("list what is near or over its limit")),
    ):
        s = actions.add_parser(name, help=text)
        if name == "show":
            s.add_argument("--year", help=_("only project year 1, 2 or 3"))
        s.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help=_("day for the burn rate and late travel claims (default: today)"),
        )
        add_json(s)
        s.set_defaults(handler=handler)


def _project_year(raw: str | None, option: str) -> int | None:
    if raw is None:
        return None
    text = raw.strip().upper().removeprefix("PY")
    if not text.isdigit() or not 1 <= int(text) <= PROJECT_YEARS:
        raise ValidationError(option, _("KISI has project years 1 to 3."))
    return int(text)


def set_plan(ctx: Context, args: argparse.Namespace) -> int:
    """Set the plan of one category-year, replacing what was planned for it before."""
    ws = ctx.open_workspace()
    year = _project_year(args.year, "--year")
    percent = None if args.percent is None else amount(args.percent, "--percent")
    mode = args.mode.strip().lower() if args.mode else None
    values: dict[str, Any] = {
        "category": args.category.strip().lower(),
        "project_year": year,
        "planned": amount(args.amount, "--amount"),
        "funding_mode": mode or ("flat_rate" if percent is not None else "real_cost"),
        "flat_rate_percent": percent,
        "flat_rate_base": args.base.strip().lower() if args.base else None,
    }
    before = sorted(
        (
            p
            for p in ws.list(BudgetPlan)
            if p.category == values["category"] and p.project_year == year
        ),
        key=lambda p: p.id,
    )
    if before:
        plan = edit(before[0], OPTIONS, **values)
        save(ws, [plan], "update", OPTIONS)
        for duplicate in before[1:]:
            ws.delete(BudgetPlan.KIND, duplicate.id)
    else:
        plan = build(BudgetPlan, OPTIONS, **values)
        save(ws, [plan], "add", OPTIONS)
    overview = budget_overview(ws, day(None, "--date", ws.clock), ws.ref)
    language = ui_language()
    for warning in overview.warnings:
        if warning.what == "plan_cap":
            ctx.warn(describe(warning, overview, ws.ref, language))
    text = _("Planned {amount} for {category} in project year {year}.").format(
        amount=format_eur(plan.planned, language),
        category=ws.ref.label("budget_categories", plan.category, language),
        year=year,
    )
    data = {
        "id": plan.id,
        "replaced": bool(before),
        "planned_total": _dec(overview.total.planned),
        "cap": _dec(overview.cap),
    }
    ctx.emit(data, text)
    return 0


def _overview(ctx: Context, args: argparse.Namespace) -> tuple[Workspace, BudgetOverview]:
    ws = ctx.open_workspace()
    return ws, budget_overview(ws, day(args.date, "--date", ws.clock), ws.ref)


def show(ctx: Context, args: argparse.Namespace) -> int:
    """The plan table in the UI language, its notes, and the warnings under it."""
    year = _project_year(args.year, "--year")
    ws, overview = _overview(ctx, args)
    language = ui_language()
    report = plan_table(overview, ws.ref, year)
    other = "_en" if language == "de" else "_de"
    columns = [c for c in report.columns if not c.key.endswith(other)]
    rows = [[_cell(row[c.key], c.kind, language) for c in columns] for row in report.rows]
    lines = [_("Budget as of {date}").format(date=format_date(overview.today, language)), ""]
    lines += table([c.heading(language) for c in columns], rows)
    lines += ["", *report.notes(language), "", *_warning_lines(ws, overview, language)]
    data = {
        "as_of": overview.today.isoformat(),
        "cap": _dec(overview.cap),
        "cap_remaining": _dec(overview.cap_remaining),
        "cap_percent": _dec(overview.cap_percent),
        "lines": [_line(ln) for ln in overview.lines if year in (None, ln.project_year)],
        "years": [_line(ln) for ln in overview.years if year in (None, ln.project_year)],
        "categories": [_line(ln) for ln in overview.categories] if year is None else [],
        "total": _line(overview.total),
        "outside_project": _dec(overview.outside_project),
        "burn_rate": {
            "spent_so_far": _dec(overview.burn.spent_so_far),
            "months_elapsed": _dec(overview.burn.months_elapsed),
            "per_month": _dec(overview.burn.per_month),
            "forecast": _dec(overview.burn.forecast),
            "forecast_percent_of_cap": _dec(overview.burn.forecast_percent_of_cap),
        },
        "warnings": [_warning(w, ws, overview, language) for w in overview.warnings],
    }
    ctx.emit(data, lines)
    return 0


def list_warnings(ctx: Context, args: argparse.Namespace) -> int:
    """Every warning, one a line; exit 0 even with warnings (they are advice, not errors)."""
    ws, overview = _overview(ctx, args)
    language = ui_language()
    data = [_warning(w, ws, overview, language) for w in overview.warnings]
    ctx.emit(data, _warning_lines(ws, overview, language))
    return 0


def _warning_lines(ws: Workspace, overview: BudgetOverview, language: str) -> list[str]:
    if not overview.warnings:
        return [_("No warnings.")]
    return [_("Warnings:")] + [
        f"  {level_label(w.level, language)}: {describe(w, overview, ws.ref, language)}"
        for w in overview.warnings
    ]


def _cell(value: Any, kind: Kind, language: str) -> str:
    if value is None:
        return "-"
    if kind is Kind.MONEY:
        return format_eur(value, language)
    if kind is Kind.PERCENT:
        return format_percent(value, language)
    return str(value)


def _dec(value: Decimal | None) -> str | None:
    """A Decimal as a string to the cent (JSON without floats)."""
    return None if value is None else str(cents(value))


def _line(line: Line) -> dict[str, Any]:
    return {
        "category": line.category,
        "project_year": line.project_year,
        "funding_mode": line.funding_mode,
        "flat_rate_percent": _dec(line.flat_rate_percent),
        "flat_rate_base": _dec(line.flat_rate_base),
        "planned": _dec(line.planned),
        "spent": _dec(line.spent),
        "remaining": _dec(line.remaining),
        "percent_used": _dec(line.percent_used),
        "ineligible": _dec(line.ineligible),
    }


def _warning(
    warning: BudgetWarning, ws: Workspace, overview: BudgetOverview, language: str
) -> dict[str, Any]:
    return {
        "level": warning.level,
        "what": warning.what,
        "category": warning.category,
        "project_year": warning.project_year,
        "year": warning.year,
        "id": warning.subject_id,
        "amount": _dec(warning.amount),
        "limit": _dec(warning.limit),
        "percent": _dec(warning.percent),
        # A claim's deadline; for volunteers' payouts not booked, the last deployment day
        # compared.
        "deadline": warning.day.isoformat() if warning.day and warning.what == "claim" else None,
        "until": (
            warning.day.isoformat()
            if warning.day and warning.what == "volunteers_unbooked"
            else None
        ),
        # The month of a time sheet left out (YYYY-MM; "id" is that sheet).
        "month": (
            warning.day.strftime("%Y-%m")
            if warning.day and warning.what in TIME_SHEET_WARNINGS
            else None
        ),
        "message": describe(warning, overview, ws.ref, language),
    }
