"""A scroll area that only scrolls: no frame, and no stop of its own on the Tab key.

A QScrollArea takes keyboard focus by default. In a form or a page that is a Tab stop with
no name and nothing on screen to show it (the widget beside it still looks focused), where
Enter then reaches the dialog's default button. What is inside keeps its own stops, and
Qt scrolls a focused child into view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def plain_scroll_area(inner: QWidget | None = None, name: str = "") -> QScrollArea:
    """A frameless, resizable scroll area around ``inner`` that Tab passes over."""
    area = QScrollArea()
    if name:
        area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if inner is not None:
        area.setWidget(inner)
    return area
