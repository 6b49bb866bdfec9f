"""The Time sheets page: the hours each guide worked on KISI, month by month.

A staff line planned as an hourly rate counts these hours at the guide's annual gross cost
÷ 1,720 (Art. 55 Reg. (EU) 2021/1060; the Budget page). The municipality keeps the signed
time sheets; the guide enters the monthly sums here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Guide, Record, TimeSheet
from kisi_desktop.core.domain.fields import Month
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import N_, _, format_date, format_number
from kisi_desktop.core.team import check_time_sheet
from kisi_desktop.core.text_sort import sort_text
from kisi_desktop.core.typed_input import UnreadableInput
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.field_widgets import LineEditor
from kisi_desktop.ui.forms.live_note import LiveNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.annual_hours_note import AnnualHoursNote
from kisi_desktop.ui.pages.project_period_note import ProjectPeriodNote
from kisi_desktop.ui.pages.record_list_page import RecordListPage
from kisi_desktop.ui.pages.volunteer_detail import WARN_STYLE
from kisi_desktop.ui.tables.row_model import Column

FIELDS = ("guide_id", "month", "hours", "note")


@dataclass(frozen=True, slots=True)
class TimeSheetRow:
    """One line of the list."""

    id: str
    month: str
    guide: str
    hours: Decimal
    note: str


def shown_month(month: str) -> str:
    """``2026-10`` as the UI language names it ("Oktober 2026"): the list showed the stored
    ISO form in German (QA 26b). Sorted by the stored form, which sorts by time."""
    return format_date(date.fromisoformat(f"{month}-01"), fmt="LLLL yyyy")


COLUMNS = [
    Column(N_("Month"), lambda r: shown_month(r.month), sort=lambda r: r.month),
    Column(N_("Team member"), lambda r: r.guide, tooltip=lambda r: r.guide),
    Column(N_("Hours"), lambda r: format_number(r.hours), sort=lambda r: r.hours, numeric=True),
    Column(N_("Note"), lambda r: r.note, tooltip=lambda r: r.note),
]


class TimeSheetsPage(RecordListPage):
    """See the module docstring."""

    key = "time_sheets"
    RECORD = TimeSheet
    FIELDS = FIELDS
    FORM = "time_sheet_form"
    COLUMNS = COLUMNS
    WIDTHS = (130, 220, 90, 300)
    SORT_COLUMN = 0  # month
    NOUN = N_("Time sheets")
    NEW_TITLE = N_("New time sheet")
    EDIT_TITLE = N_("Edit time sheet")
    DELETE_QUESTION = N_("Delete the time sheet {label}? This cannot be undone.")

    def rows(self, workspace: Workspace) -> list[TimeSheetRow]:
        """Every month entered, with the team member's name."""
        names = {g.id: g.name for g in workspace.list(Guide)}
        return [
            TimeSheetRow(
                id=s.id,
                month=s.month,
                # (a sheet left from before deleting was refused: the budget names it)
                guide=names.get(s.guide_id) or _("(no longer on the team)"),
                hours=s.hours,
                note=s.note,
            )
            for s in workspace.list(TimeSheet)
        ]

    def row_label(self, row: TimeSheetRow) -> str:
        """Month and name."""
        return f"{shown_month(row.month)} {row.guide}"

    def choices(self, field: str) -> Sequence[tuple[str, str]]:
        """The team members, by name."""
        if field != "guide_id" or self.workspace is None:
            return super().choices(field)
        return sorted(((g.id, g.name) for g in self.workspace.list(Guide)),
                      key=lambda c: sort_text(c[1]))  # fmt: skip

    def new_values(self) -> Mapping[str, Any]:
        """Last month (time sheets are summed up after the month), for the only guide."""
        if self.workspace is None:
            return {}
        first = today(self.workspace.clock).replace(day=1)
        last = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
        guides = self.choices("guide_id")
        values: dict[str, Any] = {"month": f"{last.month:02d}/{last.year}"}
        if len(guides) == 1:
            values["guide_id"] = guides[0][0]
        return values

    def check(self, workspace: Workspace, record: Record) -> None:
        """A second sheet for the member's month would count twice in the budget; a
        sheet of nobody in the team, not at all (core/team.py, as on the command line)."""
        if isinstance(record, TimeSheet):
            check_time_sheet(record, workspace.list(Guide), workspace.list(TimeSheet))

    def prepare(self, dialog: RecordDialog) -> None:
        """The month's shape in the field, and under it whether the budget counts it; under
        the hours, whether the member's year passes 1,720 x their share; with no team
        member recorded, where to add one."""
        editor = dialog.form.editors.get("month")
        if isinstance(editor, LineEditor):
            editor.edit.setPlaceholderText(_("MM/YYYY, e.g. 03/2026"))
        dialog.period_note = ProjectPeriodNote(dialog, "month")  # type: ignore[attr-defined]
        if self.workspace is not None:
            guides = self.workspace.list(Guide)
            dialog.team_note = TeamPeriodNote(dialog, guides)  # type: ignore[attr-defined]
            dialog.hours_note = AnnualHoursNote(  # type: ignore[attr-defined]
                dialog, guides, self.workspace.list(TimeSheet), self.workspace.ref
            )
        if not self.choices("guide_id"):
            note = dialog.form.add_note("guide_id")
            note.setObjectName("teamHint")
            note.setText(_("No team member is recorded yet: add one on the Team page first."))
            note.show()


class TeamPeriodNote(LiveNote):
    """Under the month, while it lies wholly before the member joined the team or after
    they left (Team page): such a sheet was saved without a word and priced at their pay,
    though a typo in the month or a start day left at the day of entry is the likelier
    story (QA pass). A warning, not a refusal: the dates on the Team page may be the slip.
    """

    def __init__(self, dialog: RecordDialog, guides: Sequence[Guide]) -> None:
        self.guides = {g.id: g for g in guides}
        super().__init__(dialog, "month", name="outsideTeamPeriod", style=WARN_STYLE)

    def update(self) -> None:
        """Show the note for the member and month typed now; hide it otherwise."""
        editors = self.dialog.form.editors
        try:
            guide = self.guides.get(str(editors["guide_id"].get()))
            first = date.fromisoformat(Month().check(editors["month"].get(), "month") + "-01")
        except (UnreadableInput, ValidationError):
            guide = None
        if guide is None:
            self.label.hide()
            return
        last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
        if last < guide.started_on:
            text = _("{name} is on the team from {day} (Team page): check the month.")
            day = guide.started_on
        elif guide.ended_on is not None and first > guide.ended_on:
            text = _("{name} left the team on {day} (Team page): check the month.")
            day = guide.ended_on
        else:
            self.label.hide()
            return
        self.label.setText(text.format(name=guide.name, day=format_date(day)))
        self.label.show()
