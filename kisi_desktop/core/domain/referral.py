"""Referral (Verweisberatung): where a person was sent and whether it worked out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    SHORT_MAX,
    Code,
    Day,
    Id,
    Text,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

# Statuses after which a referral needs no more following up: the person went, or it was
# closed. Until then its "follow up on" day is due like a follow-up.
SETTLED_REFERRALS = frozenset({"attended", "closed"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Referral(RecordBase):
    """A referral to a target service type, optionally a named partner organisation."""

    KIND: ClassVar[str] = "referral"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("note",)

    id: Annotated[str, Id()] = field(default_factory=new_id)
    person_id: Annotated[str, Id()]
    contact_id: Annotated[str | None, Maybe(Id())] = None
    referred_on: Annotated[date, Day()]
    target: Annotated[str, Code("referral_targets")]
    partner_id: Annotated[str | None, Maybe(Id())] = None
    status: Annotated[str, Code("referral_statuses")] = "recommended"
    follow_up_on: Annotated[date | None, Maybe(Day())] = None
    note: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""

    def _check(self) -> None:
        if self.follow_up_on is not None and self.follow_up_on < self.referred_on:
            raise ValidationError("follow_up_on", _("Follow-up is before the referral."))

    def owner_person_id(self) -> str | None:
        """Sealed with the key of the person referred."""
        return self.person_id

    def label(self) -> str:
        """Date and target code, e.g. ``2025-11-03 jobcenter``."""
        return f"{self.referred_on.isoformat()} {self.target}"
