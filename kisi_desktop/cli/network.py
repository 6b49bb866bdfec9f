"""``kisi partner`` and ``kisi municipality``: the network and the municipality profile."""

from __future__ import annotations

import argparse
from typing import Any

from kisi_desktop.core.domain import Municipality, Partner
from kisi_desktop.core.domain.record import field_specs
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.field_labels import field_label
from kisi_desktop.core.i18n import _
from kisi_desktop.core.record_text import code_label, code_labels, field_text
from kisi_desktop.core.text_sort import sort_text

from kisi_desktop.cli.args import add_actions, add_json, build, codes, edit, save
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.erasure import confirmed
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table

PARTNER_OPTIONS = {
    "name": "--name",
    "partner_type": "--type",
    "services": "--service",
    "languages": "--language",
    "contact_person": "--contact-person",
    "address": "--address",
    "phone": "--phone",
    "email": "--email",
    "website": "--website",
    "handout_role": "--handout-role",
}
MUNICIPALITY_OPTIONS = {
    "ags": "--ags",
    "name": "--name",
    "district": "--district",
    "population": "--population",
    "office_address": "--address",
    "office_hours": "--hours",
    "phone": "--phone",
    "email": "--email",
    "website": "--website",
    "contract_ref": "--contract",
}
_MUNICIPALITY_TEXT = (
    "district",
    "office_address",
    "office_hours",
    "phone",
    "email",
    "website",
    "contract_ref",
)


def register(sub: Any) -> None:
    """Add ``partner`` and ``municipality``."""
    p = sub.add_parser("partner", help=command_help("partner"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("add a partner organisation; prints the new id"))
    a.add_argument("--name", required=True, help=_("name"))
    a.add_argument("--type", default="other", help=_("partner type code"))
    a.add_argument(
        "--service", action="append", metavar="TOPIC", help=_("topic code it covers (repeatable)")
    )
    a.add_argument(
        "--language", action="append", metavar="CODE", help=_("language offered (repeatable)")
    )
    for option, text in (
        ("contact-person", _("the person to ask for there")),
        ("address", _("postal address")),
        ("phone", _("phone number")),
        ("email", _("email address")),
        ("website", _("website, e.g. https://www.example.de")),
    ):
        a.add_argument(f"--{option}", default="", help=text)
    a.add_argument(
        "--handout-role",
        metavar="ROLE",
        help=_("the {{local.ROLE}} it fills in handouts, e.g. jobcenter, mbe (`kisi codes`)"),
    )
    add_json(a)
    a.set_defaults(handler=add_partner)
    ls = actions.add_parser("list", help=_("list partner organisations"))
    add_json(ls)
    ls.set_defaults(handler=list_partners)

    p = sub.add_parser("municipality", help=command_help("municipality"))
    actions = add_actions(p)
    s = actions.add_parser("set", help=_("create or change the profile of a municipality"))
    s.add_argument("--ags", required=True, help=_("official municipality key (8 digits)"))
    s.add_argument("--name", help=_("name (required for a new profile)"))
    s.add_argument("--population", type=int, help=_("inhabitants"))
    for option, text in (
        ("district", _("district (Landkreis)")),
        ("address", _("address of the guides' office")),
        ("hours", _("office hours, e.g. Tue 9-12")),
        ("phone", _("phone number")),
        ("email", _("email address")),
        ("website", _("website, e.g. https://www.example.de")),
        ("contract", _("reference of the KISI contract")),
    ):
        s.add_argument(f"--{option}", help=text)
    add_json(s)
    s.set_defaults(handler=set_municipality)
    ls = actions.add_parser("show", help=_("show the municipality profiles"))
    add_json(ls)
    ls.set_defaults(handler=show_municipalities)
    r = actions.add_parser(
        "remove",
        help=_("remove a municipality profile that no record names (one typed with a wrong key)"),
    )
    r.add_argument("--ags", required=True, help=_("official municipality key (8 digits)"))
    r.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    add_json(r)
    r.set_defaults(handler=remove_municipality)


def add_partner(ctx: Context, args: argparse.Namespace) -> int:
    """Add a partner organisation."""
    ws = ctx.open_workspace()
    partner = build(
        Partner,
        PARTNER_OPTIONS,
        name=args.name.strip(),
        partner_type=args.type.strip().lower(),
        services=codes(args.service),
        languages=codes(args.language),
        contact_person=args.contact_person.strip(),
        address=args.address.strip(),
        phone=args.phone.strip(),
        email=args.email.strip(),
        website=args.website.strip(),
        handout_role=args.handout_role.strip().lower() if args.handout_role else None,
    )
    save(ws, [partner], "add", PARTNER_OPTIONS)
    ctx.emit({"id": partner.id, "name": partner.name}, partner.id)
    return 0


def list_partners(ctx: Context, args: argparse.Namespace) -> int:
    """Partner organisations by name."""
    ws = ctx.open_workspace()
    items = sorted(ws.list(Partner), key=lambda p: (sort_text(p.name), p.id))
    rows = [
        (
            p.id,
            p.name,
            code_label(ws.ref, "partner_types", p.partner_type),
            code_labels(ws.ref, "topics", p.services),
            p.phone,
        )
        for p in items
    ]
    headers = (_("ID"), _("Name"), _("Type"), _("Services"), _("Phone"))
    ctx.emit(
        [p.to_payload() for p in items], table(headers, rows) if rows else [_("No partners yet.")]
    )
    return 0


def set_municipality(ctx: Context, args: argparse.Namespace) -> int:
    """Create the profile for --ags, or change the fields given."""
    ws = ctx.open_workspace()
    ags = args.ags.strip()
    existing = next((m for m in ws.list(Municipality) if m.ags == ags), None)
    given = {
        "district": args.district,
        "office_address": args.address,
        "office_hours": args.hours,
        "phone": args.phone,
        "email": args.email,
        "website": args.website,
        "contract_ref": args.contract,
    }
    changes: dict[str, Any] = {k: v.strip() for k, v in given.items() if v is not None}
    if args.name is not None:
        changes["name"] = args.name.strip()
    if args.population is not None:
        changes["population"] = args.population
    if existing is None:
        profile = build(
            Municipality, MUNICIPALITY_OPTIONS, ags=ags, name=changes.pop("name", ""), **changes
        )
    else:
        profile = edit(existing, MUNICIPALITY_OPTIONS, **changes)
    save(ws, [profile], "update" if existing else "add", MUNICIPALITY_OPTIONS)
    ctx.emit(
        profile.to_payload(),
        _("Saved the profile of {name} ({ags}).").format(name=profile.name, ags=profile.ags),
    )
    return 0


def show_municipalities(ctx: Context, args: argparse.Namespace) -> int:
    """The municipality profiles."""
    ws = ctx.open_workspace()
    items = sorted(ws.list(Municipality), key=lambda m: m.ags)
    lines: list[str] = []
    shown = (*_MUNICIPALITY_TEXT, "population")
    specs = [(field.name, spec) for field, spec in field_specs(Municipality) if field.name in shown]
    for m in items:
        lines.append(f"{m.name} ({m.ags})")
        payload = m.to_payload()
        lines.extend(
            f"  {field_label(Municipality.KIND, name)}: {text}"
            for name, spec in specs
            if (text := field_text(ws.ref, spec, payload.get(name)))
        )
    ctx.emit([m.to_payload() for m in items], lines or [_("No municipality profile yet.")])
    return 0


def remove_municipality(ctx: Context, args: argparse.Namespace) -> int:
    """Remove the profile of --ags, after asking; refused while records name its key."""
    ws = ctx.open_workspace()
    ags = args.ags.strip()
    profile = next((m for m in ws.list(Municipality) if m.ags == ags), None)
    if profile is None:
        raise UserError(_("No municipality profile has the key {ags}.").format(ags=ags))
    prompt = _("Remove the profile of {name} ({ags})? Type yes to remove it: ").format(
        name=profile.name, ags=profile.ags
    )
    refused = _("Not removed: confirm with --yes when not running in a terminal.")
    if not confirmed(args, prompt, refused=refused):
        ctx.warn(_("Nothing was removed."))
        return 1
    ws.delete(Municipality.KIND, profile.id)
    ctx.emit(
        {"removed": profile.id, "ags": profile.ags},
        _("Removed the profile of {name} ({ags}).").format(name=profile.name, ags=profile.ags),
    )
    return 0
