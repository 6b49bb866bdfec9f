"""``core/record_text.py``: codes, kinds and field values in the words of the UI language."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kisi_desktop.core.domain import (
    Activity,
    Municipality,
    Person,
    ReferenceData,
    VolunteerDeployment,
)
from kisi_desktop.core.domain.fields import Spec
from kisi_desktop.core.domain.person import EarlierStatus
from kisi_desktop.core.domain.record import field_specs
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.record_text import code_label, code_labels, field_text, kind_name


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


def _spec(cls: type[Any], name: str) -> Spec:
    return next(spec for field, spec in field_specs(cls) if field.name == name)


def test_a_code_reads_as_its_label_in_the_ui_language(ref: ReferenceData) -> None:
    set_ui_language("de")
    assert code_label(ref, "activity_types", "information_event") == "Informationsveranstaltung"
    assert code_label(ref, "activity_types", "information_event", "en") == "information event"
    assert code_labels(ref, "topics", ["housing", "work"]).startswith("Wohnen, ")
    set_ui_language("en")
    assert code_label(ref, "deployment_kinds", "accompaniment") == "accompaniment"
    assert code_label(ref, "payment_regimes", "none") == "no payment"


def test_an_unknown_or_missing_code_does_not_fail_the_list(ref: ReferenceData) -> None:
    assert code_label(ref, "topics", "retired_topic") == "retired_topic"
    assert code_label(ref, "topics", None) == "" and code_labels(ref, "topics", []) == ""


def test_record_kinds_by_name() -> None:
    set_ui_language("de")
    assert (kind_name("person"), kind_name("contact"), kind_name("trip")) == (
        "Person",
        "Kontakt",
        "Dienstreise",
    )
    assert kind_name("no_such_kind") == "no_such_kind"


def test_field_values_in_german(ref: ReferenceData) -> None:
    set_ui_language("de")
    payload = Person(
        name="Amina Haidari",
        birth_date=date(1994, 3, 5),
        gender="female",
        nationalities=("AF",),
        residence_status="unknown",
        languages=("ar",),
    ).to_payload()

    def text(name: str) -> str:
        return field_text(ref, _spec(Person, name), payload[name])

    assert text("birth_date") == "05.03.1994"
    assert text("gender") == "weiblich"
    assert text("nationalities") == "Afghanistan"
    assert text("residence_status") == "Unbekannt"
    assert text("languages") == "Arabisch"
    assert text("interpreter_needed") == "nein"
    assert text("birth_year") == ""  # nothing to say
    # A year keeps its four digits together; a population is grouped.
    assert field_text(ref, _spec(Person, "birth_year"), 1994) == "1994"
    assert field_text(ref, _spec(Municipality, "population"), 16400) == "16.400"


def test_amounts_counts_ids_and_earlier_values(ref: ReferenceData) -> None:
    set_ui_language("de")
    assert field_text(ref, _spec(VolunteerDeployment, "hours"), "2.5") == "2,5"
    counts = field_text(ref, _spec(Activity, "counts_by_gender"), {"female": 1200})
    assert counts == "weiblich: 1.200"
    household = _spec(Person, "household_id")
    assert field_text(ref, household, "ab" * 16) == "ab" * 16
    assert field_text(ref, household, "ab" * 16, name_of=lambda rid: "Familie") == "Familie"
    earlier = EarlierStatus(ended_on=date(2026, 2, 1), residence_status="unknown")
    worded = field_text(ref, _spec(Person, "earlier"), [earlier.to_payload()])
    assert worded == "Bis: 01.02.2026, Aufenthaltsstatus: Unbekannt"
