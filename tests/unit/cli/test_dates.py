"""Dates on the command line: ISO as scripts write them, 15.3.2026 as a German clerk types
it, and nothing that would be a guess."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.errors import ValidationError

from kisi_desktop.cli.args import day, maybe_day

from .conftest import Kisi

DAYS = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


@given(DAYS)
def test_a_german_date_means_the_same_day_as_its_iso_form(when: date) -> None:
    assert day(f"{when.day}.{when.month}.{when.year:04d}", "--date") == when
    assert day(f" {when.day:02d}.{when.month:02d}.{when.year:04d} ", "--date") == when
    assert maybe_day(when.isoformat(), "--date") == when


@pytest.mark.parametrize("typed", ["15.3.26", "15.3.", "31.2.2026", "15/3/2026", "2026-3-15"])
def test_a_date_that_would_be_a_guess_is_refused_naming_the_option(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        day(typed, "--date")
    assert refused.value.field == "--date"


def test_a_contact_on_15_3_2026_is_recorded_for_that_day(kisi: Kisi, vault: Path) -> None:
    person = kisi("person", "add", "--name", "Amina Haidari").out.strip()
    added = kisi(
        "contact", "add", "--person", person, "--minutes", "30", "--date", "15.3.2026",
    )  # fmt: skip
    assert added.code == 0, added
    listed = kisi("contact", "list", "--json").json()
    assert [c["contacted_on"] for c in listed] == ["2026-03-15"]
