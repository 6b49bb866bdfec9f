"""A read-only table view of rows, one row selected at a time, as every page uses it.

The office lists, the people list, the Overview's follow-ups, Budget, Reports and Needs
all show such tables; they differ only in their columns' widths and in the few options
below. Tab leaves the table for the next control (Qt's table default moves from cell to
cell, which traps keyboard users in a list of 10,000 rows); the arrow keys move inside.
Tabbed into with no row chosen, a table chooses the row it outlines (:class:`ChooseOnTab`).
"""

from __future__ import annotations

import math
from typing import cast

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QRect, Qt
from PySide6.QtGui import QFocusEvent, QFontMetricsF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyleOptionHeader,
    QStyleOptionHeaderV2,
    QTableView,
)

from kisi_desktop.ui.tables.column_fit import ColumnNeed


class ChooseOnTab(QObject):
    """Tabbed into a table with no row chosen: choose the current row (the first, if none).

    Qt only outlined the first row: Enter and the page's buttons for "the chosen row"
    (Edit, Plan…) found none, and Down chose the second row (keyboard QA pass; the office
    lists had it first, then every table: Budget, Needs, Reports, the Overview).
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QTableView):
            reason = cast(QFocusEvent, event).reason()
            tabbed = reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
            model = watched.model()
            chosen = watched.selectionModel().hasSelection()
            if tabbed and not chosen and model is not None and model.rowCount() > 0:
                current = watched.currentIndex()
                watched.selectRow(current.row() if current.isValid() else 0)
        return False


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
    view.installEventFilter(ChooseOnTab(view))
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


FIT_PADDING = 8
"""A little air after a column's longest text and around its heading, when fitted."""


def column_need(view: QTableView, column: int) -> ColumnNeed:
    """What ``column`` of ``view`` needs (:func:`~kisi_desktop.ui.tables.column_fit.fit_columns`):
    its heading and the widest of its texts measured, and never less than the header's
    narrowest section: Qt widens a narrower one to that (an empty "Bis" column in German,
    29 pixels fitted, came out 38, and the Team list was 9 pixels wider than its table)."""
    header = view.horizontalHeader()
    return ColumnNeed(
        heading=max(heading_width(header, column) + FIT_PADDING, header.minimumSectionSize()),
        text=view.sizeHintForColumn(column) + FIT_PADDING,
    )


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
