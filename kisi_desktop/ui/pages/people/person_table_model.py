"""The people list as a table model: immutable rows made from one working-set query.

A vault may hold 10,000 people; building a ``Person`` object per row (JSON parse plus
validation) would make the list slow to open. :func:`load_person_rows` reads the raw
fields with ``Workspace.rows`` (one SQL query) and derives everything a row shows or is
sorted and filtered by (labels, sort keys, AMIF eligibility, filter text) once, so the
view and the filter proxy only look values up.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Person, ReferenceData
from kisi_desktop.core.i18n import N_, _, format_date, ui_language
from kisi_desktop.core.retention import deletion_due
from kisi_desktop.core.spellings import match_text
from kisi_desktop.core.text_sort import sort_text
from kisi_desktop.core.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex

FIELDS = (
    "name",
    "phone",
    "birth_date",
    "birth_year",
    "birth_estimated",
    "gender",
    "nationalities",
    "stateless",
    "residence_status",
    "arrival_date",
)


class Column(IntEnum):
    """Columns of the people table, in display order."""

    NAME = 0
    BORN = 1
    GENDER = 2
    NATIONALITY = 3
    STATUS = 4
    ARRIVED = 5


HEADERS = {
    Column.NAME: N_("Name"),
    Column.BORN: N_("Born"),
    Column.GENDER: N_("Gender"),
    Column.NATIONALITY: N_("Nationality"),
    Column.STATUS: N_("Residence status"),
    Column.ARRIVED: N_("Arrived"),
}


class PersonRole(IntEnum):
    """Item data roles beyond Qt's own."""

    ID = Qt.ItemDataRole.UserRole + 1  # the person's record id
    SORT = Qt.ItemDataRole.UserRole + 2  # a key that sorts correctly (dates, casefolded names)
    FILTER = Qt.ItemDataRole.UserRole + 3  # casefolded name, phone and nationalities
    STATUS = Qt.ItemDataRole.UserRole + 4  # the residence-status code
    ELIGIBLE = Qt.ItemDataRole.UserRole + 5  # AMIF eligibility (bool)


@dataclass(frozen=True, slots=True)
class PersonRow:
    """What one line of the people list shows and is sorted and filtered by."""

    id: str
    name: str
    born: str  # ISO date or year; "" if unknown
    born_estimated: bool
    gender: str
    nationality: str  # country names in the UI language, or "stateless"
    status: str  # code
    status_label: str
    arrived: str  # ISO date or ""
    eligible: bool
    haystack: str  # the text the typed filter searches, as core.spellings.match_text made it
    name_key: str  # the name as it sorts: casefolded, accents dropped ("Émile" by "Emil")
    deletion_due: bool = False  # the notes' deletion date has come (core/retention.py)

    def sort_key(self, column: int) -> str:
        """A string that orders this row correctly in ``column`` (ISO dates sort as text)."""
        if column == Column.NAME:
            return self.name_key
        if column == Column.BORN:
            return self.born or "~"  # unknown births sort last
        if column == Column.GENDER:
            return sort_text(self.gender)
        if column == Column.NATIONALITY:
            return sort_text(self.nationality)
        if column == Column.STATUS:
            return sort_text(self.status_label)
        return self.arrived or "~"


class RowMaker:
    """Turns raw ``Workspace.rows`` tuples into :class:`PersonRow` with precomputed labels."""

    def __init__(self, ref: ReferenceData, language: str) -> None:
        countries = ref.enum("countries")
        self._country = {code: entry.label(language) for code, entry in countries.items()}
        self._eu = {code: bool(entry.extra["eu_eea_ch"]) for code, entry in countries.items()}
        statuses = ref.enum("residence_statuses")
        self._status = {code: entry.label(language) for code, entry in statuses.items()}
        self._status_ok = {
            code: bool(entry.extra["amif_eligible"]) for code, entry in statuses.items()
        }
        self._gender = {code: e.label(language) for code, e in ref.enum("genders").items()}
        self._stateless_tcn = bool(ref.stateless.extra["third_country_national"])
        self._stateless = _("stateless")

    def make(self, raw: Sequence[Any], due: AbstractSet[str] = frozenset()) -> PersonRow:
        """One row from ``(id, *FIELDS)``; ``due``: the people due for deletion."""
        pid, name, phone, bdate, byear, estimated, gender, nats, stateless, status, arrived = raw
        codes: list[str] = json.loads(nats) if nats and nats != "[]" else []
        if stateless:
            nationality = self._stateless
            third_country = self._stateless_tcn
        else:
            nationality = ", ".join(self._country.get(c, c) for c in codes)
            third_country = bool(codes) and not any(self._eu.get(c, False) for c in codes)
        eligible = third_country and self._status_ok.get(status, False)
        born = bdate or (f"{int(byear):04d}" if byear is not None else "")
        name = name or ""
        haystack = match_text(" ".join((name, phone or "", nationality, *codes)))
        return PersonRow(
            id=pid,
            name=name,
            born=born,
            born_estimated=bool(estimated),
            gender=self._gender.get(gender, gender or ""),
            nationality=nationality,
            status=status or "unknown",
            status_label=self._status.get(status, status or ""),
            arrived=arrived or "",
            eligible=eligible,
            haystack=haystack,
            name_key=sort_text(name),
            deletion_due=pid in due,
        )


def load_person_rows(
    workspace: Workspace, owner: str | None = None, *, maker: RowMaker | None = None
) -> list[PersonRow]:
    """Every person (or only ``owner``) as rows: one SQL query, no domain objects.

    A read on a worker passes a ``maker`` made on the UI thread, which holds the labels in
    the UI language: the worker then reads no translation while the guide may switch it.
    """
    maker = maker or RowMaker(workspace.ref, ui_language())
    due = deletion_due(workspace, today(workspace.clock), owner=owner).keys()
    return [maker.make(raw, due) for raw in workspace.rows(Person, FIELDS, owner=owner)]


def sort_rows(rows: list[PersonRow], column: int, order: Qt.SortOrder) -> None:
    """Sort ``rows`` in place as the list shows them sorted by ``column``: ties by name,
    then id, so that the order never depends on the order the rows were read in."""
    rows.sort(
        key=lambda row: _order_key(row, column),
        reverse=order == Qt.SortOrder.DescendingOrder,
    )


def _order_key(row: PersonRow, column: int) -> tuple[str, str, str]:
    return row.sort_key(column), row.name_key, row.id


@lru_cache(maxsize=4096)
def _day_text(iso: str, language: str) -> str:
    return format_date(date.fromisoformat(iso), language)


def show_day(iso: str) -> str:
    """An ISO date (or a bare year) as the UI language writes it."""
    if not iso:
        return ""
    if len(iso) == 4:
        return iso
    return _day_text(iso, ui_language())


class PersonTableModel(QAbstractTableModel):
    """Thin adapter from :class:`PersonRow` tuples to Qt roles; see the module docstring."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonRow] = []
        self._index: dict[str, int] = {}
        self._order: tuple[int, Qt.SortOrder] = (Column.NAME, Qt.SortOrder.AscendingOrder)

    # ------------------------------------------------------------------ Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return _(HEADERS[Column(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == PersonRole.ID:
            return row.id
        if role == PersonRole.SORT:
            return row.sort_key(column)
        if role == PersonRole.FILTER:
            return row.haystack
        if role == PersonRole.STATUS:
            return row.status
        if role == PersonRole.ELIGIBLE:
            return row.eligible
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.BORN and row.born_estimated:
            return _("Estimated")
        return None

    @staticmethod
    def _display(row: PersonRow, column: int) -> str:
        if column == Column.NAME:
            return row.name
        if column == Column.BORN:
            text = show_day(row.born)
            return f"~{text}" if text and row.born_estimated else text
        if column == Column.GENDER:
            return row.gender
        if column == Column.NATIONALITY:
            return row.nationality
        if column == Column.STATUS:
            return row.status_label
        return show_day(row.arrived)

    # ------------------------------------------------------------------ changes
    def set_rows(
        self, rows: Iterable[PersonRow], sorted_by: tuple[int, Qt.SortOrder] | None = None
    ) -> None:
        """Replace every row (after unlock, or a language switch); ``sorted_by``: the
        column and order they come sorted in (see :meth:`sort`)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._index = {row.id: i for i, row in enumerate(self._rows)}
        if sorted_by is not None:
            self._order = sorted_by
        self.endResetModel()

    def clear(self) -> None:
        """Drop every row (on lock)."""
        self.set_rows(())

    def upsert(self, row: PersonRow) -> None:
        """Add a new person, or replace the row of an existing one, where the list's order
        puts them (a new name is not left at the bottom of a sorted list)."""
        at = self._index.get(row.id)
        if at is None:
            at = self._place_of(row, self._rows)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, row)
            self._index = {row.id: i for i, row in enumerate(self._rows)}
            self.endInsertRows()
            return
        self._rows[at] = row
        self.dataChanged.emit(self.index(at, 0), self.index(at, len(Column) - 1))
        place = self._place_of(row, self._rows[:at] + self._rows[at + 1 :])
        if place != at:  # (Qt counts the destination before the row leaves its place)
            self.beginMoveRows(QModelIndex(), at, at, QModelIndex(), place + (place > at))
            del self._rows[at]
            self._rows.insert(place, row)
            self._index = {row.id: i for i, row in enumerate(self._rows)}
            self.endMoveRows()

    def _place_of(self, row: PersonRow, rows: Sequence[PersonRow]) -> int:
        """Where ``row`` goes among ``rows`` (sorted as :meth:`sort` last sorted them)."""
        column, order = self._order
        key = _order_key(row, column)
        descending = order == Qt.SortOrder.DescendingOrder
        low, high = 0, len(rows)
        while low < high:
            middle = (low + high) // 2
            other = _order_key(rows[middle], column)
            if (other > key) if descending else (other < key):
                low = middle + 1
            else:
                high = middle
        return low

    def remove(self, person_id: str) -> None:
        """Take one person out (after erasure)."""
        at = self._index.get(person_id)
        if at is None:
            return
        self.beginRemoveRows(QModelIndex(), at, at)
        del self._rows[at]
        self._index = {row.id: i for i, row in enumerate(self._rows)}
        self.endRemoveRows()

    def row_of(self, person_id: str) -> int | None:
        """The row showing ``person_id``, if any."""
        return self._index.get(person_id)

    def person_row(self, row: int) -> PersonRow:
        """The row data at ``row``."""
        return self._rows[row]

    def rows(self) -> list[PersonRow]:
        """Every row in model order (read-only use: the filter proxy scans it)."""
        return self._rows

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by the :attr:`PersonRole.SORT` key of ``column`` (one list sort)."""
        if not 0 <= column < len(Column):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._rows[i.row()].id for i in old]
        sort_rows(self._rows, column, order)
        self._order = (column, order)
        self._index = {row.id: i for i, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            old,
            [self.index(self._index[pid], i.column()) for pid, i in zip(old_ids, old, strict=True)],
        )
        self.layoutChanged.emit()
