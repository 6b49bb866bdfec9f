"""The people list: a filter field, a status filter, "AMIF-eligible only", a sortable table.

Typing narrows the list at once (name, phone, nationality); the proxy answers from
precomputed rows (see ``person_filter.py``) so 10,000 people filter without a stall.
Enter or a double click opens the person.

The rows are read on a worker (``people_page.py``); until the first ones come, the list
says it is reading them instead of "nothing entered yet".

Signals:
    open_person(str): the guide wants to see this person (record id).
    new_person(): the guide asked for a new person (button or Ctrl+N).
    import_list(): the guide asked to add the people of a spreadsheet list (button or the
        Edit menu).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.domain import ReferenceData
from kisi_desktop.core.i18n import _, format_number, ngettext, ui_language

from kisi_desktop.ui.pages.people.person_filter import PersonFilterModel
from kisi_desktop.ui.pages.people.person_table_model import (
    Column,
    PersonRole,
    PersonRow,
    PersonTableModel,
)
from kisi_desktop.ui.tables.kept_sort import keep_sort
from kisi_desktop.ui.tables.record_table import with_key
from kisi_desktop.ui.tables.row_view import row_table
from kisi_desktop.ui.widgets.busy_note import BusyNote

SortBy = tuple[int, Qt.SortOrder]


class PersonListView(QWidget):
    """See the module docstring."""

    open_person = Signal(str)
    new_person = Signal()
    import_list = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personList")
        self.model = PersonTableModel(self)
        self.proxy = PersonFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("personFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        self.status_combo.activated.connect(self._apply)
        self.eligible_box = QCheckBox()
        self.eligible_box.setObjectName("eligibleOnly")
        self.eligible_box.toggled.connect(self._apply)
        self.due_box = QCheckBox()
        self.due_box.setObjectName("deletionDueOnly")
        self.due_box.toggled.connect(self._apply)
        self.new_action = QAction(self)
        self.new_action.setObjectName("newPersonAction")
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.new_action.triggered.connect(self.new_person)
        self.addAction(self.new_action)
        # Not the action's own button: the button shows its shortcut, as on the office
        # pages ("New person (Ctrl+N)"), while the Edit menu lists it beside the text.
        self.new_button = QPushButton()
        self.new_button.setObjectName("newPersonButton")
        self.new_button.clicked.connect(self.new_action.trigger)
        # Beside "New person": a guide who kept an Excel list before the app begins here.
        self.import_action = QAction(self)
        self.import_action.setObjectName("importListAction")
        self.import_action.triggered.connect(self.import_list)
        self.import_button = QPushButton()
        self.import_button.setObjectName("importListButton")
        self.import_button.clicked.connect(self.import_action.trigger)
        self.count_label = QLabel()
        self.count_label.setObjectName("personCount")
        self.filter_label = QLabel()
        self.filter_label.setBuddy(self.filter_edit)
        self.status_label = QLabel()
        self.status_label.setBuddy(self.status_combo)

        self.table = row_table("personTable", self.proxy, alternating=True, packed=True)
        self.table.setSortingEnabled(True)
        keep_sort(
            self.table,
            "people",
            [c.name for c in Column],
            (Column.NAME, Qt.SortOrder.AscendingOrder),
        )
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.BORN, 110), (Column.GENDER, 90), (Column.ARRIVED, 110)):
            header.resizeSection(column, width)
        header.resizeSection(Column.NATIONALITY, 160)
        self.table.activated.connect(self._activated)
        # Said when the list is empty: how to begin, or that the filters hide everyone
        # (as the office pages' lists do).
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("personListEmpty")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text);")
        self.empty_hint.hide()
        self.busy_note = BusyNote("peopleReading")
        self._reading = False
        self._problem: str | None = None  # why the rows could not be read
        self._choose: str | None = None  # chosen before its row came (see select)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_label)
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(self.status_label)
        bar.addWidget(self.status_combo, 1)
        bar.addWidget(self.eligible_box)
        bar.addWidget(self.due_box)
        bar.addStretch(0)
        bar.addWidget(self.import_button)
        bar.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        # The note where the count will be, in a footer as tall as the taller of them: the
        # table does not move when the rows come (nor while the note waits to show).
        footer = QWidget()
        footer.setMinimumHeight(
            max(self.busy_note.sizeHint().height(), self.count_label.sizeHint().height())
        )
        foot = QHBoxLayout(footer)
        foot.setContentsMargins(0, 0, 0, 0)
        foot.addWidget(self.count_label)
        foot.addWidget(self.busy_note, 1)
        layout.addWidget(footer)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        # The proxy drops its row while the model still holds it ("1 von 2 Personen" after
        # an erasure): counted again once the model has let go too.
        self.model.rowsRemoved.connect(self._update_count)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the current UI language."""
        self.filter_label.setText(_("Fil&ter:"))
        self.filter_edit.setPlaceholderText(_("Name, phone or nationality"))
        self.filter_edit.setAccessibleName(_("Filter people"))
        self.status_label.setText(_("Residence &status:"))
        self.status_combo.setAccessibleName(_("Residence status"))
        self.eligible_box.setText(_("&AMIF-eligible only"))
        self.eligible_box.setAccessibleName(_("AMIF-eligible only"))
        self.due_box.setText(_("&Deletion date reached"))
        self.due_box.setAccessibleName(_("Only people whose deletion date has come"))
        self.due_box.setToolTip(
            _(
                "No case open or on legal hold, and the notes' deletion date (a year after "
                "the last case closed or the last contact) has come."
            )
        )
        self.new_action.setText(_("&New person"))
        shortcut = self.new_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.new_action.setToolTip(_("New person ({key})").format(key=shortcut))
        self.new_button.setText(with_key(_("&New person"), self.new_action.shortcut()))
        self.new_button.setAccessibleName(_("New person"))
        self.import_action.setText(_("&Import from a list…"))
        self.import_action.setToolTip(
            _("Add the people of a spreadsheet list (CSV or Excel): all rows or none.")
        )
        self.import_button.setText(self.import_action.text())
        self.import_button.setToolTip(self.import_action.toolTip())
        self.import_button.setAccessibleName(_("Import people from a list"))
        self.table.setAccessibleName(_("People"))
        self.busy_note.set_text(_("Reading the list of people…"))
        if self.status_combo.count():
            self.status_combo.setItemText(0, _("All"))
        self._update_count()

    def set_reference(self, ref: ReferenceData | None) -> None:
        """Fill the status filter from reference data (None: locked, empty it)."""
        current = self.status_combo.currentData()
        self.status_combo.clear()
        self.status_combo.addItem(_("All"), None)
        if ref is not None:
            lang = ui_language()
            for code, entry in ref.enum("residence_statuses").items():
                self.status_combo.addItem(entry.label(lang), code)
        index = self.status_combo.findData(current)
        self.status_combo.setCurrentIndex(max(index, 0))
        self._fit_status_column()

    def _fit_status_column(self) -> None:
        """The status column as wide as its longest label, the name column taking the rest:
        stretched alike, on a 1280-pixel screen "Niederlassungserlaubnis /
        Daueraufenthalt-EU" was cut while the names beside it had room to spare."""
        labels = [self.status_combo.itemText(i) for i in range(1, self.status_combo.count())]
        if not labels:
            return
        metrics = self.table.fontMetrics()
        margin = self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin)
        widest = max(metrics.horizontalAdvance(label) for label in labels)
        self.table.horizontalHeader().resizeSection(Column.STATUS, widest + 2 * margin + 8)

    def set_rows(self, rows: list[PersonRow], sorted_by: SortBy | None = None) -> None:
        """Show ``rows``, sorted as the header says; the chosen person stays chosen.

        Rows a worker sorted already (``sorted_by``: :meth:`sort_by` when it began) are not
        sorted again here unless the guide clicked another column meanwhile: with 10,000
        people that saves the UI thread 15-45 ms.
        """
        chosen = self.current_id()
        waiting, self._choose = self._choose, None
        bar = self.table.verticalScrollBar()
        scrolled = bar.value()
        self._problem = None
        with self.proxy.answers_for(rows):
            self.model.set_rows(rows, sorted_by)
        if sorted_by != self.sort_by():
            self.model.sort(*self.sort_by())
        if waiting is not None:  # (a person saved or left while the rows were read)
            self.select(waiting)
        elif chosen is not None:
            self.select(chosen)
            bar.setValue(scrolled)  # the same place in the list, not scrolled to the row

    def sort_by(self) -> SortBy:
        """The column and order the header sorts by."""
        header = self.table.horizontalHeader()
        return header.sortIndicatorSection(), header.sortIndicatorOrder()

    def set_reading(self, reading: bool) -> None:
        """The rows are being read (True) or have come: a note after a moment, and no
        "nothing entered yet" before the first rows."""
        self._reading = reading
        if reading:
            self._problem = None
        self.busy_note.set_busy(reading)
        self._update_count()

    def set_problem(self, text: str) -> None:
        """The rows could not be read: ``text`` says so where "nothing entered yet" would
        stand (a guide seeing an empty list might type everyone in again)."""
        self._problem = text
        self._update_count()

    def current_id(self) -> str | None:
        """The person of the current row, if any."""
        index = self.table.currentIndex()
        return index.data(PersonRole.ID) if index.isValid() else None

    def reset_filters(self) -> None:
        """Empty the filter field and filters (on lock)."""
        self.filter_edit.clear()
        self.eligible_box.setChecked(False)
        self.due_box.setChecked(False)
        self.status_combo.setCurrentIndex(0)
        self._apply()

    def _apply(self) -> None:
        self.proxy.set_criteria(
            self.filter_edit.text(),
            status=self.status_combo.currentData(),
            eligible_only=self.eligible_box.isChecked(),
            due_only=self.due_box.isChecked(),
        )
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        first_rows_coming = self._reading and total == 0
        self.count_label.setHidden(first_rows_coming)  # (the note stands there meanwhile)
        if first_rows_coming:
            self.count_label.clear()
            self.empty_hint.hide()
            return
        if self._problem is not None and total == 0:
            self.count_label.clear()
            self.empty_hint.setText(self._problem)
            self.empty_hint.show()
            return
        if shown == total:
            text = ngettext("{n} person", "{n} people", total).format(n=format_number(total))
        else:
            text = _("{shown} of {total} people").format(
                shown=format_number(shown), total=format_number(total)
            )
        self.count_label.setText(text)
        if total == 0:
            new = self.new_button.text().replace("&", "")
            listed = self.import_button.text().replace("&", "")
            self.empty_hint.setText(
                _("Nothing entered yet: “{new}” adds the first, “{list}” a whole list.").format(
                    new=new, list=listed
                )
            )
        elif shown == 0:
            self.empty_hint.setText(_("Nothing matches the filter."))
        self.empty_hint.setVisible(shown == 0)

    def _activated(self, index: QModelIndex) -> None:
        person_id = index.data(PersonRole.ID)
        if person_id:
            self.open_person.emit(person_id)

    def select(self, person_id: str) -> None:
        """Make ``person_id`` the current row (if it is not filtered out), scrolled into
        view; while the rows are read, once they have come."""
        if self._reading:
            self._choose = person_id
        row = self.model.row_of(person_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def visible_ids(self) -> list[str]:
        """Ids of the rows shown, top to bottom (tests and screen readers)."""
        return [
            self.proxy.index(row, 0).data(PersonRole.ID) for row in range(self.proxy.rowCount())
        ]
