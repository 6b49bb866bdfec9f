"""What a guide's spreadsheet list of people holds, shown before anything is stored.

The list is read and checked first (``core/people_list.py``); this dialog shows the
result: how many people it would add and which columns were read, every problem by row
and heading, or else the people it adds as the app understood them (a date read as the
guide meant it, a nationality found), the people already in the vault, and, when the
list names no length for the first contacts, how long each is to count. Nothing is
added while a single row has a problem: the guide mends the list and imports it again
(all or nothing, as the core adds). Cancel stays the default button while there are
problems, so Enter never means "go on" with a list that cannot be added.

The dialog only shows and asks; reading and adding are its owner's
(``list_import.py``).

Signals:
    minutes_changed(int): the guide set another length for the first contacts; the owner
        reads the list again and calls :meth:`PeopleListDialog.show_list`.
    add_requested(): the guide asked to add the people shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.domain import ReferenceData
from kisi_desktop.core.i18n import N_, _, ngettext, ui_language
from kisi_desktop.core.people_list import ListedPerson, PeopleList, summary_lines

from kisi_desktop.ui.pages.people.person_table_model import show_day
from kisi_desktop.ui.tables.row_model import Column, RowTableModel
from kisi_desktop.ui.tables.row_view import row_table

DEFAULT_MINUTES = 30
"""A first contact's length when the list names none, until the guide sets another (as
``kisi person import --minutes``)."""
MAX_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class ProblemRow:
    """One problem as the table shows it (``id`` only tells the rows apart)."""

    id: str
    row: int
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class AddRow:
    """One person the list adds, in the words of the People list."""

    id: str
    row: int
    name: str
    born: str
    nationality: str
    first_contact: str


@dataclass(frozen=True, slots=True)
class ThereRow:
    """One person of the list who is in the vault already."""

    id: str
    row: int
    name: str


PROBLEM_COLUMNS = (
    Column(N_("Row"), lambda r: str(r.row), sort=lambda r: r.row, numeric=True),
    Column(N_("Column"), lambda r: r.column),
    Column(N_("Problem"), lambda r: r.message, tooltip=lambda r: r.message),
)
ADD_COLUMNS = (
    Column(N_("Row"), lambda r: str(r.row), sort=lambda r: r.row, numeric=True),
    Column(N_("Name"), lambda r: r.name, tooltip=lambda r: r.name),
    Column(N_("Born"), lambda r: r.born),
    Column(N_("Nationality"), lambda r: r.nationality, tooltip=lambda r: r.nationality),
    Column(N_("First contact"), lambda r: r.first_contact),
)
THERE_COLUMNS = (
    Column(N_("Row"), lambda r: str(r.row), sort=lambda r: r.row, numeric=True),
    Column(N_("Name"), lambda r: r.name, tooltip=lambda r: r.name),
)


class MinutesBox(QSpinBox):
    """The length of the first contacts: Enter takes what was typed, and goes no further.

    A spin box passes Enter on to its dialog, whose default button would then add the
    whole list (or cancel it, while it has problems) when the guide only meant the
    number just typed.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys as usual; Enter also stops here."""
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class PeopleListDialog(QDialog):
    """See the module docstring."""

    minutes_changed = Signal(int)
    add_requested = Signal()

    def __init__(
        self, path: Path, minutes: int, ref: ReferenceData, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("peopleListDialog")
        self.setWindowTitle(_("Import from a list"))
        self.listed: PeopleList | None = None
        language = ui_language()
        countries = ref.enum("countries").items()
        self._countries = {code: entry.label(language) for code, entry in countries}

        self.file_label = QLabel(_("List: {name}").format(name=path.name))
        self.file_label.setObjectName("peopleListFile")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("peopleListSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.minutes = MinutesBox()
        self.minutes.setObjectName("firstContactMinutes")
        self.minutes.setRange(1, MAX_MINUTES)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(minutes)
        self.minutes.setSuffix(" " + _("min"))
        # Read again only for a value the guide has finished typing (Enter, leaving the
        # field, the arrows), not at "4" on the way to "45".
        self.minutes.setKeyboardTracking(False)
        self.minutes.setAccessibleName(_("Length of each first contact in minutes"))
        self.minutes.setToolTip(
            _("The list names no length for its first contacts: each counts this long.")
        )
        self.minutes.valueChanged.connect(self.minutes_changed)
        self.minutes_label = QLabel(_("&Length of each first contact:"))
        self.minutes_label.setBuddy(self.minutes)
        self.minutes_row = QWidget()
        row = QHBoxLayout(self.minutes_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.minutes_label)
        row.addWidget(self.minutes)
        row.addStretch(1)

        self.problem_model = RowTableModel(PROBLEM_COLUMNS, self)
        self.problem_table = _table("peopleListProblems", self.problem_model)
        self.problem_table.setAccessibleName(_("Problems in the list"))
        self.problem_hint = QLabel(
            _(
                "Nobody is added while the list has problems: correct these rows in the "
                "list, save it, and import it again."
            )
        )
        self.problem_hint.setObjectName("peopleListProblemHint")
        self.problem_hint.setWordWrap(True)
        self.problems_box = QGroupBox()
        self.problems_box.setObjectName("peopleListProblemsBox")
        box = QVBoxLayout(self.problems_box)
        box.addWidget(self.problem_hint)
        box.addWidget(self.problem_table)

        self.add_model = RowTableModel(ADD_COLUMNS, self)
        self.add_table = _table("peopleListToAdd", self.add_model)
        self.add_table.setAccessibleName(_("People the list adds"))
        self.add_box = QGroupBox(_("These people will be added"))
        self.add_box.setObjectName("peopleListAddBox")
        box = QVBoxLayout(self.add_box)
        box.addWidget(self.add_table)

        self.there_model = RowTableModel(THERE_COLUMNS, self)
        self.there_table = _table("peopleListAlreadyThere", self.there_model)
        self.there_table.setAccessibleName(_("People of the list already in the vault"))
        self.there_hint = QLabel(
            _("Not added again: the same name and date or year of birth are in the vault.")
        )
        self.there_hint.setWordWrap(True)
        self.there_box = QGroupBox()
        self.there_box.setObjectName("peopleListThereBox")
        box = QVBoxLayout(self.there_box)
        box.addWidget(self.there_hint)
        box.addWidget(self.there_table)

        self.state = QLabel()
        self.state.setObjectName("peopleListState")
        self.state.setWordWrap(True)
        self.add_button = QPushButton()
        self.add_button.setObjectName("peopleListAdd")
        self.add_button.clicked.connect(self.add_requested)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setObjectName("peopleListCancel")
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.minutes_row)
        layout.addWidget(self.problems_box, 2)
        layout.addWidget(self.add_box, 2)
        layout.addWidget(self.there_box, 1)
        layout.addStretch(0)
        layout.addWidget(self.state)
        layout.addWidget(self.buttons)
        self.resize(720, 560)

    def show_list(self, listed: PeopleList) -> None:
        """Show what ``listed`` holds, and let it be added if it can be."""
        first = self.listed is None
        self.listed = listed
        self.summary.setText("\n".join(summary_lines(listed, rows=False)))
        # Only a list that has first contacts and names no length for them asks for one.
        self.minutes_row.setVisible(
            "first_contact" in listed.columns and "minutes" not in listed.columns
        )
        count = len(listed.problems)
        self.problem_model.set_rows(
            [ProblemRow(str(i), p.row, p.column, p.message) for i, p in enumerate(listed.problems)]
        )
        self.problems_box.setTitle(ngettext("{n} problem", "{n} problems", count).format(n=count))
        self.problems_box.setVisible(bool(count))
        there = listed.already_there
        self.there_model.set_rows([ThereRow(str(i), r, name) for i, (r, name) in enumerate(there)])
        self.there_box.setTitle(
            ngettext(
                "{n} person already in the vault", "{n} people already in the vault", len(there)
            ).format(n=len(there))
        )
        self.there_box.setVisible(bool(there))
        # Whom it adds only once it can: beside problems it would be one table too many.
        self.add_model.set_rows([] if count else [self._add_row(p) for p in listed.people])
        self.add_box.setVisible(not count and bool(listed.people))
        for table in (self.problem_table, self.add_table, self.there_table):
            for column in range(table.model().columnCount() - 1):
                table.resizeColumnToContents(column)
        n = len(listed.people)
        self.add_button.setText(ngettext("&Add {n} person", "&Add {n} people", n).format(n=n))
        self.add_button.setAccessibleName(
            ngettext("Add {n} person", "Add {n} people", n).format(n=n)
        )
        if count:
            self.state.setText("")
        elif not n and there:
            self.state.setText(_("Everyone in the list is in the vault already."))
        elif not n:
            self.state.setText(_("The list names nobody to add."))
        else:
            self.state.setText(_("After adding, delete the list: it is not encrypted."))
        self.minutes.setEnabled(True)
        self._allow(add=listed.ready)
        if first:  # (not at a reading again: the guide is in the minutes field)
            boxes = (
                (self.problems_box, self.problem_table),
                (self.add_box, self.add_table),
                (self.there_box, self.there_table),
            )
            for box, table in boxes:
                if not box.isHidden():
                    table.setFocus()
                    break

    def _add_row(self, entry: ListedPerson) -> AddRow:
        person, contact = entry.person, entry.first_contact
        if person.birth_date is not None:
            born = show_day(person.birth_date.isoformat())
        else:
            born = str(person.birth_year or "")
        if person.stateless:
            nationality = _("stateless")
        else:
            nationality = ", ".join(self._countries.get(c, c) for c in person.nationalities)
        day = show_day(contact.contacted_on.isoformat()) if contact is not None else ""
        return AddRow(person.id, entry.row, person.name, born, nationality, day)

    def set_reading(self) -> None:
        """The list is being read again: nothing to add until it has been."""
        self.state.setText(_("Reading the list again…"))
        self._allow(add=False)

    def set_adding(self) -> None:
        """The people are being added: nothing to press meanwhile."""
        self.state.setText(_("Adding the people…"))
        self.minutes.setEnabled(False)
        self._allow(add=False, cancel=False)

    def _allow(self, *, add: bool, cancel: bool = True) -> None:
        """Which buttons work; the default (Enter) is Add only when it works, else Cancel."""
        self.add_button.setEnabled(add)
        self.cancel_button.setEnabled(cancel)
        self.add_button.setDefault(add)
        self.add_button.setAutoDefault(add)
        self.cancel_button.setDefault(not add)
        self.cancel_button.setAutoDefault(not add)


def _table(name: str, model: RowTableModel) -> QTableView:
    table = row_table(name, model, alternating=True, packed=True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table
