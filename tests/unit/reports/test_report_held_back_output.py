"""A real report of a vault whose outreach contact brought one family member: the printed
report, the CSV and the bundle's report rows show "x" beside the office's five, and say why.

Before, contacts by mode read office 5, outreach <5, phone 0, total 6: outreach's 1 was
the total minus the others.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Contact, Municipality, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import build_payload
from kisi_desktop.bundles.manifest import DATA_SCHEMAS, REPORT, WITHHELD_MARK
from kisi_desktop.reports.csv_export import csv_text
from kisi_desktop.reports.pdf_report import render_pdf
from kisi_desktop.reports.periods import parse_period
from kisi_desktop.reports.sections import report_info, report_sections

from tests.support import pdf

Q1 = parse_period("2026-Q1")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path: Path = tmp_path_factory.mktemp("held") / "vault.kisi"
    ws, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain", district="Marburg-Biedenkopf"))
    for mode, family in (("office", 3), ("office", 2), ("outreach", 1), ("phone", 0)):
        p = ws.add(Person(name=f"P {mode} {family}", residence_status="refugee"))
        ws.add(
            Contact(
                person_id=p.id,
                contacted_on=date(2026, 2, 3),
                duration_minutes=30,
                mode=mode,
                family_members=family,
            )
        )
    return ws


def test_the_csv_holds_back_the_office_beside_outreachs_one(ws: Workspace) -> None:
    table = next(t for t in report_sections(ws, Q1) if t.key == "contacts_by_mode")
    rows = list(csv.reader(io.StringIO(csv_text([table]))))
    family = {r[3]: r[-1] for r in rows if r[0] == "contacts_by_mode" and r[4] == "family_members"}
    assert family == {"office": "x", "outreach": "x", "phone": "0", "total": "6"}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_printed_report_shows_x_and_says_why(ws: Workspace, tmp_path: Path) -> None:
    table = next(t for t in report_sections(ws, Q1) if t.key == "contacts_by_mode")
    path = tmp_path / "contacts.pdf"
    path.write_bytes(render_pdf(report_info(ws, Q1, date(2026, 4, 2)), [table], []))
    printed = pdf.text(path)
    lines = [" ".join(line.split()) for line in printed.splitlines()]
    assert "x" in lines and "<5" not in lines  # (each cell a line of its own)
    words = " ".join(printed.split())
    assert (
        "x: nicht gezeigt, damit sich eine Zahl unter 5 in dieser Zeile oder Spalte nicht aus "
        "der Gesamtzahl errechnen lässt" in words
    )
    shots = os.environ.get("KISI_SCREENSHOTS")
    if shots:  # (a look at the page: pdftoppm into the screenshot folder)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", str(path), str(Path(shots) / "report_withheld")],
            check=True,
        )


def test_the_bundle_sends_the_mark_in_report_schema_2(ws: Workspace) -> None:
    payload = build_payload(ws, Q1)
    rows = {r["code"]: r for r in payload.files[REPORT] if r["table"] == "contacts_by_mode"}
    assert {code: r["family_members"] for code, r in rows.items()} == {
        "office": WITHHELD_MARK,
        "outreach": WITHHELD_MARK,
        "phone": 0,
        "total": 6,
    }
    assert DATA_SCHEMAS[REPORT] == 2
