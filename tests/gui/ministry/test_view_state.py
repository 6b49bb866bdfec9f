"""The ministry view's remembered choices: a damaged file must not keep the window shut."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kisi_desktop.ui.ministry.view_state import (
    MAX_VIEW_BYTES,
    VIEW_FILE,
    ViewState,
    load_state,
    save_state,
)

from tests.support.json_values import JSON_VALUES


def test_choices_come_back(tmp_path: Path) -> None:
    state = ViewState(receipts_dir="/media/usb/Quittungen", content_pack_version=7)
    save_state(tmp_path, state)
    assert load_state(tmp_path) == state


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000 + "]" * 100_000,  # deeper than the parser's recursion limit
        '{"save_dir": "/tmp"' + " " * MAX_VIEW_BYTES + "}",
        '{"content_pack_version": 1e999}',
        '{"content_pack_version": -1, "save_dir": 5}',
        "\udcff",
    ],
    ids=["deep", "huge", "overflow", "wrong-types", "undecodable"],
)
def test_a_damaged_file_gives_the_defaults(tmp_path: Path, content: str) -> None:
    (tmp_path / VIEW_FILE).write_bytes(content.encode("utf-8", "surrogateescape"))
    assert load_state(tmp_path) == ViewState()


@settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.dictionaries(
    st.sampled_from(["receipts_dir", "save_dir", "content_folder", "content_pack_version", "x"]),
    JSON_VALUES,
))  # fmt: skip
def test_any_json_gives_choices_of_the_right_kind(tmp_path: Path, values: dict) -> None:  # type: ignore[type-arg]
    (tmp_path / VIEW_FILE).write_text(json.dumps(values), encoding="utf-8")
    state = load_state(tmp_path)
    for name in ("receipts_dir", "save_dir", "content_folder"):
        text = getattr(state, name)
        assert isinstance(text, str) and len(text) <= 4096
    assert type(state.content_pack_version) is int and 0 <= state.content_pack_version < 10**9
