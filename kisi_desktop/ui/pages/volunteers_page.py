"""The Volunteers page: the list of volunteers and, beside it, the selected one's details.

Details are their deployments, the trainings they attended and the allowance paid this
year against the annual cap (see :mod:`volunteer_detail`). Deployments and trainings are
read as raw rows and filtered by volunteer; domain objects are built only for the selected
volunteer's deployments, which the core's allowance functions take.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QSplitter, QVBoxLayout, QWidget

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Activity, Draft, Training, Volunteer, VolunteerDeployment
from kisi_desktop.core.domain.reference_schema import ReferenceDataError
from kisi_desktop.core.domain.volunteer import allowance_paid_in_year, volunteer_allowance_cap
from kisi_desktop.core.errors import KisiError, RecordNotFound
from kisi_desktop.core.i18n import N_, _, format_date, isolated, ngettext

from kisi_desktop.ui.forms.list_filter import ListFilter
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.allowance_note import AllowanceNote
from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.office_page import OfficePage, Reopen
from kisi_desktop.ui.pages.volunteer_detail import DeploymentRow, TrainingRow, VolunteerDetail
from kisi_desktop.ui.tables.record_table import RecordTable
from kisi_desktop.ui.tables.row_model import Column

R = TypeVar("R", Volunteer, VolunteerDeployment, Training)
VOLUNTEER_FORM = "volunteer_form"
DEPLOYMENT_FORM = "deployment_form"
TRAINING_FORM = "training_form"
VOLUNTEER_FIELDS = (
    "name",
    "phone",
    "email",
    "address",
    "languages",
    "started_on",
    "active",
    "payment_regime",
)
DEPLOYMENT_FIELDS = (
    "volunteer_id",
    "deployed_on",
    "hours",
    "kind",
    "activity_id",
    "km",
    "expenses",
    "allowance_paid",
    "paid_on",
    "note",
)
TRAINING_FIELDS = (
    "held_on",
    "topic",
    "trainer",
    "fee_based",
    "attendee_ids",
    "administration_attendees",
)


@dataclass(frozen=True, slots=True)
class VolunteerRow:
    """One line of the volunteer list (labels in the UI language)."""

    id: str
    name: str
    languages: str
    since: str  # ISO or ""
    active: bool
    regime: str


COLUMNS = [
    Column(N_("Name"), lambda r: r.name, tooltip=lambda r: r.name),
    Column(N_("Languages"), lambda r: r.languages, tooltip=lambda r: r.languages),
    Column(
        N_("Since"),
        lambda r: format_date(date.fromisoformat(r.since)) if r.since else "",
        sort=lambda r: r.since,
    ),
    Column(N_("Active"), lambda r: _("yes") if r.active else _("no"), sort=lambda r: r.active),
    Column(N_("Allowance"), lambda r: r.regime, tooltip=lambda r: r.regime),
]


class VolunteersPage(OfficePage):
    """See the module docstring."""

    key = "volunteers"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.volunteer_id = ""
        self.language_filter: ListFilter | None = None
        self.heading = QLabel()
        self.table = RecordTable(COLUMNS, name="volunteers", sort=(0, Qt.SortOrder.AscendingOrder))
        self.table.new_requested.connect(self.new_volunteer)
        self.table.edit_requested.connect(self.edit_volunteer)
        self.table.delete_requested.connect(self.ask_erase_volunteer)
        self.table.current_changed.connect(self._select)
        header = self.table.view.horizontalHeader()
        for column, width in enumerate((240, 260, 110, 70)):
            header.resizeSection(column, width)
        self.detail = VolunteerDetail()
        self.detail.deployments.new_requested.connect(self.new_deployment)
        self.detail.deployments.edit_requested.connect(self.edit_deployment)
        self.detail.deployments.delete_requested.connect(self.ask_delete_deployment)
        self.detail.trainings.new_requested.connect(self.new_training)
        self.detail.trainings.edit_requested.connect(self.edit_training)
        self.detail.trainings.delete_requested.connect(self.ask_delete_training)
        self.detail.edit_volunteer_button.clicked.connect(
            lambda: self.edit_volunteer(self.volunteer_id)
        )
        # Stacked, not side by side: the list and the deployments both need the full width
        # for their columns and German button texts at 1366x768.
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        # The list gets about half: ten names at 1366x768, not five.
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 320])
        self.splitter = split
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.heading.setText("<h2>" + _("Volunteers") + "</h2>")
        self.table.retranslate_ui(noun=_("Volunteers"))
        self.detail.retranslate_ui()
        self.refresh()

    # ------------------------------------------------------------------ data
    def clear(self) -> None:
        """Forget the list and the details."""
        self.volunteer_id = ""
        self.table.clear()
        self.detail.clear()

    def reload(self) -> None:
        """Reload the list and the selected volunteer's details."""
        if self.workspace is None:
            self.clear()
            return
        fields = ("name", "languages", "started_on", "active", "payment_regime")
        rows = [
            VolunteerRow(
                id=str(rid),
                name=str(name or ""),
                languages=", ".join(
                    self.code_label("languages", c) for c in json.loads(langs or "[]")
                ),
                since=str(since or ""),
                active=bool(active),
                regime=self.code_label("payment_regimes", regime),
            )
            for rid, name, langs, since, active, regime in self.workspace.rows(Volunteer, fields)
        ]
        self.table.set_rows(rows)
        self._select(self.table.current_id())

    def _select(self, volunteer_id: str) -> None:
        self.volunteer_id = volunteer_id
        ws = self.workspace
        if ws is None or not volunteer_id:
            self.detail.clear()
            return
        try:
            volunteer = ws.get(Volunteer, volunteer_id)
        except RecordNotFound:
            self.detail.clear()
            return
        year = today(ws.clock).year
        ids = [
            rid
            for rid, vid in ws.rows(VolunteerDeployment, ["volunteer_id"])
            if vid == volunteer_id
        ]
        deployments = [ws.get(VolunteerDeployment, rid) for rid in ids]
        try:
            cap = volunteer_allowance_cap(volunteer, year, ws.ref)
        except ReferenceDataError:  # no cap known for this year yet
            cap = None
        paid = allowance_paid_in_year(deployments, volunteer_id, year)
        trainings = [
            TrainingRow(id=str(rid), held_on=str(held), topic=str(topic), trainer=str(trainer))
            for rid, held, topic, trainer, attendees in ws.rows(
                Training, ["held_on", "topic", "trainer", "attendee_ids"]
            )
            if volunteer_id in json.loads(attendees or "[]")
        ]
        trainings.sort(key=lambda t: t.held_on, reverse=True)
        self.detail.show_volunteer(
            volunteer,
            year,
            paid,
            cap,
            [self._deployment_row(d) for d in deployments],
            trainings,
        )

    def _deployment_row(self, d: VolunteerDeployment) -> DeploymentRow:
        return DeploymentRow(
            id=d.id,
            deployed_on=d.deployed_on.isoformat(),
            hours=d.hours,
            kind_label=self.code_label("deployment_kinds", d.kind),
            km=d.km,
            expenses=d.expenses,
            allowance_paid=d.allowance_paid,
            paid_on=d.paid_on.isoformat() if d.paid_on else "",
        )

    def show_record(self, record_id: str) -> None:
        """Show a volunteer, or the volunteer of a deployment, or a training's first attendee."""
        ws = self.workspace
        if ws is None or self.table.select(record_id):
            return
        for cls in (VolunteerDeployment, Training):
            try:
                record = ws.get(cls, record_id)
            except RecordNotFound:
                continue
            if isinstance(record, VolunteerDeployment):
                self.table.select(record.volunteer_id)
                self.detail.deployments.select(record_id)
            elif isinstance(record, Training) and record.attendee_ids:
                self.table.select(record.attendee_ids[0])
            return

    # ------------------------------------------------------------------ choices
    def _choices(self, field: str) -> list[tuple[str, str]]:
        if field in ("volunteer_id", "attendee_ids"):
            return self.names(Volunteer)
        if field == "activity_id" and self.workspace is not None:
            rows = self.workspace.rows(Activity, ["starts_on", "title"])
            rows.sort(key=lambda r: r[1] or "", reverse=True)
            return [
                (rid, f"{format_date(date.fromisoformat(day))} – {title}")
                for rid, day, title in rows
                if day
            ]
        return []

    def _prepare_volunteer(self, dialog: RecordDialog) -> None:
        editor = dialog.form.editors.get("languages")
        if editor is not None and isinstance(editor.widget, QListWidget):
            self.language_filter = ListFilter(editor.widget, _("Languages"))

    # ------------------------------------------------------------------ volunteer forms
    def new_volunteer(self, draft: Draft | None = None) -> None:
        """Open the form for a new volunteer."""
        self.open_dialog(
            Volunteer,
            VOLUNTEER_FIELDS,
            form_name=VOLUNTEER_FORM,
            title=lambda: _("New volunteer"),
            fixed={"started_on": today(self.workspace.clock)} if self.workspace else None,
            draft=draft,
            on_saved=self._volunteer_saved,
            prepare=self._prepare_volunteer,
        )

    def edit_volunteer(self, record_id: str, draft: Draft | None = None) -> None:
        """Open the form for a volunteer."""
        record = self._get(Volunteer, record_id)
        if record is not None:
            self.open_dialog(
                Volunteer,
                VOLUNTEER_FIELDS,
                form_name=VOLUNTEER_FORM,
                title=lambda: _("Edit volunteer"),
                record=record,
                draft=draft,
                on_saved=self._volunteer_saved,
                prepare=self._prepare_volunteer,
            )

    def _volunteer_saved(self, record: Volunteer) -> None:
        self.refresh()
        self.table.select(record.id)
        self.changed.emit(Volunteer.KIND)
        self.status.emit(_("Saved: {title}").format(title=record.name))

    def ask_erase_volunteer(self, record_id: str) -> None:
        """Ask, then erase a volunteer (Art. 17); one with deployments keeps the name with
        them, and only the contact details are offered for removal."""
        volunteer = self._get(Volunteer, record_id)
        if volunteer is None or self.workspace is None:
            return
        name = isolated(volunteer.name)
        deployments = self.workspace.volunteer_deployments(record_id)
        if deployments:
            text = ngettext(
                "{name} has {n} deployment, which stays as evidence of what was paid. Remove "
                "their contact details (phone, e-mail, address) and mark them not active? "
                "The name stays with the deployment. This cannot be undone.",
                "{name} has {n} deployments, which stay as evidence of what was paid. Remove "
                "their contact details (phone, e-mail, address) and mark them not active? "
                "The name stays with the deployments. This cannot be undone.",
                deployments,
            ).format(name=name, n=deployments)
            self.confirm(
                _("Remove contact details"),
                text,
                lambda: self._erase_volunteer(volunteer, contact_only=True),
                yes_text=_("&Remove contact details"),
            )
            return
        self.confirm(
            _("Delete"),
            _(
                "Delete the volunteer {name} with their contact details? They are also "
                "taken off the trainings they attended, so reports made from now on no "
                "longer count them there. This cannot be undone."
            ).format(name=name),
            lambda: self._erase_volunteer(volunteer, contact_only=False),
        )

    def _erase_volunteer(self, volunteer: Volunteer, *, contact_only: bool) -> None:
        if self.workspace is None:
            return
        try:
            if contact_only:
                self.workspace.remove_volunteer_contact(volunteer.id)
            else:
                self.workspace.erase_volunteer(volunteer.id)
        except KisiError as error:  # a deployment added meanwhile, a full disk
            self.status.emit(str(error))
            return
        self.refresh()
        self.changed.emit(Volunteer.KIND)
        done = (
            _("The contact details of {name} were removed.")
            if contact_only
            else _("{name} was erased.")
        )
        still = self.workspace.erased_still_in_file()
        self.status.emit(" ".join(filter(None, [done.format(name=volunteer.name), still])))

    # ------------------------------------------------------------------ deployment forms
    def new_deployment(self, draft: Draft | None = None) -> None:
        """Open the form for a deployment of the selected volunteer."""
        if not self.volunteer_id and draft is None:
            return
        self.open_dialog(
            VolunteerDeployment,
            DEPLOYMENT_FIELDS,
            form_name=DEPLOYMENT_FORM,
            title=lambda: _("New deployment"),
            fixed={"volunteer_id": self.volunteer_id},
            draft=draft,
            choices=self._choices,
            on_saved=self._deployment_saved,
            prepare=self._prepare_deployment,
        )

    def edit_deployment(self, record_id: str, draft: Draft | None = None) -> None:
        """Open the form for a deployment."""
        record = self._get(VolunteerDeployment, record_id)
        if record is not None:
            self.open_dialog(
                VolunteerDeployment,
                DEPLOYMENT_FIELDS,
                form_name=DEPLOYMENT_FORM,
                title=lambda: _("Edit deployment"),
                record=record,
                draft=draft,
                choices=self._choices,
                on_saved=self._deployment_saved,
                prepare=self._prepare_deployment,
            )

    def _prepare_deployment(self, dialog: RecordDialog) -> None:
        """The volunteer fixed, and the allowance shown against the cap while typed."""
        editor = dialog.form.editors.get("volunteer_id")
        if editor is not None:
            editor.widget.setEnabled(False)  # shown (and drafted), not editable
        if self.workspace is not None:
            dialog.allowance_note = AllowanceNote(dialog, self.workspace)  # type: ignore[attr-defined]

    def _deployment_saved(self, record: VolunteerDeployment) -> None:
        self.table.select(record.volunteer_id)
        self._select(record.volunteer_id)
        self.detail.deployments.select(record.id)
        self.changed.emit(VolunteerDeployment.KIND)
        self.status.emit(_("Deployment saved."))

    def ask_delete_deployment(self, record_id: str) -> None:
        """Ask, then delete a deployment."""
        self.confirm(
            _("Delete"),
            _("Delete this deployment? This cannot be undone."),
            lambda: self._delete_deployment(record_id),
        )

    def _delete_deployment(self, record_id: str) -> None:
        if self.delete_record(VolunteerDeployment.KIND, record_id):
            self._select(self.volunteer_id)
            self.status.emit(_("Deployment deleted."))

    # ------------------------------------------------------------------ training forms
    def new_training(self, draft: Draft | None = None) -> None:
        """Open the form for a training (the selected volunteer is ticked as attending)."""
        fixed = {"attendee_ids": (self.volunteer_id,)} if self.volunteer_id else {}
        self.open_dialog(
            Training,
            TRAINING_FIELDS,
            form_name=TRAINING_FORM,
            title=lambda: _("New training"),
            fixed=fixed,
            draft=draft,
            choices=self._choices,
            on_saved=self._training_saved,
        )

    def edit_training(self, record_id: str, draft: Draft | None = None) -> None:
        """Open the form for a training."""
        record = self._get(Training, record_id)
        if record is not None:
            self.open_dialog(
                Training,
                TRAINING_FIELDS,
                form_name=TRAINING_FORM,
                title=lambda: _("Edit training"),
                record=record,
                draft=draft,
                choices=self._choices,
                on_saved=self._training_saved,
            )

    def _training_saved(self, record: Training) -> None:
        self._select(self.volunteer_id)
        self.changed.emit(Training.KIND)
        self.status.emit(_("Saved: {title}").format(title=record.topic))

    def ask_delete_training(self, record_id: str) -> None:
        """Ask, then delete a training: for every volunteer who attended it."""
        training = self._get(Training, record_id)
        if training is None:
            return
        attendees = len(training.attendee_ids)
        self.confirm(
            _("Delete"),
            ngettext(
                "Delete the training “{topic}” of {day}? It is removed for its {n} attendee "
                "too. This cannot be undone.",
                "Delete the training “{topic}” of {day}? It is removed for all {n} "
                "attendees. This cannot be undone.",
                attendees,
            ).format(
                topic=isolated(training.topic), day=format_date(training.held_on), n=attendees
            ),
            lambda: self._delete_training(record_id),
        )

    def _delete_training(self, record_id: str) -> None:
        if self.delete_record(Training.KIND, record_id):
            self._select(self.volunteer_id)
            self.status.emit(_("Training deleted."))

    # ------------------------------------------------------------------ drafts
    def draft_forms(self) -> Mapping[str, Reopen]:
        """Reopen unsaved volunteer, deployment and training forms after unlock."""
        return {
            VOLUNTEER_FORM: lambda d: self.reopen_draft(d, self.new_volunteer, self.edit_volunteer),
            DEPLOYMENT_FORM: lambda d: self.reopen_draft(
                d, self.new_deployment, self.edit_deployment
            ),
            TRAINING_FORM: lambda d: self.reopen_draft(d, self.new_training, self.edit_training),
        }

    def _get(self, cls: type[R], record_id: str) -> R | None:
        if self.workspace is None or not record_id:
            return None
        try:
            return self.workspace.get(cls, record_id)
        except RecordNotFound:
            self.refresh()
            return None
