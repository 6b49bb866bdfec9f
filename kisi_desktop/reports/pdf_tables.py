"""A :class:`ReportTable` as a ReportLab table: cell texts, column widths, shared baselines.

Split from :mod:`.pdf_report` (the document) so that each stays readable; the CLI prints
cells the same way (:func:`cell_text`, :func:`printed_columns`).

Widths come from the content: numbers get what their widest cell needs, text columns share
the rest by how much text they hold, never less than their longest word (up to 35 mm). A
table that does not fit returns None, and the document tries smaller print, then a
landscape page. Text cells are :class:`BidiParagraph` (any script, font fallback); numbers
are plain strings, right-aligned, set on the text's baseline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from kisi_desktop.core.i18n import N_, format_date, format_money, format_number, translator

from kisi_desktop.reports.indicators import WITHHELD, WITHHELD_TEXT
from kisi_desktop.reports.money import format_percent
from kisi_desktop.reports.tables import SUPPRESSED, Column, Kind, ReportTable
from kisi_desktop.typeset.fonts import Script, fonts
from kisi_desktop.typeset.paragraph import BidiParagraph, Span, TextStyle

INK = HexColor("#1a1a1a")
ACCENT = HexColor("#0b4f6c")
MUTED = HexColor("#555555")
RULE = HexColor("#b8c4cc")
HEAD_FILL = HexColor("#e6eef2")
STRIPE = HexColor("#f5f7f8")
GRID = HexColor("#dde3e7")

CELL_SIZE = 8.5
SMALL_CELL_SIZE = 7.0
PAD = 3.0
TEXT_MIN = 35 * mm
"""A text column is never squeezed below its longest word, nor widened for it beyond this."""
TEXT_MAX = 85 * mm
NUMBER_MAX = 28 * mm
"""How wide a number column may grow when a table of numbers is stretched to full width."""
TABLE_FONT = [("FONTNAME", (0, 0), (-1, -1), "KisiSans")]
"""Tables select their cell font even around flowables; ReportLab's default is Helvetica,
which would then appear, unembedded, in the PDF's font list (as in handouts/layout.py)."""

_LANGUAGE_SUFFIX = re.compile(r"^(.*)_(de|en)$")
# How the reference data writes its codes (leisure_meeting, forms_help, total), language
# tags among them (de-simple, prs): the handouts by language printed theirs, and with them
# the total row's "total" in a German report (QA 26b).
_DATA_CODE = re.compile(r"^[a-z][a-z0-9_]*(-[a-z0-9]+)*$")


def _yes_no(value: bool, language: str) -> str:
    return translator(language).gettext(N_("yes") if value else N_("no"))


def cell_text(value: Any, kind: Kind, language: str) -> str:
    """How a cell reads in print: Babel formats in ``language``; a suppressed count "<5".

    None in a count column means "fewer than 5 people" (:class:`Kind`); elsewhere it means
    nothing to show. True and False print as yes and no.
    """
    if value is None:
        return SUPPRESSED if kind is Kind.COUNT else ""
    if value is WITHHELD:
        return WITHHELD_TEXT
    if isinstance(value, bool):
        return _yes_no(value, language)
    if kind is Kind.COUNT:
        return format_number(value, language)
    if kind is Kind.HOURS:
        # Two decimals always, so that a column of hours lines up at the decimal mark.
        return str(format_decimal(Decimal(value), "#,##0.00", locale=language))
    if kind is Kind.MONEY:
        return format_money(Decimal(value), language)
    if kind is Kind.PERCENT:
        # One rule for every percentage of a report (QA 26b: "54 %" beside "96,7 %" and
        # "83,82 %" in the warnings): two decimals in the report's language, as the
        # warnings, the Budget page and the command write them (reports/money.py).
        return format_percent(Decimal(value), language)
    if kind is Kind.DATE and isinstance(value, date):
        return format_date(value, language)
    return str(value)


def printed_columns(table: ReportTable, language: str) -> list[Column]:
    """The columns a document in ``language`` prints: one of each ``_de``/``_en`` pair, and
    no column of data codes ("forms_help") beside the names they stand for: a reader of
    the PDF wants the name; the CSV and the bundle keep the code. Indicator codes
    ("O.2.3") are what readers look for, and stay."""
    keys = {c.key for c in table.columns}
    shown = []
    for column in table.columns:
        m = _LANGUAGE_SUFFIX.match(column.key)
        if m and m.group(2) != language and f"{m.group(1)}_{language}" in keys:
            continue
        if _names_beside(column.key, keys, language) and _only_data_codes(table, column.key):
            continue
        shown.append(column)
    return shown


def _names_beside(key: str, keys: set[str], language: str) -> bool:
    """Whether the table names what column ``key`` holds codes of: ``code`` beside
    ``label``, ``need`` beside ``need_label`` (either maybe per language)."""
    stem = "label" if key == "code" else f"{key}_label"
    return bool(keys & {stem, f"{stem}_{language}"})


def _only_data_codes(table: ReportTable, key: str) -> bool:
    values = [row.get(key) for row in table.rows]
    return all(isinstance(v, str) and _DATA_CODE.match(v) for v in values if v)


def paragraph(
    text: str,
    size: float,
    *,
    bold: bool = False,
    color: Any = INK,
    after: float = 0.0,
    before: float = 0.0,
    leading: float | None = None,
) -> BidiParagraph:
    """A paragraph of report text in the bundled Latin face (other scripts fall back)."""
    style = TextStyle(
        size=size,
        leading=leading or size * 1.3,
        script=Script.LATIN,
        bold=bold,
        space_before=before,
        space_after=after,
        color=color,
    )
    return BidiParagraph([Span(text)], style)


def _wrap_words(text: str, font: str, size: float, width: float) -> str:
    """``text`` broken at spaces into lines of at most ``width`` points, joined by newlines."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _longest_word(text: str, font: str, size: float) -> float:
    return max((stringWidth(w, font, size) for w in text.split()), default=0.0)


def first_baseline(size: float, leading: float) -> float:
    """How far below its top a BidiParagraph sets its first baseline.

    It centres the font in the leading and lifts the baseline by 0.22 of the size
    (``typeset.paragraph.BidiParagraph.draw``).
    """
    return (leading + size) / 2 - 0.22 * size


def string_offset(size: float, leading: float) -> float:
    """How much lower a table's plain-string cell sets its text than a BidiParagraph.

    A string cell at the top of its cell has its baseline ``size`` below the padding.
    Numbers are strings (so that they align right) beside paragraphs of text; their padding
    is moved by this much to share the text's baseline.
    """
    return size - first_baseline(size, leading)


def _widths(
    columns: Sequence[Column],
    cells: Sequence[Sequence[str]],
    language: str,
    size: float,
    available: float,
    *,
    squeeze: bool = False,
) -> list[float] | None:
    """Column widths filling ``available`` points, or None if the table cannot fit."""
    regular, bold = fonts().face(Script.LATIN).name, fonts().face(Script.LATIN, True).name
    fixed: dict[int, float] = {}
    least: dict[int, float] = {}
    wanted: dict[int, float] = {}
    amount: dict[int, float] = {}
    for i, column in enumerate(columns):
        texts = [row[i] for row in cells]
        head = column.heading(language)
        if column.kind is not Kind.TEXT:
            widest = max((stringWidth(t, regular, size) for t in texts), default=0.0)
            fixed[i] = max(widest, _longest_word(head, bold, size)) + 2 * PAD
            continue
        lengths = [stringWidth(t, regular, size) for t in texts]
        word = max([_longest_word(t, regular, size) for t in texts] + [0.0])
        least[i] = min(max(word, _longest_word(head, bold, size)), TEXT_MIN) + 2 * PAD
        full = max([*lengths, stringWidth(head, bold, size)])
        wanted[i] = max(min(full, TEXT_MAX) + 2 * PAD, least[i])
        amount[i] = sum(lengths) or 1.0
    numbers = sum(fixed.values())
    if numbers + sum(least.values()) > available:
        if not squeeze:
            return None
        natural = {**fixed, **least}
        scale = available / sum(natural.values())
        return [natural[i] * scale for i in range(len(columns))]
    widths = {**fixed, **least}
    if numbers + sum(wanted.values()) > available:
        # Too little room for every text on one line: share it by how much text each column
        # holds (the rules beside the indicators get more than their codes), never giving a
        # column more than its longest text needs.
        open_ = set(least)
        room = available - numbers - sum(least.values())
        while open_ and room > 0.01:
            total = sum(amount[i] for i in open_)
            capped = {i for i in open_ if widths[i] + room * amount[i] / total >= wanted[i]}
            if not capped:
                for i in open_:
                    widths[i] += room * amount[i] / total
                break
            for i in capped:
                room -= wanted[i] - widths[i]
                widths[i] = wanted[i]
            open_ -= capped
    else:
        widths.update(wanted)
        spare = available - sum(widths.values())
        wrapping = [i for i in wanted if wanted[i] >= TEXT_MAX]
        if wrapping:
            for i in wrapping:
                widths[i] += spare / len(wrapping)
        elif fixed:
            grow = min(spare / len(fixed), max(0.0, NUMBER_MAX - max(fixed.values())))
            for i in fixed:
                widths[i] += grow
    return [widths[i] for i in range(len(columns))]


def table_flowable(
    table: ReportTable, language: str, width: float, size: float, *, squeeze: bool = False
) -> Flowable | None:
    """The table as a flowable in ``width`` points, or None if it does not fit.

    With ``squeeze``, a table that does not fit gets its natural widths scaled down to
    ``width`` (long words are cut, numbers may touch): printed cramped, but complete.
    """
    columns = printed_columns(table, language)
    cells = [[cell_text(row.get(c.key), c.kind, language) for c in columns] for row in table.rows]
    widths = _widths(columns, cells, language, size, width, squeeze=squeeze)
    if widths is None:
        return None
    bold = fonts().face(Script.LATIN, True).name
    leading = size * 1.25
    head: list[Any] = []
    for column, w in zip(columns, widths, strict=True):
        text = column.heading(language)
        if column.kind is Kind.TEXT:
            head.append(paragraph(text, size, bold=True, leading=leading))
        else:
            head.append(_wrap_words(text, bold, size, w - 2 * PAD))
    body: list[list[Any]] = []
    for texts in cells:
        body.append(
            [
                paragraph(text, size, leading=leading) if c.kind is Kind.TEXT else text
                for c, text in zip(columns, texts, strict=True)
            ]
        )
    grid = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    style: list[Any] = [
        *TABLE_FONT,
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("FONTNAME", (0, 0), (-1, 0), bold),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    if body:
        style += [
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, STRIPE]),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ]
    shift = string_offset(size, leading)
    for i, column in enumerate(columns):
        if column.kind is not Kind.TEXT:
            style += [
                ("ALIGN", (i, 0), (i, -1), "RIGHT"),
                ("TOPPADDING", (i, 1), (i, -1), 2.5 - shift),
                ("BOTTOMPADDING", (i, 0), (i, 0), 3.5 + shift),
            ]
    grid.setStyle(TableStyle(style))
    return grid
