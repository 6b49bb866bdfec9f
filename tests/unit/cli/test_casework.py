"""``kisi contact``, ``kisi note`` and ``kisi followup``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

Kisi = Any


@pytest.fixture
def person(vault: Path, kisi: Kisi) -> str:
    """A person in a fresh vault."""
    return str(kisi("person", "add", "--name", "Hamid Noori", "--nationality", "AF").out.strip())


def test_contact_with_referral_shows_on_the_person(kisi: Kisi, person: str) -> None:
    made = kisi(
        "contact",
        "add",
        "--person",
        person,
        "--minutes",
        "30",
        "--topic",
        "work,recognition",
        "--service",
        "information",
        "--service",
        "referral",
        "--refer",
        "jobcenter",
        "--date",
        "2026-02-03",
        "--minutes",
        "45",
        "--mode",
        "phone",
        "--note",
        "Bewerbung besprochen",
        "--json",
    ).json()
    assert len(made["referrals"]) == 1
    shown = kisi("person", "show", person, "--json").json()
    assert shown["contacts"][0]["topics"] == ["work", "recognition"]
    assert shown["contacts"][0]["contacted_on"] == "2026-02-03"
    assert shown["referrals"][0]["target"] == "jobcenter"
    listing = kisi("contact", "list", "--person", person)
    assert "Hamid Noori" in listing.out
    assert "Bewerbung besprochen" in listing.out
    # The day and the topics as a German reader reads them; the JSON above keeps ISO and codes.
    assert "03.02.2026" in listing.out and "2026-02-03" not in listing.out
    assert "Arbeit" in listing.out and "recognition" not in listing.out
    lines = kisi("person", "show", person).out.splitlines()
    assert f"  {made['id']}  03.02.2026 (45 min)" in lines
    assert f"  {made['referrals'][0]}  03.02.2026 Jobcenter – empfohlen" in lines


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (("--topic", "astrology"), "--topic"),
        (("--mode", "telepathy"), "--mode"),
        (("--minutes", "0"), "--minutes"),
        (("--date", "2026-13-01"), "--date"),
        (("--refer", "nowhere"), "--refer"),
        (("--interpreter", "professional"), "--interpreter-language"),
    ],
)
def test_contact_field_errors_name_the_option(
    kisi: Kisi, person: str, argv: tuple[str, ...], option: str
) -> None:
    refused = kisi("contact", "add", "--person", person, "--minutes", "30", *argv).user_error()
    assert option in refused
    assert kisi("contact", "list", "--json").json() == []


def test_contact_for_unknown_person_is_refused(kisi: Kisi, person: str) -> None:
    kisi("contact", "add", "--person", "f" * 32, "--minutes", "20", "--note", "x").user_error()


def test_a_contact_without_its_minutes_is_refused(
    kisi: Kisi, person: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The minutes add up to the hours the report gives: none are made up.
    with pytest.raises(SystemExit) as exit_info:
        kisi("contact", "add", "--person", person)
    assert exit_info.value.code == 2 and "--minutes" in capsys.readouterr().err
    assert kisi("contact", "list", "--json").json() == []


def test_notes_about_a_person_and_the_office(kisi: Kisi, person: str) -> None:
    kisi("note", "add", "--person", person, "--text", "Zeugnisse liegen auf Dari vor")
    kisi("note", "add", "--text", "Bürotag: Drucker defekt", "--date", "2026-01-02")
    everything = kisi("note", "list", "--json").json()
    assert {n["text"] for n in everything} == {
        "Zeugnisse liegen auf Dari vor",
        "Bürotag: Drucker defekt",
    }
    only = kisi("note", "list", "--person", person, "--json").json()
    assert [n["person_id"] for n in only] == [person]
    assert "Drucker" in kisi("note", "list").out


def test_texts_read_from_standard_input_stay_off_the_command_line(
    kisi: Kisi, person: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("Äußerte Suizidgedanken;\nKrisendienst informiert\n")
    )
    kisi("note", "add", "--person", person, "--text", "-")
    monkeypatch.setattr("sys.stdin", io.StringIO("Wohnung besichtigt\n"))
    kisi("contact", "add", "--person", person, "--minutes", "40", "--note", "-")
    # Read as UTF-8 from the pipe's bytes, whatever the system's code page.
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("Rückruf Jobcenter".encode())))
    kisi("followup", "add", "--person", person, "--due", "2026-01-10", "--text", "-")
    (note,) = kisi("note", "list", "--json").json()
    assert note["text"] == "Äußerte Suizidgedanken;\nKrisendienst informiert"
    (contact,) = kisi("contact", "list", "--json").json()
    assert contact["note"] == "Wohnung besichtigt"
    assert "Rückruf Jobcenter" in kisi("followup", "list").out


def test_followup_open_done_and_all(kisi: Kisi, person: str) -> None:
    fid = kisi(
        "followup", "add", "--person", person, "--due", "2026-01-10", "--text", "Jobcenter anrufen"
    ).out.strip()
    listing = kisi("followup", "list")
    assert "Jobcenter anrufen" in listing.out
    done_line = kisi("followup", "done", fid, "--date", "2026-01-09").out.strip()
    assert done_line == "Erledigt: 10.01.2026 Jobcenter anrufen"
    assert "10.01.2026" in kisi("followup", "list", "--all").out
    assert kisi("followup", "list", "--json").json() == []
    done = kisi("followup", "list", "--all", "--json").json()
    assert done[0]["done"] is True
    assert done[0]["done_on"] == "2026-01-09"


def test_followup_bad_due_date_names_the_option(kisi: Kisi, person: str) -> None:
    assert "--due" in kisi("followup", "add", "--due", "morgen", "--text", "x").user_error()


@pytest.mark.usefixtures("vault")
def test_a_name_or_phone_can_be_piped_in_one_at_a_time(
    kisi: Kisi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("مريم رحيمي\n".encode())))
    pid = kisi("person", "add", "--name", "-", "--phone", "+49 6421 1234", "--json").json()["id"]
    (person,) = kisi("person", "list", "--json").json()
    assert person["id"] == pid and person["name"] == "مريم رحيمي"
    monkeypatch.setattr("sys.stdin", io.StringIO("+49 160 555 0101\n"))
    yusuf = kisi("person", "add", "--name", "Yusuf Abdi", "--phone", "-", "--json").json()["id"]
    assert kisi("person", "show", yusuf, "--json").json()["person"]["phone"] == "+49 160 555 0101"
    said = kisi("person", "add", "--name", "-", "--phone", "-").user_error()
    assert "--name" in said and "--phone" in said


@pytest.mark.usefixtures("vault")
def test_piped_text_from_windows_tools_comes_in_clean_or_is_refused(
    kisi: Kisi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notepad writes a byte order mark and CRLF; an ANSI file is not UTF-8 at all."""
    piped = "\ufeffAmina Haidari\r\n".encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(piped)))
    assert kisi("person", "add", "--name", "-").code == 0
    assert [p["name"] for p in kisi("person", "list", "--json").json()] == ["Amina Haidari"]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("Müller".encode("cp1252"))))
    assert "UTF-8" in kisi("person", "add", "--name", "-").user_error()
    assert len(kisi("person", "list", "--json").json()) == 1


@pytest.mark.usefixtures("vault")
def test_a_file_that_cannot_be_written_is_named_in_german(kisi: Kisi, tmp_path: Path) -> None:
    pid = kisi("person", "add", "--name", "Yusuf Abdi", "--json").json()["id"]
    line = kisi("person", "export", pid, "--out", str(tmp_path / "fehlt" / "a.json")).user_error()
    assert str(tmp_path / "fehlt" / "a.json") in line and "gibt es nicht" in line


@pytest.mark.usefixtures("vault")
def test_a_person_already_in_the_vault_is_not_added_twice_unless_asked(kisi: Kisi) -> None:
    first = kisi("person", "add", "--name", "Zahra Karimi", "--birth-year", "1989", "--json")
    pid = first.json()["id"]
    line = kisi("person", "add", "--name", "zahra  karimi", "--birth-year", "1989").user_error()
    assert f"kisi person show {pid[:8]}" in line and "--namesake" in line
    # The refusal goes to a terminal or a script's log: it names the person by id only.
    assert not any(word in line.casefold() for word in ("zahra", "karimi", "1989")), line
    assert kisi("person", "add", "--name", "Zahra Karimi", "--birth-year", "1993").code == 0
    assert kisi("person", "add", "--name", "Zahra Karimi", "--birth-year", "1989",
                "--namesake").code == 0  # fmt: skip
    assert len(kisi("person", "list", "--json").json()) == 3


@pytest.mark.usefixtures("vault")
def test_a_contact_before_the_persons_birth_is_refused_naming_the_option(kisi: Kisi) -> None:
    # QA: `kisi contact add --date 1985-11-03` for a person born in 1991 was saved.
    pid = kisi("person", "add", "--name", "Amina Haidari", "--birth-year", "1991").out.strip()
    said = kisi("contact", "add", "--person", pid, "--minutes", "30", "--date", "1985-11-03")
    line = said.user_error()
    assert "--date" in line and "vor der Geburt" in line and "1991" in line
    assert kisi("contact", "list", "--json").json() == []
    assert (
        kisi("contact", "add", "--person", pid, "--minutes", "30", "--date", "2026-01-05").code == 0
    )
