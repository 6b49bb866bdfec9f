"""``kisi search`` across names, notes and other text, and ``kisi codes`` to look up codes."""

from __future__ import annotations

import argparse
from typing import Any

from kisi_desktop.core.domain import ReferenceData
from kisi_desktop.core.domain.registry import RECORD_TYPES
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, ui_language
from kisi_desktop.core.record_text import kind_name

from kisi_desktop.cli.args import add_json
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table

# The lists a user types codes from (ReferenceData has no public list of its names).
CODE_LISTS = (
    "genders",
    "residence_statuses",
    "countries",
    "languages",
    "topics",
    "actions",
    "contact_modes",
    "interpreter_types",
    "referral_targets",
    "referral_statuses",
    "activity_types",
    "target_groups",
    "payment_regimes",
    "deployment_kinds",
    "budget_categories",
    "expense_eligibility",
    "partner_types",
    "consent_purposes",
    "case_statuses",
    "outcome_kinds",
    "cefr_levels",
    "handout_languages",
    "handout_topics",
    "vehicle_types",
)


def _has_enum(ref: ReferenceData, name: str) -> bool:
    try:
        ref.enum(name)
    except LookupError:
        return False
    return True


def register(sub: Any) -> None:
    """Add ``search`` and ``codes``."""
    p = sub.add_parser("search", help=command_help("search"))
    p.add_argument("query", help=_("words to find (each word as a prefix)"))
    p.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help=_("only records of this kind, e.g. person, contact (repeatable)"),
    )
    p.add_argument("--limit", type=int, default=50, help=_("at most this many results"))
    add_json(p)
    p.set_defaults(handler=search)

    c = sub.add_parser("codes", help=command_help("codes"))
    c.add_argument("name", nargs="?", help=_("the list, e.g. topics, genders, residence_statuses"))
    add_json(c)
    c.set_defaults(handler=list_codes)


def search(ctx: Context, args: argparse.Namespace) -> int:
    """Print the records matching every word of the query, best first."""
    kinds = [k.strip().lower() for k in args.kind or ()]
    unknown = [k for k in kinds if k not in RECORD_TYPES]
    if unknown:
        raise UserError(
            _("--kind: unknown kind {kind}; known: {known}.").format(
                kind=unknown[0], known=", ".join(sorted(RECORD_TYPES))
            )
        )
    if args.limit < 1:
        raise UserError(_("--limit: must be at least 1."))
    ws = ctx.open_workspace()
    hits = ws.search(args.query, kinds=kinds or None, limit=args.limit)
    rows = [(h.id, kind_name(h.kind), h.label, h.marked(fields=" · ")) for h in hits]
    headers = (_("ID"), _("Kind"), _("Label"), _("Match"))
    ctx.emit(
        [{"id": h.id, "kind": h.kind, "label": h.label, "snippet": h.marked()} for h in hits],
        table(headers, rows) if rows else [_("Nothing found.")],
    )
    return 0


def list_codes(ctx: Context, args: argparse.Namespace) -> int:
    """The enumerations, or the codes and labels of one of them."""
    ref = ReferenceData.load()
    if args.name is None:
        names = [n for n in CODE_LISTS if _has_enum(ref, n)]
        ctx.emit(names, names)
        return 0
    try:
        entries = ref.enum(args.name.strip().lower())
    except LookupError:
        raise UserError(
            _("No list named {name}; run `kisi codes` to see them.").format(name=args.name)
        ) from None
    lang = ui_language()
    ctx.emit(
        [{"code": e.code, "de": e.de, "en": e.en} for e in entries.values()],
        table((_("Code"), _("Label")), [(e.code, e.label(lang)) for e in entries.values()]),
    )
    return 0
