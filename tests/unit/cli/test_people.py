"""``kisi person``: add, list, show, export (GDPR Art. 15) and erase (Art. 17)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.store import sealed_store, vault_file

Kisi = Any


@pytest.fixture(autouse=True)
def _vault(vault: Path) -> None:
    """Every test here works on a fresh vault."""


def add(kisi: Kisi, *argv: str) -> str:
    result = kisi("person", "add", *argv)
    assert result.code == 0, result
    return result.out.strip()


def test_added_person_is_listed_by_name(kisi: Kisi) -> None:
    pid = add(kisi, "--name", "أحمد خليل", "--nationality", "SY", "--birth-year", "1990")
    listing = kisi("person", "list")
    assert listing.code == 0
    assert "أحمد خليل" in listing.out
    assert pid in listing.out


def test_json_output_parses_and_has_the_id(kisi: Kisi) -> None:
    created = kisi(
        "person",
        "add",
        "--name",
        "Olena Kovalenko",
        "--nationality",
        "ua",
        "--gender",
        "female",
        "--json",
    )
    pid = created.json()["id"]
    people = kisi("person", "list", "--json").json()
    assert [p["id"] for p in people] == [pid]
    assert people[0]["nationalities"] == ["UA"]
    assert people[0]["gender"] == "female"


def test_the_list_files_umlauts_as_a_german_reader_does(kisi: Kisi) -> None:
    """QA: "Özlem" came after "Zoran" (letter codes); the window already sorted Ö with O."""
    for name in ("Zoran Petrović", "Özlem Aydın", "Olga Schmidt", "Anna Beispiel"):
        add(kisi, "--name", name, "--nationality", "TR")
    names = [p["name"] for p in kisi("person", "list", "--json").json()]
    assert names == ["Anna Beispiel", "Olga Schmidt", "Özlem Aydın", "Zoran Petrović"]


def test_empty_list_says_so(kisi: Kisi) -> None:
    assert "Noch keine Personen" in kisi("person", "list").out


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (("--nationality", "XX"), "--nationality"),
        (("--nationality", "Afghanistan"), "--nationality"),
        (("--birth-year", "1850"), "--birth-year"),
        (("--gender", "robot"), "--gender"),
        (("--status", "tourist"), "--status"),
        (("--birth-date", "31.12.90"), "--birth-date"),
    ],
)
def test_invalid_field_is_a_user_error_naming_the_option(
    kisi: Kisi, argv: tuple[str, ...], option: str
) -> None:
    line = kisi("person", "add", "--name", "Test Person", *argv).user_error()
    assert option in line
    assert kisi("person", "list", "--json").json() == []


def test_show_finds_a_person_by_id_prefix_with_their_contacts(kisi: Kisi) -> None:
    pid = add(kisi, "--name", "Ali Rahimi", "--nationality", "AF")
    added = kisi(
        "contact", "add", "--person", pid, "--minutes", "30", "--topic", "housing",
        "--note", "Mietvertrag geprüft",
    )  # fmt: skip
    assert added.code == 0
    shown = kisi("person", "show", pid[:8])
    assert shown.code == 0
    assert "Ali Rahimi" in shown.out
    assert "Kontakte (1)" in shown.out
    data = kisi("person", "show", pid, "--json").json()
    assert data["person"]["name"] == "Ali Rahimi"
    assert data["contacts"][0]["note"] == "Mietvertrag geprüft"


def test_list_and_show_speak_german(kisi: Kisi) -> None:
    pid = add(
        kisi, "--name", "Amina Haidari", "--nationality", "AF", "--gender", "female",
        "--birth-date", "1994-03-05", "--arrived", "2024-02-01", "--language", "fa",
    )  # fmt: skip
    add(kisi, "--name", "Yonas Haile", "--birth-year", "1990", "--estimated")
    listing = kisi("person", "list").out
    assert "05.03.1994" in listing and "1994-03-05" not in listing
    assert "weiblich" in listing and "Unbekannt" in listing and "~1990" in listing
    shown = kisi("person", "show", pid).out.splitlines()
    assert shown[:8] == [
        f"ID: {pid}",
        "Name: Amina Haidari",
        "Geburtsdatum: 05.03.1994",
        "Geschlecht: weiblich",
        "Staatsangehörigkeiten: Afghanistan",
        "Aufenthaltsstatus: Unbekannt",
        "Angekommen am: 01.02.2024",
        "Sprachen: Persisch",
    ]
    assert not any(word in line for line in shown for word in ("birth", "female", "unknown"))
    # --json keeps the machine's forms.
    person = kisi("person", "show", pid, "--json").json()["person"]
    assert (person["birth_date"], person["gender"]) == ("1994-03-05", "female")


def test_show_in_english_names_fields_as_the_english_window(kisi: Kisi) -> None:
    pid = add(kisi, "--name", "Amina Haidari", "--gender", "female", "--birth-year", "1994")
    shown = kisi("--lang", "en", "person", "show", pid).out.splitlines()
    assert "Year of birth: 1994" in shown and "Gender: female" in shown
    assert "Residence status: Unknown" in shown


def test_show_unknown_person_is_not_found(kisi: Kisi) -> None:
    line = kisi("person", "show", "0" * 32).user_error()
    assert "0" * 32 in line


def test_export_to_stdout_holds_the_contact_note(kisi: Kisi) -> None:
    pid = add(kisi, "--name", "Zahra Hosseini", "--nationality", "IR")
    kisi(
        "contact", "add", "--person", pid, "--minutes", "60",
        "--note", "Anerkennung des Abschlusses als Ärztin",
    )  # fmt: skip
    export = kisi("person", "export", pid).json()
    assert export["person_id"] == pid
    notes = [r["data"].get("note") for r in export["records"] if r["kind"] == "contact"]
    assert notes == ["Anerkennung des Abschlusses als Ärztin"]
    assert any(
        r["kind"] == "person" and r["data"]["name"] == "Zahra Hosseini" for r in export["records"]
    )


def test_export_to_file_is_private(kisi: Kisi, tmp_path: Path) -> None:
    pid = add(kisi, "--name", "Zahra Hosseini")
    out = tmp_path / "auskunft.json"
    out.write_text("old")
    out.chmod(0o644)
    result = kisi("person", "export", pid, "--out", str(out))
    assert result.code == 0
    assert "Zahra Hosseini" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_erase_without_yes_refuses_when_not_interactive(kisi: Kisi) -> None:
    pid = add(kisi, "--name", "Selam Tesfay")
    assert "--yes" in kisi("person", "erase", pid).user_error()
    assert kisi("person", "show", pid).code == 0


def test_erase_removes_person_records_and_mentions(kisi: Kisi) -> None:
    pid = add(kisi, "--name", "Selam Tesfay", "--nationality", "ER")
    other = add(kisi, "--name", "Yonas Haile", "--nationality", "ER")
    kisi("contact", "add", "--person", pid, "--minutes", "15", "--note", "Sprachkurs Anmeldung")
    kisi("municipality", "set", "--ags", "06534011", "--name", "Kirchhain")
    act = kisi(
        "activity",
        "add",
        "--type",
        "encounter",
        "--title",
        "Sprachcafé",
        "--date",
        "2026-03-01",
        "--participant",
        pid,
        "--participant",
        other,
    ).out.strip()
    erased = kisi("person", "erase", pid, "--yes", "--json").json()
    assert erased["removed"] == 2
    assert erased["updated"] == 1
    kisi("person", "show", pid).user_error()
    assert kisi("search", "Selam", "--json").json() == []
    assert kisi("search", "Sprachkurs", "--json").json() == []
    activity = next(a for a in kisi("activity", "list", "--json").json() if a["id"] == act)
    assert activity["participant_ids"] == [other]


@pytest.mark.allow_log_warnings
def test_erase_says_when_a_backup_reading_the_file_keeps_the_data_there_for_now(
    kisi: Kisi, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``kisi backup`` reads the file while the window has it open; an erasure meanwhile
    cannot overwrite the file until the reader is done, and the guide is told so."""
    monkeypatch.setattr(sealed_store, "BUSY_MS", 50)
    monkeypatch.setattr(sealed_store, "CLOSE_CHECKPOINT_MS", 50)
    pid = add(kisi, "--name", "Selam Tesfay")
    reader = vault_file.connect_read_only(vault)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM record").fetchone()
    try:
        erased = kisi("person", "erase", pid, "--yes")
    finally:
        reader.close()
    assert erased.code == 0
    assert "liest gerade die Tresordatei" in erased.err
    quiet = kisi("person", "erase", add(kisi, "--name", "Yonas Haile"), "--yes")
    assert quiet.code == 0 and "Tresordatei" not in quiet.err


def test_a_list_is_checked_then_added_whole(kisi: Kisi, tmp_path: Path) -> None:
    good = tmp_path / "liste.csv"
    good.write_bytes(
        "Name;Geburtsjahr;Staatsangehörigkeit;Erstkontakt\n"
        "Zahra Hosseini;1993;Iran;05.11.2025\n"
        "Amanuel Tesfay;1987;Eritrea;\n".encode("cp1252")
    )
    bad = tmp_path / "kaputt.csv"
    bad.write_text("Name;Erstkontakt\nZahra Hosseini;32.11.2025\n", encoding="utf-8")

    refused = kisi("person", "import", str(bad), "--yes")
    assert refused.code == 1
    assert refused.out.splitlines()[-2:] == [
        "Zeile 2, Erstkontakt: „32.11.2025“ ist kein Datum (z. B. 03.11.2025).",
        "Es wurde nichts angelegt: Berichtigen Sie die Liste und importieren Sie sie erneut.",
    ]
    # Answered "no" at the terminal: nothing added, and the exit code says so.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kisi_desktop.cli.people_list.confirmed", lambda *_a, **_k: False)
        declined = kisi("person", "import", str(good))
    assert declined.code == 1 and declined.out.strip() == "Es wurde nichts angelegt."
    checked = kisi("person", "import", str(good), "--dry-run", "--json").json()
    assert (checked["people"], checked["first_contacts"], checked["added"]) == (2, 1, 0)
    assert kisi("person", "list", "--json").json() == []

    added = kisi("person", "import", str(good), "--yes")
    assert added.code == 0
    assert added.out.splitlines()[0] == "2 Personen anzulegen, davon 1 mit Erstkontakt."
    assert added.out.splitlines()[-1].startswith("2 Personen angelegt. Die Liste selbst ist nicht")
    names = sorted(p["name"] for p in kisi("person", "list", "--json").json())
    assert names == ["Amanuel Tesfay", "Zahra Hosseini"]
    again = kisi("person", "import", str(good), "--yes", "--json").json()
    assert (again["people"], again["already_there"]) == (0, [2, 3])


def test_a_list_that_is_not_there_is_said_in_german(kisi: Kisi, tmp_path: Path) -> None:
    """The operating system's "No such file or directory" came through in English."""
    missing = tmp_path / "liste.csv"
    line = kisi("person", "import", str(missing), "--dry-run").user_error()
    assert line == f"Fehler: Die Liste {missing} gibt es nicht: Prüfen Sie Namen und Ordner.", line
