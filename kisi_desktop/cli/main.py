"""The ``kisi`` command: root parser, global options, secrets, exit codes, error printing.

Exit codes: 0 ok, 1 user error (one line on stderr, never a traceback), 2 usage error
(argparse), 3 a bug, 130 cancelled with Ctrl+C. Secrets come from ``KISI_PASSPHRASE`` /
``KISI_NEW_PASSPHRASE`` or a prompt that does not echo. Sub-command modules each add their
parsers with ``register(sub)``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kisi_desktop.core.errors import KisiError, SealBroken, UserError, VaultNotFound
from kisi_desktop.core.files import os_error_message
from kisi_desktop.core.hardening import harden_process
from kisi_desktop.core.i18n import UI_LANGUAGES, _, set_ui_language
from kisi_desktop.core.older_copy import Marks, older_copy_message
from kisi_desktop.core.paths import resolve_vault_path
from kisi_desktop.core.settings import load_settings

from kisi_desktop.cli.argparse_i18n import speak_argparse
from kisi_desktop.cli.command_list import module_of
from kisi_desktop.cli.placeholders import speak_placeholders

from kisi_desktop import __version__

if TYPE_CHECKING:
    # Read when a command needs them, not at start: until main() runs, Ctrl+C can only
    # end the command with a traceback, and these took a second to read on a slow laptop.
    from kisi_desktop.core.workspace import Workspace

Handler = Callable[["Context", argparse.Namespace], int]

# Ctrl+C: 128 + SIGINT, as shells report a command the signal ended, so that a script can
# tell "stopped by the guide" from "refused" (1).
CANCELLED = 130


def _json_value(value: Any) -> Any:
    """What --json prints for a value JSON has no type for: a held-back report cell as
    bundles send it (``withheld``; a Python name was printed before), anything else as
    text (dates, amounts)."""
    from kisi_desktop.bundles.manifest import WITHHELD_MARK
    from kisi_desktop.reports.indicators import Withheld

    return WITHHELD_MARK if isinstance(value, Withheld) else str(value)


@dataclass
class Context:
    """What every sub-command needs: the vault path, output mode and how to get secrets."""

    vault_path: Path
    as_json: bool
    stdout: Any = field(default_factory=lambda: sys.stdout)
    stderr: Any = field(default_factory=lambda: sys.stderr)
    _workspace: Workspace | None = None
    # Whether opening the vault says on stderr that it is an older copy (``kisi
    # older-copy`` says it itself).
    tell_older_copy: bool = True

    def secret(self, env_name: str, prompt: str) -> str:
        """A secret from the environment, else asked for without echo."""
        value = os.environ.get(env_name)
        if value is not None:
            return value
        if not sys.stdin.isatty():
            raise UserError(
                _("No passphrase given: set {env} or run the command in a terminal.").format(
                    env=env_name
                )
            )
        return getpass.getpass(prompt)

    def open_workspace(
        self, *, recovery_code: str | None = None, passphrase: str | None = None
    ) -> Workspace:
        """Unlock the vault once per command; integrity problems are reported on stderr.
        ``passphrase``: already asked for (a command that needs it again)."""
        if self._workspace is None:
            from kisi_desktop.core.workspace import Workspace

            if not self.vault_path.exists():
                raise VaultNotFound(
                    _("No vault at {path}. Create one with `kisi init`.").format(
                        path=self.vault_path
                    )
                )
            marks = Marks.for_user()
            if recovery_code is not None:
                ws = Workspace.open(self.vault_path, recovery_code=recovery_code, marks=marks)
            else:
                ws = Workspace.open(
                    self.vault_path,
                    passphrase=passphrase or self.secret("KISI_PASSPHRASE", _("Passphrase: ")),
                    marks=marks,
                )
            for problem in ws.problems:
                self.warn(_("Integrity warning: {problem}").format(problem=problem))
            if ws.older_copy is not None and self.tell_older_copy:
                self.warn(older_copy_message(ws.older_copy))
                self.warn(_("To go on with this file: kisi older-copy --go-on"))
            self._workspace = ws
        return self._workspace

    def adopt(self, workspace: Workspace) -> None:
        """Use a workspace the command made itself (e.g. a new vault); locked at the end."""
        self._workspace = workspace

    def close(self) -> None:
        """Lock the vault if a command opened it."""
        if self._workspace is not None:
            self._workspace.lock()
            self._workspace = None

    def emit(self, data: Any, text: str | Sequence[str]) -> None:
        """Print ``data`` as JSON with --json, else the human-readable text."""
        if self.as_json:
            json.dump(data, self.stdout, ensure_ascii=False, indent=2, default=_json_value)
            self.stdout.write("\n")
        elif isinstance(text, str):
            self.stdout.write(text + "\n")
        else:
            for line in text:
                self.stdout.write(line + "\n")

    def warn(self, message: str) -> None:
        """One line on stderr."""
        self.stderr.write(message + "\n")


def build_parser(full: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The root parser with every sub-command registered: in full for the modules named in
    ``full`` (all with None), as an outline for the others (``cli/commands.py``)."""
    from kisi_desktop.cli import commands

    parser = argparse.ArgumentParser(
        prog="kisi",
        description=_("KISI Desktop on the command line: the encrypted vault of a guide."),
        epilog=_epilog(),
        formatter_class=_KeepLines,
        # No shortened options before the command: "--lan en" would set the language of
        # nothing (the messages' language is read from "--lang" before parsing) while
        # looking as if it did. Refused, it names the option to type.
        allow_abbrev=False,
    )
    # Its help given here: Python 3.11's argparse has it as a default never looked up in
    # a catalog, so `kisi --help` said it in English among German lines.
    parser.add_argument(
        "--version",
        action="version",
        version=f"kisi {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--vault",
        metavar="PATH",
        help=_("vault file (default: KISI_VAULT or the user data folder)"),
    )
    parser.add_argument("--lang", choices=("de", "en"), help=_("language of messages"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), required=True)
    commands.register(sub, full)
    speak_placeholders(parser)
    return parser


class _KeepLines(argparse.HelpFormatter):
    """Wraps a paragraph as argparse does, but keeps the lines of a text that has its own
    (the epilog's examples and tables)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" not in text:
            return super()._fill_text(text, width, indent)
        return "".join(indent + line for line in text.splitlines(keepends=True))


def _epilog() -> str:
    """What `kisi --help` says below the commands: examples, where the vault and the
    secrets come from, and the exit codes a script can rely on (they were written down in
    the README only, which a town's IT on a fresh machine does not have)."""
    return "\n\n".join(
        (
            _(
                "examples:\n"
                "  kisi init                          make a vault; shows the recovery code once\n"
                '  kisi person add --name "Amina Haidari" --birth-year 1994\n'
                "  kisi contact add --person ID --topic housing --minutes 30 --date 15.3.2026\n"
                "  kisi report --period 2026-Q1 --pdf report.pdf\n"
                "  kisi backup /media/STICK           a backup on a USB stick\n"
                "  kisi COMMAND --help                the options of one command"
            ),
            _(
                "Dates are written 2026-03-15 or 15.3.2026. --vault and --lang go before\n"
                "the command. --json prints machine-readable output on standard output;\n"
                "messages and errors go to standard error."
            ),
            _(
                "environment:\n"
                "  KISI_VAULT           the vault file (instead of --vault)\n"
                "  KISI_PASSPHRASE      the passphrase (otherwise asked for, not shown)\n"
                "  KISI_NEW_PASSPHRASE  a new passphrase (passphrase change, renew-keys)\n"
                "  KISI_RECOVERY_CODE   the recovery code (--recovery-code)\n"
                "  KISI_LANG            de or en (instead of --lang)"
            ),
            _(
                "exit codes:\n"
                "  0    done\n"
                "  1    a problem to put right, said in one line (wrong passphrase,\n"
                "       missing file, full disk)\n"
                "  2    the command was typed wrong (an unknown or missing option)\n"
                "  3    an internal error: please report it (KISI_DEBUG=1 shows the details)\n"
                "  4    kisi older-copy: the vault file is an older copy\n"
                "  130  cancelled with Ctrl+C"
            ),
        )
    )


def _global_lang(argv: Sequence[str]) -> str | None:
    """The ``--lang`` given before the command (``--lang en`` or ``--lang=en``); one after
    it belongs to the command (``handout render --lang ar``) and says nothing of the
    language of the messages."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word.startswith("--lang="):
            return word.partition("=")[2]
        if word == "--lang":
            return argv[i + 1] if i + 1 < len(argv) else None
        if word == "--vault":
            i += 2
            continue
        if not word.startswith("-"):
            return None  # the command
        i += 1
    return None


def _json_flag(argv: Sequence[str]) -> bool:
    return "--json" in argv


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (also used by the console script)."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        # Ctrl+C while the command was still starting (reading its modules and building
        # the parser take a second or two): a traceback was printed.
        sys.stderr.write(_("Cancelled.") + "\n")
        return CANCELLED


def _run(argv: Sequence[str] | None) -> int:
    harden_process()
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _global_lang(argv) or os.environ.get("KISI_LANG") or load_settings().language
    if lang in UI_LANGUAGES:
        set_ui_language(lang)
    speak_argparse()
    # First with the commands in outline: enough for `kisi --help` and a mistyped command,
    # and it names the command, whose module alone is then read (cli/commands.py).
    outline, _rest = build_parser(full=()).parse_known_args(argv)
    module = module_of(outline.command)
    args = build_parser(full=() if module is None else (module,)).parse_args(argv)
    ctx = Context(
        vault_path=resolve_vault_path(args.vault), as_json=bool(getattr(args, "json", False))
    )
    handler: Handler = args.handler
    try:
        return handler(ctx, args)
    except UserError as exc:
        # On the same line: the message says what to do, the hint what to type for it.
        from kisi_desktop.cli.hints import command_hint

        message = " ".join(part for part in (str(exc), command_hint(exc)) if part)
        code = getattr(exc, "code", None)
        if isinstance(code, str):
            # Refused outside input. The message says in words what is wrong; the reason
            # code ("malformed") is for scripts, so only --json prints it.
            ctx.warn(_("Refused: {message}").format(message=message))
            if ctx.as_json:
                ctx.emit({"refused": {"reason": code, "message": message}}, "")
        else:
            ctx.warn(_("Error: {message}").format(message=message))
        return 1
    except SealBroken:
        ctx.warn(
            _("Error: {message}").format(
                message=_("a sealed part of the file does not open: it was altered or damaged.")
            )
        )
        return 1
    except KisiError as exc:
        ctx.warn(_("Error: {message}").format(message=type(exc).__name__))
        return 1
    except KeyboardInterrupt:
        ctx.warn(_("Cancelled."))
        return CANCELLED
    except BrokenPipeError:
        # The reader went away (`kisi person list | head`): stop quietly, as other tools do.
        _silence_stdout()
        return 1
    except OSError as exc:
        ctx.warn(_("Error: {message}").format(message=os_error_message(exc)))
        return 1
    except Exception as exc:
        # A bug. One line without personal data; KISI_DEBUG=1 shows the traceback.
        if os.environ.get("KISI_DEBUG"):
            raise
        ctx.warn(_("Internal error ({kind}); please report it.").format(kind=type(exc).__name__))
        return 3
    finally:
        ctx.close()


def _silence_stdout() -> None:
    """Point stdout at the null device so that the interpreter's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (tests)
        pass


if __name__ == "__main__":
    raise SystemExit(main())
