"""The Business trips page: trips with their route, distance and travel-cost claim.

The amount is what the Hessian travel-cost rules give for the vehicle on the trip's day
(km rate, higher with valid reasons, plus passengers); the Budget page warns about trips
whose claim is late, as the claim lapses after six months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain import Trip
from kisi_desktop.core.domain.budget import trip_amount
from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.i18n import N_, format_date, format_number, ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.money import format_eur

from kisi_desktop.ui.pages.record_list_page import RecordListPage
from kisi_desktop.ui.tables.row_model import Column

FIELDS = (
    "travelled_on",
    "purpose",
    "origin",
    "destination",
    "km",
    "vehicle_type",
    "valid_reasons",
    "passengers",
    "claim_submitted_on",
)


@dataclass(frozen=True, slots=True)
class TripRow:
    """One line of the trip list (labels in the UI language)."""

    id: str
    travelled_on: date
    purpose: str
    route: str
    km: Decimal
    vehicle: str
    amount: Decimal | None
    """None when the reference data has no rate for the trip's day."""
    claimed_on: date | None


COLUMNS = [
    Column(N_("Date"), lambda r: format_date(r.travelled_on), sort=lambda r: r.travelled_on),
    Column(N_("Purpose"), lambda r: r.purpose, tooltip=lambda r: r.purpose),
    Column(N_("Route"), lambda r: r.route, tooltip=lambda r: r.route),
    Column(N_("km"), lambda r: format_number(r.km), sort=lambda r: r.km, numeric=True),
    Column(N_("Vehicle"), lambda r: r.vehicle),
    Column(
        N_("Amount"),
        lambda r: format_eur(r.amount, ui_language()) if r.amount is not None else "",
        sort=lambda r: r.amount if r.amount is not None else Decimal(-1),
        numeric=True,
    ),
    Column(
        N_("Claim submitted on"),
        lambda r: format_date(r.claimed_on) if r.claimed_on else "",
        sort=lambda r: r.claimed_on or date.min,
    ),
]


class TripsPage(RecordListPage):
    """See the module docstring."""

    key = "trips"
    RECORD = Trip
    FIELDS = FIELDS
    FORM = "trip_form"
    COLUMNS = COLUMNS
    WIDTHS = (100, 260, 280, 70, 150, 100)
    NOUN = N_("Business trips")
    NEW_TITLE = N_("New business trip")
    EDIT_TITLE = N_("Edit business trip")
    DELETE_QUESTION = N_("Delete the business trip “{label}”? This cannot be undone.")

    def rows(self, workspace: Workspace) -> list[TripRow]:
        """Every trip with its amount."""
        rows = []
        for trip in workspace.list(Trip):
            try:
                amount: Decimal | None = trip_amount(trip, workspace.ref)
            except KisiError:
                amount = None  # no rate for that day in the reference data
            rows.append(
                TripRow(
                    id=trip.id,
                    travelled_on=trip.travelled_on,
                    purpose=trip.purpose,
                    route=f"{trip.origin} – {trip.destination}",
                    km=trip.km,
                    vehicle=self.code_label("vehicle_types", trip.vehicle_type),
                    amount=amount,
                    claimed_on=trip.claim_submitted_on,
                )
            )
        return rows

    def row_label(self, row: TripRow) -> str:
        """Date and route."""
        return f"{format_date(row.travelled_on)} {row.route}"
