"""The window's way to bring in a spreadsheet list of people (core/people_list.py).

The file is read and checked on a worker (a list of thousands of rows takes a moment);
the dialog then says what the list holds: how many people, with how many first contacts,
which columns were read and which left out, who is in the vault already, and every problem
by row and heading. Only a list without problems can be added, all at once, in one vault
transaction on the UI thread (the vault's connection belongs to it). The length of a
first contact the list does not give is the guide's to set; changing it reads the list
again. Afterwards the guide is told to delete the file: it is plain text on the disk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _, format_number
from kisi_desktop.core.people_list import PeopleList

# Reads the list again with another first-contact length (minutes), on a worker.
Reread = Callable[[int], None]


class ListImportDialog(QDialog):
    """What a checked list holds, and the button to add it; see the module docstring."""

    add_requested = Signal()

    def __init__(
        self, path: Path, minutes: int, reread: Reread, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("listImportDialog")
        self.setWindowTitle(_("Import people from a list"))
        self.path = path
        self.listed: PeopleList | None = None
        self._reread = reread
        self._read_with = minutes  # (the first-contact length the shown list was read with)
        self.file_label = QLabel(_("List: {name}").format(name=path.name))
        self.file_label.setObjectName("listFile")
        self.summary = QLabel()
        self.summary.setObjectName("listSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("firstContactMinutes")
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setValue(minutes)
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName(_("Length of a first contact"))
        minutes_label = QLabel(_("&Length of a first contact the list gives none for:"))
        minutes_label.setBuddy(self.minutes)
        self.minutes.editingFinished.connect(self._minutes_changed)
        self.problems = QTableWidget(0, 3)
        self.problems.setObjectName("listProblems")
        self.problems.setAccessibleName(_("Problems in the list"))
        self.problems.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Problem")])
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.verticalHeader().hide()
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.advice = QLabel()
        self.advice.setObjectName("listAdvice")
        self.advice.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.add_button = QPushButton()
        self.add_button.setObjectName("listAdd")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(_("Cancel"))  # (in the app's language even without Qt's)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.clicked.connect(self.add_requested)
        self.cancel_button.clicked.connect(self.reject)

        minutes_row = QHBoxLayout()
        minutes_row.addWidget(minutes_label)
        minutes_row.addWidget(self.minutes)
        minutes_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.summary)
        layout.addLayout(minutes_row)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.advice)
        # Takes the room the problem table leaves when there are no problems, so that
        # the text stays together at the top.
        layout.addStretch(0)
        layout.addWidget(self.buttons)
        self.resize(760, 480)
        self.set_busy()

    def set_busy(self) -> None:
        """While the list is read: nothing to add yet."""
        self._read_with = self.minutes.value()
        self.summary.setText(_("Reading the list…"))
        self.add_button.setText(_("&Add people"))
        self.add_button.setEnabled(False)
        self.problems.hide()
        self.advice.hide()

    def show_list(self, listed: PeopleList) -> None:
        """Fill in what ``listed`` holds."""
        self.listed = listed
        contacts = sum(1 for p in listed.people if p.first_contact is not None)
        lines = [
            _("{n} people to add, {c} of them with a first contact.").format(
                n=format_number(len(listed.people)), c=format_number(contacts)
            )
        ]
        if listed.columns:
            lines.append(
                _("Columns read: {names}").format(names=", ".join(listed.columns.values()))
            )
        if listed.ignored:
            lines.append(_("Columns left out: {names}").format(names=", ".join(listed.ignored)))
        if listed.already_there:
            names = ", ".join(name for _row, name in listed.already_there[:10])
            more = len(listed.already_there) - 10
            lines.append(
                _("Already in the vault, not added again: {names}").format(names=names)
                + (" " + _("(and {n} more)").format(n=more) if more > 0 else "")
            )
        if listed.twice:
            rows = ", ".join(str(row) for row, _earlier in listed.twice)
            lines.append(_("Listed twice, added once: rows {rows}").format(rows=rows))
        self.summary.setText("\n".join(lines))
        self.problems.setRowCount(len(listed.problems))
        for row, problem in enumerate(listed.problems):
            for column, text in enumerate((str(problem.row), problem.column, problem.message)):
                self.problems.setItem(row, column, QTableWidgetItem(text))
        self.problems.setVisible(bool(listed.problems))
        count = len(listed.people)
        self.add_button.setText(
            _("&Add {n} people").format(n=format_number(count)) if count else _("&Add people")
        )
        self.add_button.setEnabled(listed.ready)
        if listed.problems:
            self.advice.setText(
                _(
                    "Nothing can be added while a row has a problem: mend the list in the "
                    "spreadsheet program, save it and import it again."
                )
            )
        elif not count:
            self.advice.setText(_("There is nobody to add."))
        else:
            self.advice.setText(
                _(
                    "All {n} are added at once. The list file itself is not encrypted: "
                    "delete it afterwards."
                ).format(n=format_number(count))
            )
        self.advice.show()
        # Enter must not add a list that cannot be added, nor skip the reading.
        (self.add_button if listed.ready else self.cancel_button).setDefault(True)

    def _minutes_changed(self) -> None:
        if self.listed is not None and self.minutes.value() != self._read_with:
            self.set_busy()
            self._reread(self.minutes.value())
