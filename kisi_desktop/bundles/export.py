"""Export: the vault's figures as a signed bundle only the ministry can read.

Two steps, so that nothing is lost and no sequence number is used twice:

1. *prepare*: compute the payload (aggregates with small cells suppressed; pseudonymous
   participation rows only when the ministry's provisioning asks for them), sign the
   manifest with the municipality's key and record the whole signed payload in the ledger
   (status ``prepared``) - one vault write. From then on this sequence number belongs to
   exactly this manifest.
2. *write*: encrypt to the ministry's recipients, write to a temporary name, flush and
   fsync, rename, fsync the folder, then read the file back and compare hashes (USB
   sticks fail silently). Only then is the entry ``exported``.

A crash between the two leaves a prepared entry: the next export writes it first instead
of making a new one. Any entry can be written again later (same manifest, fresh
encryption), e.g. when a stick was lost.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from kisi_desktop.core import crashpoints
from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.domain.person import Person
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import fsync_folder, why_not_written
from kisi_desktop.core.i18n import _, format_date, ngettext
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import strict_json
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.manifest import (
    DATA_SCHEMAS,
    INDICATORS,
    MANIFEST,
    PARTICIPATION,
    PSEUDONYM_SCHEME,
    REPORT,
    SIGNATURE,
    WITHHELD_MARK,
    FileEntry,
    Manifest,
    file_name,
    sha256_hex,
)
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.provisioning import Provisioning, current_provisioning
from kisi_desktop.bundles.pseudonyms import pseudonym_key, pseudonym_of
from kisi_desktop.bundles.reasons import NOT_PROVISIONED, Rejected
from kisi_desktop.bundles.safe_zip import write_zip
from kisi_desktop.reports.facts import Facts, load_facts
from kisi_desktop.reports.indicator_tables import PEOPLE_BASES, nationality_group_labels
from kisi_desktop.reports.indicators import WITHHELD, IndicatorResult, compute, export_rows
from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START, Period, parse_period
from kisi_desktop.reports.sections import report_sections, shareable

from kisi_desktop import __version__

Progress = Callable[[float, str], None]


def ignore_progress(fraction: float, text: str) -> None:
    """The default progress callback: nobody is watching."""


def never() -> bool:
    """The default cancel check: never cancelled."""
    return False


class AlreadyCovered(UserError):
    """The period overlaps bundle ``seq``: sent again, those days would count twice.

    The message says what to do in words only: the window and the ``kisi`` command each
    add how to write that bundle again (a button, an option), from ``seq``.
    """

    def __init__(self, entry: BundleEntry) -> None:
        super().__init__(
            _(
                "Bundle {seq} already covers {start} to {end}; the ministry would count "
                "those days twice. Write that bundle again, or export the days after the "
                "last bundle."
            ).format(
                seq=entry.seq,
                start=format_date(entry.period_start),
                end=format_date(entry.period_end),
            )
        )
        self.seq = entry.seq


class Cancelled(UserError):
    """The guide cancelled the export before anything was recorded."""


@dataclass(frozen=True, slots=True)
class Payload:
    """What a bundle will carry, before signing: shown to the guide before export."""

    period: Period
    files: dict[str, list[dict[str, Any]]]
    reported: tuple[str, ...]
    participation: bool

    def counts(self) -> dict[str, int]:
        """Records per data file."""
        return {name: len(rows) for name, rows in self.files.items()}


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export did: which bundle, where, how big, and whether it was new."""

    entry: BundleEntry
    path: Path
    size: int
    resumed: bool
    """True when a bundle prepared earlier (before a crash) was written instead of a new one."""


# -- period --------------------------------------------------------------------------------


def _live(ws: Workspace) -> list[BundleEntry]:
    """Ledger entries the ministry has not refused, oldest first."""
    entries = [e for e in ws.list(BundleEntry) if e.status != "rejected"]
    return sorted(entries, key=lambda e: (e.epoch, e.seq))


def last_covered(ws: Workspace) -> Period | None:
    """The days of the latest bundle the ministry has not refused (None before the first).

    What the Sync page's date fields show when there is nothing new to export, so that a
    page opened after a restart looks as it did right after that bundle was written.
    """
    latest = max(_live(ws), key=lambda e: e.period_end, default=None)
    if latest is None:
        return None
    start, end = latest.period_start, latest.period_end
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def choose_period(ws: Workspace, *, period: str | None = None, since_last: bool = False) -> Period:
    """The period to export: as asked, or from the day after the last bundle until today.

    Periods are kept inside the project (1 Oct 2025 - 30 Sep 2028): the ministry refuses
    figures from outside it. A period still running ends today; one that has not begun is
    refused.
    """
    if period is not None and since_last:
        raise UserError(_("Give either a period or --since-last, not both."))
    now = today(ws.clock)
    end = min(now, PROJECT_END)
    if period is not None:
        chosen = parse_period(period)
        if chosen.start > now:
            # Nothing to report yet, and the ministry refuses a bundle whose period ends
            # after the day it was made (future_time, ministry/plausibility.py).
            raise UserError(
                _("The period {start} to {end} has not begun yet.").format(
                    start=format_date(chosen.start), end=format_date(chosen.end)
                )
            )
        if chosen.start <= end < chosen.end:
            # A year still running is sent up to today: a bundle never claims days that
            # have not happened, so the next "since last" bundle starts at the right day.
            chosen = Period(chosen.start, end, chosen.key)
    else:
        entries = _live(ws)
        start = max((e.period_end for e in entries), default=PROJECT_START - timedelta(1))
        start += timedelta(days=1)
        if start > end:
            raise UserError(
                _(
                    "Nothing new to export: the last bundle already covers up to {day}. "
                    "What was changed since (a budget line, a contact entered late) goes "
                    "with the next bundle, which can begin the day after."
                ).format(day=format_date(start - timedelta(1)))
            )
        chosen = Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    if chosen.start < PROJECT_START or chosen.end > PROJECT_END:
        raise UserError(
            _("A bundle covers days of the project only ({start} to {end}).").format(
                start=format_date(PROJECT_START), end=format_date(PROJECT_END)
            )
        )
    for entry in _live(ws):
        # The ministry adds up what the bundles say (contacts, hours, events): days sent
        # twice would count twice. Records added late for days already sent still count
        # their people in the next bundle (build_payload).
        if entry.period_start <= chosen.end and chosen.start <= entry.period_end:
            raise AlreadyCovered(entry)
    return chosen


# -- payload -------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """Row values as the strict JSON of the formats has them: no floats, no dates."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if value is WITHHELD:
        return WITHHELD_MARK
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    return str(value)


def _already(entries: Iterable[BundleEntry]) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for entry in entries:
        for item in entry.reported_people:
            code, _sep, pid = item.partition("|")
            seen.setdefault(code, set()).add(pid)
    return seen


def build_payload(ws: Workspace, period: Period, *, participation: bool = False) -> Payload:
    """The data files for ``period``: aggregates, and participation rows if asked.

    AMIF participants are counted once for the project: people an earlier (not refused)
    bundle reported for an indicator are left out of that indicator here. People are read
    from the project's start, so that nobody is lost who was recorded (or found eligible)
    only after the bundle of their first support had gone: they count in this one.
    """
    since = Period(min(PROJECT_START, period.start), period.end, period.key)
    facts = load_facts(ws, since)  # (the participation rows keep to the period themselves)
    results = compute(facts, period, ws.ref, already=_already(_live(ws)), late_people=True)
    indicators = indicator_rows(results, period)
    reported = sorted(
        f"{r.code}|{pid}" for r in results if r.basis in PEOPLE_BASES for pid in r.people
    )
    report_rows: list[dict[str, Any]] = []
    sections = report_sections(ws, period, suppress=True, on=today(ws.clock), indicators=False)
    for table in shareable(sections):
        report_rows += [{"table": table.key, **_jsonable(row)} for row in table.rows]
    files: dict[str, list[dict[str, Any]]] = {INDICATORS: indicators, REPORT: report_rows}
    if participation:
        files[PARTICIPATION] = _participation_rows(ws, period, facts)
    return Payload(period, files, tuple(reported), participation)


def indicator_rows(results: Sequence[IndicatorResult], period: Period) -> list[dict[str, Any]]:
    """``data/indicators.jsonl`` (schema 2): small cells null, and a cell held back beside
    a lone one as ``"withheld"``, so that nobody who reads the bundle can work out a small
    cell from the count (``reports.indicators.suppressed_breakdown``)."""
    groups = nationality_group_labels()
    return [_jsonable(row) for row in export_rows(results, period, groups=groups)]


def _participation_rows(ws: Workspace, period: Period, facts: Facts) -> list[dict[str, Any]]:
    """One row per eligible person supported in the period: pseudonym and coarse facts only."""
    key = pseudonym_key(ws)
    fields = ("name", "birth_date", "birth_year", "gender", "nationalities", "earlier")
    people = {row[0]: row[1:] for row in ws.rows(Person, fields)}
    services: dict[str, set[str]] = {}
    first: dict[str, date] = {}
    for support in facts.supports:
        who = facts.participants.get(support.person_id)
        if support.day in period and who is not None and who.eligible_on(support.day):
            services.setdefault(support.person_id, set()).update(support.supports, support.topics)
            first[support.person_id] = min(first.get(support.person_id, support.day), support.day)
    rows = []
    for pid in sorted(services):
        who = facts.participants[pid]
        name, birth_date, birth_year, gender, nationalities, earlier = people[pid]
        born = who.birth_date.year if who.birth_date is not None else who.birth_year
        rows.append(
            {
                "birth_year": born,
                "gender": who.gender,
                "nationality_group": who.group_on(first[pid]),
                "period": {"end": period.end.isoformat(), "start": period.start.isoformat()},
                "pseudonym": pseudonym_of(
                    key,
                    name=name,
                    birth_date=birth_date,
                    birth_year=birth_year,
                    gender=gender,
                    nationalities=first_nationalities(nationalities, earlier),
                ),
                "services": sorted(services[pid]),
            }
        )
    rows.sort(key=lambda r: str(r["pseudonym"]))
    return rows


def first_nationalities(current: str | None, earlier: str | None) -> list[str]:
    """The nationalities a person was first recorded with (raw JSON fields): the
    pseudonym uses them, so that a person naturalised later keeps the pseudonym earlier
    bundles gave them, and the ministry does not count them twice."""
    held = json.loads(earlier) if earlier else []
    if held:
        return list(held[0]["nationalities"])
    return list(json.loads(current)) if current else []


# -- prepare -------------------------------------------------------------------------------


def _provisioning(ws: Workspace) -> Provisioning:
    doc = current_provisioning(ws)
    if doc is None:
        # How to import it is said by the window and by the command (the reason code).
        raise Rejected(
            NOT_PROVISIONED,
            _(
                "The ministry's provisioning file is not installed yet: import it "
                "before the first export."
            ),
        )
    return doc


def _ags(ws: Workspace) -> str:
    towns = sorted(ws.list(Municipality), key=lambda m: m.ags)
    if not towns:
        raise UserError(_("Enter the municipality profile (with its AGS) before exporting."))
    return towns[0].ags


def _utc_now(ws: Workspace) -> str:
    return ws.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")


def prepare_bundle(
    ws: Workspace,
    period: Period,
    *,
    progress: Progress = ignore_progress,
    cancelled: Callable[[], bool] = never,
) -> BundleEntry:
    """Compute, sign and record the next bundle (status ``prepared``); one vault write."""
    _refuse_older_copy(ws)
    doc = _provisioning(ws)
    ags = _ags(ws)
    me = signer(ws)
    progress(0.05, _("Computing the figures…"))
    payload = build_payload(ws, period, participation=doc.participation_rows)
    if cancelled():
        raise Cancelled(_("Export cancelled; nothing was recorded."))
    progress(0.6, _("Signing…"))
    mine = [e for e in ws.list(BundleEntry) if e.epoch == me.epoch]
    last = max(mine, key=lambda e: e.seq, default=None)
    earlier_receipt = None
    if last is None:
        confirmed = [e for e in ws.list(BundleEntry) if e.epoch < me.epoch and e.receipt_sha256]
        newest = max(confirmed, key=lambda e: (e.epoch, e.seq), default=None)
        earlier_receipt = newest.receipt_sha256 if newest is not None else None
    crypto = profile(doc.profile)
    contents = {name: strict_json.dumps_lines(rows) for name, rows in payload.files.items()}
    audit_seq, audit_mac = ws.vault.audit_head()
    created_at = _utc_now(ws)
    manifest = Manifest(
        bundle_id=str(uuid.uuid4()),
        municipality_ags=ags,
        device_id=me.device_id,
        device_epoch=me.epoch,
        seq=last.seq + 1 if last is not None else 1,
        prev_manifest_sha256=last.manifest_sha256 if last is not None else None,
        epoch_start_receipt_sha256=earlier_receipt,
        period_start=period.start,
        period_end=period.end,
        created_at=created_at,
        app_version=__version__,
        recipients=tuple(crypto.recipient_hash(r) for r in doc.age_recipients),
        signer_key_id=me.public.key_id_hex(),
        audit_head_seq=audit_seq,
        audit_head_mac=audit_mac.hex(),
        files=tuple(
            FileEntry(
                name, len(data), sha256_hex(data), len(payload.files[name]), DATA_SCHEMAS[name]
            )
            for name, data in contents.items()
        ),
        pseudonym_scheme=PSEUDONYM_SCHEME if payload.participation else None,
    )
    body = manifest.encode()
    signature = crypto.sign(body, me.private, me.key_id, manifest.trusted_comment())
    members = [(MANIFEST, body), (SIGNATURE, signature.encode("ascii")), *contents.items()]
    plaintext = write_zip(members)
    if cancelled():
        raise Cancelled(_("Export cancelled; nothing was recorded."))
    entry = ws.add(
        BundleEntry(
            epoch=me.epoch,
            seq=manifest.seq,
            bundle_id=manifest.bundle_id,
            manifest_sha256=sha256_hex(body),
            file_name=file_name(ags, me.device_id, manifest.seq, created_at),
            period_start=period.start,
            period_end=period.end,
            created_at=created_at,
            payload_b64=base64.b64encode(plaintext).decode("ascii"),
            reported_people=payload.reported,
            audit_seq=audit_seq,
            audit_mac=audit_mac.hex(),
        )
    )
    crashpoints.reached("export.prepared")
    return entry


# -- write ---------------------------------------------------------------------------------


def write_verified(path: Path, data: bytes) -> None:
    """Write ``data`` under ``path`` so that it is there whole or not at all, then prove it.

    Temporary name, flush, fsync, rename, fsync of the folder; then the file is read back
    and compared, because a failing USB stick can accept writes it does not keep.
    """
    part = path.with_name(f".{path.name}.tmp")
    renamed = False
    try:
        with part.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        crashpoints.reached("export.written")
        os.replace(part, path)
        renamed = True
        crashpoints.reached("export.renamed")
        fsync_folder(path.parent)
    except OSError as error:
        # Nothing under either name: the guide is told it failed, and the bundle stays
        # prepared (a file left under its name would be one not known to be on the medium).
        for left in (part, path) if renamed else (part,):
            with contextlib.suppress(OSError):
                left.unlink(missing_ok=True)
        raise UserError(
            _("Could not write {name}: {reason}").format(
                name=path.name, reason=why_not_written(error)
            )
        ) from None
    try:
        back = path.read_bytes()
    except OSError as error:
        back = b""
        reason = why_not_written(error)
    else:
        reason = ""
    if sha256_hex(back) != sha256_hex(data):
        path.unlink(missing_ok=True)
        raise UserError(
            _(
                "{name} could not be read back correctly from {folder}{reason}. The medium "
                "may be faulty; the bundle is kept in the vault, write it again elsewhere."
            ).format(name=path.name, folder=path.parent, reason=f" ({reason})" if reason else "")
        )


def _refuse_older_copy(ws: Workspace) -> None:
    """No bundle, new or written again, from an older copy the guide has not decided on:
    its bundle log went back with it, and a number it gives may have been sent already
    with other content (core/older_copy.py)."""
    if ws.older_copy is not None:
        raise UserError(
            _(
                "This vault file is older than the one last locked on this computer. "
                "Decide first whether to go on with it (KISI Desktop asks at unlock; on "
                "the command line: kisi older-copy --go-on)."
            )
        )


def write_bundle(ws: Workspace, entry: BundleEntry, out_dir: Path) -> ExportSummary:
    """Encrypt a ledger entry's payload afresh and write it into ``out_dir``."""
    _refuse_older_copy(ws)
    if not out_dir.is_dir():
        raise UserError(_("{folder} is not a folder.").format(folder=out_dir))
    doc = _provisioning(ws)
    data = profile(doc.profile).encrypt(base64.b64decode(entry.payload_b64), doc.age_recipients)
    path = out_dir / entry.file_name
    write_verified(path, data)
    status = entry.status if entry.status not in ("prepared",) else "exported"
    updated = ws.update(dataclasses.replace(entry, status=status, file_sha256=sha256_hex(data)))
    return ExportSummary(updated, path, len(data), resumed=False)


def pending_prepared(ws: Workspace) -> BundleEntry | None:
    """A bundle prepared but never written (the app stopped in between)."""
    prepared = [e for e in ws.list(BundleEntry) if e.status == "prepared"]
    return min(prepared, key=lambda e: (e.epoch, e.seq), default=None)


def export_bundle(
    ws: Workspace,
    out_dir: Path,
    *,
    period: str | None = None,
    since_last: bool = False,
    progress: Progress = ignore_progress,
    cancelled: Callable[[], bool] = never,
) -> ExportSummary:
    """Export the next bundle into ``out_dir`` (or finish one a crash left prepared)."""
    if not out_dir.is_dir():
        raise UserError(_("{folder} is not a folder.").format(folder=out_dir))
    waiting = pending_prepared(ws)
    if waiting is not None:
        progress(0.7, _("Writing the bundle prepared earlier…"))
        summary = write_bundle(ws, waiting, out_dir)
        progress(1.0, _("Done."))
        return dataclasses.replace(summary, resumed=True)
    chosen = choose_period(ws, period=period, since_last=since_last or period is None)
    entry = prepare_bundle(ws, chosen, progress=progress, cancelled=cancelled)
    progress(0.8, _("Encrypting and writing…"))
    summary = write_bundle(ws, entry, out_dir)
    progress(1.0, _("Done."))
    return summary


def ledger(ws: Workspace) -> list[BundleEntry]:
    """Every bundle of this vault, newest first."""
    return sorted(ws.list(BundleEntry), key=lambda e: (e.epoch, e.seq), reverse=True)


def overdue(ws: Workspace, *, days: int = 45) -> list[str]:
    """Warnings for the Sync page: no bundle for ``days`` days, receipts missing."""
    warnings = []
    entries = ledger(ws)
    now = today(ws.clock)
    if not entries:
        warnings.append(_("No bundle has been sent to the ministry yet."))
    else:
        last_day = date.fromisoformat(entries[0].created_at[:10])
        if (now - last_day).days > days:
            warnings.append(
                _("No bundle for {days} days (last on {day}).").format(
                    days=(now - last_day).days, day=format_date(last_day)
                )
            )
    waiting = [
        e
        for e in entries
        if e.status in ("exported", "uploaded")
        and (now - date.fromisoformat(e.created_at[:10])).days > 14
    ]
    if waiting:
        warnings.append(
            ngettext(
                "No receipt yet for bundle {seqs} (sent more than 14 days ago).",
                "No receipt yet for bundles {seqs} (sent more than 14 days ago).",
                len(waiting),
            ).format(seqs=", ".join(str(e.seq) for e in sorted(waiting, key=lambda e: e.seq)))
        )
    return warnings


def preview(ws: Workspace, period: Period) -> Payload:
    """What the next bundle for ``period`` would carry, computed without recording anything."""
    return build_payload(ws, period, participation=participation_asked(ws))


def participation_asked(ws: Workspace) -> bool:
    """Whether the ministry's provisioning asks for participation rows.

    If it does, the pseudonym key is made now (it is sealed in the vault on first use), so
    that the payload can then be built over a read copy, which cannot write.
    """
    doc = current_provisioning(ws)
    asked = bool(doc and doc.participation_rows)
    if asked:
        pseudonym_key(ws)
    return asked


def summary_lines(payload: Payload) -> Sequence[str]:
    """Plain words for the preview: which files, how many records."""
    names = {
        INDICATORS: _("AMIF indicators (people counted once for the project)"),
        REPORT: _("KISI figures, budget and needs (small numbers shown as <5)"),
        PARTICIPATION: _("Participation rows: pseudonym, year of birth, gender, group, services"),
    }
    return [f"{names[name]}: {len(rows)}" for name, rows in payload.files.items()]
