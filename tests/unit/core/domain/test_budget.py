"""Expenses and trips: positive amounts, dated km rates, the six-month claim deadline."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain.budget import (
    Expense,
    Trip,
    allocated_amount,
    claim_deadline,
    claim_overdue,
    trip_amount,
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
    ],
)
def test_trip_amount_from_the_rate_table(
    ref: ReferenceData, vehicle: str, valid_reasons: bool, passengers: int, expected: str
) -> None:
    t = trip(vehicle_type=vehicle, valid_reasons=valid_reasons, passengers=passengers)
    assert trip_amount(t, ref) == Decimal(expected)


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
