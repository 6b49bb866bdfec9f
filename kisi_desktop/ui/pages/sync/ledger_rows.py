"""The ledger of bundles on the Sync page: one row per bundle, worded in the UI language.

Status and receipt are said in words (and coloured: green confirmed, red refused, amber
waiting for a receipt); why the ministry refused a bundle is said in the receipt's tooltip,
with what follows where that needs saying (``dropped``), never as the bare reason code.
The machine words stay in the CSV, which is the same file as ``kisi bundles --csv`` writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.i18n import N_, _, format_date, format_moment

from kisi_desktop.bundles.ledger_table import RECEIPT_LABELS, STATUS_LABELS
from kisi_desktop.bundles.receipt_reasons import ministry_reason
from kisi_desktop.bundles.receipts import reason_sentence

from kisi_desktop.ui.tables.row_model import Column, RowTableModel

GREEN, RED, AMBER = QColor("#1b7a2f"), QColor("#b00020"), QColor("#8a5a00")
STATUS_INK = {"confirmed": GREEN, "rejected": RED, "prepared": AMBER}


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One bundle as the ledger table shows it."""

    id: str
    seq: int
    epoch: int
    created: datetime
    period: str
    status: str
    receipt_status: str | None
    receipt_reason: str | None
    receipt_at: str | None
    file_name: str
    manifest_sha256: str
    upload_attempts: int = 0
    upload_error: str = ""


def _utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def ledger_rows(entries: Iterable[BundleEntry]) -> list[LedgerRow]:
    """Rows for ``entries``, in the order given (the ledger: newest first)."""
    return [
        LedgerRow(
            id=e.id,
            seq=e.seq,
            epoch=e.epoch,
            created=_utc(e.created_at),
            period=f"{format_date(e.period_start)} – {format_date(e.period_end)}",
            status=e.status,
            receipt_status=e.receipt_status,
            receipt_reason=e.receipt_reason,
            receipt_at=e.receipt_at,
            file_name=e.file_name,
            manifest_sha256=e.manifest_sha256,
            upload_attempts=e.upload_attempts,
            upload_error=e.upload_error,
        )
        for e in entries
    ]


def status_text(row: LedgerRow) -> str:
    """The bundle's state in words."""
    return _(STATUS_LABELS.get(row.status, row.status))


def receipt_tip(reason: str | None) -> str:
    """Why the ministry refused: what follows for the guide, else the reason in a sentence."""
    return reason_sentence(reason) or ministry_reason(reason)


def receipt_text(row: LedgerRow) -> str:
    """The receipt in words and its day (why it refused: :func:`receipt_tip`)."""
    if row.receipt_status is None:
        if row.status in ("exported", "uploaded"):
            return _("none yet")
        return "–"
    text = _(RECEIPT_LABELS.get(row.receipt_status, row.receipt_status))
    if row.receipt_at:
        text += ", " + format_date(_utc(row.receipt_at).date())
    return text


def _created(row: LedgerRow) -> str:
    return format_moment(row.created)


def _ink(row: LedgerRow) -> QColor | None:
    if row.status in ("exported", "uploaded"):
        return AMBER
    return STATUS_INK.get(row.status)


def _upload_tip(row: LedgerRow) -> str:
    if not row.upload_error:
        return ""
    return _("Last upload attempt ({n}): {error}").format(
        n=row.upload_attempts, error=row.upload_error
    )


def _hash_tip(row: LedgerRow) -> str:
    return _("Manifest SHA-256: {hash}").format(hash=row.manifest_sha256)


COLUMNS = [
    Column(N_("No."), lambda r: str(r.seq), sort=lambda r: (r.epoch, r.seq), numeric=True),
    Column(N_("Created"), _created, sort=lambda r: r.created),
    Column(N_("Period"), lambda r: r.period),
    Column(N_("Status"), status_text, foreground=_ink, tooltip=_upload_tip),
    Column(N_("Ministry receipt"), receipt_text, tooltip=lambda r: receipt_tip(r.receipt_reason)),
    Column(N_("File"), lambda r: r.file_name, tooltip=_hash_tip),
]


def ledger_model(parent: QObject | None = None) -> RowTableModel:
    """The ledger table's model."""
    return RowTableModel(COLUMNS, parent)
