"""What a guide would see cut off in a screenshot: buttons and labels narrower than their text,
and headings and texts of tables cut with "…".

One check for every screenshot test, so a page, a dialog and the ministry window are held
to the same standard.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import (
    QAbstractButton,
    QHeaderView,
    QLabel,
    QStyle,
    QStyleOptionHeader,
    QStyleOptionHeaderV2,
    QTableView,
    QWidget,
)

SPARE = 16
"""A table column wider by more than this than its heading and texts has room to give."""


def clipped(root: QWidget) -> list[str]:
    """Visible buttons and one-line labels narrower than their text, wrapped labels
    squeezed below the height their lines need, and what :func:`cut_in_tables` finds, in
    ``root`` and below it."""
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
    return found + cut_in_tables(root)


def cut_in_tables(root: QWidget) -> list[str]:
    """In the visible tables in and below ``root``: every heading cut with "…", and every
    text in a row on screen cut while another column of its table has room to spare (is
    wider than its heading and all its texts need), or cut with no tooltip that holds it
    whole.

    Measured as Qt paints (checked against its pixels): a heading is whole when the style's
    label rectangle (margins and the sort arrow taken off) is as wide as the text, a cell's
    text when the column leaves it the focus-frame margin on each side and the grid line.
    """
    found = []
    views = [w for w in [root, *root.findChildren(QTableView)] if isinstance(w, QTableView)]
    for view in views:
        if not view.isVisible() or view.model() is None:
            continue
        header = view.horizontalHeader()
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        needs = {c: _heading_need(header, c) for c in columns}
        cut = []
        for column in columns:
            heading = str(view.model().headerData(column, Qt.Orientation.Horizontal) or "")
            if header.isVisible() and needs[column] > header.sectionSize(column):
                found.append(f"heading {heading!r} cut")
        shown = _shown_rows(view)
        for index in _cells(view, columns):
            need = _text_need(view, index)
            needs[index.column()] = max(needs[index.column()], need)
            if index.row() in shown and need > view.columnWidth(index.column()):
                cut.append(index)
        spare = {c: view.columnWidth(c) - needs[c] for c in columns}
        for index in cut:
            text = str(index.data())
            roomy = [c for c in columns if c != index.column() and spare[c] > SPARE]
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            heading = view.model().headerData(index.column(), Qt.Orientation.Horizontal)
            if roomy:
                other = view.model().headerData(roomy[0], Qt.Orientation.Horizontal)
                room = spare[roomy[0]]
                found.append(f"{heading}: {text[:40]!r} cut while {other!r} has {room} px to spare")
            elif not tip or text not in str(tip):
                found.append(f"{heading}: {text[:40]!r} cut, and no tooltip shows it whole")
    return found


def _heading_need(header: QHeaderView, column: int) -> int:
    """The narrowest section that shows the heading of ``column`` whole."""
    text = str(header.model().headerData(column, Qt.Orientation.Horizontal) or "")
    if not text:
        return 0
    option = QStyleOptionHeaderV2()
    option.initFrom(header)
    option.state |= QStyle.StateFlag.State_Horizontal
    option.rect = QRect(0, 0, 1000, header.height())
    if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
        option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
    label = header.style().subElementRect(QStyle.SubElement.SE_HeaderLabel, option, header)
    widest = max(QFontMetricsF(header.font()).horizontalAdvance(line) for line in text.split("\n"))
    return option.rect.width() - label.width() + math.ceil(widest)


def _shown_rows(view: QTableView) -> range:
    """The rows on screen."""
    first = max(view.rowAt(0), 0)
    last = view.rowAt(view.viewport().height() - 1)
    return range(first, (view.model().rowCount() - 1 if last < 0 else last) + 1)


def _cells(view: QTableView, columns: list[int], limit: int = 2_000) -> list[QModelIndex]:
    """The cells with text in the first ``limit`` rows: what a column needs is measured on
    them all (a column fitted to its widest text has no room to spare, even if the rows
    on screen are shorter), what is cut only on those shown."""
    model = view.model()
    return [
        model.index(row, column)
        for row in range(min(model.rowCount(), limit))
        if not view.isRowHidden(row)
        for column in columns
        if str(model.index(row, column).data() or "")
    ]


def _text_need(view: QTableView, index: QModelIndex) -> int:
    """The narrowest column that shows the text of ``index`` whole (on one line, or within
    its row's height in a table that wraps)."""
    font = index.data(Qt.ItemDataRole.FontRole)
    metrics = QFontMetricsF(font if isinstance(font, QFont) else view.font())
    text = str(index.data())
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    around = 2 * margin + (1 if view.showGrid() else 0)
    if index.data(Qt.ItemDataRole.DecorationRole) is not None:  # an icon before the text
        around += view.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 2 * margin
    if not view.wordWrap():
        return around + math.ceil(metrics.horizontalAdvance(text))
    # Wrapped: as wide as its longest word, and as many lines as the row holds.
    longest = max(math.ceil(metrics.horizontalAdvance(word)) for word in text.split())
    width = view.columnWidth(index.column()) - around
    flags = int(Qt.TextFlag.TextWordWrap)
    height = metrics.boundingRect(QRectF(0, 0, max(width, 1), 100_000), flags, text).height()
    if height > view.rowHeight(index.row()):
        return view.columnWidth(index.column()) + 1  # (cut at the bottom, not the side)
    return around + longest
