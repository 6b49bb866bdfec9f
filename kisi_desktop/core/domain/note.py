"""Note (case note) and FollowUp (a reminder with a due date), each optionally about a person.

Without a person they are office notes and are sealed with the records key rather than a
per-person key (``owner_person_id`` returns None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    NOTE_MAX,
    SHORT_MAX,
    Day,
    Flag,
    Id,
    Text,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase, short
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _


@dataclass(frozen=True, slots=True, kw_only=True)
class Note(RecordBase):
    """Free text written on a day, about a person or the office."""

    KIND: ClassVar[str] = "note"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("text",)

    id: Annotated[str, Id()] = field(default_factory=new_id)
    person_id: Annotated[str | None, Maybe(Id())] = None
    written_on: Annotated[date, Day()]
    text: Annotated[str, Text(NOTE_MAX, required=True, multiline=True)]

    def owner_person_id(self) -> str | None:
        """The person the note is about, if any."""
        return self.person_id

    def label(self) -> str:
        """The first line of the text, at most 60 characters."""
        return short(self.text)


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUp(RecordBase):
    """Something to do by ``due_on``; ``done_on`` may only be set once it is done."""

    KIND: ClassVar[str] = "followup"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("text",)
    DAY_FIELD: ClassVar[str | None] = "due_on"

    id: Annotated[str, Id()] = field(default_factory=new_id)
    person_id: Annotated[str | None, Maybe(Id())] = None
    due_on: Annotated[date, Day()]
    text: Annotated[str, Text(SHORT_MAX, required=True, multiline=True)]
    done: Annotated[bool, Flag()] = False
    done_on: Annotated[date | None, Maybe(Day())] = None

    def _check(self) -> None:
        if self.done_on is not None and not self.done:
            raise ValidationError("done_on", _("Only a finished task has a completion date."))

    def owner_person_id(self) -> str | None:
        """The person the task concerns, if any."""
        return self.person_id

    def label(self) -> str:
        """Due date and the start of the text."""
        return f"{self.due_on.isoformat()} {short(self.text, 48)}"
