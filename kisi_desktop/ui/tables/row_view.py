"""A read-only table view of rows, one row selected at a time, as the report pages use it.

Budget, Reports and Needs each show several such tables (figures, warnings, claims, people
and records behind an indicator, the needs ranking); they differ only in their columns'
widths and in the few options below.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
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
    view.verticalHeader().hide()
    if packed:
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    return view
