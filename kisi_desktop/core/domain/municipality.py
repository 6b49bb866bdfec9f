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

from kisi_desktop.core.domain.dated_change import History, held_on, in_order
from kisi_desktop.core.domain.field_groups import (
    Many,
    Maybe,
    Nested,
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
from kisi_desktop.core.domain.record import RecordBase, Value
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _, format_date

AGS = Text(8, required=True, pattern=AGS_RE)
# Pay changes kept per team member: a raise a year, and a change of hours or two.
EARLIER_PAY_MAX = 20
FTE = Amount(strict_minimum=True, maximum=Decimal(1), places=3)


# The Land part of every Hessian Amtlicher Gemeindeschlüssel (Destatis).
HESSE = "06"


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

    def entry_check(self) -> None:
        """KISI funds Hessian municipalities: their key begins with Hesse's 06. Another
        key is a typing slip that would file the town's figures under a place the
        ministry does not know."""
        if not self.ags.startswith(HESSE):
            raise ValidationError(
                "ags",
                _("A Hessian municipality's key begins with 06 (Kirchhain: 06534011)."),
            )

    def label(self) -> str:
        """The municipality's name."""
        return self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class EarlierPay(Value):
    """The annual gross cost and full-time share a team member had before a dated change.

    A raise (or more hours) from April must not reprice the hours of January to March: the
    budget prices each month's time sheet at the pay held on the month's first day.
    ``since`` is the day those terms began, when recorded; ``ended_on`` the day the next
    ones began.
    """

    since: Annotated[date | None, Maybe(Day())] = None
    ended_on: Annotated[date, Day()]
    annual_gross_cost: Annotated[Decimal | None, Maybe(Amount())] = None
    fte: Annotated[Decimal, FTE]

    def _check(self) -> None:
        if self.since is not None and self.since >= self.ended_on:
            raise ValidationError("since", _("Earlier pay must begin before it ended."))


@dataclass(frozen=True, slots=True, kw_only=True)
class Guide(RecordBase):
    """A staff member (Integrationsguide) with the municipalities they serve."""

    KIND: ClassVar[str] = "guide"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("name", "role")

    id: Annotated[str, Id()] = field(default_factory=new_id)
    name: Annotated[str, Text(NAME_MAX, required=True)]
    role: Annotated[str, Text(NAME_MAX)] = ""
    fte: Annotated[Decimal, FTE]
    started_on: Annotated[date, Day()]
    ended_on: Annotated[date | None, Maybe(Day())] = None
    municipality_ags: Annotated[tuple[str, ...], Many(AGS, 10)] = ()
    annual_gross_cost: Annotated[Decimal | None, Maybe(Amount())] = None
    pay_since: Annotated[date | None, Maybe(Day())] = None
    """The day the gross cost and full-time share above hold from (a raise, more hours)."""
    phone: Annotated[str, Text(40, pattern=PHONE_RE)] = ""
    email: Annotated[str, Text(254, pattern=EMAIL_RE)] = ""
    earlier_pay: Annotated[tuple[EarlierPay, ...], Many(Nested(EarlierPay), EARLIER_PAY_MAX)] = ()
    """Pay held before, oldest first (:func:`with_pay_change` adds it)."""

    def _check(self) -> None:
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise ValidationError("ended_on", _("Ends before it starts."))
        if not in_order(self.earlier_pay):
            raise ValidationError("earlier_pay", _("The earlier pay is not in order."))
        if (began := PAY_HISTORY.begins_too_early(self)) is not None:
            raise ValidationError(
                "pay_since",
                _("The earlier pay held from {day}: this pay cannot begin before.").format(
                    day=format_date(began)
                ),
            )

    def pay_on(self, day: date) -> tuple[Decimal | None, Decimal]:
        """The annual gross cost and full-time share held on ``day``."""
        entry = held_on(self.earlier_pay, day)
        if isinstance(entry, EarlierPay):
            return entry.annual_gross_cost, entry.fte
        return self.annual_gross_cost, self.fte

    def label(self) -> str:
        """The guide's name."""
        return self.name


def guides_of(ags: str, guides: Iterable[Guide]) -> list[Guide]:
    """The guides serving the municipality ``ags``."""
    return [g for g in guides if ags in g.municipality_ags]


def _earlier_pay(old: Guide, ended_on: date) -> EarlierPay:
    return EarlierPay(
        since=old.pay_since,
        ended_on=ended_on,
        annual_gross_cost=old.annual_gross_cost,
        fte=old.fte,
    )


PAY_HISTORY: History[Guide] = History(
    terms=lambda g: (g.annual_gross_cost, g.fte),
    since_field="pay_since",
    history_field="earlier_pay",
    entry=_earlier_pay,
    most=EARLIER_PAY_MAX,
    unknown=lambda g: g.annual_gross_cost is None,
)


def with_pay_change(old: Guide, new: Guide) -> Guide:
    """``new``, keeping ``old``'s gross cost and full-time share as earlier pay if this
    edit changes them from a later "pay since" day; without a later day the edit corrects
    what was entered (:mod:`dated_change`)."""
    return PAY_HISTORY.apply(old, new)


def staff_hourly_rate(guide: Guide, day: date, ref: ReferenceData) -> Decimal | None:
    """Hourly rate = annual gross employment cost / 1,720 hours, pro rata for part-time
    staff (Art. 55(1) Reg. (EU) 2021/1060): half-time, 860 hours; with the pay held on
    ``day``. To the cent, as the rate stands on the staff-cost sheet an auditor recomputes
    (hours x that rate)."""
    gross, fte = guide.pay_on(day)
    if gross is None:
        return None
    divisor = ref.rate_on("staff_hourly_rate", "annual_hours_divisor", day) * fte
    return (gross / divisor).quantize(Decimal("0.01"), ROUND_HALF_UP)
