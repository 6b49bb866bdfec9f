"""What the app puts on the clipboard: kept out of clipboard histories, and cleared 30 s
after the copy, at lock and at exit.

A name or phone number copied from a list or a form would otherwise stay on the system
clipboard after the vault locks, where any program can read it; a clipboard manager keeps
it after the app ends, and Windows' history (Win+V) or KDE's Klipper keep every copy
(SECURITY.md, "Plaintext leakage channels": copy only on explicit action, auto-clear after
30 s, the password-manager hint, clear on lock). Only what this app put there is touched:
the guide's own copy from a mail stays.

Qt's widgets copy in C++, out of the app's reach, so the guard watches the clipboard: when
the app has just put text there, it puts the same text back with the hints that ask
histories not to keep it (KDE's ``x-kde-passwordManagerHint``, Windows'
``ExcludeClipboardContentFromMonitorProcessing`` and history/cloud flags). A history that
reads faster than that may still keep the first copy; full-disk encryption and a locked
screen remain the guard for what Python cannot erase.

Platforms that share a clipboard with other programs say whose the content is
(``ownsClipboard``); the offscreen and minimal ones share none, so all they hold is ours.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

PRIVATE_PLATFORMS = frozenset({"offscreen", "minimal"})
CLEAR_AFTER_MS = 30_000
MARK = "application/x-kisi-copy"
_NO = (0).to_bytes(4, "little")  # a Windows DWORD 0
HINTS = {
    "x-kde-passwordManagerHint": b"secret",
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"': b"1",
    'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': _NO,
    'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"': _NO,
}


def _modes(clipboard: QClipboard) -> list[QClipboard.Mode]:
    modes = [QClipboard.Mode.Clipboard]
    if clipboard.supportsSelection():
        modes.append(QClipboard.Mode.Selection)
    return modes


def _ours(clipboard: QClipboard, mode: QClipboard.Mode) -> bool:
    """Whether the app put what ``mode`` holds (on a private platform: whatever is there)."""
    if QGuiApplication.platformName() in PRIVATE_PLATFORMS:
        return bool(clipboard.text(mode))
    if mode is QClipboard.Mode.Selection:
        return clipboard.ownsSelection()
    return clipboard.ownsClipboard()


def clear_own_clipboard() -> bool:
    """Clear the clipboard (and the X11 selection) where this app owns it; True if it did."""
    clipboard = QGuiApplication.clipboard()
    cleared = False
    for mode in _modes(clipboard):
        if _ours(clipboard, mode):
            clipboard.clear(mode)
            cleared = True
    return cleared


class ClipboardGuard(QObject):
    """Marks the app's copies for clipboard histories and clears them after a while."""

    def __init__(self, parent: QObject | None = None, *, clear_after_ms: int = CLEAR_AFTER_MS):
        super().__init__(parent)
        self.clipboard = QGuiApplication.clipboard()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(clear_after_ms)
        self.timer.timeout.connect(clear_own_clipboard)
        self.clipboard.dataChanged.connect(self._changed)
        # X11's selection (text marked with the mouse) is readable by every program too:
        # it goes with the clipboard 30 s after the app last marked something.
        self.clipboard.selectionChanged.connect(self._selection_changed)

    def _selection_changed(self) -> None:
        if _ours(self.clipboard, QClipboard.Mode.Selection):
            self.timer.start()

    def _changed(self) -> None:
        clipboard = self.clipboard
        if not _ours(clipboard, QClipboard.Mode.Clipboard):
            self.timer.stop()  # another program's copy now: not ours to clear
            return
        held = clipboard.mimeData()
        if held is None or held.hasFormat(MARK):
            return  # our own marked copy (this very call put it there), or nothing
        text = clipboard.text()
        if not text:
            return
        marked = QMimeData()
        marked.setText(text)
        marked.setData(MARK, b"1")
        for kind, value in HINTS.items():
            marked.setData(kind, value)
        clipboard.setMimeData(marked)  # dataChanged again: marked, so left alone
        self.timer.start()
