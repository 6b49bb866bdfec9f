"""``kisi ministry ...``: the ministry's side on the command line (no vault is opened).

``init`` makes a ministry folder (keys, public files, intake database); ``register`` and
``revoke`` keep the registry of municipalities; ``import`` verifies bundles, imports them
and writes a receipt for each; ``confirm-epoch`` lets a new device epoch in; ``report``
shows or exports the figures; ``provision`` writes the signed file the municipalities'
apps install; ``content-pack`` (from :mod:`kisi_desktop.cli.content`) signs handout texts;
``serve`` (from :mod:`kisi_desktop.cli.upload`) runs the intake server. ``skip-gap``,
``drop`` and ``held`` are the operator's tools for bundles that wait.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kisi_desktop.core.files import os_error_reason, write_atomic
from kisi_desktop.core.i18n import N_, _, format_date, ui_language

from kisi_desktop.bundles.provisioning import fingerprint
from kisi_desktop.bundles.reasons import reason_label
from kisi_desktop.cli.args import add_actions, add_json, maybe_day
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.content import register_ministry_content_pack
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import stored_day, stored_moment, table
from kisi_desktop.cli.upload import register_serve
from kisi_desktop.ministry import intake, registry
from kisi_desktop.ministry.aggregate import Figures, figures, figures_json
from kisi_desktop.ministry.held import confirm_epoch, drop_held, held_bundles, skip_gap
from kisi_desktop.ministry.keys import Ministry, init_ministry, load_ministry
from kisi_desktop.ministry.provision import make_provisioning
from kisi_desktop.ministry.store import HELD_EPOCH, HELD_GAP, kept_file_name
from kisi_desktop.reports.csv_export import csv_bytes
from kisi_desktop.reports.pdf_report import period_label
from kisi_desktop.reports.pdf_tables import cell_text
from kisi_desktop.reports.periods import parse_period, whole_project
from kisi_desktop.reports.xlsx_export import xlsx_bytes

DIR_HELP = N_("the ministry folder (made with `kisi ministry init`)")

Release = Callable[..., list[intake.IntakeResult]]
"""``held.confirm_epoch`` or ``held.skip_gap``."""


def register(sub: Any) -> None:
    """Add ``ministry`` and its actions."""
    p = sub.add_parser("ministry", help=command_help("ministry"))
    actions = add_actions(p)

    init = actions.add_parser("init", help=_("make a ministry folder with new keys"))
    init.add_argument("--dir", required=True, help=_("the new ministry folder"))
    init.add_argument(
        "--demo", action="store_true", help=_("a demo ministry (its files are marked as demo)")
    )
    add_json(init)
    init.set_defaults(handler=init_command)

    reg = actions.add_parser("register", help=_("register a municipality's public key"))
    reg.add_argument("--dir", required=True, help=_(DIR_HELP))
    reg.add_argument("--municipality", required=True, metavar="NAME", help=_("its name"))
    reg.add_argument("--ags", required=True, help=_("its AGS (eight digits)"))
    reg.add_argument(
        "--key",
        required=True,
        metavar="PUBKEY",
        help=_("its minisign public key: a .pub file or the key's base64 line"),
    )
    how = reg.add_mutually_exclusive_group()
    how.add_argument(
        "--replace", action="store_true", help=_("replace the key of a registered municipality")
    )
    how.add_argument(
        "--add-device",
        action="store_true",
        help=_("register the key of a further device (another guide) of the municipality"),
    )
    add_json(reg)
    reg.set_defaults(handler=register_command)

    revoke = actions.add_parser("revoke", help=_("revoke a municipality's key"))
    revoke.add_argument("--dir", required=True, help=_(DIR_HELP))
    revoke.add_argument("--ags", required=True, help=_("its AGS (eight digits)"))
    revoke.add_argument(
        "--device",
        metavar="KEYID",
        help=_("revoke only this further device's key (its key ID); the others go on"),
    )
    add_json(revoke)
    revoke.set_defaults(handler=revoke_command)

    listing = actions.add_parser("list", help=_("registered municipalities with their last bundle"))
    listing.add_argument("--dir", required=True, help=_(DIR_HELP))
    add_json(listing)
    listing.set_defaults(handler=list_command)

    imp = actions.add_parser("import", help=_("verify and import bundles, write receipts"))
    imp.add_argument("--dir", required=True, help=_(DIR_HELP))
    imp.add_argument("files", nargs="+", metavar="FILE", help=_("bundle files (.kisi) or folders"))
    imp.add_argument(
        "--receipts-out",
        metavar="DIR",
        help=_("where to write the receipts (default: receipts/ in the ministry folder)"),
    )
    add_json(imp)
    imp.set_defaults(handler=import_command)

    _add_release(
        actions,
        "confirm-epoch",
        _("accept a device's new epoch (after a restore) and import it"),
        _("the new epoch"),
        confirm_epoch,
    )
    _add_release(
        actions,
        "skip-gap",
        _("give up on missing bundles and import the held ones after them"),
        _("the device epoch"),
        skip_gap,
    )

    drop = actions.add_parser(
        "drop", help=_("remove a held bundle for good: it is never imported and never counts")
    )
    drop.add_argument("--dir", required=True, help=_(DIR_HELP))
    drop.add_argument(
        "bundle",
        metavar="BUNDLE_ID",
        help=_("the bundle's manifest SHA-256 as `held` lists it (at least its first 8 digits)"),
    )
    drop.add_argument(
        "--reason",
        "--why",
        dest="why",
        required=True,
        help=_("who decided it, and why (kept in the log and sent in the receipt)"),
    )
    drop.add_argument("--receipts-out", metavar="DIR", help=_("where to write the receipt"))
    add_json(drop)
    drop.set_defaults(handler=drop_command)

    held = actions.add_parser("held", help=_("bundles held (gap, new epoch) or quarantined"))
    held.add_argument("--dir", required=True, help=_(DIR_HELP))
    add_json(held)
    held.set_defaults(handler=held_command)

    report = actions.add_parser("report", help=_("figures per municipality and all together"))
    report.add_argument("--dir", required=True, help=_(DIR_HELP))
    report.add_argument(
        "--period", help=_("PY1..PY3, project (default), 2026, 2026-Q1 or FROM..TO")
    )
    report.add_argument("--csv", metavar="FILE", help=_("write every table as one CSV file"))
    report.add_argument("--xlsx", metavar="FILE", help=_("write a workbook, one sheet per table"))
    report.add_argument(
        "--report-lang",
        choices=("de", "en"),
        default="de",
        help=_("language of the files (default: de)"),
    )
    add_json(report)
    report.set_defaults(handler=report_command)

    prov = actions.add_parser(
        "provision", help=_("write the signed provisioning file for the municipalities")
    )
    prov.add_argument("--dir", required=True, help=_(DIR_HELP))
    prov.add_argument("--out", required=True, metavar="FILE", help=_("the file to write"))
    prov.add_argument("--expires", metavar="DATE", help=_("last valid day (default: in a year)"))
    prov.add_argument(
        "--participation-rows",
        action="store_true",
        help=_("ask bundles for pseudonymous participation rows (AMIF audits)"),
    )
    prov.add_argument("--intake-url", metavar="URL", help=_("the intake server's https:// URL"))
    prov.add_argument(
        "--spki-pin",
        action="append",
        metavar="HEX",
        help=_("SHA-256 of the intake server's public key (repeatable)"),
    )
    prov.add_argument(
        "--version", dest="doc_version", type=int, help=_("the document's version (default: next)")
    )
    add_json(prov)
    prov.set_defaults(handler=provision_command)

    register_ministry_content_pack(actions)
    register_serve(actions)


def _add_release(
    actions: Any, name: str, help_text: str, epoch_help: str, release: Release
) -> None:
    """``confirm-epoch`` or ``skip-gap``: one device epoch's held bundles let in."""
    p = actions.add_parser(name, help=help_text)
    p.add_argument("--dir", required=True, help=_(DIR_HELP))
    p.add_argument("--ags", required=True, help=_("the municipality's AGS"))
    p.add_argument("--device", required=True, help=_("the device id"))
    p.add_argument("--epoch", required=True, type=int, help=epoch_help)
    p.add_argument(
        "--why", required=True, help=_("who confirmed it, and how (kept with the record)")
    )
    p.add_argument("--receipts-out", metavar="DIR", help=_("where to write the receipts"))
    add_json(p)
    p.set_defaults(handler=release_command, release=release)


def _open(args: argparse.Namespace) -> Ministry:
    return load_ministry(Path(args.dir).expanduser())


def _receipts_dir(args: argparse.Namespace, ministry: Ministry) -> Path:
    """Where receipts go: ``--receipts-out``, else the ministry folder's ``receipts/``."""
    out_dir = Path(args.receipts_out).expanduser() if args.receipts_out else ministry.receipts_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


# -- init, register, revoke, list ------------------------------------------------------------


def init_command(ctx: Context, args: argparse.Namespace) -> int:
    """Make the folder and print what to hand out (recipient, root key fingerprint)."""
    with init_ministry(Path(args.dir).expanduser(), demo=args.demo) as ministry:
        assert ministry.root is not None  # noqa: S101 - init writes the root key
        root = ministry.root.public.base64()
        data = {
            "dir": str(ministry.path),
            "demo": ministry.demo,
            "recipient": ministry.recipient,
            "root_key": root,
            "root_fingerprint": fingerprint(root),
            "content_key_id": ministry.content.public.key_id_hex(),
            "receipt_key_id": ministry.receipt.public.key_id_hex(),
        }
        lines = [
            _("Ministry folder made: {path}").format(path=ministry.path),
            _("Bundles are encrypted to: {recipient}").format(recipient=ministry.recipient),
            _("Root key fingerprint (read it out to the municipalities): {fp}").format(
                fp=fingerprint(root)
            ),
            _("Private keys are in {path}; keep the folder safe and backed up.").format(
                path=ministry.path / "keys"
            ),
        ]
        if ministry.demo:
            lines.append(_("This is a DEMO ministry: never use it for real data."))
    ctx.emit(data, lines)
    return 0


def _key_text(value: str) -> str:
    """The key given on the command line: the contents of a file, or the text itself."""
    candidate = Path(value).expanduser()
    if len(value) < 4096 and candidate.is_file():
        if candidate.stat().st_size > 4096:
            return ""  # not a public key file; parse_key says so
        return candidate.read_text("utf-8", errors="replace")
    return value


def _town_json(town: registry.Municipality) -> dict[str, Any]:
    return {
        "ags": town.ags,
        "name": town.name,
        "key": town.key,
        "key_id": town.key_id,
        "profile": town.profile,
        "registered_at": town.registered_at,
        "revoked_at": town.revoked_at,
    }


def register_command(ctx: Context, args: argparse.Namespace) -> int:
    """Register (or, with --replace, re-key) a municipality."""
    with _open(args) as ministry:
        if args.add_device:
            key = registry.add_device_key(ministry, args.ags, _key_text(args.key))
            ctx.emit(
                {"ags": args.ags, "key_id": key.key_id_hex()},
                _("Further device key {key_id} registered for AGS {ags}.").format(
                    key_id=key.key_id_hex(), ags=args.ags
                ),
            )
            return 0
        town = registry.register(
            ministry,
            ags=args.ags,
            name=args.municipality,
            key=_key_text(args.key),
            replace=args.replace,
        )
    ctx.emit(
        _town_json(town),
        _("Registered {name} (AGS {ags}) with key {key_id}.").format(
            name=town.name, ags=town.ags, key_id=town.key_id
        ),
    )
    return 0


def revoke_command(ctx: Context, args: argparse.Namespace) -> int:
    """Revoke a municipality's key, or one further device's."""
    with _open(args) as ministry:
        if args.device:
            registry.revoke_device_key(ministry, args.ags, args.device)
            ctx.emit(
                {"ags": args.ags, "revoked_device_key": args.device.upper()},
                _("Device key {key_id} of AGS {ags} is revoked.").format(
                    key_id=args.device.upper(), ags=args.ags
                ),
            )
            return 0
        town = registry.revoke(ministry, args.ags)
    ctx.emit(
        _town_json(town),
        _(
            "Key {key_id} of {name} (AGS {ags}) is revoked; register a new one with --replace."
        ).format(key_id=town.key_id, name=town.name, ags=town.ags),
    )
    return 0


def list_command(ctx: Context, args: argparse.Namespace) -> int:
    """Every municipality with its last bundle and open problems."""
    with _open(args) as ministry:
        rows = registry.overview(ministry)
    data = [
        {
            **_town_json(s.municipality),
            "devices": s.devices,
            "bundles_imported": s.bundles_imported,
            "last_seq": s.last_seq,
            "last_received_at": s.last_received_at,
            "last_period_end": s.last_period_end,
            "held": s.held,
            "quarantined": s.quarantined,
            "rejected": s.rejected,
        }
        for s in rows
    ]
    lines = table(
        [
            _("AGS"),
            _("Municipality"),
            _("Key"),
            _("Bundles"),
            _("Last"),
            _("Covered to"),
            _("Held"),
            _("Quarantined"),
            _("Rejected"),
        ],
        [
            [
                s.municipality.ags,
                s.municipality.name,
                s.municipality.key_id + (" " + _("(revoked)") if s.municipality.revoked else ""),
                s.bundles_imported,
                s.last_seq,
                stored_day(s.last_period_end),
                s.held,
                s.quarantined,
                s.rejected,
            ]
            for s in rows
        ],
    )
    ctx.emit(data, lines if rows else [_("No municipality is registered yet.")])
    return 0


# -- import ------------------------------------------------------------------------------------


def _bundle_files(values: Sequence[str]) -> list[Path]:
    """The files given, folders expanded to their ``.kisi`` files in name order."""
    files: list[Path] = []
    for value in values:
        path = Path(value).expanduser()
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix == ".kisi" and p.is_file())
        else:
            files.append(path)
    return files


def _outcome_word(outcome: str) -> str:
    return {
        intake.OUTCOME_IMPORTED: _("imported"),
        intake.OUTCOME_DUPLICATE: _("duplicate"),
        intake.OUTCOME_HELD: _("held"),
        intake.OUTCOME_REJECTED: _("rejected"),
    }.get(outcome, outcome)


def _result_json(result: intake.IntakeResult, receipt: Path | None) -> dict[str, Any]:
    return {
        "file": result.file_name,
        "outcome": result.outcome,
        "reason_code": result.reason_code,
        "message": result.message,
        "manifest_sha256": result.manifest_sha256,
        "ags": result.ags,
        "device_id": result.device_id,
        "epoch": result.epoch,
        "seq": result.seq,
        "records": result.records,
        "receipt": None if receipt is None else str(receipt),
    }


def _report_results(
    ctx: Context, results: Sequence[intake.IntakeResult], out_dir: Path
) -> tuple[list[dict[str, Any]], list[str], int]:
    """Write each receipt; the JSON, the lines to print and how many were rejected."""
    data: list[dict[str, Any]] = []
    lines: list[str] = []
    rejected = 0
    for top in results:
        for result in top.all():
            receipt = None
            if result.receipt is not None:
                receipt = out_dir / result.receipt_name
                write_atomic(receipt, result.receipt)
            data.append(_result_json(result, receipt))
            word = _outcome_word(result.outcome)
            if result.reason_code and result.outcome != intake.OUTCOME_DUPLICATE:
                word += f" ({reason_label(result.reason_code)})"
            lines.append(f"{result.file_name}: {word}: {result.message}")
            rejected += result.outcome == intake.OUTCOME_REJECTED
    return data, lines, rejected


def import_command(ctx: Context, args: argparse.Namespace) -> int:
    """Import each file; print what became of it; write its receipt."""
    files = _bundle_files(args.files)
    with _open(args) as ministry:
        out_dir = _receipts_dir(args, ministry)
        results = []
        for path in files:
            try:
                results.append(intake.import_path(ministry, path))
            except OSError as error:
                ctx.warn(
                    _("{file}: cannot be read ({reason}); skipped.").format(
                        file=kept_file_name(path.name, "-"), reason=os_error_reason(error)
                    )
                )
        data, lines, rejected = _report_results(ctx, results, out_dir)
    lines.append(_("Receipts written to {folder}.").format(folder=out_dir))
    ctx.emit({"results": data, "receipts_dir": str(out_dir)}, lines)
    if rejected or len(results) != len(files):
        ctx.warn(
            _("{bad} of {total} files were not imported.").format(
                bad=rejected + len(files) - len(results), total=len(files)
            )
        )
        return 1
    return 0


def release_command(ctx: Context, args: argparse.Namespace) -> int:
    """Let one device epoch's held bundles in (``args.release``: accept a new epoch, or give
    up on missing bundles) and import them; print what became of each, write receipts."""
    with _open(args) as ministry:
        out_dir = _receipts_dir(args, ministry)
        results = args.release(
            ministry, registry.check_ags(args.ags), args.device.strip(), args.epoch, why=args.why
        )
        data, lines, _rejected = _report_results(ctx, results, out_dir)
    ctx.emit({"results": data, "receipts_dir": str(out_dir)}, lines)
    return 0


def drop_command(ctx: Context, args: argparse.Namespace) -> int:
    """Drop one held bundle; print what became of it and write its "rejected" receipt."""
    with _open(args) as ministry:
        out_dir = _receipts_dir(args, ministry)
        result = drop_held(ministry, args.bundle, why=args.why)
        data, lines, _rejected = _report_results(ctx, [result], out_dir)
        waiting = {
            h.status
            for h in held_bundles(ministry)
            if (h.ags, h.device_id, h.epoch) == (result.ags, result.device_id, result.epoch)
        }
    where = {"ags": result.ags, "device": result.device_id, "epoch": result.epoch}
    # What lets the device's later bundles in now: nothing waits, the epoch still waits
    # for its confirmation, or the dropped number is a gap to give up.
    if HELD_EPOCH in waiting:
        lines.append(
            _(
                "Later bundles of this device wait for their new epoch to be confirmed first: "
                "kisi ministry confirm-epoch --ags {ags} --device {device} --epoch {epoch} "
                "--why TEXT"
            ).format(**where)
        )
    elif HELD_GAP in waiting:
        lines.append(
            _(
                "Later bundles of this device wait for it as for a missing bundle; to give it "
                "up: kisi ministry skip-gap --ags {ags} --device {device} --epoch {epoch} "
                "--why TEXT"
            ).format(**where)
        )
    ctx.emit({"results": data, "receipts_dir": str(out_dir)}, lines)
    return 0


def held_command(ctx: Context, args: argparse.Namespace) -> int:
    """Bundles waiting (gap, new epoch) or in quarantine (fork)."""
    with _open(args) as ministry:
        waiting = held_bundles(ministry)
    data = [
        {
            "ags": h.ags,
            "device_id": h.device_id,
            "epoch": h.epoch,
            "seq": h.seq,
            "status": h.status,
            "received_at": h.received_at,
            "file": h.file_name,
            "manifest_sha256": h.manifest_sha256,
        }
        for h in waiting
    ]
    # The first 12 digits of the manifest hash name a bundle for `drop` (8 would do).
    lines = table(
        [
            _("ID"),
            _("AGS"),
            _("Device"),
            _("Epoch"),
            _("Bundle"),
            _("Status"),
            _("Received"),
            _("File"),
        ],
        [
            [
                h.manifest_sha256[:12],
                h.ags,
                h.device_id,
                h.epoch,
                h.seq,
                h.status,
                stored_moment(h.received_at),
                h.file_name,
            ]
            for h in waiting
        ],
    )
    ctx.emit(data, lines if waiting else [_("No bundle is held or quarantined.")])
    return 0


# -- report --------------------------------------------------------------------------------------


def _screen(result: Figures) -> list[str]:
    language = ui_language()
    lines = [
        _("{period}: {start} to {end}").format(
            period=period_label(result.period, language),
            start=format_date(result.period.start),
            end=format_date(result.period.end),
        )
    ]
    for t in result.tables:
        lines += ["", t.title(language)]
        lines += table(
            [c.heading(language) for c in t.columns],
            [[cell_text(row.get(c.key), c.kind, language) for c in t.columns] for row in t.rows],
        )
    if not any(c.bundles for c in result.coverage):
        lines += ["", _("No bundle has been imported for this period yet.")]
    lines += ["", *result.notes]
    return lines


def report_command(ctx: Context, args: argparse.Namespace) -> int:
    """Show the figures, or write them as JSON, CSV or XLSX."""
    period = parse_period(args.period) if args.period else whole_project()
    exporting = bool(args.csv or args.xlsx)
    language = args.report_lang if exporting or ctx.as_json else ui_language()
    with _open(args) as ministry:
        result = figures(ministry, period, language=language)
        created = ministry.clock.now().date()
    written = []
    if args.csv:
        path = Path(args.csv).expanduser()
        write_atomic(path, csv_bytes(result.tables, language=language))
        written.append(path)
    if args.xlsx:
        path = Path(args.xlsx).expanduser()
        title = f"KISI {period.key}"
        write_atomic(
            path, xlsx_bytes(result.tables, language=language, title=title, created=created)
        )
        written.append(path)
    if exporting and not ctx.as_json:
        ctx.emit(None, [str(p) for p in written])
        return 0
    data = {**figures_json(result), "files": [str(p) for p in written]}
    ctx.emit(data, _screen(result))
    return 0


# -- provision ------------------------------------------------------------------------------------


def provision_command(ctx: Context, args: argparse.Namespace) -> int:
    """Write the signed provisioning file."""
    with _open(args) as ministry:
        data = make_provisioning(
            ministry,
            version=args.doc_version,
            expires=maybe_day(args.expires, "--expires"),
            participation_rows=args.participation_rows,
            intake_url=args.intake_url,
            spki_pins=args.spki_pin or (),
        )
        assert ministry.root is not None  # noqa: S101 - make_provisioning needs it
        root = ministry.root.public.base64()
        demo = ministry.demo
    out = Path(args.out).expanduser()
    write_atomic(out, data)
    lines = [
        _("Provisioning file written: {path}").format(path=out),
        _("Root key fingerprint (the guides confirm it by phone or letter): {fp}").format(
            fp=fingerprint(root)
        ),
    ]
    if demo:
        lines.append(_("DEMO file: the app accepts it only in demo mode."))
    ctx.emit({"file": str(out), "root_fingerprint": fingerprint(root), "demo": demo}, lines)
    return 0
