"""Person: a newcomer the guide accompanies, with the raw attributes reports need.

Raw attributes (date or year of birth, gender, nationalities) are stored rather than age
bands or "EU/non-EU", so that any breakdown the ministry asks for later can still be
produced (DOMAIN.md, principle 3). Eligibility is derived, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.dated_change import History, in_order
from kisi_desktop.core.domain.field_groups import (
    Many,
    Maybe,
    Nested,
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
from kisi_desktop.core.domain.record import RecordBase, Value
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _, format_date

BIRTH_YEAR_MIN = 1900
BIRTH_YEAR_MAX = 2100
# Status changes kept per person: three years of a project see two or three at most.
EARLIER_MAX = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class EarlierStatus(Value):
    """A residence status and nationality the person held before a dated change.

    A refugee granted settlement, or naturalised, stays a participant for the support they
    had before (DOMAIN.md: counted in the period of first support); the reports count each
    day under the status held on it. ``since`` is the day that status was granted, when
    recorded; ``ended_on`` the day the next one began.
    """

    since: Annotated[date | None, Maybe(Day())] = None
    ended_on: Annotated[date, Day()]
    residence_status: Annotated[str, Code("residence_statuses")]
    nationalities: Annotated[tuple[str, ...], Many(Code("countries", COUNTRY_RE), 5)] = ()
    stateless: Annotated[bool, Flag()] = False

    def _check(self) -> None:
        if self.since is not None and self.since >= self.ended_on:
            raise ValidationError("since", _("An earlier status must begin before it ended."))


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
    earlier: Annotated[tuple[EarlierStatus, ...], Many(Nested(EarlierStatus), EARLIER_MAX)] = ()
    """Statuses held before, oldest first (:func:`with_status_change` adds them)."""

    def _check(self) -> None:
        if self.birth_date is not None and self.birth_year is not None:
            raise ValidationError(
                "birth_year", _("Give either the date or the year of birth, not both.")
            )
        if self.birth_estimated and self.birth_date is None and self.birth_year is None:
            raise ValidationError("birth_estimated", _("Only an entered birth can be estimated."))
        if self.stateless and self.nationalities:
            raise ValidationError("nationalities", _("A stateless person has no nationality."))
        if not in_order(self.earlier):
            raise ValidationError("earlier", _("The earlier statuses are not in order."))
        # A day before the last change's is a corrected typo (with_status_change moves
        # the change there); one before the earlier status even began cannot be mended.
        if (began := STATUS_HISTORY.begins_too_early(self)) is not None:
            raise ValidationError(
                "residence_status_date",
                _("The earlier status was held from {day}: the status cannot begin before.").format(
                    day=format_date(began)
                ),
            )
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


def _earlier_status(old: Person, ended_on: date) -> EarlierStatus:
    return EarlierStatus(
        since=old.residence_status_date,
        ended_on=ended_on,
        residence_status=old.residence_status,
        nationalities=old.nationalities,
        stateless=old.stateless,
    )


STATUS_HISTORY: History[Person] = History(
    terms=lambda p: (p.residence_status, p.nationalities, p.stateless),
    since_field="residence_status_date",
    history_field="earlier",
    entry=_earlier_status,
    most=EARLIER_MAX,
)


def with_status_change(old: Person, new: Person) -> Person:
    """``new``, keeping what ``old`` held as an earlier status if this edit is a change.

    A change of residence status, nationality or statelessness with a later "status
    since" day is a change in the person's life: what they held until that day is kept
    (:class:`EarlierStatus`), so that support before it still counts as it did. The same
    edit without a later day is a correction of what was entered, and replaces it; an
    earlier day than the last change's corrects that day (:mod:`dated_change`).
    """
    return STATUS_HISTORY.apply(old, new)


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
