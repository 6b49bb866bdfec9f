"""The line under the date of an expense or a trip, or under a time sheet's month, when it
lies outside the project (1 October 2025 – 30 September 2028).

Such a record is kept, but the budget does not count it: an expense or a later trip goes
into the costs "outside the three project years", a trip before the project has no km rate
at all (the rates begin with the project), a time sheet's hours price no month. The form
said nothing, and a trip before 1 October showed "Tagegeld for one day: 14,00 €" and was
then listed with empty amounts (QA pass). A warning, never a refusal: a receipt may well
be dated a day early, and the guide decides.

Activities, events and publications are counted by the reports, never by the budget: a
mistyped year (01.01.2020) was saved without a word and then appeared in no report
(QA pass); their note says the reports leave it out.
"""

from __future__ import annotations

from datetime import date

from kisi_desktop.core.domain.fields import Month
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _, format_date
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START

from kisi_desktop.ui.forms.live_note import LiveNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.volunteer_detail import WARN_STYLE


class ProjectPeriodNote(LiveNote):
    """Keeps the note under ``field`` (a day, or a month typed as text) of one dialog."""

    def __init__(self, dialog: RecordDialog, field: str, *, reports: bool = False) -> None:
        self.field = field
        self.reports = reports
        super().__init__(dialog, field, name="outsideProject", style=WARN_STYLE)

    def day(self) -> date | None:
        """The typed day (a month's first day); None while unreadable or empty."""
        try:
            value = self.dialog.form.editors[self.field].get()
        except UnreadableInput:
            return None
        if isinstance(value, str):
            try:
                year, month = Month().check(value, self.field).split("-")
            except ValidationError:
                return None
            return date(int(year), int(month), 1)
        return value if isinstance(value, date) else None

    def update(self) -> None:
        """Show the note while the typed day lies outside the project."""
        day = self.day()
        if day is None or PROJECT_START <= day <= PROJECT_END:
            self.label.hide()
            return
        if self.reports:
            text = _("Outside the project period ({start} – {end}): not counted in the reports.")
        else:
            text = _("Outside the project period ({start} – {end}): not counted in the budget.")
        self.label.setText(
            text.format(start=format_date(PROJECT_START), end=format_date(PROJECT_END))
        )
        self.label.show()
