"""The ledger of bundles as a table: the same rows for ``kisi bundles``, its CSV and the Sync page.

One shape, so that the file a guide saves from the Sync page and the one ``kisi bundles
--csv`` writes are the same; both go through the report CSV writer (formula injection
escaped, UTF-8, RFC 4180).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.i18n import N_, _, format_date

from kisi_desktop.reports.csv_export import csv_bytes
from kisi_desktop.reports.tables import Column, Kind, ReportTable

LEDGER_COLUMNS = (
    Column("seq", "Nr.", "Seq", Kind.COUNT),
    Column("epoch", "Epoche", "Epoch", Kind.COUNT),
    Column("created", "Erstellt", "Created"),
    Column("period", "Zeitraum", "Period"),
    Column("status", "Status", "Status"),
    Column("receipt", "Quittung", "Receipt"),
    Column("file", "Datei", "File"),
    Column("manifest_sha256", "Manifest SHA-256", "Manifest SHA-256"),
)


STATUS_LABELS = {
    "prepared": N_("prepared, not yet written"),
    "exported": N_("exported"),
    "uploaded": N_("uploaded"),
    "confirmed": N_("confirmed"),
    "rejected": N_("refused by the ministry"),
}
RECEIPT_LABELS = {
    "imported": N_("imported"),
    "duplicate": N_("duplicate (counted once)"),
    "rejected": N_("refused"),
}


def ledger_rows(entries: Iterable[BundleEntry]) -> list[dict[str, Any]]:
    """The ledger as plain rows (CLI table, CSV, JSON)."""
    return [
        {
            "seq": e.seq,
            "epoch": e.epoch,
            "created": e.created_at,
            "period": f"{e.period_start.isoformat()}..{e.period_end.isoformat()}",
            "status": e.status,
            "receipt": (e.receipt_status or "")
            + (f" ({e.receipt_reason})" if e.receipt_reason else ""),
            "file": e.file_name,
            "manifest_sha256": e.manifest_sha256,
        }
        for e in entries
    ]


def ledger_sheet(rows: list[dict[str, Any]]) -> ReportTable:
    """The rows as a report table (for CSV)."""
    return ReportTable("ledger", "Bündel", "Bundles", LEDGER_COLUMNS, rows)


def ledger_csv(entries: Iterable[BundleEntry], language: str) -> bytes:
    """The ledger as the CSV file ``kisi bundles --csv`` writes."""
    return csv_bytes([ledger_sheet(ledger_rows(entries))], language=language)


def shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows for people to read: status and receipt in words of the UI language, the
    period in its dates, and "created" as a moment (an aware ``datetime``, shown in local
    time by whoever prints it, as the Sync page does)."""
    out = []
    for row, entry_status in ((r, r["status"]) for r in rows):
        receipt = row["receipt"]
        code, _sep, reason = receipt.partition(" ")
        words = _(RECEIPT_LABELS[code]) if code in RECEIPT_LABELS else code
        out.append(
            {
                **row,
                "created": _moment(row["created"]),
                "period": _period(row["period"]),
                "status": _(STATUS_LABELS.get(entry_status, entry_status)),
                "receipt": f"{words} {reason}".strip(),
            }
        )
    return out


def _moment(text: str) -> datetime | str:
    """``created`` (``YYYY-MM-DDTHH:MM:SSZ``) as a moment; other text as it is."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


def _period(text: str) -> str:
    """``YYYY-MM-DD..YYYY-MM-DD`` (as :func:`ledger_rows` writes it) in the UI language's
    dates, "01.01.2026 – 31.03.2026"; other text as it is."""
    try:
        start, end = (date.fromisoformat(day) for day in text.split(".."))
    except ValueError:
        return text
    return f"{format_date(start)} – {format_date(end)}"
