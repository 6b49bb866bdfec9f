"""Contact: durations, interpreter rules, handouts, AMIF support derived via data."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain.contact import (
    Contact,
    Handout,
    contact_amif_support,
    contact_search_text,
)
from kisi_desktop.core.domain.fields import NOTE_MAX
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError


def contact(**fields: Any) -> Contact:
    base = {
        "person_id": new_id(),
        "contacted_on": date(2025, 11, 3),
        "duration_minutes": 30,
        "mode": "office",
    }
    return Contact(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"family_members": -1}, "family_members"),
        ({"note": "x" * (NOTE_MAX + 1)}, "note"),
        ({"person_id": ""}, "person_id"),
        ({"topics": ("housing", "housing")}, "topics"),
        ({"handouts": ({"topic": "housing", "language": "ar"},)}, "handouts"),
    ],
)
def test_bad_values_name_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        contact(**fields)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mode": "telepathy"}, "mode"),
        ({"topics": ("unknown_topic",)}, "topics"),
        ({"actions": ("magic",)}, "actions"),
        ({"interpreter_type": "professional"}, "interpreter_language"),
        ({"interpreter_language": "ar"}, "interpreter_language"),
        ({"handouts": (Handout(topic="housing", language="xx"),)}, "handouts.language"),
        ({"amif_support": ("sports",)}, "amif_support"),
    ],
)
def test_reference_rules_name_the_field(
    ref: ReferenceData, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        contact(**fields).validate(ref)
    assert error.value.field == field


def test_nested_handout_errors_name_the_path() -> None:
    payload = contact(handouts=(Handout(topic="housing", language="ar"),)).to_payload()
    payload["handouts"][0]["colour"] = "red"
    with pytest.raises(ValidationError) as error:
        Contact.from_payload(payload)
    assert error.value.field == "handouts.colour"


def test_amif_support_is_own_flags_plus_those_implied_by_data(ref: ReferenceData) -> None:
    assert contact_amif_support(contact(), ref) == frozenset()
    derived = contact(
        actions=("professional_guidance", "information"), amif_support=("language_course",)
    )
    assert contact_amif_support(derived, ref) == {"professional_guidance", "language_course"}


def test_search_text_includes_topic_labels_in_the_language(ref: ReferenceData) -> None:
    c = contact(topics=("housing",), note="Mietvertrag")
    assert contact_search_text(c, ref, "de") == "Mietvertrag\nWohnen"
    assert "housing" in contact_search_text(c, ref, "en")


@given(
    note=st.one_of(
        st.just(""),
        st.just("ሰላም\nمرحبا"),
        st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=300),
        st.just("ش" * NOTE_MAX),
    )
)
def test_hypothesis_round_trip_of_notes_up_to_the_limit(note: str) -> None:
    c = contact(note=note, handouts=(Handout(topic="health", language="ti"),))
    assert Contact.from_payload(json.loads(json.dumps(c.to_payload()))) == c
