"""The line under the meals of a trip form: the Tagegeld the typed days, hours and meals
give, while they are being typed, so the guide sees it before saving (and can copy it into
the municipality's claim form).

What cannot be read yet (a half-typed date, meals above the days) shows nothing: saving
says what is wrong next to the field.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain.budget import PerDiemBasis, per_diem
from kisi_desktop.core.i18n import _, format_money, ngettext
from kisi_desktop.core.typed_input import UnreadableInput
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.live_note import ComputedNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog

MEALS = ("breakfasts_provided", "lunches_provided", "dinners_provided")


class PerDiemNote(ComputedNote[PerDiemBasis]):
    """Keeps the note under ``dinners_provided`` of one trip dialog up to date."""

    def __init__(self, dialog: RecordDialog, workspace: Workspace) -> None:
        self.workspace = workspace
        super().__init__(dialog, MEALS[-1])

    def basis(self) -> PerDiemBasis | None:
        """What the editors hold, or None while something is unreadable or refused."""
        editors = self.dialog.form.editors
        try:
            first = editors["travelled_on"].get()
            last = editors["returned_on"].get() or first
            hours = editors["hours_away"].get()
            local = bool(editors["local_field_work"].get())
            meals = [int(editors[name].get() or 0) for name in MEALS]
        except UnreadableInput:
            return None
        if not isinstance(first, date) or not isinstance(last, date) or last < first:
            return None
        days = (last - first).days + 1
        if any(count > days for count in meals):
            return None
        # Hours count on one day, or over midnight to the next (no overnight stay); with
        # more days the form refuses them at saving, and the note goes by the days.
        basis = PerDiemBasis(
            first_day=first,
            days=days,
            hours_away=hours if isinstance(hours, Decimal) and days <= 2 else None,
            breakfasts=meals[0],
            lunches=meals[1],
            dinners=meals[2],
        )
        return dataclasses.replace(basis, local_field_work=local and basis.without_overnight)

    def describe(self, basis: PerDiemBasis) -> str:
        """The note for ``basis`` ("" for a one-day trip without hours)."""
        return " ".join(filter(None, (self.amount(basis), self.overnight(basis))))

    def amount(self, basis: PerDiemBasis) -> str:
        """The Tagegeld the days, hours and meals give, in a sentence or two."""
        result = per_diem(basis, self.workspace.ref)
        if result.due == 0:
            if basis.hours_away is None:
                return ""
            return _(
                "No Tagegeld: a trip without an overnight stay earns it for more than eight "
                "hours away."
            )
        days = 1 if basis.without_overnight else basis.days  # (over midnight: one day)
        text = ngettext(
            "Tagegeld for one day: {due}.", "Tagegeld for {days} days: {due}.", days
        ).format(days=days, due=format_money(result.due))
        if result.meals:
            text += " " + _("Less {meals} for meals provided: {amount}.").format(
                meals=format_money(result.meals), amount=format_money(result.amount)
            )
        return text

    @staticmethod
    def overnight(basis: PerDiemBasis) -> str:
        """What the days say about a night away, where a guide could take it wrong: hours
        typed on a trip to the next day make it one over midnight without a night (one
        day's Tagegeld, not two), and a night's hotel bill has no field in the trip (HRKG
        § 8 is not worked out here: budget.py), so it is said where it goes."""
        if basis.days < 2:
            return ""
        if basis.without_overnight:
            return _(
                "With hours away it counts as a trip over midnight without an overnight "
                "stay; for a trip with an overnight stay leave “Hours away” empty."
            )
        return _("Enter the hotel bill as a project expense under travel costs.")
