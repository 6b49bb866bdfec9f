"""``kisi trip``: business trips and what each one claims, mileage and Tagegeld.

``list`` shows per trip the mileage (HRKG § 6), the Tagegeld (§ 7, less meals provided)
and their sum, as the municipality's claim form asks for them; JSON carries them as
decimal strings beside the stored fields (null when the reference data has no rate for
the trip's day). Routes may name a client's street: local output only.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from kisi_desktop.core.domain import Trip
from kisi_desktop.core.domain.budget import trip_mileage, trip_per_diem
from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.i18n import _, format_date, format_km, format_money
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.cli.args import add_actions, add_json, amount, build, day, maybe_day, save
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table

OPTIONS = {
    "travelled_on": "--date",
    "returned_on": "--last-day",
    "purpose": "--purpose",
    "origin": "--from",
    "destination": "--to",
    "km": "--km",
    "vehicle_type": "--vehicle",
    "valid_reasons": "--valid-reasons",
    "passengers": "--passengers",
    "hours_away": "--hours",
    "local_field_work": "--local-field-work",
    "breakfasts_provided": "--breakfasts",
    "lunches_provided": "--lunches",
    "dinners_provided": "--dinners",
    "claim_submitted_on": "--claimed",
}


def register(sub: Any) -> None:
    """Add ``trip``."""
    p = sub.add_parser("trip", help=command_help("trip"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("record a business trip; prints the new id"))
    a.add_argument("--date", required=True, metavar="YYYY-MM-DD", help=_("day of the trip"))
    a.add_argument(
        "--last-day",
        metavar="YYYY-MM-DD",
        help=_("last day of a trip over several days (with an overnight stay)"),
    )
    a.add_argument("--purpose", required=True, help=_("what the trip was for"))
    a.add_argument("--from", dest="origin", required=True, help=_("where the trip started"))
    a.add_argument("--to", dest="destination", required=True, help=_("where it went"))
    a.add_argument("--km", required=True, help=_("kilometres driven, e.g. 45.5"))
    a.add_argument("--vehicle", default="car", help=_("vehicle type code (default: car)"))
    a.add_argument(
        "--valid-reasons",
        action="store_true",
        help=_("the car was needed (triftige Gründe): the higher rate"),
    )
    a.add_argument(
        "--passengers", type=int, default=0, metavar="N", help=_("colleagues taken along")
    )
    a.add_argument(
        "--hours",
        help=_(
            "a trip without an overnight stay (also over midnight, with --last-day the next "
            "day): hours away; more than 8 earn Tagegeld, e.g. 9.5"
        ),
    )
    a.add_argument(
        "--local-field-work",
        action="store_true",
        help=_("in the town of office or home, as regular field work: half the Tagegeld"),
    )
    for option, text in (
        (
            "--breakfasts",
            _("breakfasts provided free (each takes 20 percent of a full day's rate)"),
        ),
        ("--lunches", _("lunches provided free (each takes 40 percent of a full day's rate)")),
        ("--dinners", _("dinners provided free (each takes 40 percent of a full day's rate)")),
    ):
        a.add_argument(option, type=int, default=0, metavar="N", help=text)
    a.add_argument("--claimed", metavar="YYYY-MM-DD", help=_("day the claim was submitted"))
    add_json(a)
    a.set_defaults(handler=add_trip)
    ls = actions.add_parser(
        "list", help=_("list trips, newest first, with mileage, Tagegeld and the totals")
    )
    ls.add_argument("--year", type=int, help=_("only trips that began in this calendar year"))
    add_json(ls)
    ls.set_defaults(handler=list_trips)


def add_trip(ctx: Context, args: argparse.Namespace) -> int:
    """Record a business trip."""
    ws = ctx.open_workspace()
    trip = build(
        Trip,
        OPTIONS,
        travelled_on=day(args.date, "--date"),
        returned_on=maybe_day(args.last_day, "--last-day"),
        purpose=args.purpose.strip(),
        origin=args.origin.strip(),
        destination=args.destination.strip(),
        km=amount(args.km, "--km"),
        vehicle_type=args.vehicle.strip().lower(),
        valid_reasons=args.valid_reasons,
        passengers=args.passengers,
        hours_away=amount(args.hours, "--hours") if args.hours is not None else None,
        local_field_work=args.local_field_work,
        breakfasts_provided=args.breakfasts,
        lunches_provided=args.lunches,
        dinners_provided=args.dinners,
        claim_submitted_on=maybe_day(args.claimed, "--claimed"),
    )
    save(ws, [trip], "add", OPTIONS)
    ctx.emit({"id": trip.id}, trip.id)
    return 0


def _claim(trip: Trip, ws: Workspace) -> tuple[Decimal, Decimal] | None:
    """Mileage and Tagegeld, or None without a rate for the trip's day."""
    try:
        return trip_mileage(trip, ws.ref), trip_per_diem(trip, ws.ref)
    except KisiError:
        return None


def list_trips(ctx: Context, args: argparse.Namespace) -> int:
    """Trips, newest first, with what each claims and the totals."""
    ws = ctx.open_workspace()
    items = sorted(
        (t for t in ws.list(Trip) if args.year in (None, t.travelled_on.year)),
        key=lambda t: (t.travelled_on, t.id),
        reverse=True,
    )
    claims = [_claim(t, ws) for t in items]
    data = []
    rows = []
    for trip, claim in zip(items, claims, strict=True):
        mileage, per_diem = claim if claim is not None else (None, None)
        total = None if claim is None else sum(claim, Decimal(0))
        data.append(
            {
                **trip.to_payload(),
                "mileage": None if mileage is None else str(mileage),
                "per_diem": None if per_diem is None else str(per_diem),
                "amount": None if total is None else str(total),
            }
        )
        dates = format_date(trip.travelled_on)
        if trip.days() > 1:
            dates += " – " + format_date(trip.last_day())
        money = [None if v is None else format_money(v) for v in (mileage, per_diem, total)]
        route = f"{trip.origin} – {trip.destination}"
        rows.append((trip.id, dates, route, format_km(trip.km), *money))
    headers = (_("ID"), _("Date"), _("Route"), _("km"), _("Mileage"), _("Per diem"), _("Total"))
    lines = table(headers, rows) if rows else [_("No trips yet.")]
    priced = [c for c in claims if c is not None]
    if priced:
        mileage_total = sum((c[0] for c in priced), Decimal(0))
        per_diem_total = sum((c[1] for c in priced), Decimal(0))
        lines.append(
            _("Total: {mileage} mileage + {per_diem} Tagegeld = {total}").format(
                mileage=format_money(mileage_total),
                per_diem=format_money(per_diem_total),
                total=format_money(mileage_total + per_diem_total),
            )
        )
    ctx.emit(data, lines)
    return 0
