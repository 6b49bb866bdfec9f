"""A thin table model over immutable rows, with columns described as data.

Activities, events, partners, volunteers, deployments and due follow-ups are all lists of
a few hundred frozen rows with a handful of columns. Rather than one model class per list,
each page describes its columns (header, text, sort key) and hands rows to this model;
filtering and sorting are a proxy's job (STYLE.md rule 7). Headers are msgids translated
when Qt asks, so a language switch only needs :meth:`RowTableModel.retranslate`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from kisi_desktop.core.i18n import _, ui_language
from kisi_desktop.core.text_sort import sort_text

Index = QModelIndex | QPersistentModelIndex


class HasId(Protocol):
    """A row: any frozen object with a record id."""

    @property
    def id(self) -> str: ...


class RowRole(IntEnum):
    """Item data roles beyond Qt's own."""

    ID = Qt.ItemDataRole.UserRole + 1  # the record id of the row
    SORT = Qt.ItemDataRole.UserRole + 2  # a key that sorts correctly (ISO dates, numbers, Ä by A)
    FILTER = Qt.ItemDataRole.UserRole + 3  # casefolded text of every column (column 0 only)
    ROW = Qt.ItemDataRole.UserRole + 4  # the row object itself


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header msgid, the text shown and (optionally) a sort key."""

    header: str  # an N_() msgid, translated when shown
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    numeric: bool = False  # right-aligned
    tooltip: Callable[[Any], str] | None = None
    foreground: Callable[[Any], Any] | None = None  # a QColor/QBrush or None


KEPT_ROWS_MAX = 2000
"""Rows up to which a model keeps its cells' answers (see :meth:`RowTableModel.data`)."""


class RowTableModel(QAbstractTableModel):
    """Rows (objects with ``id``) shown in ``columns``; see the module docstring."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[Any] = []
        self._filter_text: dict[str, str] = {}
        self._cells: dict[tuple[int, int, int], Any] = {}  # see data()
        self._cells_language = ui_language()

    # ------------------------------------------------------------------ Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The answer of :meth:`cell`, kept until the rows or the UI language change.

        Qt asks again and again: a table that fits its columns and rows to their contents
        asks every cell for eight roles in each layout pass, 25,000 calls when the Budget
        page first showed its 37 plan lines (each amount formatted by Babel anew), 0.1 s.
        Kept only in a model of up to :data:`KEPT_ROWS_MAX` rows, and no empty answers:
        a long list is not fitted to its contents (only the rows in view are asked), and
        keeping every answer of 18,000 rows paged through took 68 MB.
        """
        at = index.row()
        if not index.isValid() or at >= len(self._rows):
            return None
        if len(self._rows) > KEPT_ROWS_MAX:
            return self.cell(at, index.column(), role)
        if self._cells_language != ui_language():  # (a view not retranslated yet)
            self._cells.clear()
            self._filter_text.clear()
            self._cells_language = ui_language()
        key = (at, index.column(), role)
        value = self._cells.get(key)
        if value is None:
            value = self.cell(at, index.column(), role)
            if value is not None:
                self._cells[key] = value
        return value

    def cell(self, at: int, column_at: int, role: int) -> Any:
        """What ``role`` says of column ``column_at`` of row ``at`` (both in range); a
        model with more to say than its columns describe overrides this, not data()."""
        row = self._rows[at]
        column = self.columns[column_at]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == RowRole.SORT:
            # Words as a German reader files them: "Übersetzen" with U, not after "Zugang".
            return column.sort(row) if column.sort is not None else sort_text(column.text(row))
        if role == RowRole.ID:
            return row.id
        if role == RowRole.ROW:
            return row
        if role == RowRole.FILTER:
            return self._filter_of(row) if column_at == 0 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            and 0 <= section < len(self.columns)
        ):
            # (as a tooltip too: a narrowed column's heading may be cut)
            return _(self.columns[section].header)
        return None

    # ------------------------------------------------------------------ rows
    def _filter_of(self, row: Any) -> str:
        text = self._filter_text.get(row.id)
        if text is None:
            text = " ".join(column.text(row) for column in self.columns).casefold()
            self._filter_text[row.id] = text
        return text

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (a reload after unlock or after other pages wrote)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._filter_text.clear()
        self._cells.clear()
        self.endResetModel()

    def clear(self) -> None:
        """Drop every row (on lock)."""
        self.set_rows(())

    def rows(self) -> list[Any]:
        """The rows in model order."""
        return list(self._rows)

    def row_index(self, rid: str) -> int:
        """Position of the row with id ``rid``, -1 if absent."""
        for i, row in enumerate(self._rows):
            if row.id == rid:
                return i
        return -1

    def upsert(self, row: Any) -> None:
        """Add one row at the end or replace the row with the same id."""
        self._filter_text.pop(row.id, None)
        self._cells.clear()
        i = self.row_index(row.id)
        if i < 0:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(row)
            self.endInsertRows()
            return
        self._rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

    def insert_rows(self, at: int, rows: Sequence[Any]) -> None:
        """Put ``rows`` in before position ``at`` (rows that arrive while work goes on:
        the view keeps its selection and scroll position, as a reset would not)."""
        if not rows:
            return
        self._cells.clear()
        self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
        self._rows[at:at] = rows
        self.endInsertRows()

    def remove(self, rid: str) -> None:
        """Remove the row with id ``rid`` (no-op if absent)."""
        i = self.row_index(rid)
        if i < 0:
            return
        self.beginRemoveRows(QModelIndex(), i, i)
        del self._rows[i]
        self._filter_text.pop(rid, None)
        self._cells.clear()
        self.endRemoveRows()

    def retranslate(self) -> None:
        """Headers and texts change with the UI language."""
        self._filter_text.clear()
        self._cells.clear()
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )
