"""How wide the Budget table's Status column is, so that the category names stay readable.

The figures take what they need (an amount is never cut, a heading neither) and the
category's name takes the rest, wrapping onto a second line. The Status column used to
take the width of its longest entry too ("ohne Planung ausgegeben" in bold): with a
mistyped 1.234.567,89 € the money columns widened, and at 1366x768 the category names
were squeezed onto three and four lines while the Status column kept its room. Now the
Status column gives way first, wrapping its entry onto a second line of a row that the
category name makes two lines high anyway (:func:`status_width` says in which order).

The rule (:func:`status_width`) is plain arithmetic in pixels; :class:`PlanColumns`
measures the table and applies it whenever the rows, the language or the width change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

from kisi_desktop.ui.tables.row_view import heading_width

CATEGORY = 0
SLACK = 2
"""Pixels beyond the measured text, against rounding in Qt's own layout of the cell."""


def status_width(room: int, category: Needs, status: Needs) -> int:
    """The Status column's width when it and the category share ``room`` pixels.

    In this order, as far as the room goes: the category names on one line and the
    statuses on one line; the names on one line and the statuses on two; the names on two
    lines and the statuses on two; the names on two lines and the statuses down to their
    longest word. Whatever is left goes to the names.
    """
    least = max(status.word, room - category.two)
    return min(status.one, max(room - category.one, min(status.two, least)))


@dataclass(frozen=True, slots=True)
class Needs:
    """What a column's texts need, in pixels, its cell margins included: the widest on one
    line, on at most two lines, and the longest word."""

    one: int
    two: int
    word: int


class PlanColumns(QObject):
    """Keeps the columns of the Budget table fitted; see the module docstring. The
    category column (the first) stretches over what the others leave."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        model = view.model()
        self.status = model.columnCount() - 1
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CATEGORY, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.status + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.fit)
        for signal in (model.modelReset, model.dataChanged, model.headerDataChanged):
            signal.connect(self.timer.start)
        # Kept here: while the view is destroyed its viewport still sends events.
        self.viewport = view.viewport()
        self.viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The table got wider or narrower: fitted again once the layout has settled."""
        if watched is self.viewport and event.type() == QEvent.Type.Resize:
            self.timer.start()
        return super().eventFilter(watched, event)

    def fit(self) -> None:
        """Measure and apply :func:`status_width`."""
        view, header = self.view, self.view.horizontalHeader()
        room = view.viewport().width()
        if room <= 0:
            return
        for column in range(1, self.status):
            # Heading and figures whole; Qt's own fit to the contents kept room for a sort
            # arrow and a bold heading the table never shows, 20 pixels a column.
            width = max(heading_width(header, column) + SLACK, view.sizeHintForColumn(column))
            header.resizeSection(column, width)
            room -= width
        heading = heading_width(header, self.status) + SLACK
        status = self._needs(self.status)
        status = Needs(*(max(heading, n) for n in (status.one, status.two, status.word)))
        header.resizeSection(self.status, status_width(room, self._needs(CATEGORY), status))

    def _needs(self, column: int) -> Needs:
        """What the texts of ``column`` need (:class:`Needs`)."""
        model = self.view.model()
        found = [self._text_needs(model.index(row, column)) for row in range(model.rowCount())]
        return Needs(*(max((n[i] for n in found), default=0) for i in range(3)))

    def _text_needs(self, index: QModelIndex) -> tuple[int, int, int]:
        """One line, two lines, the longest word, for the text of ``index`` in its font."""
        text = str(index.data() or "")
        if not text:
            return 0, 0, 0
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetricsF(font if isinstance(font, QFont) else self.view.font())
        one = math.ceil(metrics.horizontalAdvance(text))
        word = max(math.ceil(metrics.horizontalAdvance(part)) for part in text.split())
        flags = int(Qt.TextFlag.TextWordWrap)
        low, high = word, one  # the narrowest width that holds it on two lines
        while low < high:
            middle = (low + high) // 2
            box = metrics.boundingRect(QRectF(0, 0, middle, 100_000), flags, text)
            if box.height() <= 2 * metrics.lineSpacing() + 1:
                high = middle
            else:
                low = middle + 1
        style = self.view.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.view) + 1
        around = 2 * margin + 1 + SLACK  # the cell's margins, the grid line
        return one + around, low + around, word + around
