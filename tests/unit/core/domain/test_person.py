"""Person: validation names the field; TCN and AMIF eligibility follow reference data."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.person import (
    EarlierStatus,
    Person,
    age_on,
    amif_eligible,
    is_third_country_national,
    with_status_change,
)
from kisi_desktop.core.domain.record import field_errors
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError


def error_field(**fields: Any) -> str:
    with pytest.raises(ValidationError) as error:
        Person(**{"name": "Lina", **fields})
    return error.value.field


def ref_error_field(ref: ReferenceData, **fields: Any) -> str:
    person = Person(**{"name": "Lina", **fields})
    with pytest.raises(ValidationError) as error:
        person.validate(ref)
    return error.value.field


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "  \t"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Lina\nX"}, "name"),
        ({"birth_year": 1800}, "birth_year"),
        ({"birth_year": 2101}, "birth_year"),
        ({"birth_date": date(1850, 1, 1)}, "birth_date"),
        ({"birth_date": date(1990, 1, 1), "birth_year": 1990}, "birth_year"),
        ({"birth_estimated": True}, "birth_estimated"),
        ({"nationalities": ("sy",)}, "nationalities"),
        ({"nationalities": ("SYR",)}, "nationalities"),
        ({"nationalities": ("SY", "SY")}, "nationalities"),
        ({"nationalities": ("SY",), "stateless": True}, "nationalities"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"household_id": "family-1"}, "household_id"),
        ({"languages": ("Arabic",)}, "languages"),
        ({"gender": ""}, "gender"),
        ({"birth_date": date(2000, 5, 1), "arrival_date": date(1999, 1, 1)}, "arrival_date"),
        ({"id": "1234"}, "id"),
    ],
)
def test_bad_values_are_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    assert error_field(**fields) == field


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"gender": "robot"}, "gender"),
        ({"nationalities": ("QQ",)}, "nationalities"),
        ({"residence_status": "tourist"}, "residence_status"),
        ({"languages": ("xx",)}, "languages"),
        ({"handout_language": "xx"}, "handout_language"),
        ({"eligibility_evidence": "passport_copy"}, "eligibility_evidence"),
    ],
)
def test_unknown_codes_are_refused_by_validate(
    ref: ReferenceData, fields: dict[str, Any], field: str
) -> None:
    assert ref_error_field(ref, **fields) == field


def test_minimal_person_is_valid_with_defaults(ref: ReferenceData) -> None:
    person = Person(name="Lina")
    person.validate(ref)
    assert person.gender == "unspecified"
    assert person.residence_status == "unknown"
    assert person.owner_person_id() == person.id


def test_lists_become_tuples() -> None:
    person = Person(name="Lina", nationalities=["SY"], languages=["ar", "de"])
    assert person.nationalities == ("SY",)
    assert person.languages == ("ar", "de")


def test_household_members_share_an_id() -> None:
    household = new_id()
    a = Person(name="A", household_id=household)
    b = Person(name="B", household_id=household)
    assert a.household_id == b.household_id
    assert a.id != b.id


@pytest.mark.parametrize(
    ("nationalities", "stateless", "expected"),
    [
        (("SY",), False, True),
        (("FR",), False, False),
        ((), True, True),
        (("AF", "IR"), False, True),
        (("SY", "DE"), False, False),
        (("CH",), False, False),
        (("NO",), False, False),
        (("GB",), False, True),
        ((), False, False),
    ],
)
def test_third_country_national(
    ref: ReferenceData, nationalities: tuple[str, ...], stateless: bool, expected: bool
) -> None:
    person = Person(name="X", nationalities=nationalities, stateless=stateless)
    assert is_third_country_national(person, ref) is expected


def test_amif_eligibility_needs_tcn_and_an_eligible_status(ref: ReferenceData) -> None:
    refugee = Person(name="X", nationalities=("SY",), residence_status="refugee")
    assert amif_eligible(refugee, ref)
    assert not amif_eligible(dataclasses.replace(refugee, residence_status="unknown"), ref)
    assert not amif_eligible(dataclasses.replace(refugee, nationalities=("FR",)), ref)


def test_age_on_with_date_year_or_nothing() -> None:
    born = Person(name="X", birth_date=date(2000, 6, 15))
    assert age_on(born, date(2025, 6, 14)) == 24
    assert age_on(born, date(2025, 6, 15)) == 25
    assert age_on(Person(name="X", birth_year=2000), date(2025, 1, 1)) == 25
    assert age_on(Person(name="X"), date(2025, 1, 1)) is None
    with pytest.raises(ValueError, match="before"):
        age_on(born, date(1999, 1, 1))


names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=200
).filter(lambda s: s.strip() != "")


@given(
    name=st.one_of(
        st.sampled_from(["محمد", "ሰላም", "Ayşe Yılmaz", "Олена", "نازنین"]),
        names,
    ),
    birth=st.one_of(
        st.none(),
        st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
        st.integers(1900, 2100),
    ),
    nationalities=st.lists(
        st.sampled_from(["SY", "AF", "UA", "ER", "FR"]), unique=True, max_size=3
    ),
)
def test_hypothesis_round_trip(
    name: str, birth: date | int | None, nationalities: list[str]
) -> None:
    extra: dict[str, Any] = {}
    if isinstance(birth, date):
        extra["birth_date"] = birth
    elif isinstance(birth, int):
        extra["birth_year"] = birth
    person = Person(name=name, nationalities=nationalities, **extra)
    back = Person.from_payload(json.loads(json.dumps(person.to_payload())))
    assert back == person
    assert back.name == name


def test_field_errors_name_every_refused_field_at_once(ref: ReferenceData) -> None:
    errors = field_errors(
        Person,
        {
            "name": "",
            "phone": "ruf mich an",
            "nationalities": ("XX",),
            "gender": "female",
            "email": "amina@example.org",
        },
        ref,
    )
    assert set(errors) == {"name", "phone", "nationalities"}
    assert errors["name"] == "Dieses Feld ist erforderlich."


@given(st.sampled_from(["AF", "SY", "ER", "UA"]), st.integers(1900, 2026))
def test_field_errors_are_empty_where_the_record_builds(nationality: str, year: int) -> None:
    values = {"name": "Lina", "nationalities": (nationality,), "birth_year": year}
    ref = ReferenceData.load()
    assert field_errors(Person, values, ref) == {}
    Person(**values).validate(ref)


def test_a_dated_change_keeps_the_status_held_before() -> None:
    old = Person(name="Amal", nationalities=("SY",), residence_status="asylum_pending",
                 residence_status_date=date(2025, 9, 1))  # fmt: skip
    recognised = with_status_change(old, dataclasses.replace(
        old, residence_status="refugee", residence_status_date=date(2026, 2, 1)))  # fmt: skip
    assert recognised.earlier == (
        EarlierStatus(since=date(2025, 9, 1), ended_on=date(2026, 2, 1),
                      residence_status="asylum_pending", nationalities=("SY",)),
    )  # fmt: skip
    german = dataclasses.replace(
        recognised, nationalities=("SY", "DE"), residence_status_date=date(2027, 3, 1)
    )
    naturalised = with_status_change(recognised, german)
    assert [(e.residence_status, e.since, e.ended_on) for e in naturalised.earlier] == [
        ("asylum_pending", date(2025, 9, 1), date(2026, 2, 1)),
        ("refugee", date(2026, 2, 1), date(2027, 3, 1)),
    ]
    # Survives the round trip through the vault's JSON.
    assert Person.from_payload(json.loads(json.dumps(naturalised.to_payload()))) == naturalised


@pytest.mark.parametrize(
    "change",
    [
        {"residence_status": "refugee"},  # no day: a correction
        {"residence_status": "refugee", "residence_status_date": date(2025, 9, 1)},  # same day
        {"residence_status": "refugee", "residence_status_date": date(2025, 8, 1)},  # earlier
        {"residence_status_date": date(2026, 2, 1)},  # only the day moved
        {"phone": "+49 6421 1234"},  # nothing to do with the status
    ],
)
def test_a_correction_or_an_unrelated_edit_keeps_no_earlier_status(change: dict) -> None:
    old = Person(name="Amal", nationalities=("SY",), residence_status="asylum_pending",
                 residence_status_date=date(2025, 9, 1))  # fmt: skip
    assert with_status_change(old, dataclasses.replace(old, **change)).earlier == ()


def test_earlier_statuses_out_of_order_or_after_the_current_one_are_refused() -> None:
    def entry(end: date) -> EarlierStatus:
        return EarlierStatus(ended_on=end, residence_status="refugee", nationalities=("SY",))

    first, second = entry(date(2026, 1, 1)), entry(date(2026, 6, 1))
    assert error_field(earlier=(second, first)) == "earlier"
    assert error_field(earlier=(first, first)) == "earlier"
    # Named at the field the guide can correct: the status cannot begin before it ended.
    began = dataclasses.replace(second, since=date(2026, 2, 1))
    assert error_field(earlier=(began,), residence_status_date=date(2026, 1, 15)) == (
        "residence_status_date"
    )
    with pytest.raises(ValidationError):
        EarlierStatus(since=date(2026, 2, 1), ended_on=date(2026, 1, 1), residence_status="refugee")


def test_a_typo_in_the_day_of_the_last_change_can_be_corrected() -> None:
    """Settlement entered from 1 March, corrected to 1 February: the earlier status then
    ended on 1 February (before, the correction was refused with no way out)."""
    old = Person(name="Amal", nationalities=("SY",), residence_status="refugee",
                 residence_status_date=date(2025, 9, 1))  # fmt: skip
    settled = with_status_change(old, dataclasses.replace(
        old, residence_status="settlement", residence_status_date=date(2026, 3, 1)))  # fmt: skip
    fixed = with_status_change(
        settled, dataclasses.replace(settled, residence_status_date=date(2026, 2, 1))
    )
    assert [(e.residence_status, e.ended_on) for e in fixed.earlier] == [
        ("refugee", date(2026, 2, 1))
    ]
    fixed.validate(ReferenceData.load())
    # Not before the earlier status began: that is no typo to mend here.
    with pytest.raises(ValidationError) as refused:
        dataclasses.replace(settled, residence_status_date=date(2025, 8, 1))
    assert refused.value.field == "residence_status_date"
