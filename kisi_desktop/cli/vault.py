"""``kisi init``, ``kisi passphrase change|recovery|renew-keys``, ``kisi unlock`` and
``kisi older-copy``:
the vault, its secrets, and a file put back from an older copy (core/older_copy.py)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from kisi_desktop.core.errors import UserError, VaultExists
from kisi_desktop.core.i18n import _
from kisi_desktop.core.older_copy import accept_older_copy, older_copy_message
from kisi_desktop.core.store.vault_file import is_vault_file
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.cli.args import add_actions, add_json
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.erasure import confirmed
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.progress import TerminalProgress

NEW_PASSPHRASE_ENV = "KISI_NEW_PASSPHRASE"  # noqa: S105 - the name of a variable, not a secret
RECOVERY_CODE_ENV = "KISI_RECOVERY_CODE"
# ``kisi older-copy`` while the file is an older copy not gone on with (3 is an internal
# error, cli/main.py).
OLDER_COPY_EXIT = 4


def register(sub: Any) -> None:
    """Add ``init``, ``passphrase`` and ``unlock``."""
    p = sub.add_parser("init", help=command_help("init"))
    add_json(p)
    p.set_defaults(handler=init)

    p = sub.add_parser("passphrase", help=command_help("passphrase"))
    actions = add_actions(p)
    c = actions.add_parser(
        "change", help=_("set a new passphrase (new one from KISI_NEW_PASSPHRASE or a prompt)")
    )
    add_json(c)
    c.set_defaults(handler=change_passphrase)
    r = actions.add_parser(
        "recovery",
        help=_(
            "make a new recovery code (the sheet was lost); the old code stops opening "
            "this vault, but still opens backups made before"
        ),
    )
    r.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    add_json(r)
    r.set_defaults(handler=new_recovery_code)
    k = actions.add_parser(
        "renew-keys",
        help=_(
            "renew every key of the vault and seal every record again (a recovery sheet or "
            "passphrase someone else may know); a new recovery code is shown"
        ),
    )
    k.add_argument(
        "--new-passphrase",
        action="store_true",
        help=_("set a new passphrase too (from KISI_NEW_PASSPHRASE or a prompt)"),
    )
    k.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    add_json(k)
    k.set_defaults(handler=renew_keys)

    p = sub.add_parser("unlock", help=command_help("unlock"))
    p.add_argument(
        "--recovery-code",
        action="store_true",
        help=_("use the recovery code (from KISI_RECOVERY_CODE or a prompt)"),
    )
    p.add_argument(
        "--new-passphrase-from-env",
        action="store_true",
        help=_("then set the passphrase from KISI_NEW_PASSPHRASE"),
    )
    add_json(p)
    p.set_defaults(handler=unlock)

    p = sub.add_parser("older-copy", help=command_help("older-copy"))
    p.add_argument(
        "--go-on",
        action="store_true",
        help=_("go on with this file: the next bundle starts a new series (epoch)"),
    )
    add_json(p)
    p.set_defaults(handler=older_copy)


def new_passphrase(ctx: Context, env_name: str, prompt: str) -> str:
    """A new secret from ``env_name``, else typed twice without echo."""
    value = os.environ.get(env_name)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(
            _("No passphrase given: set {env} or run the command in a terminal.").format(
                env=env_name
            )
        )
    first = getpass.getpass(prompt)
    if getpass.getpass(_("Repeat the passphrase: ")) != first:
        raise UserError(_("The two passphrases differ; nothing was changed."))
    return first


def recovery_lines(path: Path, code: str) -> list[str]:
    """The text that shows a new vault's recovery code (once, at creation)."""
    return [
        _("Created the vault {path}.").format(path=path),
        _("Recovery code (write it down and keep it apart from the computer; shown only once):"),
        "",
        "    " + code,
        "",
    ]


def init(ctx: Context, args: argparse.Namespace) -> int:
    """Create the vault and show the recovery code once."""
    path = ctx.vault_path
    if path.is_dir():
        raise UserError(
            _("{path} is a folder: give the vault's file name too (e.g. {example}).").format(
                path=path, example=path / "vault.kisi"
            )
        )
    if path.exists():
        if not is_vault_file(path):
            raise UserError(
                _("{path} is a file but no KISI vault: nothing was changed; choose another "
                  "name.").format(path=path)
            )  # fmt: skip
        raise VaultExists(
            _("A vault already exists at {path}; nothing was changed.").format(path=path)
        )
    passphrase = new_passphrase(ctx, "KISI_PASSPHRASE", _("New passphrase: "))
    # Private like the vault inside it: others see no file names, sizes or times.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    ws, code = Workspace.create(path, passphrase)
    ws.lock()
    ctx.emit({"vault": str(path), "recovery_code": code}, recovery_lines(path, code))
    return 0


def change_passphrase(ctx: Context, args: argparse.Namespace) -> int:
    """Rewrap the vault key under a new passphrase."""
    ws = ctx.open_workspace()
    new = new_passphrase(ctx, NEW_PASSPHRASE_ENV, _("New passphrase: "))
    ws.change_passphrase(new)
    ctx.emit({"vault": str(ctx.vault_path), "changed": True}, _("The passphrase was changed."))
    return 0


def new_recovery_code(ctx: Context, args: argparse.Namespace) -> int:
    """Replace the recovery code; the passphrase is asked for again even when the vault
    could be opened otherwise, as the window asks for it."""
    passphrase = ctx.secret("KISI_PASSPHRASE", _("Passphrase: "))
    ws = ctx.open_workspace(passphrase=passphrase)
    prompt = _(
        "Make a new recovery code? The old one stops opening this vault; backups made "
        "before still open with it. Type “yes” to confirm: "
    )
    if not _confirmed_change(ctx, args, prompt):
        return 1
    code = ws.replace_recovery_code(passphrase)
    ctx.emit(
        {"vault": str(ctx.vault_path), "recovery_code": code},
        _code_lines(
            code,
            _("The old code no longer opens this vault. Backups made before today still "
              "open with it: keep them as safe as the old sheet, or delete them."),
        ),
    )  # fmt: skip
    return 0


def _confirmed_change(ctx: Context, args: argparse.Namespace, prompt: str) -> bool:
    """``--yes`` or "yes" typed; else says that nothing was changed."""
    refused = _("Nothing was changed: confirm with --yes when not running in a terminal.")
    if confirmed(args, prompt, refused=refused):
        return True
    ctx.warn(_("Nothing was changed."))
    return False


def _code_lines(code: str, after: str) -> list[str]:
    """A new recovery code, shown once, and what it means for the old one."""
    return [
        _("New recovery code (write it down and keep it apart from the computer; shown "
          "only once):"),
        "",
        "    " + code,
        "",
        after,
    ]  # fmt: skip


def renew_keys(ctx: Context, args: argparse.Namespace) -> int:
    """Renew every key (``Workspace.renew_keys``); the passphrase is asked for again, as
    for a new recovery code."""
    passphrase = ctx.secret("KISI_PASSPHRASE", _("Passphrase: "))
    ws = ctx.open_workspace(passphrase=passphrase)
    new = (
        new_passphrase(ctx, NEW_PASSPHRASE_ENV, _("New passphrase: "))
        if args.new_passphrase
        else None
    )
    prompt = _(
        "Renew every key of this vault? The old recovery code stops opening it, and so "
        "does the old passphrase if you set a new one; backups made before still open "
        "with them. Type “yes” to confirm: "
    )
    if not _confirmed_change(ctx, args, prompt):
        return 1
    ctx.warn(_("Sealing {n} records again with new keys…").format(n=ws.count()))
    with TerminalProgress(ctx.stderr, ctx.as_json, _("Renewing the keys")) as show:
        code = ws.renew_keys(passphrase, new_passphrase=new, progress=show.pieces)
    if ws.vault.checkpoint_owed:
        ctx.warn(
            _(
                "Another program is reading the vault file (a backup?): until it is done and "
                "the vault is opened again, a copy of the file would still open with the "
                "old secrets."
            )
        )
    ctx.emit(
        {
            "vault": str(ctx.vault_path),
            "recovery_code": code,
            "passphrase_changed": new is not None,
        },
        [
            _("Every key of the vault was renewed."),
            *_code_lines(
                code,
                _("The old recovery code no longer opens this vault. Backups made before "
                  "today still open with the old code and passphrase: make a new backup "
                  "now, and delete the older ones."),
            ),
        ],
    )  # fmt: skip
    return 0


def unlock(ctx: Context, args: argparse.Namespace) -> int:
    """Open the vault with the passphrase or the recovery code; optionally set a new passphrase."""
    if args.recovery_code:
        code = ctx.secret(RECOVERY_CODE_ENV, _("Recovery code: "))
        ws = ctx.open_workspace(recovery_code=code)
    else:
        ws = ctx.open_workspace()
    changed = False
    if args.new_passphrase_from_env:
        new = os.environ.get(NEW_PASSPHRASE_ENV)
        if not new:
            raise UserError(
                _("{env} is not set; the passphrase was not changed.").format(
                    env=NEW_PASSPHRASE_ENV
                )
            )
        ws.change_passphrase(new)
        changed = True
    elif args.recovery_code and sys.stdin.isatty() and not ctx.as_json:
        answer = input(_("Set a new passphrase now? [y/N] ")).strip().lower()
        if answer in ("y", "yes", "j", "ja"):
            ws.change_passphrase(new_passphrase(ctx, NEW_PASSPHRASE_ENV, _("New passphrase: ")))
            changed = True
    lines = [_("The vault opens ({n} records).").format(n=ws.count())]
    if changed:
        lines.append(_("The passphrase was changed."))
    ctx.emit(
        {
            "vault": str(ctx.vault_path),
            "ok": True,
            "records": ws.count(),
            "passphrase_changed": changed,
        },
        lines,
    )
    return 0


def older_copy(ctx: Context, args: argparse.Namespace) -> int:
    """Whether the file is an older copy (exit :data:`OLDER_COPY_EXIT` while it is);
    ``--go-on`` accepts it."""
    ctx.tell_older_copy = False
    ws = ctx.open_workspace()
    found = ws.older_copy
    if found is not None and args.go_on:
        accept_older_copy(ws)
        ctx.emit(
            {"older_copy": True, "accepted": True},
            _("Going on with this file: the next bundle starts a new series."),
        )
        return 0
    if found is None:
        ctx.emit(
            {"older_copy": False},
            _("The vault file is not older than the one last locked on this computer."),
        )
        return 0
    ctx.emit(
        {"older_copy": True, "file_seq": found.file_seq, "marked_seq": found.mark.seq},
        older_copy_message(found),
    )
    return OLDER_COPY_EXIT
