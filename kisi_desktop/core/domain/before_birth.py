"""Nothing about a person is dated before they were born.

A contact typed as 03.11.1985 for a person born on 03.05.1991 was saved without a word
(QA pass): a slip in the year, of the record or of the birth. With only a year of birth,
"before the birth" means before 1 January of that year.

It refuses, where a date outside the project only warns (ui/pages/project_period_note.py):
a receipt may well be dated a day before the project, and the guide decides; a contact
before the birth can never be right, and once saved it reaches the figures (the age at
the contact below zero). The workspace refuses it for every way in (the form, ``kisi
contact add``, an import), as it refuses a date still to come (``entry_dates.py``) and
a person's arrival before their birth (``person.py``).

The other way round, a birth changed to a later one that some of the person's records
already lie before is refused too (naming them, under the birth field): the records were
checked against the old birth, and a slip in the new one would put them before it
unseen. The form names them while the birth is typed (:func:`earlier_records_note`).

An estimated birth (``birth_estimated``: the age guessed when no papers say it) gives
way: then the guess is likelier wrong than the day the guide met the person, and a
refusal would keep a real contact out. The form points it out under the date instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from kisi_desktop.core.domain.person import Person
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _, format_date, ngettext
from kisi_desktop.core.record_text import kind_name

# Records named in a note before "and N more" (a person page can hold hundreds).
NAMED_RECORDS = 3


def earliest_birthday(person: Person) -> date | None:
    """The first day the person can have been born: the date of birth, or 1 January of
    the year of birth (None without either)."""
    if person.birth_date is not None:
        return person.birth_date
    if person.birth_year is not None:
        return date(person.birth_year, 1, 1)
    return None


def _birth_text(person: Person) -> str:
    return format_date(person.birth_date) if person.birth_date else str(person.birth_year)


def before_birth_note(person: Person, day: date) -> str:
    """What a form says under a date of ``person``'s record while it is typed ("" when
    the day is not before the birth)."""
    born = earliest_birthday(person)
    if born is None or day >= born:
        return ""
    if person.birth_estimated:
        return _("Before the estimated birth ({birth}): is the estimate still right?").format(
            birth=_birth_text(person)
        )
    return _("Before the person's birth ({birth}): please check the date.").format(
        birth=_birth_text(person)
    )


def _dates(record: object) -> list[tuple[str, date]]:
    """(field, day) of every date of ``record``."""
    if not dataclasses.is_dataclass(record):
        return []
    days = ((f.name, getattr(record, f.name)) for f in dataclasses.fields(record))
    return [(name, day) for name, day in days if isinstance(day, date)]


def first_day(record: object) -> date | None:
    """The earliest date of ``record`` (any of its date fields), or None."""
    return min((day for _name, day in _dates(record)), default=None)


def check_after_birth(record: object, person: Person) -> None:
    """Raise ValidationError (naming the field) for a date of ``record``, a record of
    ``person``'s, that lies before their birth, unless the birth is an estimate."""
    born = earliest_birthday(person)
    if born is None or person.birth_estimated:
        return
    for name, value in _dates(record):
        if value < born:
            raise ValidationError(
                name,
                _("Lies before the person's birth ({birth}).").format(birth=_birth_text(person)),
            )


def birth_field(person: Person) -> str:
    """The field a person's birth is typed in: the date where there is one, else the year."""
    return "birth_date" if person.birth_date is not None else "birth_year"


def records_before(person: Person, dated: Sequence[tuple[str, date]]) -> list[tuple[str, date]]:
    """Those of ``dated`` ((kind, earliest day) of the person's records) that lie
    before ``person``'s birth, earliest first."""
    born = earliest_birthday(person)
    if born is None:
        return []
    return sorted((pair for pair in dated if pair[1] < born), key=lambda pair: pair[1])


def earlier_records_note(person: Person, dated: Sequence[tuple[str, date]]) -> str:
    """What the person form says under the birth while it is typed: the records that
    would lie before it ("" for none). An estimated birth only asks."""
    found = records_before(person, dated)
    if not found:
        return ""
    named = ", ".join(
        _("{record} of {day}").format(record=kind_name(kind), day=format_date(day))
        for kind, day in found[:NAMED_RECORDS]
    )
    if len(found) > NAMED_RECORDS:
        more = len(found) - NAMED_RECORDS
        named = ngettext("{named} and {n} more", "{named} and {n} more", more).format(
            named=named, n=more
        )
    if person.birth_estimated:
        return ngettext(
            "Before this estimated birth lies a record: {records}. Is the estimate right?",
            "Before this estimated birth lie {n} records: {records}. Is the estimate right?",
            len(found),
        ).format(n=len(found), records=named)
    return ngettext(
        "A record would lie before this birth: {records}. Please check the birth or the "
        "record's date.",
        "{n} records would lie before this birth: {records}. Please check the birth or the "
        "records' dates.",
        len(found),
    ).format(n=len(found), records=named)


def check_records_after_birth(person: Person, dated: Sequence[tuple[str, date]]) -> None:
    """Raise ValidationError under the birth when some of ``dated`` (the person's
    records) would lie before it, unless the birth is an estimate."""
    if not person.birth_estimated and (text := earlier_records_note(person, dated)):
        raise ValidationError(birth_field(person), text)
