"""Empty the clipboard at lock and at exit when what it holds came from this app.

A name or phone number copied from a list or a form stays on the system clipboard after
the vault locks, where any program can read it, and a clipboard manager keeps it after
the app ends (SECURITY.md 6.1.4: "clear ... app-owned clipboard content"). Only what this
app put there is cleared: the guide's own copy from a mail stays.

Platforms that share a clipboard with other programs say whose the content is
(``ownsClipboard``); the offscreen and minimal ones share none, so all they hold is ours.
"""

from __future__ import annotations

from PySide6.QtGui import QClipboard, QGuiApplication

PRIVATE_PLATFORMS = frozenset({"offscreen", "minimal"})


def clear_own_clipboard() -> bool:
    """Clear the clipboard (and the X11 selection) where this app owns it; True if it did."""
    clipboard = QGuiApplication.clipboard()
    private = QGuiApplication.platformName() in PRIVATE_PLATFORMS
    cleared = False
    modes = [(QClipboard.Mode.Clipboard, clipboard.ownsClipboard)]
    if clipboard.supportsSelection():
        modes.append((QClipboard.Mode.Selection, clipboard.ownsSelection))
    for mode, owns in modes:
        if (private and clipboard.text(mode)) or owns():
            clipboard.clear(mode)
            cleared = True
    return cleared
