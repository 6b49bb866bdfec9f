"""Pseudonyms: the same person on two laptops is one pseudonym; different people are not."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain import Person

from kisi_desktop.bundles.pseudonyms import normalised_name, pseudonym, pseudonym_of

from tests.support.vectors import load_vector

KEY = bytes(range(32))


def test_the_same_person_typed_twice_gets_one_pseudonym() -> None:
    a = Person(name="Amina  Haidari", birth_date=date(1994, 3, 2))
    b = Person(name="amina haidari", birth_date=date(1994, 3, 2))
    assert pseudonym(KEY, a) == pseudonym(KEY, b)
    assert len(pseudonym(KEY, a)) == 32


def test_namesakes_of_one_year_are_kept_apart_where_the_record_allows() -> None:
    a = Person(name="Ali Rahimi", birth_year=1990, gender="male", nationalities=("AF",))
    b = dataclasses.replace(a, nationalities=("IR",))
    c = dataclasses.replace(a, gender="female")
    assert len({pseudonym(KEY, p) for p in (a, b, c)}) == 3


def test_another_municipality_key_gives_unlinkable_pseudonyms() -> None:
    person = Person(name="Ali Rahimi", birth_date=date(1990, 1, 1))
    assert pseudonym(KEY, person) != pseudonym(bytes(32), person)


@given(st.text(min_size=1, max_size=40))
def test_normalising_is_stable(name: str) -> None:
    once = normalised_name(name)
    assert normalised_name(once) == once


@pytest.mark.parametrize("case", load_vector("pseudonym")["cases"], ids=lambda c: c["message"])
def test_pseudonyms_match_the_pinned_vectors(case: dict[str, Any]) -> None:
    """Bundles of every app version must agree: a change to the scheme would make each
    person two people at the ministry. The vector states the message in words too, so the
    rule can be checked by hand (and by another implementation)."""
    key = bytes.fromhex(load_vector("pseudonym")["key_hex"])
    by_hand = hmac.new(key, case["message"].encode("utf-8"), hashlib.sha256).hexdigest()[:32]
    assert by_hand == case["pseudonym"]
    assert (
        pseudonym_of(
            key,
            name=case["name"],
            birth_date=case["birth_date"],
            birth_year=case["birth_year"],
            gender=case["gender"],
            nationalities=case["nationalities"],
        )
        == case["pseudonym"]
    )
