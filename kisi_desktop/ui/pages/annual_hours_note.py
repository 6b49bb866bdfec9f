"""The line under "Hours" in a time sheet form: a warning once the team member's hours in
the month's calendar year, with the ones typed, pass 1,720 x their full-time share.

Art. 55(2) Reg. (EU) 2021/1060 lets no more hours a year be claimed than the hourly rate
was worked out from (``core/annual_hours.py``). A warning, not a refusal: overtime may be
real, or the share on the Team page the slip. The Budget page says the same sentence once
the sheet is saved (``reports/budget_sheets.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kisi_desktop.core.annual_hours import annual_hours_ceiling, hours_in_year
from kisi_desktop.core.domain import Guide, TimeSheet
from kisi_desktop.core.domain.fields import Month
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.reference_schema import ReferenceDataError
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import ui_language
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.reports.budget_sheets import YearOverCeiling
from kisi_desktop.reports.budget_tables import over_year_sentence

from kisi_desktop.ui.forms.live_note import LiveNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.volunteer_detail import OVER_STYLE


class AnnualHoursNote(LiveNote):
    """Keeps the note under ``hours`` of one time sheet dialog up to date."""

    def __init__(
        self,
        dialog: RecordDialog,
        guides: Sequence[Guide],
        sheets: Sequence[TimeSheet],
        ref: ReferenceData,
    ) -> None:
        self.guides = {g.id: g for g in guides}
        self.sheets = sheets
        self.ref = ref
        super().__init__(dialog, "hours", name="overAnnualHours", style=OVER_STYLE)

    def update(self) -> None:
        """Show the note while the typed hours take the member's year over the ceiling."""
        over = self.year_over()
        if over is not None:
            self.label.setText(over_year_sentence(over, ui_language()))
        self.label.setVisible(over is not None)

    def year_over(self) -> YearOverCeiling | None:
        """The member's year with the typed sheet in place of the one edited, if over."""
        form = self.dialog.form
        try:
            guide = self.guides.get(str(form.editors["guide_id"].get()))
            month = Month().check(form.editors["month"].get(), "month")
            hours = form.editors["hours"].get()
        except (UnreadableInput, ValidationError):
            return None
        if guide is None or not isinstance(hours, Decimal):
            return None
        year = int(month[:4])
        editing = form.record.id if form.record is not None else None
        # The other months of that year; a month typed twice is refused on saving.
        others = [s for s in self.sheets if s.id != editing and s.month != month]
        typed = TimeSheet(guide_id=guide.id, month=month, hours=hours)
        try:
            ceiling = annual_hours_ceiling(guide, year, self.ref)
        except ReferenceDataError:
            return None
        total = hours_in_year([*others, typed], guide.id, year)
        if total <= ceiling:
            return None
        return YearOverCeiling(guide.id, guide.name, year, total, ceiling, typed)
