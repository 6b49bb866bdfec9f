"""Facts read for one period (through the date index) count exactly what all facts count.

The Overview's project-year tiles, the report sections and the bundle export read only the
period's contacts, activities and outcomes and the people they name; any period must give
the same indicators, people and sources as reading the whole vault.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.facts import load_facts
from kisi_desktop.reports.indicators import compute
from kisi_desktop.reports.periods import Period, project_year

CLOCK = FixedClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path: Path = tmp_path_factory.mktemp("facts") / "vault.kisi"
    workspace, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS)
    generate(workspace, 120, random.Random(11), CLOCK)
    return workspace


def _figures(ws: Workspace, period: Period, *, narrowed: bool) -> list[tuple[object, ...]]:
    facts = load_facts(ws, period) if narrowed else load_facts(ws)
    return [
        (r.code, r.count, r.people, r.sources, dict(r.breakdowns))
        for r in compute(facts, period, ws.ref)
    ]


def test_the_project_year_tiles_count_as_the_whole_vault_does(ws: Workspace) -> None:
    period = project_year(1)
    narrowed = _figures(ws, period, narrowed=True)
    assert narrowed == _figures(ws, period, narrowed=False)
    assert sum(row[1] for row in narrowed) > 0  # the generated year has figures to compare
    few, every = load_facts(ws, period), load_facts(ws)
    # Only the period's supports are read, and only the people they name.
    assert all(s.day in period for s in few.supports)
    assert len(few.supports) < len(every.supports)
    assert set(few.participants) <= set(every.participants)


START = date(2025, 9, 1)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 480), st.integers(0, 200))
def test_any_period_counts_as_the_whole_vault_does(ws: Workspace, offset: int, length: int) -> None:
    first = START + timedelta(days=offset)
    period = Period(first, first + timedelta(days=length), "test")
    assert _figures(ws, period, narrowed=True) == _figures(ws, period, narrowed=False)
