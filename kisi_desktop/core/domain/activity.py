"""Activity: group work, network and administration work; an event is an activity with attendance.

Decision: one class with an ``is_event`` flag rather than an Event subclass, because every
field of an event (type, date, target groups, named and anonymous participants) is also
an activity field; reports select events with ``is_event``. Named participants link
Persons for unique counting; everyone else is an anonymous headcount per target group and
per gender (DOMAIN.md 6.1).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
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
    # Named, not only first: a person's Art. 15 copy keeps an event's title, not its note.
    LABEL_FIELDS: ClassVar[tuple[str, ...]] = ("title",)
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

    def entry_check(self) -> None:
        """An event's headcounts must fit its recorded total: the named participants and
        the third-country nationals counted overlap at most, the other groups add up.
        Without a recorded total, the people counted by gender may not outnumber those
        counted by group and by name (where there are any)."""
        if self.attendance_total is None:
            everyone = attendance_split(
                None, dict(self.counts_by_target_group), len(self.participant_ids)
            )[1]
            by_gender = sum(n for _code, n in self.counts_by_gender)
            if everyone and by_gender > everyone:
                raise ValidationError(
                    "counts_by_gender",
                    _("More people by gender ({n}) than took part ({total}).").format(
                        n=by_gender, total=everyone
                    ),
                )
            return
        _tcn, total = attendance_split(
            self.attendance_total, dict(self.counts_by_target_group), len(self.participant_ids)
        )
        if total > self.attendance_total:
            raise ValidationError(
                "counts_by_target_group",
                _("More people counted by target group and by name ({n}) than attended.").format(
                    n=total
                ),
            )

    def label(self) -> str:
        """The title."""
        return self.title


def attendance_of_row(recorded: object, headcounts: object, named: object) -> int:
    """Everyone at an activity from raw working-set values (counts and names as JSON
    text), for lists that do not build the records."""
    heads = json.loads(headcounts) if isinstance(headcounts, str) and headcounts else {}
    ids = json.loads(named) if isinstance(named, str) and named else []
    counts = {str(k): int(v) for k, v in heads.items()} if isinstance(heads, dict) else {}
    total = int(recorded) if isinstance(recorded, int) else None
    return attendance_split(total, counts, len(ids) if isinstance(ids, list) else 0)[1]


def attendance_split(
    recorded: int | None, headcounts: Mapping[str, int], named: int
) -> tuple[int, int]:
    """(third-country nationals, everyone) at an activity: the one rule that the Overview,
    the Events list and the reports count attendance by.

    The anonymous headcounts count everyone who was not named, so the named participants
    join the ``tcn`` headcount; only where the recorded total is smaller than that sum were
    the named evidently counted already, and ``tcn`` is then the larger of the two. The
    total is the recorded one, or the sum of the groups where that is larger or none was
    recorded.
    """
    tcn = headcounts.get("tcn", 0) + named
    others = sum(n for group, n in headcounts.items() if group != "tcn")
    if recorded is not None and tcn + others > recorded:
        tcn = max(headcounts.get("tcn", 0), named)
    return tcn, max(recorded or 0, tcn + others)
