"""The record contract: every KIND registered, payload round trips, untrusted payloads refused."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kisi_desktop.core.domain.note import Note
from kisi_desktop.core.domain.person import Person
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.registry import RECORD_TYPES, Record
from kisi_desktop.core.errors import ValidationError

ALL_KINDS = sorted(RECORD_TYPES)


def test_registry_lists_every_kind_and_is_read_only() -> None:
    assert set(RECORD_TYPES) == {
        "municipality",
        "draft",
        "guide",
        "time_sheet",
        "person",
        "consent",
        "case",
        "contact",
        "referral",
        "outcome",
        "note",
        "followup",
        "partner",
        "activity",
        "volunteer",
        "volunteer_deployment",
        "training",
        "expense",
        "trip",
        "handout_given",
        "budget_plan",
        "need",
        "publication",
        "signing_key",
        "content_pack",
        "bundle_entry",
        "provisioning",
        "pseudonym_key",
    }
    assert isinstance(RECORD_TYPES, MappingProxyType)
    for kind, cls in RECORD_TYPES.items():
        assert cls.KIND == kind
        assert re.fullmatch(r"[a-z_]+", kind)
        assert cls.SCHEMA_VERSION == 1
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen
        assert "id" in {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]


def test_samples_cover_every_kind(samples: dict[str, Record]) -> None:
    assert set(samples) == set(RECORD_TYPES)
    for kind, record in samples.items():
        assert isinstance(record, RECORD_TYPES[kind])
        assert isinstance(record, Record)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_round_trip_through_json_equals_original(
    kind: str, samples: dict[str, Record], ref: ReferenceData
) -> None:
    record = samples[kind]
    record.validate(ref)
    text = json.dumps(record.to_payload(), ensure_ascii=False)
    back = RECORD_TYPES[kind].from_payload(json.loads(text))
    assert back == record
    assert back.to_payload() == record.to_payload()


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_payload_is_plain_json(kind: str, samples: dict[str, Record]) -> None:
    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, (str, int, bool))

    assert plain(samples[kind].to_payload())


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_unknown_key_is_refused(kind: str, samples: dict[str, Record]) -> None:
    payload = samples[kind].to_payload() | {"smuggled": "x"}
    with pytest.raises(ValidationError) as error:
        RECORD_TYPES[kind].from_payload(payload)
    assert error.value.field == "smuggled"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_missing_id_is_refused(kind: str, samples: dict[str, Record]) -> None:
    payload = samples[kind].to_payload()
    del payload["id"]
    with pytest.raises(ValidationError) as error:
        RECORD_TYPES[kind].from_payload(payload)
    assert error.value.field == "id"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_field_refuses_a_wrong_json_type(kind: str, samples: dict[str, Record]) -> None:
    payload = samples[kind].to_payload()
    for name, value in payload.items():
        wrong: object = {"nested": True} if not isinstance(value, dict) else [1]
        with pytest.raises(ValidationError) as error:
            RECORD_TYPES[kind].from_payload(payload | {name: wrong})
        assert error.value.field.split(".")[0] == name


def test_payload_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ValidationError):
        Person.from_payload(["not", "a", "dict"])  # type: ignore[arg-type]


def test_missing_optional_key_takes_default_but_required_key_is_refused() -> None:
    person = Person(name="Lina")
    payload = person.to_payload()
    del payload["phone"]
    assert Person.from_payload(payload) == person
    del payload["name"]
    with pytest.raises(ValidationError) as error:
        Person.from_payload(payload)
    assert error.value.field == "name"


def test_loose_json_forms_are_refused() -> None:
    payload = Note(written_on=date(2025, 11, 3), text="x").to_payload()
    for bad_date in ("20251103", "2025-11-3", "03.11.2025", "2025-02-30"):
        with pytest.raises(ValidationError) as error:
            Note.from_payload(payload | {"written_on": bad_date})
        assert error.value.field == "written_on"


def test_owner_person_id_follows_the_contract(samples: dict[str, Record]) -> None:
    person_id = samples["person"].id
    owned = (
        "person",
        "consent",
        "case",
        "contact",
        "referral",
        "outcome",
        "note",
        "followup",
        "draft",
    )
    for kind in owned:
        assert samples[kind].owner_person_id() == person_id, kind
    assert Note(written_on=date(2025, 1, 1), text="office").owner_person_id() is None
    for kind in (
        "municipality",
        "guide",
        "partner",
        "activity",
        "volunteer",
        "volunteer_deployment",
        "training",
        "expense",
        "trip",
    ):
        assert samples[kind].owner_person_id() is None, kind


def test_labels_and_search_text(samples: dict[str, Record]) -> None:
    assert samples["person"].label() == "محمد الأحمد"
    assert "محمد" in samples["person"].search_text()
    assert "Wohnungssuche" in samples["contact"].search_text()
    assert samples["note"].label() == "ሰላም – Notiz"
    assert "Infoabend" in samples["activity"].search_text()
    for record in samples.values():
        assert record.label()
        assert isinstance(record.search_text(), str)


def test_records_are_frozen_and_edited_with_replace(samples: dict[str, Record]) -> None:
    person = samples["person"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.name = "x"  # type: ignore[misc]
    renamed = dataclasses.replace(person, name="Neu")  # type: ignore[type-var]
    assert renamed.name == "Neu"
    assert renamed.id == person.id
    with pytest.raises(ValidationError) as error:
        dataclasses.replace(person, name=" ")  # type: ignore[type-var]
    assert error.value.field == "name"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


@pytest.mark.parametrize("kind", ALL_KINDS)
@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_payload_values_raise_only_validation_error(
    kind: str, samples: dict[str, Record], data: st.DataObject
) -> None:
    payload = samples[kind].to_payload()
    name = data.draw(st.sampled_from(sorted(payload)))
    payload[name] = data.draw(json_values)
    try:
        record = RECORD_TYPES[kind].from_payload(payload)
    except ValidationError as error:
        # Usually the field itself; a cross-field rule may name its partner field.
        assert error.field.split(".")[0] in payload
    else:
        assert RECORD_TYPES[kind].from_payload(record.to_payload()) == record
