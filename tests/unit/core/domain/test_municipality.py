"""Municipality and Guide: AGS format, many-to-many via the guide, hourly staff rate."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from kisi_desktop.core.domain.municipality import (
    EarlierPay,
    Guide,
    Municipality,
    guides_of,
    staff_hourly_rate,
    with_pay_change,
)
from kisi_desktop.core.domain.partner import Partner
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError


def guide(**fields: Any) -> Guide:
    base = {"name": "Anna", "fte": Decimal(1), "started_on": date(2025, 10, 1)}
    return Guide(**{**base, **fields})


def edited(old: Guide, gross: str, since: date | None = None) -> Guide:
    """``old`` saved again as the Team form does: a new gross cost (and pay day), its
    earlier pay kept as it was."""
    new = guide(id=old.id, annual_gross_cost=Decimal(gross), pay_since=since,
                earlier_pay=old.earlier_pay)  # fmt: skip
    return with_pay_change(old, new)


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


def test_a_raise_from_a_later_day_keeps_the_earlier_rate(ref: ReferenceData) -> None:
    """Anna earns 55,040.00 a year (32.00 an hour); from 1 April 2026 58,480.00 (34.00).
    March keeps 32.00; April and later take 34.00. Going down to half time from 1 July at
    29,240.00 keeps the rate (34.00 on 860 hours) and keeps the full-time pay before."""
    before = guide(annual_gross_cost=Decimal("55040.00"))
    raised = edited(before, "58480.00", date(2026, 4, 1))
    assert raised.earlier_pay == (
        EarlierPay(
            ended_on=date(2026, 4, 1), annual_gross_cost=Decimal("55040.00"), fte=Decimal(1)
        ),
    )
    assert staff_hourly_rate(raised, date(2026, 3, 1), ref) == Decimal("32.00")
    assert staff_hourly_rate(raised, date(2026, 4, 1), ref) == Decimal("34.00")
    half = with_pay_change(
        raised,
        guide(id=before.id, annual_gross_cost=Decimal("29240.00"), fte=Decimal("0.5"),
              pay_since=date(2026, 7, 1), earlier_pay=raised.earlier_pay),
    )  # fmt: skip
    assert [(e.since, e.ended_on, e.fte) for e in half.earlier_pay] == [
        (None, date(2026, 4, 1), Decimal(1)),
        (date(2026, 4, 1), date(2026, 7, 1), Decimal(1)),
    ]
    assert [staff_hourly_rate(half, date(2026, m, 1), ref) for m in (1, 5, 8)] == [
        Decimal("32.00"),
        Decimal("34.00"),
        Decimal("34.00"),
    ]
    assert half.pay_on(date(2026, 6, 30)) == (Decimal("58480.00"), Decimal(1))


def test_a_pay_edit_without_a_later_day_is_a_correction(ref: ReferenceData) -> None:
    """A typo in the gross cost is mended, not kept as the pay of some earlier time; a
    typo in the day of the last change moves that change."""
    before = guide(annual_gross_cost=Decimal("5504.00"))
    fixed = edited(before, "55040.00")
    assert fixed.earlier_pay == ()
    assert staff_hourly_rate(fixed, date(2026, 1, 1), ref) == Decimal("32.00")
    raised = edited(fixed, "58480.00", date(2026, 5, 1))
    moved = edited(raised, "58480.00", date(2026, 4, 1))
    assert [e.ended_on for e in moved.earlier_pay] == [date(2026, 4, 1)]
    assert staff_hourly_rate(moved, date(2026, 4, 1), ref) == Decimal("34.00")
    # A day before the earlier pay even began cannot be mended.
    with pytest.raises(ValidationError) as error:
        began = EarlierPay(since=date(2026, 2, 1), ended_on=date(2026, 4, 1), fte=Decimal(1))
        guide(pay_since=date(2026, 1, 1), earlier_pay=(began,))
    assert error.value.field == "pay_since"
    with pytest.raises(ValidationError) as error:
        guide(earlier_pay=(EarlierPay(ended_on=date(2026, 4, 1), fte=Decimal(1)),
                           EarlierPay(ended_on=date(2026, 3, 1), fte=Decimal(1))))  # fmt: skip
    assert error.value.field == "earlier_pay"


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


def test_the_day_of_a_raise_corrected_to_a_later_day_moves_the_change(ref: ReferenceData) -> None:
    """A raise entered from 1 April, then its day corrected to 1 May with the same pay:
    April keeps the earlier rate (it was priced at the new one, the form's note and field
    disagreeing)."""
    before = guide(annual_gross_cost=Decimal("55040.00"))
    raised = edited(before, "58480.00", date(2026, 4, 1))
    later = edited(raised, "58480.00", date(2026, 5, 1))
    assert [e.ended_on for e in later.earlier_pay] == [date(2026, 5, 1)]
    assert staff_hourly_rate(later, date(2026, 4, 1), ref) == Decimal("32.00")
    assert staff_hourly_rate(later, date(2026, 5, 1), ref) == Decimal("34.00")


def test_a_first_gross_cost_is_no_change_and_the_history_has_an_end() -> None:
    """Entering the gross cost for the first time, with a day, keeps no earlier pay
    "without gross cost" (the months before would lose their price). Beyond 20 changes a
    further one is refused, not silently taken as a correction of the last."""
    unknown = guide()
    first = edited(unknown, "55040.00", date(2026, 4, 1))
    assert first.earlier_pay == ()
    full = guide(
        annual_gross_cost=Decimal("60000.00"),
        pay_since=date(2027, 9, 1),
        earlier_pay=tuple(
            EarlierPay(ended_on=date(2026, 1, 1) + timedelta(days=20 * i), fte=Decimal(1),
                       annual_gross_cost=Decimal(50000 + i))
            for i in range(20)
        ),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        edited(full, "61000.00", date(2027, 10, 1))
    assert error.value.field == "pay_since"
