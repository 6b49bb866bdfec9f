"""HandoutGiven: a printed handout handed out, to a person or as an anonymous count.

The reports count handouts given by topic and language (KISI's own figures); recorded
against a person it also shows on that person's timeline and is sealed with their key, so
erasing the person erases it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import Maybe
from kisi_desktop.core.domain.fields import LANGUAGE_RE, Day, Id, OpenCode, Text, Whole
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase

TOPIC_RE = re.compile(r"[a-z][a-z0-9_]{1,40}")
"""A topic folder's name (``handouts/catalog.py``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HandoutGiven(RecordBase):
    """``copies`` of one topic in one language, handed out on a day (``version``: text hash)."""

    KIND: ClassVar[str] = "handout_given"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: Annotated[str, Id()] = field(default_factory=new_id)
    person_id: Annotated[str | None, Maybe(Id())] = None
    handed_out_on: Annotated[date, Day()]
    # Free codes, not enumerations: a guide's own topics and languages count as well.
    topic: Annotated[str, OpenCode("handout_topics", 41, pattern=TOPIC_RE)]
    language: Annotated[str, OpenCode("handout_languages", 12, pattern=LANGUAGE_RE)]
    copies: Annotated[int, Whole(1, 1000)] = 1
    version: Annotated[str, Text(64)] = ""

    def owner_person_id(self) -> str | None:
        """The person who received it, if recorded against one."""
        return self.person_id

    def label(self) -> str:
        """Topic and language codes, e.g. ``health (ar)``."""
        return f"{self.topic} ({self.language})"
