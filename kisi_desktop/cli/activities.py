"""``kisi activity``: group work, events with attendance, network and administration work."""

from __future__ import annotations

import argparse
from typing import Any

from kisi_desktop.core.domain import Activity, Municipality, Partner, Person
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, format_number
from kisi_desktop.core.record_text import code_label
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.cli.args import (
    add_actions,
    add_json,
    build,
    codes,
    day,
    find,
    free_text,
    maybe_day,
    save,
)
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table

OPTIONS = {
    "activity_type": "--type",
    "title": "--title",
    "starts_on": "--date",
    "ends_on": "--end",
    "municipality_ags": "--ags",
    "target_groups": "--target-group",
    "counts_by_target_group": "--tcn/--local/--administration/--volunteers",
    "counts_by_gender": "--female/--male/--diverse",
    "participant_ids": "--participant",
    "attendance_total": "--attendance",
    "note": "--note",
}
TARGET_GROUP_COUNTS = ("tcn", "local", "administration", "volunteers")
GENDER_COUNTS = ("female", "male", "diverse")


def register(sub: Any) -> None:
    """Add ``activity``."""
    p = sub.add_parser("activity", help=command_help("activity"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("record an activity or event; prints the new id"))
    a.add_argument("--type", required=True, help=_("activity type code, e.g. information_event"))
    a.add_argument("--title", required=True, help=_("title"))
    a.add_argument("--date", required=True, metavar="YYYY-MM-DD", help=_("first day"))
    a.add_argument("--end", metavar="YYYY-MM-DD", help=_("last day, if more than one"))
    a.add_argument("--ags", help=_("municipality key (default: the municipality profile)"))
    a.add_argument(
        "--target-group", action="append", metavar="CODE", help=_("target group code (repeatable)")
    )
    for group in TARGET_GROUP_COUNTS:
        a.add_argument(
            f"--{group}", type=int, metavar="N", help=_("anonymous headcount of this target group")
        )
    for gender in GENDER_COUNTS:
        a.add_argument(f"--{gender}", type=int, metavar="N", help=_("headcount by gender"))
    a.add_argument("--event", action="store_true", help=_("an event with attendance"))
    a.add_argument("--attendance", type=int, metavar="N", help=_("total attendance (an event)"))
    a.add_argument(
        "--participant",
        action="append",
        metavar="ID",
        help=_("a named participant's id (repeatable)"),
    )
    a.add_argument(
        "--partner",
        action="append",
        metavar="ID",
        help=_("a partner organisation's id (repeatable)"),
    )
    a.add_argument("--note", default="", help=_("note (- reads it from standard input)"))
    add_json(a)
    a.set_defaults(handler=add_activity)

    ls = actions.add_parser("list", help=_("list activities, newest first"))
    ls.add_argument("--events", action="store_true", help=_("only events"))
    add_json(ls)
    ls.set_defaults(handler=list_activities)


def profile_ags(ws: Workspace) -> str:
    """The AGS of the municipality profile; a user error when none is set."""
    profiles = ws.list(Municipality)
    if not profiles:
        raise UserError(
            _("No municipality profile yet: give --ags or run `kisi municipality set`.")
        )
    return sorted(profiles, key=lambda m: m.ags)[0].ags


def add_activity(ctx: Context, args: argparse.Namespace) -> int:
    """Record an activity."""
    ws = ctx.open_workspace()
    by_group = {g: getattr(args, g) for g in TARGET_GROUP_COUNTS if getattr(args, g) is not None}
    by_gender = {g: getattr(args, g) for g in GENDER_COUNTS if getattr(args, g) is not None}
    groups = codes(args.target_group) or tuple(g for g, n in by_group.items() if n)
    activity = build(
        Activity,
        OPTIONS,
        activity_type=args.type.strip().lower(),
        title=args.title.strip(),
        starts_on=day(args.date, "--date"),
        ends_on=maybe_day(args.end, "--end"),
        municipality_ags=args.ags.strip() if args.ags else profile_ags(ws),
        target_groups=groups,
        participant_ids=tuple(find(ws, Person, pid).id for pid in args.participant or ()),
        partner_ids=tuple(find(ws, Partner, pid).id for pid in args.partner or ()),
        counts_by_target_group=by_group,
        counts_by_gender=by_gender,
        is_event=args.event or args.attendance is not None,
        attendance_total=args.attendance,
        note=free_text(args.note),
    )
    save(ws, [activity], "add", OPTIONS)
    ctx.emit({"id": activity.id}, activity.id)
    return 0


def list_activities(ctx: Context, args: argparse.Namespace) -> int:
    """Activities (or only events), newest first."""
    ws = ctx.open_workspace()
    items = sorted(
        (a for a in ws.list(Activity) if a.is_event or not args.events),
        key=lambda a: (a.starts_on, a.id),
        reverse=True,
    )
    rows = [
        (
            a.id,
            a.starts_on,
            code_label(ws.ref, "activity_types", a.activity_type),
            a.title,
            format_number(a.attendance_total)
            if a.is_event and a.attendance_total is not None
            else "-",
            len(a.participant_ids),
        )
        for a in items
    ]
    headers = (_("ID"), _("Date"), _("Type"), _("Title"), _("Attendance"), _("Named"))
    ctx.emit(
        [a.to_payload() for a in items], table(headers, rows) if rows else [_("No activities yet.")]
    )
    return 0
