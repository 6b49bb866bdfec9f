"""Settings are read before the window opens: no file content may keep the app from starting."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kisi_desktop.core.i18n import DEFAULT_LANGUAGE, UI_LANGUAGES
from kisi_desktop.core.settings import (
    MAX_IDLE_MINUTES,
    MAX_SETTINGS_BYTES,
    MIN_IDLE_MINUTES,
    Settings,
    load_settings,
    remember_recovery_check,
    remember_sort,
    save_settings,
)

from tests.support.json_values import JSON_VALUES


def _usable(found: Settings) -> bool:
    return (
        found.language in UI_LANGUAGES
        and isinstance(found.idle_lock_minutes, int)
        and MIN_IDLE_MINUTES <= found.idle_lock_minutes <= MAX_IDLE_MINUTES
        and isinstance(found.backup_folder, str)
        and (found.last_backup == "" or found.last_backup_day() is not None)
        and isinstance(found.unchecked_recovery, tuple)
        and all(isinstance(v, str) and len(v) == 32 for v in found.unchecked_recovery)
        and isinstance(found.list_sorts, tuple)
        and all(
            isinstance(name, str) and isinstance(column, str) and isinstance(descending, bool)
            for name, column, descending in found.list_sorts
        )
        and len({name for name, _c, _d in found.list_sorts}) == len(found.list_sorts)
    )


def test_saved_settings_come_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(language="en", idle_lock_minutes=25), path)
    assert load_settings(path) == Settings(language="en", idle_lock_minutes=25)


def test_the_backup_folder_and_day_come_back_and_a_day_that_is_none_is_dropped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(backup_folder="/media/guide/STICK", last_backup="2026-11-02"), path)
    found = load_settings(path)
    assert (found.backup_folder, found.last_backup_day()) == (
        "/media/guide/STICK",
        date(2026, 11, 2),
    )
    for bad in ("2026-13-01", "yesterday", 20261102, "2026-11-02T10:00:00"):
        path.write_text(json.dumps({"last_backup": bad}), encoding="utf-8")
        assert load_settings(path).last_backup_day() is None


def test_values_out_of_range_are_brought_into_it(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"language": "xx", "idle_lock_minutes": 100_000}))
    assert load_settings(path) == Settings(language=DEFAULT_LANGUAGE, idle_lock_minutes=240)
    path.write_text(json.dumps({"language": "en", "idle_lock_minutes": 0}))
    assert load_settings(path) == Settings(language="en", idle_lock_minutes=1)


@pytest.mark.parametrize(
    "content",
    [
        '{"idle_lock_minutes": 1e999}',  # float("inf"): int() raises OverflowError
        '{"idle_lock_minutes": Infinity}',
        '{"idle_lock_minutes": NaN}',
        '{"language": ["de"]}',  # a list cannot be looked up among the languages
        "[" * 100_000 + "]" * 100_000,  # deeper than the parser's recursion limit
        '{"language": "en"' + " " * MAX_SETTINGS_BYTES + "}",  # not a settings file
        "\udcff",
        "",
    ],
    ids=["overflow", "infinity", "nan", "list", "deep", "huge", "undecodable", "empty"],
)
def test_a_damaged_file_gives_the_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    assert load_settings(path) == Settings()


@settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.binary(max_size=200))
def test_any_bytes_give_usable_settings(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(data)
    assert _usable(load_settings(path))


@settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    language=JSON_VALUES,
    minutes=JSON_VALUES,
    more=JSON_VALUES,
    vaults=JSON_VALUES,
    sorts=JSON_VALUES | st.lists(st.lists(JSON_VALUES, min_size=3, max_size=3), max_size=5),
)
def test_any_json_values_give_usable_settings(
    tmp_path: Path, language: object, minutes: object, more: object, vaults: object, sorts: object
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "language": language,
                "idle_lock_minutes": minutes,
                "newer": more,
                "unchecked_recovery": vaults,
                "list_sorts": sorts,
            }
        ),
        encoding="utf-8",
    )
    assert _usable(load_settings(path))


def test_a_recovery_code_left_unchecked_is_remembered_until_checked(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    first, second = bytes(range(16)), bytes(16)
    remember_recovery_check(first, checked=False, path=path)
    remember_recovery_check(second, checked=False, path=path)
    remember_recovery_check(second, checked=False, path=path)
    assert load_settings(path).unchecked_recovery == (first.hex(), second.hex())
    remember_recovery_check(first, checked=True, path=path)
    assert load_settings(path).unchecked_recovery == (second.hex(),)
    # Anything else in the list is not a vault id and is dropped.
    path.write_text(json.dumps({"unchecked_recovery": ["../x", 7, first.hex().upper()]}))
    assert load_settings(path).unchecked_recovery == ()


def test_each_list_keeps_the_sort_chosen_last(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    remember_sort("people", "BORN", descending=True, path=path)
    remember_sort("activities", "Date", descending=False, path=path)
    remember_sort("people", "NAME", descending=False, path=path)
    found = load_settings(path)
    assert found.sort_of("people") == ("NAME", False)
    assert found.sort_of("activities") == ("Date", False)
    assert found.sort_of("partners") is None
    # A hand-edited file: the later entry for a list wins; what is not a sort is dropped.
    path.write_text(
        json.dumps(
            {
                "list_sorts": [
                    ["people", "BORN", True],
                    ["people", "ARRIVED", False],
                    ["events", "Date", "yes"],
                    ["x" * 200, "Date", True],
                ]
            }
        )
    )
    assert load_settings(path).list_sorts == (("people", "ARRIVED", False),)
