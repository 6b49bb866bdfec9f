"""``kisi report``: the report on screen, as JSON, CSV, XLSX and PDF, small cells suppressed.

Seven Syrian refugees (odd numbers women: 3 women, 4 men), born 1990, each with one contact
on 2026-02-01: O.2.3 in 2026-Q1 is 7, and both gender cells (3 and 4) are fewer than 5.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.workspace import Workspace

from tests.support import pdf

from .conftest import PASSPHRASE, Kisi


def _people(vault: Path, n: int) -> None:
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    for i in range(n):
        person = ws.add(
            Person(
                name=f"Quorth {i}",
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


def _rows(data: dict[str, object], key: str) -> list[dict[str, object]]:
    tables = data["tables"]
    assert isinstance(tables, list)
    return next(t["rows"] for t in tables if t["key"] == key)


def test_report_json_suppresses_small_cells(kisi: Kisi, vault: Path) -> None:
    _people(vault, 7)
    data = kisi("report", "--period", "2026-Q1", "--json").json()
    assert data["period"] == {"key": "2026-Q1", "from": "2026-01-01", "to": "2026-03-31"}
    assert _rows(data, "report")[0]["period"] == "2026-Q1"  # the report's details come first
    o23 = next(r for r in _rows(data, "indicators") if r["code"] == "O.2.3")
    assert o23["count"] == 7
    gender = next(r for r in _rows(data, "indicators_by_gender") if r["code"] == "O.2.3")
    assert gender["gender.female"] is None and gender["gender.male"] is None  # 3 and 4
    ages = next(r for r in _rows(data, "indicators_by_age_group") if r["code"] == "O.2.3")
    assert ages["age_group.18_60"] == 7


def test_report_on_screen_shows_exact_counts(kisi: Kisi, vault: Path) -> None:
    _people(vault, 7)
    out = kisi("--lang", "en", "report", "--period", "2026-Q1").out
    line = next(ln for ln in out.splitlines() if ln.startswith("O.2.3 ") and "7" in ln.split())
    assert line
    gender = out.split("Indicators by gender")[1].splitlines()[2].split()
    assert gender[:4] == ["O.2.3", "7", "3", "4"]  # the guide's own screen: no "<5"
    # KISI's own tables are as they leave the laptop (QA: the last line said every figure
    # was exact, under contacts by mode reading "<5"), and say what their marks mean.
    lines = out.splitlines()
    assert lines[-1].startswith("The AMIF indicators are exact here, for you only")
    modes = out.split("Contacts by mode")[1]
    assert "<5" in modes.split("\n\n")[0]
    assert any(ln.startswith("<5: ") for ln in modes.split("\n\n")[0].splitlines())


def test_report_header_names_the_period_and_its_days_in_german(kisi: Kisi, vault: Path) -> None:
    assert kisi("report", "--period", "2026").out.splitlines()[0] == (
        "Kalenderjahr 2026: 01.01.2026 bis 31.12.2026"
    )
    assert kisi("report", "--period", "project").out.splitlines()[0] == (
        "Gesamtes Projekt: 01.10.2025 bis 30.09.2028"
    )
    english = kisi("--lang", "en", "report", "--period", "2026-Q1").out.splitlines()[0]
    assert english == "Quarter 1 of 2026: Jan 1, 2026 to Mar 31, 2026"


def test_report_files(kisi: Kisi, vault: Path, tmp_path: Path) -> None:
    _people(vault, 7)
    out_csv, out_xlsx, out_pdf = tmp_path / "r.csv", tmp_path / "r.xlsx", tmp_path / "r.pdf"
    result = kisi(
        "report",
        "--period",
        "2026-Q1",
        "--csv",
        str(out_csv),
        "--xlsx",
        str(out_xlsx),
        "--pdf",
        str(out_pdf),
    )
    assert result.code == 0
    assert result.out.split() == [str(out_csv), str(out_xlsx), str(out_pdf)]

    rows = list(csv.DictReader(out_csv.read_text("utf-8").splitlines()))
    cells = {(r["table"], r["label"], r["column"]): r["value"] for r in rows}
    assert cells["indicators", "O.2.3", "count"] == "7"
    assert cells["indicators_by_gender", "O.2.3", "gender.female"] == "<5"
    assert cells["report", "", "from"] == "2026-01-01"  # no municipality recorded: empty label

    book = load_workbook(out_xlsx)
    sheet = book["AMIF-Indikatoren"]
    o23 = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "O.2.3")
    assert o23[3].value == 7 and o23[3].data_type == "n"

    text = pdf.text(out_pdf)
    assert "AMIF-Indikatoren" in text and "Indikatoren nach Geschlecht" in text
    assert all(embedded for _name, embedded in pdf.fonts(out_pdf))

    # No participant's name in any file (the XLSX and PDF are read back: both compress).
    assert "Quorth" not in out_csv.read_text("utf-8") + text
    assert not any(
        "Quorth" in str(cell.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
    )


def test_report_files_in_english(kisi: Kisi, vault: Path, tmp_path: Path) -> None:
    _people(vault, 7)
    out = tmp_path / "r.pdf"
    assert kisi("report", "--period", "PY1", "--pdf", str(out), "--report-lang", "en").code == 0
    text = pdf.text(out)
    assert "AMIF indicators" in text and "Page 1 of" in text


def test_report_outside_the_period_and_bad_periods(kisi: Kisi, vault: Path) -> None:
    _people(vault, 2)
    data = kisi("report", "--period", "PY2", "--json").json()
    assert all(row["count"] in (0, None) for row in _rows(data, "indicators"))
    assert "1 to 3" in kisi("--lang", "en", "report", "--period", "PY7").user_error()
    assert "2026-Q1" in kisi("--lang", "en", "report", "--period", "soon").user_error()
