"""Plaintext leak scanner for the P1 tests (SECURITY.md test plan): find markers in files.

A test writes records whose plaintext contains unusual marker words, runs a session, then
scans every file the app could have left behind (vault db, -wal, -shm, -journal, temp and
cache folders) for those markers. Each marker is looked for in the encodings an app or a
library might write text in (UTF-8, UTF-16-LE, UTF-16-BE) and in both Unicode normal forms
(NFC, NFD), so a leak is found whichever way the text was stored. GUI and CLI tests reuse
this module; every use needs a negative control (plant a marker, expect a hit), or a scan
that finds nothing proves nothing.
"""

from __future__ import annotations

import os
import random
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
FORMS = ("NFC", "NFD")

# Alphabets for random markers: Latin capitals with diacritics (so NFC and NFD differ),
# Arabic letters (alef with madda and hamza forms decompose under NFD) and Ethiopic
# syllables as used for Tigrinya.
_LATIN = "ZQXJKVWÄÖÜÉÈÇ"
_ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويآأإؤئ"
_ETHIOPIC = "ሀለሐመሠረሰሸቀበተቸኀነኘአከኸወዐዘዠየደጀገጠጨጰጸፀፈፐ"


@dataclass(frozen=True, slots=True)
class Hit:
    """One marker found in one file."""

    path: Path
    marker: str
    encoding: str
    form: str
    offset: int


def needles(marker: str) -> dict[bytes, tuple[str, str]]:
    """Every byte string ``marker`` may appear as, mapped to (encoding, normal form)."""
    found: dict[bytes, tuple[str, str]] = {}
    for form in FORMS:
        text = unicodedata.normalize(form, marker)
        for encoding in ENCODINGS:
            found.setdefault(text.encode(encoding), (encoding, form))
    return found


def random_markers(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct markers, cycling through Latin, Arabic and Tigrinya scripts.

    Each marker is long enough (12+ characters) that it cannot occur in ciphertext or
    in an SQLite page by chance.
    """
    rng = random.Random(seed)
    alphabets = (_LATIN, _ARABIC, _ETHIOPIC)
    markers: list[str] = []
    while len(markers) < count:
        alphabet = alphabets[len(markers) % len(alphabets)]
        prefix = "ZQXM" if alphabet is _LATIN else ""
        marker = prefix + "".join(rng.choice(alphabet) for _ in range(12))
        if marker not in markers:
            markers.append(marker)
    return markers


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    """Every regular file in ``paths`` (files themselves, folders recursively)."""
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            for root, _dirs, names in os.walk(path):
                for name in sorted(names):
                    candidate = Path(root) / name
                    if candidate.is_file() and not candidate.is_symlink():
                        yield candidate


def scan(paths: Iterable[Path], markers: Iterable[str]) -> list[Hit]:
    """Every occurrence of every marker, in any encoding and normal form, in ``paths``."""
    table: dict[bytes, tuple[str, str, str]] = {}
    for marker in markers:
        for needle, (encoding, form) in needles(marker).items():
            table[needle] = (marker, encoding, form)
    hits: list[Hit] = []
    for path in files_under(paths):
        data = path.read_bytes()
        for needle, (marker, encoding, form) in table.items():
            start = data.find(needle)
            while start != -1:
                hits.append(Hit(path, marker, encoding, form, start))
                start = data.find(needle, start + 1)
    return hits


def scan_bytes(paths: Iterable[Path], needles_: Iterable[bytes]) -> list[tuple[Path, int]]:
    """Every occurrence of raw byte strings (e.g. old ciphertext) in the files in ``paths``."""
    wanted = [needle for needle in needles_ if needle]
    hits: list[tuple[Path, int]] = []
    for path in files_under(paths):
        data = path.read_bytes()
        for needle in wanted:
            start = data.find(needle)
            while start != -1:
                hits.append((path, start))
                start = data.find(needle, start + 1)
    return hits


def describe(hits: Iterable[Hit]) -> str:
    """Readable list of hits for an assertion message (markers shown as code points too)."""
    return "\n".join(
        f"  {hit.path} @{hit.offset}: {hit.marker!r} as {hit.encoding}/{hit.form}" for hit in hits
    )
