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


def test_a_later_birth_that_records_would_lie_before_is_refused_naming_them(
    ws: Workspace,
) -> None:
    # QA: a person's year of birth corrected from 1981 to 1991 saved without a word,
    # though a contact, a note and a referral of theirs were dated 1985 to 1989.
    amina = ws.add(Person(name="Amina Haidari", birth_year=1981))
    ws.add(_contact(amina, date(1985, 11, 3)))
    ws.add(Note(person_id=amina.id, written_on=date(1989, 2, 1), text="Zeugnisse"))
    ws.add(Referral(person_id=amina.id, referred_on=date(1987, 4, 6), target="jobcenter"))
    ws.add(_contact(amina, date(2025, 11, 3)))
    with pytest.raises(ValidationError) as refused:
        ws.update(dataclasses.replace(amina, birth_year=1991))
    assert refused.value.field == "birth_year"
    assert refused.value.message == (
        "3 Einträge lägen vor dieser Geburt: Kontakt vom 03.11.1985, Weitervermittlung vom "
        "06.04.1987, Notiz vom 01.02.1989. Bitte die Geburt oder die Daten der Einträge "
        "prüfen."
    )
    assert ws.get(Person, amina.id).birth_year == 1981
    with pytest.raises(ValidationError) as refused:  # a date of birth: named under it
        ws.update(dataclasses.replace(amina, birth_year=None, birth_date=date(1989, 1, 5)))
    assert refused.value.field == "birth_date" and "Notiz vom 01.02.1989" not in str(
        refused.value.message
    )
    ws.update(dataclasses.replace(amina, birth_year=1985))  # (1 January: all after it)
    ws.update(dataclasses.replace(amina, birth_year=1991, birth_estimated=True))  # a guess
    assert ws.get(Person, amina.id).birth_year == 1991


def test_a_person_with_many_earlier_records_is_told_the_first_three_and_a_count(
    ws: Workspace,
) -> None:
    hamid = ws.add(Person(name="Hamid Noori", birth_year=1970))
    ws.save([_contact(hamid, date(1980, month, 1)) for month in range(1, 8)], "add")
    with pytest.raises(ValidationError) as refused:
        ws.update(dataclasses.replace(hamid, birth_year=1990))
    assert "01.03.1980 und 4 weitere." in refused.value.message
    # Another edit leaves the birth alone: nothing is read or asked.
    ws.update(dataclasses.replace(hamid, phone="06421 1234"))
