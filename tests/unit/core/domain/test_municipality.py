"""Municipality and Guide: AGS format, many-to-many via the guide, hourly staff rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kisi_desktop.core.domain.municipality import Guide, Municipality, guides_of, staff_hourly_rate
from kisi_desktop.core.domain.partner import Partner
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError


def guide(**fields: Any) -> Guide:
    base = {"name": "Anna", "fte": Decimal(1), "started_on": date(2025, 10, 1)}
    return Guide(**{**base, **fields})


@pytest.mark.parametrize("ags", ["", "0653401", "065340111", "06-34011", "abcdefgh"])
def test_bad_ags_is_refused(ags: str) -> None:
    with pytest.raises(ValidationError) as error:
        Municipality(ags=ags, name="Kirchhain")
    assert error.value.field == "ags"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"fte": Decimal(0)}, "fte"),
        ({"fte": Decimal("1.5")}, "fte"),
        ({"ended_on": date(2025, 9, 30)}, "ended_on"),
        ({"municipality_ags": ("0653401",)}, "municipality_ags"),
        ({"annual_gross_cost": Decimal(-1)}, "annual_gross_cost"),
        ({"name": ""}, "name"),
    ],
)
def test_guide_bad_values(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        guide(**fields)
    assert error.value.field == field


def test_one_guide_two_towns_and_one_town_two_guides() -> None:
    shared = guide(name="A", municipality_ags=("06534011", "06534017"))
    second = guide(name="B", municipality_ags=("06431002",))
    third = guide(name="C", municipality_ags=("06431002",))
    everyone = [shared, second, third]
    assert guides_of("06534017", everyone) == [shared]
    assert guides_of("06534011", everyone) == [shared]
    assert guides_of("06431002", everyone) == [second, third]


def test_staff_hourly_rate_divides_by_1720(ref: ReferenceData) -> None:
    g = guide(annual_gross_cost=Decimal("55040.00"))
    assert staff_hourly_rate(g, date(2026, 1, 1), ref) == Decimal("32.00")
    assert staff_hourly_rate(guide(), date(2026, 1, 1), ref) is None
    # Part-time, pro rata (Art. 55(1)): half-time costing 27,520.00 works 860 hours a year.
    half = guide(annual_gross_cost=Decimal("27520.00"), fte=Decimal("0.5"))
    assert staff_hourly_rate(half, date(2026, 1, 1), ref) == Decimal("32.00")


def test_partner_contact_formats_and_codes(ref: ReferenceData) -> None:
    with pytest.raises(ValidationError) as error:
        Partner(name="X", website="ftp://x")
    assert error.value.field == "website"
    with pytest.raises(ValidationError) as error:
        Partner(name="X", partner_type="cartel").validate(ref)
    assert error.value.field == "partner_type"
    with pytest.raises(ValidationError) as error:
        Partner(name="X", services=("unknown",)).validate(ref)
    assert error.value.field == "services"
