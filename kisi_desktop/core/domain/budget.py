"""Expenses and trips; a trip's claim is its mileage (HRKG § 6) and its Tagegeld (§ 7).

The applied rates are never stored on the trip: they are looked up for the trip's first
day in the dated tables of ``rates.json``, so a rate change takes effect for later trips
only, and which table applies (HRKG or municipal rules, still open per DOMAIN.md) is a
data question.

Tagegeld (HRKG § 7 Satz 1, amounts of § 9 Abs. 4a Satz 3 EStG): a trip over several days (a
last day after the first: it has an overnight stay) earns the arrival/departure rate for its
first and last day and the full-day rate for each day between; a trip on one day earns the
one-day rate only for more than eight hours away. A trip that ends the next day without an
overnight stay (over midnight: the last day given, and the hours away in total) is a trip on
one day too: the one-day rate once, for more than eight hours in all (§ 9 Abs. 4a Satz 3 Nr.
3, second half, EStG), not the arrival and departure rate twice. A trip at the place of the
office or of residence earns half that, and only for staff regularly working in the field (§
7 Satz 2): the trip's ``local_field_work`` flag says both, since a guide who does not work
in the field claims no Tagegeld for such a trip and simply enters no hours. Meals provided
free reduce it (§ 10, read like § 9 Abs. 4a Satz 8 EStG: 20 % of the full-day rate per
breakfast, 40 % per lunch or dinner), never below zero.

Not worked out here: § 9 (from the eleventh day at the same place, half the Tagegeld),
§ 8 (Übernachtungsgeld), § 5 (tickets: entered as expenses) and trips abroad (§ 17). The
meal reduction is capped over the whole trip, as the meals are counted per trip; § 10
caps it per calendar day, so a day whose meals exceed its own Tagegeld (lunch and dinner
on the day of arrival: 22.40 against 14.00) lowers the other days here, and the claim
form may give slightly more.
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
from kisi_desktop.core.i18n import _, ngettext

TRAVEL_TABLE = "travel_km"
PER_DIEM_TABLE = "travel_per_diem"
PER_DIEM_HOURS_TABLE = "travel_per_diem_hours"
PER_DIEM_LOCAL_TABLE = "travel_per_diem_local"
PER_DIEM_MEALS_TABLE = "travel_per_diem_meals"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# A trip's meals: at most one of each a day; the bound only keeps typing errors out.
MEALS_MAX = 366


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
    """A business trip; ``valid_reasons`` (triftige Gründe) selects the higher car rate.

    The fields after ``passengers`` are what the Tagegeld needs (see the module
    docstring); their defaults (a trip on one day, no hours entered, no meals) give none,
    so a trip stored before they existed opens with its mileage alone.
    """

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
    returned_on: Annotated[date | None, Maybe(Day())] = None
    """The last day of a trip over several days (with an overnight stay); None or the
    first day for a trip on one day."""
    hours_away: Annotated[Decimal | None, Maybe(Amount(maximum=Decimal(24)))] = None
    """Hours away from home or office on a trip without an overnight stay (more than 8
    earn Tagegeld); with a last day the next day, the trip went over midnight."""
    local_field_work: Annotated[bool, Flag()] = False
    """At the place of the office or of residence, by staff regularly working in the
    field: half the Tagegeld (HRKG § 7 Satz 2)."""
    breakfasts_provided: Annotated[int, Whole(0, MEALS_MAX)] = 0
    lunches_provided: Annotated[int, Whole(0, MEALS_MAX)] = 0
    dinners_provided: Annotated[int, Whole(0, MEALS_MAX)] = 0
    claim_submitted_on: Annotated[date | None, Maybe(Day())] = None

    def _check(self) -> None:
        if self.returned_on is not None and self.returned_on < self.travelled_on:
            raise ValidationError("returned_on", _("The last day is before the first."))
        days = self.days()
        if days > 2 and self.hours_away is not None:
            raise ValidationError(
                "hours_away",
                _(
                    "Only for a trip without an overnight stay (on one day, or over midnight "
                    "to the next): over several days, the days give the Tagegeld."
                ),
            )
        if self.local_field_work and not self.per_diem_basis().without_overnight:
            raise ValidationError(
                "local_field_work",
                _("Only for a trip on one day: there is no overnight stay in your own town."),
            )
        for name in ("breakfasts_provided", "lunches_provided", "dinners_provided"):
            if getattr(self, name) > days:
                raise ValidationError(
                    name,
                    ngettext(
                        "At most one a day: the trip has one day.",
                        "At most one a day: the trip has {days} days.",
                        days,
                    ).format(days=days),
                )
        if self.claim_submitted_on is not None and self.claim_submitted_on < self.travelled_on:
            raise ValidationError("claim_submitted_on", _("Claimed before the trip."))
        if self.claim_submitted_on is not None and self.claim_submitted_on < self.last_day():
            raise ValidationError("claim_submitted_on", _("Claimed before the trip ended."))

    def last_day(self) -> date:
        """The day the trip ended (its first day for a trip on one day)."""
        return self.returned_on if self.returned_on is not None else self.travelled_on

    def days(self) -> int:
        """Calendar days from the first to the last, both counted."""
        return (self.last_day() - self.travelled_on).days + 1

    def per_diem_basis(self) -> PerDiemBasis:
        """What the Tagegeld is worked out from."""
        return PerDiemBasis(
            first_day=self.travelled_on,
            days=self.days(),
            hours_away=self.hours_away,
            local_field_work=self.local_field_work,
            breakfasts=self.breakfasts_provided,
            lunches=self.lunches_provided,
            dinners=self.dinners_provided,
        )

    def mileage_basis(self) -> MileageBasis:
        """What the mileage is worked out from."""
        return MileageBasis(
            day=self.travelled_on,
            km=self.km,
            vehicle_type=self.vehicle_type,
            valid_reasons=self.valid_reasons,
            passengers=self.passengers,
        )

    def label(self) -> str:
        """Date and route."""
        route = f"{short(self.origin, 28)} – {short(self.destination, 28)}"
        return f"{self.travelled_on.isoformat()} {route}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PerDiemBasis:
    """What a trip's Tagegeld depends on, apart from the trip's other fields (a form reads
    it from what is typed, before there is a trip to build)."""

    first_day: date
    days: int
    hours_away: Decimal | None = None
    local_field_work: bool = False
    breakfasts: int = 0
    lunches: int = 0
    dinners: int = 0

    @property
    def without_overnight(self) -> bool:
        """A trip on one day, or over midnight to the next without an overnight stay (its
        hours away given): it earns the one-day rate at most once."""
        return self.days == 1 or (self.days == 2 and self.hours_away is not None)


@dataclass(frozen=True, slots=True)
class PerDiem:
    """A trip's Tagegeld: what the days give, what the meals provided take off, the rest."""

    due: Decimal
    """Before meals: the days' rates (halved at the place of office or residence)."""
    meals: Decimal
    """Taken off for meals provided: at most ``due``."""

    @property
    def amount(self) -> Decimal:
        """What is paid: ``due`` less ``meals``, never negative."""
        return self.due - self.meals


def per_diem(basis: PerDiemBasis, ref: ReferenceData) -> PerDiem:
    """The Tagegeld for ``basis`` by the rates valid on its first day (module docstring)."""
    day = basis.first_day
    if not basis.without_overnight:
        # HRKG § 7 Satz 1 with § 9 Abs. 4a Satz 3 Nr. 1 and 2 EStG.
        edge = ref.rate_on(PER_DIEM_TABLE, "arrival_departure_day", day)
        full = ref.rate_on(PER_DIEM_TABLE, "full_day", day)
        due = 2 * edge + (basis.days - 2) * full
    elif basis.hours_away is None or basis.hours_away <= ref.rate_on(
        PER_DIEM_HOURS_TABLE, "one_day_more_than", day
    ):
        return PerDiem(ZERO, ZERO)  # eight hours or less, or none entered: no Tagegeld
    else:
        due = ref.rate_on(PER_DIEM_TABLE, "one_day", day)  # § 9 Abs. 4a Satz 3 Nr. 3 EStG
        if basis.local_field_work:
            due *= ref.rate_on(PER_DIEM_LOCAL_TABLE, "local_field_work", day)  # § 7 Satz 2
    due = due.quantize(CENT, ROUND_HALF_UP)
    if not (basis.breakfasts or basis.lunches or basis.dinners):
        return PerDiem(due, ZERO)
    # HRKG § 10 read like § 9 Abs. 4a Satz 8 EStG: shares of the full-day rate per meal.
    full = ref.rate_on(PER_DIEM_TABLE, "full_day", day)
    meals = sum(
        (
            count
            * (full * ref.rate_on(PER_DIEM_MEALS_TABLE, meal, day)).quantize(CENT, ROUND_HALF_UP)
            for meal, count in (
                ("breakfast", basis.breakfasts),
                ("lunch", basis.lunches),
                ("dinner", basis.dinners),
            )
        ),
        ZERO,
    )
    return PerDiem(due, min(meals, due))


@dataclass(frozen=True, slots=True, kw_only=True)
class MileageBasis:
    """What a trip's mileage depends on (a form reads it from what is typed, before there
    is a trip to build)."""

    day: date
    km: Decimal
    vehicle_type: str
    valid_reasons: bool = False
    passengers: int = 0


@dataclass(frozen=True, slots=True)
class Mileage:
    """A trip's mileage and the rates it comes from, so a form can say how it adds up."""

    km_rate: Decimal
    passenger_rate: Decimal
    """Per passenger and km; zero without passengers."""
    amount: Decimal


def mileage(basis: MileageBasis, ref: ReferenceData) -> Mileage:
    """Wegstreckenentschädigung (HRKG § 6): km x vehicle rate (the higher one with valid
    reasons) + passengers x km x passenger rate, by the rates of ``basis.day``, to the
    cent."""
    entry = ref.entry("vehicle_types", basis.vehicle_type)
    key = entry.extra["rate_key"]
    if basis.valid_reasons and entry.extra.get("rate_key_valid_reasons"):
        key = entry.extra["rate_key_valid_reasons"]
    rate = ref.rate_on(TRAVEL_TABLE, key, basis.day)
    amount = basis.km * rate
    passenger_rate = ZERO
    if basis.passengers and entry.extra.get("takes_passengers"):
        passenger_rate = ref.rate_on(TRAVEL_TABLE, "passenger", basis.day)
        amount += basis.passengers * basis.km * passenger_rate
    return Mileage(rate, passenger_rate, amount.quantize(CENT, ROUND_HALF_UP))


def check_trip_vehicle(trip: Trip, ref: ReferenceData) -> None:
    """Refuse (a ValidationError of the field) valid reasons or passengers on a vehicle
    HRKG § 6 pays neither for: the higher rate and the passenger rate are for motor
    vehicles (car, motorcycle); a bicycle or e-bike has one rate a km and no passenger.

    Checked where a trip is entered, not at every save: trips stored before this rule
    still open and add up (their passengers unpaid, as :func:`mileage` pays them)."""
    entry = ref.entry("vehicle_types", trip.vehicle_type)
    if trip.valid_reasons and not entry.extra.get("rate_key_valid_reasons"):
        raise ValidationError(
            "valid_reasons",
            _("Only for a car or motorcycle: a bicycle or e-bike has one rate a km."),
        )
    if trip.passengers and not entry.extra.get("takes_passengers"):
        raise ValidationError("passengers", _("Passengers only in a car or on a motorcycle."))


def trip_mileage(trip: Trip, ref: ReferenceData) -> Decimal:
    """The trip's mileage (:func:`mileage`), to the cent."""
    return mileage(trip.mileage_basis(), ref).amount


def trip_per_diem(trip: Trip, ref: ReferenceData) -> Decimal:
    """Tagegeld (HRKG § 7, less meals provided by § 10), to the cent; 0.00 without one."""
    return per_diem(trip.per_diem_basis(), ref).amount


def trip_amount(trip: Trip, ref: ReferenceData) -> Decimal:
    """What the guide claims for the trip, and what the budget's travel line counts:
    mileage and Tagegeld together (one claim per trip)."""
    return trip_mileage(trip, ref) + trip_per_diem(trip, ref)


def claim_deadline(trip: Trip, ref: ReferenceData) -> date:
    """Last day to claim: the trip's last day plus the claim period (6 months, rates.json);
    the period runs from the end of the trip, so a trip over several days counts from its
    last day."""
    months = int(ref.rate_on("travel_claims", "claim_deadline_months", trip.travelled_on))
    return add_months(trip.last_day(), months)


def claim_overdue(trip: Trip, today: date, ref: ReferenceData) -> bool:
    """Whether the claim was (or, unsubmitted, would now be) later than the deadline."""
    claimed = trip.claim_submitted_on if trip.claim_submitted_on is not None else today
    return claimed > claim_deadline(trip, ref)
