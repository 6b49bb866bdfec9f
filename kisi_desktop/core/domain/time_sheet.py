"""TimeSheet: the hours one guide worked on KISI in one month.

A staff line planned as an hourly rate counts hours x the guide's annual gross cost /
1,720 (Art. 55 Reg. (EU) 2021/1060), not the salary receipts; the hours come from the
time sheets the municipality keeps, entered here month by month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.fields import SHORT_MAX, Amount, Id, Month, Text
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase

MONTH_RE = re.compile(r"20[0-9]{2}-(0[1-9]|1[0-2])")
# A month has at most 31 x 24 hours; anything near it is a typing slip the form catches.
HOURS_MAX = Decimal(744)


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeSheet(RecordBase):
    """``hours`` of guide ``guide_id`` on KISI in ``month`` (``YYYY-MM``)."""

    KIND: ClassVar[str] = "time_sheet"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("note",)

    id: Annotated[str, Id()] = field(default_factory=new_id)
    guide_id: Annotated[str, Id()]
    month: Annotated[str, Month()]
    """Stored as ``YYYY-MM``; typed also as ``MM/YYYY``, ``MM.YYYY`` or ``November 2026``."""
    hours: Annotated[Decimal, Amount(strict_minimum=True, maximum=HOURS_MAX)]
    note: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""

    def first_day(self) -> date:
        """The month's first day: the rate and the project year are those of that day."""
        year, month = self.month.split("-")
        return date(int(year), int(month), 1)

    def label(self) -> str:
        """Month and hours, e.g. ``2026-03 120 h``."""
        return f"{self.month} {self.hours} h"
