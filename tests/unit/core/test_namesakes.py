"""Who counts as the same person (core/namesakes.py): the People form, ``kisi person add``
and the list import all ask before adding them twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain import Person
from kisi_desktop.core.namesakes import namesakes, same_person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace


def test_same_name_and_agreeing_birth_is_the_same_person() -> None:
    amina = Person(name="Amina Haidari", birth_year=1991)
    assert same_person(amina, Person(name="amina  HAIDARI", birth_date=date(1991, 5, 3)))
    assert same_person(amina, Person(name="Amina Haidari"))  # no birth data: could be her
    assert not same_person(amina, Person(name="Amina Haidari", birth_year=1975))
    assert not same_person(amina, Person(name="Amina Haidary", birth_year=1991))
    assert not same_person(
        Person(name="Amina Haidari", birth_date=date(1991, 5, 3)),
        Person(name="Amina Haidari", birth_date=date(1991, 5, 4)),
    )


@given(
    st.text(
        st.characters(whitelist_categories=("L", "M", "Nd", "Zs")), min_size=1, max_size=40
    ).filter(lambda t: t.strip())
)
def test_a_person_is_always_their_own_namesake_by_name(name: str) -> None:
    assert same_person(Person(name=name.strip()), Person(name=name.strip()))


def test_namesakes_are_found_in_the_vault_in_any_script(tmp_path: Path) -> None:
    ws, _code = Workspace.create(tmp_path / "v.kisi", "Lindenblüte 2026", kdf=TEST_PARAMS)
    there = ws.add(Person(name="مريم رحيمي", birth_year=1988))
    ws.add(Person(name="مريم رحيمي", birth_year=2001))
    ws.add(Person(name="Maryam Rahimi", birth_year=1988))
    found = namesakes(ws, Person(name="مريم رحيمي", birth_year=1988))
    assert [p.id for p in found] == [there.id]
    assert namesakes(ws, there) == []  # (not the person itself)
    ws.lock()


def test_names_written_two_ways_are_one_name() -> None:
    assert same_person(Person(name="AYŞE YILMAZ"), Person(name="Ayşe Yılmaz"))
    assert same_person(Person(name="Al-Hassan Omar"), Person(name="Al Hassan Omar"))
    assert same_person(Person(name="أحمد"), Person(name="احمد"))


def test_the_one_namesake_is_found_among_hundreds_of_longer_names(tmp_path: Path) -> None:
    """Word prefixes and a limit would miss her: every name is compared."""
    ws, _code = Workspace.create(tmp_path / "v.kisi", "Lindenblüte 2026", kdf=TEST_PARAMS)
    first = ws.add(Person(name="Mohammad Ahmadi", birth_year=1990))
    ws.save([Person(name=f"Mohammad Ahmadiyan {n}", birth_year=1990) for n in range(400)])
    assert [p.id for p in namesakes(ws, Person(name="Mohammad Ahmadi", birth_year=1990))] == [
        first.id
    ]
    ws.lock()
