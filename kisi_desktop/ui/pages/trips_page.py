"""The Business trips page: trips with their route, distance and travel-cost claim.

A trip's claim is its mileage (HRKG § 6: km rate for the vehicle on the trip's day,
higher with valid reasons, plus passengers) and its Tagegeld (§ 7: by the days, or the
hours of a one-day trip, less meals provided); the list shows both and their sum, as the
municipality's claim form asks for them, and the form says both while it is being typed.
The Budget page warns about trips whose claim is late, as the claim lapses six months
after the trip's last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain import Record, Trip
from kisi_desktop.core.domain.budget import check_trip_vehicle, trip_mileage, trip_per_diem
from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.i18n import N_, format_date, format_km, ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.money import format_eur

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.mileage_note import MileageNote
from kisi_desktop.ui.pages.per_diem_note import PerDiemNote
from kisi_desktop.ui.pages.project_period_note import ProjectPeriodNote
from kisi_desktop.ui.pages.record_list_page import RecordListPage
from kisi_desktop.ui.tables.row_model import Column

FIELDS = (
    "travelled_on",
    "returned_on",
    "purpose",
    "origin",
    "destination",
    "km",
    "vehicle_type",
    "valid_reasons",
    "passengers",
    "hours_away",
    "local_field_work",
    "breakfasts_provided",
    "lunches_provided",
    "dinners_provided",
    "claim_submitted_on",
)


@dataclass(frozen=True, slots=True)
class TripRow:
    """One line of the trip list (labels in the UI language)."""

    id: str
    travelled_on: date
    last_day: date
    purpose: str
    route: str
    km: Decimal
    vehicle: str
    mileage: Decimal | None
    """None (and so are the others) when the reference data has no rate for the trip's day."""
    per_diem: Decimal | None
    amount: Decimal | None
    """Mileage and Tagegeld: the trip's claim."""
    claimed_on: date | None


def _days(row: TripRow) -> str:
    if row.last_day == row.travelled_on:
        return format_date(row.travelled_on)
    return f"{format_date(row.travelled_on)} – {format_date(row.last_day)}"


def _eur(amount: Decimal | None, *, blank_zero: bool = False) -> str:
    if amount is None or (blank_zero and amount == 0):
        return ""
    return format_eur(amount, ui_language())


def _by(amount: Decimal | None) -> Decimal:
    return amount if amount is not None else Decimal(-1)


COLUMNS = [
    Column(N_("Date"), _days, sort=lambda r: (r.travelled_on, r.last_day)),
    Column(N_("Purpose"), lambda r: r.purpose, tooltip=lambda r: r.purpose),
    Column(N_("Route"), lambda r: r.route, tooltip=lambda r: r.route),
    Column(N_("km"), lambda r: format_km(r.km), sort=lambda r: r.km, numeric=True),
    Column(N_("Vehicle"), lambda r: r.vehicle),
    Column(N_("Mileage"), lambda r: _eur(r.mileage), sort=lambda r: _by(r.mileage), numeric=True),
    # Empty for none: most trips are short and earn none, the few that do stand out.
    Column(
        N_("Per diem"),
        lambda r: _eur(r.per_diem, blank_zero=True),
        sort=lambda r: _by(r.per_diem),
        numeric=True,
    ),
    Column(N_("Total"), lambda r: _eur(r.amount), sort=lambda r: _by(r.amount), numeric=True),
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
    WIDTHS = (100, 220, 240, 60, 120, 100, 90, 100)
    NOUN = N_("Business trips")
    NEW_TITLE = N_("New business trip")
    EDIT_TITLE = N_("Edit business trip")
    DELETE_QUESTION = N_("Delete the business trip “{label}”? This cannot be undone.")

    def rows(self, workspace: Workspace) -> list[TripRow]:
        """Every trip with its mileage, Tagegeld and their sum."""
        rows = []
        for trip in workspace.list(Trip):
            try:
                mileage: Decimal | None = trip_mileage(trip, workspace.ref)
                per_diem: Decimal | None = trip_per_diem(trip, workspace.ref)
            except KisiError:
                mileage = per_diem = None  # no rate for that day in the reference data
            rows.append(
                TripRow(
                    id=trip.id,
                    travelled_on=trip.travelled_on,
                    last_day=trip.last_day(),
                    purpose=trip.purpose,
                    route=f"{trip.origin} – {trip.destination}",
                    km=trip.km,
                    vehicle=self.code_label("vehicle_types", trip.vehicle_type),
                    mileage=mileage,
                    per_diem=per_diem,
                    amount=None if mileage is None or per_diem is None else mileage + per_diem,
                    claimed_on=trip.claim_submitted_on,
                )
            )
        return rows

    def check(self, workspace: Workspace, record: Record) -> None:
        """Valid reasons and passengers only on a vehicle HRKG § 6 pays them for."""
        if isinstance(record, Trip):
            check_trip_vehicle(record, workspace.ref)

    def prepare(self, dialog: RecordDialog) -> None:
        """The mileage under the km and the Tagegeld under the meals, while the form is
        typed in; under the first day, whether the budget counts the trip."""
        dialog.period_note = ProjectPeriodNote(dialog, "travelled_on")  # type: ignore[attr-defined]
        if self.workspace is not None:
            dialog.mileage_note = MileageNote(dialog, self.workspace)  # type: ignore[attr-defined]
            dialog.per_diem_note = PerDiemNote(dialog, self.workspace)  # type: ignore[attr-defined]

    def row_label(self, row: TripRow) -> str:
        """Date and route."""
        return f"{format_date(row.travelled_on)} {row.route}"
