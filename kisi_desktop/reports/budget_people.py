"""The two money limits that concern one person: volunteer allowances and travel claims.

A volunteer's tax-free allowance (960 / 3,300 EUR a year from 2026) is a cap per person and
calendar year, not per project year; a travel claim (mileage and Tagegeld) is lost when it
comes later than six months after the trip's last day. Both figures name a person (a
volunteer, a route that may be a client's street), so they only ever appear in local output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain import Trip, Volunteer, VolunteerDeployment
from kisi_desktop.core.domain.budget import claim_deadline, claim_overdue, trip_amount
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.reference_schema import ReferenceDataError
from kisi_desktop.core.domain.volunteer import (
    allowance_paid_in_year,
    hourly_allowance,
    hours_cap,
    other_programme,
    volunteer_allowance_cap,
)
from kisi_desktop.core.text_sort import sort_text

from kisi_desktop.reports.budget_limits import WarningLevel, level_of, percent_of
from kisi_desktop.reports.periods import project_year_of


@dataclass(frozen=True, slots=True)
class VolunteerAllowance:
    """Allowances paid to one volunteer in one calendar year, against their regime's cap."""

    volunteer_id: str
    name: str
    """Personal: only for local output."""
    year: int
    payment_regime: str
    paid: Decimal
    cap: Decimal | None
    """None for a regime without a tax-free cap (expenses only, no payment)."""
    hours: Decimal = Decimal(0)
    """The hours given in that calendar year (by the deployments' days)."""
    expenses: Decimal = Decimal(0)
    """Expenses noted on the deployments paid in that year."""
    due: Decimal | None = None
    """What an hourly regime (WIR: 5 EUR an hour) pays for those hours; None without."""
    hours_cap: Decimal | None = None
    """The hours a year an hourly regime pays at most (WIR: 276); None without."""
    programme: str | None = None
    """The programme that pays the allowance if not KISI (``WIR``): not KISI's budget."""
    cap_unknown: bool = False
    """The regime has a cap, but ``rates.json`` holds none for that year (a deployment
    typed as 2020: the caps begin in 2021). ``cap`` is None then, and nothing is said."""

    @property
    def over_rate(self) -> bool:
        """More paid than the regime's hourly rate gives for the hours: the allowance or
        the hours were entered wrongly (or the volunteer is not under that regime)."""
        return self.due is not None and self.paid > self.due

    @property
    def expenses_elsewhere(self) -> bool:
        """Expenses refunded on top of an allowance another programme pays: the WIR
        allowance covers travel and other costs, so KISI would pay them a second time."""
        return self.programme is not None and self.expenses > 0

    @property
    def over_hours(self) -> bool:
        """More hours paid for than the regime pays in a year."""
        return self.hours_cap is not None and self.hours > self.hours_cap

    @property
    def percent_used(self) -> Decimal | None:
        """Paid as a percentage of the cap; None without a cap."""
        return None if self.cap is None else percent_of(self.paid, self.cap)

    @property
    def level(self) -> WarningLevel | None:
        """``warn`` from 80 % of the cap, ``over`` above it; ``check`` for an allowance
        under a regime without one ("expenses only", "no payment"): § 3 Nr. 26/26a EStG
        do not cover it, so either the regime or the payment was entered wrongly."""
        if self.cap_unknown:
            return None
        if self.cap is None:
            return "check" if self.paid > 0 else None
        return level_of(self.paid, self.cap)


def volunteer_allowances(
    volunteers: Iterable[Volunteer],
    deployments: Iterable[VolunteerDeployment],
    ref: ReferenceData,
) -> tuple[VolunteerAllowance, ...]:
    """Every volunteer and calendar year in which an allowance was paid, by name and year."""
    people = {v.id: v for v in volunteers}
    done = tuple(deployments)
    paid_in = {(d.volunteer_id, d.payment_year()) for d in done if d.allowance_paid}
    result = []
    for volunteer_id, year in paid_in:
        volunteer = people.get(volunteer_id)
        # What the hours give is worked out over every deployment paid in that year (a
        # monthly payment may be recorded on one deployment for all); the programme's
        # hours a year count the hours given in that year, paid or not.
        paid_for = [d for d in done if d.volunteer_id == volunteer_id and d.payment_year() == year]
        given = [d for d in done if d.volunteer_id == volunteer_id and d.deployed_on.year == year]
        # One slip of a year must not take the whole budget (and the report) down with it.
        try:
            cap = volunteer_allowance_cap(volunteer, year, ref) if volunteer else None
        except ReferenceDataError:
            cap = None
            cap_unknown = True
        else:
            cap_unknown = False
        result.append(
            VolunteerAllowance(
                volunteer_id=volunteer_id,
                name=volunteer.name if volunteer else "",
                year=year,
                payment_regime=volunteer.payment_regime if volunteer else "none",
                paid=allowance_paid_in_year(done, volunteer_id, year),
                cap=cap,
                hours=sum((d.hours for d in given), Decimal(0)),
                expenses=sum((d.expenses for d in paid_for), Decimal(0)),
                due=_due(volunteer, paid_for, ref) if volunteer else None,
                hours_cap=hours_cap(volunteer, year, ref) if volunteer else None,
                programme=other_programme(volunteer, ref) if volunteer else None,
                cap_unknown=cap_unknown,
            )
        )
    return tuple(sorted(result, key=lambda a: (sort_text(a.name), a.volunteer_id, a.year)))


def _due(
    volunteer: Volunteer, deployments: Iterable[VolunteerDeployment], ref: ReferenceData
) -> Decimal | None:
    """Hours x the regime's hourly rate on each deployment's day, to the cent."""
    total = Decimal(0)
    for d in deployments:
        try:
            rate = hourly_allowance(volunteer, d.deployed_on, ref)
        except ReferenceDataError:  # a day before the rate is known: nothing to compare
            return None
        if rate is None:
            return None
        total += d.hours * rate
    return total.quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class OverdueClaim:
    """A trip claimed (or, unclaimed, by now) later than its claim deadline."""

    trip_id: str
    travelled_on: date
    deadline: date
    submitted_on: date | None
    amount: Decimal
    route: str
    """Origin and destination: may name a client's street, so local only."""


def overdue_claims(
    trips: Iterable[Trip], today: date, ref: ReferenceData
) -> tuple[OverdueClaim, ...]:
    """Trips whose claim is or was late on ``today``, oldest first."""
    result = [
        OverdueClaim(
            trip_id=trip.id,
            travelled_on=trip.travelled_on,
            deadline=claim_deadline(trip, ref),
            submitted_on=trip.claim_submitted_on,
            amount=trip_amount(trip, ref),
            route=f"{trip.origin} – {trip.destination}",
        )
        for trip in trips
        if project_year_of(trip.travelled_on) is not None and claim_overdue(trip, today, ref)
    ]
    return tuple(sorted(result, key=lambda c: (c.travelled_on, c.trip_id)))
