"""Expenses and trips, with the km amount from the dated HRKG § 6 rate table.

The applied km rate is never stored on the trip: it is looked up for the trip's date, so a
rate change takes effect for later trips only, and which table applies (HRKG or municipal
rules, still open per DOMAIN.md) is a data question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.case import add_months
from kisi_desktop.core.domain.field_groups import (
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    NAME_MAX,
    SHORT_MAX,
    Amount,
    Code,
    Day,
    Flag,
    Id,
    Text,
    Whole,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase, short
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

TRAVEL_TABLE = "travel_km"
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True, kw_only=True)
class Expense(RecordBase):
    """A payment, its budget category and how much of it is allocated to KISI."""

    KIND: ClassVar[str] = "expense"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("payee", "receipt_ref", "description")

    id: Annotated[str, Id()] = field(default_factory=new_id)
    spent_on: Annotated[date, Day()]
    amount: Annotated[Decimal, Amount(strict_minimum=True)]
    payee: Annotated[str, Text(NAME_MAX, required=True)]
    category: Annotated[str, Code("budget_categories")]
    receipt_ref: Annotated[str, Text(100)] = ""
    eligibility: Annotated[str, Code("expense_eligibility")] = "unclear"
    description: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""
    allocation_percent: Annotated[Decimal, Amount(strict_minimum=True, maximum=Decimal(100))] = (
        Decimal(100)
    )
    paid_on: Annotated[date | None, Maybe(Day())] = None

    def label(self) -> str:
        """Date, payee and amount."""
        return f"{self.spent_on.isoformat()} {short(self.payee, 40)} {self.amount}"


def allocated_amount(expense: Expense) -> Decimal:
    """The share of the expense charged to KISI, rounded to the cent."""
    return (expense.amount * expense.allocation_percent / 100).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True, kw_only=True)
class Trip(RecordBase):
    """A business trip; ``valid_reasons`` (triftige Gründe) selects the higher car rate."""

    KIND: ClassVar[str] = "trip"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("purpose", "origin", "destination")

    id: Annotated[str, Id()] = field(default_factory=new_id)
    travelled_on: Annotated[date, Day()]
    purpose: Annotated[str, Text(SHORT_MAX, required=True)]
    origin: Annotated[str, Text(NAME_MAX, required=True)]
    destination: Annotated[str, Text(NAME_MAX, required=True)]
    km: Annotated[Decimal, Amount(strict_minimum=True, maximum=Decimal(5000), places=1)]
    vehicle_type: Annotated[str, Code("vehicle_types")]
    valid_reasons: Annotated[bool, Flag()] = False
    passengers: Annotated[int, Whole(0, 8)] = 0
    claim_submitted_on: Annotated[date | None, Maybe(Day())] = None

    def _check(self) -> None:
        if self.claim_submitted_on is not None and self.claim_submitted_on < self.travelled_on:
            raise ValidationError("claim_submitted_on", _("Claimed before the trip."))

    def label(self) -> str:
        """Date and route."""
        route = f"{short(self.origin, 28)} – {short(self.destination, 28)}"
        return f"{self.travelled_on.isoformat()} {route}"


def trip_rate(trip: Trip, ref: ReferenceData) -> Decimal:
    """EUR per km for the vehicle on the trip's date (higher rate with valid reasons)."""
    entry = ref.entry("vehicle_types", trip.vehicle_type)
    key = entry.extra["rate_key"]
    if trip.valid_reasons and entry.extra.get("rate_key_valid_reasons"):
        key = entry.extra["rate_key_valid_reasons"]
    return ref.rate_on(TRAVEL_TABLE, key, trip.travelled_on)


def trip_amount(trip: Trip, ref: ReferenceData) -> Decimal:
    """Claimable amount: km x vehicle rate + passengers x km x passenger rate, to the cent."""
    amount = trip.km * trip_rate(trip, ref)
    if trip.passengers:
        amount += (
            trip.passengers * trip.km * ref.rate_on(TRAVEL_TABLE, "passenger", trip.travelled_on)
        )
    return amount.quantize(CENT, ROUND_HALF_UP)


def claim_deadline(trip: Trip, ref: ReferenceData) -> date:
    """Last day to claim: the trip date plus the claim period (6 months, rates.json)."""
    months = int(ref.rate_on("travel_claims", "claim_deadline_months", trip.travelled_on))
    return add_months(trip.travelled_on, months)


def claim_overdue(trip: Trip, today: date, ref: ReferenceData) -> bool:
    """Whether the claim was (or, unsubmitted, would now be) later than the deadline."""
    claimed = trip.claim_submitted_on if trip.claim_submitted_on is not None else today
    return claimed > claim_deadline(trip, ref)
