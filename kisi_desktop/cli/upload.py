"""``kisi upload`` (the municipality) and ``kisi ministry serve`` (the ministry's intake server).

``kisi upload`` sends every bundle that waits for the ministry's answer and is due (failed
attempts back off), prints what became of each and keeps the rest queued in the ledger.
Exit code 0 when every bundle tried got an answer from the ministry (confirmed, held or
rejected), 1 when one could not be sent; it is tried again later.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from kisi_desktop.core.i18n import _, format_moment

from kisi_desktop.bundles.reasons import reason_label
from kisi_desktop.bundles.upload import UploadOutcome, is_due, pending_uploads, upload_pending
from kisi_desktop.cli.args import add_json
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import stored_moment
from kisi_desktop.ministry.server import DEFAULT_HOST, DEFAULT_PORT, serve


def register(sub: Any) -> None:
    """Add ``upload``."""
    u = sub.add_parser("upload", help=command_help("upload"))
    u.add_argument(
        "--now",
        action="store_true",
        help=_("try every waiting bundle now, even if a failed attempt set a later time"),
    )
    add_json(u)
    u.set_defaults(handler=upload)


def register_serve(ministry_actions: Any) -> None:
    """Add ``serve`` to the actions of ``kisi ministry`` (called by cli/ministry.py)."""
    s = ministry_actions.add_parser(
        "serve", help=_("run the HTTPS intake server that municipalities upload bundles to")
    )
    s.add_argument("--dir", type=Path, required=True, help=_("the ministry folder"))
    s.add_argument("--host", default=DEFAULT_HOST, help=_("address to listen on"))
    s.add_argument("--port", type=int, default=DEFAULT_PORT, help=_("port to listen on"))
    s.add_argument(
        "--cert",
        type=Path,
        help=_("TLS certificate (PEM); default DIR/tls/cert.pem, made self-signed if missing"),
    )
    s.add_argument("--key", type=Path, help=_("the certificate's private key (PEM)"))
    s.set_defaults(handler=run_server)


def outcome_line(outcome: UploadOutcome) -> str:
    """One bundle's upload in words; a refusal's reason as the window words it."""
    head = f"#{outcome.seq} {outcome.file_name}"
    if outcome.status == "confirmed":
        return _("{bundle}: confirmed by the ministry ({records} records). {message}").format(
            bundle=head, records=outcome.records, message=outcome.message
        )
    if outcome.status == "rejected":
        return _("{bundle}: REJECTED ({reason}). {message}").format(
            bundle=head, reason=reason_label(outcome.reason_code), message=outcome.message
        )
    return _("{bundle}: {message} Next attempt: {when}.").format(
        bundle=head, message=outcome.message, when=_when(outcome.next_upload_at)
    )


def _when(stored: str | None) -> str:
    """A stored moment (UTC) as the window says one, in local time; "-" for none."""
    moment = stored_moment(stored)
    if moment is None:
        return "-"
    return moment if isinstance(moment, str) else format_moment(moment)


def upload(ctx: Context, args: argparse.Namespace) -> int:
    """Upload the due bundles; list those still waiting."""
    ws = ctx.open_workspace()
    outcomes = upload_pending(ws, force=args.now)
    now = ws.clock.now()
    tried = {o.seq for o in outcomes}
    waiting = [e for e in pending_uploads(ws) if e.seq not in tried and not is_due(e, now)]
    data = {
        "uploads": [
            {
                "seq": o.seq,
                "file": o.file_name,
                "status": o.status,
                "reason_code": o.reason_code,
                "problem": o.problem,
                "records": o.records,
                "attempts": o.attempts,
                "next_upload_at": o.next_upload_at,
                "message": o.message,
            }
            for o in outcomes
        ],
        "waiting": [
            {
                "seq": e.seq,
                "file": e.file_name,
                "attempts": e.upload_attempts,
                "next_upload_at": e.next_upload_at,
                "error": e.upload_error,
            }
            for e in waiting
        ],
    }
    lines = [outcome_line(o) for o in outcomes]
    lines += [
        _("#{seq} {file}: waiting until {when} ({error})").format(
            seq=e.seq, file=e.file_name, when=_when(e.next_upload_at), error=e.upload_error or "-"
        )
        for e in waiting
    ]
    if not lines:
        lines = [_("Nothing to upload: every exported bundle has the ministry's answer.")]
    elif waiting and not outcomes:
        lines.append(_("Give --now to try them at once."))
    ctx.emit(data, lines)
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def run_server(ctx: Context, args: argparse.Namespace) -> int:
    """Run the intake server until Ctrl+C (or SIGTERM from a service manager)."""

    def say(line: str) -> None:
        ctx.stdout.write(line + "\n")
        ctx.stdout.flush()

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if sys.platform != "win32":
        try:
            signal.signal(signal.SIGTERM, terminate)
        except ValueError:  # not the main thread (tests): Ctrl+C handling stays as it is
            pass
    try:
        serve(args.dir, args.host, args.port, args.cert, args.key, log=say)
    except KeyboardInterrupt:
        say(_("Intake server stopped."))
    return 0
