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

An estimated birth (``birth_estimated``: the age guessed when no papers say it) gives
way: then the guess is likelier wrong than the day the guide met the person, and a
refusal would keep a real contact out. The form points it out under the date instead.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from kisi_desktop.core.domain.person import Person
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _, format_date


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


def check_after_birth(record: object, person: Person) -> None:
    """Raise ValidationError (naming the field) for a date of ``record``, a record of
    ``person``'s, that lies before their birth, unless the birth is an estimate."""
    born = earliest_birthday(person)
    if born is None or person.birth_estimated or not dataclasses.is_dataclass(record):
        return
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if isinstance(value, date) and value < born:
            raise ValidationError(
                field.name,
                _("Lies before the person's birth ({birth}).").format(birth=_birth_text(person)),
            )
