"""Activities and events share one page class: the same list and form, split by ``is_event``.

An event is an activity with attendance (DOMAIN.md 6.1, ``Activity.is_event``); the
Activities page lists the others. Each page creates only its own kind (``is_event`` is
fixed in the form) and shows the other kind's records by handing them to the other page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from kisi_desktop.core.consent_check import proof_consents, without_proof_consent
from kisi_desktop.core.domain import Activity, Draft, Partner, Person
from kisi_desktop.core.domain.activity import attendance_of_row
from kisi_desktop.core.errors import RecordNotFound
from kisi_desktop.core.i18n import N_, _, format_date, format_number, isolated, ngettext
from kisi_desktop.core.typed_input import UnreadableInput
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.field_widgets import CountsEditor
from kisi_desktop.ui.forms.list_filter import ListFilter
from kisi_desktop.ui.forms.live_note import LiveNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.office_page import OfficePage, Reopen, show_where_municipalities_are
from kisi_desktop.ui.pages.project_period_note import ProjectPeriodNote
from kisi_desktop.ui.tables.record_table import RecordTable
from kisi_desktop.ui.tables.row_model import Column

ROW_FIELDS = (
    "activity_type",
    "title",
    "starts_on",
    "ends_on",
    "target_groups",
    "is_event",
    "attendance_total",
    "counts_by_target_group",
    "participant_ids",
)
ACTIVITY_FIELDS = (
    "activity_type",
    "title",
    "starts_on",
    "ends_on",
    "municipality_ags",
    "target_groups",
    "partner_ids",
    "amif_support",
    "note",
)
EVENT_FIELDS = (
    "activity_type",
    "title",
    "starts_on",
    "ends_on",
    "municipality_ags",
    "target_groups",
    "attendance_total",
    "counts_by_target_group",
    "counts_by_gender",
    "participant_ids",
    "partner_ids",
    "amif_support",
    "note",
)


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """One line of the activities or events list (labels already in the UI language)."""

    id: str
    starts_on: str  # ISO
    ends_on: str  # ISO or ""
    type_label: str
    title: str
    groups: str
    attendance: int | None


def _when(row: ActivityRow) -> str:
    start = format_date(date.fromisoformat(row.starts_on)) if row.starts_on else ""
    if row.ends_on and row.ends_on != row.starts_on:
        return f"{start} – {format_date(date.fromisoformat(row.ends_on))}"
    return start


def _attendance(row: ActivityRow) -> str:
    return "" if row.attendance is None else format_number(row.attendance)


BASE_COLUMNS = [
    Column(N_("Date"), _when, sort=lambda r: r.starts_on),
    Column(N_("Type"), lambda r: r.type_label, tooltip=lambda r: r.type_label),
    Column(N_("Title"), lambda r: r.title, tooltip=lambda r: r.title),
    Column(N_("Target groups"), lambda r: r.groups, tooltip=lambda r: r.groups),
]
ATTENDANCE_COLUMN = Column(
    N_("Attendance"), _attendance, sort=lambda r: r.attendance or 0, numeric=True
)


class ActivityListPage(OfficePage):
    """Activities (``is_event`` False) or events (True); subclasses set the texts."""

    is_event = False
    other_key = "events"
    form_name = "activity_form"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.participant_filter: ListFilter | None = None
        columns = [*BASE_COLUMNS, ATTENDANCE_COLUMN] if self.is_event else list(BASE_COLUMNS)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.table = RecordTable(columns, name=self.key)
        self.table.new_requested.connect(self.new_record)
        self.table.edit_requested.connect(self.edit_record)
        self.table.delete_requested.connect(self.ask_delete)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        header = self.table.view.horizontalHeader()
        # At 1366x768 the table is about 1,110 pixels wide: these leave the last column
        # (the events' attendance) room for its German heading, with no scroll bar.
        for column, width in enumerate((120, 290, 310, 230)):
            header.resizeSection(column, width)
        self.retranslate_ui()

    # ------------------------------------------------------------------ texts
    def noun(self) -> str:
        """The records of this page, for accessible names."""
        return _("Events") if self.is_event else _("Activities")

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.heading.setText(f"<h2>{self.noun()}</h2>")
        self.table.retranslate_ui(noun=self.noun())
        self.refresh()

    # ------------------------------------------------------------------ data
    def clear(self) -> None:
        """Forget the list."""
        self.table.clear()

    def reload(self) -> None:
        """Reload the list from the workspace."""
        if self.workspace is None:
            self.table.clear()
            return
        rows = self.workspace.rows(Activity, ROW_FIELDS)
        self.table.set_rows(
            [self._row(r) for r in rows if bool(r[6]) == self.is_event and r[3] is not None]
        )

    def _row(self, raw: tuple[object, ...]) -> ActivityRow:
        rid, kind, title, starts_on, ends_on, groups, is_event, total, heads, named = raw
        codes = json.loads(str(groups)) if groups else []
        return ActivityRow(
            id=str(rid),
            starts_on=str(starts_on),
            ends_on=str(ends_on or ""),
            type_label=self.code_label("activity_types", str(kind or "")),
            title=str(title or ""),
            groups=", ".join(self.code_label("target_groups", c) for c in codes),
            # As the Overview and the reports count it; an activity has none.
            attendance=attendance_of_row(total, heads, named) if is_event else None,
        )

    def show_record(self, record_id: str) -> None:
        """Select the record; an activity of the other kind is shown on the other page."""
        if self.workspace is None or self.table.select(record_id):
            return
        try:
            record = self.workspace.get(Activity, record_id)
        except RecordNotFound:
            return
        if record.is_event != self.is_event:
            self.context.navigate(self.other_key, record_id)

    # ------------------------------------------------------------------ forms
    def _choices(self, field: str) -> list[tuple[str, str]]:
        if field == "partner_ids":
            return self.names(Partner)
        if field == "participant_ids":
            return self.names(Person)
        if field == "municipality_ags":
            return self.municipality_choices()
        return []

    def _fields(self) -> tuple[str, ...]:
        return EVENT_FIELDS if self.is_event else ACTIVITY_FIELDS

    def _dialog_title(self, new: bool) -> str:
        if self.is_event:
            return _("New event") if new else _("Edit event")
        return _("New activity") if new else _("Edit activity")

    def new_record(self, draft: Draft | None = None) -> None:
        """Open the form for a new record of this page's kind."""
        self.open_dialog(
            Activity,
            self._fields(),
            form_name=self.form_name,
            title=lambda: self._dialog_title(True),
            fixed={"is_event": self.is_event, "municipality_ags": self.sole_ags()},
            draft=draft,
            choices=self._choices,
            on_saved=self._saved,
            prepare=self._prepare,
        )

    def edit_record(self, record_id: str, draft: Draft | None = None) -> None:
        """Open the form for an existing record."""
        if self.workspace is None:
            return
        try:
            record = self.workspace.get(Activity, record_id)
        except RecordNotFound:
            self.refresh()
            return
        self.open_dialog(
            Activity,
            self._fields(),
            form_name=self.form_name,
            title=lambda: self._dialog_title(False),
            record=record,
            fixed={"is_event": self.is_event},
            draft=draft,
            choices=self._choices,
            on_saved=self._saved,
            prepare=self._prepare,
        )

    def _prepare(self, dialog: RecordDialog) -> None:
        if not self.municipality_choices():
            show_where_municipalities_are(dialog)
        dialog.period_note = ProjectPeriodNote(dialog, "starts_on", reports=True)  # type: ignore[attr-defined]
        counts = dialog.form.editors.get("counts_by_target_group")
        groups = dialog.form.editors.get("target_groups")
        if isinstance(counts, CountsEditor) and groups is not None:
            # A group with people counted is one the event reached: ticked (never unticked).
            def tick() -> None:
                counted = {code for code, n in counts.get() if n}
                chosen = set(groups.get())
                if not counted <= chosen:
                    groups.set(tuple(sorted(chosen | counted)))

            for spin in counts.spins.values():
                spin.valueChanged.connect(lambda _v: tick())
        editor = dialog.form.editors.get("participant_ids")
        if editor is not None and isinstance(editor.widget, QListWidget):
            self.participant_filter = ListFilter(editor.widget, _("Named participants"))
            if self.workspace is not None:
                note = ProofConsentNote(dialog, self.workspace)
                dialog.proof_note = note  # type: ignore[attr-defined]

    def draft_forms(self) -> Mapping[str, Reopen]:
        """Reopen an unsaved activity form after unlock."""
        return {self.form_name: lambda d: self.reopen_draft(d, self.new_record, self.edit_record)}

    def _saved(self, record: Activity) -> None:
        self.refresh()
        self.table.select(record.id)
        self.changed.emit(Activity.KIND)
        self.status.emit(_("Saved: {title}").format(title=record.title))

    def ask_delete(self, record_id: str) -> None:
        """Ask, then delete the record."""
        row = self.table.model.rows()[self.table.model.row_index(record_id)]
        text = (
            _("Delete the event “{title}”? This cannot be undone.")
            if self.is_event
            else _("Delete the activity “{title}”? This cannot be undone.")
        ).format(title=row.title)
        self.confirm(_("Delete"), text, lambda: self._delete(record_id, row.title))

    def _delete(self, record_id: str, title: str) -> None:
        if self.delete_record(Activity.KIND, record_id):
            self.table.remove(record_id)
            self.status.emit(_("Deleted: {title}").format(title=title))


class ProofConsentNote(LiveNote):
    """The line under an event's named participants that says who has no consent to the
    participation proof on the event's day (counted, but not to be named in a proof)."""

    def __init__(self, dialog: RecordDialog, workspace: Workspace) -> None:
        self.workspace = workspace
        self.names = dict(workspace.rows(Person, ["name"]))
        self.consents = proof_consents(workspace)
        super().__init__(
            dialog, "participant_ids", name="proofConsentNote", style="color: #8a4b00;"
        )

    def update(self) -> None:
        """Name those without the consent among the ticked participants."""
        form = self.dialog.form
        try:
            ids = form.editors["participant_ids"].get()
            day = form.editors["starts_on"].get()
        except UnreadableInput:
            ids, day = (), None
        missing = without_proof_consent(self.consents, ids, day) if ids and day else []
        self.label.setVisible(bool(missing))
        if missing:
            # Each name isolated (UAX #9): two Dari names beside each other would otherwise
            # swap places, and the German colon jump to the other side.
            names = ", ".join(isolated(str(self.names.get(pid) or "?")) for pid in missing[:5])
            more = len(missing) - 5
            self.label.setText(
                ngettext(
                    "Without consent to the participation proof: {names}",
                    "Without consent to the participation proof ({n}): {names}",
                    len(missing),
                ).format(n=len(missing), names=names + (f" … (+{more})" if more > 0 else ""))
            )
