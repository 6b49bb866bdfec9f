"""Draft: what a guide had typed into a form that was not saved yet (auto-lock, crash).

Stored sealed like any record (under the person's key when the form belongs to a person),
so unsaved input never lands on disk in plaintext; deleted when the form is saved or
discarded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from kisi_desktop.core.domain.field_groups import Maybe
from kisi_desktop.core.domain.fields import NOTE_MAX, Id, Text
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft(RecordBase):
    """Unsaved form input: which form, which record it edits, and the typed values (JSON)."""

    KIND: ClassVar[str] = "draft"
    SCHEMA_VERSION: ClassVar[int] = 1

    id: Annotated[str, Id()] = field(default_factory=new_id)
    form: Annotated[str, Text(80, required=True)]
    record_kind: Annotated[str, Text(40, required=True)]
    record_id: Annotated[str | None, Maybe(Id())] = None
    person_id: Annotated[str | None, Maybe(Id())] = None
    values_json: Annotated[str, Text(4 * NOTE_MAX, multiline=True)] = "{}"

    def _check(self) -> None:
        try:
            parsed = json.loads(self.values_json)
        except ValueError:
            raise ValidationError("values_json", _("Not in a valid format.")) from None
        if not isinstance(parsed, dict):
            raise ValidationError("values_json", _("Not in a valid format."))

    def owner_person_id(self) -> str | None:
        """Sealed under the person's key, so erasing the person erases the draft too."""
        return self.person_id

    def values(self) -> dict[str, Any]:
        """The typed values."""
        parsed: dict[str, Any] = json.loads(self.values_json)
        return parsed

    def label(self) -> str:
        """The form's name."""
        return self.form
