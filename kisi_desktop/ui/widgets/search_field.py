"""The window's search field, which hands some keys to the window before it edits.

A key handler of its own, not an event filter on a plain line edit: PySide turns the plain
event a filter gets into its Python type by first creating the types of every kind of
event, 3-7 ms before the window's first paint.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget


class SearchField(QLineEdit):
    """A line edit that asks ``on_key(key)`` first at every key press: True means the key
    was used (Enter opens a result, Down goes to the results...), and the field leaves
    it alone."""

    def __init__(self, on_key: Callable[[int], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_key = on_key

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The window's keys first, then the field's own editing."""
        if self._on_key(event.key()):
            event.accept()
            return
        super().keyPressEvent(event)
