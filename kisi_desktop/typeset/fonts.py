"""The bundled Noto fonts in ReportLab, and which of them draws each character.

A script font lacks characters a handout needs (an Ethiopic font without "!", an Arabic
font without "،" in older releases), and a Latin font has no Arabic. Instead of trusting one
font per paragraph, every character gets the paragraph's own font when that font has a glyph
for it, else the first bundled font that does. Combining marks and invisible format
characters (ZWNJ in Persian, ZWJ) stay with the character before them, so HarfBuzz shapes a
base letter and its marks together and Persian words keep their joins and breaks.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kisi_desktop.core.paths import fonts_dir


class Script(Enum):
    """The writing systems a handout paragraph can be set in; each has its own font."""

    LATIN = "latin"  # also Cyrillic and Greek: Noto Sans covers them
    ARABIC = "arabic"
    ETHIOPIC = "ethiopic"


@dataclass(frozen=True, slots=True)
class Face:
    """One registered font file: its ReportLab name and the code points it has glyphs for."""

    name: str
    codepoints: frozenset[int]

    def has(self, char: str) -> bool:
        """Whether the file has a glyph for ``char`` (a single code point)."""
        return ord(char) in self.codepoints


_FILES: dict[tuple[Script, bool], tuple[str, str]] = {
    (Script.LATIN, False): ("KisiSans", "NotoSans-Regular.ttf"),
    (Script.LATIN, True): ("KisiSans-Bold", "NotoSans-Bold.ttf"),
    (Script.ARABIC, False): ("KisiArabic", "NotoSansArabic-Regular.ttf"),
    (Script.ARABIC, True): ("KisiArabic-Bold", "NotoSansArabic-Bold.ttf"),
    (Script.ETHIOPIC, False): ("KisiEthiopic", "NotoSansEthiopic-Regular.ttf"),
    (Script.ETHIOPIC, True): ("KisiEthiopic-Bold", "NotoSansEthiopic-Bold.ttf"),
}

_FALLBACK_ORDER = (Script.LATIN, Script.ARABIC, Script.ETHIOPIC)


class FontSet:
    """The six bundled faces, registered once per process with ReportLab."""

    def __init__(self, faces: dict[tuple[Script, bool], Face]) -> None:
        self._faces = faces

    def face(self, script: Script, bold: bool = False) -> Face:
        """The face for ``script`` in the given weight."""
        return self._faces[(script, bold)]

    def names(self) -> list[str]:
        """Every registered ReportLab font name."""
        return [f.name for f in self._faces.values()]

    def face_for(self, char: str, script: Script, bold: bool) -> Face | None:
        """The face that draws ``char`` in a paragraph set in ``script``, or None if none can.

        The paragraph's own face wins when it has the glyph; otherwise the bundled faces are
        tried in a fixed order, so the same text always falls back the same way.
        """
        own = self._faces[(script, bold)]
        if own.has(char):
            return own
        for other in _FALLBACK_ORDER:
            face = self._faces[(other, bold)]
            if face.has(char):
                return face
        return None


def is_attached(char: str) -> bool:
    """Whether ``char`` belongs to the glyph cluster before it (marks, joiners, controls).

    Such characters are drawn with the font of their base character: splitting a cluster
    across fonts would detach vowel marks and break (or wrongly keep) Arabic joins.
    """
    category = unicodedata.category(char)
    return category in ("Mn", "Me", "Mc", "Cf")


def script_of_language(direction_rtl: bool, code: str) -> Script:
    """The script a handout language is written in, from its code and direction."""
    base = code.split("-")[0]
    if base in ("ti", "am", "tig", "byn"):
        return Script.ETHIOPIC
    if direction_rtl:
        return Script.ARABIC
    return Script.LATIN


_lock = threading.Lock()
_registered: FontSet | None = None


def fonts(folder: Path | None = None) -> FontSet:
    """The process's font set, registering the bundled files with ReportLab on first use.

    Registration reads each file's cmap once (about 10 ms for all six); ReportLab keeps
    registered fonts in a process-wide table, so this is done once per process.
    """
    global _registered
    with _lock:
        if _registered is None:
            base = folder or fonts_dir()
            faces: dict[tuple[Script, bool], Face] = {}
            for key, (name, file_name) in _FILES.items():
                ttf = TTFont(name, str(base / file_name))
                pdfmetrics.registerFont(ttf)
                faces[key] = Face(name, frozenset(ttf.face.charToGlyph))
            _registered = FontSet(faces)
        return _registered
