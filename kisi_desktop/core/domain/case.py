"""Case (Beratungsfall) and its retention: when notes and the proof record become due.

Two retention regimes (DOMAIN.md, principle 4): counselling notes are deleted soon after
the case closes (MBE practice, default 12 months), while the minimal AMIF proof of
participation is kept for the audit period: 5 years after the case closes, and at least
until the end of 2033, five years after the year of the project's last payment (Art. 82
Reg. (EU) 2021/1060; unverified). All of it is dated reference data; a legal hold stops
both clocks, because deleting too early can be unlawful too.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Many,
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    AGS_RE,
    Code,
    Day,
    Flag,
    Id,
    Text,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

RETENTION_TABLE = "retention_months"
FLOOR_TABLE = "kept_through_year"


@dataclass(frozen=True, slots=True, kw_only=True)
class Case(RecordBase):
    """A counselling case of one person; ``closed_on`` is set when the status is a closed one."""

    KIND: ClassVar[str] = "case"
    SCHEMA_VERSION: ClassVar[int] = 1

    id: Annotated[str, Id()] = field(default_factory=new_id)
    person_id: Annotated[str, Id()]
    opened_on: Annotated[date, Day()]
    closed_on: Annotated[date | None, Maybe(Day())] = None
    status: Annotated[str, Code("case_statuses")] = "open"
    main_topics: Annotated[tuple[str, ...], Many(Code("topics"), 20)] = ()
    legal_hold: Annotated[bool, Flag()] = False
    municipality_ags: Annotated[str | None, Maybe(Text(8, required=True, pattern=AGS_RE))] = None
    guide_id: Annotated[str | None, Maybe(Id())] = None

    def _check(self) -> None:
        if self.closed_on is not None and self.closed_on < self.opened_on:
            raise ValidationError("closed_on", _("Closed before it was opened."))

    def _check_ref(self, ref: ReferenceData) -> None:
        closed = bool(ref.entry("case_statuses", self.status).extra["closed"])
        if closed and self.closed_on is None:
            raise ValidationError("closed_on", _("A closed case needs a closing date."))
        if not closed and self.closed_on is not None:
            raise ValidationError("status", _("A case with a closing date must be closed."))

    def owner_person_id(self) -> str | None:
        """Sealed with the key of the person advised."""
        return self.person_id

    def label(self) -> str:
        """Opening date and status, e.g. ``2025-11-03 open``."""
        return f"{self.opened_on.isoformat()} {self.status}"


@dataclass(frozen=True, slots=True)
class RetentionDue:
    """When a case's notes and its proof-of-participation record are due for deletion.

    None means "not due": the case is still open, or under legal hold.
    """

    notes: date | None
    participation_proof: date | None


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_due(case: Case, ref: ReferenceData) -> RetentionDue:
    """Deletion dates from the periods valid on the closing day (retention.json)."""
    if case.closed_on is None or case.legal_hold:
        return RetentionDue(None, None)
    return RetentionDue(*retention_after(case.closed_on, ref))


def retention_after(ended: date, ref: ReferenceData) -> tuple[date, date]:
    """(notes, proof of participation) deletion dates for counselling that ended on
    ``ended`` (a case closed, or the last contact of a person without an open case): the
    periods valid on that day."""
    proof = add_months(ended, _months(ref, "participation_proof", ended))
    return notes_due_on(ended, ref), max(proof, _audit_end(ref, ended))


def _audit_end(ref: ReferenceData, closed_on: date) -> date:
    """The first day after the audit period: the proof of a case closed early in the
    project is kept until then (Art. 82 Reg. (EU) 2021/1060 counts five years from the end
    of the year of the last payment, not from the case)."""
    if not ref.has_rate(FLOOR_TABLE, "participation_proof"):
        return closed_on
    first = ref.first_dated(FLOOR_TABLE, "participation_proof")
    day = max(closed_on, first.valid_from)
    return date(int(ref.rate_on(FLOOR_TABLE, "participation_proof", day)) + 1, 1, 1)


def notes_due_on(closed_on: date, ref: ReferenceData) -> date:
    """The day a closed case's notes are due for deletion (the period valid on closing)."""
    return add_months(closed_on, _months(ref, "case_notes", closed_on))


def _months(ref: ReferenceData, key: str, closed_on: date) -> int:
    """The retention period valid on ``closed_on``; a case closed before the data's first
    period (entered late, or imported) keeps that first period rather than none at all."""
    first = ref.first_dated(RETENTION_TABLE, key)
    if closed_on < first.valid_from:
        return int(first.value)
    return int(ref.rate_on(RETENTION_TABLE, key, closed_on))
