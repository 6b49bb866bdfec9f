"""Nothing about a person is dated before their birth (core/domain/before_birth.py), by any
way in: the workspace refuses it, unless the birth is only an estimate."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kisi_desktop.core.domain import Contact, FollowUp, Note, Person, Referral
from kisi_desktop.core.domain.before_birth import before_birth_note
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.workspace import Workspace


def _contact(person: Person, day: date) -> Contact:
    return Contact(person_id=person.id, contacted_on=day, duration_minutes=30, mode="office")


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda p, d: _contact(p, d), "contacted_on"),
        (lambda p, d: Note(person_id=p.id, written_on=d, text="Zeugnisse"), "written_on"),
        (lambda p, d: Referral(person_id=p.id, referred_on=d, target="jobcenter"), "referred_on"),
        (lambda p, d: FollowUp(person_id=p.id, due_on=d, text="Anrufen"), "due_on"),
    ],
)
def test_a_record_dated_before_the_birth_is_refused(
    ws: Workspace, make: object, field: str
) -> None:
    # QA: a contact typed as 03.11.1985 for a person born 03.05.1991 was saved without a
    # word (and the person's age at it was then negative in every breakdown).
    amina = ws.add(Person(name="Amina Haidari", birth_date=date(1991, 5, 3)))
    with pytest.raises(ValidationError) as refused:
        ws.add(make(amina, date(1991, 5, 2)))  # type: ignore[operator]
    assert refused.value.field == field
    assert "03.05.1991" in refused.value.message
    ws.add(make(amina, date(1991, 5, 3)))  # type: ignore[operator]  # (the day itself is fine)


def test_with_a_year_of_birth_only_the_year_before_is_refused(ws: Workspace) -> None:
    yusuf = ws.add(Person(name="Yusuf Abdi", birth_year=2001))
    with pytest.raises(ValidationError) as refused:
        ws.add(_contact(yusuf, date(2000, 12, 31)))
    assert refused.value.field == "contacted_on" and "2001" in refused.value.message
    ws.add(_contact(yusuf, date(2001, 1, 1)))


def test_an_edit_is_refused_too_and_a_person_without_birth_data_is_never(ws: Workspace) -> None:
    yusuf = ws.add(Person(name="Yusuf Abdi", birth_year=2001))
    contact = ws.add(_contact(yusuf, date(2026, 1, 5)))
    with pytest.raises(ValidationError):
        ws.update(dataclasses.replace(contact, contacted_on=date(1999, 1, 5)))
    nobody = ws.add(Person(name="Hamid Noori"))
    ws.add(_contact(nobody, date(1999, 1, 5)))


def test_an_estimated_birth_gives_way_and_is_only_pointed_out(ws: Workspace) -> None:
    """The guessed year is likelier wrong than the day the guide met the person."""
    guessed = ws.add(Person(name="Hamid Noori", birth_year=2001, birth_estimated=True))
    ws.add(_contact(guessed, date(2000, 6, 1)))
    assert before_birth_note(guessed, date(2000, 6, 1)) == (
        "Vor der geschätzten Geburt (2001): Stimmt die Schätzung noch?"
    )
    assert before_birth_note(guessed, date(2001, 1, 1)) == ""


def test_the_person_saved_with_the_record_is_the_one_compared(ws: Workspace) -> None:
    """A list import saves a person and their first contact as one action."""
    new = Person(name="Zahra Karimi", birth_year=1995)
    with pytest.raises(ValidationError):
        ws.save([new, _contact(new, date(1990, 1, 1))], "add")
    assert ws.list(Person) == []
