"""Person: a newcomer the guide accompanies, with the raw attributes reports need.

Raw attributes (date or year of birth, gender, nationalities) are stored rather than age
bands or "EU/non-EU", so that any breakdown the ministry asks for later can still be
produced (DOMAIN.md, principle 3). Eligibility is derived, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Many,
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    COUNTRY_RE,
    EMAIL_RE,
    LANGUAGE_RE,
    NAME_MAX,
    PHONE_RE,
    SHORT_MAX,
    Code,
    Day,
    Flag,
    Id,
    Text,
    Whole,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

BIRTH_YEAR_MIN = 1900
BIRTH_YEAR_MAX = 2100


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(RecordBase):
    """A client/participant; its own id is the owner of its per-person key."""

    KIND: ClassVar[str] = "person"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("name", "phone", "email", "address")

    id: Annotated[str, Id()] = field(default_factory=new_id)
    name: Annotated[str, Text(NAME_MAX, required=True)]
    phone: Annotated[str, Text(40, pattern=PHONE_RE)] = ""
    email: Annotated[str, Text(254, pattern=EMAIL_RE)] = ""
    address: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""
    birth_date: Annotated[date | None, Maybe(Day())] = None
    birth_year: Annotated[int | None, Maybe(Whole(BIRTH_YEAR_MIN, BIRTH_YEAR_MAX))] = None
    birth_estimated: Annotated[bool, Flag()] = False
    gender: Annotated[str, Code("genders")] = "unspecified"
    nationalities: Annotated[tuple[str, ...], Many(Code("countries", COUNTRY_RE), 5)] = ()
    stateless: Annotated[bool, Flag()] = False
    residence_status: Annotated[str, Code("residence_statuses")] = "unknown"
    residence_status_date: Annotated[date | None, Maybe(Day())] = None
    eligibility_evidence: Annotated[str | None, Maybe(Code("evidence_types"))] = None
    eligibility_checked_on: Annotated[date | None, Maybe(Day())] = None
    arrival_date: Annotated[date | None, Maybe(Day())] = None
    languages: Annotated[tuple[str, ...], Many(Code("languages", LANGUAGE_RE), 20)] = ()
    handout_language: Annotated[str | None, Maybe(Code("handout_languages", LANGUAGE_RE))] = None
    interpreter_needed: Annotated[bool, Flag()] = False
    literate: Annotated[bool | None, Maybe(Flag())] = None
    household_id: Annotated[str | None, Maybe(Id())] = None

    def _check(self) -> None:
        if self.birth_date is not None and self.birth_year is not None:
            raise ValidationError(
                "birth_year", _("Give either the date or the year of birth, not both.")
            )
        if self.birth_estimated and self.birth_date is None and self.birth_year is None:
            raise ValidationError("birth_estimated", _("Only an entered birth can be estimated."))
        if self.stateless and self.nationalities:
            raise ValidationError("nationalities", _("A stateless person has no nationality."))
        birth = self.birth_date
        for name in ("arrival_date", "residence_status_date", "eligibility_checked_on"):
            day = getattr(self, name)
            if birth is not None and day is not None and day < birth:
                raise ValidationError(name, _("Date is before the date of birth."))

    def owner_person_id(self) -> str | None:
        """A person's records are sealed with the person's own key."""
        return self.id

    def label(self) -> str:
        """The person's name."""
        return self.name


def is_third_country_national(person: Person, ref: ReferenceData) -> bool:
    """Whether the person holds no EU/EEA/Swiss nationality (stateless counts as per data).

    Unknown nationality (none entered, not stateless) is *not* counted: a participant must
    not be reported as eligible on a guess.
    """
    if person.stateless:
        return bool(ref.stateless.extra["third_country_national"])
    if not person.nationalities:
        return False
    return not any(ref.is_eu_eea_ch(code) for code in person.nationalities)


def amif_eligible(person: Person, ref: ReferenceData) -> bool:
    """Third-country national with a residence status marked eligible in reference data."""
    if not is_third_country_national(person, ref):
        return False
    return bool(ref.entry("residence_statuses", person.residence_status).extra["amif_eligible"])


def age_on(person: Person, day: date) -> int | None:
    """Age in whole years on ``day``; None if no birth is recorded.

    With only a year of birth the age is the one reached during ``day``'s year, the usual
    convention when exact dates are unknown.

    Raises:
        ValueError: ``day`` lies before the birth (a caller error, not a user error).
    """
    if person.birth_date is not None:
        birth = person.birth_date
        if day < birth:
            raise ValueError("day is before the date of birth")
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    if person.birth_year is not None:
        if day.year < person.birth_year:
            raise ValueError("day is before the year of birth")
        return day.year - person.birth_year
    return None
