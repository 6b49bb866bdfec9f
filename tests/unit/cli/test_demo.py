"""``kisi demo``: made-up data only ever goes into a new or empty vault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

Kisi = Any


def test_demo_data_fills_an_empty_vault(kisi: Kisi, vault: Path) -> None:
    made = kisi("demo", "--people", "5", "--seed", "1", "--json").json()
    assert made["counts"]["person"] == 5
    assert len(kisi("person", "list", "--json").json()) == 5


def test_demo_data_is_refused_in_a_vault_that_holds_records(kisi: Kisi, vault: Path) -> None:
    """Made-up expenses and trips among real ones would reach the budget and the ministry."""
    assert kisi("person", "add", "--name", "Zahra Hosseini").code == 0
    line = kisi("demo", "--people", "5").user_error()
    assert str(vault) in line and "demo.kisi" in line
    assert [p["name"] for p in kisi("person", "list", "--json").json()] == ["Zahra Hosseini"]
    assert kisi("expense", "list", "--json").json() == []


def test_what_was_added_is_said_in_german(
    kisi: Kisi, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = iter([100.0, 100.94])  # the run takes 0.94 s
    monkeypatch.setattr("kisi_desktop.cli.demo.time.perf_counter", lambda: next(ticks))
    lines = kisi("demo", "--people", "5", "--seed", "1").out.splitlines()
    assert lines[1].endswith(" Demo-Einträge in 0,9 s angelegt:")
    # Each kind by its name: "Person: 5", not "person: 5".
    assert "  Person: 5" in lines and not any(line.startswith("  person") for line in lines)
    # One record of a kind in the singular, in German: "Einwilligung", not "Einwilligungen";
    # the guide's own record is a team member, as the Team page calls it.
    kinds = {line.strip().split(":")[0] for line in lines if line.startswith("  ")}
    assert {"Einwilligung", "Teammitglied"} <= kinds and not {"Einwilligungen", "Guide"} & kinds


def test_the_demo_vault_is_called_what_the_unlock_screen_calls_it(kisi: Kisi, vault: Path) -> None:
    """The window says "Demo-Tresor mit erfundenen Personen" on its unlock screen; the
    command said "Demo-Einträge" only, for the same vault."""
    lines = kisi("demo", "--people", "2", "--seed", "1").out.splitlines()
    assert lines[0] == f"Demo-Tresor mit erfundenen Personen: {vault}", lines
