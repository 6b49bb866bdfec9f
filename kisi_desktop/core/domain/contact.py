"""Contact (Beratungskontakt): one counselling session with a person, and handouts given.

AMIF sub-counts (O.2.3.1-3: language course, civic orientation, professional guidance) come
from flags set on the contact plus flags that reference data attaches to topics and actions,
so the rule "which action counts as professional guidance" is data, not code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Many,
    Maybe,
    Nested,
)
from kisi_desktop.core.domain.fields import (
    LANGUAGE_RE,
    NOTE_MAX,
    Code,
    Day,
    Id,
    Text,
    Whole,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase, Value, join_text
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _


@dataclass(frozen=True, slots=True, kw_only=True)
class Handout(Value):
    """One handout given: its topic and language."""

    topic: Annotated[str, Code("handout_topics")]
    language: Annotated[str, Code("handout_languages", LANGUAGE_RE)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact(RecordBase):
    """A counselling contact; ``note`` may be empty, topics and actions are multi-choice."""

    KIND: ClassVar[str] = "contact"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("note",)
    DAY_FIELD: ClassVar[str | None] = "contacted_on"

    id: Annotated[str, Id()] = field(default_factory=new_id)
    person_id: Annotated[str, Id()]
    case_id: Annotated[str | None, Maybe(Id())] = None
    contacted_on: Annotated[date, Day()]
    duration_minutes: Annotated[int, Whole(1, 24 * 60)]
    mode: Annotated[str, Code("contact_modes")]
    interpreter_type: Annotated[str, Code("interpreter_types")] = "none"
    interpreter_language: Annotated[str | None, Maybe(Code("languages", LANGUAGE_RE))] = None
    topics: Annotated[tuple[str, ...], Many(Code("topics"), 30)] = ()
    actions: Annotated[tuple[str, ...], Many(Code("actions"), 30)] = ()
    family_members: Annotated[int, Whole(0, 50)] = 0
    note: Annotated[str, Text(NOTE_MAX, multiline=True)] = ""
    handouts: Annotated[tuple[Handout, ...], Many(Nested(Handout), 50)] = ()
    amif_support: Annotated[tuple[str, ...], Many(Code("amif_support"), 10)] = ()

    def _check_ref(self, ref: ReferenceData) -> None:
        uses_language = ref.entry("interpreter_types", self.interpreter_type).extra["uses_language"]
        if uses_language and self.interpreter_language is None:
            raise ValidationError("interpreter_language", _("Name the interpreted language."))
        if not uses_language and self.interpreter_language is not None:
            raise ValidationError("interpreter_language", _("No language without an interpreter."))

    def owner_person_id(self) -> str | None:
        """Sealed with the key of the person advised."""
        return self.person_id

    def label(self) -> str:
        """Date and duration, e.g. ``2025-11-03 (45 min)``."""
        return f"{self.contacted_on.isoformat()} ({self.duration_minutes} min)"


def contact_amif_support(contact: Contact, ref: ReferenceData) -> frozenset[str]:
    """AMIF support kinds of a contact: its own flags plus those its topics/actions imply."""
    flags = set(contact.amif_support)
    for group, codes in (("topics", contact.topics), ("actions", contact.actions)):
        for code in codes:
            flags.update(ref.entry(group, code).extra.get("amif_support", ()))
    return frozenset(flags)


def contact_search_text(contact: Contact, ref: ReferenceData, language: str) -> str:
    """Note plus topic labels in ``language``, for a search that also finds "Wohnen"."""
    labels = [ref.label("topics", code, language) for code in contact.topics]
    return join_text(contact.note, *labels)
