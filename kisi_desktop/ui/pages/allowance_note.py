"""The line under "Allowance paid" in a deployment form: the year's total with this payment
against the volunteer's tax-free annual cap, while it is being typed; for a regime paid by
the hour (WIR Integrationslotsen), also what the hours give and who pays it.

Paying above the cap is allowed (the excess is taxable), so this warns and never refuses;
the same thresholds and colours as the Volunteers page (:func:`allowance_state`) say it
before the payment is saved instead of after. An allowance under a regime that pays none
("no payment", "expenses only") gets the Budget page's "to check" sentence while typed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain import Volunteer, VolunteerDeployment
from kisi_desktop.core.domain.reference_schema import ReferenceDataError
from kisi_desktop.core.domain.volunteer import (
    allowance_paid_in_year,
    hourly_allowance,
    other_programme,
    volunteer_allowance_cap,
)
from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.i18n import _, format_money, format_number, ui_language
from kisi_desktop.core.typed_input import UnreadableInput
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.budget_people import VolunteerAllowance
from kisi_desktop.reports.budget_tables import MESSAGES

from kisi_desktop.ui.forms.live_note import LiveNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.volunteer_detail import (
    OVER_STYLE,
    WARN_STYLE,
    AllowanceState,
    allowance_state,
)


class AllowanceNote(LiveNote):
    """Keeps the note under ``allowance_paid`` of one deployment dialog up to date."""

    def __init__(self, dialog: RecordDialog, workspace: Workspace) -> None:
        self.workspace = workspace
        super().__init__(dialog, "allowance_paid")

    def update(self) -> None:
        """Recompute from the typed amount and day; hide when either is unreadable. The
        hourly line shows from the hours alone, before an amount is typed: it says what
        to type."""
        form = self.dialog.form
        try:
            amount = form.editors["allowance_paid"].get()
            day = form.editors["paid_on"].get() or form.editors["deployed_on"].get()
            volunteer_id = form.editors["volunteer_id"].get()
        except UnreadableInput:
            amount = day = volunteer_id = None
        if not isinstance(day, date) or not volunteer_id:
            self.label.hide()
            return
        paid = amount if isinstance(amount, Decimal) and amount > 0 else None
        try:
            hourly, hourly_style = self.hourly(str(volunteer_id), paid or Decimal(0))
            text, style = (
                ("", "") if paid is None else self.describe(str(volunteer_id), paid, day.year)
            )
        except KisiError:  # locked meanwhile, or the volunteer gone: no note
            text, style, hourly, hourly_style = "", "", "", ""
        text = "\n".join(filter(None, (hourly, text)))
        self.label.setText(text)
        self.label.setStyleSheet(style or hourly_style)
        self.label.setVisible(bool(text))

    def hourly(self, volunteer_id: str, amount: Decimal) -> tuple[str, str]:
        """For a regime paid by the hour (WIR Integrationslotsen): what the hours give, and
        that another programme pays it ("" otherwise, or while the hours are unreadable)."""
        form = self.dialog.form
        try:
            hours = form.editors["hours"].get()
            day = form.editors["deployed_on"].get()
        except UnreadableInput:
            return "", ""
        if not isinstance(hours, Decimal) or not isinstance(day, date):
            return "", ""
        ws = self.workspace
        volunteer = ws.get(Volunteer, volunteer_id)
        try:
            rate = hourly_allowance(volunteer, day, ws.ref)
        except ReferenceDataError:
            return "", ""
        if rate is None:
            return "", ""
        due = (hours * rate).quantize(Decimal("0.01"))
        values = {"rate": format_money(rate), "hours": format_number(hours),
                  "due": format_money(due)}  # fmt: skip
        text = _("{rate} an hour: {due} for {hours} hours.").format(**values)
        if (programme := other_programme(volunteer, ws.ref)) is not None:
            text += " " + _(
                "Paid from the {programme} programme: not to be booked in KISI's budget."
            ).format(programme=programme)
        return text, WARN_STYLE if amount > due else ""

    def describe(self, volunteer_id: str, amount: Decimal, year: int) -> tuple[str, str]:
        """The note and its style for paying ``amount`` in ``year`` ("" when nothing is to
        be said)."""
        ws = self.workspace
        volunteer = ws.get(Volunteer, volunteer_id)
        try:
            cap = volunteer_allowance_cap(volunteer, year, ws.ref)
        except ReferenceDataError:  # no cap known for that year
            return "", ""
        editing = self.dialog.form.record.id if self.dialog.form.record is not None else None
        others = [
            ws.get(VolunteerDeployment, rid)
            for rid, vid in ws.rows(VolunteerDeployment, ["volunteer_id"])
            if vid == volunteer_id and rid != editing
        ]
        total = allowance_paid_in_year(others, volunteer_id, year) + amount
        if cap is None:
            # The Budget page's rule and words, so the two cannot drift apart.
            allowance = VolunteerAllowance(
                volunteer_id=volunteer_id,
                name=volunteer.name,
                year=year,
                payment_regime=volunteer.payment_regime,
                paid=total,
                cap=cap,
            )
            if allowance.level != "check":
                return "", ""
            return self.no_cap(volunteer, total, year), WARN_STYLE
        state = allowance_state(total, cap)
        values = {"total": format_money(total), "cap": format_money(cap), "year": year}
        if state is AllowanceState.OVER:
            values["over"] = format_money(total - cap)
            text = _(
                "With this payment {total} of {cap} in {year}: {over} over the tax-free "
                "annual cap, which is taxable. Check with the payroll office."
            )
            return text.format(**values), OVER_STYLE
        text = _("With this payment {total} of {cap} in {year}.").format(**values)
        return text, WARN_STYLE if state is AllowanceState.WARNING else ""

    def no_cap(self, volunteer: Volunteer, total: Decimal, year: int) -> str:
        """An allowance under a regime without a tax-free one ("expenses only", "no
        payment"): what the Budget page asks to check once it is saved, said before."""
        ref = self.workspace.ref
        regime = volunteer.payment_regime
        label = ref.label("payment_regimes", regime, ui_language())
        return _(MESSAGES["volunteer_no_cap"]).format(
            name=volunteer.name, year=year, amount=format_money(total), regime=label
        )
