"""Activity: group work, network and administration work; an event is an activity with attendance.

Decision: one class with an ``is_event`` flag rather than an Event subclass, because every
field of an event (type, date, target groups, named and anonymous participants) is also
an activity field; reports select events with ``is_event``. Named participants link
Persons for unique counting; everyone else is an anonymous headcount per target group and
per gender (DOMAIN.md 6.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Counts,
    Many,
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    AGS_RE,
    NAME_MAX,
    NOTE_MAX,
    Code,
    Day,
    Flag,
    Id,
    Text,
    Whole,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

Counted = tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity(RecordBase):
    """An activity in one municipality; counts are ``((code, n), ...)`` sorted by code.

    The constructor also accepts a dict for the count fields and stores sorted pairs.
    """

    KIND: ClassVar[str] = "activity"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("title", "note")
    DAY_FIELD: ClassVar[str | None] = "starts_on"

    id: Annotated[str, Id()] = field(default_factory=new_id)
    activity_type: Annotated[str, Code("activity_types")]
    title: Annotated[str, Text(NAME_MAX, required=True)]
    starts_on: Annotated[date, Day()]
    ends_on: Annotated[date | None, Maybe(Day())] = None
    municipality_ags: Annotated[str, Text(8, required=True, pattern=AGS_RE)]
    target_groups: Annotated[tuple[str, ...], Many(Code("target_groups"), 10)] = ()
    participant_ids: Annotated[tuple[str, ...], Many(Id(), 1000)] = ()
    counts_by_target_group: Annotated[Counted, Counts("target_groups")] = ()
    counts_by_gender: Annotated[Counted, Counts("genders")] = ()
    partner_ids: Annotated[tuple[str, ...], Many(Id(), 100)] = ()
    amif_support: Annotated[tuple[str, ...], Many(Code("amif_support"), 10)] = ()
    is_event: Annotated[bool, Flag()] = False
    attendance_total: Annotated[int | None, Maybe(Whole(0, 1_000_000))] = None
    note: Annotated[str, Text(NOTE_MAX, multiline=True)] = ""

    def _check(self) -> None:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValidationError("ends_on", _("Ends before it starts."))
        if not self.is_event and self.attendance_total is not None:
            raise ValidationError("attendance_total", _("Only events have an attendance."))
        if self.attendance_total is not None:
            if sum(n for _code, n in self.counts_by_gender) > self.attendance_total:
                raise ValidationError("counts_by_gender", _("More people by gender than attended."))
            if len(self.participant_ids) > self.attendance_total:
                raise ValidationError(
                    "participant_ids", _("More named participants than attended.")
                )

    def label(self) -> str:
        """The title."""
        return self.title
