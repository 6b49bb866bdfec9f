"""``kisi backup`` and ``kisi restore``: a copy of the vault on a stick, and the way back."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from kisi_desktop.core.backup import plan_backup_of_file, write_backup
from kisi_desktop.core.i18n import _, format_number
from kisi_desktop.core.older_copy import Marks
from kisi_desktop.core.restore import restore_backup, restore_report
from kisi_desktop.core.settings import remember_backup

from kisi_desktop.cli.args import add_json
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.progress import TerminalProgress
from kisi_desktop.cli.vault import RECOVERY_CODE_ENV


def register(sub: Any) -> None:
    """Add ``backup`` and ``restore``."""
    p = sub.add_parser("backup", help=command_help("backup"))
    p.add_argument("folder", type=Path, help=_("folder to write the backup into"))
    add_json(p)
    p.set_defaults(handler=backup)

    p = sub.add_parser("restore", help=command_help("restore"))
    p.add_argument("backup_file", type=Path, metavar="BACKUP", help=_("the .kisibackup file"))
    p.add_argument(
        "--recovery-code",
        action="store_true",
        help=_("use the recovery code (from KISI_RECOVERY_CODE or a prompt)"),
    )
    add_json(p)
    p.set_defaults(handler=restore)


def backup(ctx: Context, args: argparse.Namespace) -> int:
    """Write the backup and say where, how large, and which old backups went."""
    # Ciphertext only: no passphrase, and it works while the window has the vault open.
    job = plan_backup_of_file(ctx.vault_path, args.folder)
    with TerminalProgress(ctx.stderr, ctx.as_json, _("Backup")) as show:
        made = write_backup(job, progress=show.percent)
    remember_backup(args.folder.resolve(), date.today())  # the window's reminder counts it too
    lines = [
        _("Backup written: {path} ({size} MB).").format(
            path=made.path, size=format_number(round(made.size / 1e6, 1))
        )
    ]
    lines += [_("Removed, older than 90 days: {path}").format(path=p) for p in made.removed]
    ctx.emit(
        {"backup": str(made.path), "bytes": made.size, "removed": [str(p) for p in made.removed]},
        lines,
    )
    return 0


def restore(ctx: Context, args: argparse.Namespace) -> int:
    """Restore into the vault path, which must not exist yet."""
    code = passphrase = None
    if args.recovery_code:
        code = ctx.secret(RECOVERY_CODE_ENV, _("Recovery code: "))
    else:
        passphrase = ctx.secret("KISI_PASSPHRASE", _("Passphrase: "))
    # The window's words for it, without the dots: the line adds how far it is.
    with TerminalProgress(ctx.stderr, ctx.as_json, _("Restoring…").rstrip("…")) as show:
        done = restore_backup(
            args.backup_file,
            ctx.vault_path,
            marks=Marks.for_user(),
            passphrase=passphrase,
            recovery_code=code,
            progress=show.percent,
        )
    ctx.emit(
        {
            "vault": str(done.path),
            "made": done.made.isoformat(),
            "later_backups": done.later_backups,
            "erased": done.erased,
            "not_replayed": done.not_replayed,
        },
        restore_report(done),
    )
    return 0
