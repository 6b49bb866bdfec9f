"""``kisi search``, ``kisi codes`` and ``kisi audit verify``."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

Kisi = Any


@pytest.fixture
def people(vault: Path, kisi: Kisi) -> dict[str, str]:
    """Three people with names in three scripts, one with a contact note."""
    ids = {
        name: kisi("person", "add", "--name", name).out.strip()
        for name in ("محمد الأحمد", "ሰላም ተስፋይ", "Ayşe Yılmaz")
    }
    kisi(
        "contact",
        "add",
        "--person",
        ids["Ayşe Yılmaz"],
        "--minutes",
        "30",
        "--note",
        "Anmeldung beim Kursträger für den Integrationskurs",
    )
    return ids


@pytest.mark.parametrize("query", ["الأحمد", "ሰላም", "Yılmaz", "ayse"])
def test_search_finds_names_in_any_script(kisi: Kisi, people: dict[str, str], query: str) -> None:
    hits = kisi("search", query, "--json").json()
    assert [h["kind"] for h in hits] == ["person"]


def test_search_finds_a_note_by_a_word(kisi: Kisi, people: dict[str, str]) -> None:
    result = kisi("search", "Kurstr")
    assert result.code == 0
    assert "Kontakt" in result.out and "contact" not in result.out  # the kind, in words
    assert kisi("search", "Integrationskurs", "--kind", "person", "--json").json() == []


def test_search_without_hits_and_with_bad_options(kisi: Kisi, people: dict[str, str]) -> None:
    assert "Nichts gefunden" in kisi("search", "Zebra").out
    assert "--kind" in kisi("search", "x", "--kind", "spaceship").user_error()
    assert "--limit" in kisi("search", "x", "--limit", "0").user_error()


def test_audit_verify_ok(kisi: Kisi, people: dict[str, str]) -> None:
    result = kisi("--lang", "en", "audit", "verify")
    assert result.code == 0
    assert result.out.strip() == "ok, 5 entries"  # creation + 4 changes
    assert kisi("audit", "verify", "--json").json()["ok"] is True


def test_audit_verify_reports_a_tampered_row(
    kisi: Kisi, people: dict[str, str], vault: Path
) -> None:
    with sqlite3.connect(vault) as conn:
        conn.execute(
            "UPDATE record SET blob = zeroblob(length(blob)) WHERE id = ?",
            (bytes.fromhex(people["Ayşe Yılmaz"]),),
        )
    conn.close()
    result = kisi("audit", "verify", "--json")
    assert result.code == 1
    report = result.json()
    assert report["ok"] is False
    assert any(people["Ayşe Yılmaz"] in p for p in report["problems"])
    assert "Traceback" not in result.err


def test_codes_lists_topics_with_labels(kisi: Kisi, vault: Path) -> None:
    assert "topics" in kisi("codes").out
    listing = kisi("codes", "topics")
    assert "housing" in listing.out
    assert "Wohnen" in listing.out
    assert "kisi codes" in kisi("codes", "colours").user_error()
