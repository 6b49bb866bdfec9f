"""The line under the date of a person's contact, note, referral (and the other records of
theirs) when the typed day lies before their birth (core/domain/before_birth.py), and the
one under the birth in the person form when records of theirs would lie before it.

It shows while the guide types, as the line about a date outside the project does; saving
such a date (or birth) is then refused by the workspace (an estimated birth only gets the
line).
"""

from __future__ import annotations

import dataclasses
from datetime import date

from kisi_desktop.core.domain import Person
from kisi_desktop.core.domain.before_birth import (
    before_birth_note,
    birth_field,
    earlier_records_note,
)
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.field_labels import field_label
from kisi_desktop.core.i18n import _
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.ui.forms.field_widgets import DateField
from kisi_desktop.ui.forms.live_note import LiveNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.volunteer_detail import WARN_STYLE

YEAR_DIGITS = 4

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


class EarlierRecordsNote(LiveNote):
    """The line under the year of birth in the form of ``person``, stored already with
    records dated ``dated`` ((kind, earliest day) each): which of them lie before the
    birth as typed now, when it is an estimate. A birth not estimated is refused at
    saving, with the same records named under it (the line would say it twice)."""

    def __init__(self, dialog: RecordDialog, person: Person, dated: list[tuple[str, date]]) -> None:
        self.person = person
        self.dated = dated
        super().__init__(dialog, "birth_year", name="recordsBeforeBirth", style=WARN_STYLE)

    def update(self) -> None:
        """Show the line while some records lie before the typed birth."""
        editors = self.dialog.form.editors
        try:
            typed = dataclasses.replace(
                self.person,
                birth_date=editors["birth_date"].get(),
                birth_year=editors["birth_year"].get(),
                birth_estimated=bool(editors["birth_estimated"].get()),
            )
        except (UnreadableInput, ValidationError):  # (a year half typed: "19")
            typed = None
        estimated = typed is not None and typed.birth_estimated
        text = earlier_records_note(typed, self.dated) if typed and estimated else ""
        self.label.setText(text)
        self.label.setVisible(bool(text))
        if typed is not None and estimated:
            # Saving refused this birth before it was marked as an estimate: it would not now.
            refused = earlier_records_note(
                dataclasses.replace(typed, birth_estimated=False), self.dated
            )
            field = birth_field(typed)
            if refused and self.dialog.form.error_text(field) == refused:
                self.dialog.form.clear_error(field)


class YearInDateNote(LiveNote):
    """The line under the date of birth while it holds a year alone ("1983"): most guides
    know only the year, and the date field is the one Tab reaches first (QA pass)."""

    def __init__(self, dialog: RecordDialog) -> None:
        super().__init__(dialog, "birth_date", name="yearInDate", style=WARN_STYLE)

    def update(self) -> None:
        """Show the line while the typed date is four digits and nothing else."""
        field = self.dialog.form.editors["birth_date"].widget
        typed = field.edit.text().strip() if isinstance(field, DateField) else ""
        text = (
            _("Only the year known? Then please type it under “{field}”.").format(
                field=field_label(Person.KIND, "birth_year")
            )
            if len(typed) == YEAR_DIGITS and typed.isdigit()
            else ""
        )
        self.label.setText(text)
        self.label.setVisible(bool(text))
