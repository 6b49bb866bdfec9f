"""Municipality profile and Guide (staff member), linked many-to-many by AGS.

The link lives only on the Guide (``municipality_ags``), so it is stored once: one guide may
serve two towns (Kirchhain/Neustadt) and a town may have two guides (Bensheim);
:func:`guides_of` answers "who serves this town".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Many,
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    AGS_RE,
    EMAIL_RE,
    NAME_MAX,
    PHONE_RE,
    SHORT_MAX,
    URL_RE,
    Amount,
    Day,
    Id,
    Text,
    Whole,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

AGS = Text(8, required=True, pattern=AGS_RE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Municipality(RecordBase):
    """A cooperating municipality; its details fill the handout placeholders."""

    KIND: ClassVar[str] = "municipality"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("name", "district", "ags")

    id: Annotated[str, Id()] = field(default_factory=new_id)
    ags: Annotated[str, AGS]
    name: Annotated[str, Text(NAME_MAX, required=True)]
    district: Annotated[str, Text(NAME_MAX)] = ""
    office_address: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""
    office_hours: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""
    phone: Annotated[str, Text(40, pattern=PHONE_RE)] = ""
    email: Annotated[str, Text(254, pattern=EMAIL_RE)] = ""
    website: Annotated[str, Text(SHORT_MAX, pattern=URL_RE)] = ""
    population: Annotated[int | None, Maybe(Whole(0, 10_000_000))] = None
    contract_ref: Annotated[str, Text(100)] = ""

    def label(self) -> str:
        """The municipality's name."""
        return self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class Guide(RecordBase):
    """A staff member (Integrationsguide) with the municipalities they serve."""

    KIND: ClassVar[str] = "guide"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("name", "role")

    id: Annotated[str, Id()] = field(default_factory=new_id)
    name: Annotated[str, Text(NAME_MAX, required=True)]
    role: Annotated[str, Text(NAME_MAX)] = ""
    fte: Annotated[Decimal, Amount(strict_minimum=True, maximum=Decimal(1), places=3)]
    started_on: Annotated[date, Day()]
    ended_on: Annotated[date | None, Maybe(Day())] = None
    municipality_ags: Annotated[tuple[str, ...], Many(AGS, 10)] = ()
    annual_gross_cost: Annotated[Decimal | None, Maybe(Amount())] = None
    phone: Annotated[str, Text(40, pattern=PHONE_RE)] = ""
    email: Annotated[str, Text(254, pattern=EMAIL_RE)] = ""

    def _check(self) -> None:
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise ValidationError("ended_on", _("Ends before it starts."))

    def label(self) -> str:
        """The guide's name."""
        return self.name


def guides_of(ags: str, guides: Iterable[Guide]) -> list[Guide]:
    """The guides serving the municipality ``ags``."""
    return [g for g in guides if ags in g.municipality_ags]


def staff_hourly_rate(guide: Guide, day: date, ref: ReferenceData) -> Decimal | None:
    """Hourly rate = annual gross employment cost / 1,720 hours, pro rata for part-time
    staff (Art. 55(1) Reg. (EU) 2021/1060): half-time, 860 hours; to the cent."""
    if guide.annual_gross_cost is None:
        return None
    divisor = ref.rate_on("staff_hourly_rate", "annual_hours_divisor", day) * guide.fte
    return (guide.annual_gross_cost / divisor).quantize(Decimal("0.01"), ROUND_HALF_UP)
