"""The hours a year a team member's time sheets may declare: 1,720 x the full-time share
(Art. 55 Reg. (EU) 2021/1060)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kisi_desktop.core.annual_hours import annual_hours_ceiling, hours_in_year
from kisi_desktop.core.domain import Guide, TimeSheet
from kisi_desktop.core.domain.municipality import with_pay_change
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.reference_schema import ReferenceDataError

D = Decimal


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


def test_full_time_half_time_and_a_change_of_hours_in_july(ref: ReferenceData) -> None:
    full = Guide(name="Maria Weber", fte=D(1), started_on=date(2025, 10, 1))
    half = Guide(name="Jonas Becker", fte=D("0.5"), started_on=date(2025, 10, 1),
                 annual_gross_cost=D("27520.00"))  # fmt: skip
    raised = with_pay_change(half, Guide(id=half.id, name="Jonas Becker", fte=D(1),
                                         started_on=date(2025, 10, 1),
                                         annual_gross_cost=D("55040.00"),
                                         pay_since=date(2026, 7, 1)))  # fmt: skip
    assert raised.earlier_pay  # half time until 30 June
    assert annual_hours_ceiling(full, 2026, ref) == D("1720.00")
    assert annual_hours_ceiling(half, 2026, ref) == D("860.00")
    assert annual_hours_ceiling(raised, 2026, ref) == D("1290.00")  # 6 x 71.67 + 6 x 143.33
    assert annual_hours_ceiling(raised, 2027, ref) == D("1720.00")


def test_a_year_before_the_divisor_is_known_has_no_ceiling(ref: ReferenceData) -> None:
    guide = Guide(name="Maria Weber", fte=D(1), started_on=date(2020, 1, 1))
    with pytest.raises(ReferenceDataError):
        annual_hours_ceiling(guide, 2020, ref)


def test_hours_in_a_year_count_that_members_months_of_that_year_only() -> None:
    sheets = [
        TimeSheet(guide_id="a" * 32, month="2025-12", hours=D(150)),
        TimeSheet(guide_id="a" * 32, month="2026-01", hours=D("140.5")),
        TimeSheet(guide_id="a" * 32, month="2026-02", hours=D(100)),
        TimeSheet(guide_id="b" * 32, month="2026-01", hours=D(80)),
    ]
    assert hours_in_year(sheets, "a" * 32, 2026) == D("240.5")
    assert hours_in_year(sheets, "a" * 32, 2025) == D(150)
    assert hours_in_year(sheets, "b" * 32, 2025) == D(0)
