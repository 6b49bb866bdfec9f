"""``kisi person``: add, list, show, and the GDPR rights export (Art. 15) and erase (Art. 17)."""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from kisi_desktop.core.domain import (
    Case,
    Consent,
    Contact,
    FollowUp,
    Note,
    OutcomeEvent,
    Person,
    Referral,
)
from kisi_desktop.core.domain.record import field_specs, short
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.field_labels import field_label
from kisi_desktop.core.files import write_private
from kisi_desktop.core.i18n import N_, _, format_date
from kisi_desktop.core.namesakes import namesakes
from kisi_desktop.core.record_text import code_label, field_text
from kisi_desktop.core.text_sort import sort_text

from kisi_desktop.cli.args import (
    add_actions,
    add_json,
    build,
    codes,
    find,
    free_text,
    maybe_day,
    save,
)
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.erasure import erase_after_asking
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table
from kisi_desktop.cli.people_list import register_import

OPTIONS = {
    "name": "--name",
    "nationalities": "--nationality",
    "gender": "--gender",
    "birth_year": "--birth-year",
    "birth_date": "--birth-date",
    "residence_status": "--status",
    "arrival_date": "--arrived",
    "languages": "--language",
    "phone": "--phone",
    "email": "--email",
    "stateless": "--stateless",
}
OWNED = (
    ("contacts", Contact, N_("Contacts")),
    ("notes", Note, N_("Notes")),
    ("followups", FollowUp, N_("Follow-ups")),
    ("cases", Case, N_("Cases")),
    ("consents", Consent, N_("Consents")),
    ("referrals", Referral, N_("Referrals")),
    ("outcomes", OutcomeEvent, N_("Outcomes")),
)


def register(sub: Any) -> None:
    """Add ``person`` with its actions."""
    p = sub.add_parser("person", help=command_help("person"))
    actions = add_actions(p)

    a = actions.add_parser("add", help=_("add a person; prints the new id"))
    a.add_argument(
        "--name", required=True, help=_("full name, in any script (- reads it from standard input)")
    )
    a.add_argument(
        "--nationality",
        action="append",
        metavar="ISO",
        help=_("ISO 3166 country code, e.g. AF (repeatable)"),
    )
    a.add_argument("--stateless", action="store_true", help=_("the person has no nationality"))
    a.add_argument(
        "--namesake",
        action="store_true",
        help=_("add even though a person of that name and birth is in the vault already"),
    )
    a.add_argument(
        "--gender", default="unspecified", help=_("female, male, diverse or unspecified")
    )
    a.add_argument("--birth-year", type=int, metavar="YYYY", help=_("year of birth"))
    a.add_argument("--birth-date", metavar="YYYY-MM-DD", help=_("date of birth"))
    a.add_argument("--estimated", action="store_true", help=_("the birth is an estimate"))
    a.add_argument("--status", default="unknown", help=_("residence status code"))
    a.add_argument("--arrived", metavar="YYYY-MM-DD", help=_("date of arrival in Germany"))
    a.add_argument(
        "--language",
        action="append",
        metavar="CODE",
        help=_("language spoken, ISO 639 (repeatable)"),
    )
    a.add_argument("--phone", default="", help=_("phone number (- reads it from standard input)"))
    a.add_argument("--email", default="", help=_("e-mail address (- reads it from standard input)"))
    add_json(a)
    a.set_defaults(handler=add_person)

    ls = actions.add_parser("list", help=_("list people"))
    add_json(ls)
    ls.set_defaults(handler=list_people)

    s = actions.add_parser("show", help=_("show a person and their records"))
    s.add_argument("id", help=_("the person's id (or its first characters)"))
    add_json(s)
    s.set_defaults(handler=show_person)

    e = actions.add_parser("export", help=_("everything held on a person, as JSON (GDPR Art. 15)"))
    e.add_argument("id", help=_("the person's id (or its first characters)"))
    e.add_argument("--out", metavar="FILE", help=_("write to FILE (readable by you only)"))
    add_json(e)
    e.set_defaults(handler=export_person)

    r = actions.add_parser("erase", help=_("erase a person and their records (GDPR Art. 17)"))
    r.add_argument("id", help=_("the person's id (or its first characters)"))
    r.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    add_json(r)
    r.set_defaults(handler=erase_person)

    register_import(actions)


def add_person(ctx: Context, args: argparse.Namespace) -> int:
    """Add a person and print the new id."""
    piped = [option for option in ("name", "phone", "email") if getattr(args, option) == "-"]
    if len(piped) > 1:
        raise UserError(
            _("Only one of --name, --phone and --email can be read from standard input.")
        )
    for option in piped:  # kept out of the process list, which every account can read
        setattr(args, option, free_text("-"))
    ws = ctx.open_workspace()
    person = build(
        Person,
        OPTIONS,
        name=args.name.strip(),
        nationalities=codes(args.nationality, upper=True),
        stateless=args.stateless,
        gender=args.gender.strip().lower(),
        birth_year=args.birth_year,
        birth_date=maybe_day(args.birth_date, "--birth-date"),
        birth_estimated=args.estimated,
        residence_status=args.status.strip().lower(),
        arrival_date=maybe_day(args.arrived, "--arrived"),
        languages=codes(args.language),
        phone=args.phone.strip(),
        email=args.email.strip(),
    )
    if not args.namesake and (twins := namesakes(ws, person)):
        # By id only: the line goes to a terminal, maybe to a script's log, and the name
        # and birth are the guide's own input anyway; `person show` has the rest.
        raise UserError(
            _(
                "This person may be in the vault already: {ids} (see: kisi person show "
                "{id}). Someone else with the same name? Then add them with --namesake."
            ).format(ids=", ".join(twin.id[:8] for twin in twins), id=twins[0].id[:8])
        )
    save(ws, [person], "add", OPTIONS)
    ctx.emit({"id": person.id, "name": person.name}, person.id)
    return 0


def birth(person: Person) -> str:
    """Year or date of birth for display, ``~`` marking an estimate."""
    value = format_date(person.birth_date) if person.birth_date else person.birth_year
    if value is None:
        return "-"
    return f"~{value}" if person.birth_estimated else str(value)


def list_people(ctx: Context, args: argparse.Namespace) -> int:
    """Every person, sorted by name."""
    ws = ctx.open_workspace()
    people = sorted(ws.list(Person), key=lambda p: (sort_text(p.name), p.id))
    rows = [
        (
            p.id,
            p.name,
            birth(p),
            code_label(ws.ref, "genders", p.gender),
            ", ".join(p.nationalities) or ("–" if not p.stateless else _("stateless")),
            code_label(ws.ref, "residence_statuses", p.residence_status),
        )
        for p in people
    ]
    headers = (_("ID"), _("Name"), _("Born"), _("Gender"), _("Nationality"), _("Status"))
    text = table(headers, rows) if rows else [_("No people yet.")]
    ctx.emit([p.to_payload() for p in people], text)
    return 0


def show_person(ctx: Context, args: argparse.Namespace) -> int:
    """A person's details and the records held about them."""
    ws = ctx.open_workspace()
    person = find(ws, Person, args.id)
    held = {name: ws.list(cls, owner=person.id) for name, cls, _title in OWNED}
    titles = {name: title for name, _cls, title in OWNED}
    data: dict[str, Any] = {"person": person.to_payload()}
    data.update({name: [r.to_payload() for r in records] for name, records in held.items()})
    lines = _details(ws.ref, person)
    for name, records in held.items():
        if records:
            lines.append("")
            lines.append(f"{_(titles[name])} ({len(records)}):")
            lines.extend(f"  {r.id}  {held_line(ws.ref, r)}" for r in records)
    ctx.emit(data, lines)
    return 0


def _details(ref: ReferenceData, person: Person) -> list[str]:
    """The person's fields, named as in the People form and worded in the UI language
    (codes by their labels, dates as the language writes them); a "no" is left out."""
    payload = person.to_payload()
    lines = []
    for field, spec in field_specs(Person):
        value = payload.get(field.name)
        if value is False:
            continue
        if field.name == "earlier":  # as the person's page words it
            lines += [
                _("Earlier status")
                + ": "
                + _("{status} until {day}").format(
                    status=code_label(ref, "residence_statuses", e.residence_status),
                    day=format_date(e.ended_on - timedelta(days=1)),
                )
                for e in reversed(person.earlier)
            ]
        elif text := field_text(ref, spec, value):
            lines.append(f"{field_label(Person.KIND, field.name)}: {text}")
    return lines


def held_line(ref: ReferenceData, record: Any) -> str:
    """One record held about a person, in words: its day, then what it is."""
    if isinstance(record, Contact):
        return f"{format_date(record.contacted_on)} ({record.duration_minutes} min)"
    if isinstance(record, Note):
        return f"{format_date(record.written_on)} {record.label()}"
    if isinstance(record, FollowUp):
        return f"{format_date(record.due_on)} {short(record.text, 48)}"
    if isinstance(record, Case):
        status = code_label(ref, "case_statuses", record.status)
        return f"{format_date(record.opened_on)} {status}"
    if isinstance(record, Consent):
        purpose = code_label(ref, "consent_purposes", record.purpose)
        return f"{format_date(record.given_on)} {purpose} ({record.form_version})"
    if isinstance(record, Referral):
        target = code_label(ref, "referral_targets", record.target)
        status = code_label(ref, "referral_statuses", record.status)
        return f"{format_date(record.referred_on)} {target} – {status}"
    if isinstance(record, OutcomeEvent):
        return f"{format_date(record.occurred_on)} {code_label(ref, 'outcome_kinds', record.kind)}"
    return str(record.label())


def export_person(ctx: Context, args: argparse.Namespace) -> int:
    """Write everything held on one person as JSON, to stdout or a private file."""
    ws = ctx.open_workspace()
    person = find(ws, Person, args.id)
    text = json.dumps(ws.export_person(person.id), ensure_ascii=False, indent=2, default=str)
    if args.out is None:
        ctx.stdout.write(text + "\n")
        return 0
    path = Path(args.out).expanduser()
    write_private(path, text + "\n")
    ctx.emit(
        {"person_id": person.id, "file": str(path)},
        _("Wrote the export of {id} to {path}.").format(id=person.id, path=path),
    )
    return 0


def erase_person(ctx: Context, args: argparse.Namespace) -> int:
    """Erase a person after confirmation (or with --yes)."""
    ws = ctx.open_workspace()
    person = find(ws, Person, args.id)
    prompt = _(
        "Erase {name} ({id}) and every record about them? This cannot be undone. "
        "Type “yes” to confirm: "
    ).format(name=person.name, id=person.id)
    return erase_after_asking(ctx, args, prompt, "person_id", lambda: ws.erase_person(person.id))
