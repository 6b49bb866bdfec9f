"""A read-only table view of rows, one row selected at a time, as every page uses it.

The office lists, the people list, the Overview's follow-ups, Budget, Reports and Needs
all show such tables; they differ only in their columns' widths and in the few options
below. Tab leaves the table for the next control (Qt's table default moves from cell to
cell, which traps keyboard users in a list of 10,000 rows); the arrow keys move inside.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView


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
    # A narrowed column's heading ends in "…" (whole in its tooltip), not cut mid-letter.
    view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
    return view
