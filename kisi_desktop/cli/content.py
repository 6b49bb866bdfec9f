"""``kisi content import|status`` and the ministry's ``kisi ministry content-pack``.

The app side installs a pack of handout texts signed with a content key from the installed
provisioning file; the ministry side makes one from a folder of texts. The ministry command
lives here, beside its counterpart, and ``cli/ministry.py`` adds it to its own sub-commands
with :func:`register_ministry_content_pack`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, format_date, ngettext

from kisi_desktop.bundles import limits
from kisi_desktop.bundles.content_packs import (
    DEFAULT_PACK_ID,
    InstallResult,
    install_pack,
    iso_utc,
    pack_status,
)
from kisi_desktop.bundles.pack_changes import change_lines
from kisi_desktop.bundles.provisioning import current_provisioning
from kisi_desktop.bundles.reasons import NOT_PROVISIONED, OVERSIZED, Rejected
from kisi_desktop.cli.args import add_actions, add_json, day
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.ministry.content_pack import make_and_record, outdated_lines
from kisi_desktop.ministry.keys import load_ministry


def register(sub: Any) -> None:
    """Add ``content``."""
    p = sub.add_parser("content", help=command_help("content"))
    actions = add_actions(p)
    imp = actions.add_parser("import", help=_("check a content pack and use its texts"))
    imp.add_argument("file", metavar="FILE", help=_("the content pack (.zip) from the ministry"))
    add_json(imp)
    imp.set_defaults(handler=import_content)
    st = actions.add_parser("status", help=_("which content pack is in use and until when"))
    add_json(st)
    st.set_defaults(handler=content_status)


def register_ministry_content_pack(ministry_subparsers: Any) -> None:
    """Add ``content-pack`` to the sub-commands of ``kisi ministry``."""
    p = ministry_subparsers.add_parser(
        "content-pack", help=_("sign a folder of handout texts as a content pack")
    )
    p.add_argument("--dir", required=True, help=_("the ministry folder (kisi ministry init)"))
    p.add_argument(
        "--from",
        dest="from_folder",
        required=True,
        metavar="FOLDER",
        help=_("handout texts laid out like resources/handouts"),
    )
    p.add_argument(
        "--version",
        dest="pack_version",
        required=True,
        metavar="V",
        help=_("a whole number higher than every pack sent before"),
    )
    p.add_argument("--expires", required=True, metavar="DATE", help=_("YYYY-MM-DD"))
    p.add_argument("--out", required=True, metavar="FILE", help=_("the pack file to write"))
    p.add_argument(
        "--pack-id",
        default=DEFAULT_PACK_ID,
        help=_("the series the apps follow (default: {name})").format(name=DEFAULT_PACK_ID),
    )
    add_json(p)
    p.set_defaults(handler=make_pack)


def _read_pack_file(path: Path) -> bytes:
    """The file, refused unread when it is larger than any pack can be."""
    with path.open("rb") as handle:
        data = handle.read(limits.MAX_CONTENT_PACK_FILE + 1)
    if len(data) > limits.MAX_CONTENT_PACK_FILE:
        raise Rejected(
            OVERSIZED,
            _("The content pack is larger than {limit} MiB.").format(
                limit=limits.MAX_CONTENT_PACK_FILE // limits.MIB
            ),
        )
    return data


def _result_data(result: InstallResult) -> dict[str, Any]:
    pack = result.pack
    return {
        "pack_id": pack.pack_id,
        "version": pack.version,
        "sha256": pack.pack_sha256,
        "created": pack.created,
        "expires": pack.expires.isoformat(),
        "installed_on": pack.installed_on.isoformat(),
        "languages": list(pack.languages),
        "changed": result.changed,
        "replaced_version": result.replaced_version,
        "changed_topics": [
            {"topic": t.topic, "title_de": t.title, "languages": list(t.languages)}
            for t in result.changes.topics
        ],
        "newly_outdated": result.changes.newly_outdated,
    }


def import_content(ctx: Context, args: argparse.Namespace) -> int:
    """Verify a pack against the ministry's content keys and install it."""
    ws = ctx.open_workspace()
    provisioning = current_provisioning(ws)
    if provisioning is None:
        raise Rejected(
            NOT_PROVISIONED,
            _(
                "No ministry content key is known yet: import the provisioning file first "
                "(kisi provision FILE)."
            ),
        )
    data = _read_pack_file(Path(args.file).expanduser())
    result = install_pack(ws, data, provisioning.content_keys)
    pack = result.pack
    if result.changed:
        line = _("Content pack {pack} version {version} installed; valid until {date}.").format(
            pack=pack.pack_id, version=pack.version, date=format_date(pack.expires)
        )
    else:
        line = _("Content pack {pack} version {version} is already installed.").format(
            pack=pack.pack_id, version=pack.version
        )
    ctx.emit(_result_data(result), [line, *change_lines(result)])
    return 0


def content_status(ctx: Context, args: argparse.Namespace) -> int:
    """The pack in use; an expired one stays in use and says so."""
    ws = ctx.open_workspace()
    status = pack_status(ws)
    if status is None:
        ctx.emit(
            {"installed": False},
            _("No content pack installed: the handouts use the texts shipped with the app."),
        )
        return 0
    data = {
        "installed": True,
        "pack_id": status.pack_id,
        "version": status.version,
        "created": iso_utc(status.created),
        "expires": status.expires.isoformat(),
        "installed_on": status.installed_on.isoformat(),
        "languages": list(status.languages),
        "expired": status.expired,
        "intact": status.intact,
        "warning": status.warning,
    }
    lines = [
        _("Content pack {pack} version {version}, made {made}, valid until {date}.").format(
            pack=status.pack_id,
            version=status.version,
            made=format_date(status.created.date()),
            date=format_date(status.expires),
        ),
        _("Languages: {codes}").format(codes=", ".join(status.languages)),
    ]
    if status.warning:
        lines.append(status.warning)
    ctx.emit(data, lines)
    return 0


def make_pack(ctx: Context, args: argparse.Namespace) -> int:
    """Sign the folder's texts with the ministry's content key and write the pack."""
    try:
        version = int(args.pack_version.strip())
    except ValueError:
        raise UserError(_("--version: a whole number from 1.")) from None
    expires = day(args.expires, "--expires")
    out = Path(args.out).expanduser()
    with load_ministry(Path(args.dir).expanduser()) as ministry:
        key = ministry.content
        summary = make_and_record(
            ministry,
            Path(args.from_folder).expanduser(),
            version,
            expires,
            out,
            pack_id=args.pack_id,
        )
    ctx.emit(
        {
            "file": str(out),
            "pack_id": summary.pack_id,
            "version": summary.version,
            "expires": summary.expires.isoformat(),
            "languages": list(summary.languages),
            "topics": list(summary.topics),
            "files": summary.files,
            "sha256": summary.sha256,
            "key_id": key.public.key_id_hex(),
            "outdated": [
                {
                    "topic": t.topic,
                    "title": t.title,
                    "languages": list(t.languages),
                    "in_pack": list(t.in_pack),
                }
                for t in summary.outdated
            ],
        },
        [
            _("Content pack {pack} version {version} written to {file}.").format(
                pack=summary.pack_id, version=summary.version, file=out
            ),
            _("{topics}, {files}, languages: {codes}; valid until {date}.").format(
                topics=ngettext("{n} topic", "{n} topics", len(summary.topics)).format(
                    n=len(summary.topics)
                ),
                files=ngettext("{n} file", "{n} files", summary.files).format(n=summary.files),
                codes=", ".join(summary.languages),
                date=format_date(summary.expires),
            ),
            _("pack.json SHA-256: {sha}").format(sha=summary.sha256),
            *outdated_lines(summary.outdated),
        ],
    )
    return 0
