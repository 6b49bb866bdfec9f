"""Volunteers, their deployments and trainings, and the yearly tax-free allowance caps.

The caps (Ehrenamtspauschale § 3 Nr. 26a EStG, Übungsleiterfreibetrag § 3 Nr. 26 EStG)
change by law on 1 January, so they are dated reference data looked up per year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Many,
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    EMAIL_RE,
    LANGUAGE_RE,
    NAME_MAX,
    PHONE_RE,
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

CAP_TABLE = "volunteer_caps"
HOURLY_TABLE = "volunteer_hourly"
HOURS_CAP_TABLE = "volunteer_hours_caps"


@dataclass(frozen=True, slots=True, kw_only=True)
class Volunteer(RecordBase):
    """A volunteer and the allowance regime they are paid under."""

    KIND: ClassVar[str] = "volunteer"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("name", "phone", "email", "address")

    id: Annotated[str, Id()] = field(default_factory=new_id)
    name: Annotated[str, Text(NAME_MAX, required=True)]
    phone: Annotated[str, Text(40, pattern=PHONE_RE)] = ""
    email: Annotated[str, Text(254, pattern=EMAIL_RE)] = ""
    address: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""
    languages: Annotated[tuple[str, ...], Many(Code("languages", LANGUAGE_RE), 20)] = ()
    started_on: Annotated[date | None, Maybe(Day())] = None
    active: Annotated[bool, Flag()] = True
    payment_regime: Annotated[str, Code("payment_regimes")] = "none"

    def label(self) -> str:
        """The volunteer's name."""
        return self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class VolunteerDeployment(RecordBase):
    """Hours a volunteer gave on a day, with km, expenses and the allowance paid."""

    KIND: ClassVar[str] = "volunteer_deployment"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("note",)

    id: Annotated[str, Id()] = field(default_factory=new_id)
    volunteer_id: Annotated[str, Id()]
    deployed_on: Annotated[date, Day()]
    hours: Annotated[Decimal, Amount(strict_minimum=True, maximum=Decimal(24))]
    kind: Annotated[str, Code("deployment_kinds")]
    activity_id: Annotated[str | None, Maybe(Id())] = None
    km: Annotated[Decimal, Amount(maximum=Decimal(5000), places=1)] = Decimal(0)
    expenses: Annotated[Decimal, Amount(maximum=Decimal(100_000))] = Decimal(0)
    allowance_paid: Annotated[Decimal, Amount(maximum=Decimal(100_000))] = Decimal(0)
    paid_on: Annotated[date | None, Maybe(Day())] = None
    """The day the allowance was paid out, if not the day of the deployment: the tax-free
    cap is per calendar year of payment (§ 11 EStG), and a December deployment is often
    paid in January."""
    note: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""

    def _check(self) -> None:
        if self.paid_on is not None and self.paid_on < self.deployed_on:
            raise ValidationError("paid_on", _("Paid before the deployment."))

    def label(self) -> str:
        """Date and hours, e.g. ``2026-02-01 2.5 h``."""
        return f"{self.deployed_on.isoformat()} {self.hours} h"

    def payment_year(self) -> int:
        """The calendar year the allowance counts against the cap in."""
        return (self.paid_on or self.deployed_on).year


@dataclass(frozen=True, slots=True, kw_only=True)
class Training(RecordBase):
    """A training for volunteers (by id) and administration staff (a headcount)."""

    KIND: ClassVar[str] = "training"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("topic", "trainer")
    LABEL_FIELDS: ClassVar[tuple[str, ...]] = ("topic",)

    id: Annotated[str, Id()] = field(default_factory=new_id)
    held_on: Annotated[date, Day()]
    topic: Annotated[str, Text(NAME_MAX, required=True)]
    trainer: Annotated[str, Text(NAME_MAX)] = ""
    fee_based: Annotated[bool, Flag()] = False
    attendee_ids: Annotated[tuple[str, ...], Many(Id(), 500)] = ()
    administration_attendees: Annotated[int, Whole(0, 10_000)] = 0

    def label(self) -> str:
        """Date and topic."""
        return f"{self.held_on.isoformat()} {short(self.topic, 48)}"


def volunteer_allowance_cap(volunteer: Volunteer, year: int, ref: ReferenceData) -> Decimal | None:
    """The tax-free yearly cap of the volunteer's regime in ``year``; None if it has none."""
    cap_key = ref.entry("payment_regimes", volunteer.payment_regime).extra.get("cap_key")
    if cap_key is None:
        return None
    return ref.rate_on(CAP_TABLE, cap_key, date(year, 1, 1))


def hourly_allowance(volunteer: Volunteer, day: date, ref: ReferenceData) -> Decimal | None:
    """What the volunteer's regime pays an hour on ``day`` (WIR Integrationslotsen: 5 EUR);
    None for a regime without an hourly rate."""
    key = ref.entry("payment_regimes", volunteer.payment_regime).extra.get("hourly_key")
    return None if key is None else ref.rate_on(HOURLY_TABLE, key, day)


def hours_cap(volunteer: Volunteer, year: int, ref: ReferenceData) -> Decimal | None:
    """The hours a year the volunteer's regime pays at most (WIR: 276); None without."""
    key = ref.entry("payment_regimes", volunteer.payment_regime).extra.get("hours_cap_key")
    if key is None:
        return None
    # The year's cap as of its first day, or of the day the data begins with (the
    # project's first year starts in October).
    first = ref.first_dated(HOURS_CAP_TABLE, key).valid_from
    return ref.rate_on(HOURS_CAP_TABLE, key, max(date(year, 1, 1), first))


def other_programme(volunteer: Volunteer, ref: ReferenceData) -> str | None:
    """The programme that pays the volunteer's allowance when it is not KISI (``WIR``).

    Such an allowance counts against the volunteer's tax-free cap like any other, but it
    must not be booked in KISI's budget too: that would fund one payment twice.
    """
    found = ref.entry("payment_regimes", volunteer.payment_regime).extra.get("other_programme")
    return str(found) if found is not None else None


def allowance_paid_in_year(
    deployments: Iterable[VolunteerDeployment], volunteer_id: str, year: int
) -> Decimal:
    """Sum of allowances paid to ``volunteer_id`` in ``year`` (the year of payment)."""
    return sum(
        (
            d.allowance_paid
            for d in deployments
            if d.volunteer_id == volunteer_id and d.payment_year() == year
        ),
        Decimal(0),
    )
