"""The most hours a team member's time sheets may declare in a calendar year.

Staff costs at an hourly rate divide the annual gross cost by 1,720 hours for full-time
staff, or by the same share of 1,720 for part-time staff (Art. 55(1)(a) Reg. (EU)
2021/1060), and "the total number of hours declared per person for a given year shall not
exceed the number of hours used for the calculation of that hourly rate" (Art. 55(2)). So
a member's hours in a year stay within 1,720 x their full-time share: 860 for a half-time
post. The divisor is dated reference data (``rates.json``, ``staff_hourly_rate``). More
hours are not refused (a time sheet may hold overtime the municipality accepts, or the
share on the Team page may be the slip); the time sheet form and the budget warn.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain.municipality import Guide
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.time_sheet import TimeSheet

MONTHS = 12


def annual_hours_ceiling(guide: Guide, year: int, ref: ReferenceData) -> Decimal:
    """1,720 x the full-time share in calendar ``year``, to two places.

    Month by month, with the share held on each month's first day (``Guide.pay_on``): a
    post raised from half to full time on 1 July allows 430 + 860 = 1,290 hours that year.
    """
    total = Decimal(0)
    for month in range(1, MONTHS + 1):
        day = date(year, month, 1)
        divisor = ref.rate_on("staff_hourly_rate", "annual_hours_divisor", day)
        total += Decimal(divisor) * guide.pay_on(day)[1]
    return (total / MONTHS).quantize(Decimal("0.01"))


def hours_in_year(sheets: Iterable[TimeSheet], guide_id: str, year: int) -> Decimal:
    """The hours on ``guide_id``'s sheets for the months of calendar ``year``."""
    prefix = f"{year:04d}-"
    return sum(
        (s.hours for s in sheets if s.guide_id == guide_id and s.month.startswith(prefix)),
        Decimal(0),
    )
