"""``kisi audit verify``: check the audit chain and every row of the vault against it."""

from __future__ import annotations

import argparse
from typing import Any

from kisi_desktop.core.i18n import _, ngettext

from kisi_desktop.cli.args import add_actions, add_json
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context


def register(sub: Any) -> None:
    """Add ``audit``."""
    p = sub.add_parser("audit", help=command_help("audit"))
    actions = add_actions(p)
    v = actions.add_parser("verify", help=_("check the vault against its audit log"))
    add_json(v)
    v.set_defaults(handler=verify)


def verify(ctx: Context, args: argparse.Namespace) -> int:
    """Exit 0 with "ok, N entries", or 1 with each problem listed."""
    ws = ctx.open_workspace()
    report = ws.audit_verify()
    data = {"ok": report.ok, "entries": report.entries, "problems": list(report.problems)}
    if report.ok:
        ctx.emit(data, _("ok, {n} entries").format(n=report.entries))
        return 0
    ctx.emit(data, list(report.problems))
    n = len(report.problems)
    ctx.warn(
        ngettext(
            "Error: the audit found {n} problem.", "Error: the audit found {n} problems.", n
        ).format(n=n)
    )
    return 1
