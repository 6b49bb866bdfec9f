"""``kisi team`` and ``kisi timesheet``: the team members and the hours they worked on KISI.

The window's Team and Time sheets pages on the command line. A team member is named by
id (or its first characters) or by their full name when nobody else in the team has it; a
time sheet by its id. A staff line planned as an hourly rate counts each sheet at its
member's annual gross cost / 1,720, so a second sheet for one member and month, a sheet
of nobody in the team, and removing a member who still has sheets are refused, by the same
checks as in the window (``core/team.py``).

Editing passes unknown fields of a record through unchanged (``dataclasses.replace``), so
a newer team-member record keeps what this command has no option for.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from kisi_desktop.core.clock import Clock
from kisi_desktop.core.domain import Guide, TimeSheet
from kisi_desktop.core.domain.fields import Month
from kisi_desktop.core.errors import RecordNotFound, UserError, ValidationError
from kisi_desktop.core.i18n import _, format_number
from kisi_desktop.core.team import check_time_sheet, refuse_if_time_sheets, time_sheets_of
from kisi_desktop.core.text_sort import sort_text
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.cli.args import (
    add_actions,
    add_json,
    amount,
    build,
    codes,
    day,
    edit,
    find,
    free_text,
    maybe_day,
    renamed,
    save,
)
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.erasure import confirmed
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table

MEMBER_OPTIONS = {
    "name": "--name",
    "role": "--role",
    "fte": "--fte",
    "started_on": "--since",
    "ended_on": "--until",
    "municipality_ags": "--ags",
    "annual_gross_cost": "--gross-cost",
    "pay_since": "--pay-since",
    "phone": "--phone",
    "email": "--email",
}
SHEET_OPTIONS = {"guide_id": "--member", "month": "--month", "hours": "--hours", "note": "--note"}


def register(sub: Any) -> None:
    """Add ``team`` and ``timesheet``."""
    p = sub.add_parser("team", help=command_help("team"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("add a team member; prints the new id"))
    a.add_argument("--name", required=True, help=_("full name"))
    _member_arguments(a, new=True)
    add_json(a)
    a.set_defaults(handler=add_member)
    ls = actions.add_parser("list", help=_("list the team with their time sheets"))
    add_json(ls)
    ls.set_defaults(handler=list_members)
    e = actions.add_parser("edit", help=_("change a team member; only the options given"))
    e.add_argument("member", metavar="MEMBER", help=_("the member's id or full name"))
    e.add_argument("--name", help=_("full name"))
    _member_arguments(e, new=False)
    add_json(e)
    e.set_defaults(handler=edit_member)
    d = actions.add_parser(
        "delete", help=_("remove a team member without time sheets from the team")
    )
    d.add_argument("member", metavar="MEMBER", help=_("the member's id or full name"))
    d.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    add_json(d)
    d.set_defaults(handler=delete_member)

    p = sub.add_parser("timesheet", help=command_help("timesheet"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("record the hours of one month; prints the new id"))
    a.add_argument("--member", required=True, help=_("the team member's id or full name"))
    a.add_argument("--month", required=True, metavar="MM/YYYY", help=_("the month"))
    a.add_argument("--hours", required=True, help=_("hours worked on KISI, e.g. 120.5"))
    a.add_argument("--note", default="", help=_("note (- reads it from standard input)"))
    add_json(a)
    a.set_defaults(handler=add_sheet)
    ls = actions.add_parser("list", help=_("list time sheets, newest month first, with the total"))
    ls.add_argument("--member", help=_("only this team member's"))
    ls.add_argument("--month", metavar="MM/YYYY", help=_("only this month"))
    ls.add_argument("--year", type=int, help=_("only this calendar year"))
    add_json(ls)
    ls.set_defaults(handler=list_sheets)
    e = actions.add_parser("edit", help=_("change a time sheet; only the options given"))
    e.add_argument("id", help=_("the time sheet's id (or its first characters)"))
    e.add_argument("--member", help=_("the team member's id or full name"))
    e.add_argument("--month", metavar="MM/YYYY", help=_("the month"))
    e.add_argument("--hours", help=_("hours worked on KISI, e.g. 120.5"))
    e.add_argument("--note", help=_("note (- reads it from standard input)"))
    add_json(e)
    e.set_defaults(handler=edit_sheet)
    d = actions.add_parser("delete", help=_("delete a time sheet"))
    d.add_argument("id", help=_("the time sheet's id (or its first characters)"))
    d.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    add_json(d)
    d.set_defaults(handler=delete_sheet)


def _member_arguments(parser: argparse.ArgumentParser, *, new: bool) -> None:
    """The options of a team member's fields but the name; an edit changes only those
    given, and an empty value clears an optional field."""
    clears = "" if new else " " + _('("" clears it)')
    parser.add_argument("--role", help=_("role, e.g. Integrationsguide"))
    parser.add_argument(
        "--fte",
        help=_("full-time share, e.g. 0.5 for half time")
        + (" " + _("(default: 1)") if new else ""),
    )
    parser.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help=_("first day in the team") + (" " + _("(default: today)") if new else ""),
    )
    parser.add_argument("--until", metavar="YYYY-MM-DD", help=_("last day in the team") + clears)
    parser.add_argument(
        "--ags",
        action="append",
        metavar="AGS",
        help=_("key (AGS) of a municipality served (repeatable)")
        + ("" if new else " " + _('(replaces the list; "" empties it)')),
    )
    parser.add_argument(
        "--gross-cost",
        metavar="EUR",
        help=_("annual gross employment cost in EUR (prices the hours in the budget)") + clears,
    )
    parser.add_argument(
        "--pay-since",
        metavar="YYYY-MM-DD",
        help=_(
            "the day the gross cost and full-time share hold from: with a later day than "
            "before, a change keeps the earlier pay for the months before"
        )
        + clears,
    )
    parser.add_argument("--phone", help=_("phone number"))
    parser.add_argument("--email", help=_("e-mail address"))


def _member_values(args: argparse.Namespace, clock: Clock) -> dict[str, Any]:
    """The fields whose options were given, parsed (``--since today`` by ``clock``)."""
    values: dict[str, Any] = {}
    for field in ("name", "role", "phone", "email"):
        raw = getattr(args, field)
        if raw is not None:
            values[field] = raw.strip()
    if args.fte is not None:
        values["fte"] = amount(args.fte, "--fte")
    if args.since is not None:
        values["started_on"] = day(args.since, "--since", clock)
    if args.until is not None:
        values["ended_on"] = maybe_day(args.until, "--until") if args.until.strip() else None
    if args.ags is not None:
        values["municipality_ags"] = codes(args.ags)
    if args.gross_cost is not None:
        cost = args.gross_cost
        values["annual_gross_cost"] = amount(cost, "--gross-cost") if cost.strip() else None
    if args.pay_since is not None:
        since = args.pay_since
        values["pay_since"] = maybe_day(since, "--pay-since") if since.strip() else None
    return values


def find_member(ws: Workspace, text: str) -> Guide:
    """The team member with id ``text`` (or its first characters) or with the full name
    ``text`` (case and spacing ignored); refused when it fits several."""
    found = {g.id: g for g in ws.list(Guide) if _same_name(g.name, text)}
    try:
        by_id = find(ws, Guide, text)
    except RecordNotFound:
        pass
    else:
        found[by_id.id] = by_id
    if len(found) == 1:
        return next(iter(found.values()))
    if not found:
        raise RecordNotFound(
            _("No team member {member}. `kisi team list` shows the team.").format(member=text)
        )
    ids = ", ".join(sorted(found))
    raise UserError(
        _("{member} fits {count} team members; give the id: {ids}").format(
            member=text, count=len(found), ids=ids
        )
    )


def _same_name(a: str, b: str) -> bool:
    """Whether two names are the same but for case and spacing."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def add_member(ctx: Context, args: argparse.Namespace) -> int:
    """Add a team member: full time from today unless said otherwise, as in the window."""
    ws = ctx.open_workspace()
    values = _member_values(args, ws.clock)
    values.setdefault("fte", Decimal(1))
    values.setdefault("started_on", day(None, "--since", ws.clock))
    member = build(Guide, MEMBER_OPTIONS, **values)
    namesakes = [g for g in ws.list(Guide) if _same_name(g.name, member.name)]
    save(ws, [member], "add", MEMBER_OPTIONS)
    if namesakes:
        # Allowed (two people may share a name), but from now on the name alone is no
        # longer enough to pick either of them.
        # By id, not by name: stderr may go to a log.
        ctx.warn(
            _(
                "The team has another member of this name ({ids}): name them by id from now on."
            ).format(ids=", ".join(g.id[:8] for g in namesakes))
        )
    ctx.emit({"id": member.id, "name": member.name}, member.id)
    return 0


def list_members(ctx: Context, args: argparse.Namespace) -> int:
    """The team by name, with how many time sheets and hours each has."""
    ws = ctx.open_workspace()
    sheets = ws.list(TimeSheet)
    members = sorted(ws.list(Guide), key=lambda g: (sort_text(g.name), g.id))
    counts = {g.id: time_sheets_of(g.id, sheets) for g in members}
    rows = [
        (
            g.id,
            g.name,
            g.role,
            g.fte,
            g.started_on,
            g.ended_on,
            g.municipality_ags,
            len(counts[g.id]),
            sum((s.hours for s in counts[g.id]), Decimal(0)),
        )
        for g in members
    ]
    headers = (
        _("ID"),
        _("Name"),
        _("Role"),
        _("Full-time share"),
        _("Since"),
        _("Until"),
        _("AGS"),
        _("Time sheets"),
        _("Hours"),
    )
    data = [
        dict(
            g.to_payload(),
            time_sheets=len(counts[g.id]),
            hours=str(sum((s.hours for s in counts[g.id]), Decimal(0))),
        )
        for g in members
    ]
    ctx.emit(data, table(headers, rows) if rows else [_("No team members yet.")])
    return 0


def edit_member(ctx: Context, args: argparse.Namespace) -> int:
    """Change the fields given; every other field, known to this command or not, stays."""
    ws = ctx.open_workspace()
    member = find_member(ws, args.member)
    values = _member_values(args, ws.clock)
    if not values:
        raise UserError(_("Nothing to change: give at least one option (see --help)."))
    changed = edit(member, MEMBER_OPTIONS, **values)
    try:
        # As in the window: a pay change from a later day keeps the earlier pay.
        stored = ws.update(changed)
    except ValidationError as error:
        raise renamed(error, MEMBER_OPTIONS) from None
    ctx.emit(stored.to_payload(), _("Saved: {title}").format(title=stored.name))
    return 0


def delete_member(ctx: Context, args: argparse.Namespace) -> int:
    """Remove a member after confirmation (or with --yes); refused, before asking, while
    time sheets of theirs count in the budget."""
    ws = ctx.open_workspace()
    member = find_member(ws, args.member)
    refuse_if_time_sheets(member, ws.list(TimeSheet))
    prompt = _(
        "Remove {name} ({id}) from the team? Handouts and reports no longer name them. "
        "Type “yes” to confirm: "
    ).format(name=member.name, id=member.id)
    return _delete_after_asking(ctx, args, ws, Guide.KIND, member.id, member.name, prompt)


def _typed_month(month: str) -> str:
    """``2026-03`` as it is typed: ``03/2026``."""
    year, number = month.split("-")
    return f"{number}/{year}"


def _month(raw: str, option: str) -> str:
    """A month typed as the window takes it (03/2026, März 2026, 2026-03; the time
    sheet's :class:`~kisi_desktop.core.domain.fields.Month`), as ``YYYY-MM``; refused in
    the window's words. The command line read only ``YYYY-MM`` and said so differently."""
    return Month().check(raw, option)


def _checked(ws: Workspace, sheet: TimeSheet) -> None:
    """Refuse a sheet the budget would count twice or not at all (``core/team.py``)."""
    try:
        check_time_sheet(sheet, ws.list(Guide), ws.list(TimeSheet))
    except ValidationError as error:
        raise renamed(error, SHEET_OPTIONS) from None


def add_sheet(ctx: Context, args: argparse.Namespace) -> int:
    """Record a member's hours on KISI in one month."""
    ws = ctx.open_workspace()
    member = find_member(ws, args.member)
    sheet = build(
        TimeSheet,
        SHEET_OPTIONS,
        guide_id=member.id,
        month=_month(args.month, "--month"),
        hours=amount(args.hours, "--hours"),
        note=free_text(args.note),
    )
    _checked(ws, sheet)
    save(ws, [sheet], "add", SHEET_OPTIONS)
    ctx.emit({"id": sheet.id}, sheet.id)
    return 0


def list_sheets(ctx: Context, args: argparse.Namespace) -> int:
    """Time sheets, newest month first, and their total hours."""
    ws = ctx.open_workspace()
    only = find_member(ws, args.member).id if args.member else None
    month = _month(args.month, "--month") if args.month else None
    year = None if args.year is None else f"{args.year:04d}-"
    names = {g.id: g.name for g in ws.list(Guide)}
    items = sorted(
        (
            s
            for s in ws.list(TimeSheet)
            if only in (None, s.guide_id)
            and month in (None, s.month)
            and (year is None or s.month.startswith(year))
        ),
        key=lambda s: (s.month, names.get(s.guide_id, "").casefold(), s.id),
        reverse=True,
    )
    # As the window's form takes and shows a month (03/2026); --json keeps the stored form.
    rows = [
        (s.id, _typed_month(s.month), names.get(s.guide_id, "?"), s.hours, s.note) for s in items
    ]
    headers = (_("ID"), _("Month"), _("Team member"), _("Hours"), _("Note"))
    lines = table(headers, rows) if rows else [_("No time sheets yet.")]
    if rows:
        total = sum((s.hours for s in items), Decimal(0))
        lines.append(_("Total: {hours} h").format(hours=format_number(total)))
    data = [dict(s.to_payload(), member_name=names.get(s.guide_id)) for s in items]
    ctx.emit(data, lines)
    return 0


def edit_sheet(ctx: Context, args: argparse.Namespace) -> int:
    """Change the fields given of one time sheet; checked again as a new one is."""
    ws = ctx.open_workspace()
    sheet = find(ws, TimeSheet, args.id)
    values: dict[str, Any] = {}
    if args.member is not None:
        values["guide_id"] = find_member(ws, args.member).id
    if args.month is not None:
        values["month"] = _month(args.month, "--month")
    if args.hours is not None:
        values["hours"] = amount(args.hours, "--hours")
    if args.note is not None:
        values["note"] = free_text(args.note)
    if not values:
        raise UserError(_("Nothing to change: give at least one option (see --help)."))
    changed = edit(sheet, SHEET_OPTIONS, **values)
    _checked(ws, changed)
    save(ws, [changed], "update", SHEET_OPTIONS)
    title = f"{changed.month} {format_number(changed.hours)} h"  # (as TimeSheet.label says it)
    ctx.emit(changed.to_payload(), _("Saved: {title}").format(title=title))
    return 0


def delete_sheet(ctx: Context, args: argparse.Namespace) -> int:
    """Delete a time sheet after confirmation (or with --yes)."""
    ws = ctx.open_workspace()
    sheet = find(ws, TimeSheet, args.id)
    names = {g.id: g.name for g in ws.list(Guide)}
    label = f"{sheet.month} {names.get(sheet.guide_id, '?')} ({format_number(sheet.hours)} h)"
    prompt = _("Delete the time sheet {label}? Type “yes” to confirm: ").format(label=label)
    return _delete_after_asking(ctx, args, ws, TimeSheet.KIND, sheet.id, label, prompt)


def _delete_after_asking(
    ctx: Context,
    args: argparse.Namespace,
    ws: Workspace,
    kind: str,
    rid: str,
    label: str,
    prompt: str,
) -> int:
    """Ask with ``prompt`` (or take --yes), delete, say what went; exit 1 on a no."""
    refused = _("Not deleted: confirm with --yes when not running in a terminal.")
    if not confirmed(args, prompt, refused=refused):
        ctx.warn(_("Nothing was deleted."))
        return 1
    ws.delete(kind, rid)
    ctx.emit({"id": rid, "deleted": True}, _("Deleted: {title}").format(title=label))
    return 0
