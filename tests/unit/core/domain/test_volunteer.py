"""Volunteers: allowance caps by year and regime, allowances summed per year."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.volunteer import (
    Training,
    Volunteer,
    VolunteerDeployment,
    allowance_paid_in_year,
    volunteer_allowance_cap,
)
from kisi_desktop.core.errors import ValidationError


def deployment(volunteer_id: str, day: date, paid: str, **fields: Any) -> VolunteerDeployment:
    return VolunteerDeployment(
        volunteer_id=volunteer_id,
        deployed_on=day,
        hours=Decimal(2),
        kind="accompaniment",
        allowance_paid=Decimal(paid),
        **fields,
    )


def test_caps_960_in_2026_and_840_in_2025(ref: ReferenceData) -> None:
    v = Volunteer(name="Ayşe", payment_regime="ehrenamtspauschale")
    assert volunteer_allowance_cap(v, 2026, ref) == 960
    assert volunteer_allowance_cap(v, 2025, ref) == 840
    trainer = Volunteer(name="Olena", payment_regime="uebungsleiter")
    assert volunteer_allowance_cap(trainer, 2026, ref) == 3300
    assert volunteer_allowance_cap(trainer, 2025, ref) == 3000
    assert (
        volunteer_allowance_cap(Volunteer(name="X", payment_regime="expenses_only"), 2026, ref)
        is None
    )
    assert volunteer_allowance_cap(Volunteer(name="X"), 2026, ref) is None


def test_allowance_paid_in_year_sums_only_that_volunteer_and_year() -> None:
    a, b = new_id(), new_id()
    deployments = [
        deployment(a, date(2026, 1, 10), "12.50"),
        deployment(a, date(2026, 12, 31), "100.00"),
        deployment(a, date(2025, 12, 31), "50.00"),
        deployment(b, date(2026, 3, 1), "40.00"),
    ]
    assert allowance_paid_in_year(deployments, a, 2026) == Decimal("112.50")
    assert allowance_paid_in_year(deployments, a, 2025) == Decimal("50.00")
    assert allowance_paid_in_year([], a, 2026) == 0


def test_an_allowance_counts_in_the_year_it_was_paid() -> None:
    """The tax-free cap is per calendar year of payment (§ 11 EStG): December's
    deployment paid out in January counts in January's year."""
    a = new_id()
    late = deployment(a, date(2026, 12, 15), "500.00", paid_on=date(2027, 1, 10))
    deployments = [late, deployment(a, date(2027, 2, 1), "500.00")]
    assert allowance_paid_in_year(deployments, a, 2026) == 0
    assert allowance_paid_in_year(deployments, a, 2027) == Decimal("1000.00")
    with pytest.raises(ValidationError) as refused:
        deployment(a, date(2026, 12, 15), "500.00", paid_on=date(2026, 12, 1))
    assert refused.value.field == "paid_on"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"hours": Decimal(0)}, "hours"),
        ({"hours": Decimal(25)}, "hours"),
        ({"km": Decimal("-1")}, "km"),
        ({"expenses": Decimal("-0.01")}, "expenses"),
        ({"allowance_paid": Decimal("1.234")}, "allowance_paid"),
        ({"volunteer_id": "v1"}, "volunteer_id"),
    ],
)
def test_deployment_bad_values(fields: dict[str, Any], field: str) -> None:
    base = {
        "volunteer_id": new_id(),
        "deployed_on": date(2026, 1, 1),
        "hours": Decimal(1),
        "kind": "interpreting",
    }
    with pytest.raises(ValidationError) as error:
        VolunteerDeployment(**{**base, **fields})
    assert error.value.field == field


def test_unknown_regime_and_kind_are_refused(ref: ReferenceData) -> None:
    with pytest.raises(ValidationError) as error:
        Volunteer(name="X", payment_regime="salary").validate(ref)
    assert error.value.field == "payment_regime"
    with pytest.raises(ValidationError) as error:
        VolunteerDeployment(
            volunteer_id=new_id(), deployed_on=date(2026, 1, 1), hours=Decimal(1), kind="x"
        ).validate(ref)
    assert error.value.field == "kind"


def test_training_counts_cannot_be_negative() -> None:
    with pytest.raises(ValidationError) as error:
        Training(held_on=date(2026, 1, 1), topic="T", administration_attendees=-1)
    assert error.value.field == "administration_attendees"
    with pytest.raises(ValidationError) as error:
        Training(held_on=date(2026, 1, 1), topic="")
    assert error.value.field == "topic"


@given(
    hours=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(24), places=2),
    paid=st.decimals(min_value=Decimal(0), max_value=Decimal(100_000), places=2),
)
def test_hypothesis_round_trip_of_decimals(hours: Decimal, paid: Decimal) -> None:
    d = VolunteerDeployment(
        volunteer_id=new_id(),
        deployed_on=date(2026, 1, 1),
        hours=hours,
        kind="mentoring",
        allowance_paid=paid,
    )
    back = VolunteerDeployment.from_payload(json.loads(json.dumps(d.to_payload())))
    assert back == d
    assert back.hours == hours
