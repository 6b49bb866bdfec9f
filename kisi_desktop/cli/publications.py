"""``kisi publication``: guides the project produced (Verwaltungswegweiser, Leitfaden, flyers)."""

from __future__ import annotations

import argparse
from typing import Any

from kisi_desktop.core.domain import Publication
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.record_text import code_label, code_labels

from kisi_desktop.cli.args import add_actions, add_json, build, codes, day, save
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table

OPTIONS = {
    "publication_type": "--type",
    "title": "--title",
    "published_on": "--date",
    "languages": "--language",
    "version": "--version",
    "print_run": "--print-run",
    "distribution": "--distribution",
}


def register(sub: Any) -> None:
    """Add ``publication``."""
    p = sub.add_parser("publication", help=command_help("publication"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("record a publication; prints the new id"))
    a.add_argument(
        "--type", required=True, help=_("administration_guide, guideline, handout, flyer, other")
    )
    a.add_argument("--title", required=True, help=_("title"))
    a.add_argument("--date", help=_("publication date, YYYY-MM-DD (default: today)"))
    a.add_argument(
        "--language", action="append", metavar="CODE", help=_("a language it is in (repeatable)")
    )
    a.add_argument("--version", default="", help=_("edition or version, e.g. 2"))
    a.add_argument("--print-run", metavar="N", help=_("copies printed"))
    a.add_argument("--distribution", default="", help=_("where it is handed out"))
    add_json(a)
    a.set_defaults(handler=add_publication)
    ls = actions.add_parser("list", help=_("list publications"))
    add_json(ls)
    ls.set_defaults(handler=list_publications)


def add_publication(ctx: Context, args: argparse.Namespace) -> int:
    """Store one publication."""
    ws = ctx.open_workspace()
    print_run = None
    if args.print_run is not None:
        if not args.print_run.isdigit():
            raise UserError(_("--print-run must be a whole number."))
        print_run = int(args.print_run)
    publication = build(
        Publication,
        OPTIONS,
        publication_type=args.type.strip().lower(),
        title=args.title.strip(),
        published_on=day(args.date, "--date", ws.clock),
        languages=codes(args.language) or ("de",),
        version=args.version.strip(),
        print_run=print_run,
        distribution=args.distribution.strip(),
    )
    save(ws, [publication], "add", OPTIONS)
    ctx.emit({"id": publication.id}, publication.id)
    return 0


def list_publications(ctx: Context, args: argparse.Namespace) -> int:
    """Every publication, newest first."""
    ws = ctx.open_workspace()
    items = sorted(ws.list(Publication), key=lambda p: p.published_on, reverse=True)
    rows = [
        (
            p.published_on,
            code_label(ws.ref, "publication_types", p.publication_type),
            p.title,
            code_labels(ws.ref, "languages", p.languages),
            p.print_run,
        )
        for p in items
    ]
    headers = [_("date"), _("type"), _("title"), _("languages"), _("copies")]
    ctx.emit(
        [p.to_payload() for p in items],
        table(headers, rows) if rows else [_("No publications yet.")],
    )
    return 0
