"""Where a word may be broken across two lines, and whether a hyphen shows there.

German compounds ("Integrationskursverordnung") are wider than a narrow column at a
large size; cut where they stopped fitting they read as two words with no hint that they
belong together. A soft hyphen (U+00AD) in a text is the author's own break point: it is
invisible, and shows as "-" only at the end of a line. A word still wider than the line
is broken at the points of the language's hyphenation patterns (pyphen, the LibreOffice
dictionaries: German, English, Ukrainian, Russian, ...). Arabic-script and Ethiopic words
are never hyphenated: neither writing system breaks words with a hyphen.
"""

from __future__ import annotations

from functools import lru_cache

import pyphen

SOFT_HYPHEN = "\u00ad"

# Arabic, Syriac, Thaana, NKo... up to Arabic Extended-A, the presentation forms, and
# Ethiopic with its supplements and extensions.
_NEVER_HYPHENATED = (
    (0x0600, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x1200, 0x139F),
    (0x2D80, 0x2DDF),
    (0xAB00, 0xAB2F),
    (0x1E7E0, 0x1E7FF),
)
# An address, URL or e-mail: broken after its punctuation, never with an added hyphen.
_ADDRESS_MARKS = frozenset("@/:._")
SHORTEST_HYPHENATED = 5  # letters; "Amt" or "Bus" are never broken


def may_hyphenate(word: str) -> bool:
    """Whether ``word`` may be broken with a hyphen: not Arabic-script or Ethiopic."""
    return not any(low <= ord(c) <= high for c in word for low, high in _NEVER_HYPHENATED)


def soft_hyphen_points(word: str) -> list[int]:
    """Offsets just after each soft hyphen of ``word`` (a break there shows a hyphen)."""
    return [i + 1 for i, c in enumerate(word) if c == SOFT_HYPHEN and 0 < i < len(word) - 1]


def pattern_points(word: str, language: str) -> list[int]:
    """Offsets in ``word`` where the hyphenation patterns of ``language`` allow a break
    with a hyphen; none for a language pyphen has no patterns for, or an address."""
    patterns = _patterns(language)
    if patterns is None or any(c in _ADDRESS_MARKS for c in word):
        return []
    points: list[int] = []
    start = None
    for pos, char in enumerate([*word, " "]):
        if char.isalpha():
            if start is None:
                start = pos
        elif start is not None:
            if pos - start >= SHORTEST_HYPHENATED:
                points.extend(start + p for p in patterns.positions(word[start:pos]))
            start = None
    return points


@lru_cache(maxsize=16)
def _patterns(language: str) -> pyphen.Pyphen | None:
    """The patterns for ``language`` ("de", "en", "uk"), loaded once per language."""
    if not language:
        return None
    found = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=found) if found else None
