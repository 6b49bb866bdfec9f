"""Erasure on the command line (GDPR Art. 17): ask, erase, report what changed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.workspace import ErasureSummary

from kisi_desktop.cli.main import Context


def confirmed(args: argparse.Namespace, prompt: str, *, refused: str | None = None) -> bool:
    """True with ``--yes`` or when the guide types yes/ja at ``prompt``.

    Without a terminal there is nobody to ask, so the answer must come from ``--yes``:
    a script that forgot it stops with an error (``refused``, else "Not erased …")
    instead of erasing or hanging.
    """
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise UserError(
            refused or _("Not erased: confirm with --yes when not running in a terminal.")
        )
    return input(prompt).strip().lower() in ("yes", "ja")


def erase_after_asking(
    ctx: Context,
    args: argparse.Namespace,
    prompt: str,
    key: str,
    erase: Callable[[], ErasureSummary],
) -> int:
    """Ask with ``prompt`` (or take ``--yes``), erase, and report the summary under ``key``
    (``person_id``, ``volunteer_id``) in JSON; exit status 1 when the guide said no."""
    if not confirmed(args, prompt):
        ctx.warn(_("Nothing was erased."))
        return 1
    summary = erase()
    ctx.emit(
        {key: summary.subject_id, "removed": summary.removed, "updated": summary.updated},
        _("Erased {id}: {removed} records removed, {updated} records updated.").format(
            id=summary.subject_id, removed=summary.removed, updated=summary.updated
        ),
    )
    warn_if_still_in_file(ctx)
    return 0


def warn_if_still_in_file(ctx: Context) -> None:
    """Say so when another program kept the erased data in the vault file for now."""
    note = ctx.open_workspace().erased_still_in_file()
    if note is not None:
        ctx.warn(note)
