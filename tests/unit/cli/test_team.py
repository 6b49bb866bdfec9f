"""``kisi team`` and ``kisi timesheet``: the team and their monthly hours through the real
vault, and the refusals that keep the hourly-rate staff line right (one sheet per member
and month, no sheet of nobody, no member removed while their sheets count)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Kisi

ANNA = (
    "--name",
    "Anna Beispiel",
    "--role",
    "Integrationsguide",
    "--fte",
    "0,5",
    "--since",
    "2025-10-01",
    "--ags",
    "06534011",
    "--ags",
    "06534014",
    "--gross-cost",
    "55000",
    "--phone",
    "06421 12345",
    "--email",
    "a.beispiel@kirchhain.example",
)


@pytest.fixture(autouse=True)
def _vault(vault: Path) -> None:
    """Every test here works on a fresh vault."""


def _member(kisi: Kisi, *argv: str) -> str:
    made = kisi("team", "add", *(argv or ANNA))
    assert made.code == 0, made
    return made.out.strip()


def _sheet(kisi: Kisi, member: str, month: str, hours: str, *more: str) -> str:
    made = kisi("timesheet", "add", "--member", member, "--month", month, "--hours", hours, *more)
    assert made.code == 0, made
    return made.out.strip()


def _refused(kisi: Kisi, member: str, month: str, hours: str) -> str:
    """The error line of a time sheet that is not added."""
    return kisi(
        "timesheet", "add", "--member", member, "--month", month, "--hours", hours
    ).user_error()


def test_a_team_member_is_added_listed_edited_and_removed(kisi: Kisi) -> None:
    mid = _member(kisi)
    [listed] = kisi("team", "list", "--json").json()
    expected = {
        "id": mid,
        "name": "Anna Beispiel",
        "role": "Integrationsguide",
        "fte": "0.5",
        "started_on": "2025-10-01",
        "ended_on": None,
        "municipality_ags": ["06534011", "06534014"],
        "annual_gross_cost": "55000",
        "phone": "06421 12345",
        "email": "a.beispiel@kirchhain.example",
        "time_sheets": 0,
        "hours": "0",
    }
    # Compared key by key: a later version of the record may carry more fields.
    assert {key: listed.get(key) for key in expected} == expected
    text = kisi("team", "list").out
    assert "Anna Beispiel" in text and "Stellenanteil" in text

    # By name (case and spacing ignored); only what is given changes; "" clears.
    assert kisi("team", "edit", "anna  BEISPIEL", "--until", "2026-09-30", "--fte", "1").code == 0
    changed = kisi("team", "edit", mid[:6], "--gross-cost", "", "--ags", "06534011", "--json")
    assert changed.code == 0, changed
    data = changed.json()
    assert (data["fte"], data["ended_on"], data["annual_gross_cost"]) == ("1", "2026-09-30", None)
    assert data["municipality_ags"] == ["06534011"]
    assert (data["role"], data["phone"]) == ("Integrationsguide", "06421 12345")
    cleared = kisi("team", "edit", mid, "--until", "", "--json").json()
    assert cleared["ended_on"] is None

    gone = kisi("team", "delete", "Anna Beispiel", "--yes", "--json")
    assert gone.json() == {"id": mid, "deleted": True}
    assert kisi("team", "list", "--json").json() == []
    assert kisi("team", "list").out.strip() == "Noch keine Teammitglieder."


def test_a_new_member_works_full_time(kisi: Kisi) -> None:
    mid = _member(kisi, "--name", "Ben Muster")
    [listed] = kisi("team", "list", "--json").json()
    assert (listed["id"], listed["fte"], listed["municipality_ags"]) == (mid, "1", [])


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (("--fte", "0"), "--fte"),
        (("--fte", "1.5"), "--fte"),
        (("--fte", "halb"), "--fte"),
        (("--since", "2026-02-30"), "--since"),
        (("--since", "2026-03-01", "--until", "2026-02-01"), "--until"),
        (("--ags", "123"), "--ags"),
        (("--gross-cost", "-1"), "--gross-cost"),
        (("--email", "kein-at"), "--email"),
    ],
)
def test_team_errors_name_the_option(kisi: Kisi, argv: tuple[str, ...], option: str) -> None:
    line = kisi("team", "add", "--name", "Ben Muster", *argv).user_error()
    assert line.startswith("Fehler: " + option), line
    assert kisi("team", "list", "--json").json() == []


def test_an_edit_without_options_changes_nothing(kisi: Kisi) -> None:
    mid = _member(kisi)
    assert "--help" in kisi("team", "edit", mid).user_error()


def test_a_shared_name_is_warned_about_and_then_needs_the_id(kisi: Kisi) -> None:
    first = _member(kisi, "--name", "Anna Beispiel")
    made = kisi("team", "add", "--name", "anna beispiel")
    assert made.code == 0 and "ID" in made.err
    # The warning names the other member by id, not by name (stderr may go to a log).
    assert first[:8] in made.err and "beispiel" not in made.err.casefold(), made.err
    second = made.out.strip()
    line = _refused(kisi, "Anna Beispiel", "2026-03", "8")
    assert first in line and second in line
    _sheet(kisi, second, "2026-03", "8")


def test_time_sheets_are_added_listed_edited_and_deleted(kisi: Kisi) -> None:
    anna = _member(kisi)
    ben = _member(kisi, "--name", "Ben Muster", "--since", "2025-10-01")
    march = _sheet(kisi, "Anna Beispiel", "2026-3", "120,5", "--note", "Sprachcafé")
    _sheet(kisi, anna, "2025-12", "100")
    _sheet(kisi, "Ben Muster", "2026-03", "40")

    rows = kisi("timesheet", "list", "--json").json()
    assert [(r["month"], r["member_name"]) for r in rows] == [
        ("2026-03", "Ben Muster"),
        ("2026-03", "Anna Beispiel"),
        ("2025-12", "Anna Beispiel"),
    ]
    assert rows[1] == {
        "id": march,
        "guide_id": anna,
        "month": "2026-03",
        "hours": "120.5",
        "note": "Sprachcafé",
        "member_name": "Anna Beispiel",
    }
    # The text lists months as they are typed (and as the window's form shows them).
    listed = kisi("timesheet", "list").out
    assert "03/2026" in listed and "12/2025" in listed and "2026-03" not in listed
    only_anna = kisi("timesheet", "list", "--member", anna[:8], "--json").json()
    assert [r["month"] for r in only_anna] == ["2026-03", "2025-12"]
    in_march = kisi("timesheet", "list", "--month", "2026-03", "--json").json()
    assert [r["member_name"] for r in in_march] == ["Ben Muster", "Anna Beispiel"]
    assert len(kisi("timesheet", "list", "--year", "2025", "--json").json()) == 1
    assert kisi("timesheet", "list", "--year", "2024", "--json").json() == []
    text = kisi("timesheet", "list", "--member", "Ben Muster").out
    assert "Ben Muster" in text and "Anna" not in text and text.endswith("Summe: 40 h\n")
    team = {m["name"]: m for m in kisi("team", "list", "--json").json()}
    assert (team["Anna Beispiel"]["time_sheets"], team["Anna Beispiel"]["hours"]) == (2, "220.5")
    assert team["Ben Muster"]["id"] == ben
    assert "Summe: 220,5 h" in kisi("timesheet", "list", "--member", anna).out
    listing = kisi("team", "list").out
    assert "01.10.2025" in listing and "220,5" in listing and "2025-10-01" not in listing

    edited = kisi("timesheet", "edit", march[:8], "--hours", "118", "--note", "", "--json")
    assert edited.code == 0, edited
    assert (edited.json()["hours"], edited.json()["note"]) == ("118", "")
    moved = kisi("timesheet", "edit", march, "--member", "Ben Muster", "--month", "2026-02")
    assert moved.code == 0, moved
    [february] = kisi("timesheet", "list", "--member", ben, "--month", "2026-02", "--json").json()
    assert february["id"] == march

    assert kisi("timesheet", "delete", march, "--yes", "--json").json() == {
        "id": march,
        "deleted": True,
    }
    assert len(kisi("timesheet", "list", "--json").json()) == 2


def test_a_second_sheet_for_the_same_member_and_month_is_refused(kisi: Kisi) -> None:
    anna = _member(kisi)
    first = _sheet(kisi, anna, "2026-03", "120")
    line = _refused(kisi, anna, "2026-03", "10")
    # Names the sheet there is, and how to change it instead.
    assert "Anna Beispiel" in line and "März 2026 (120 h)" in line, line
    assert f"kisi timesheet edit {first} --hours" in line
    assert len(kisi("timesheet", "list", "--json").json()) == 1
    # An edit onto a month that has its sheet is refused the same way; onto itself, not.
    april = _sheet(kisi, anna, "2026-04", "90")
    assert first in kisi("timesheet", "edit", april, "--month", "2026-03").user_error()
    assert kisi("timesheet", "edit", first, "--month", "2026-03", "--hours", "121").code == 0


def test_a_sheet_of_nobody_in_the_team_is_refused(kisi: Kisi) -> None:
    line = _refused(kisi, "Niemand", "2026-03", "8")
    assert "Niemand" in line and "kisi team list" in line
    missing = "0" * 32
    assert missing in _refused(kisi, missing, "2026-03", "8")
    assert kisi("timesheet", "list", "--json").json() == []


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "13/2026", "Mai", "1999-03"])
def test_a_month_that_is_none_is_refused_as_the_window_refuses_it(kisi: Kisi, month: str) -> None:
    anna = _member(kisi)
    line = _refused(kisi, anna, month, "8")
    said = "Erwartet wird ein Monat als MM/JJJJ, z. B. 03/2026."  # the window's words
    assert line.startswith("Fehler: --month") and said in line, line
    listed = kisi("timesheet", "list", "--month", month).user_error()
    assert listed.startswith("Fehler: --month") and said in listed


@pytest.mark.parametrize("month", ["03/2026", "3.2026", "März 2026", "2026-3", "2026-03"])
def test_a_month_is_read_as_the_window_reads_it(kisi: Kisi, month: str) -> None:
    """The window took 03/2026 and "März 2026", the command line only 2026-03 ("Monat als
    JJJJ-MM erwartet"); both now read a month alike."""
    anna = _member(kisi)
    _sheet(kisi, anna, month, "8")
    [sheet] = kisi("timesheet", "list", "--month", month, "--json").json()
    assert sheet["month"] == "2026-03"


@pytest.mark.parametrize("hours", ["-5", "0", "745", "zwölf", "1.255"])
def test_hours_out_of_range_are_refused(kisi: Kisi, hours: str) -> None:
    anna = _member(kisi)
    line = _refused(kisi, anna, "2026-03", hours)  # "-5" as its own word, as typed
    assert line.startswith("Fehler: --hours"), line
    assert kisi("timesheet", "list", "--json").json() == []


def test_a_member_with_time_sheets_is_not_removed(kisi: Kisi) -> None:
    anna = _member(kisi)
    sheets = [_sheet(kisi, anna, month, "100") for month in ("2026-01", "2026-02")]
    line = kisi("team", "delete", anna, "--yes").user_error()
    assert "2 Stundennachweise" in line, line
    assert f"kisi timesheet list --member {anna}" in line
    assert [m["id"] for m in kisi("team", "list", "--json").json()] == [anna]
    for sheet in sheets:
        assert kisi("timesheet", "delete", sheet, "--yes").code == 0
    assert kisi("team", "delete", anna, "--yes").code == 0
    assert kisi("team", "list", "--json").json() == []


def test_deleting_without_a_terminal_needs_yes(kisi: Kisi) -> None:
    anna = _member(kisi)
    sheet = _sheet(kisi, anna, "2026-01", "100")
    assert "--yes" in kisi("timesheet", "delete", sheet).user_error()
    assert "--yes" in kisi("timesheet", "delete", sheet, "--json").user_error()
    assert len(kisi("timesheet", "list", "--json").json()) == 1
    ben = _member(kisi, "--name", "Ben Muster")
    assert "--yes" in kisi("team", "delete", ben).user_error()
    assert len(kisi("team", "list", "--json").json()) == 2


def test_english_messages(kisi: Kisi) -> None:
    anna = _member(kisi)
    _sheet(kisi, anna, "2026-01", "100")
    line = kisi("--lang", "en", "team", "delete", anna, "--yes").user_error()
    assert line.startswith("Error: Anna Beispiel still has 1 time sheet."), line


def test_a_raise_from_a_day_keeps_the_earlier_pay_on_the_command_line(kisi: Kisi) -> None:
    """As in the window: --gross-cost with a later --pay-since keeps the pay before; the
    same change without a day corrects it."""
    mid = _member(kisi)
    raised = kisi("team", "edit", mid, "--gross-cost", "58000", "--pay-since", "2026-04-01",
                  "--json").json()  # fmt: skip
    assert (raised["annual_gross_cost"], raised["pay_since"]) == ("58000", "2026-04-01")
    assert [(e["annual_gross_cost"], e["ended_on"]) for e in raised["earlier_pay"]] == [
        ("55000", "2026-04-01")
    ]
    fixed = kisi("team", "edit", mid, "--gross-cost", "58500", "--json").json()
    assert (fixed["annual_gross_cost"], len(fixed["earlier_pay"])) == ("58500", 1)
    bad = kisi("team", "edit", mid, "--pay-since", "1.4.26")
    assert "--pay-since" in bad.user_error()
