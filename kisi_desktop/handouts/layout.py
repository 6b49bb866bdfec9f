"""A handout as a PDF: title, notices, text in one or two languages, QR codes, page furniture.

Three layouts:

* ``SIDE_BY_SIDE``: German in the left column, the reader's language in the right one,
  block beside block (each heading, paragraph and bullet is a table row, so the two
  columns stay level and a page break never separates a sentence from its translation).
  A right-to-left column is mirrored inside: right-aligned, bullets on the right. German
  stays left because both readers then start at the outer edge of their own column.
* ``ALTERNATING``: each block in German, then in the reader's language, full width; for
  languages with long words, or when side by side feels cramped.
* ``SINGLE``: one language only; a right-to-left page is mirrored as a whole.

Every page carries the municipality's name and the guide's contact in the header and the
date of issue and "page x of y" in the footer, in German and in the reader's language.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kisi_desktop.handouts.catalog import Language, Link, Status
from kisi_desktop.handouts.dates import issue_date
from kisi_desktop.handouts.profile import HandoutProfile
from kisi_desktop.handouts.text_format import Block, BlockKind, split_bold
from kisi_desktop.typeset.bidi import LRE, PDF
from kisi_desktop.typeset.fonts import Script, script_of_language
from kisi_desktop.typeset.pages import counting_canvas
from kisi_desktop.typeset.paragraph import BidiParagraph, Span, TextStyle
from kisi_desktop.typeset.qr import qr_code

INK = HexColor("#1a1a1a")
ACCENT = HexColor("#0b4f6c")
MUTED = HexColor("#555555")
NOTICE_FILL = HexColor("#fff4d6")
RULE = HexColor("#b8c4cc")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 24 * mm
HEADER_TOP = 9 * mm
ONE_LINE_RULE = HEADER_TOP + 28
"""How far below the page's top edge the header's rule lies when the contact fits one line."""
RULE_TO_TEXT = MARGIN_TOP - ONE_LINE_RULE
"""The space between the header's rule and the text; a longer header keeps it too."""
MARGIN_BOTTOM = 18 * mm
GUTTER = 8 * mm
QR_SIZE = 26 * mm


_TABLE_FONT = [("FONTNAME", (0, 0), (-1, -1), "KisiSans")]
_NO_PADDING = [
    (f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")
]
"""Tables select their cell font even around flowables; ReportLab's default is Helvetica,
which would then appear, unembedded, in the PDF's font list."""


class Layout(Enum):
    """How the two languages share the page."""

    SIDE_BY_SIDE = "side"
    ALTERNATING = "alternating"
    SINGLE = "single"


@dataclass(frozen=True, slots=True)
class Side:
    """One language's part of a handout: its text, language and review state."""

    language: Language
    title: str
    blocks: Sequence[Block]
    status: Status


@dataclass(frozen=True, slots=True)
class HandoutPage:
    """Everything a handout PDF needs, already filled in."""

    reader: Side
    german: Side | None
    profile: HandoutProfile
    links: Sequence[Link]
    issued: date
    layout: Layout
    topic_id: str


def _sizes(script: Script, narrow: bool) -> tuple[float, float]:
    """Body size and leading: Arabic and Ethiopic need a little more than Latin."""
    base = {Script.LATIN: 10.5, Script.ARABIC: 12.0, Script.ETHIOPIC: 11.0}[script]
    if not narrow:
        base += 0.5
    return base, base * (1.55 if script is Script.ARABIC else 1.4)


class _Styles:
    """Paragraph styles for one language in one column width."""

    def __init__(self, language: Language, narrow: bool, color: Color = INK) -> None:
        self.script = script_of_language(language.rtl, language.code)
        self.rtl = language.rtl
        code = language.code  # whose hyphenation patterns break an over-long word
        size, leading = _sizes(self.script, narrow)
        self.body = TextStyle(
            size, leading, self.script, self.rtl, color=color, space_after=5, language=code
        )
        self.bullet = TextStyle(
            size,
            leading,
            self.script,
            self.rtl,
            bullet="•",
            color=color,
            space_after=3,
            language=code,
        )
        self.heading = TextStyle(
            size + 2.5,
            (size + 2.5) * 1.35,
            self.script,
            self.rtl,
            bold=True,
            color=ACCENT if color is INK else color,
            space_before=6,
            space_after=4,
            language=code,
        )
        self.title = TextStyle(
            size + 9,
            (size + 9) * 1.3,
            self.script,
            self.rtl,
            bold=True,
            color=ACCENT,
            language=code,
        )
        self.small = TextStyle(
            8.0, 10.5, self.script, self.rtl, color=MUTED, space_after=0, language=code
        )
        self.notice = TextStyle(
            9.5, 13.0, self.script, self.rtl, color=INK, space_after=0, language=code
        )

    def block(self, block: Block) -> BidiParagraph:
        """A block of the text as a paragraph in this language's style."""
        text = " ".join(block.lines)
        spans = [Span(piece, bold) for piece, bold in split_bold(text)]
        style = {
            BlockKind.HEADING: self.heading,
            BlockKind.PARAGRAPH: self.body,
            BlockKind.BULLET: self.bullet,
        }[block.kind]
        return BidiParagraph(spans, style)

    def plain(self, text: str, style: TextStyle) -> BidiParagraph:
        """A single-run paragraph (titles, notices, captions)."""
        return BidiParagraph([Span(text)], style)


def _notice(side: Side, german: Language | None) -> str | None:
    key = {Status.UNREVIEWED: "unreviewed", Status.OUTDATED: "outdated"}.get(side.status)
    if key is None:
        return None
    return side.language.strings[key]


def build_pdf(page: HandoutPage) -> bytes:
    """Lay out ``page`` and return the PDF's bytes (fonts embedded, reproducible output).

    The QR codes go below the text; when they would fill a page of their own, the
    handout is set again with a compact row of codes under the title instead, so no
    sheet of paper carries nothing but codes.
    """
    return _placed(page)[2]


class Spacing(Enum):
    """Which side-by-side rows keep their paragraphs' spacing (see :func:`_placed`)."""

    ALL = "all"
    HEADINGS = "headings"  # only the space above a heading
    NONE = "none"


def _placed(page: HandoutPage) -> tuple[str, Spacing, bytes]:
    """Where the codes go (:func:`_codes_placed`), which side-by-side rows keep their
    spacing, and the PDF.

    A row of two columns is a table, and a table cell drops the space after its last
    paragraph: side by side, a bullet or paragraph followed the taller column's previous
    one without a gap, and a heading touched the text above it. The rows carry that
    space themselves; when it pushed the end of a handout onto one more page (a tight
    one-page text), the handout is set again with the space above its headings only,
    then without any: one sheet matters more.

    Set again only when that could be so: with less spacing, the end comes up by the
    spacing and by about what a page break left empty, less than the tallest block that
    moves to the next page whole (measured in this handout: the codes, a long paragraph
    beside its translation); a last page filled deeper than both stays. Set again, it
    may also place its codes otherwise (below the title rather than alone on a page).
    """
    spacing = Spacing.ALL
    placement, pages, pdf = _codes_placed(page, spacing)
    last = pages  # (each tighter setting is judged against the one before it)
    for tighter in (Spacing.HEADINGS, Spacing.NONE):
        room = last.get("spacing", 0.0)
        if not room or last["end"] == 1 or last["end_used"] > room + last["block_max"]:
            break
        tried = _codes_placed(page, tighter)
        if tried[1]["end"] < pages["end"]:
            spacing, (placement, pages, pdf) = tighter, tried
        last = tried[1]
    return placement, spacing, pdf


def _codes_placed(page: HandoutPage, spacing: Spacing) -> tuple[str, dict[str, float], bytes]:
    """The first placement of the codes that leaves them not alone on a page, what its
    probes found, and the PDF."""
    placement, pdf = "end", b""
    pages: dict[str, float] = {}
    for placement in ("end", "end_compact", "top"):
        pages = {}
        pdf = _build([page], [placement], pages, [spacing])
        if not page.links or pages.get("links", 0) <= pages.get("text", 0):
            break
    return placement, pages, pdf


def build_pdf_many(pages: Sequence[HandoutPage]) -> bytes:
    """Several handouts (one language, several topics) in one PDF, each from a new page.

    For a welcome pack printed in one go. The handouts share the header and footer (same
    municipality and languages); page numbers run through the whole document.
    """
    if not pages:
        raise ValueError("no handouts to print")
    if len(pages) == 1:
        return build_pdf(pages[0])
    placed = [_placed(page) for page in pages]
    return _build(pages, [p[0] for p in placed], {}, [p[1] for p in placed])


def _build(
    handouts: Sequence[HandoutPage],
    placements: Sequence[str],
    pages: dict[str, float],
    spacings: Sequence[Spacing],
) -> bytes:
    page = handouts[0]
    header = _Header(page)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=max(MARGIN_TOP, header.rule + RULE_TO_TEXT),
        bottomMargin=MARGIN_BOTTOM,
        title=" · ".join(_pdf_title(h) for h in handouts),
        author=page.profile.municipality or "KISI Desktop",
        creator="KISI Desktop",
        subject=", ".join(h.topic_id for h in handouts),
        lang=page.reader.language.code.split("-")[0],
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="handout", frames=[frame], onPage=header.draw)])
    story: list[Flowable] = []
    for number, (handout, placement, spacing) in enumerate(
        zip(handouts, placements, spacings, strict=True)
    ):
        if number:
            story.append(PageBreak())
        story.extend(_story(handout, doc.width, placement, pages, spacing))
    story.append(_PageProbe(pages, "end", top=doc.bottomMargin + doc.height))
    built = list(story)  # (the build takes the flowables off the list)
    doc.build(story, canvasmaker=counting_canvas(_footer(page)))
    pages["block_max"] = _tallest_block(built)
    return buffer.getvalue()


def _room(row: Table) -> float:
    """A built row's height with the space above it."""
    return float(getattr(row, "_height", 0.0)) + (row.getSpaceBefore() or 0.0)


def _tallest_block(story: Sequence[Flowable]) -> float:
    """The height of the tallest part of a built story that could only move to the next
    page whole: a row (a heading's with the row after it), a block kept together."""
    heights = []
    for flowable, after in itertools.zip_longest(story, story[1:]):
        if isinstance(flowable, Table):
            height = _room(flowable) + (flowable.getSpaceAfter() or 0.0)
            if flowable.getKeepWithNext() and isinstance(after, Table):
                height += _room(after)
            heights.append(height)
        elif isinstance(flowable, KeepTogether):
            heights.append(getattr(flowable, "_H", 0.0))
    return max(heights, default=0.0)


class _PageProbe(Flowable):
    """Takes no space; notes on which page it was drawn (``pages[key]``) and, given the
    frame's ``top``, how much of that page was filled above it (``pages[key + "_used"]``)."""

    def __init__(self, pages: dict[str, float], key: str, top: float | None = None) -> None:
        super().__init__()
        self.pages, self.key, self.top = pages, key, top
        self.width = self.height = 0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        """Note where the frame has come to (ReportLab's Flowable protocol)."""
        if self.top is not None:
            self.pages[f"{self.key}_used"] = self.top - y
        super().drawOn(canvas, x, y, _sW)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Nothing to lay out (ReportLab's Flowable protocol)."""
        return 0, 0

    def draw(self) -> None:
        """Record the page number (ReportLab's Flowable protocol)."""
        self.pages[self.key] = self.canv.getPageNumber()


def _pdf_title(page: HandoutPage) -> str:
    if page.german is None:
        return page.reader.title
    return f"{page.german.title} / {page.reader.title}"


def _sides(page: HandoutPage) -> list[Side]:
    """The languages in column order: German first (left), then the reader's."""
    if page.german is None or page.layout is Layout.SINGLE:
        return [page.reader]
    return [page.german, page.reader]


def _story(
    page: HandoutPage,
    width: float,
    placement: str,
    pages: dict[str, float],
    spacing: Spacing,
) -> list[Flowable]:
    """The flowables; ``placement`` of the QR codes: "end", "end_compact" or "top";
    ``spacing``: which side-by-side rows keep their paragraphs' spacing (:func:`_placed`),
    whose sum goes to ``pages["spacing"]``."""
    sides = _sides(page)
    story: list[Flowable] = []
    top_links = (
        _compact_links(page, sides, width, None) if placement == "top" and page.links else []
    )
    if len(sides) == 2 and page.layout is Layout.SIDE_BY_SIDE:
        column = (width - GUTTER) / 2
        styles = [_Styles(s.language, narrow=True) for s in sides]
        story.append(
            _row([styles[i].plain(s.title, styles[i].title) for i, s in enumerate(sides)], column)
        )
        story.append(Spacer(1, 3 * mm))
        notices = [_notice(s, None) for s in sides]
        if any(notices):
            story.append(_notice_box(sides, styles, notices, width))
        story.extend(top_links)
        count = max(len(s.blocks) for s in sides)
        for index in range(count):
            cells = [
                styles[i].block(s.blocks[index]) if index < len(s.blocks) else Spacer(1, 1)
                for i, s in enumerate(sides)
            ]
            row = _row(cells, column)
            heading = _is_heading(sides, index)
            if spacing is Spacing.ALL or (spacing is Spacing.HEADINGS and heading):
                row.spaceBefore = max(cell.getSpaceBefore() for cell in cells)
            if spacing is Spacing.ALL:
                row.spaceAfter = max(cell.getSpaceAfter() for cell in cells)
            added = (row.getSpaceBefore() or 0.0) + (row.getSpaceAfter() or 0.0)
            pages["spacing"] = pages.get("spacing", 0.0) + added
            row.keepWithNext = heading
            story.append(row)
    else:
        german_color = MUTED
        styles = [
            _Styles(s.language, narrow=False, color=german_color if s is page.german else INK)
            for s in sides
        ]
        for i, side in enumerate(sides):
            story.append(styles[i].plain(side.title, styles[i].title))
        story.append(Spacer(1, 3 * mm))
        notices = [_notice(s, None) for s in sides]
        if any(notices):
            story.append(_notice_box(sides, styles, notices, width))
        story.extend(top_links)
        count = max(len(s.blocks) for s in sides)
        pending: list[Flowable] = []
        for index in range(count):
            pending.extend(
                styles[i].block(s.blocks[index])
                for i, s in enumerate(sides)
                if index < len(s.blocks)
            )
            # A heading waits for the block after it: both go on the same page.
            if not _is_heading(sides, index) or index == count - 1:
                story.append(KeepTogether(pending) if len(pending) > 1 else pending[0])
                pending = []
    last = story[-1]
    if isinstance(last, Table) and last.getSpaceAfter():
        # Nothing of the text follows: its space would push the probe below onto the next
        # page when the text ends at the foot of one (what follows brings its own).
        pages["spacing"] -= last.getSpaceAfter()
        last.spaceAfter = 0
    story.append(_PageProbe(pages, "text"))
    probe = _PageProbe(pages, "links")
    if page.links and placement == "end":
        story.extend(_links(page, sides, width, probe))
    elif page.links and placement == "end_compact":
        story.extend(_compact_links(page, sides, width, probe))
    return story


def _is_heading(sides: Sequence[Side], index: int) -> bool:
    """Whether block ``index`` is a heading: it stays on the page of what follows it."""
    return any(index < len(s.blocks) and s.blocks[index].kind is BlockKind.HEADING for s in sides)


def _row(cells: Sequence[Flowable], column: float) -> Table:
    table = Table([list(cells)], colWidths=[column, column + GUTTER], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                *_TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, 0), GUTTER),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _notice_box(
    sides: Sequence[Side], styles: Sequence[_Styles], notices: Sequence[str | None], width: float
) -> Flowable:
    german = sides[0].language if len(sides) == 2 else None
    texts: list[Flowable] = []
    reader_index = len(sides) - 1
    notice = notices[reader_index]
    if notice is not None:
        if german is not None:
            status = sides[reader_index].status
            key = "outdated" if status is Status.OUTDATED else "unreviewed"
            texts.append(styles[0].plain(german.strings[key], styles[0].notice))
        texts.append(styles[reader_index].plain(notice, styles[reader_index].notice))
    if not texts:
        return Spacer(1, 0)
    box = Table([[texts]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                *_TABLE_FONT,
                ("BACKGROUND", (0, 0), (-1, -1), NOTICE_FILL),
                ("BOX", (0, 0), (-1, -1), 0.6, HexColor("#d9a400")),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return KeepTogether([box, Spacer(1, 4 * mm)])


LINK_LABEL = TextStyle(8.0, 10.5, Script.LATIN, rtl=False, color=MUTED, space_after=0)
"""A code's label: German (``topic.toml``), so left to right beside its code and address,
also on a right-to-left page."""
LINK_URL = TextStyle(7.5, 9.5, Script.LATIN, color=MUTED)


def _shown_url(url: str) -> str:
    """The address as a reader would type it: without ``https://``."""
    return url.removeprefix("https://")


def _compact_links(
    page: HandoutPage, sides: Sequence[Side], width: float, probe: Flowable | None
) -> list[Flowable]:
    """Small codes in one row under the title: each code with its label and address beside."""
    size = 17 * mm
    count = min(len(page.links), 3)
    cell = width / count
    cells = []
    for link in page.links[:3]:
        words = [BidiParagraph([Span(link.label)], LINK_LABEL)] if link.label else []
        words.append(BidiParagraph([Span(_shown_url(link.url))], LINK_URL))
        inner = Table(
            [[qr_code(link.url, size), words]], colWidths=[size + 2 * mm, cell - size - 4 * mm]
        )
        inner.setStyle(
            TableStyle([*_TABLE_FONT, *_NO_PADDING, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        )
        cells.append(inner)
    row = Table([cells], colWidths=[cell] * count, hAlign="LEFT")
    row.setStyle(TableStyle([*_TABLE_FONT, *_NO_PADDING]))
    styles = [_Styles(s.language, narrow=True) for s in sides]
    captions = [
        style.plain(side.language.strings["more"], style.small)
        for style, side in zip(styles, sides, strict=True)
    ]
    if probe is None:
        return [KeepTogether([*captions, row, Spacer(1, 3 * mm)])]
    return [KeepTogether([probe, Spacer(1, 4 * mm), *captions, row])]


def _links(
    page: HandoutPage, sides: Sequence[Side], width: float, probe: Flowable
) -> list[Flowable]:
    styles = [_Styles(s.language, narrow=True) for s in sides]
    caption = [
        styles[i].plain(s.language.strings["more"], styles[i].small) for i, s in enumerate(sides)
    ]
    cells: list[list[Flowable]] = []
    for link in page.links[:3]:
        cells.append(
            [
                qr_code(link.url, QR_SIZE),
                BidiParagraph([Span(link.label)], LINK_LABEL) if link.label else Spacer(1, 0),
                BidiParagraph([Span(_shown_url(link.url))], LINK_URL),
            ]
        )
    cell_width = min(width / 3, 60 * mm)
    grid = Table([cells], colWidths=[cell_width] * len(cells), hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                *_TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
            ]
        )
    )
    return [KeepTogether([probe, Spacer(1, 5 * mm), *caption, Spacer(1, 2 * mm), grid])]


class _Header:
    """Municipality and guide contact at the top of every page, measured before the build.

    Several guides in post and a long e-mail address wrap the contact line; the text below
    then starts lower (:data:`RULE_TO_TEXT` under the rule), never under the header.
    """

    def __init__(self, page: HandoutPage) -> None:
        sides = _sides(page)
        width = PAGE_WIDTH - 2 * MARGIN_X
        reader_rtl = page.reader.language.rtl and len(sides) == 1
        name = page.profile.municipality or "KISI"
        title_style = TextStyle(11, 13, Script.LATIN, reader_rtl, bold=True, color=ACCENT)
        self.title = BidiParagraph([Span(name)], title_style)
        self.title.wrap(width, 1000)
        self.contact: BidiParagraph | None = None
        self.rule = ONE_LINE_RULE
        contact = page.profile.contact_line()
        if contact:
            labels = " / ".join(dict.fromkeys(s.language.strings["guide"] for s in sides))
            # Characters of other scripts fall back to their own font (typeset.fonts).
            script = (
                script_of_language(True, page.reader.language.code) if reader_rtl else Script.LATIN
            )
            style = TextStyle(8.5, 11, script, reader_rtl, color=MUTED)
            # Names, numbers and addresses read left to right as one unit, also in a
            # right-to-left header.
            line = f"{labels}: {LRE}{contact}{PDF}" if reader_rtl else f"{labels}: {contact}"
            self.contact = BidiParagraph([Span(line)], style)
            _, used = self.contact.wrap(width, 1000)
            self.rule = HEADER_TOP + 13 + max(used, 11) + 4
        """The rule's distance below the page's top edge."""

    def draw(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The onPage callback."""
        canvas.saveState()
        top = PAGE_HEIGHT - HEADER_TOP
        self.title.drawOn(canvas, MARGIN_X, top - self.title.height)
        if self.contact is not None:
            self.contact.drawOn(canvas, MARGIN_X, top - 13 - self.contact.height)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        rule = PAGE_HEIGHT - self.rule
        canvas.line(MARGIN_X, rule, PAGE_WIDTH - MARGIN_X, rule)
        canvas.restoreState()


def _footer(page: HandoutPage):  # type: ignore[no-untyped-def]
    """Date of issue and page numbers, per language, at the bottom of every page."""
    sides = _sides(page)

    def draw(canvas: Canvas, number: int, count: int) -> None:
        canvas.saveState()
        y = 10 * mm
        width = PAGE_WIDTH - 2 * MARGIN_X
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, y + 10, PAGE_WIDTH - MARGIN_X, y + 10)
        if len(sides) == 2:
            half = (width - GUTTER) / 2
            for index, side in enumerate(sides):
                x = MARGIN_X + index * (half + GUTTER)
                _draw_at(canvas, _footer_line(side, page.issued, number, count), x, y + 7, half)
        else:
            _draw_at(
                canvas, _footer_line(sides[0], page.issued, number, count), MARGIN_X, y + 7, width
            )
        canvas.restoreState()

    return draw


def _footer_line(side: Side, issued: date, number: int, count: int) -> BidiParagraph:
    language = side.language
    strings = language.strings
    text = " · ".join(
        [
            strings["issued"].format(date=issue_date(issued, language.locale)),
            strings["page"].format(page=number, pages=count),
        ]
    )
    script = script_of_language(language.rtl, language.code)
    return BidiParagraph([Span(text)], TextStyle(8, 10, script, language.rtl, color=MUTED))


def _draw_at(canvas: Canvas, paragraph: BidiParagraph, x: float, top: float, width: float) -> float:
    """Draw ``paragraph`` with its top at ``top``; returns the height it took."""
    _, height = paragraph.wrap(width, 1000)
    paragraph.drawOn(canvas, x, top - height)
    return float(height)
