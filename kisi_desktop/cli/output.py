"""Plain-text tables for listing commands (``--json`` prints the records instead).

What the tables show is for people, so it reads as the window shows it, in the UI
language: a date as 26.11.2026 (Nov 26, 2026 in English), a decimal with the language's
mark (2,5), a moment in local time. Callers hand the values over as they are (``date``,
``Decimal``...) and name codes by their labels (:mod:`kisi_desktop.core.record_text`);
``--json`` keeps the machine forms (ISO dates, decimal strings, codes).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from kisi_desktop.core.i18n import _, format_date, format_moment, format_number


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters count twice)."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Left-aligned columns separated by two spaces; the last column is not padded."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [width(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], width(cell))
    lines = []
    for row in [list(headers), *cells]:
        padded = [
            cell + " " * (widths[i] - width(cell)) if i < len(row) - 1 else cell
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(padded).rstrip())
    return lines


def stored_moment(text: str | None) -> datetime | str | None:
    """A stored ``YYYY-MM-DDTHH:MM:SSZ`` as a moment for :func:`table` or
    ``format_moment``; text in another form stays as it is (shown, not refused)."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


def stored_day(text: str | None) -> date | str | None:
    """A stored ``YYYY-MM-DD`` as a date for :func:`table`; other text stays as it is."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):  # (before date: a datetime is a date too)
        return format_moment(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, (Decimal, float)):
        return format_number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value) or "-"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"
