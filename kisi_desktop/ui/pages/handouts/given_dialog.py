"""The "record handout given" dialog: to whom (or anonymously), how many copies, when.

For several topics at once (a welcome pack) the same answers go into one record per topic.

Three fields, so no sealed draft: a lock closes the dialog and the guide types them again.
Opened with ``open()`` (window-modal, no nested event loop) so a lock can close it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.i18n import _, ngettext
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.ui.forms.field_widgets import DateField
from kisi_desktop.ui.forms.form_buttons import form_buttons
from kisi_desktop.ui.forms.record_form import ERROR_STYLE

MAX_COPIES = 100
Store = Callable[[str | None, int, date], None]
"""Saves (person id or None, copies, day); raises KisiError with a message to show."""


def recorded_message(copies: int, titles: Sequence[str], language: str) -> str:
    """The status bar's note after saving: the topic's title, or how many handouts."""
    if len(titles) == 1:
        return ngettext(
            "Recorded: {n} copy of “{topic}” in {language}.",
            "Recorded: {n} copies of “{topic}” in {language}.",
            copies,
        ).format(n=copies, topic=titles[0], language=language)
    return ngettext(
        "Recorded: {n} copy each of {count} handouts in {language}.",
        "Recorded: {n} copies each of {count} handouts in {language}.",
        copies,
    ).format(n=copies, count=len(titles), language=language)


class HandoutGivenDialog(QDialog):
    """See the module docstring; ``store`` does the saving, this dialog only asks."""

    def __init__(
        self,
        what: str,
        people: Sequence[tuple[str, str]],
        today: date,
        store: Store,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoutGivenDialog")
        self.setWindowTitle(_("Record handout given"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._store = store
        self.what = QLabel(what)
        self.what.setWordWrap(True)
        self.person = QComboBox()
        self.person.setObjectName("givenPerson")
        self.person.addItem(_("anonymous"), None)
        for person_id, name in people:
            self.person.addItem(name, person_id)
        # Typing part of a name finds it in a long list (as in the record forms).
        self.person.setEditable(True)
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.person.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.person.setAccessibleName(_("Person"))
        self.copies = QSpinBox()
        self.copies.setObjectName("givenCopies")
        self.copies.setRange(1, MAX_COPIES)
        self.copies.setAccessibleName(_("Copies"))
        self._today = today
        self.day = DateField()
        self.day.setObjectName("givenDay")
        self.day.set_day(today)
        self.day.edit.setAccessibleName(_("Handed out on"))
        form = QFormLayout()
        for text, field in (
            (_("&Person:"), self.person),
            (_("&Copies:"), self.copies),
            (_("&Handed out on:"), self.day),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        self.message = QLabel()
        self.message.setObjectName("dialogMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addLayout(form)
        layout.addWidget(self.message)
        # The buttons only now: Qt's Tab order is the order widgets join the dialog, and
        # made first they came first, so the dialog opened on Save and Tab went Save,
        # Cancel, Person (keyboard QA pass). Now the person is asked first.
        buttons, self.save_button, _cancel = form_buttons(self)
        layout.addWidget(buttons)
        self.resize(max(440, self.sizeHint().width()), self.sizeHint().height())

    def person_id(self) -> str | None:
        """The chosen person's id (None: anonymous); KisiError if the typed name is no one's."""
        index = self.person.findText(self.person.currentText(), Qt.MatchFlag.MatchExactly)
        if index < 0:
            raise KisiError(_("Choose a person from the list, or “anonymous”."))
        data = self.person.itemData(index)
        return None if data is None else str(data)

    def _day(self) -> date:
        day = self.day.day()
        if day is None:
            raise KisiError(_("Enter the day it was handed out."))
        if day > self._today:
            raise KisiError(_("A handout cannot be given in the future."))
        return day

    def accept(self) -> None:
        """Save; on a problem stay open and say what it is."""
        self.message.hide()
        try:
            self._store(self.person_id(), self.copies.value(), self._day())
        except (KisiError, UnreadableInput) as error:
            self.message.setText(str(error))
            self.message.show()
            return
        super().accept()
