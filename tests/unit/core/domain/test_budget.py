"""Expenses and trips: positive amounts, dated km rates, the Tagegeld, the six-month claim
deadline.

Tagegeld figures worked by hand (HRKG § 7 with § 9 Abs. 4a Satz 3 EStG; meals by § 10 read
like § 9 Abs. 4a Satz 8 EStG: breakfast 20 % of 28.00 = 5.60, lunch or dinner 40 % = 11.20):
  one day,  9 h away                                   14.00
  one day,  8 h away exactly (needs *more* than 8)      0.00
  one day,  9 h, lunch provided           14.00 - 11.20 = 2.80
  one day,  9 h, lunch and dinner   14.00 - 22.40 -> capped 0.00
  one day,  9 h, own town (field work)     14.00 x 50 % = 7.00
  three days                           14 + 28 + 14 = 56.00
  three days, 2 breakfasts, 1 dinner  56.00 - 11.20 - 11.20 = 33.60
  two days, 2 lunches, 2 dinners     28.00 - 44.80 -> capped 0.00
  over midnight, no overnight stay, 10 h in all    14.00 once, not 14 + 14
  over midnight, 7 h in all                         0.00
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain.budget import (
    Expense,
    PerDiemBasis,
    Trip,
    allocated_amount,
    check_trip_vehicle,
    claim_deadline,
    claim_overdue,
    per_diem,
    trip_amount,
    trip_mileage,
    trip_per_diem,
)
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError


def expense(**fields: Any) -> Expense:
    base = {
        "spent_on": date(2026, 1, 5),
        "amount": Decimal("10.00"),
        "payee": "Druckerei",
        "category": "other",
    }
    return Expense(**{**base, **fields})


def trip(**fields: Any) -> Trip:
    base = {
        "travelled_on": date(2026, 1, 5),
        "purpose": "Netzwerk",
        "origin": "Kirchhain",
        "destination": "Marburg",
        "km": Decimal(100),
        "vehicle_type": "car",
    }
    return Trip(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": Decimal("-5")}, "amount"),
        ({"amount": Decimal(0)}, "amount"),
        ({"amount": 10.5}, "amount"),
        ({"amount": Decimal("1.005")}, "amount"),
        ({"payee": ""}, "payee"),
        ({"allocation_percent": Decimal(0)}, "allocation_percent"),
        ({"allocation_percent": Decimal("100.01")}, "allocation_percent"),
    ],
)
def test_expense_bad_values(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        expense(**fields)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": "champagne"}, "category"),
        ({"eligibility": "maybe"}, "eligibility"),
    ],
)
def test_expense_unknown_codes(ref: ReferenceData, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        expense(**fields).validate(ref)
    assert error.value.field == field


def test_allocated_amount_rounds_half_up() -> None:
    assert allocated_amount(
        expense(amount=Decimal("0.05"), allocation_percent=Decimal(50))
    ) == Decimal("0.03")


@pytest.mark.parametrize(
    ("vehicle", "valid_reasons", "passengers", "expected"),
    [
        ("car", True, 0, "35.00"),
        ("car", False, 0, "21.00"),
        ("two_wheeler", True, 0, "18.00"),
        ("two_wheeler", False, 0, "15.00"),
        ("bicycle", False, 0, "6.00"),
        ("bicycle", True, 0, "6.00"),
        ("e_bike", False, 0, "10.00"),
        ("car", True, 2, "39.00"),
        ("two_wheeler", False, 1, "17.00"),
        ("bicycle", False, 1, "6.00"),  # no passenger on a bicycle (stored before the rule)
        ("e_bike", False, 2, "10.00"),
    ],
)
def test_trip_amount_from_the_rate_table(
    ref: ReferenceData, vehicle: str, valid_reasons: bool, passengers: int, expected: str
) -> None:
    t = trip(vehicle_type=vehicle, valid_reasons=valid_reasons, passengers=passengers)
    assert trip_amount(t, ref) == Decimal(expected)


@pytest.mark.parametrize(
    ("vehicle", "fields", "field"),
    [
        ("bicycle", {"passengers": 1}, "passengers"),
        ("e_bike", {"valid_reasons": True}, "valid_reasons"),
    ],
)
def test_a_bicycle_is_entered_without_passengers_or_valid_reasons(
    ref: ReferenceData, vehicle: str, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        check_trip_vehicle(trip(vehicle_type=vehicle, **fields), ref)
    assert refused.value.field == field
    for allowed in ("car", "two_wheeler"):
        check_trip_vehicle(trip(vehicle_type=allowed, valid_reasons=True, passengers=2), ref)


def test_trip_amount_rounds_to_the_cent(ref: ReferenceData) -> None:
    assert trip_amount(trip(km=Decimal("12.3"), valid_reasons=True), ref) == Decimal("4.31")


def test_trip_bad_values(ref: ReferenceData) -> None:
    for fields, field in (
        ({"km": Decimal(0)}, "km"),
        ({"passengers": -1}, "passengers"),
        ({"claim_submitted_on": date(2026, 1, 4)}, "claim_submitted_on"),
        ({"origin": ""}, "origin"),
    ):
        with pytest.raises(ValidationError) as error:
            trip(**fields)
        assert error.value.field == field
    with pytest.raises(ValidationError) as error:
        trip(vehicle_type="rocket").validate(ref)
    assert error.value.field == "vehicle_type"


def test_claims_older_than_six_months_are_flagged(ref: ReferenceData) -> None:
    t = trip()
    assert claim_deadline(t, ref) == date(2026, 7, 5)
    assert not claim_overdue(t, date(2026, 7, 5), ref)
    assert claim_overdue(t, date(2026, 7, 6), ref)
    assert not claim_overdue(trip(claim_submitted_on=date(2026, 2, 1)), date(2027, 1, 1), ref)
    assert claim_overdue(trip(claim_submitted_on=date(2026, 8, 1)), date(2026, 8, 1), ref)


@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10_000_000), places=2),
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    payee=st.sampled_from(["محمد", "ሰላም", "Stadtwerke"]),
)
def test_hypothesis_round_trip(amount: Decimal, day: date, payee: str) -> None:
    e = expense(amount=amount, spent_on=day, payee=payee)
    assert Expense.from_payload(json.loads(json.dumps(e.to_payload()))) == e


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"hours_away": Decimal(9)}, "14.00"),
        ({"hours_away": Decimal("8.01")}, "14.00"),
        ({"hours_away": Decimal(8)}, "0.00"),  # more than eight hours, not eight
        ({}, "0.00"),  # no hours entered (as every trip stored before the Tagegeld)
        ({"hours_away": Decimal(9), "lunches_provided": 1}, "2.80"),  # 14.00 - 11.20
        ({"hours_away": Decimal(9), "breakfasts_provided": 1}, "8.40"),  # 14.00 - 5.60
        # 14.00 - 11.20 - 11.20 = -8.40: the reduction stops at the Tagegeld due.
        ({"hours_away": Decimal(9), "lunches_provided": 1, "dinners_provided": 1}, "0.00"),
        ({"hours_away": Decimal(9), "local_field_work": True}, "7.00"),  # 50 % of 14.00
        ({"hours_away": Decimal(8), "local_field_work": True}, "0.00"),
        # 7.00 - 5.60 = 1.40: the meals take the full-day shares off the halved rate.
        ({"hours_away": Decimal(9), "local_field_work": True, "breakfasts_provided": 1}, "1.40"),
        ({"returned_on": date(2026, 1, 6)}, "28.00"),  # 14 + 14
        ({"returned_on": date(2026, 1, 7)}, "56.00"),  # 14 + 28 + 14
        # 56.00 - 2 x 5.60 - 11.20 = 33.60
        (
            {"returned_on": date(2026, 1, 7), "breakfasts_provided": 2, "dinners_provided": 1},
            "33.60",
        ),
        # 28.00 - 2 x 11.20 - 2 x 11.20 = -16.80: capped at 0.
        (
            {"returned_on": date(2026, 1, 6), "lunches_provided": 2, "dinners_provided": 2},
            "0.00",
        ),
        ({"returned_on": date(2026, 1, 5), "hours_away": Decimal(9)}, "14.00"),  # same day
        # Over midnight without an overnight stay (§ 9 Abs. 4a Satz 3 Nr. 3 EStG, second
        # half): one day's rate for more than eight hours in all.
        ({"returned_on": date(2026, 1, 6), "hours_away": Decimal(10)}, "14.00"),
        ({"returned_on": date(2026, 1, 6), "hours_away": Decimal(7)}, "0.00"),
        (
            {"returned_on": date(2026, 1, 6), "hours_away": Decimal(10), "dinners_provided": 1},
            "2.80",
        ),
        (
            {"returned_on": date(2026, 1, 6), "hours_away": Decimal(10), "local_field_work": True},
            "7.00",
        ),
    ],
)
def test_tagegeld_by_days_hours_and_meals(
    ref: ReferenceData, fields: dict[str, Any], expected: str
) -> None:
    assert trip_per_diem(trip(**fields), ref) == Decimal(expected)


def test_a_trips_claim_is_its_mileage_and_its_tagegeld(ref: ReferenceData) -> None:
    # 100 km by car without valid reasons: 100 x 0.21 = 21.00; three days with two
    # breakfasts and a dinner provided: 33.60; the claim 54.60.
    t = trip(returned_on=date(2026, 1, 7), breakfasts_provided=2, dinners_provided=1)
    assert trip_mileage(t, ref) == Decimal("21.00")
    assert trip_per_diem(t, ref) == Decimal("33.60")
    assert trip_amount(t, ref) == Decimal("54.60")
    parts = per_diem(t.per_diem_basis(), ref)
    assert (parts.due, parts.meals, parts.amount) == (
        Decimal("56.00"),
        Decimal("22.40"),
        Decimal("33.60"),
    )
    assert trip_amount(trip(), ref) == Decimal("21.00")  # no Tagegeld: mileage alone


def test_a_trip_stored_before_the_tagegeld_opens_with_none(ref: ReferenceData) -> None:
    """A payload as the earlier version stored it, without the Tagegeld's keys."""
    stored = {
        "id": "6b1f0c2d9e8a4f7b8c3d2e1f0a9b8c7d",
        "travelled_on": "2026-01-05",
        "purpose": "Netzwerk",
        "origin": "Kirchhain",
        "destination": "Marburg",
        "km": "100",
        "vehicle_type": "car",
        "valid_reasons": False,
        "passengers": 0,
        "claim_submitted_on": None,
    }
    old = Trip.from_payload(stored)
    old.validate(ref)
    assert (old.returned_on, old.hours_away, old.local_field_work) == (None, None, False)
    assert (old.breakfasts_provided, old.lunches_provided, old.dinners_provided) == (0, 0, 0)
    assert old.days() == 1
    assert trip_per_diem(old, ref) == Decimal("0.00")
    assert trip_amount(old, ref) == Decimal("21.00")
    assert claim_deadline(old, ref) == date(2026, 7, 5)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"returned_on": date(2026, 1, 4)}, "returned_on", "Der letzte Reisetag liegt vor"),
        (
            {"returned_on": date(2026, 1, 7), "hours_away": Decimal(9)},
            "hours_away",
            "Nur bei einer Reise ohne Übernachtung",
        ),
        (
            {"returned_on": date(2026, 1, 6), "local_field_work": True},
            "local_field_work",
            "wird nicht übernachtet",
        ),
        ({"breakfasts_provided": 2}, "breakfasts_provided", "Die Reise hat einen Tag."),
        (
            {"returned_on": date(2026, 1, 7), "lunches_provided": 4},
            "lunches_provided",
            "Die Reise hat 3 Tage.",
        ),
        (
            {"returned_on": date(2026, 1, 7), "claim_submitted_on": date(2026, 1, 6)},
            "claim_submitted_on",
            "vor dem Ende der Reise",
        ),
        ({"hours_away": Decimal(25)}, "hours_away", ""),
        ({"hours_away": Decimal(-1)}, "hours_away", ""),
        ({"dinners_provided": -1}, "dinners_provided", ""),
    ],
)
def test_tagegeld_fields_are_checked_next_to_the_field(
    fields: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        trip(**fields)
    assert error.value.field == field
    assert message in error.value.message


def test_the_claim_period_runs_from_the_trips_last_day(ref: ReferenceData) -> None:
    t = trip(returned_on=date(2026, 1, 7))
    assert claim_deadline(t, ref) == date(2026, 7, 7)
    assert not claim_overdue(t, date(2026, 7, 7), ref)
    assert claim_overdue(t, date(2026, 7, 8), ref)


@st.composite
def per_diem_bases(draw: st.DrawFn) -> PerDiemBasis:
    days = draw(st.integers(1, 40))
    meals = st.integers(0, days)
    return PerDiemBasis(
        first_day=draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2100, 12, 31))),
        days=days,
        hours_away=draw(st.none() | st.decimals(0, 24, places=2)) if days == 1 else None,
        local_field_work=draw(st.booleans()) if days == 1 else False,
        breakfasts=draw(meals),
        lunches=draw(meals),
        dinners=draw(meals),
    )


@given(basis=per_diem_bases())
def test_hypothesis_tagegeld_is_never_negative_nor_more_than_full_days(
    ref: ReferenceData, basis: PerDiemBasis
) -> None:
    result = per_diem(basis, ref)
    assert Decimal(0) <= result.amount <= result.due <= 28 * basis.days
    assert result.amount == result.amount.quantize(Decimal("0.01"))
    # Meals provided never raise it.
    fewer = PerDiemBasis(
        first_day=basis.first_day,
        days=basis.days,
        hours_away=basis.hours_away,
        local_field_work=basis.local_field_work,
    )
    assert result.amount <= per_diem(fewer, ref).amount


@given(
    last=st.integers(0, 30),
    hours=st.none() | st.decimals(0, 24, places=2),
    meals=st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 1)),
)
def test_hypothesis_trip_round_trip_with_tagegeld(
    last: int, hours: Decimal | None, meals: tuple[int, int, int]
) -> None:
    t = trip(
        returned_on=date(2026, 1, 5) + timedelta(days=last) if last else None,
        hours_away=None if last else hours,
        breakfasts_provided=meals[0],
        lunches_provided=meals[1],
        dinners_provided=meals[2],
    )
    assert Trip.from_payload(json.loads(json.dumps(t.to_payload()))) == t
