"""The Partners page: the directory of organisations that referrals point to."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kisi_desktop.core.domain import Activity, Draft, Partner, Referral
from kisi_desktop.core.i18n import N_, _, ngettext

from kisi_desktop.ui.forms.long_lists import prepare_dialog
from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.office_page import OfficePage, Reopen
from kisi_desktop.ui.tables.record_table import RecordTable
from kisi_desktop.ui.tables.row_model import Column

FORM = "partner_form"
ROW_FIELDS = (
    "name",
    "partner_type",
    "services",
    "languages",
    "contact_person",
    "phone",
    "email",
    "website",
)
FORM_FIELDS = (
    "name",
    "partner_type",
    "services",
    "languages",
    "contact_person",
    "address",
    "phone",
    "email",
    "website",
    "handout_role",
)


@dataclass(frozen=True, slots=True)
class PartnerRow:
    """One line of the partner directory (labels in the UI language)."""

    id: str
    name: str
    type_label: str
    services: str
    languages: str
    contact_person: str
    phone: str
    email: str
    website: str


COLUMNS = [
    Column(N_("Name"), lambda r: r.name, tooltip=lambda r: r.name),
    Column(N_("Type"), lambda r: r.type_label, tooltip=lambda r: r.type_label),
    Column(N_("Services"), lambda r: r.services, tooltip=lambda r: r.services),
    Column(N_("Languages"), lambda r: r.languages, tooltip=lambda r: r.languages),
    Column(N_("Contact person"), lambda r: r.contact_person, tooltip=lambda r: r.contact_person),
    Column(N_("Phone"), lambda r: r.phone, tooltip=lambda r: r.phone),
    Column(N_("E-mail"), lambda r: r.email, tooltip=lambda r: r.email),
    Column(N_("Website"), lambda r: r.website, tooltip=lambda r: r.website),
]


class PartnersPage(OfficePage):
    """See the module docstring."""

    key = "partners"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = QLabel()
        self.table = RecordTable(COLUMNS, name="partners", sort=(0, Qt.SortOrder.AscendingOrder))
        self.table.new_requested.connect(self.new_record)
        self.table.edit_requested.connect(self.edit_record)
        self.table.delete_requested.connect(self.ask_delete)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        header = self.table.view.horizontalHeader()
        for column, width in enumerate((210, 130, 175, 110, 120, 115, 150)):
            header.resizeSection(column, width)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.heading.setText("<h2>" + _("Partners") + "</h2>")
        self.table.retranslate_ui(noun=_("Partners"))
        self.refresh()

    # ------------------------------------------------------------------ data
    def clear(self) -> None:
        """Forget the directory."""
        self.table.clear()

    def reload(self) -> None:
        """Reload the directory from the workspace."""
        if self.workspace is None:
            self.table.clear()
            return
        self.table.set_rows([self._row(r) for r in self.workspace.rows(Partner, ROW_FIELDS)])

    def _row(self, raw: tuple[object, ...]) -> PartnerRow:
        rid, name, kind, services, languages, person, phone, email, website = raw
        return PartnerRow(
            id=str(rid),
            name=str(name or ""),
            type_label=self.code_label("partner_types", str(kind or "")),
            services=", ".join(self.code_label("topics", c) for c in _codes(services)),
            languages=", ".join(self.code_label("languages", c) for c in _codes(languages)),
            contact_person=str(person or ""),
            phone=str(phone or ""),
            email=str(email or ""),
            website=str(website or ""),
        )

    def show_record(self, record_id: str) -> None:
        """Select the partner."""
        self.table.select(record_id)

    # ------------------------------------------------------------------ forms
    def new_record(self, draft: Draft | None = None) -> None:
        """Open the form for a new partner."""
        self.open_dialog(
            Partner,
            FORM_FIELDS,
            form_name=FORM,
            title=lambda: _("New partner"),
            draft=draft,
            on_saved=self._saved,
            prepare=prepare_dialog,  # a language filter and a compact address
        )

    def edit_record(self, record_id: str, draft: Draft | None = None) -> None:
        """Open the form for a partner."""
        self.open_edit(
            Partner,
            record_id,
            FORM_FIELDS,
            form_name=FORM,
            title=lambda: _("Edit partner"),
            draft=draft,
            on_saved=self._saved,
            prepare=prepare_dialog,
        )

    def draft_forms(self) -> Mapping[str, Reopen]:
        """Reopen an unsaved partner form after unlock."""
        return {FORM: lambda d: self.reopen_draft(d, self.new_record, self.edit_record)}

    def _saved(self, record: Partner) -> None:
        self.refresh()
        self.table.select(record.id)
        self.changed.emit(Partner.KIND)
        self.status.emit(_("Saved: {title}").format(title=record.name))

    def ask_delete(self, record_id: str) -> None:
        """Ask, then delete the partner."""
        row = self.table.model.rows()[self.table.model.row_index(record_id)]
        text = _("Delete the partner “{name}”? This cannot be undone.").format(name=row.name)
        used = self.uses(record_id)
        if used:
            text += "\n\n" + ngettext(
                "It is named in {n} referral or activity, which will no longer show its name.",
                "It is named in {n} referrals or activities, which will no longer show its name.",
                used,
            ).format(n=used)
        self.confirm(_("Delete"), text, lambda: self._delete(record_id, row.name))

    def uses(self, record_id: str) -> int:
        """How many referrals and activities name the partner."""
        if self.workspace is None:
            return 0
        referrals = sum(
            1 for _rid, pid in self.workspace.rows(Referral, ["partner_id"]) if pid == record_id
        )
        activities = sum(
            1
            for _rid, ids in self.workspace.rows(Activity, ["partner_ids"])
            if record_id in _codes(ids)
        )
        return referrals + activities

    def _delete(self, record_id: str, name: str) -> None:
        if self.delete_record(Partner.KIND, record_id):
            self.table.remove(record_id)
            self.status.emit(_("Deleted: {title}").format(title=name))


def _codes(raw: object) -> list[str]:
    return [str(c) for c in json.loads(str(raw))] if raw else []
