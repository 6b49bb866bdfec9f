"""Consent: what a person agreed to, on which form, and when it was given or withdrawn.

One record per purpose, because withdrawing one purpose (photos) must not touch another
(case documentation); sharing names the partner, since consent covers only that partner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    LANGUAGE_RE,
    Code,
    Day,
    Id,
    Text,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _


@dataclass(frozen=True, slots=True, kw_only=True)
class Consent(RecordBase):
    """One purpose a person consented to; ``partner_id`` only for sharing with a partner."""

    KIND: ClassVar[str] = "consent"
    SCHEMA_VERSION: ClassVar[int] = 1

    id: Annotated[str, Id()] = field(default_factory=new_id)
    person_id: Annotated[str, Id()]
    purpose: Annotated[str, Code("consent_purposes")]
    form_version: Annotated[str, Text(40, required=True)]
    form_language: Annotated[str, Code("handout_languages", LANGUAGE_RE)]
    given_on: Annotated[date, Day()]
    withdrawn_on: Annotated[date | None, Maybe(Day())] = None
    partner_id: Annotated[str | None, Maybe(Id())] = None

    def _check(self) -> None:
        if self.withdrawn_on is not None and self.withdrawn_on < self.given_on:
            raise ValidationError("withdrawn_on", _("Withdrawn before it was given."))

    def _check_ref(self, ref: ReferenceData) -> None:
        needs_partner = bool(ref.entry("consent_purposes", self.purpose).extra["needs_partner"])
        if needs_partner and self.partner_id is None:
            raise ValidationError("partner_id", _("Name the partner data may be shared with."))
        if not needs_partner and self.partner_id is not None:
            raise ValidationError("partner_id", _("A partner belongs only to sharing consent."))

    def owner_person_id(self) -> str | None:
        """Sealed with the key of the person who consented."""
        return self.person_id

    def label(self) -> str:
        """Purpose code and form version, e.g. ``photo (2025-10)``."""
        return f"{self.purpose} ({self.form_version})"


def consent_active(consent: Consent, day: date) -> bool:
    """Whether the consent covers ``day``: given on or before it and not withdrawn by then."""
    if day < consent.given_on:
        return False
    return consent.withdrawn_on is None or day < consent.withdrawn_on
