"""A list opens sorted as the guide left it, also after a restart.

A guide who works through the people by their next follow-up, or the activities by type,
sorts the list that way once; the choice is kept in the settings (no personal data: the
list's name, a column heading's untranslated text and the order; core/settings.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from kisi_desktop.core.settings import load_settings, remember_sort

Sorting = tuple[int, Qt.SortOrder]


def keep_sort(view: QTableView, list_name: str, columns: Sequence[str], default: Sorting) -> None:
    """Sort ``view`` as the list ``list_name`` was last sorted (else by ``default``) and
    remember each sort the guide chooses from now on. ``columns``: a stable name for each
    column, in the view's order."""
    column, order = default
    saved = load_settings().sort_of(list_name)
    if saved is not None and saved[0] in columns:
        column = list(columns).index(saved[0])
        order = Qt.SortOrder.DescendingOrder if saved[1] else Qt.SortOrder.AscendingOrder
    view.sortByColumn(column, order)

    def remember(section: int, chosen: Qt.SortOrder) -> None:
        if 0 <= section < len(columns):
            descending = chosen == Qt.SortOrder.DescendingOrder
            remember_sort(list_name, columns[section], descending=descending)

    # (connected after the sort above: restoring is not a choice to remember)
    view.horizontalHeader().sortIndicatorChanged.connect(remember)
