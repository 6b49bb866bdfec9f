"""The report of 2026-Q1 against figures counted by hand, in every format it leaves in.

The vault and its hand count are in tests/support/hand_count_vault.py. ``kisi report``
writes --json, CSV, XLSX and PDF; a bundle carries the same sections in
``data/report.jsonl``. Every figure must be the hand count (as "<5" or "x" where the
small-cell rules hide it) and every format must say the same.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import build_payload
from kisi_desktop.bundles.manifest import REPORT
from kisi_desktop.cli.main import main
from kisi_desktop.reports.pdf_tables import cell_text
from kisi_desktop.reports.periods import parse_period, project_year
from kisi_desktop.reports.sections import counted_once
from kisi_desktop.reports.tables import Kind

from tests.support.hand_count_vault import (
    PASSPHRASE,
    PY1_O23,
    Q1_AGE,
    Q1_CONTACTS_BY_MODE,
    Q1_COUNTS,
    Q1_EVENTS,
    Q1_GENDER,
    Q1_NATIONALITY,
    Q1_NEEDS,
    Q1_PUBLICATIONS,
    Q1_REFERRALS,
    Q1_VOLUNTEERS,
    HandCountVault,
    build_hand_count_vault,
)

Q1 = parse_period("2026-Q1")
NETWORK = ("activities", "participants", "administration_staff")
Cells = dict[tuple[str, int, str], str]
"""(table, row number from 0, column key) -> the cell as printed: "<5", "x", 3, 8.5."""


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> HandCountVault:
    return build_hand_count_vault(tmp_path_factory.mktemp("hand-count"))


@pytest.fixture(scope="module")
def written(vault: HandCountVault, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``kisi report --period 2026-Q1`` with every file; its --json as ``report.json``."""
    out = tmp_path_factory.mktemp("files")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KISI_VAULT", str(vault.path))
        env.setenv("KISI_PASSPHRASE", PASSPHRASE)
        env.delenv("KISI_LANG", raising=False)
        stdout = io.StringIO()
        env.setattr("sys.stdout", stdout)
        argv = ["report", "--period", "2026-Q1", "--json"]
        argv += ["--csv", str(out / "q1.csv"), "--xlsx", str(out / "q1.xlsx")]
        argv += ["--pdf", str(out / "q1.pdf")]
        assert main(argv) == 0
    (out / "report.json").write_text(stdout.getvalue(), encoding="utf-8")
    yield out


def _printed(value: Any, kind: str = Kind.COUNT.value) -> str:
    """A cell as every format means it: a count of None (null, empty) is "<5", any other
    None an empty cell; the held-back mark "x"; numbers without trailing zeros."""
    if value is None or value == "":
        return "<5" if kind == Kind.COUNT.value else ""
    if value == "<5":
        return "<5"
    if value in ("withheld", "x"):
        return "x"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, Decimal)) or re.fullmatch(r"-?\d+(\.\d+)?", str(value)):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def _json_tables(folder: Path) -> list[dict[str, Any]]:
    tables: list[dict[str, Any]] = json.loads((folder / "report.json").read_text())["tables"]
    return tables


def _kinds(folder: Path) -> dict[tuple[str, str], str]:
    return {(t["key"], c["key"]): c["kind"] for t in _json_tables(folder) for c in t["columns"]}


def _from_json(folder: Path) -> Cells:
    kinds = _kinds(folder)
    return {
        (t["key"], n, key): _printed(value, kinds[(t["key"], key)])
        for t in _json_tables(folder)
        for n, row in enumerate(t["rows"])
        for key, value in row.items()
    }


def _from_csv(folder: Path) -> Cells:
    rows = csv.DictReader(io.StringIO((folder / "q1.csv").read_text(encoding="utf-8")))
    return {
        (r["table"], int(r["row"]) - 1, r["column"]): _printed(r["value"], r["kind"])
        for r in rows
        if r["kind"] != "note"  # (what a table's marks mean, under its cells)
    }


def _from_xlsx(folder: Path) -> Cells:
    """Each sheet's rows under its header, matched to the table's columns by position
    (the sheets come in the tables' order; notes follow an empty row)."""
    book = load_workbook(folder / "q1.xlsx")
    cells: Cells = {}
    for table, sheet in zip(_json_tables(folder), book.worksheets, strict=True):
        lines = list(sheet.iter_rows(min_row=2, values_only=True))
        for n, line in enumerate(lines[: len(table["rows"])]):
            for column, value in zip(table["columns"], line, strict=False):
                if hasattr(value, "date"):
                    value = value.date().isoformat()
                elif column["kind"] == Kind.PERCENT.value and isinstance(value, float):
                    value = Decimal(str(value)) * 100  # (a fraction, formatted as a percent)
                cells[(table["key"], n, column["key"])] = _printed(value, column["kind"])
    return cells


def _cell(cells: Cells, table: str, code: str, column: str, by: str = "code") -> str:
    number = next(n for (t, n, c), v in cells.items() if t == table and c == by and v == code)
    return cells[(table, number, column)]


def test_the_page_figures_are_the_hand_count(vault: HandCountVault) -> None:
    """The exact figures (the Reports page counts the same way) for Q1 and project year 1."""
    ws = Workspace.open(vault.path, passphrase=PASSPHRASE, clock=vault.clock)
    try:
        q1 = {r.code: r for r in counted_once(ws, Q1)}
        py1 = {r.code: r for r in counted_once(ws, project_year(1))}
    finally:
        ws.lock()
    assert {code: r.count for code, r in q1.items()} == Q1_COUNTS
    o23 = q1["O.2.3"].breakdowns
    assert dict(o23["gender"]) == Q1_GENDER
    assert dict(o23["age_group"]) == Q1_AGE
    assert dict(o23["nationality_group"]) == Q1_NATIONALITY
    # Bashir turned 18 on 15 February: under 18 at his first contact (1 January), 18 on the
    # day of his family reunification contact (31 March), where O.2.5 counts him.
    assert dict(q1["O.2.5"].breakdowns["age_group"])["18_60"] == 1
    # Chadi's first contact was in Q4 2025: counted there, once for the project.
    assert py1["O.2.3"].count == PY1_O23
    assert vault.ids["Chadi"] in py1["O.2.3"].people
    assert vault.ids["Chadi"] not in q1["O.2.3"].people
    # Goli withdrew her consent to case documentation: still counted (figures are
    # anonymous); Clara (German), Karim (status unknown), Lena (Polish) never.
    assert vault.ids["Goli"] in q1["O.2.3"].people
    assert not {vault.ids[n] for n in ("Clara", "Karim", "Lena")} & q1["O.2.3"].people


def test_every_exported_figure_is_the_hand_count(written: Path) -> None:
    cells = _from_csv(written)
    count = {code: _cell(cells, "indicators", code, "count") for code in Q1_COUNTS}
    assert count == {
        code: _printed(n if n == 0 or n >= 5 or code == "O.2.2" else None)
        for code, n in Q1_COUNTS.items()
    }
    gender = {g: _cell(cells, "indicators_by_gender", "O.2.3", f"gender.{g}") for g in Q1_GENDER}
    assert gender == {"female": "6", "male": "<5", "non_binary": "<5", "unknown": "0"}
    # under 18 and over 60 are 1 each, "<5" beside a total of 9 and 7 in 18-60 would add up
    # to 2: both pinned to 1. So 18-60 is held back and the three read "x".
    age = {a: _cell(cells, "indicators_by_age_group", "O.2.3", f"age_group.{a}") for a in Q1_AGE}
    assert age == {"under_18": "x", "18_60": "x", "over_60": "x", "unknown": "0"}
    for mode, (contacts, hours, family) in Q1_CONTACTS_BY_MODE.items():
        row = [_cell(cells, "contacts_by_mode", mode, c) for c in ("contacts", "hours")]
        assert row == [str(contacts), str(hours.normalize())], mode
        shown = _printed(family if family == 0 or family >= 5 else None)
        assert _cell(cells, "contacts_by_mode", mode, "family_members") == shown, mode
    for target, (n, status) in Q1_REFERRALS.items():
        assert _cell(cells, "referrals_by_target", target, "referrals") == str(n)
        assert _cell(cells, "referrals_by_target", target, f"status.{status}") == str(n)
    assert _cell(cells, "referrals_by_target", "total", "referrals") == "4"
    volunteers = {k: cells[("volunteers", 0, k)] for k in Q1_VOLUNTEERS}
    assert volunteers == {
        "recruited": "<5",
        "trained": "<5",
        "active": "<5",
        "deployments": "3",
        "hours": "6",
    }
    columns = ("events", "tcn", "local", "administration", "volunteers", "attendance")
    events = {
        kind: tuple(_cell(cells, "events_by_type", kind, c) for c in columns) for kind in Q1_EVENTS
    }
    # local 8 and 3 add up to 11: the 3 is "<5", and the 8 goes with it ("x").
    assert events == {
        "information_event": ("1", "12", "x", "0", "<5", "22"),
        "civic_orientation": ("1", "8", "x", "0", "0", "11"),
        "total": ("2", "20", "11", "0", "<5", "33"),
    }
    # The training: 2 volunteers and 4 staff. 6 participants beside staff "<5" and
    # volunteers trained "<5" would bound each; held back, they bound nothing.
    training = [_cell(cells, "administration_network", "training", c) for c in NETWORK]
    assert training == ["1", "x", "<5"]
    assert [_cell(cells, "administration_network", "network_meeting", c) for c in NETWORK] == [
        "1",
        "7",
        "7",
    ]
    for kind, (n, copies) in Q1_PUBLICATIONS.items():
        assert _cell(cells, "publications", kind, "publications") == str(n)
        assert _cell(cells, "publications", kind, "copies") == str(copies)
    overall = {
        need: (
            _cell(cells, "needs", need, "respondents", by="need"),
            _cell(cells, "needs", need, "score", by="need"),
        )
        for need in Q1_NEEDS
    }
    assert overall == {
        "language_course_places": ("10", "22"),
        "housing": ("9", "20"),
        "intercultural_training": ("5", "15"),
        "childcare": ("<5", "<5"),
    }


def test_csv_workbook_json_and_bundle_say_the_same(written: Path, vault: HandCountVault) -> None:
    from_json = _from_json(written)
    kinds = _kinds(written)
    assert _from_csv(written) == from_json
    assert _from_xlsx(written) == from_json
    ws = Workspace.open(vault.path, passphrase=PASSPHRASE, clock=vault.clock)
    try:
        jsonl = build_payload(ws, Q1).files[REPORT]
    finally:
        ws.lock()
    seen: dict[str, int] = {}
    for row in jsonl:
        table = row["table"]
        number = seen[table] = seen.get(table, -1) + 1
        for key, value in row.items():
            if key != "table":
                shown = _printed(value, kinds[(table, key)])
                assert shown == from_json[(table, number, key)], (table, key)
    # (The budget's warnings depend on the day: the bundle's clock says 15 April.)
    assert {"budget_plan", "needs", "contacts_by_mode", "events_by_type", "publications"} <= set(
        seen
    )


def test_the_pdf_prints_each_rows_figures(written: Path) -> None:
    """Every row of every table shows its figures in the PDF as in the files (in German,
    side by side on the row's first line)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(written / "q1.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [re.sub(r"\s+", " ", line.replace("\xa0", " ")).strip() for line in text.splitlines()]
    for table in _json_tables(written):
        if table["key"] == "report":
            continue
        numeric = [c for c in table["columns"] if c["kind"] in (Kind.COUNT.value, Kind.HOURS.value)]
        numeric += [c for c in table["columns"] if c["kind"] == Kind.MONEY.value]
        for row in table["rows"]:
            figures = [
                _pdf_cell(row.get(c["key"]), Kind(c["kind"])).replace("\xa0", " ")
                for c in _in_order(table, numeric)
            ]
            assert any(_in_turn(figures, line) for line in lines), (table["key"], row, figures)


def _in_turn(figures: list[str], line: str) -> bool:
    """Whether ``line`` holds the figures one after another (words may come between)."""
    at = 0
    for figure in figures:
        found = re.search(rf"(?<![\w,.]){re.escape(figure)}(?![\w,.])", line[at:])
        if found is None:
            return False
        at += found.end()
    return True


def _in_order(table: Mapping[str, Any], wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = {c["key"] for c in wanted}
    return [c for c in table["columns"] if c["key"] in keys]


def _pdf_cell(value: Any, kind: Kind) -> str:
    if value == "withheld":
        return "x"
    if isinstance(value, str) and kind in (Kind.HOURS, Kind.MONEY, Kind.PERCENT):
        value = Decimal(value)
    return cell_text(value, kind, "de")
