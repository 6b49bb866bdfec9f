"""The window's and the tables' keys, in one place: where they are bound (the main window,
the record tables) and where a text names them (the Overview's first steps) read the
same key, so a text never names a key that does nothing."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

NEW_KEY = QKeySequence("Ctrl+N")
FILTER_KEY = QKeySequence("Ctrl+Shift+F")


def page_key(index: int) -> QKeySequence | None:
    """The key of the navigation's page at ``index``: Ctrl+1 ... Ctrl+9, then Ctrl+0 for
    the tenth page, as the digit row runs; None from the eleventh on."""
    return QKeySequence(f"Ctrl+{(index + 1) % 10}") if index < 10 else None


def key_text(key: QKeySequence) -> str:
    """``key`` as the guide's keyboard labels it ("Strg+N" in German)."""
    return key.toString(QKeySequence.SequenceFormat.NativeText)
