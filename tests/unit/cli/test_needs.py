"""``kisi needs``: record needs, list them with notes, see them ranked without notes.

Records added below (score = weight x respondents, low 1 / medium 2 / high 3):
  tcn    housing    high    6  2026-01-10  -> 18
  tcn    childcare  medium  2  2026-09-30  ->  4   (last day of PY1)
  local  housing    low     5  2026-10-01  ->  5   (first day of PY2)
PY1: all groups 1 housing 6/1/18, 2 childcare 2/1/4 (suppressed when exported: 2 < 5);
     tcn the same. PY2: local housing 5/1/5.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from .conftest import Kisi

NOTE = "NOTE-MARKER-51d0 Familie Beispiel sucht dringend eine Wohnung"


def _add(kisi: Kisi, *argv: str) -> str:
    result = kisi("needs", "add", *argv)
    assert result.code == 0, result
    return result.out.strip()


def _fixture(kisi: Kisi) -> None:
    _add(
        kisi,
        "--group",
        "tcn",
        "--need",
        "housing",
        "--urgency",
        "high",
        "--respondents",
        "6",
        "--date",
        "2026-01-10",
        "--note",
        NOTE,
    )
    _add(
        kisi,
        "--group",
        "tcn",
        "--need",
        "childcare",
        "--respondents",
        "2",
        "--date",
        "2026-09-30",
    )
    _add(
        kisi,
        "--group",
        "local",
        "--need",
        "housing",
        "--urgency",
        "low",
        "--respondents",
        "5",
        "--date",
        "2026-10-01",
    )


def test_add_and_list_round_trip(kisi: Kisi, vault: Path) -> None:
    _fixture(kisi)
    records = kisi("needs", "list", "--json").json()
    # Newest first; defaults: urgency medium.
    assert [
        (r["recorded_on"], r["group"], r["need"], r["urgency"], r["respondents"]) for r in records
    ] == [
        ("2026-10-01", "local", "housing", "low", 5),
        ("2026-09-30", "tcn", "childcare", "medium", 2),
        ("2026-01-10", "tcn", "housing", "high", 6),
    ]
    assert records[2]["note"] == NOTE
    # The list is local: it shows the note on screen.
    listing = kisi("needs", "list").out
    assert "NOTE-MARKER-51d0" in listing
    # Days and codes in German words; the JSON above keeps ISO and codes.
    assert "10.01.2026" in listing and "Drittstaatsangehörige" in listing
    assert "Wohnraum" in listing and "hoch" in listing and "housing" not in listing


def test_defaults_one_respondent_today(kisi: Kisi, vault: Path) -> None:
    before = datetime.now(UTC).date().isoformat()
    rid = _add(kisi, "--group", "administration", "--need", "translation")
    after = datetime.now(UTC).date().isoformat()
    (record,) = kisi("needs", "list", "--json").json()
    assert record["id"] == rid
    assert (record["urgency"], record["respondents"], record["note"]) == ("medium", 1, "")
    assert record["recorded_on"] in (before, after)  # the vault's clock runs in UTC


def test_summary_json_is_ranked_suppressed_and_without_notes(kisi: Kisi, vault: Path) -> None:
    _fixture(kisi)
    result = kisi("needs", "summary", "--period", "PY1", "--json")
    assert result.code == 0, result
    data = result.json()
    assert (data["period"], data["from"], data["to"]) == ("PY1", "2025-10-01", "2026-09-30")
    cells = [
        (r["group"], r["rank"], r["need"], r["respondents"], r["records"], r["score"])
        for r in data["needs"]
    ]
    assert cells == [
        ("all", 1, "housing", 6, 1, 18),
        # (a need without figures is not ranked: its rank would give its score away)
        ("all", "withheld", "childcare", None, None, None),
        ("tcn", 1, "housing", 6, 1, 18),
        ("tcn", "withheld", "childcare", None, None, None),
    ]
    assert "NOTE-MARKER" not in result.out and "Beispiel" not in result.out
    py2 = kisi("needs", "summary", "--period", "PY2", "--json").json()
    assert [(r["group"], r["need"], r["score"]) for r in py2["needs"]] == [
        ("all", "housing", 5),
        ("local", "housing", 5),
    ]


def test_summary_on_screen(kisi: Kisi, vault: Path) -> None:
    _fixture(kisi)
    lines = kisi("--lang", "en", "needs", "summary", "--period", "PY1").out.splitlines()
    assert lines[0] == "Project year 1: Oct 1, 2025 to Sep 30, 2026"
    german = kisi("needs", "summary", "--period", "project").out.splitlines()[0]
    assert german == "Gesamtes Projekt: 01.10.2025 bis 30.09.2028"
    # The screen stays on this computer: exact figures, still no notes.
    body = [line.split() for line in lines[2:]]
    assert body[0][-4:] == ["housing", "6", "1", "18"]
    assert body[1][-4:] == ["childcare", "2", "1", "4"]
    assert "NOTE-MARKER" not in "\n".join(lines)
    empty = kisi("--lang", "en", "needs", "summary", "--period", "2030").out
    assert "No needs recorded in this period." in empty


def test_refused_values_name_the_option(kisi: Kisi, vault: Path) -> None:
    base = ("--lang", "en", "needs", "add", "--group", "tcn")
    assert "--need" in kisi(*base, "--need", "flying_cars").user_error()
    assert (
        "--group"
        in kisi(
            "--lang", "en", "needs", "add", "--group", "aliens", "--need", "housing"
        ).user_error()
    )
    assert "--urgency" in kisi(*base, "--need", "housing", "--urgency", "soon").user_error()
    assert "--respondents" in kisi(*base, "--need", "housing", "--respondents", "0").user_error()
    assert "--respondents" in kisi(*base, "--need", "housing", "--respondents", "x").user_error()
    assert "--date" in kisi(*base, "--need", "housing", "--date", "2026-02-30").user_error()
    assert "PY1" in kisi("--lang", "en", "needs", "summary", "--period", "soon").user_error()
    assert kisi("needs", "list", "--json").json() == []
