"""Case work: ``kisi contact``, ``kisi note`` and ``kisi followup``."""

from __future__ import annotations

import argparse
from typing import Any

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Contact, FollowUp, Note, Person, Referral
from kisi_desktop.core.domain.record import short
from kisi_desktop.core.i18n import _, format_date
from kisi_desktop.core.record_text import code_labels

from kisi_desktop.cli.args import (
    add_actions,
    add_json,
    build,
    codes,
    day,
    edit,
    find,
    free_text,
    save,
)
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table

CONTACT_OPTIONS = {
    "person_id": "--person",
    "contacted_on": "--date",
    "duration_minutes": "--minutes",
    "mode": "--mode",
    "topics": "--topic",
    "actions": "--service",
    "note": "--note",
    "interpreter_type": "--interpreter",
    "interpreter_language": "--interpreter-language",
    "family_members": "--family-members",
    "target": "--refer",
}
NOTE_OPTIONS = {"person_id": "--person", "written_on": "--date", "text": "--text"}
FOLLOWUP_OPTIONS = {"person_id": "--person", "due_on": "--due", "text": "--text"}


def register(sub: Any) -> None:
    """Add ``contact``, ``note`` and ``followup``."""
    p = sub.add_parser("contact", help=command_help("contact"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("record a counselling contact; prints the new id"))
    a.add_argument("--person", required=True, help=_("the person's id"))
    a.add_argument(
        "--topic", action="append", metavar="CODE", help=_("topic code, e.g. housing (repeatable)")
    )
    a.add_argument(
        "--service",
        "--action",
        dest="service",
        action="append",
        metavar="CODE",
        help=_("what was done, e.g. information, referral (repeatable)"),
    )
    a.add_argument("--note", default="", help=_("the case note (- reads it from standard input)"))
    a.add_argument("--date", metavar="YYYY-MM-DD", help=_("day of the contact (default: today)"))
    # Required: the minutes add up to the hours in the reports, so none are made up.
    a.add_argument("--minutes", type=int, required=True, help=_("duration in minutes"))
    a.add_argument("--mode", default="office", help=_("contact mode code, e.g. office, phone"))
    a.add_argument("--interpreter", default="none", help=_("interpreter type code"))
    a.add_argument("--interpreter-language", metavar="CODE", help=_("interpreted language"))
    a.add_argument(
        "--family-members", type=int, default=0, help=_("family members advised alongside")
    )
    a.add_argument(
        "--refer",
        action="append",
        metavar="TARGET",
        help=_("also record a referral to TARGET, e.g. jobcenter (repeatable)"),
    )
    add_json(a)
    a.set_defaults(handler=add_contact)
    ls = actions.add_parser("list", help=_("list counselling contacts"))
    ls.add_argument("--person", help=_("only this person's"))
    add_json(ls)
    ls.set_defaults(handler=list_contacts)

    p = sub.add_parser("note", help=command_help("note"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("write a note; prints the new id"))
    a.add_argument("--person", help=_("the person the note is about (default: an office note)"))
    a.add_argument("--text", required=True, help=_("the note (- reads it from standard input)"))
    a.add_argument("--date", metavar="YYYY-MM-DD", help=_("day of the note (default: today)"))
    add_json(a)
    a.set_defaults(handler=add_note)
    ls = actions.add_parser("list", help=_("list notes"))
    ls.add_argument("--person", help=_("only this person's"))
    add_json(ls)
    ls.set_defaults(handler=list_notes)

    p = sub.add_parser("followup", help=command_help("followup"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("add a follow-up; prints the new id"))
    a.add_argument("--person", help=_("the person it concerns"))
    a.add_argument("--due", required=True, metavar="YYYY-MM-DD", help=_("due date"))
    a.add_argument(
        "--text", required=True, help=_("what is to be done (- reads it from standard input)")
    )
    add_json(a)
    a.set_defaults(handler=add_followup)
    ls = actions.add_parser("list", help=_("list open follow-ups, earliest first"))
    ls.add_argument("--all", action="store_true", help=_("include finished ones"))
    ls.add_argument("--person", help=_("only this person's"))
    add_json(ls)
    ls.set_defaults(handler=list_followups)
    d = actions.add_parser("done", help=_("mark a follow-up as done"))
    d.add_argument("id", help=_("the follow-up's id"))
    d.add_argument("--date", metavar="YYYY-MM-DD", help=_("day it was done (default: today)"))
    add_json(d)
    d.set_defaults(handler=done_followup)


def add_contact(ctx: Context, args: argparse.Namespace) -> int:
    """Record a contact (and referrals made in it) as one action."""
    ws = ctx.open_workspace()
    person = find(ws, Person, args.person)
    interpreter_language = args.interpreter_language
    contact = build(
        Contact,
        CONTACT_OPTIONS,
        person_id=person.id,
        contacted_on=day(args.date, "--date", ws.clock),
        duration_minutes=args.minutes,
        mode=args.mode.strip().lower(),
        topics=codes(args.topic),
        actions=codes(args.service),
        note=free_text(args.note),
        interpreter_type=args.interpreter.strip().lower(),
        interpreter_language=interpreter_language.strip().lower() if interpreter_language else None,
        family_members=args.family_members,
    )
    referrals = [
        build(
            Referral,
            CONTACT_OPTIONS,
            person_id=person.id,
            contact_id=contact.id,
            referred_on=contact.contacted_on,
            target=target,
        )
        for target in codes(args.refer)
    ]
    save(ws, [contact, *referrals], "add", CONTACT_OPTIONS)
    ctx.emit({"id": contact.id, "referrals": [r.id for r in referrals]}, contact.id)
    return 0


def _owner(ctx: Context, raw: str | None) -> str | None:
    if raw is None:
        return None
    return find(ctx.open_workspace(), Person, raw).id


def list_contacts(ctx: Context, args: argparse.Namespace) -> int:
    """Contacts, newest first."""
    ws = ctx.open_workspace()
    contacts = sorted(
        ws.list(Contact, owner=_owner(ctx, args.person)),
        key=lambda c: (c.contacted_on, c.id),
        reverse=True,
    )
    names = {p.id: p.name for p in ws.list(Person)}
    rows = [
        (
            c.id,
            c.contacted_on,
            names.get(c.person_id, "?"),
            c.duration_minutes,
            code_labels(ws.ref, "topics", c.topics),
            short(c.note, 50),
        )
        for c in contacts
    ]
    headers = (_("ID"), _("Date"), _("Person"), _("Minutes"), _("Topics"), _("Note"))
    ctx.emit(
        [c.to_payload() for c in contacts],
        table(headers, rows) if rows else [_("No contacts yet.")],
    )
    return 0


def add_note(ctx: Context, args: argparse.Namespace) -> int:
    """Write a note about a person or the office."""
    ws = ctx.open_workspace()
    note = build(
        Note,
        NOTE_OPTIONS,
        person_id=_owner(ctx, args.person),
        written_on=day(args.date, "--date", ws.clock),
        text=free_text(args.text),
    )
    save(ws, [note], "add", NOTE_OPTIONS)
    ctx.emit({"id": note.id}, note.id)
    return 0


def list_notes(ctx: Context, args: argparse.Namespace) -> int:
    """Notes, newest first."""
    ws = ctx.open_workspace()
    notes = sorted(
        ws.list(Note, owner=_owner(ctx, args.person)),
        key=lambda n: (n.written_on, n.id),
        reverse=True,
    )
    names = {p.id: p.name for p in ws.list(Person)}
    rows = [(n.id, n.written_on, names.get(n.person_id or "", "-"), n.label()) for n in notes]
    headers = (_("ID"), _("Date"), _("Person"), _("Note"))
    ctx.emit(
        [n.to_payload() for n in notes], table(headers, rows) if rows else [_("No notes yet.")]
    )
    return 0


def add_followup(ctx: Context, args: argparse.Namespace) -> int:
    """Add a reminder."""
    ws = ctx.open_workspace()
    task = build(
        FollowUp,
        FOLLOWUP_OPTIONS,
        person_id=_owner(ctx, args.person),
        due_on=day(args.due, "--due"),
        text=free_text(args.text),
    )
    save(ws, [task], "add", FOLLOWUP_OPTIONS)
    ctx.emit({"id": task.id}, task.id)
    return 0


def list_followups(ctx: Context, args: argparse.Namespace) -> int:
    """Open follow-ups (or all), earliest due first; overdue ones are marked."""
    ws = ctx.open_workspace()
    now = today(ws.clock)
    tasks = sorted(
        (t for t in ws.list(FollowUp, owner=_owner(ctx, args.person)) if args.all or not t.done),
        key=lambda t: (t.due_on, t.id),
    )
    names = {p.id: p.name for p in ws.list(Person)}

    def state(t: FollowUp) -> str:
        if t.done:
            return _("done")
        return _("overdue") if t.due_on < now else _("open")

    rows = [
        (t.id, t.due_on, state(t), names.get(t.person_id or "", "-"), short(t.text, 50))
        for t in tasks
    ]
    headers = (_("ID"), _("Due"), _("State"), _("Person"), _("Task"))
    ctx.emit(
        [t.to_payload() for t in tasks],
        table(headers, rows) if rows else [_("No open follow-ups.")],
    )
    return 0


def done_followup(ctx: Context, args: argparse.Namespace) -> int:
    """Mark a follow-up as done today (or on --date)."""
    ws = ctx.open_workspace()
    task = find(ws, FollowUp, args.id)
    finished = edit(
        task, {"done_on": "--date"}, done=True, done_on=day(args.date, "--date", ws.clock)
    )
    ws.update(finished)
    label = f"{format_date(finished.due_on)} {short(finished.text, 48)}"
    ctx.emit(finished.to_payload(), _("Done: {label}").format(label=label))
    return 0
