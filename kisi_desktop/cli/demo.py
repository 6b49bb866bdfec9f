"""``kisi demo``: fill a vault (created if missing) with realistic demo data."""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.demo.wording import DEMO_VAULT, MAKING_DEMO_VAULT
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, format_number
from kisi_desktop.core.record_text import kind_name
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.cli.args import add_json
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.progress import TerminalProgress
from kisi_desktop.cli.vault import new_passphrase, recovery_lines

MAX_PEOPLE = 100_000


def register(sub: Any) -> None:
    """Add ``demo``."""
    p = sub.add_parser("demo", help=command_help("demo"))
    p.add_argument("--people", type=int, default=200, help=_("how many people (default 200)"))
    p.add_argument("--seed", type=int, help=_("random seed, for the same data every time"))
    add_json(p)
    p.set_defaults(handler=demo)


def demo(ctx: Context, args: argparse.Namespace) -> int:
    """Generate demo data and print what was added."""
    if not 0 <= args.people <= MAX_PEOPLE:
        raise UserError(_("--people: must be between 0 and {max}.").format(max=MAX_PEOPLE))
    code = None
    if ctx.vault_path.exists():
        ws = ctx.open_workspace()
        if ws.count():
            # Made-up people, expenses and trips among real ones could never be told apart
            # again, and would go into the budget and the ministry's figures.
            raise UserError(
                _(
                    "{path} already holds {n} records: demo data goes only into a new, "
                    "empty vault (for example: kisi --vault demo.kisi demo)."
                ).format(path=ctx.vault_path, n=ws.count())
            )
    else:
        passphrase = new_passphrase(ctx, "KISI_PASSPHRASE", _("New passphrase: "))
        ctx.vault_path.parent.mkdir(parents=True, exist_ok=True)
        ws, code = Workspace.create(ctx.vault_path, passphrase)
        ctx.adopt(ws)
    rng = random.Random(args.seed)  # noqa: S311 - demo data, not secrets
    started = time.perf_counter()
    # The progress dialog's words; the line adds ": 3/200" where the dialog has a bar.
    making = _(MAKING_DEMO_VAULT).rstrip("…")
    with TerminalProgress(ctx.stderr, ctx.as_json, making) as show:
        summary = generate(ws, args.people, rng, ws.clock, progress=show.pieces)
    seconds = time.perf_counter() - started
    lines = []
    if code is not None:
        lines += recovery_lines(ctx.vault_path, code)
    lines.append(f"{_(DEMO_VAULT)}: {ctx.vault_path}")  # as the unlock screen calls it
    lines.append(
        _("Added {total} demo records in {seconds} s:").format(
            total=format_number(summary.total), seconds=format_number(round(seconds, 1))
        )
    )
    named = sorted((kind_name(kind), n) for kind, n in summary.counts.items())
    lines += [f"  {name}: {format_number(n)}" for name, n in named]
    data = {
        "vault": str(ctx.vault_path),
        "counts": dict(summary.counts),
        "seconds": round(seconds, 2),
        "recovery_code": code,
    }
    ctx.emit(data, lines)
    return 0
