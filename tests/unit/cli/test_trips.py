"""``kisi trip``: a trip's mileage and Tagegeld, in the list, its totals and its JSON.

Worked by hand (HRKG § 6 car 0.21 EUR/km; § 7 Tagegeld 14 / 28 EUR; § 10 breakfast 5.60,
lunch and dinner 11.20):
  training 2-4 March 2026, 240 km, 2 breakfasts and 1 dinner provided:
      mileage 240 x 0.21 = 50.40; Tagegeld 14 + 28 + 14 - 5.60 - 5.60 - 11.20 = 33.60
  one day on 10 March, 45.5 km, 9 h away, lunch provided:
      mileage 45.5 x 0.21 = 9.555 -> 9.56; Tagegeld 14.00 - 11.20 = 2.80
  totals: mileage 59.96 + Tagegeld 36.40 = 96.36
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

Kisi = Any
TRAINING = ("--date", "2026-03-02", "--last-day", "2026-03-04", "--purpose", "Fortbildung",
            "--from", "Rathaus Kirchhain", "--to", "Wiesbaden", "--km", "240")  # fmt: skip
DAY = ("--date", "2026-03-10", "--purpose", "Jobcenter", "--from", "Rathaus Kirchhain",
       "--to", "Marburg", "--km", "45,5")  # fmt: skip


@pytest.fixture(autouse=True)
def _vault(vault: Path) -> None:
    """Every test here works on a fresh vault."""


def test_trips_list_mileage_tagegeld_and_totals(kisi: Kisi) -> None:
    training = kisi("trip", "add", *TRAINING, "--breakfasts", "2", "--dinners", "1", "--json")
    day = kisi("trip", "add", *DAY, "--hours", "9", "--lunches", "1", "--json")
    assert training.code == 0 and day.code == 0
    listed = kisi("trip", "list", "--json").json()
    assert [(t["id"], t["mileage"], t["per_diem"], t["amount"]) for t in listed] == [
        (day.json()["id"], "9.56", "2.80", "12.36"),
        (training.json()["id"], "50.40", "33.60", "84.00"),
    ]
    assert listed[1]["returned_on"] == "2026-03-04"
    assert (listed[1]["breakfasts_provided"], listed[1]["dinners_provided"]) == (2, 1)
    assert listed[0]["hours_away"] == "9"
    text = kisi("trip", "list").out
    # Dates and kilometres as a German reader writes them; the JSON above keeps ISO and ".".
    assert "02.03.2026 – 04.03.2026" in text and "2026-03" not in text
    assert "10.03.2026" in text and " 45,5 " in text and "45.5" not in text
    assert " 240,0 " in text  # one decimal place as beside 45,5 (it read "240")
    assert "Kilometergeld" in text and "Tagegeld" in text
    total = "Summe: 59,96 € Kilometergeld + 36,40 € Tagegeld = 96,36 €"
    assert total.replace(" €", "\xa0€") in text  # Babel puts a no-break space before €
    assert kisi("trip", "list", "--year", "2025").out.strip() == "Noch keine Dienstfahrten."


def test_eight_hours_exactly_earn_no_tagegeld(kisi: Kisi) -> None:
    kisi("trip", "add", *DAY, "--hours", "8")
    [trip] = kisi("trip", "list", "--json").json()
    assert (trip["mileage"], trip["per_diem"], trip["amount"]) == ("9.56", "0.00", "9.56")


@pytest.mark.parametrize(
    ("argv", "option", "words"),
    [
        (("--hours", "9"), "--hours", "Nur bei einer Reise ohne Übernachtung"),
        (("--local-field-work",), "--local-field-work", "wird nicht übernachtet"),
        (("--lunches", "4"), "--lunches", "Die Reise hat 3 Tage."),
        (("--last-day", "2026-03-01"), "--last-day", "liegt vor dem ersten"),
        (("--claimed", "2026-03-03"), "--claimed", "vor dem Ende der Reise"),
        (("--hours", "neun"), "--hours", ""),
    ],
)
def test_trip_errors_name_the_option(
    kisi: Kisi, argv: tuple[str, ...], option: str, words: str
) -> None:
    # A later --last-day replaces the training's (argparse keeps the last).
    line = kisi("trip", "add", *TRAINING, *argv).user_error()
    assert option in line and words in line
    assert kisi("trip", "list", "--json").json() == []
