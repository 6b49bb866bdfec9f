"""``kisi report``: indicators on screen, as JSON and CSV, with small cells suppressed."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.workspace import Workspace

from .conftest import PASSPHRASE, Kisi


def _people(vault: Path, n: int) -> None:
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    for i in range(n):
        person = ws.add(
            Person(
                name=f"Person {i}",
                nationalities=("SY",),
                residence_status="refugee",
                gender="female" if i % 2 else "male",
                birth_year=1990,
            )
        )
        ws.add(
            Contact(
                person_id=person.id,
                contacted_on=date(2026, 2, 1),
                duration_minutes=30,
                mode="office",
            )
        )
    ws.lock()


def test_report_json_and_csv(kisi: Kisi, vault: Path, tmp_path: Path) -> None:
    _people(vault, 7)
    data = kisi("report", "--period", "2026-Q1", "--json").json()
    o23 = next(row for row in data["indicators"] if row["indicator"] == "O.2.3")
    assert o23["count"] == 7
    assert o23["gender.female"] is None and o23["gender.male"] is None  # 3 and 4: suppressed
    assert o23["age_group.18_60"] == 7
    out = tmp_path / "r.csv"
    assert kisi("report", "--period", "2026-Q1", "--csv", str(out)).code == 0
    rows = list(csv.DictReader(out.read_text("utf-8").splitlines()))
    o23_csv = next(row for row in rows if row["indicator"] == "O.2.3")
    assert o23_csv["count"] == "7"
    assert o23_csv["gender.female"] == "<5"
    assert "Person" not in out.read_text("utf-8")


def test_report_outside_the_period_and_bad_periods(kisi: Kisi, vault: Path) -> None:
    _people(vault, 2)
    data = kisi("report", "--period", "PY2", "--json").json()
    assert all(row["count"] in (0, None) for row in data["indicators"])
    assert "1 to 3" in kisi("--lang", "en", "report", "--period", "PY7").user_error()
    assert "2026-Q1" in kisi("--lang", "en", "report", "--period", "soon").user_error()
