"""The report as an XLSX workbook: one sheet per table, with real number and date cells.

Issue 5 asks for "real number and date cells, not text", so each column's :class:`Kind`
decides the cell: counts are integers, money a number formatted ``#,##0.00 €``, percentages
a fraction formatted ``0.0%`` (the spreadsheet convention: 12.5 % is stored as 0.125), hours a
number, dates date cells. The spreadsheet shows separators in its own locale's style.

A suppressed count (fewer than 5 people) is the text ``<5``, right-aligned like the numbers
around it. Why text and not a number with a display format: the true value must not be in
the file, and any stand-in number (0, -1) would silently enter SUM() and averages; a text
cell is skipped by SUM() and is visibly not a figure. The table's notes, under the data,
explain it.

Each sheet: the header row in bold and frozen, with a filter; the data; one empty row; the
table's notes. The sheet's name is the table's title (cut to Excel's 31 characters); the
full title prints in the page header.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from kisi_desktop.reports.indicators import WITHHELD, WITHHELD_TEXT
from kisi_desktop.reports.tables import SUPPRESSED, Kind, ReportTable

NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.MONEY: '#,##0.00 "€"',
    Kind.PERCENT: "0.00%",  # two decimals, as every percentage of a report (pdf_tables.py)
    Kind.HOURS: "#,##0.00",
}
DATE_FORMATS = {"de": "DD.MM.YYYY", "en": "YYYY-MM-DD"}
MIN_WIDTH, MAX_WIDTH = 6, 60
"""Column widths in characters: wide enough for "<5", narrow enough to see the sheet."""

_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, an ellipsis marking a cut.

    Cut inside a word rather than between words: the letters after "nach" are what tell
    "... nach Sprache" from "... nach Thema".
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _sheet_name(title: str, taken: set[str]) -> str:
    """``title`` as a valid, unique sheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    base = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", title).split()).strip("'") or "Tabelle"
    name = _cut(base, 31)
    number = 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = _cut(base, 31 - len(suffix)) + suffix
        number += 1
    taken.add(name.lower())
    return name


def _cell_value(value: Any, kind: Kind) -> Any:
    """What goes into the cell: a number, a date, a boolean, or text."""
    if value is None:
        return SUPPRESSED if kind is Kind.COUNT else None
    if value is WITHHELD:
        return WITHHELD_TEXT
    if isinstance(value, bool):
        return value
    if kind is Kind.PERCENT:
        return Decimal(value) / 100
    if kind in (Kind.MONEY, Kind.HOURS) and not isinstance(value, Decimal | int):
        return Decimal(str(value))
    if kind is Kind.DATE and isinstance(value, datetime):
        return value.date()
    return value


def _shown_length(value: Any, kind: Kind) -> int:
    """About how many characters the cell shows, for the column width."""
    if value is None:
        return 0
    if kind is Kind.MONEY:
        return len(f"{value:,.2f}") + 2
    if kind is Kind.DATE:
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_sheet(book: Any, table: ReportTable, language: str, taken: set[str]) -> None:
    sheet = book.create_sheet(_sheet_name(table.title(language), taken))
    bold = Font(bold=True)
    right = Alignment(horizontal="right")
    wrap = Alignment(wrap_text=True, vertical="top")
    date_format = DATE_FORMATS.get(language, DATE_FORMATS["en"])
    widths = []
    for col, column in enumerate(table.columns, 1):
        cell = sheet.cell(row=1, column=col, value=column.heading(language))
        if cell.data_type == "f":
            # Headings can come from outside too (the ministry's report names columns
            # after the bundles' rows): text, never a formula.
            cell.data_type = "s"
        cell.font = bold
        if column.kind is not Kind.TEXT:
            cell.alignment = right
        widths.append(len(column.heading(language)) + 2)
    for row_number, row in enumerate(table.rows, 2):
        for col, column in enumerate(table.columns, 1):
            raw = row.get(column.key)
            cell = sheet.cell(row=row_number, column=col, value=_cell_value(raw, column.kind))
            if cell.data_type == "f":
                # Text beginning with "=" is data, never a formula (no CSV/XLSX injection).
                cell.data_type = "s"
            if raw is None and column.kind is Kind.COUNT:
                cell.alignment = right
            elif raw is WITHHELD:
                cell.alignment = right  # (text, which a sheet puts at the left of its cell)
            elif column.kind is Kind.DATE:
                cell.number_format = date_format
            elif column.kind in NUMBER_FORMATS and not isinstance(raw, bool):
                cell.number_format = NUMBER_FORMATS[column.kind]
            length = _shown_length(raw, column.kind)
            if column.kind is Kind.TEXT and length > MAX_WIDTH:
                cell.alignment = wrap
            widths[col - 1] = max(widths[col - 1], length + 2)
    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = min(
            max(width, MIN_WIDTH), MAX_WIDTH
        )
    last_row = 1 + len(table.rows)
    if table.columns:
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{last_row}"
    for offset, note in enumerate(table.explained_notes(language), 2):
        cell = sheet.cell(row=last_row + offset, column=1, value=note)
        if cell.data_type == "f":
            cell.data_type = "s"
        cell.font = Font(italic=True, color="555555")
    sheet.oddHeader.center.text = table.title(language)
    sheet.page_setup.orientation = "landscape" if len(table.columns) > 6 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def xlsx_bytes(
    tables: Sequence[ReportTable],
    *,
    language: str = "de",
    include_local: bool = False,
    title: str = "",
    created: date | None = None,
) -> bytes:
    """The workbook as bytes: one sheet per table (local-only tables left out unless asked).

    Args:
        tables: the sections, one sheet each, in this order.
        language: ``de`` or ``en`` for headings, notes and the date format.
        include_local: also write tables marked local-only.
        title: the document title in the file's properties.
        created: the creation date in the file's properties (default: now).
    """
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in tables:
        if table.leaves_laptop or include_local:
            _write_sheet(book, table, language, taken)
    if not book.worksheets:
        book.create_sheet(_sheet_name(title or "KISI", taken))
    book.properties.creator = "KISI Desktop"
    book.properties.title = title or None
    if created is not None:
        book.properties.created = datetime.combine(created, time())
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
