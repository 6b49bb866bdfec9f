"""What a guide would see cut off in a screenshot: buttons and labels narrower than their text.

One check for every screenshot test, so a page, a dialog and the ministry window are held
to the same standard.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def clipped(root: QWidget) -> list[str]:
    """Visible buttons and one-line labels narrower than their text, and wrapped labels
    squeezed below the height their lines need, in ``root`` and below it."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            if widget.sizeHint().width() > widget.width() + 1:
                found.append(f"button {widget.text()!r}")
        elif isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            if "\n" not in widget.text() and widget.sizeHint().width() > widget.width() + 1:
                found.append(f"label {widget.text()!r}")
        elif isinstance(widget, QLabel) and widget.text():
            if widget.heightForWidth(widget.width()) > widget.height() + 1:
                found.append(f"wrapped label {widget.text()[:40]!r}")
    return found
