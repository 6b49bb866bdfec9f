"""The report as one CSV file in long form: one line per cell, the same columns for every table.

Why one long file rather than one file per table: ``kisi report --csv FILE`` writes one file,
and a long file keeps its columns when a section is added, so a script reading it (or one
concatenating the files of 42 municipalities) never breaks. Each line says which table, row
and column a value belongs to, the row's label (its first cell, e.g. the indicator code),
the column's heading in the report's language and the kind of value, so a reader can pivot
it back into any table.

Values are written for machines: ISO dates, a decimal point and no thousands separator,
money and hours always to two places (``290657.90``, ``0.00``), ``true``/``false``; a
suppressed count (fewer than 5 people) reads ``<5``. RFC 4180 quoting and line ends, UTF-8.

A table's notes follow its cells, one line each, with kind ``note`` and row 0 (the table
itself, before its first row): they say what ``<5`` and ``x`` mean and where a figure comes
from, for whoever opens the file on its own. The columns stay the same and every row is a
number, so a script that pivots the cells skips the notes by their kind.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``)
gets a leading apostrophe (OWASP "CSV injection"); numbers are never touched.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kisi_desktop.reports.indicators import WITHHELD, WITHHELD_TEXT
from kisi_desktop.reports.tables import SUPPRESSED, Kind, ReportTable

FIELDS = ("table", "title", "row", "label", "column", "heading", "kind", "value")
NOTE = "note"
"""The ``column`` and ``kind`` of a note's line."""
NOTE_HEADING = {"de": "Anmerkung", "en": "Note"}
CENT = Decimal("0.01")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Any, kind: Kind) -> str:
    """A cell as CSV text: exact, locale-free, suppressed counts as ``<5``."""
    if value is None:
        return SUPPRESSED if kind is Kind.COUNT else ""
    if value is WITHHELD:
        return WITHHELD_TEXT
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind is Kind.MONEY and isinstance(value, Decimal | int):
        # To the cent: a zero worked out as Decimal(0) read "0" beside "66000.00".
        return format(Decimal(value).quantize(CENT, ROUND_HALF_UP), "f")
    if kind is Kind.HOURS and isinstance(value, Decimal | int | float):
        # Two places, as on screen: one column read "6.0", "2" and "8.50" (QA pass).
        return format(Decimal(str(value)).quantize(CENT, ROUND_HALF_UP), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return guard(str(value))


def guard(text: str) -> str:
    """``text`` with a leading apostrophe if a spreadsheet would run it as a formula.

    For every text field, not only cells: the ministry's report names tables and columns
    after what municipalities' bundles hold, so titles and headings come from outside too.
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(
    tables: Sequence[ReportTable], *, language: str = "de", include_local: bool = False
) -> str:
    """Every cell of ``tables`` as CSV text (local-only tables left out unless asked for)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for table in tables:
        if not (table.leaves_laptop or include_local):
            continue
        first = table.columns[0] if table.columns else None
        for number, row in enumerate(table.rows, 1):
            label = csv_value(row.get(first.key), first.kind) if first else ""
            for column in table.columns:
                writer.writerow(
                    (
                        guard(table.key),
                        guard(table.title(language)),
                        number,
                        label,
                        guard(column.key),
                        guard(column.heading(language)),
                        column.kind.value,
                        csv_value(row.get(column.key), column.kind),
                    )
                )
        heading = NOTE_HEADING.get(language, NOTE_HEADING["en"])
        where = (guard(table.key), guard(table.title(language)), 0, "", NOTE, heading, NOTE)
        writer.writerows((*where, guard(note)) for note in table.explained_notes(language))
    return buffer.getvalue()


def csv_bytes(
    tables: Sequence[ReportTable], *, language: str = "de", include_local: bool = False
) -> bytes:
    """:func:`csv_text` encoded as UTF-8, ready to write to a file."""
    return csv_text(tables, language=language, include_local=include_local).encode("utf-8")
