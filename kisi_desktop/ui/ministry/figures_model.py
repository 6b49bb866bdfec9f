"""A table model over one :class:`ReportTable` of the ministry's figures, for one scope.

The aggregate gives each table's rows for all municipalities together (AGS ``*``) and for
each municipality; the Figures tab shows one scope at a time: the total, every row, or one
municipality. Cells read as in the exports (:func:`cell_text`: Babel formats, ``<5`` for
suppressed counts), in the language the figures were made in; of a column pair
``label_de``/``label_en`` only that language's is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from kisi_desktop.ministry.aggregate import ALL
from kisi_desktop.reports.pdf_tables import cell_text, printed_columns
from kisi_desktop.reports.tables import Column, Kind, ReportTable

Index = QModelIndex | QPersistentModelIndex
EVERY = "every"
"""The scope that shows every row: the total and each municipality."""
NUMBERS = frozenset({Kind.COUNT, Kind.MONEY, Kind.PERCENT, Kind.HOURS})


def scoped_rows(table: ReportTable, scope: str) -> list[Any]:
    """The rows of ``table`` for ``scope``: :data:`ALL`, :data:`EVERY` or an AGS.

    A table without a total (coverage, budget warnings) shows every row for :data:`ALL`.
    """
    if scope == EVERY:
        return list(table.rows)
    if scope == ALL and not any(row.get("ags") == ALL for row in table.rows):
        return list(table.rows)
    return [row for row in table.rows if row.get("ags") == scope]


class ReportTableModel(QAbstractTableModel):
    """See the module docstring."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table: ReportTable | None = None
        self.language = "de"
        self.columns: list[Column] = []
        self._rows: list[Any] = []

    def set_table(self, table: ReportTable | None, scope: str, language: str) -> None:
        """Show ``table``'s rows for ``scope`` (None: nothing)."""
        self.beginResetModel()
        self.table = table
        self.language = language
        self.columns = printed_columns(table, language) if table is not None else []
        self._rows = scoped_rows(table, scope) if table is not None else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        column = self.columns[index.column()]
        value = self._rows[index.row()].get(column.key)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(value, column.kind, self.language)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].heading(self.language)
        return None

    def value(self, row: int, key: str) -> Any:
        """The raw value of column ``key`` in ``row`` (for tests and callers that add up)."""
        return self._rows[row].get(key)

    def row_where(self, **match: Any) -> int:
        """The first row whose values equal ``match``, -1 if none."""
        for number, row in enumerate(self._rows):
            if all(row.get(k) == v for k, v in match.items()):
                return number
        return -1
