"""``kisi needs``: record findings of the needs analysis and see them ranked for a period."""

from __future__ import annotations

import argparse
from typing import Any

from kisi_desktop.core.domain import Need
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _, format_date, ui_language
from kisi_desktop.core.record_text import code_label

from kisi_desktop.cli.args import add_actions, add_json, build, day, free_text, save
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table
from kisi_desktop.reports.needs import needs_summary, needs_table
from kisi_desktop.reports.pdf_report import period_label
from kisi_desktop.reports.periods import parse_period

OPTIONS = {
    "recorded_on": "--date",
    "group": "--group",
    "need": "--need",
    "urgency": "--urgency",
    "respondents": "--respondents",
    "note": "--note",
}


def register(sub: Any) -> None:
    """Add ``needs``."""
    p = sub.add_parser("needs", help=command_help("needs"))
    actions = add_actions(p)

    a = actions.add_parser("add", help=_("record a need; prints the new id"))
    a.add_argument(
        "--group", required=True, help=_("target group code: tcn, local, administration")
    )
    a.add_argument("--need", required=True, help=_("need code, e.g. housing, childcare"))
    a.add_argument("--urgency", default="medium", help=_("low, medium or high (default: medium)"))
    a.add_argument(
        "--respondents", default="1", metavar="N", help=_("how many people named it (default: 1)")
    )
    a.add_argument("--date", metavar="YYYY-MM-DD", help=_("day recorded (default: today)"))
    a.add_argument(
        "--note",
        default="",
        help=_("note (stays on this computer; - reads it from standard input)"),
    )
    add_json(a)
    a.set_defaults(handler=add_need)

    ls = actions.add_parser("list", help=_("list needs, newest first, with their notes"))
    add_json(ls)
    ls.set_defaults(handler=list_needs)

    s = actions.add_parser("summary", help=_("needs ranked by urgency for a period"))
    s.add_argument(
        "--period",
        required=True,
        help=_("PY1..PY3 (project years), project, 2026, 2026-Q1 or 2026-01-01..2026-03-31"),
    )
    add_json(s)
    s.set_defaults(handler=summarise_needs)


def _whole(raw: str, option: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValidationError(option, _("Expected a whole number.")) from None


def add_need(ctx: Context, args: argparse.Namespace) -> int:
    """Record one finding of the needs analysis."""
    ws = ctx.open_workspace()
    need = build(
        Need,
        OPTIONS,
        recorded_on=day(args.date, "--date", ws.clock),
        group=args.group.strip().lower(),
        need=args.need.strip().lower(),
        urgency=args.urgency.strip().lower(),
        respondents=_whole(args.respondents, "--respondents"),
        note=free_text(args.note),
    )
    save(ws, [need], "add", OPTIONS)
    ctx.emit({"id": need.id}, need.id)
    return 0


def list_needs(ctx: Context, args: argparse.Namespace) -> int:
    """Every need, newest first; a local view, so the notes are shown."""
    ws = ctx.open_workspace()
    items = sorted(ws.list(Need), key=lambda n: (n.recorded_on, n.id), reverse=True)
    rows = [
        (
            n.id,
            n.recorded_on,
            code_label(ws.ref, "target_groups", n.group),
            code_label(ws.ref, "needs", n.need),
            code_label(ws.ref, "urgencies", n.urgency),
            n.respondents,
            n.note,
        )
        for n in items
    ]
    headers = (
        _("ID"),
        _("Date"),
        _("Group"),
        _("Need"),
        _("Urgency"),
        _("Respondents"),
        _("Note"),
    )
    ctx.emit(
        [n.to_payload() for n in items],
        table(headers, rows) if rows else [_("No needs recorded yet.")],
    )
    return 0


def summarise_needs(ctx: Context, args: argparse.Namespace) -> int:
    """The ranked needs of a period: all groups, then each group.

    The screen shows the exact figures (it stays here); ``--json`` prints the rows as they
    may leave the laptop, with small respondents cells suppressed.
    """
    period = parse_period(args.period)
    ws = ctx.open_workspace()
    summary = needs_summary(ws, period)
    language = ui_language()
    exported = needs_table(summary, ws.ref, language)
    local = needs_table(summary, ws.ref, language, exported=False)
    head = _("{period}: {start} to {end}").format(
        period=period_label(period, language),
        start=format_date(period.start),
        end=format_date(period.end),
    )
    lines = [head]
    if local.rows:
        lines += table(
            [_("Group"), _("Rank"), _("Need"), _("Respondents"), _("Records"), _("Score")],
            [
                (
                    r["group_label"],
                    r["rank"],
                    r["need_label"],
                    r["respondents"],
                    r["records"],
                    r["score"],
                )
                for r in local.rows
            ],
        )
    else:
        lines.append(_("No needs recorded in this period."))
    data = {
        "period": period.key,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "needs": [dict(r) for r in exported.rows],
    }
    ctx.emit(data, lines)
    return 0
