"""``kisi provision``, ``kisi export``, ``kisi bundles``, ``kisi receipts``: sync by file.

The file route always works: a bundle goes onto a USB stick or into a mail, a receipt
comes back the same way. Every command prints what happened per file, and with --json
the same as data for scripts.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import read_limited
from kisi_desktop.core.i18n import N_, _, format_date, ui_language

from kisi_desktop.bundles.export import (
    choose_period,
    export_bundle,
    ledger,
    overdue,
    preview,
    summary_lines,
    write_bundle,
)
from kisi_desktop.bundles.ledger_table import LEDGER_COLUMNS, ledger_rows, ledger_sheet, shown
from kisi_desktop.bundles.limits import MAX_PROVISIONING_FILE, MAX_RECEIPT_FILE
from kisi_desktop.bundles.provisioning import fingerprint, install_provisioning
from kisi_desktop.bundles.reasons import OVERSIZED, Rejected, reason_label
from kisi_desktop.bundles.receipts import apply_receipt
from kisi_desktop.cli.args import add_actions, add_json
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table
from kisi_desktop.cli.progress import TerminalProgress
from kisi_desktop.reports.csv_export import csv_bytes


def register(sub: Any) -> None:
    """Add ``provision``, ``export``, ``bundles`` and ``receipts``."""
    p = sub.add_parser("provision", help=command_help("provision"))
    p.add_argument(
        "file",
        type=Path,
        metavar=_("FILE"),
        help=_("the signed provisioning file from the ministry"),
    )
    p.add_argument(
        "--fingerprint",
        help=_("the ministry key's fingerprint, confirmed with the ministry by phone or letter"),
    )
    p.add_argument("--accept-demo", action="store_true", help=_("accept a DEMO provisioning file"))
    add_json(p)
    p.set_defaults(handler=provision)

    e = sub.add_parser("export", help=command_help("export"))
    when = e.add_mutually_exclusive_group()
    when.add_argument("--period", help=_("PY1, 2026, 2026-Q1 or 2026-01-01..2026-03-31"))
    when.add_argument(
        "--since-last",
        action="store_true",
        help=_("from the day after the last bundle until today (the default)"),
    )
    when.add_argument("--again", type=int, metavar="SEQ", help=_("write bundle SEQ again"))
    e.add_argument("--out", type=Path, required=True, help=_("folder, e.g. a USB stick"))
    e.add_argument(
        "--preview", action="store_true", help=_("only show what would leave the laptop")
    )
    add_json(e)
    e.set_defaults(handler=export)

    b = sub.add_parser("bundles", help=command_help("bundles"))
    b.add_argument("--csv", type=Path, metavar="FILE", help=_("write the ledger as CSV"))
    add_json(b)
    b.set_defaults(handler=list_bundles)

    r = sub.add_parser("receipts", help=command_help("receipts"))
    actions = add_actions(r)
    i = actions.add_parser("import", help=_("verify receipts and mark bundles confirmed"))
    i.add_argument(
        "files", type=Path, nargs="+", metavar=_("FILE"), help=_("receipt files from the ministry")
    )
    add_json(i)
    i.set_defaults(handler=import_receipts)


def _read(path: Path, limit: int) -> bytes:
    """A file from outside, read no further than its limit."""
    try:
        data = read_limited(path, limit)
    except OSError as error:
        raise UserError(
            _("Cannot read {name}: {reason}").format(name=path, reason=error.strerror)
        ) from None
    if len(data) > limit:
        raise Rejected(OVERSIZED, _("{name} is larger than allowed.").format(name=path.name))
    return data


def provision(ctx: Context, args: argparse.Namespace) -> int:
    """Install a provisioning file after checking its signature and root."""
    ws = ctx.open_workspace()
    doc = install_provisioning(
        ws,
        _read(args.file, MAX_PROVISIONING_FILE),
        confirmed_fingerprint=args.fingerprint,
        allow_demo=args.accept_demo,
    )
    data = {
        "version": doc.version,
        "expires": doc.expires.isoformat(),
        "demo": doc.demo,
        "root_fingerprint": fingerprint(doc.root_key),
        "recipients": len(doc.age_recipients),
        "intake_url": doc.intake_url,
        "participation_rows": doc.participation_rows,
    }
    lines = [
        _("Provisioning version {version} installed (valid until {expires}).").format(
            version=doc.version, expires=format_date(doc.expires)
        ),
        _("Ministry key fingerprint: {fp}").format(fp=fingerprint(doc.root_key)),
    ]
    if doc.demo:
        lines.append(_("DEMO keys: bundles made with them are for trying out only."))
    if doc.participation_rows:
        lines.append(
            _("The ministry asks for pseudonymous participation rows; bundles will carry them.")
        )
    ctx.emit(data, lines)
    return 0


def export(ctx: Context, args: argparse.Namespace) -> int:
    """Export the next bundle, or show what it would hold, or write an old one again."""
    ws = ctx.open_workspace()
    if args.again is not None:
        entry = next((e for e in ledger(ws) if e.seq == args.again), None)
        if entry is None:
            raise UserError(_("No bundle with sequence number {seq}.").format(seq=args.again))
        summary = write_bundle(ws, entry, args.out)
    elif args.preview:
        period = choose_period(ws, period=args.period, since_last=args.period is None)
        payload = preview(ws, period)
        ctx.emit(
            {"period": [period.start.isoformat(), period.end.isoformat()], **payload.counts()},
            [
                _("Period: {start} to {end}").format(
                    start=format_date(period.start), end=format_date(period.end)
                ),
                *summary_lines(payload),
                _("No names, addresses, phone numbers, notes or birth dates leave the laptop."),
            ],
        )
        return 0
    else:
        with TerminalProgress(ctx.stderr, ctx.as_json) as show:
            summary = export_bundle(
                ws, args.out, period=args.period, since_last=args.since_last, progress=show.step
            )
    entry = summary.entry
    data = {
        "seq": entry.seq,
        "epoch": entry.epoch,
        "file": str(summary.path),
        "size": summary.size,
        "manifest_sha256": entry.manifest_sha256,
        "period": [entry.period_start.isoformat(), entry.period_end.isoformat()],
        "resumed": summary.resumed,
    }
    lines = [
        _("Bundle {seq} written: {file} ({size} bytes), checked after writing.").format(
            seq=entry.seq, file=summary.path, size=summary.size
        )
    ]
    if summary.resumed:
        lines.insert(0, _("A bundle prepared earlier had not been written; it is written now."))
    ctx.emit(data, lines)
    return 0


def list_bundles(ctx: Context, args: argparse.Namespace) -> int:
    """Show (or write as CSV) every bundle with its receipt status and the warnings."""
    ws = ctx.open_workspace()
    rows = ledger_rows(ledger(ws))
    warnings = overdue(ws)
    if args.csv is not None:
        args.csv.write_bytes(csv_bytes([ledger_sheet(rows)], language=ui_language()))
    headers = [c.heading(ui_language()) for c in LEDGER_COLUMNS]
    lines = table(headers[:7], [[r[c.key] for c in LEDGER_COLUMNS[:7]] for r in shown(rows)])
    ctx.emit({"bundles": rows, "warnings": warnings}, [*lines, *warnings])
    return 0


OUTCOME_LABELS = {
    "confirmed": N_("confirmed"),
    "rejected": N_("refused by the ministry"),
    "held": N_("held by the ministry (an earlier bundle is missing)"),
    "unreadable": N_("the ministry could not read a bundle"),
    "unknown": N_("not a bundle of this vault"),
    "already": N_("already imported"),
    "refused": N_("refused"),
}


def import_receipts(ctx: Context, args: argparse.Namespace) -> int:
    """Verify each receipt file; one bad file does not stop the others."""
    ws = ctx.open_workspace()
    results = []
    failed = False
    for path in args.files:
        try:
            outcome = apply_receipt(ws, _read(path, MAX_RECEIPT_FILE), path.name)
        except Rejected as error:
            failed = True
            results.append(
                {
                    "file": path.name,
                    "status": "refused",
                    "reason": error.code,
                    "message": str(error),
                }
            )
            continue
        results.append(
            {
                "file": path.name,
                "seq": outcome.seq,
                "status": outcome.status,
                "reason": outcome.reason_code,
                "message": outcome.message,
            }
        )
    lines = [
        f"{r['file']}: {_(OUTCOME_LABELS.get(str(r['status']), str(r['status'])))}"
        + (f" #{r['seq']}" if r.get("seq") else "")
        + (f" ({reason_label(str(r['reason']))})" if r.get("reason") else "")
        + (f" - {r['message']}" if r.get("message") else "")
        for r in results
    ]
    ctx.emit({"receipts": results}, lines)
    return 1 if failed else 0
