"""The line under the km of a trip form: the mileage (Kilometergeld) the typed km, vehicle,
valid reasons and passengers give, while they are being typed, beside the Tagegeld under
the meals; both go into the municipality's claim form.

It is worked out by :func:`~kisi_desktop.core.domain.budget.mileage`, the rule the trip list
and the budget use, so the form and the list cannot disagree. What cannot be read yet (km
half typed, no vehicle chosen, no rate for the day) shows nothing: saving says what is
wrong next to the field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain.budget import MileageBasis, mileage
from kisi_desktop.core.i18n import _, format_money
from kisi_desktop.core.typed_input import UnreadableInput
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.live_note import ComputedNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog


class MileageNote(ComputedNote[MileageBasis]):
    """Keeps the note under ``km`` of one trip dialog up to date."""

    def __init__(self, dialog: RecordDialog, workspace: Workspace) -> None:
        self.workspace = workspace
        super().__init__(dialog, "km")

    def basis(self) -> MileageBasis | None:
        """What the editors hold, or None while something is unreadable or missing."""
        editors = self.dialog.form.editors
        try:
            day = editors["travelled_on"].get()
            km = editors["km"].get()
            vehicle = editors["vehicle_type"].get()
            valid_reasons = bool(editors["valid_reasons"].get())
            passengers = int(editors["passengers"].get() or 0)
        except UnreadableInput:
            return None
        if not isinstance(day, date) or not isinstance(km, Decimal) or km <= 0 or not vehicle:
            return None
        return MileageBasis(
            day=day,
            km=km,
            vehicle_type=str(vehicle),
            valid_reasons=valid_reasons,
            passengers=passengers,
        )

    def describe(self, basis: MileageBasis) -> str:
        """The note for ``basis``: the amount, and the rates it comes from."""
        result = mileage(basis, self.workspace.ref)
        values = {
            "amount": format_money(result.amount),
            "rate": format_money(result.km_rate),
            "passenger_rate": format_money(result.passenger_rate),
        }
        if result.passenger_rate:  # (a bicycle's passenger earns nothing)
            return _(
                "Mileage: {amount} ({rate} per km, and {passenger_rate} per km for each passenger)."
            ).format(**values)
        return _("Mileage: {amount} ({rate} per km).").format(**values)
