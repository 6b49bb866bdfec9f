"""The keys of File → Quit: the platform's own, else Ctrl+Q.

Qt names no key for quitting on Windows (``QKeySequence.StandardKey.Quit`` is empty
there): the guides' window and the ministry's showed their Quit entries without a key and
no key closed them. Ctrl+Q is what a Windows program with a Quit entry takes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QKeySequence

FALLBACK = "Ctrl+Q"


def quit_keys(platform: Sequence[QKeySequence] | None = None) -> list[QKeySequence]:
    """The platform's keys for Quit (``platform``: as Qt names them here), or Ctrl+Q
    where it names none."""
    if platform is None:
        platform = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
    return list(platform) or [QKeySequence(FALLBACK)]
