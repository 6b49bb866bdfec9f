"""Rows of a list as tall as each other, whatever script their text is written in.

Qt takes Arabic and Ethiopic letters from Noto Sans Arabic and Noto Sans Ethiopic
(``ui/fonts.py``), whose lines are taller than Noto Sans's: in the search results every row
naming someone in Arabic script stood 9 pixels taller than its neighbours. With this
delegate every row of one line is as tall as a line holding every bundled script; a text
that wraps still gets all its lines.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem

TALLEST_LINE = "ÅÇgjy محمد ښځه ሰላም"
"""A line with the tallest letters of each bundled script (accents above, descenders)."""


class EvenRows(QStyledItemDelegate):
    """See the module docstring."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._line_rows: dict[str, int] = {}  # a font's key -> a one-line row's height

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Qt's size, at least as tall as a row with one line of any script."""
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), self._line_row(option, index)))

    def _line_row(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> int:
        """The height Qt gives a row showing :data:`TALLEST_LINE` in the row's font."""
        sample = QStyleOptionViewItem(option)
        self.initStyleOption(sample, index)
        key = sample.font.key()
        if key not in self._line_rows:
            # Here, not with the module: the window imports it for the search results, and
            # QStyle's type (its many enums) cost the unlock screen 5 ms.
            from PySide6.QtWidgets import QStyle

            sample.text = TALLEST_LINE
            widget = sample.widget
            style = widget.style() if widget is not None else QApplication.style()
            size = style.sizeFromContents(
                QStyle.ContentsType.CT_ItemViewItem, sample, QSize(), widget
            )
            self._line_rows[key] = size.height()
        return self._line_rows[key]
