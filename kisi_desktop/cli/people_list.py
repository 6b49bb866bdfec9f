"""``kisi person import LIST``: the people of a CSV or Excel list (core/people_list.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Person
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.people_list import (
    add_people,
    added_message,
    read_people_list,
    summary_lines,
)

from kisi_desktop.cli.args import add_json
from kisi_desktop.cli.erasure import confirmed
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.progress import TerminalProgress


def register_import(actions: Any) -> None:
    """Add ``import`` to the ``person`` actions."""
    i = actions.add_parser(
        "import",
        help=_("add the people of a CSV or Excel list (all rows or none)"),
    )
    i.add_argument("list", type=Path, help=_("the list: .csv or .xlsx, a heading in row 1"))
    i.add_argument(
        "--minutes",
        type=int,
        default=30,
        help=_("length of a first contact when the list has no duration column (default 30)"),
    )
    i.add_argument("--dry-run", action="store_true", help=_("check the list, add nothing"))
    i.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    add_json(i)
    i.set_defaults(handler=import_people)


def import_people(ctx: Context, args: argparse.Namespace) -> int:
    """Check the list; add every person, or none, after asking."""
    if not 0 < args.minutes <= 24 * 60:
        raise UserError(_("--minutes must be between 1 and 1440."))
    ws = ctx.open_workspace()
    # Ended before the question is asked, so that it starts on a line of its own.
    with TerminalProgress(ctx.stderr, ctx.as_json, _("Checking the list")) as show:
        listed = read_people_list(
            args.list,
            ws.ref,
            ws.list(Person),
            today=today(ws.clock),
            first_contact_minutes=args.minutes,
            progress=show.pieces,
        )
    lines = summary_lines(listed)
    data: dict[str, Any] = {
        "people": len(listed.people),
        "first_contacts": sum(1 for p in listed.people if p.first_contact is not None),
        "already_there": [row for row, _name in listed.already_there],
        "twice": [row for row, _earlier in listed.twice],
        "problems": [
            {"row": p.row, "column": p.column, "message": p.message} for p in listed.problems
        ],
        "added": 0,
    }
    if listed.problems:
        ctx.emit(data, [*lines, _("Nothing was added: mend the list and import it again.")])
        return 1
    if not listed.people or args.dry_run:
        ctx.emit(data, lines)
        return 0
    prompt = "\n".join([*lines, _("Add them? [yes/no] ")])
    if not confirmed(
        args, prompt, refused=_("Not added: confirm with --yes when not running in a terminal.")
    ):
        ctx.emit(data, _("Nothing was added."))
        return 1  # (as a declined erasure: the command did not do what it was asked)
    # The list dialog's words, without the dots: the line adds how far it is.
    adding = _("Adding the people…").rstrip("…")
    with TerminalProgress(ctx.stderr, ctx.as_json, adding) as show:
        # One transaction (all or none): there is no halfway to show, only that it runs.
        show.pieces(0, len(listed.people))
        data["added"] = add_people(ws, listed)
        show.pieces(data["added"], len(listed.people))
    ctx.emit(
        data,
        [
            *(lines if args.yes else []),  # (else shown with the question)
            added_message(data["added"]),
        ],
    )
    return 0
