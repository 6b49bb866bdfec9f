"""Filtering the people list: typed words, residence status, "AMIF-eligible only".

Each key press re-filters up to 10,000 rows on the UI thread, so ``filterAcceptsRow`` does
no work of its own: it reads one precomputed answer from a list built in a single Python
pass over the model's rows (casefolded haystacks, status codes and eligibility already in
each :class:`PersonRow`). Sorting is forwarded to the source model, which sorts its row list
in one ``list.sort`` instead of the proxy calling ``data()`` per comparison.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from kisi_desktop.core.spellings import typed_words

from kisi_desktop.ui.pages.people.person_table_model import (
    PersonRole,
    PersonRow,
    PersonTableModel,
)

Index = QModelIndex | QPersistentModelIndex


class PersonFilterModel(QSortFilterProxyModel):
    """The visible subset of a :class:`PersonTableModel`; see the module docstring."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[tuple[str, ...], ...] = ()
        self._status: str | None = None
        self._eligible_only = False
        self._due_only = False
        self._accepted: list[bool] | None = None  # answers precomputed for one re-filter
        self.setSortRole(PersonRole.SORT)

    def _source(self) -> PersonTableModel:
        model = self.sourceModel()
        if not isinstance(model, PersonTableModel):
            raise TypeError("PersonFilterModel needs a PersonTableModel as its source")
        return model

    # ------------------------------------------------------------------ criteria
    @property
    def active(self) -> bool:
        """Whether any criterion hides rows."""
        return bool(self._words or self._status or self._eligible_only or self._due_only)

    def set_criteria(
        self,
        text: str = "",
        *,
        status: str | None = None,
        eligible_only: bool = False,
        due_only: bool = False,
    ) -> None:
        """Show only rows whose name/phone/nationality contain every word of ``text``
        (and of that status, AMIF-eligible, due for deletion, where asked)."""
        # "ozturk" finds "Öztürk", "Mueller" "Müller", "علی" "علي", as Ctrl+F does.
        words = typed_words(text)
        wanted = (words, status, eligible_only, due_only)
        if wanted == (self._words, self._status, self._eligible_only, self._due_only):
            return
        self.beginFilterChange()
        self._words, self._status, self._eligible_only, self._due_only = wanted
        if self.active:
            self._accepted = [self._matches(row) for row in self._source().rows()]
        try:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        finally:
            self._accepted = None

    def _matches(self, row: PersonRow) -> bool:
        return (
            all(any(spelt in row.haystack for spelt in word) for word in self._words)
            and (self._status is None or row.status == self._status)
            and (not self._eligible_only or row.eligible)
            and (not self._due_only or row.deletion_due)
        )

    @contextmanager
    def answers_for(self, rows: Sequence[PersonRow]) -> Iterator[None]:
        """While the source takes ``rows`` (a reset): with a filter typed, the proxy asks
        for each of them, one Python call per row from C++ (30-45 ms for 10,000 people,
        when the rows read on a worker came while the guide typed); answered from one
        pass here instead."""
        if self.active:
            self._accepted = [self._matches(row) for row in rows]
        try:
            yield
        finally:
            self._accepted = None

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        accepted = self._accepted
        if accepted is not None and source_row < len(accepted):
            return accepted[source_row]
        if not self.active:
            return True
        return self._matches(self._source().person_row(source_row))

    # ------------------------------------------------------------------ sorting
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` in the source model (one Python sort, see module docstring)."""
        self._source().sort(column, order)
