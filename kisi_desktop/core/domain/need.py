"""Need: one finding of the needs analysis (Bedarfsanalyse), anonymous by design.

KISI starts from a survey of what third-country nationals, the local population and the
administration need. A record says which group, which need from a maintained list, how
urgent, and for how many respondents; it never names a person, so the aggregates can go
into reports and bundles. The free-text note stays on the laptop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.fields import NOTE_MAX, Code, Day, Id, Text, Whole
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase, short


@dataclass(frozen=True, slots=True, kw_only=True)
class Need(RecordBase):
    """``respondents`` people of ``group`` named ``need`` with ``urgency`` on a day."""

    KIND: ClassVar[str] = "need"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("note",)

    id: Annotated[str, Id()] = field(default_factory=new_id)
    recorded_on: Annotated[date, Day()]
    group: Annotated[str, Code("target_groups")]
    need: Annotated[str, Code("needs")]
    urgency: Annotated[str, Code("urgencies")] = "medium"
    respondents: Annotated[int, Whole(1, 10_000)] = 1
    note: Annotated[str, Text(NOTE_MAX, multiline=True)] = ""

    def label(self) -> str:
        """The need code, or the note's first line when there is one."""
        return short(self.note) if self.note else self.need
