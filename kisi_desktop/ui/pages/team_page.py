"""The Team page: the Integrationsguides of the project and the municipalities they serve.

A guide's name, phone and e-mail head the handouts printed for their municipality, and the
report to the ministry names the team with its full-time equivalents; the gross cost per
year prices the hours in the budget's staff line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from kisi_desktop.core.domain import Guide, Municipality, TimeSheet
from kisi_desktop.core.domain.municipality import EarlierPay
from kisi_desktop.core.errors import RecordNotFound, StillNeeded
from kisi_desktop.core.i18n import N_, _, format_date, format_money, format_number
from kisi_desktop.core.team import refuse_if_time_sheets
from kisi_desktop.core.typed_input import UnreadableInput
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.office_page import show_where_municipalities_are
from kisi_desktop.ui.pages.record_list_page import RecordListPage
from kisi_desktop.ui.pages.volunteer_detail import WARN_STYLE
from kisi_desktop.ui.tables.row_model import Column

FIELDS = (
    "name",
    "role",
    "fte",
    "started_on",
    "ended_on",
    "municipality_ags",
    "phone",
    "email",
    "annual_gross_cost",
    "pay_since",
)


@dataclass(frozen=True, slots=True)
class GuideRow:
    """One line of the team list."""

    id: str
    name: str
    role: str
    fte: Decimal
    started_on: date
    ended_on: date | None
    municipalities: str
    phone: str
    email: str


COLUMNS = [
    Column(N_("Name"), lambda r: r.name, tooltip=lambda r: r.name),
    Column(N_("Role"), lambda r: r.role, tooltip=lambda r: r.role),
    Column(
        N_("Full-time share"),
        lambda r: format_number(r.fte),
        sort=lambda r: r.fte,
        numeric=True,
    ),
    Column(N_("Since"), lambda r: format_date(r.started_on), sort=lambda r: r.started_on),
    Column(
        N_("Until"),
        lambda r: format_date(r.ended_on) if r.ended_on else "",
        sort=lambda r: r.ended_on or date.max,
    ),
    Column(N_("Municipalities"), lambda r: r.municipalities, tooltip=lambda r: r.municipalities),
    Column(N_("Phone"), lambda r: r.phone),
    Column(N_("E-mail"), lambda r: r.email),
]


class TeamPage(RecordListPage):
    """See the module docstring."""

    key = "team"
    RECORD = Guide
    FIELDS = FIELDS
    FORM = "guide_form"
    COLUMNS = COLUMNS
    WIDTHS = (200, 160, 120, 100, 100, 150, 130)
    SORT_COLUMN = 3  # since
    NOUN = N_("Team")
    NEW_TITLE = N_("New team member")
    EDIT_TITLE = N_("Edit team member")
    DELETE_QUESTION = N_(
        "Remove {label} from the team? Handouts and reports no longer name them. This cannot "
        "be undone."
    )

    def rows(self, workspace: Workspace) -> list[GuideRow]:
        """Every guide, with the AGS of their municipalities as the profile names them."""
        names = {ags: name for _rid, name, ags in workspace.rows(Municipality, ["name", "ags"])}
        return [
            GuideRow(
                id=g.id,
                name=g.name,
                role=g.role,
                fte=g.fte,
                started_on=g.started_on,
                ended_on=g.ended_on,
                municipalities=", ".join(names.get(a, a) for a in g.municipality_ags),
                phone=g.phone,
                email=g.email,
            )
            for g in workspace.list(Guide)
        ]

    def row_label(self, row: GuideRow) -> str:
        """The name."""
        return row.name

    def choices(self, field: str) -> Sequence[tuple[str, str]]:
        """The municipalities with a profile in this vault, by name."""
        if field != "municipality_ags":
            return super().choices(field)
        return self.municipality_choices()

    def new_values(self) -> Mapping[str, Any]:
        """A new guide works full time, for the municipality if the vault holds only one."""
        ags = self.sole_ags()
        return {"municipality_ags": (ags,) if ags else (), "fte": Decimal(1)}

    def prepare(self, dialog: RecordDialog) -> None:
        """With no municipality recorded there is nothing to tick: say where one is added.
        A member whose pay changed sees the earlier pay under "Pay since": the months it
        still prices."""
        if not self.municipality_choices():
            show_where_municipalities_are(dialog)
        record = dialog.editing
        if not isinstance(record, Guide):
            return
        if record.earlier_pay:
            note = dialog.form.add_note("pay_since")
            note.setObjectName("earlierPay")
            note.setText("\n".join(earlier_pay_line(e) for e in reversed(record.earlier_pay)))
            note.show()
        if record.annual_gross_cost is not None:
            # Kept with the dialog: the form's signal holds its method weakly.
            dialog.correction_note = CorrectionNote(dialog, record)  # type: ignore[attr-defined]

    def ask_delete(self, record_id: str) -> None:
        """Refuse a member whose time sheets count in the budget at once, not after the
        question (their hours would drop out of the staff line); ask about the others."""
        if self.workspace is None:
            return
        try:
            guide = self.workspace.get(Guide, record_id)
            refuse_if_time_sheets(guide, self.workspace.list(TimeSheet))
        except RecordNotFound:  # (deleted meanwhile)
            self.refresh()
            return
        except StillNeeded as refused:
            self.refuse(_("Not deleted"), str(refused))
            return
        super().ask_delete(record_id)


class CorrectionNote:
    """Under "Pay since" while the gross cost or full-time share differ from the stored
    ones and the day does not: the edit then corrects the pay of every month since that
    day, time sheets already claimed included. Said while typing, before the save."""

    def __init__(self, dialog: RecordDialog, record: Guide) -> None:
        self.dialog = dialog
        self.record = record
        self.label = dialog.form.add_note("pay_since")
        self.label.setObjectName("payCorrection")
        dialog.form.edited.connect(self.update)

    def update(self) -> None:
        """Show or hide the note for what is typed now."""
        editors = self.dialog.form.editors
        try:
            gross = editors["annual_gross_cost"].get()
            fte = editors["fte"].get()
            since = editors["pay_since"].get()
        except UnreadableInput:
            self.label.hide()
            return
        old = self.record
        changed = (gross, fte) != (old.annual_gross_cost, old.fte)
        if not changed or (since is not None and (old.pay_since is None or since > old.pay_since)):
            self.label.hide()
            return
        day = old.pay_since or old.started_on
        self.label.setText(
            _(
                "Without a later day this corrects the pay from {day} on: every time sheet "
                "since is priced anew. For a raise, enter the day it takes effect."
            ).format(day=format_date(day))
        )
        self.label.setStyleSheet(WARN_STYLE)
        self.label.show()


def earlier_pay_line(entry: EarlierPay) -> str:
    """One earlier pay as the form shows it, e.g. "Until 31 Mar 2026: 55,040.00 EUR a
    year, full-time share 1" (the last day it held, as the guide would say it)."""
    day = format_date(entry.ended_on - timedelta(days=1))
    if entry.annual_gross_cost is None:
        return _("Until {day}: full-time share {fte}, no gross cost entered").format(
            day=day, fte=format_number(entry.fte)
        )
    return _("Until {day}: {gross} a year, full-time share {fte}").format(
        day=day, gross=format_money(entry.annual_gross_cost), fte=format_number(entry.fte)
    )
