"""Publication: a guide the project produced (Verwaltungswegweiser, Leitfaden, flyer).

KISI reports "administration guides produced" with their languages and print runs; the
handouts printed from the app are counted separately (HandoutGiven), this is for documents
made for the municipality or its partners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import Many, Maybe
from kisi_desktop.core.domain.fields import (
    LANGUAGE_RE,
    NAME_MAX,
    SHORT_MAX,
    Code,
    Day,
    Id,
    Text,
    Whole,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase


@dataclass(frozen=True, slots=True, kw_only=True)
class Publication(RecordBase):
    """A document published on ``published_on`` in ``languages``, ``print_run`` copies."""

    KIND: ClassVar[str] = "publication"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("title", "distribution")

    id: Annotated[str, Id()] = field(default_factory=new_id)
    publication_type: Annotated[str, Code("publication_types")]
    title: Annotated[str, Text(NAME_MAX, required=True)]
    published_on: Annotated[date, Day()]
    languages: Annotated[tuple[str, ...], Many(Code("languages", LANGUAGE_RE), 30)] = ("de",)
    version: Annotated[str, Text(40)] = ""
    print_run: Annotated[int | None, Maybe(Whole(0, 1_000_000))] = None
    distribution: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""
    """Where it is handed out (town hall, partners, online)."""

    def label(self) -> str:
        """The title."""
        return self.title
