"""The report as a PDF for the ministry: cover, indicators, charts, every other section.

Laid out on A4 as issue 5 asks: a cover with the municipality's profile, the period and a
table of contents; the indicators with their definitions; the charts; then each further
:class:`ReportTable` in the order it was given, numbered. Only the table shape is known here,
so a new section prints without a change in this module. A table too wide for a portrait
page gets smaller print, then landscape pages of its own (table layout:
:mod:`.pdf_tables`).

One language per document (``de`` for the ministry): headings, notes and cells come from the
tables in that language, page furniture through :func:`translator`, independent of the UI
language. Of columns holding one text in both languages (keys ending in ``_de`` and
``_en``), only the document's own is printed. Every text is set in the bundled fonts
(:mod:`kisi_desktop.typeset`), so the file needs no font on the reader's machine.

Tables marked local-only (``leaves_laptop=False``) are left out unless asked for: the file
goes to the ministry.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import CallerMacro

from kisi_desktop.core.i18n import N_, format_date, translator

from kisi_desktop.reports.chart_drawing import chart_drawing, labels_width
from kisi_desktop.reports.charts import BarChart
from kisi_desktop.reports.indicator_tables import INDICATORS
from kisi_desktop.reports.indicators import WITHHELD
from kisi_desktop.reports.pdf_tables import (
    ACCENT,
    CELL_SIZE,
    GRID,
    MUTED,
    RULE,
    SMALL_CELL_SIZE,
    TABLE_FONT,
    cell_text,
    first_baseline,
    paragraph,
    string_offset,
    table_flowable,
)
from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START, Period, project_reach
from kisi_desktop.reports.sections import ReportInfo
from kisi_desktop.reports.tables import SUPPRESSED, ReportTable
from kisi_desktop.typeset.fonts import Script, fonts
from kisi_desktop.typeset.pages import counting_canvas
from kisi_desktop.typeset.paragraph import BidiParagraph

MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm

CONTENTS_ON_COVER = 10
"""More sections than this, and the contents get a page of their own after the cover."""


def _t(language: str) -> Callable[[str], str]:
    return translator(language).gettext


def _draw_at(canvas: Canvas, text: BidiParagraph, x: float, top: float, width: float) -> None:
    _, height = text.wrap(width, 1000)
    text.drawOn(canvas, x, top - height)


def period_label(period: Period, language: str) -> str:
    """The period in words: "Project year 1", "Quarter 1 of 2026", or its first and last day."""
    t = _t(language)
    key = period.key
    if m := re.fullmatch(r"PY(\d)", key):
        return t(N_("Project year {number}")).format(number=m.group(1))
    if key == "project":
        return t(N_("Whole project"))
    if re.fullmatch(r"\d{4}", key):
        return t(N_("Calendar year {year}")).format(year=key)
    if m := re.fullmatch(r"(\d{4})-Q(\d)", key):
        return t(N_("Quarter {number} of {year}")).format(number=m.group(2), year=m.group(1))
    return _days(period, language)


def _days(period: Period, language: str) -> str:
    return f"{format_date(period.start, language)} – {format_date(period.end, language)}"


class _Sections:
    """Numbers, titles and (once laid out) pages of the numbered sections."""

    def __init__(self) -> None:
        self.titles: dict[str, str] = {}
        self.pages: dict[str, int] = {}
        self.known: dict[str, int] = {}
        """Pages from the previous pass, for the table of contents."""

    def marker(self, key: str) -> Flowable:
        """A zero-size flowable noting the page its section starts on."""

        def note(macro: Any) -> None:
            self.pages[key] = int(macro.canv.getPageNumber())

        return CallerMacro(drawCallable=note)


def _heading(sections: _Sections, key: str, title: str) -> list[Flowable]:
    number = len(sections.titles) + 1
    sections.titles[key] = f"{number} {title}"
    return [
        sections.marker(key),
        paragraph(sections.titles[key], 13, bold=True, color=ACCENT, after=6, leading=17),
    ]


def _notes(table: ReportTable, language: str) -> list[Flowable]:
    return [paragraph(n, 7.5, color=MUTED, before=2, leading=9.5) for n in table.notes(language)]


LAYOUTS = ((False, CELL_SIZE), (False, SMALL_CELL_SIZE), (True, CELL_SIZE), (True, SMALL_CELL_SIZE))
"""Tried in turn for each table: portrait, smaller print, landscape, landscape smaller."""


def _section(
    sections: _Sections, table: ReportTable, language: str, portrait: float, wide: float
) -> tuple[list[Flowable], bool]:
    """The section's flowables, and whether they need landscape pages of their own."""
    t = _t(language)
    heading = _heading(sections, table.key, table.title(language))
    if not table.rows:
        return [
            CondPageBreak(30 * mm),
            *heading,
            paragraph(t(N_("Nothing in this period.")), 9),
            *_notes(table, language),
            Spacer(1, 8 * mm),
        ], False
    for landscape_page, size in LAYOUTS:
        grid = table_flowable(table, language, wide if landscape_page else portrait, size)
        if grid is not None:
            break
    else:
        # Wider than a landscape page even in small print: squeeze it rather than drop it.
        landscape_page = True
        grid = table_flowable(table, language, wide, SMALL_CELL_SIZE, squeeze=True)
    if not landscape_page:
        # A table that fits on a page starts on a new one rather than leave a row or two
        # (its total, often) alone on the next; a longer one splits, repeating its header.
        return [
            KeepTogether([*heading, grid, Spacer(1, 2 * mm), *_notes(table, language)]),
            Spacer(1, 8 * mm),
        ], False
    return [
        NextPageTemplate("landscape"),
        PageBreak(),
        *heading,
        grid,
        Spacer(1, 2 * mm),
        *_notes(table, language),
        NextPageTemplate("portrait"),
    ], True


def _charts(
    sections: _Sections, charts: Sequence[BarChart], language: str, width: float
) -> list[Flowable]:
    t = _t(language)
    font = fonts().face(Script.LATIN).name
    story: list[Flowable] = [CondPageBreak(80 * mm), *_heading(sections, "charts", t(N_("Charts")))]
    labels = labels_width(charts, language, font, width)
    for chart in charts:
        drawing = chart_drawing(
            chart,
            language,
            width,
            lambda v, k: cell_text(v, k, language),
            font,
            SUPPRESSED,
            label_width=labels,
        )
        story.append(
            KeepTogether(
                [
                    paragraph(chart.title(language), 9.5, bold=True, after=3),
                    drawing,
                    Spacer(1, 7 * mm),
                ]
            )
        )
    values = [bar.value for chart in charts for bar in chart.bars]
    notes = [
        *([CHART_SMALL_NOTE] if any(v is None for v in values) else []),
        *([CHART_WITHHELD_NOTE] if any(v is WITHHELD for v in values) else []),
    ]
    story += [paragraph(t(n), 7.5, color=MUTED, before=2, leading=9.5) for n in notes]
    return [*story, Spacer(1, 5 * mm)] if notes else story


CHART_SMALL_NOTE = N_(
    "<5: fewer than 5 people; the exact figure is withheld to protect them, and no bar is "
    "drawn for it."
)
CHART_WITHHELD_NOTE = N_(
    "x: not shown, so that a figure below 5 beside it cannot be worked out from the total; "
    "it may be small or large, and no bar is drawn for it."
)


def _reach(period: Period, language: str) -> list[Flowable]:
    """A period reaching outside the project, said on the cover (``periods.project_reach``)."""
    reach = project_reach(period)
    if reach is None:
        return []
    text = _t(language)(reach).format(
        start=format_date(PROJECT_START, language), end=format_date(PROJECT_END, language)
    )
    return [paragraph(text, 9.5, bold=True, after=4 * mm)]


def _cover(info: ReportInfo, sections: _Sections, language: str, width: float) -> list[Flowable]:
    t = _t(language)
    label_width = 48 * mm
    profile = [
        (t(N_("Municipality")), info.municipality),
        (t(N_("Municipality key (AGS)")), info.ags),
        (t(N_("District")), info.district),
        (t(N_("Integration guides")), ", ".join(info.guides)),
        (t(N_("Reporting period")), f"{period_label(info.period, language)}"),
        (t(N_("Days")), _days(info.period, language)),
        (t(N_("Created on")), format_date(info.created, language, "long")),
    ]
    rows = [
        [paragraph(label, 9, color=MUTED, leading=11.7), paragraph(value or "–", 10, leading=13)]
        for label, value in profile
    ]
    facts = Table(rows, colWidths=[label_width, width - label_width], hAlign="LEFT")
    facts.setStyle(
        TableStyle(
            [
                *TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                # The smaller label on the baseline of its value.
                (
                    "TOPPADDING",
                    (0, 0),
                    (0, -1),
                    3 + first_baseline(10, 13) - first_baseline(9, 11.7),
                ),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
            ]
        )
    )
    contents: list[list[Any]] = []
    for key, title in sections.titles.items():
        page = sections.known.get(key)
        contents.append([paragraph(title, 10), "" if page is None else str(page)])
    toc = Table(contents or [["", ""]], colWidths=[width - 20 * mm, 20 * mm], hAlign="LEFT")
    toc.setStyle(
        TableStyle(
            [
                *TABLE_FONT,
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (1, 0), (1, -1), 2 - string_offset(10, 13)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    # A long contents list gets a page of its own rather than spilling a few lines over.
    own_page = len(contents) > CONTENTS_ON_COVER
    return [
        NextPageTemplate("portrait"),  # every page after the cover has the running header
        Spacer(1, 28 * mm),
        paragraph("KISI", 11, bold=True, color=ACCENT, after=4),
        paragraph(t(N_("Report for the ministry")), 24, bold=True, leading=30, after=6),
        paragraph(info.municipality or t(N_("Municipality not recorded")), 15, leading=20, after=2),
        paragraph(period_label(info.period, language), 12, color=MUTED, after=14 * mm),
        facts,
        Spacer(1, 8 * mm),
        *_reach(info.period, language),
        paragraph(
            t(
                N_(
                    "All figures are totals for the period, except the budget: it counts "
                    "every cost booked for the project so far. Counts of one to four people "
                    "are shown as <5 so that nobody can be recognised."
                )
            ),
            8.5,
            color=MUTED,
        ),
        PageBreak() if own_page else Spacer(1, 14 * mm),
        paragraph(t(N_("Contents")), 12 if not own_page else 13, bold=True, color=ACCENT, after=6),
        toc,
        PageBreak(),
    ]


def _header(info: ReportInfo, language: str) -> Callable[[Canvas, Any], None]:
    """The onPage callback of the inner pages: municipality and period above a rule."""
    text = " · ".join(
        p for p in ("KISI", info.municipality, period_label(info.period, language)) if p
    )

    def draw(canvas: Canvas, doc: Any) -> None:
        page_width, page_height = canvas._pagesize
        canvas.saveState()
        top = page_height - 10 * mm
        _draw_at(canvas, paragraph(text, 8, color=MUTED), MARGIN_X, top, page_width - 2 * MARGIN_X)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top - 13, page_width - MARGIN_X, top - 13)
        canvas.restoreState()

    return draw


def _footer(
    info: ReportInfo, sections: _Sections, language: str
) -> Callable[[Canvas, int, int], None]:
    """Creation date and "Page x of y"; also the PDF bookmarks of the sections on the page.

    Bookmarks are set here because the counting canvas writes pages only at the end: only
    then does the PDF know which page object a section is on.
    """
    t = _t(language)
    created = t(N_("Created on {date}")).format(date=format_date(info.created, language))

    def draw(canvas: Canvas, number: int, count: int) -> None:
        page_width, _ = canvas._pagesize
        width = page_width - 2 * MARGIN_X
        canvas.saveState()
        y = 10 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, y + 10, page_width - MARGIN_X, y + 10)
        _draw_at(canvas, paragraph(created, 8, color=MUTED, leading=10), MARGIN_X, y + 7, width / 2)
        page = t(N_("Page {page} of {pages}")).format(page=number, pages=count)
        canvas.setFont(fonts().face(Script.LATIN).name, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(page_width - MARGIN_X, y + 7 - first_baseline(8, 10), page)
        canvas.restoreState()
        for key, title in sections.titles.items():
            if sections.pages.get(key) == number:
                canvas.bookmarkPage(key)
                canvas.addOutlineEntry(title, key, level=0)

    return draw


def _build(
    info: ReportInfo,
    tables: Sequence[ReportTable],
    charts: Sequence[BarChart],
    language: str,
    charts_after: str | None,
    known: dict[str, int],
) -> tuple[bytes, _Sections]:
    t = _t(language)
    sections = _Sections()
    sections.known = known
    portrait_w, portrait_h = A4
    wide_w, wide_h = landscape(A4)
    width = portrait_w - 2 * MARGIN_X
    wide = wide_w - 2 * MARGIN_X

    def frame(page_width: float, page_height: float) -> Frame:
        return Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            page_width - 2 * MARGIN_X,
            page_height - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    header = _header(info, language)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{t(N_('Report for the ministry'))}: {info.municipality}, "
        f"{period_label(info.period, language)}",
        author="KISI Desktop",
        creator="KISI Desktop",
        subject=t(N_("AMIF indicators and KISI figures")),
        lang=language,
        pageTemplates=[
            PageTemplate("cover", [frame(portrait_w, portrait_h)], pagesize=A4),
            PageTemplate("portrait", [frame(portrait_w, portrait_h)], header, pagesize=A4),
            PageTemplate("landscape", [frame(wide_w, wide_h)], header, pagesize=landscape(A4)),
        ],
    )
    body: list[Flowable] = []
    charts = [c for c in charts if c.bars]
    charts_done = not charts
    if charts and charts_after is None:
        body += _charts(sections, charts, language, width)
        charts_done = True
    after_landscape = False
    for table in tables:
        if after_landscape:  # back to portrait pages (never a blank page at the very end)
            body.append(PageBreak())
        flowables, after_landscape = _section(sections, table, language, width, wide)
        body += flowables
        if not charts_done and table.key == charts_after:
            if after_landscape:
                body.append(PageBreak())
                after_landscape = False
            body += _charts(sections, charts, language, width)
            charts_done = True
    if not charts_done:
        if after_landscape:
            body.append(PageBreak())
        body += _charts(sections, charts, language, width)
    # The cover lists the sections, so it is made after them (it still prints first).
    story = [*_cover(info, sections, language, width), *body]
    doc.build(story, canvasmaker=counting_canvas(_footer(info, sections, language)))
    return buffer.getvalue(), sections


def render_pdf(
    info: ReportInfo,
    tables: Sequence[ReportTable],
    charts: Sequence[BarChart] = (),
    *,
    language: str = "de",
    charts_after: str | None = INDICATORS,
    include_local: bool = False,
) -> bytes:
    """The report as PDF bytes.

    Args:
        info: municipality, period and date for the cover and the page furniture.
        tables: the sections, printed in this order.
        charts: printed together, after the table with key ``charts_after`` (default the
            indicators), or first when that is None or no such table is given.
        language: ``de`` or ``en``.
        include_local: also print tables marked local-only (never for the ministry).
    """
    shown = [t for t in tables if t.leaves_laptop or include_local]
    # Two passes: the first finds the page of every section for the table of contents.
    _, first = _build(info, shown, charts, language, charts_after, {})
    pdf, _second = _build(info, shown, charts, language, charts_after, dict(first.pages))
    return pdf
