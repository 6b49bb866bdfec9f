"""OutcomeEvent: one observed result for the AMIF result indicators (R.2.8-R.2.11, O.2.5).

Which extra fields a kind allows or requires (CEFR levels, feedback answer) is reference
data (``outcome_kinds``), so a new indicator kind needs no code change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    Code,
    Day,
    Id,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

OPTIONAL_FIELDS = ("level_before", "level_after", "feedback")


@dataclass(frozen=True, slots=True, kw_only=True)
class OutcomeEvent(RecordBase):
    """A result for a person on a date; levels only for language, feedback only for feedback."""

    KIND: ClassVar[str] = "outcome"
    SCHEMA_VERSION: ClassVar[int] = 1
    DAY_FIELD: ClassVar[str | None] = "occurred_on"

    id: Annotated[str, Id()] = field(default_factory=new_id)
    person_id: Annotated[str, Id()]
    occurred_on: Annotated[date, Day()]
    kind: Annotated[str, Code("outcome_kinds")]
    level_before: Annotated[str | None, Maybe(Code("cefr_levels"))] = None
    level_after: Annotated[str | None, Maybe(Code("cefr_levels"))] = None
    feedback: Annotated[str | None, Maybe(Code("feedback_answers"))] = None

    def _check_ref(self, ref: ReferenceData) -> None:
        entry = ref.entry("outcome_kinds", self.kind)
        for name in OPTIONAL_FIELDS:
            value = getattr(self, name)
            if value is None and name in entry.extra["requires"]:
                raise ValidationError(name, _("This field is required."))
            if value is not None and name not in entry.extra["allows"]:
                raise ValidationError(name, _("Not used for this kind of outcome."))

    def owner_person_id(self) -> str | None:
        """Sealed with the key of the person concerned."""
        return self.person_id

    def label(self) -> str:
        """Date and kind, e.g. ``2026-03-01 language_level``."""
        return f"{self.occurred_on.isoformat()} {self.kind}"


def levels_gained(outcome: OutcomeEvent, ref: ReferenceData) -> int | None:
    """CEFR levels gained (order as in reference data); None unless both levels are known."""
    if outcome.level_before is None or outcome.level_after is None:
        return None
    order = list(ref.enum("cefr_levels"))
    return order.index(outcome.level_after) - order.index(outcome.level_before)
