"""Bundled fonts for Qt: the same Noto files on every machine, so every script renders.

System fonts cannot be relied on: a bare machine draws Arabic and Ethiopic as boxes, and
Debian's Noto packages are too old (TECH-NOTES.md, "Fonts"). The files in
``resources/fonts`` (see FONTS.md there) are the ones ReportLab embeds in PDFs as well.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from kisi_desktop.core.paths import fonts_dir

UI_FAMILY = "Noto Sans"
"""The application's default family: Latin (incl. Turkish, Kurmanji) and Cyrillic."""

FALLBACK_FAMILIES = ("Noto Sans Arabic", "Noto Sans Ethiopic")
"""Families Qt falls back to for characters Noto Sans lacks (Arabic script, Ethiopic)."""


def register_fonts(folder: Path | None = None) -> list[str]:
    """Load every bundled ``.ttf`` into Qt and make Noto Sans the application font.

    Call once, after the QApplication exists and before widgets are built, so that every
    widget inherits the font. Substitutions for "Noto Sans" name the Arabic and Ethiopic
    families, so a label mixing scripts takes each character from a bundled font instead
    of whatever the system has (or a box when it has nothing). The point size stays that of
    the platform's default font, which follows the user's display settings.

    Args:
        folder: where the fonts are; the bundled ``resources/fonts`` unless a test says
            otherwise.

    Returns:
        The family names the files provide, each once, in file-name order.

    Raises:
        FileNotFoundError: the folder holds no ``.ttf`` file (a broken installation).
        RuntimeError: Qt could not load one of the files.
    """
    folder = fonts_dir() if folder is None else folder
    paths = sorted(folder.glob("*.ttf"))
    if not paths:
        raise FileNotFoundError(f"no bundled fonts (*.ttf) in {folder}")
    families: list[str] = []
    for path in paths:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id == -1:
            raise RuntimeError(f"Qt could not load the bundled font {path}")
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    QFont.insertSubstitutions(UI_FAMILY, list(FALLBACK_FAMILIES))
    font = QGuiApplication.font()  # a copy: keeps the platform's size, only the family changes
    font.setFamilies([UI_FAMILY])
    QGuiApplication.setFont(font)
    return families
