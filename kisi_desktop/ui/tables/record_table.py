"""A record list as the office pages show it: filter field, sortable table, New/Edit/Delete.

The widget knows nothing about records: it shows a :class:`RowTableModel` and asks its
page, through signals, to create, edit or delete the row the guide picked. Keyboard:
Ctrl+N new, Enter (or a double click) edits, Del deletes, Ctrl+Shift+F jumps to the filter.

Signals:
    new_requested(): the guide asked for a new record.
    edit_requested(str): ... to edit the record with this id.
    delete_requested(str): ... to delete the record with this id.
    current_changed(str): the selected record changed ("" when nothing is selected).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _

from kisi_desktop.ui.shortcuts import FILTER_KEY, NEW_KEY, key_text
from kisi_desktop.ui.tables.column_fit import fit_columns
from kisi_desktop.ui.tables.kept_sort import Sorting, keep_sort
from kisi_desktop.ui.tables.row_model import Column, RowRole, RowTableModel
from kisi_desktop.ui.tables.row_view import column_need, row_table

__all__ = ["FILTER_KEY", "NEW_KEY", "RecordTable", "with_key"]


def with_key(text: str, key: QKeySequence) -> str:
    """A button text that shows its shortcut, e.g. "&New… (Ctrl+N)"."""
    return f"{text} ({key_text(key)})"


class RowFilter(QSortFilterProxyModel):
    """Keeps rows whose text contains every typed word (casefolded); sorts by the SORT role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(RowRole.SORT)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        """Filter by ``text`` (empty: show every row)."""
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._words:
            return True
        text = self.sourceModel().index(source_row, 0, parent).data(RowRole.FILTER) or ""
        return all(word in text for word in self._words)

    def lessThan(
        self,
        left: QModelIndex | QPersistentModelIndex,
        right: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        a, b = left.data(RowRole.SORT), right.data(RowRole.SORT)
        try:
            return bool(a < b)
        except TypeError:  # None against a value: empty cells sort first
            return a is None and b is not None


# Column fitting: measured on the first rows (lists here hold up to a few thousand), never
# wider than this, with a little air after the longest text and around the heading.
FIT_SAMPLE_ROWS = 100
MAX_COLUMN = 300


class RecordTable(QWidget):
    """See the module docstring."""

    new_requested = Signal()
    edit_requested = Signal(str)
    delete_requested = Signal(str)
    current_changed = Signal(str)

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        name: str,
        deletable: bool = True,
        filterable: bool = True,
        new_key: QKeySequence = NEW_KEY,
        sort: Sorting = (0, Qt.SortOrder.DescendingOrder),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = RowTableModel(columns, self)
        self.proxy = RowFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName(f"{name}Filter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.count_label = QLabel()
        self.view = row_table(f"{name}Table", self.proxy, alternating=True)
        self.view.setSortingEnabled(True)
        # ``sort``: until the guide sorts the list otherwise (kept across restarts).
        keep_sort(self.view, name, [column.header for column in columns], sort)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().sectionResized.connect(self._section_resized)
        # The sorted column's heading has an arrow beside it: room for it goes with it.
        self._refit_timer = QTimer(self)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(0)
        self._refit_timer.timeout.connect(self._fit_columns)
        self.view.horizontalHeader().sortIndicatorChanged.connect(lambda *_a: self._refit())
        # (connected after the view's own sorting slot, so the rows are in order by then)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._show_chosen)
        self.view.activated.connect(self._activated)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        self.new_button = QPushButton()
        self.new_button.setObjectName(f"{name}New")
        self.new_button.clicked.connect(self.new_requested)
        # The empty list's hint names this button: it changes when the button is switched
        # off (a deployment needs a volunteer chosen first).
        self.new_button.installEventFilter(self)
        self.blocked_hint = ""
        """Said instead of "… adds the first" while the New button is off ("" says nothing)."""
        self.edit_button = QPushButton()
        self.edit_button.setObjectName(f"{name}Edit")
        self.edit_button.clicked.connect(self._edit_current)
        self.delete_button = QPushButton()
        self.delete_button.setObjectName(f"{name}Delete")
        self.delete_button.clicked.connect(self._delete_current)
        self._deletable = deletable
        self._fitted_rows = 0
        self._fitted_width = 0
        self._fitting = False
        self._sized_by_hand = False
        self.view.viewport().installEventFilter(self)

        self.new_action = QAction(self)
        self.new_key = new_key
        self.new_action.setShortcut(new_key)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.new_action.triggered.connect(self.new_requested)
        self.addAction(self.new_action)
        self.filter_action = QAction(self)
        self.filter_action.setShortcut(FILTER_KEY)
        self.filter_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.filter_action.triggered.connect(self.focus_filter)
        if filterable:
            self.addAction(self.filter_action)
        self.delete_action = QAction(self.view)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self._delete_current)
        if deletable:
            self.view.addAction(self.delete_action)

        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.new_button)
        self.buttons.addWidget(self.edit_button)
        self.buttons.addWidget(self.delete_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.count_label)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        # Said when the list is empty: how to begin, or that the filter hides everything.
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName(f"{name}Empty")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.view, 1)
        layout.addLayout(self.buttons)
        # Hidden only now that they have a parent: showing a widget without one opens it
        # as a window of its own for a moment, which takes the focus from the main window.
        self.delete_button.setHidden(not deletable)
        self.filter_edit.setHidden(not filterable)
        self.count_label.setHidden(not filterable)  # a short list needs no "n of m shown"
        self.empty_hint.hide()
        self.setTabOrder(self.filter_edit, self.view)
        self.setTabOrder(self.view, self.new_button)
        self.setTabOrder(self.new_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.delete_button)
        self._update_buttons()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(
        self,
        *,
        noun: str,
        new_text: str | None = None,
        edit_text: str | None = None,
        delete_text: str | None = None,
    ) -> None:
        """Set texts; ``noun`` names the records in accessible names ("activities").

        The button texts replace "&New…", "&Edit…", "&Delete…" where a page has two lists
        and the mnemonics must differ ("New de&ployment…").
        """
        self.filter_edit.setPlaceholderText(with_key(_("Filter…"), FILTER_KEY))
        self.filter_edit.setAccessibleName(_("Filter {what}").format(what=noun))
        self.view.setAccessibleName(noun)
        self.new_button.setText(with_key(new_text or _("&New…"), self.new_key))
        self.edit_button.setText(
            _("{action} ({key})").format(action=edit_text or _("Ed&it…"), key=_("Enter"))
        )
        self.delete_button.setText(
            _("{action} ({key})").format(action=delete_text or _("&Delete…"), key=_("Del"))
        )
        for button in (self.new_button, self.edit_button, self.delete_button):
            button.setAccessibleName(button.text().replace("&", ""))
        # As the window's Edit menu lists them, with their shortcuts beside.
        self.new_action.setText(new_text or _("&New…"))
        self.filter_action.setText(_("Filter…"))
        self.delete_action.setText(delete_text or _("&Delete…"))
        self.model.retranslate()
        self._update_count()
        self._refit()  # headings differ in width from one language to the next

    def menu_actions(self) -> list[QAction]:
        """New, filter and delete, for the window's Edit menu."""
        actions = [self.new_action]
        if self.filter_edit.isVisibleTo(self):
            actions.append(self.filter_action)
        if self._deletable:
            actions.append(self.delete_action)
        return actions

    # ------------------------------------------------------------------ rows
    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show ``rows``, keeping the selected record selected if it is still there."""
        keep = self.current_id()
        self.model.set_rows(rows)
        if keep:
            self.select(keep)
        if len(rows) > 2 * self._fitted_rows and not self._sized_by_hand:
            # Once the page's layout has settled: the width to fit is known only then.
            QTimer.singleShot(0, self._fit_columns)
        self._update_count()
        self._update_buttons()

    def _fit_columns(self) -> None:
        """Fit the columns to the room (:func:`~kisi_desktop.ui.tables.column_fit.fit_columns`:
        headings whole, the longest texts give way first, room left to the longest text),
        measured on the heading and the first rows, at most :data:`MAX_COLUMN` for a text.

        Fitted again as the list grows (the first record of a new vault is no measure),
        as the table is resized and on a language switch; never after the guide dragged a
        column. Fixed starting widths left empty columns wide and cut full ones.
        """
        rows = self.model.rowCount()
        if rows == 0 or self._sized_by_hand or not self.view.viewport().width():
            return
        self._fitted_rows = rows
        header = self.view.horizontalHeader()
        header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
        needs = [column_need(self.view, column) for column in range(self.model.columnCount())]
        # The whole width: when a longer list adds a vertical scroll bar, the narrower
        # table is fitted again (eventFilter).
        room = self.view.viewport().width()
        widths = fit_columns(needs, room, cap=MAX_COLUMN)
        self._fitting = True
        try:
            for column, width in enumerate(widths):
                header.resizeSection(column, width)
            # Never wider than the table: a horizontal scroll bar under a list of one row
            # is all a guide would see of a few pixels too many. Should Qt have widened a
            # section beyond its fitted width, the widest column gives the pixels back
            # (its text is cut with "…" and whole in its tooltip).
            excess = header.length() - room
            if excess > 0:
                widest = max(range(header.count()), key=header.sectionSize)
                header.resizeSection(
                    widest,
                    max(header.sectionSize(widest) - excess, header.minimumSectionSize()),
                )
        finally:
            self._fitting = False
        self._fitted_width = room

    def _refit(self) -> None:
        """Fit again once the layout has settled (a resize, a language switch): one fit
        for a burst of resizes (a window dragged wider), not one each."""
        if self.model.rowCount() and not self._sized_by_hand:
            self._refit_timer.start()

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        # A drag by the guide (not the fitting, nor the last column stretching) is kept.
        if not self._fitting and column < self.model.columnCount() - 1 and self.isVisible():
            self._sized_by_hand = True

    def clear(self) -> None:
        """Forget every row and the filter text (on lock)."""
        self.filter_edit.clear()
        self.model.clear()
        self._fitted_rows = 0  # the next vault's rows are measured afresh
        self._update_count()
        self._update_buttons()

    def remove(self, rid: str) -> None:
        """Take the record ``rid`` out of the list after it was deleted; if it was the
        chosen one, the row that took its place (or the new last) is chosen, so that
        Enter, Del and the arrows go on from there instead of from nowhere."""
        at = self.view.currentIndex().row() if self.current_id() == rid else -1
        self.model.remove(rid)
        if at >= 0 and self.proxy.rowCount():
            index = self.proxy.index(min(at, self.proxy.rowCount() - 1), 0)
            self.view.setCurrentIndex(index)
            self.view.selectRow(index.row())
        self._update_count()
        self._update_buttons()

    def current_id(self) -> str:
        """The id of the selected record, "" if none."""
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row()):
            return ""
        return str(index.data(RowRole.ID) or "")

    def current_row(self) -> Any:
        """The selected row object, or None."""
        index = self.view.currentIndex()
        return index.data(RowRole.ROW) if self.current_id() else None

    def select(self, rid: str) -> bool:
        """Select and show the record ``rid``; False if it is not in the (filtered) list."""
        i = self.model.row_index(rid)
        if i < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(i, 0))
        if not index.isValid():
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(i, 0))
        self.view.setCurrentIndex(index)
        self.view.selectRow(index.row())
        self.view.scrollTo(index)
        return True

    def _show_chosen(self) -> None:
        """Sorted: scroll the chosen row back into sight. Qt keeps it chosen but leaves
        the scroll bar where it was, so the row the guide was on (and Enter edits) was
        somewhere off screen (keyboard QA pass)."""
        if self.current_id():
            self.view.scrollTo(self.view.currentIndex())

    def focus_filter(self) -> None:
        """Put the cursor into the filter field."""
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    # ------------------------------------------------------------------ slots
    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            self.count_label.setText(_("{n} in the list").format(n=total))
        else:
            self.count_label.setText(_("{shown} of {total} shown").format(shown=shown, total=total))
        if total == 0 and not self.new_button.isEnabled():
            self.empty_hint.setText(self.blocked_hint)
        elif total == 0:
            new = self.new_button.text().replace("&", "")
            self.empty_hint.setText(
                _("Nothing entered yet: “{new}” adds the first.").format(new=new)
            )
        elif shown == 0:
            self.empty_hint.setText(_("Nothing matches the filter."))
        self.empty_hint.setVisible(shown == 0 and bool(self.empty_hint.text()))

    def set_blocked_hint(self, text: str) -> None:
        """What the empty list says while its New button is off (e.g. "choose … first")."""
        self.blocked_hint = text
        self._update_count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The New button switched on or off: the empty list's hint and the Edit menu's
        New follow (a deployment needs a volunteer chosen first: the menu's item did
        nothing, silently); the table got wider or narrower: its columns are fitted again."""
        if watched is self.new_button and event.type() == QEvent.Type.EnabledChange:
            self.new_action.setEnabled(self.new_button.isEnabled())
            self._update_count()
        elif (
            watched is self.view.viewport()
            and event.type() == QEvent.Type.Resize
            and self.view.viewport().width() != self._fitted_width
        ):
            self._refit()
        return super().eventFilter(watched, event)

    def _update_buttons(self) -> None:
        has = bool(self.current_id())
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has and self._deletable)
        # The Edit menu's Delete as its button: greyed while no row is chosen.
        self.delete_action.setEnabled(has and self._deletable)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()
        self.current_changed.emit(self.current_id())

    def _activated(self, index: QModelIndex) -> None:
        rid = index.data(RowRole.ID)
        if rid:
            self.edit_requested.emit(str(rid))

    def _edit_current(self) -> None:
        rid = self.current_id()
        if rid:
            self.edit_requested.emit(rid)

    def _delete_current(self) -> None:
        rid = self.current_id()
        if rid and self._deletable:
            self.delete_requested.emit(rid)
