"""The line under the date of a person's contact, note, referral (and the other records of
theirs) when the typed day lies before their birth (core/domain/before_birth.py).

It shows while the guide types, as the line about a date outside the project does; saving
such a date is then refused by the workspace (an estimated birth only gets the line).
"""

from __future__ import annotations

from datetime import date

from kisi_desktop.core.domain import Person
from kisi_desktop.core.domain.before_birth import before_birth_note
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.ui.forms.live_note import LiveNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.volunteer_detail import WARN_STYLE

# The date of each form of a person's records that says when it happened or began.
DAY_FIELDS = {
    "contact": "contacted_on",
    "note": "written_on",
    "followup": "due_on",
    "referral": "referred_on",
    "consent": "given_on",
    "case": "opened_on",
    "outcome": "occurred_on",
    "handout_given": "handed_out_on",
}


class BirthNote(LiveNote):
    """Keeps the line under the date field of one dialog about ``person``'s record."""

    def __init__(self, dialog: RecordDialog, person: Person) -> None:
        self.person = person
        self.field = DAY_FIELDS[dialog.form.cls.KIND]
        super().__init__(dialog, self.field, name="beforeBirth", style=WARN_STYLE)

    def update(self) -> None:
        """Show the line while the typed day lies before the birth."""
        try:
            day = self.dialog.form.editors[self.field].get()
        except UnreadableInput:
            day = None
        text = before_birth_note(self.person, day) if isinstance(day, date) else ""
        self.label.setText(text)
        self.label.setVisible(bool(text))
