"""``kisi handout``: list, render, check and review the multilingual handouts."""

from __future__ import annotations

import argparse
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Guide, Municipality, Partner
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import write_atomic
from kisi_desktop.core.i18n import _
from kisi_desktop.core.paths import user_handouts_dir

from kisi_desktop.bundles.content_packs import installed_pack_folder, packs_root
from kisi_desktop.cli.args import add_actions, add_json, day
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table
from kisi_desktop.cli.progress import TerminalProgress
from kisi_desktop.handouts.catalog import SOURCE_LANGUAGE, Catalog, user_catalog
from kisi_desktop.handouts.checks import check_catalog, stamp_file
from kisi_desktop.handouts.layout import Layout
from kisi_desktop.handouts.profile import HandoutProfile, profile_from_records
from kisi_desktop.handouts.render import Request, render_all, render_many


def register(sub: Any) -> None:
    """Add ``handout``."""
    p = sub.add_parser("handout", help=command_help("handout"))
    actions = add_actions(p)

    ls = actions.add_parser("list", help=_("topics, languages and review status"))
    _add_content(ls)
    add_json(ls)
    ls.set_defaults(handler=list_handouts)

    r = actions.add_parser("render", help=_("print handouts to PDF"))
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--topic",
        action="append",
        help=_("topic id (see `kisi handout list`); repeat it for several in one PDF"),
    )
    which.add_argument("--all", action="store_true", help=_("every topic in every language"))
    r.add_argument("--lang", help=_("the reader's language code, e.g. ar, prs, ti"))
    beside = r.add_mutually_exclusive_group()
    beside.add_argument(
        "--with",
        dest="with_lang",
        choices=[SOURCE_LANGUAGE],
        default=SOURCE_LANGUAGE,
        help=_("print beside German (the default)"),
    )
    beside.add_argument("--single", action="store_true", help=_("print one language only"))
    r.add_argument(
        "--layout",
        choices=["side", "alternating"],
        default="side",
        help=_("German beside the text, or block by block (default: side)"),
    )
    r.add_argument("--out", required=True, help=_("PDF file (one handout) or folder (--all)"))
    r.add_argument("--date", help=_("date of issue, YYYY-MM-DD (default: today)"))
    r.add_argument(
        "--blank",
        action="store_true",
        help=_("without the municipality's details (no vault needed)"),
    )
    r.add_argument("--workers", type=int, help=_("processes for --all (default: all cores)"))
    _add_content(r)
    add_json(r)
    r.set_defaults(handler=render_handouts)

    c = actions.add_parser("check", help=_("check texts against their German source"))
    _add_content(c)
    add_json(c)
    c.set_defaults(handler=check_handouts)

    v = actions.add_parser("review", help=_("mark a translation as reviewed"))
    v.add_argument("--topic", required=True, help=_("topic id (see `kisi handout list`)"))
    v.add_argument("--lang", required=True, help=_("language code of the translation, e.g. ar"))
    v.add_argument("--by", required=True, help=_("who reviewed it (name, organisation)"))
    _add_content(v)
    v.set_defaults(handler=review_handout)


def _add_content(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        action="append",
        default=[],
        metavar="DIR",
        help=_("a folder of topics laid over the shipped ones (repeatable)"),
    )


def _catalog(args: argparse.Namespace, pack: Path | None) -> Catalog:
    """The texts to use: the installed content pack's (``pack``) over the shipped ones."""
    return user_catalog([Path(d).expanduser() for d in args.content], pack=pack)


def _vault_pack(ctx: Context) -> Path | None:
    """The vault's installed content pack, as the app prints from it.

    Which pack is installed is written in the vault, so the vault is opened (passphrase
    from KISI_PASSPHRASE or asked for), but only when a pack was ever installed beside
    it: without one, listing and checking the shipped texts needs no passphrase.
    """
    if not packs_root(ctx.vault_path).is_dir():
        return None
    return installed_pack_folder(ctx.open_workspace())


def list_handouts(ctx: Context, args: argparse.Namespace) -> int:
    """One line per topic: its German title and every language with its status."""
    catalog = _catalog(args, _vault_pack(ctx))
    data = []
    rows = []
    for topic_id in catalog.ordered_ids():
        topic = catalog.topics[topic_id]
        statuses = {code: topic.status(code).value for code in sorted(topic.texts)}
        data.append(
            {
                "topic": topic_id,
                "order": topic.order,
                "title_de": topic.title_de,
                "links": [link.url for link in topic.links],
                "languages": statuses,
            }
        )
        marks = " ".join(f"{code}{_MARK[status]}" for code, status in statuses.items())
        rows.append((topic_id, topic.title_de, marks))
    legend = _("* unreviewed, ! outdated (German changed), + reviewed")
    ctx.emit(data, [*table([_("topic"), _("title"), _("languages")], rows), "", legend])
    return 0


_MARK = {"source": "", "reviewed": "+", "unreviewed": "*", "outdated": "!"}


def _profile(ctx: Context, args: argparse.Namespace) -> HandoutProfile:
    if args.blank:
        return HandoutProfile()
    if not ctx.vault_path.exists():
        ctx.warn(
            _("No vault at {path}: printing without the municipality's details.").format(
                path=ctx.vault_path
            )
        )
        return HandoutProfile()
    ws = ctx.open_workspace()
    municipalities = ws.list(Municipality)
    return profile_from_records(
        municipalities[0] if municipalities else None,
        ws.list(Guide),
        ws.list(Partner),
        on=today(ws.clock),
    )


def _issued(args: argparse.Namespace) -> date:
    return day(args.date, "--date") if args.date else date.today()


def render_handouts(ctx: Context, args: argparse.Namespace) -> int:
    """One PDF, or every topic x language into a folder on all cores."""
    issued = _issued(args)
    profile = _profile(ctx, args)
    # The vault is open when the profile came from it; its content pack then applies too.
    ws = None if args.blank or not ctx.vault_path.exists() else ctx.open_workspace()
    pack = installed_pack_folder(ws) if ws is not None else None
    out = Path(args.out).expanduser()
    if args.all:
        if out.exists() and not out.is_dir():
            raise UserError(_("--out must be a folder with --all."))
        folders = [Path(d).expanduser() for d in args.content]
        own = user_handouts_dir()
        layers = [own, *folders] if own.is_dir() else folders
        if pack is not None:
            layers = [pack, *layers]
        total = len(_catalog(args, pack).pairs())

        with TerminalProgress(ctx.stderr, ctx.as_json) as show:
            written = render_all(
                layers, out, profile, issued, workers=args.workers, progress=show.pieces
            )
        ctx.emit(
            [str(p) for p in written],
            _("{n} of {total} handouts written to {out}").format(
                n=len(written), total=total, out=out
            ),
        )
        return 0
    if not args.lang:
        raise UserError(_("Name the language with --lang (see `kisi handout list`)."))
    layout = Layout.SINGLE if args.single else Layout(args.layout)
    requests = [Request(topic, args.lang, layout) for topic in dict.fromkeys(args.topic)]
    pdf = render_many(_catalog(args, pack), requests, profile, issued)
    if out.is_dir():
        out = out / requests[0].file_name()
    write_atomic(out, pdf)
    ctx.emit({"file": str(out), "bytes": len(pdf)}, str(out))
    return 0


def check_handouts(ctx: Context, args: argparse.Namespace) -> int:
    """Exit 0 when every text matches its German source and prints without boxes."""
    problems = check_catalog(_catalog(args, _vault_pack(ctx)))
    ctx.emit([str(p) for p in problems], [str(p) for p in problems] or [_("ok")])
    return 1 if problems else 0


def review_handout(ctx: Context, args: argparse.Namespace) -> int:
    """Mark one translation reviewed against today's German, in the user's (or given) folder.

    A shipped file is never edited in place: it is copied into the folder on top, where it
    overrides the shipped one from now on.
    """
    pack = _vault_pack(ctx)
    catalog = _catalog(args, pack)
    topic = catalog.topic(args.topic)
    if args.lang == SOURCE_LANGUAGE or args.lang not in topic.texts:
        raise UserError(
            _("No translation {lang!r} of {topic!r}.").format(lang=args.lang, topic=args.topic)
        )
    source = topic.texts[SOURCE_LANGUAGE]
    target_root = Path(args.content[-1]).expanduser() if args.content else user_handouts_dir()
    target = target_root / args.topic / f"{args.lang}.md"
    if not target.exists():
        origin = _origin(args, pack, args.topic, args.lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, target)
        topic_toml = target.parent / "topic.toml"
        if not topic_toml.exists():
            shutil.copyfile(origin.parent / "topic.toml", topic_toml)
    stamp_file(target, source.content_hash, reviewed_by=args.by)
    ctx.emit(
        {"file": str(target)},
        _("{topic}/{lang} marked as reviewed in {file}").format(
            topic=args.topic, lang=args.lang, file=target
        ),
    )
    return 0


def _origin(args: argparse.Namespace, pack: Path | None, topic: str, lang: str) -> Path:
    """The file that currently provides ``topic/lang``: the topmost layer that has it."""
    from kisi_desktop.handouts.catalog import shipped_folder

    layers = [shipped_folder(), *([pack] if pack is not None else [])]
    if user_handouts_dir().is_dir():
        layers.append(user_handouts_dir())
    layers.extend(Path(d).expanduser() for d in args.content)
    for layer in reversed(layers):
        candidate = layer / topic / f"{lang}.md"
        if candidate.is_file():
            return candidate
    raise UserError(_("No file for {topic}/{lang}.").format(topic=topic, lang=lang))
