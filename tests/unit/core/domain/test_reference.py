"""Reference data: the shipped files load, lookups are dated, broken files name file and key."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.domain.reference import SHIPPED_FOLDER, ReferenceData, ReferenceDataError
from kisi_desktop.core.domain.reference_schema import EXTRAS, FILE_NAMES
from kisi_desktop.core.errors import ValidationError


def shipped_docs() -> dict[str, Any]:
    return {
        name: json.loads((SHIPPED_FOLDER / name).read_text(encoding="utf-8"), parse_float=Decimal)
        for name in FILE_NAMES
    }


def refused(docs: dict[str, Any]) -> ReferenceDataError:
    with pytest.raises(ReferenceDataError) as error:
        ReferenceData.from_documents(docs)
    return error.value


def test_shipped_files_carry_version_validity_and_source(ref: ReferenceData) -> None:
    assert set(ref.files) == set(FILE_NAMES)
    for info in ref.files.values():
        assert info.version >= 1
        assert info.valid_from == date(2025, 10, 1)
        assert info.source


def test_every_enumeration_is_present_with_german_and_english_labels(
    ref: ReferenceData,
) -> None:
    for name in EXTRAS:
        entries = ref.enum(name)
        assert entries
        for entry in entries.values():
            assert entry.de.strip() and entry.en.strip()
    assert ref.label("genders", "female", "de") == "weiblich"
    assert ref.label("genders", "unspecified", "de") == "keine Angabe"
    assert ref.label("genders", "diverse", "en") == "non-binary"  # as the reports say
    assert list(ref.enum("genders")) == ["female", "male", "diverse", "unspecified"]
    assert list(ref.enum("cefr_levels")) == ["a1", "a2", "b1", "b2", "c1", "c2"]
    assert set(ref.enum("budget_categories")) == {
        "staff",
        "volunteers",
        "fees",
        "travel",
        "acquisitions",
        "room_rent",
        "administrative",
        "other",
    }


def test_countries_cover_origins_and_all_eu_eea_ch(ref: ReferenceData) -> None:
    for code in ("AF", "SY", "TR", "IQ", "IR", "ER", "SO", "ET", "UA", "RU", "NG", "GE"):
        assert not ref.is_eu_eea_ch(code)
    eu_eea_ch = {c for c, e in ref.enum("countries").items() if e.extra["eu_eea_ch"]}
    assert len(eu_eea_ch) == 27 + 3 + 1
    assert {"DE", "FR", "PL", "NO", "IS", "LI", "CH"} <= eu_eea_ch
    assert "GB" not in eu_eea_ch
    assert ref.label("countries", "SY", "de") == "Syrien"
    assert ref.stateless.extra["third_country_national"] is True


def test_unverified_values_are_marked(ref: ReferenceData) -> None:
    proof = ref.dated_on("retention_months", "participation_proof", date(2026, 1, 1))
    assert proof.verified is False
    assert ref.enum("residence_statuses")["temporary_protection"].extra["verified"] is False
    assert all(e.extra["verified"] is False for e in ref.enum("indicators").values())


def test_rates_are_dated(ref: ReferenceData) -> None:
    assert ref.rate_on("volunteer_caps", "ehrenamtspauschale", date(2025, 12, 31)) == 840
    assert ref.rate_on("volunteer_caps", "ehrenamtspauschale", date(2026, 1, 1)) == 960
    assert ref.rate_on("volunteer_caps", "uebungsleiter", date(2025, 6, 1)) == 3000
    assert ref.rate_on("volunteer_caps", "uebungsleiter", date(2026, 6, 1)) == 3300
    assert ref.rate_on("travel_km", "car_valid_reasons", date(2026, 1, 1)) == Decimal("0.35")
    assert ref.rate_on("travel_km", "car", date(2026, 1, 1)) == Decimal("0.21")
    assert ref.rate_on("travel_km", "e_bike", date(2026, 1, 1)) == Decimal("0.10")
    assert ref.rate_on("flat_rates", "indirect_of_direct_costs", date(2026, 1, 1)) == Decimal(
        "0.07"
    )
    assert ref.rate_on("staff_hourly_rate", "annual_hours_divisor", date(2026, 1, 1)) == 1720
    assert ref.rate_on("programme", "max_per_municipality", date(2026, 1, 1)) == Decimal(
        "290657.90"
    )


def test_rate_outside_every_period_or_unknown_is_an_error(ref: ReferenceData) -> None:
    with pytest.raises(ReferenceDataError) as error:
        ref.rate_on("programme", "max_per_municipality", date(2028, 10, 1))
    assert error.value.key == "max_per_municipality"
    with pytest.raises(ReferenceDataError):
        ref.rate_on("travel_km", "rocket", date(2026, 1, 1))
    with pytest.raises(ReferenceDataError):
        ref.rate_on("no_table", "car", date(2026, 1, 1))


def test_unknown_code_lookup_names_the_enumeration(ref: ReferenceData) -> None:
    with pytest.raises(ValidationError) as error:
        ref.entry("genders", "robot")
    assert error.value.field == "genders"
    assert not ref.has_code("genders", "robot")


def test_missing_file_is_named(tmp_path: Path) -> None:
    for name in FILE_NAMES:
        shutil.copy(SHIPPED_FOLDER / name, tmp_path / name)
    (tmp_path / "rates.json").unlink()
    with pytest.raises(ReferenceDataError) as error:
        ReferenceData.load(tmp_path)
    assert error.value.file == "rates.json"


@pytest.mark.parametrize("content", ["{", '{"version": 1, "version": 2}'])
def test_bad_json_or_duplicate_keys_are_refused(tmp_path: Path, content: str) -> None:
    for name in FILE_NAMES:
        shutil.copy(SHIPPED_FOLDER / name, tmp_path / name)
    (tmp_path / "countries.json").write_text(content, encoding="utf-8")
    with pytest.raises(ReferenceDataError) as error:
        ReferenceData.load(tmp_path)
    assert error.value.file == "countries.json"


def test_unknown_key_in_an_entry_is_refused() -> None:
    docs = shipped_docs()
    docs["enumerations.json"]["enumerations"]["genders"][0]["colour"] = "red"
    error = refused(docs)
    assert (error.file, error.key) == ("enumerations.json", "genders.female.colour")


def test_missing_label_is_refused() -> None:
    docs = shipped_docs()
    del docs["budget_categories.json"]["categories"][0]["de"]
    error = refused(docs)
    assert error.file == "budget_categories.json"
    assert error.key == "budget_categories.staff.de"


def test_missing_required_extra_is_refused() -> None:
    docs = shipped_docs()
    del docs["enumerations.json"]["enumerations"]["residence_statuses"][0]["amif_eligible"]
    error = refused(docs)
    assert error.key == "residence_statuses.asylum_art16a.amif_eligible"


def test_duplicate_code_and_unknown_top_level_key_are_refused() -> None:
    docs = shipped_docs()
    genders = docs["enumerations.json"]["enumerations"]["genders"]
    genders.append(copy.deepcopy(genders[0]))
    assert refused(docs).key == "genders.female"
    docs = shipped_docs()
    docs["rates.json"]["comment"] = "x"
    assert refused(docs).file == "rates.json"


def test_overlapping_periods_are_refused() -> None:
    docs = shipped_docs()
    caps = docs["rates.json"]["tables"]["volunteer_caps"]["values"]["ehrenamtspauschale"]
    caps[0]["valid_to"] = "2026-06-30"
    error = refused(docs)
    assert (error.file, error.key) == ("rates.json", "volunteer_caps.ehrenamtspauschale")


def test_float_free_values_and_non_numbers_are_refused() -> None:
    docs = shipped_docs()
    docs["rates.json"]["tables"]["travel_km"]["values"]["car"][0]["value"] = "0.21"
    assert refused(docs).key == "travel_km.car[0].value"


def test_dangling_rate_key_is_refused() -> None:
    docs = shipped_docs()
    del docs["rates.json"]["tables"]["travel_km"]["values"]["bicycle"]
    error = refused(docs)
    assert error.key == "vehicle_types.bicycle.rate_key"


@pytest.mark.parametrize(
    ("table", "key"),
    [("volunteer_hourly", "hourly_key"), ("volunteer_hours_caps", "hours_cap_key")],
)
def test_a_payment_regime_naming_a_missing_rate_is_refused(table: str, key: str) -> None:
    docs = shipped_docs()
    del docs["rates.json"]["tables"][table]["values"]["wir_integrationslotsen"]
    assert refused(docs).key == f"payment_regimes.wir_integrationslotsen.{key}"


def test_a_flat_rate_category_must_name_its_bases() -> None:
    docs = shipped_docs()
    for entry in docs["budget_categories.json"]["categories"]:
        if entry["code"] == "staff":
            del entry["flat_rate_bases"]
    assert refused(docs).key == "staff.flat_rate_bases"


def test_changed_data_changes_behaviour_without_code() -> None:
    docs = shipped_docs()
    for entry in docs["enumerations.json"]["enumerations"]["residence_statuses"]:
        if entry["code"] == "temporary_protection":
            entry["amif_eligible"] = False
    ref = ReferenceData.from_documents(docs)
    assert ref.enum("residence_statuses")["temporary_protection"].extra["amif_eligible"] is False
