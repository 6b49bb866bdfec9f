"""Right-to-left order: embedding levels from python-bidi, and the visual order of a line.

ReportLab 5.1 shapes with HarfBuzz but does not order right-to-left text (TECH-NOTES.md).
The Unicode Bidirectional Algorithm (UAX #9) does that in two halves: resolving an embedding
level per character for the whole paragraph (rules X1-I2), then, after the paragraph has
been broken into lines, reversing runs within each line (rules L1-L2). python-bidi's
``get_display`` does both at once on a string and forgets which character went where, so the
paragraph layout could not keep fonts, bold or widths per character. Here the first half is
python-bidi's own implementation (its pure-Python ``bidi.algorithm`` steps), with every
character tagged by its index; the second half is the short L1/L2 rule applied per line.

That implementation knows embeddings (LRE ... PDF) but not isolates (LRI ... PDI), so phone
numbers, e-mail addresses and URLs are wrapped in LRE ... PDF: inside an Arabic sentence
"06251 14-0" then stays one left-to-right run, where plain bidi would swap its two groups.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bidi import algorithm as uba

LRE = "\u202a"
PDF = "\u202c"

INVISIBLE_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Bidi marks and embeddings: they steer the order and are never drawn."""

_URL = r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
_PHONE = r"\+?\d[\d /\-]*\d"
_LTR_SPAN = re.compile(f"{_URL}|{_EMAIL}|{_PHONE}")
_PHONE_SPAN = re.compile(_PHONE)
_TRAILING = ".,;:!?)]'"
_LATIN_IN_BRACKETS = re.compile(r"\((?=[^()]*[A-Za-zÄÖÜäöüß])[^()\u0590-\u08ff\ufb1d-\ufeff]+\)")
"""A parenthesis holding Latin text and no right-to-left letters: ``(Bürgerbüro)``."""


def protect_ltr_spans(text: str) -> str:
    """Wrap phone numbers, e-mail addresses and URLs in a left-to-right embedding.

    A reader dials and types these in their own order, whatever the sentence around them;
    a sentence-final full stop stays outside the span, where the sentence's direction
    places it.
    """

    def wrap(match: re.Match[str]) -> str:
        span = match.group(0)
        core = span.rstrip(_TRAILING) if not span[-1].isdigit() else span
        if not core:
            return span
        return f"{LRE}{core}{PDF}{span[len(core) :]}"

    text = _LTR_SPAN.sub(wrap, text)
    # A German term in brackets inside Arabic ("(Bürgerbüro):") is one left-to-right unit.
    # UAX #9 gets this right with its paired-bracket rule N0, which python-bidi's
    # pure-Python algorithm lacks; without it the brackets land on the wrong sides.
    return _LATIN_IN_BRACKETS.sub(lambda m: f"{LRE}{m.group(0)}{PDF}", text)


def unbreakable_spaces(text: str) -> set[int]:
    """Positions of spaces inside phone numbers: a line never breaks "06251 14-0" apart."""
    return {
        match.start() + offset
        for match in _PHONE_SPAN.finditer(text)
        for offset, char in enumerate(match.group(0))
        if char == " "
    }


def embedding_levels(text: str, rtl: bool) -> list[int]:
    """The resolved bidi level of every character of one paragraph, by logical index.

    Characters the algorithm sets aside (rule X9: embeddings, and boundary neutrals such as
    ZWNJ and ZWJ) take the level of the character before them, as UAX #9 section 5.2
    suggests, so they stay inside their word's run and reach the shaper.
    """
    base = 1 if rtl else 0
    if not rtl and not any(is_strong_rtl(c) or c in INVISIBLE_CONTROLS for c in text):
        return [0] * len(text)  # nothing in a left-to-right paragraph to reorder
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, storage)
    for index, entry in enumerate(storage["chars"]):
        entry["index"] = index
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels: list[int | None] = [None] * len(text)
    for entry in storage["chars"]:
        levels[entry["index"]] = entry["level"]
    resolved: list[int] = []
    previous = base
    for level in levels:
        previous = previous if level is None else level
        resolved.append(previous)
    return resolved


def visual_order(indices: Sequence[int], levels: Sequence[int], text: str, rtl: bool) -> list[int]:
    """The logical indices of one line, from left to right as they are drawn.

    Args:
        indices: the line's characters, in logical order (consecutive indices of ``text``).
        levels: the paragraph's levels from :func:`embedding_levels`.
        text: the paragraph text, to find trailing white space (rule L1).
        rtl: the paragraph's base direction.
    """
    base = 1 if rtl else 0
    line = [levels[i] for i in indices]
    # L1: white space at the end of a line takes the paragraph level.
    for pos in range(len(indices) - 1, -1, -1):
        char = text[indices[pos]]
        if char.isspace() or char in INVISIBLE_CONTROLS:
            line[pos] = base
        else:
            break
    order = list(indices)
    if not line:
        return order
    highest = max(line)
    odd = [lv for lv in line if lv % 2]
    if not odd:
        return order
    lowest_odd = min(odd)
    # L2: from the highest level down to the lowest odd one, reverse every maximal run
    # at that level or higher.
    paired = list(zip(order, line, strict=True))
    for level in range(highest, lowest_odd - 1, -1):
        start = None
        for pos in range(len(paired) + 1):
            inside = pos < len(paired) and paired[pos][1] >= level
            if inside and start is None:
                start = pos
            elif not inside and start is not None:
                paired[start:pos] = reversed(paired[start:pos])
                start = None
    return [index for index, _ in paired]


def is_strong_rtl(char: str) -> bool:
    """Whether ``char`` is a right-to-left letter (bidi class R or AL)."""
    return unicodedata.bidirectional(char) in ("R", "AL")


def mirror(char: str) -> str:
    """The mirrored form of a bracket-like character drawn right to left (rule L4)."""
    return uba.MIRRORED.get(char, char) if unicodedata.mirrored(char) else char
