"""How large a main window opens: 1366x768, or what the screen has room for.

The guides' window and the ministry's both open at the size of the laptops they are laid out
for; a smaller free area (a 1366x768 laptop with a taskbar, or a full-HD screen scaled to
150 %, which leaves 1280x720) gets as much as there is, so no button row lies below the
screen's edge.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

# What the window's frame and title bar add to its size on common desktops: the window is
# sized so that frame included it fits the screen's free area (beside panels, taskbar).
FRAME_ALLOWANCE = QSize(16, 40)
PREFERRED_SIZE = QSize(1366, 768)


def window_size(free: QSize | None) -> QSize:
    """1366x768 where it fits the screen's ``free`` area; on a smaller one as much as
    there is."""
    if free is None:
        return PREFERRED_SIZE
    return PREFERRED_SIZE.boundedTo(free - FRAME_ALLOWANCE)


def fit_to_screen(window: QWidget) -> None:
    """Resize ``window`` to :func:`window_size` of the screen it opens on."""
    screen = window.screen()
    window.resize(window_size(screen.availableGeometry().size() if screen else None))
