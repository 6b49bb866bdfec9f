"""``kisi activity``, ``volunteer``, ``deployment``, ``expense``, ``partner``, ``municipality``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

Kisi = Any


@pytest.fixture(autouse=True)
def _vault(vault: Path) -> None:
    """Every test here works on a fresh vault."""


def test_activity_needs_a_municipality(kisi: Kisi) -> None:
    line = kisi(
        "activity", "add", "--type", "encounter", "--title", "Sprachcafé", "--date", "2026-03-01"
    ).user_error()
    assert "kisi municipality set" in line


def test_activity_with_attendance_is_listed(kisi: Kisi) -> None:
    assert kisi("municipality", "set", "--ags", "06534011", "--name", "Kirchhain").code == 0
    made = kisi(
        "activity",
        "add",
        "--type",
        "information_event",
        "--title",
        "Infoabend Kita",
        "--date",
        "2026-03-01",
        "--tcn",
        "12",
        "--local",
        "3",
        "--attendance",
        "18",
        "--female",
        "9",
        "--male",
        "6",
    )
    assert made.code == 0, made
    listing = kisi("activity", "list").out
    assert "Infoabend Kita" in listing
    # In German: the day as 01.03.2026, the type by its label (JSON below keeps both raw).
    assert "01.03.2026" in listing and "Informationsveranstaltung" in listing
    assert "2026-03-01" not in listing and "information_event" not in listing
    [activity] = kisi("activity", "list", "--events", "--json").json()
    assert activity["municipality_ags"] == "06534011"
    assert activity["attendance_total"] == 18
    assert activity["counts_by_target_group"] == {"local": 3, "tcn": 12}
    assert activity["target_groups"] == ["tcn", "local"]


def test_activity_counts_above_attendance_are_refused(kisi: Kisi) -> None:
    line = kisi(
        "activity",
        "add",
        "--type",
        "encounter",
        "--title",
        "Fest",
        "--date",
        "2026-05-01",
        "--ags",
        "06534011",
        "--attendance",
        "5",
        "--female",
        "9",
    ).user_error()
    assert "--female" in line


def test_municipality_set_updates_one_profile(kisi: Kisi) -> None:
    kisi("municipality", "set", "--ags", "06534011", "--name", "Kirchhain")
    kisi("municipality", "set", "--ags", "06534011", "--population", "16400")
    [profile] = kisi("municipality", "show", "--json").json()
    assert (profile["name"], profile["population"]) == ("Kirchhain", 16400)
    kisi("municipality", "set", "--ags", "06534011", "--hours", "Mo 9-12")
    assert kisi("municipality", "show").out.splitlines() == [
        "Kirchhain (06534011)",
        "  Sprechzeiten: Mo 9-12",
        "  Einwohnerzahl: 16.400",
    ]
    assert "--ags" in kisi("municipality", "set", "--ags", "123", "--name", "X").user_error()
    assert "--name" in kisi("municipality", "set", "--ags", "06534012").user_error()


def test_volunteer_hours_add_up(kisi: Kisi) -> None:
    vid = kisi(
        "volunteer",
        "add",
        "--name",
        "Anna Müller",
        "--regime",
        "ehrenamtspauschale",
        "--language",
        "de,ar",
    ).out.strip()
    assert (
        kisi(
            "deployment",
            "add",
            "--volunteer",
            vid,
            "--date",
            "2026-02-01",
            "--hours",
            "2,5",
            "--kind",
            "interpreting",
        ).code
        == 0
    )
    kisi("deployment", "add", "--volunteer", vid, "--date", "2026-02-08", "--hours", "1.5")
    [volunteer] = kisi("volunteer", "list", "--json").json()
    assert volunteer["hours"] == "4.0"
    assert volunteer["languages"] == ["de", "ar"]
    assert "Anna Müller" in kisi("deployment", "list").out
    assert (
        "--hours"
        in kisi(
            "deployment", "add", "--volunteer", vid, "--date", "2026-02-01", "--hours", "viel"
        ).user_error()
    )
    assert "--regime" in kisi("volunteer", "add", "--name", "X", "--regime", "gold").user_error()
    # Paid out later: the day is kept (the cap counts by it); not before the deployment.
    late = ("deployment", "add", "--volunteer", vid, "--date", "2026-12-15", "--hours", "2",
            "--allowance", "40")  # fmt: skip
    assert kisi(*late, "--paid-on", "2027-01-10").code == 0
    assert "--paid-on" in kisi(*late, "--paid-on", "2026-12-01").user_error()


def test_deployments_and_volunteers_in_german(kisi: Kisi) -> None:
    ben = kisi("volunteer", "add", "--name", "Ben", "--regime", "uebungsleiter",
               "--language", "ar").out.strip()  # fmt: skip
    kisi("volunteer", "add", "--name", "Cara")  # (regime: none)
    deployed = ("deployment", "add", "--volunteer", ben, "--date", "2026-02-01")
    assert kisi(*deployed, "--hours", "2.5", "--allowance", "99999.99").code == 0
    assert kisi(*deployed, "--hours", "6.5").code == 0
    lines = kisi("deployment", "list").out.splitlines()
    assert lines[0].split() == ["ID", "Datum", "Ehrenamtliche/r", "Stunden", "Art", "Entschädigung"]
    cells = {tuple(re.split(" {2,}", line)[1:]) for line in lines[1:]}  # (€ after a no-break space)
    assert cells == {
        ("01.02.2026", "Ben", "2,5", "Begleitung", "99.999,99\xa0€"),
        ("01.02.2026", "Ben", "6,5", "Begleitung", "0,00\xa0€"),
    }
    volunteers = kisi("volunteer", "list").out
    assert "Übungsleiterfreibetrag" in volunteers and "keine Zahlung" in volunteers
    assert "Arabisch" in volunteers and "uebungsleiter" not in volunteers
    assert " 9\n" in volunteers and "9.0" not in volunteers  # 2.5 + 6.5 hours, as the window
    # JSON keeps the codes and the decimal point.
    [first, *_rest] = kisi("deployment", "list", "--json").json()
    assert (first["kind"], first["deployed_on"]) == ("accompaniment", "2026-02-01")
    assert {d["hours"] for d in kisi("deployment", "list", "--json").json()} == {"2.5", "6.5"}


def test_expenses_list_with_total(kisi: Kisi) -> None:
    kisi(
        "expense",
        "add",
        "--date",
        "2026-02-03",
        "--amount",
        "120,50",
        "--category",
        "travel",
        "--payee",
        "Deutsche Bahn",
        "--receipt",
        "B-2026-0001",
    )
    kisi(
        "expense",
        "add",
        "--date",
        "2026-03-03",
        "--amount",
        "1149",
        "--category",
        "acquisitions",
        "--payee",
        "Bürobedarf GmbH",
        "--allocation",
        "50",
    )
    listing = kisi("expense", "list")
    assert "Deutsche Bahn" in listing.out
    assert "695,00" in listing.out  # 120.50 + 50 % of 1,149.00
    assert "03.02.2026" in listing.out and "Reisekosten" in listing.out
    assert "unklar" in listing.out and "travel" not in listing.out
    travel = kisi("expense", "list", "--category", "travel", "--json").json()
    assert [(e["amount"], e["receipt_ref"]) for e in travel] == [("120.50", "B-2026-0001")]


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (("--amount", "zwölf"), "--amount"),
        (("--amount", "-5"), "--amount"),
        (("--amount", "1.234"), "--amount"),
        (("--category", "champagne"), "--category"),
        (("--date", "2026-02-30"), "--date"),
    ],
)
def test_expense_errors_name_the_option(kisi: Kisi, argv: tuple[str, ...], option: str) -> None:
    base = {"--date": "2026-02-03", "--amount": "10", "--category": "travel"}
    base.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    flat = [x for pair in base.items() for x in pair]
    assert option in kisi("expense", "add", "--payee", "DB", *flat).user_error()


def test_partner_add_and_list(kisi: Kisi) -> None:
    pid = kisi(
        "partner",
        "add",
        "--name",
        "MBE Caritas",
        "--type",
        "counselling_service",
        "--service",
        "arrival",
        "--language",
        "ar",
        "--json",
    ).json()["id"]
    [partner] = kisi("partner", "list", "--json").json()
    assert partner["id"] == pid
    assert partner["services"] == ["arrival"]
    listing = kisi("partner", "list").out
    assert "MBE Caritas" in listing
    assert "counselling_service" not in listing and "arrival" not in listing


def test_volunteer_erase_refused_while_deployments_exist(kisi: Kisi) -> None:
    vid = kisi("volunteer", "add", "--name", "Olga Bondar").out.strip()
    assert "--yes" in kisi("volunteer", "erase", vid).user_error()
    did = kisi("deployment", "add", "--volunteer", vid, "--date", "2026-02-01", "--hours", "2")
    assert did.code == 0
    assert "1 Einsatz" in kisi("volunteer", "erase", vid, "--yes").user_error()
    assert [v["id"] for v in kisi("volunteer", "list", "--json").json()] == [vid]


def test_volunteer_erase(kisi: Kisi) -> None:
    vid = kisi("volunteer", "add", "--name", "Olga Bondar").out.strip()
    erased = kisi("volunteer", "erase", vid[:8], "--yes", "--json").json()
    assert erased == {"volunteer_id": vid, "removed": 1, "updated": 0}
    assert kisi("volunteer", "list", "--json").json() == []


def test_volunteer_contact_details_removed_while_deployments_stay(kisi: Kisi) -> None:
    vid = kisi("volunteer", "add", "--name", "Olga Bondar", "--phone", "+49 6421 1234").out.strip()
    kisi("deployment", "add", "--volunteer", vid, "--date", "2026-02-01", "--hours", "2")
    done = kisi("volunteer", "erase", vid, "--contact-only", "--yes", "--json").json()
    assert done == {"volunteer_id": vid, "contact_removed": True}
    [volunteer] = kisi("volunteer", "list", "--json").json()
    assert (volunteer["name"], volunteer["phone"], volunteer["active"]) == (
        "Olga Bondar",
        "",
        False,
    )
    assert volunteer["hours"] == "2"


def test_a_profile_typed_with_a_wrong_key_can_be_removed_one_in_use_cannot(kisi: Kisi) -> None:
    assert kisi("municipality", "set", "--ags", "06534011", "--name", "Kirchhain").code == 0
    # The key mistyped: a second profile, which the title bar and handouts would name too.
    assert kisi("municipality", "set", "--ags", "06534101", "--name", "Kirchhain").code == 0
    made = kisi(
        "activity", "add", "--type", "encounter", "--title", "Sprachcafé",
        "--date", "2026-03-01", "--ags", "06534011",
    )  # fmt: skip
    assert made.code == 0, made
    # Without a terminal there is nobody to ask: --yes or nothing happens.
    line = kisi("municipality", "remove", "--ags", "06534101").user_error()
    assert "--yes" in line and "Nicht entfernt" in line
    assert len(kisi("municipality", "show", "--json").json()) == 2
    done = kisi("municipality", "remove", "--ags", "06534101", "--yes", "--json")
    assert done.code == 0 and done.json()["ags"] == "06534101"
    assert [m["ags"] for m in kisi("municipality", "show", "--json").json()] == ["06534011"]
    # The one an activity names stays, and the message says why.
    line = kisi("municipality", "remove", "--ags", "06534011", "--yes").user_error()
    assert "Aktivitäten: 1" in line and "Kirchhain (06534011)" in line
    assert len(kisi("municipality", "show", "--json").json()) == 1
    line = kisi("municipality", "remove", "--ags", "06534999", "--yes").user_error()
    assert "06534999" in line
