"""A rough, explainable strength hint for a new passphrase (no Qt, no big word lists).

The set-up wizard shows it while the guide types. It is a hint, not a guarantee: it
counts what an attacker's first guesses cover (very common words, keyboard runs, repeated
characters) as nearly free and every other character by the variety of characters used,
in the spirit of zxcvbn but a hundred lines instead of a megabyte of dictionaries.
Argon2id (SECURITY.md 6.1.1) slows each guess down; it cannot rescue "passwort123".
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from enum import IntEnum

from kisi_desktop.core.i18n import _
from kisi_desktop.core.vault.keys import MIN_PASSPHRASE_LENGTH

# The first guesses of every cracking list, German and English, plus words of this app's
# own world. Kept short on purpose: the long tail is covered by the length rule.
COMMON_WORDS = frozenset(
    """
    passwort password passwd kennwort geheim secret qwertz qwerty asdf yxcv azerty
    hallo hello willkommen welcome admin administrator login master letmein iloveyou
    ichliebedich liebe schatz schatzi sommer winter herbst fruehling frühling sonne
    sunshine monday montag fussball fußball football dragon monkey shadow baseball
    superman batman pokemon starwars killer hunter freedom whatever trustno1 princess
    prinzessin hexe teufel engel hase maus mausi bayern borussia schalke werder eintracht
    deutschland germany berlin hamburg hessen frankfurt wiesbaden kassel darmstadt
    test testen benutzer user guest gast computer internet daten datenschutz
    kisi integration integrationsguide guide amif wegweiser kommune gemeinde rathaus
    abcdef abc123 changeme default zugang sicher sicherheit start anfang
    """.split()
)

# Keyboard rows (German and English layouts) and the alphabet: runs along them are guessed
# early, forwards and backwards.
_RUNS = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertzuiopü",
    "qwertyuiop",
    "asdfghjklöä",
    "yxcvbnm",
    "zxcvbnm",
)
# Common "leet" substitutions undone before looking for common words.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# A common word counts as one guess out of a list of about this many.
_COMMON_WORD_BITS = 10.0
# A run or repetition costs about as much as its first character plus its length. Three
# letters in alphabet order occur inside ordinary words ("hoRSTe"), so runs start at four.
_RUN_MIN = 4
# Years (1900-2099) are among the first suffixes tried: about 200 guesses.
_YEAR_RE = re.compile(r"(19|20)\d\d")
_YEAR_BITS = 7.6


class Level(IntEnum):
    """How hard the passphrase is to guess, from not allowed to strong."""

    TOO_SHORT = 0
    VERY_WEAK = 1
    WEAK = 2
    FAIR = 3
    STRONG = 4


# Upper bounds (exclusive) of estimated bits for each level above TOO_SHORT.
_LEVEL_BITS = ((Level.VERY_WEAK, 35.0), (Level.WEAK, 50.0), (Level.FAIR, 70.0))


@dataclass(frozen=True, slots=True)
class Strength:
    """The estimate and what to tell the user about it.

    ``bits`` is a rough guess count (log2); ``hints`` are translated sentences in the order
    they matter; ``acceptable`` says whether set-up may go on with this passphrase.
    """

    level: Level
    bits: float
    hints: tuple[str, ...]

    @property
    def acceptable(self) -> bool:
        """Long enough and not one of the very first guesses."""
        return self.level >= Level.WEAK

    def label(self) -> str:
        """The level in words, in the UI language."""
        return {
            Level.TOO_SHORT: _("Too short"),
            Level.VERY_WEAK: _("Very weak"),
            Level.WEAK: _("Weak"),
            Level.FAIR: _("Fair"),
            Level.STRONG: _("Strong"),
        }[self.level]


def _pool_size(text: str) -> int:
    """How many characters an attacker must try per position, given the classes used."""
    pool = 0
    if any(c.islower() and c.isascii() for c in text):
        pool += 26
    if any(c.isupper() and c.isascii() for c in text):
        pool += 26
    if any(c.isdigit() for c in text):
        pool += 10
    if any(not c.isalnum() and c.isascii() for c in text):
        pool += 33  # ASCII punctuation and the space
    if any(not c.isascii() for c in text):
        pool += 40  # umlauts, ß, other scripts
    return max(pool, 1)


def _common_words(lowered: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, word) of common words, longest first."""
    normal = lowered.translate(_LEET)
    found: list[tuple[int, int, str]] = []
    taken = [False] * len(normal)
    for word in sorted(COMMON_WORDS, key=len, reverse=True):
        if len(word) < 4:
            continue
        for match in re.finditer(re.escape(word), normal):
            start, end = match.span()
            if not any(taken[start:end]):
                found.append((start, end, word))
                for i in range(start, end):
                    taken[i] = True
    return sorted(found)


def _steps(a: str, b: str) -> frozenset[tuple[int, int]]:
    """How ``b`` follows ``a``: (-1, 0) for a repeat, else (row, +1 or -1) for each keyboard
    row or the alphabet along which it is the next or the previous character."""
    if a == b:
        return frozenset({(-1, 0)})
    found: set[tuple[int, int]] = set()
    for row, run in enumerate(_RUNS):
        i = run.find(a)
        while i >= 0:
            if run[i + 1 : i + 2] == b:
                found.add((row, 1))
            if i > 0 and run[i - 1] == b:
                found.add((row, -1))
            i = run.find(a, i + 1)
    return frozenset(found)


def _runs(lowered: str) -> list[tuple[int, int]]:
    """Spans of at least :data:`_RUN_MIN` characters that repeat one character or walk one
    keyboard row or the alphabet in one direction ("aaaa", "1234", "qwertz", "zyxw"),
    longest first; spans of different kinds may share characters ("1234444").

    Each step of a span is of the same kind: a repeat, then a step along the alphabet,
    then one along a keyboard row ("ffee" in "Kaffee", "dert" in "wandert") is no run.
    """
    steps = [_steps(a, b) for a, b in itertools.pairwise(lowered)]
    spans: set[tuple[int, int]] = set()
    for kind in set().union(*steps):
        first: int | None = None
        for k, step in enumerate([*steps, frozenset()]):  # step k joins characters k, k+1
            if kind in step:
                first = k if first is None else first
                continue
            if first is not None and k + 1 - first >= _RUN_MIN:
                spans.add((first, k + 1))
            first = None
    return sorted(spans, key=lambda span: (span[0] - span[1], span[0]))


def estimate(passphrase: str) -> Strength:
    """Estimate how guessable ``passphrase`` is and say why, in the UI language."""
    length = len(passphrase)
    lowered = passphrase.lower()
    per_char = math.log2(_pool_size(passphrase))
    cheap = [False] * length
    bits = 0.0
    words = _common_words(lowered)
    for start, end, _word in words:
        bits += _COMMON_WORD_BITS
        for i in range(start, end):
            cheap[i] = True
    runs = 0
    for start, end in _runs(lowered):
        fresh = [i for i in range(start, end) if not cheap[i]]
        # One character may belong to two runs ("1234" and "4444" in "1234444").
        if len(fresh) >= _RUN_MIN - 1:
            runs += 1
            bits += per_char + math.log2(len(fresh))
            for i in fresh:
                cheap[i] = True
    for match in _YEAR_RE.finditer(passphrase):
        start, end = match.span()
        if not any(cheap[start:end]):
            bits += _YEAR_BITS
            for i in range(start, end):
                cheap[i] = True
    bits += per_char * cheap.count(False)

    if length < MIN_PASSPHRASE_LENGTH:
        level = Level.TOO_SHORT
    else:
        level = next((lvl for lvl, limit in _LEVEL_BITS if bits < limit), Level.STRONG)
    hints: list[str] = []
    if length < MIN_PASSPHRASE_LENGTH:
        hints.append(
            _("Use at least {n} characters ({missing} more).").format(
                n=MIN_PASSPHRASE_LENGTH, missing=MIN_PASSPHRASE_LENGTH - length
            )
        )
    if words and level == Level.STRONG:
        # Said beside "Strong": a warning alone would read as if the level were wrong.
        hints.append(
            _(
                "“{word}” is one of the first words attackers try; the rest of the "
                "passphrase makes up for it."
            ).format(word=words[0][2])
        )
    elif words:
        hints.append(
            _("“{word}” is one of the first words attackers try.").format(word=words[0][2])
        )
    if runs:
        hints.append(_("Avoid repeated characters and runs like “1234” or “qwertz”."))
    if length and _pool_size(passphrase) <= 26 and length < 20:
        hints.append(_("Mix capitals, digits or symbols in, or make it longer."))
    if level == Level.VERY_WEAK:
        hints.insert(0, _("Too easy to guess: please choose another passphrase."))
    if level < Level.STRONG and length >= MIN_PASSPHRASE_LENGTH:
        hints.append(_("Tip: four or more unrelated words are strong and easy to remember."))
    return Strength(level=level, bits=round(bits, 1), hints=tuple(hints))
