"""``kisi volunteer`` and ``kisi deployment``: volunteers and the hours they give."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from kisi_desktop.core.domain import Volunteer, VolunteerDeployment
from kisi_desktop.core.i18n import _, format_money
from kisi_desktop.core.record_text import code_label, code_labels
from kisi_desktop.core.text_sort import sort_text

from kisi_desktop.cli.args import (
    add_actions,
    add_json,
    amount,
    build,
    codes,
    day,
    find,
    free_text,
    maybe_day,
    save,
)
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.erasure import confirmed, erase_after_asking, warn_if_still_in_file
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table

VOLUNTEER_OPTIONS = {
    "name": "--name",
    "payment_regime": "--regime",
    "languages": "--language",
    "started_on": "--since",
    "phone": "--phone",
    "email": "--email",
}
DEPLOYMENT_OPTIONS = {
    "volunteer_id": "--volunteer",
    "deployed_on": "--date",
    "hours": "--hours",
    "kind": "--kind",
    "km": "--km",
    "expenses": "--expenses",
    "allowance_paid": "--allowance",
    "paid_on": "--paid-on",
    "note": "--note",
}


def register(sub: Any) -> None:
    """Add ``volunteer`` and ``deployment``."""
    p = sub.add_parser("volunteer", help=command_help("volunteer"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("add a volunteer; prints the new id"))
    a.add_argument("--name", required=True, help=_("full name"))
    a.add_argument(
        "--regime",
        default="none",
        help=_("payment regime: ehrenamtspauschale, uebungsleiter, expenses_only, none"),
    )
    a.add_argument(
        "--language",
        action="append",
        metavar="CODE",
        help=_("language spoken, ISO 639 (repeatable)"),
    )
    a.add_argument("--since", metavar="YYYY-MM-DD", help=_("first day as a volunteer"))
    a.add_argument("--phone", default="", help=_("phone number"))
    a.add_argument("--email", default="", help=_("e-mail address"))
    add_json(a)
    a.set_defaults(handler=add_volunteer)
    ls = actions.add_parser("list", help=_("list volunteers with their hours"))
    add_json(ls)
    ls.set_defaults(handler=list_volunteers)
    r = actions.add_parser("erase", help=_("erase a volunteer without deployments (GDPR Art. 17)"))
    r.add_argument("id", help=_("the volunteer's id (or its first characters)"))
    r.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    r.add_argument(
        "--contact-only",
        action="store_true",
        help=_("remove phone, e-mail and address only (for a volunteer with deployments)"),
    )
    add_json(r)
    r.set_defaults(handler=erase_volunteer)

    p = sub.add_parser("deployment", help=command_help("deployment"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("record a deployment; prints the new id"))
    a.add_argument("--volunteer", required=True, help=_("the volunteer's id"))
    a.add_argument("--date", required=True, metavar="YYYY-MM-DD", help=_("day"))
    a.add_argument("--hours", required=True, help=_("hours, e.g. 2.5"))
    a.add_argument(
        "--kind",
        default="accompaniment",
        help=_("deployment kind code, e.g. interpreting, language_cafe"),
    )
    a.add_argument("--km", default="0", help=_("kilometres travelled"))
    a.add_argument("--expenses", default="0", help=_("expenses in EUR"))
    a.add_argument("--allowance", default="0", help=_("allowance paid in EUR"))
    a.add_argument(
        "--paid-on",
        metavar="YYYY-MM-DD",
        help=_("the day the allowance was paid out, if later (the cap counts by that year)"),
    )
    a.add_argument("--note", default="", help=_("note (- reads it from standard input)"))
    add_json(a)
    a.set_defaults(handler=add_deployment)
    ls = actions.add_parser("list", help=_("list deployments, newest first"))
    ls.add_argument("--volunteer", help=_("only this volunteer's"))
    add_json(ls)
    ls.set_defaults(handler=list_deployments)


def add_volunteer(ctx: Context, args: argparse.Namespace) -> int:
    """Add a volunteer."""
    ws = ctx.open_workspace()
    volunteer = build(
        Volunteer,
        VOLUNTEER_OPTIONS,
        name=args.name.strip(),
        payment_regime=args.regime.strip().lower(),
        languages=codes(args.language),
        started_on=maybe_day(args.since, "--since"),
        phone=args.phone.strip(),
        email=args.email.strip(),
    )
    save(ws, [volunteer], "add", VOLUNTEER_OPTIONS)
    ctx.emit({"id": volunteer.id, "name": volunteer.name}, volunteer.id)
    return 0


def list_volunteers(ctx: Context, args: argparse.Namespace) -> int:
    """Volunteers by name with their total hours."""
    ws = ctx.open_workspace()
    hours: dict[str, Decimal] = {}
    for d in ws.list(VolunteerDeployment):
        hours[d.volunteer_id] = hours.get(d.volunteer_id, Decimal(0)) + d.hours
    people = sorted(ws.list(Volunteer), key=lambda v: (sort_text(v.name), v.id))
    rows = [
        (
            v.id,
            v.name,
            code_label(ws.ref, "payment_regimes", v.payment_regime),
            code_labels(ws.ref, "languages", v.languages),
            _("yes") if v.active else _("no"),
            hours.get(v.id, Decimal(0)),
        )
        for v in people
    ]
    headers = (_("ID"), _("Name"), _("Regime"), _("Languages"), _("Active"), _("Hours"))
    data = [dict(v.to_payload(), hours=str(hours.get(v.id, Decimal(0)))) for v in people]
    ctx.emit(data, table(headers, rows) if rows else [_("No volunteers yet.")])
    return 0


def erase_volunteer(ctx: Context, args: argparse.Namespace) -> int:
    """Erase a volunteer after confirmation (or with --yes); refused while deployments exist."""
    ws = ctx.open_workspace()
    volunteer = find(ws, Volunteer, args.id)
    if args.contact_only:
        prompt = _(
            "Remove the contact details of {name} ({id})? This cannot be undone. "
            "Type “yes” to confirm: "
        ).format(name=volunteer.name, id=volunteer.id)
        if not confirmed(args, prompt):
            ctx.warn(_("Nothing was erased."))
            return 1
        ws.remove_volunteer_contact(volunteer.id)
        ctx.emit(
            {"volunteer_id": volunteer.id, "contact_removed": True},
            _("The contact details of {name} were removed.").format(name=volunteer.name),
        )
        warn_if_still_in_file(ctx)
        return 0
    prompt = _(
        "Erase the volunteer {name} ({id})? This cannot be undone. Type “yes” to confirm: "
    ).format(name=volunteer.name, id=volunteer.id)
    return erase_after_asking(
        ctx, args, prompt, "volunteer_id", lambda: ws.erase_volunteer(volunteer.id)
    )


def add_deployment(ctx: Context, args: argparse.Namespace) -> int:
    """Record hours a volunteer gave."""
    ws = ctx.open_workspace()
    volunteer = find(ws, Volunteer, args.volunteer)
    deployment = build(
        VolunteerDeployment,
        DEPLOYMENT_OPTIONS,
        volunteer_id=volunteer.id,
        deployed_on=day(args.date, "--date"),
        hours=amount(args.hours, "--hours"),
        kind=args.kind.strip().lower(),
        km=amount(args.km, "--km"),
        expenses=amount(args.expenses, "--expenses"),
        allowance_paid=amount(args.allowance, "--allowance"),
        paid_on=day(args.paid_on, "--paid-on") if args.paid_on else None,
        note=free_text(args.note),
    )
    save(ws, [deployment], "add", DEPLOYMENT_OPTIONS)
    ctx.emit({"id": deployment.id}, deployment.id)
    return 0


def list_deployments(ctx: Context, args: argparse.Namespace) -> int:
    """Deployments, newest first."""
    ws = ctx.open_workspace()
    only = find(ws, Volunteer, args.volunteer).id if args.volunteer else None
    names = {v.id: v.name for v in ws.list(Volunteer)}
    items = sorted(
        (d for d in ws.list(VolunteerDeployment) if only in (None, d.volunteer_id)),
        key=lambda d: (d.deployed_on, d.id),
        reverse=True,
    )
    rows = [
        (
            d.id,
            d.deployed_on,
            names.get(d.volunteer_id, "?"),
            d.hours,
            code_label(ws.ref, "deployment_kinds", d.kind),
            format_money(d.allowance_paid),
        )
        for d in items
    ]
    headers = (_("ID"), _("Date"), _("Volunteer"), _("Hours"), _("Kind"), _("Allowance"))
    ctx.emit(
        [d.to_payload() for d in items],
        table(headers, rows) if rows else [_("No deployments yet.")],
    )
    return 0
