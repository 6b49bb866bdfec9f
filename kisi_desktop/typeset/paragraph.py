"""A paragraph flowable for every script: font fallback, line breaks, bidi order, shaping.

One code path for German, Ukrainian, Arabic and Tigrinya alike, so that a fix for one
script cannot silently break another. The paragraph:

1. picks a font per character (:mod:`kisi_desktop.typeset.fonts`);
2. resolves bidi levels for the whole paragraph (:mod:`kisi_desktop.typeset.bidi`);
3. breaks lines at spaces, measuring each word as HarfBuzz shapes it (joined Arabic is
   narrower than its isolated letters); a word that does not fit is broken at a soft
   hyphen, and one wider than the line at the language's hyphenation points
   (:mod:`kisi_desktop.typeset.hyphens`), a hyphen then drawn at the line's end;
4. orders each line visually (bidi rule L2) and draws it as runs of one font and one
   level: a right-to-left run goes to HarfBuzz in logical order and comes back as glyphs
   in drawing order; a run of only neutral characters at a right-to-left level (a lone "!"
   in a fallback font) is reversed and mirrored here.

Lines of a right-to-left paragraph are right-aligned and bullets hang on the right.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.colors import Color, black
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.platypus import Flowable

from kisi_desktop.typeset.bidi import (
    INVISIBLE_CONTROLS,
    embedding_levels,
    is_strong_rtl,
    mirror,
    protect_ltr_spans,
    unbreakable_spaces,
    visual_order,
)
from kisi_desktop.typeset.fonts import FontSet, Script, fonts, is_attached
from kisi_desktop.typeset.hyphens import (
    SOFT_HYPHEN,
    may_hyphenate,
    pattern_points,
    soft_hyphen_points,
)

BREAK_AFTER = frozenset("-/.@_")
"""Where a word too wide for its line is cut first (addresses, URLs, "Steuer-ID")."""

NOT_DRAWN = INVISIBLE_CONTROLS | {SOFT_HYPHEN}
"""Characters that take no room and are never drawn (a soft hyphen shows only as the
hyphen added at the end of the line it breaks)."""


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of paragraph text in one weight."""

    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How a paragraph looks; sizes in points."""

    size: float = 11.0
    leading: float = 15.0
    script: Script = Script.LATIN
    rtl: bool = False
    bold: bool = False
    bullet: str = ""
    indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 4.0
    color: Color = black
    language: str = ""
    """The text's language ("de", "uk"): whose hyphenation patterns break a word wider
    than the line; without one such a word is cut where it stops fitting."""


@dataclass(slots=True)
class _Run:
    """Part of a drawn line: one font, one level, already in drawing order."""

    text: str | ShapedStr
    font: str
    width: float
    logical: str
    """The run's characters in reading order, for the PDF's text layer (ActualText)."""


@dataclass(slots=True)
class _Line:
    runs: list[_Run] = field(default_factory=list)
    width: float = 0.0
    hyphen: bool = False
    """The line ends inside a word, with a hyphen added as its last run."""


@lru_cache(maxsize=4096)
def _font_name(char: str, script: Script, bold: bool) -> str:
    """The face drawing ``char`` in a paragraph of ``script`` (cached: a handful per page)."""
    font_set = fonts()
    return (font_set.face_for(char, script, bold) or font_set.face(script, bold)).name


def _needs_shaping(text: str) -> bool:
    """Whether HarfBuzz changes anything a reader would see in ``text``.

    Latin and Cyrillic letters, digits and punctuation map one character to one glyph
    (only kerning and the "fi" ligature would differ, which ReportLab's own paragraphs do
    without too); scripts from Hebrew onwards (Arabic joining, Ethiopic) and combining
    marks need the shaper.
    """
    return any(ord(c) >= 0x0590 or unicodedata.combining(c) for c in text)


@lru_cache(maxsize=20_000)
def _shaped(text: str, font: str, size: float) -> tuple[str | ShapedStr, float]:
    """The text as HarfBuzz shapes it in ``font``, and its advance width in points."""
    if not _needs_shaping(text):
        return text, float(pdfmetrics.stringWidth(text, font, size))
    shaped = shapeStr(text, font, size)
    if isinstance(shaped, ShapedStr):
        width = sum(d.x_advance for d in shaped.__shapeData__) * size / 1000
        return shaped, width
    return text, float(pdfmetrics.stringWidth(text, font, size))


def _guessed_rtl(text: str) -> bool:
    """Whether HarfBuzz's guess (first character of a real script) makes ``text`` RTL.

    ReportLab lets HarfBuzz guess the direction of each string it shapes; digits and
    punctuation have no script of their own, Persian digits (U+06F0...) count as Arabic.
    """
    for char in text:
        if _is_rtl_script(char):
            return True
        if char.isalpha():
            return False
    return False


def _is_rtl_script(char: str) -> bool:
    code = ord(char)
    return (
        0x0590 <= code <= 0x08FF
        or 0xFB1D <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
        or 0x10E60 <= code <= 0x10E7F
    ) and code not in (0x060C, 0x061B, 0x061F, 0x0640)


def _harfbuzz_input(visual: list[str], level: int) -> str:
    """The string to shape so that HarfBuzz returns ``visual`` in drawing order.

    HarfBuzz lays out right-to-left strings itself (reversing them and mirroring brackets).
    A run at a right-to-left level with Arabic letters is therefore given in logical
    order; any other run is given as drawn, pre-reversed where HarfBuzz would guess RTL
    (Persian digits at a left-to-right level), so that it is reversed exactly once.
    """
    if level % 2:
        logical = "".join(reversed(visual))
        if any(is_strong_rtl(c) for c in logical):
            return logical
        drawn = "".join(mirror(c) for c in visual)
    else:
        drawn = "".join(visual)
    if _guessed_rtl(drawn):
        return "".join(mirror(c) for c in reversed(drawn))
    return drawn


def missing_glyphs(text: str, script: Script, font_set: FontSet | None = None) -> set[str]:
    """Characters of ``text`` that no bundled font can draw (they would print as boxes)."""
    font_set = font_set or fonts()
    missing = set()
    for char in text:
        if char.isspace() or is_attached(char) or char in NOT_DRAWN:
            continue
        if font_set.face_for(char, script, False) is None:
            missing.add(char)
    return missing


class BidiParagraph(Flowable):
    """A paragraph of spans set with shaping, per-character fonts and bidi line order."""

    def __init__(self, spans: Sequence[Span], style: TextStyle) -> None:
        super().__init__()
        self.style = style
        pieces: list[tuple[str, bool]] = []
        for span in spans:
            text = protect_ltr_spans(span.text) if style.rtl else span.text
            pieces.extend((char, span.bold or style.bold) for char in text)
        self._text = "".join(char for char, _ in pieces)
        self._bold = [bold for _, bold in pieces]
        self._keep = unbreakable_spaces(self._text)
        self._fonts = self._assign_fonts()
        self._levels = embedding_levels(self._text, style.rtl)
        self._lines: list[_Line] | None = None
        self._wrapped_width: float | None = None

    # -- layout ------------------------------------------------------------------------

    def _assign_fonts(self) -> list[str]:
        script = self.style.script
        names: list[str] = []
        for char, bold in zip(self._text, self._bold, strict=True):
            if names and (is_attached(char) or char in NOT_DRAWN):
                names.append(names[-1])
            else:
                names.append(_font_name(char, script, bold))
        return names

    def _words(self) -> list[tuple[int, int]]:
        """Logical (start, end) of each word; words are separated by plain spaces."""
        words: list[tuple[int, int]] = []
        start: int | None = None
        for pos, char in enumerate(self._text):
            if char == " " and pos not in self._keep:
                if start is not None:
                    words.append((start, pos))
                    start = None
            elif start is None:
                start = pos
        if start is not None:
            words.append((start, len(self._text)))
        return words

    def _width(self, start: int, end: int) -> float:
        """Shaped width of a logical range, run by run of one font."""
        total = 0.0
        size = self.style.size
        pos = start
        while pos < end:
            font = self._fonts[pos]
            stop = pos + 1
            while stop < end and self._fonts[stop] == font:
                stop += 1
            piece = "".join(c for c in self._text[pos:stop] if c not in NOT_DRAWN)
            if piece:
                total += _shaped(piece, font, size)[1]
            pos = stop
        return total

    def _space_width(self) -> float:
        name = fonts().face(self.style.script).name
        return float(pdfmetrics.stringWidth(" ", name, self.style.size))

    def _text_width(self, avail_width: float) -> float:
        return max(avail_width - self.style.indent - self._bullet_width(), 10.0)

    def _bullet_width(self) -> float:
        if not self.style.bullet:
            return 0.0
        return self.style.size * 1.2

    def _break_lines(self, width: float) -> list[tuple[list[tuple[int, int]], bool]]:
        """Each line's words (logical ranges) and whether it ends in a hyphenated word."""
        space = self._space_width()
        lines: list[tuple[list[tuple[int, int]], bool]] = []
        current: list[tuple[int, int]] = []
        used = 0.0
        for start, end in self._words():
            while start < end:
                word_width = self._width(start, end)
                needed = word_width if not current else used + space + word_width
                if needed <= width:
                    current.append((start, end))
                    used = needed
                    break
                # The word's longest head that fits what is left of the line: at a soft
                # hyphen, or, for a word wider than any line, at a hyphenation point.
                room = width - used - space if current else width
                head = self._head(start, end, room, any_point=word_width > width)
                if head is None and current:
                    lines.append((current, False))  # try again on a line of its own
                    current, used = [], 0.0
                    continue
                cut, hyphen = head if head is not None else (self._cut(start, end, width), False)
                lines.append(([*current, (start, cut)], hyphen))
                current, used = [], 0.0
                start = cut
        if current:
            lines.append((current, False))
        return lines

    def _head(self, start: int, end: int, room: float, any_point: bool) -> tuple[int, bool] | None:
        """Where to break the word ``start:end`` so that its head fits ``room``, and
        whether a hyphen shows there; None if no break point fits. Right-to-left
        paragraphs, Arabic-script and Ethiopic words are never hyphenated."""
        word = self._text[start:end]
        if self.style.rtl or not may_hyphenate(word):
            return None
        points = {p: True for p in soft_hyphen_points(word)}
        if any_point:
            points |= {p: True for p in pattern_points(word, self.style.language)}
            points |= {i + 1: False for i, c in enumerate(word[:-1]) if c == "-" and i}
        for point in sorted(points, reverse=True):
            hyphen = points[point]
            extra = self._hyphen_width(start + point - 1) if hyphen else 0.0
            if self._width(start, start + point) + extra <= room:
                return start + point, hyphen
        return None

    def _hyphen_width(self, last: int) -> float:
        return _shaped("-", self._fonts[last], self.style.size)[1]

    def _cut(self, start: int, end: int, width: float) -> int:
        """The end of the first piece of a word wider than the line that has no break
        point: after the last ``-``, ``/``, ``.``, ``@`` or ``_`` that fits (an e-mail
        address or URL then reads as its parts), else where it stops fitting; at least
        one character."""
        fit = start + 1
        while fit < end and self._width(start, fit + 1) <= width:
            fit += 1
        if fit >= end:
            return end
        after = [i + 1 for i in range(start, fit) if self._text[i] in BREAK_AFTER]
        return after[-1] if after else fit

    def _build_line(self, words: list[tuple[int, int]], hyphen: bool = False) -> _Line:
        first, last = words[0][0], words[-1][1]
        indices = list(range(first, last))
        order = [
            i
            for i in visual_order(indices, self._levels, self._text, self.style.rtl)
            if self._text[i] not in NOT_DRAWN
        ]
        line = _Line()
        pos = 0
        while pos < len(order):
            index = order[pos]
            font, level = self._fonts[index], self._levels[index]
            stop = pos + 1
            while (
                stop < len(order)
                and self._fonts[order[stop]] == font
                and self._levels[order[stop]] == level
            ):
                stop += 1
            run = order[pos:stop]
            if _needs_shaping("".join(self._text[i] for i in run)):
                # Shaped runs go word by word, so each carries its own ActualText and
                # text extraction sees words, not one run-long blob.
                start = 0
                for cut in range(1, len(run) + 1):
                    if cut == len(run) or (self._text[run[cut]] == " ") != (
                        self._text[run[cut - 1]] == " "
                    ):
                        self._add_run(line, run[start:cut], font, level)
                        start = cut
            else:
                self._add_run(line, run, font, level)
            pos = stop
        if hyphen:
            # Only left-to-right lines are hyphenated: the end of the text is the right.
            font = self._fonts[last - 1]
            line.runs.append(_Run("-", font, self._hyphen_width(last - 1), "-"))
            line.width += line.runs[-1].width
            line.hyphen = True
        return line

    def _add_run(self, line: _Line, visual: list[int], font: str, level: int) -> None:
        chars = [self._text[i] for i in visual]
        shaped, width = _shaped(_harfbuzz_input(chars, level), font, self.style.size)
        logical = "".join(self._text[i] for i in sorted(visual))
        line.runs.append(_Run(shaped, font, width, logical))
        line.width += width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Break the lines for ``availWidth`` (ReportLab's Flowable protocol)."""
        if self._lines is None or self._wrapped_width != availWidth:
            text_width = self._text_width(availWidth)
            self._lines = [self._build_line(w, h) for w, h in self._break_lines(text_width)]
            self._wrapped_width = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Split between lines when the paragraph does not fit (a column or page break)."""
        self.wrap(availWidth, availHeight)
        lines = self._laid_out()
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(lines):
            return [] if fit <= 0 else [self]
        head = self._clone(lines[:fit], availWidth, keep_bullet=True)
        tail = self._clone(lines[fit:], availWidth, keep_bullet=False)
        return [head, tail]

    def _clone(self, lines: list[_Line], width: float, keep_bullet: bool) -> BidiParagraph:
        other = object.__new__(BidiParagraph)
        Flowable.__init__(other)
        other.style = self.style if keep_bullet else _without_bullet(self.style)
        other._text, other._bold, other._fonts = self._text, self._bold, self._fonts
        other._keep = self._keep
        other._levels = self._levels
        other._lines = lines
        other._wrapped_width = width
        return other

    def getSpaceBefore(self) -> float:  # noqa: N802
        """Space above the paragraph (ReportLab's Flowable protocol)."""
        return self.style.space_before

    def getSpaceAfter(self) -> float:  # noqa: N802
        """Space below the paragraph (ReportLab's Flowable protocol)."""
        return self.style.space_after

    # -- drawing -----------------------------------------------------------------------

    def draw(self) -> None:
        """Draw the lines, right-aligned for right-to-left text (ReportLab protocol)."""
        lines = self._laid_out()
        canvas = self.canv
        style = self.style
        canvas.setFillColor(style.color)
        bullet_width = self._bullet_width()
        size = style.size
        baseline = self.height - style.leading + (style.leading - size) / 2 + size * 0.22
        # One text object for the whole paragraph, each run placed absolutely; spaces are
        # gaps, not drawn. (A drawString per run costs a BT/ET pair and a width lookup.)
        text = canvas.beginText()
        code = text._code
        current_font = None
        for number, line in enumerate(lines):
            y = baseline - number * style.leading
            if style.rtl:
                x = self.width - style.indent - bullet_width - line.width
            else:
                x = style.indent + bullet_width
            for run in line.runs:
                if run.logical.strip():
                    if run.font != current_font:
                        text.setFont(run.font, size)
                        current_font = run.font
                    text.setTextOrigin(x, y)
                    # ReportLab 5.1's _formatText reads the last operator it wrote while
                    # placing raised glyphs (Arabic marks) and fails when it wrote none yet;
                    # forgetting the current subset makes it start with a Tf operator.
                    text._curSubset = -1
                    if isinstance(run.text, ShapedStr):
                        # Shaped glyphs (Arabic forms, ligatures) have no Unicode of their
                        # own: ActualText gives copy/paste, search and screen readers the
                        # run's real characters in reading order.
                        code.append(f"/Span <</ActualText {_pdf_text(run.logical)}>> BDC")
                        code.append(text._formatText(run.text))
                        code.append("EMC")
                    else:
                        code.append(text._formatText(run.text))
                x += run.width
        canvas.drawText(text)
        if style.bullet and lines:
            self._draw_bullet(baseline)

    def _draw_bullet(self, y: float) -> None:
        style = self.style
        face = fonts().face_for(style.bullet, style.script, style.bold) or fonts().face(
            style.script
        )
        self.canv.setFont(face.name, style.size)
        if style.rtl:
            self.canv.drawRightString(self.width - style.indent, y, style.bullet)
        else:
            self.canv.drawString(style.indent, y, style.bullet)

    # -- inspection --------------------------------------------------------------------

    def line_texts(self) -> list[str]:
        """Each laid-out line's characters in drawing order (for tests and diagnostics)."""
        return ["".join(str(run.text) for run in line.runs) for line in self._laid_out()]

    def hyphenated_lines(self) -> list[bool]:
        """For each laid-out line, whether it ends with an added hyphen (for tests)."""
        return [line.hyphen for line in self._laid_out()]

    def _laid_out(self) -> list[_Line]:
        if self._lines is None:
            raise RuntimeError("wrap() the paragraph before drawing or splitting it")
        return self._lines


def _pdf_text(text: str) -> str:
    """``text`` as a PDF hex string in UTF-16BE with byte order mark (PDF 1.7, 7.9.2.2)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _without_bullet(style: TextStyle) -> TextStyle:
    """The style of a paragraph's continuation: no bullet, same indent under the text."""
    return TextStyle(
        size=style.size,
        leading=style.leading,
        script=style.script,
        rtl=style.rtl,
        bold=style.bold,
        bullet="",
        indent=style.indent + (style.size * 1.2 if style.bullet else 0.0),
        space_before=0.0,
        space_after=style.space_after,
        color=style.color,
        language=style.language,
    )
