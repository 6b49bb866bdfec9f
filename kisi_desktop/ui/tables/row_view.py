"""A read-only table view of rows, one row selected at a time, as every page uses it.

The office lists, the people list, the Overview's follow-ups, Budget, Reports and Needs
all show such tables; they differ only in their columns' widths and in the few options
below. Tab leaves the table for the next control (Qt's table default moves from cell to
cell, which traps keyboard users in a list of 10,000 rows); the arrow keys move inside.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractItemModel, QRect, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyleOptionHeader,
    QStyleOptionHeaderV2,
    QTableView,
)


def row_table(
    name: str, model: QAbstractItemModel, *, alternating: bool = False, packed: bool = False
) -> QTableView:
    """A view of ``model`` named ``name``: whole rows, single selection, no editing.

    Args:
        alternating: alternate the rows' background colours.
        packed: one line of text per row, no more height than that and a little air.
    """
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(alternating)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    if packed:
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    # No bold heading over a "selected" column: with whole rows selected, a one-row list
    # would have every heading bold, and wider than the width fitted to it.
    view.horizontalHeader().setHighlightSections(False)
    # A narrowed column's heading ends in "…" (whole in its tooltip), not cut mid-letter.
    view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
    return view


def heading_width(header: QHeaderView, column: int) -> int:
    """The narrowest section of ``header`` that shows the heading of ``column`` whole: its
    text, and what the style puts around it (margins; the arrow beside the sorted one).

    The header's own size hint would do, but it leaves room for a bold heading and an
    arrow in every column, 20 to 30 pixels each that the texts beside them then lack.
    """
    option = QStyleOptionHeaderV2()
    option.initFrom(header)
    option.state |= QStyle.StateFlag.State_Horizontal
    option.rect = QRect(0, 0, 1000, max(header.height(), header.sizeHint().height()))
    if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
        option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
    label = header.style().subElementRect(QStyle.SubElement.SE_HeaderLabel, option, header)
    text = str(header.model().headerData(column, Qt.Orientation.Horizontal) or "")
    # Whole when the label is at least as wide as the text, fractions rounded up.
    advance = QFontMetricsF(header.font()).horizontalAdvance(text)
    return option.rect.width() - label.width() + math.ceil(advance)
