"""A report of a town with few people, where "<5" and "x" stand in many tables, read as the
ministry's reviewer reads it: every table and chart that shows a mark says under it what
the mark means, in the report's language; the workbook's "x" stands where its numbers do.

Before, KISI's own tables said "Counts of 1 to 4 people are left empty" under cells that
read "<5"; the workbook alone added what "<5" means, and put "x" at the left of its cell.
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from kisi_desktop.core.domain import Activity, Contact, Guide, Municipality, Need, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.csv_export import csv_text
from kisi_desktop.reports.indicators import WITHHELD
from kisi_desktop.reports.pdf_report import render_pdf
from kisi_desktop.reports.periods import parse_period
from kisi_desktop.reports.sections import (
    export_tables,
    report_charts,
    report_info,
    report_sections,
    shareable,
)
from kisi_desktop.reports.tables import Kind, ReportTable
from kisi_desktop.reports.xlsx_export import xlsx_bytes

from tests.support import pdf

Q1 = parse_period("2026-Q1")
SMALL = {"de": ("<5:",), "en": ("<5:",)}
HELD = {"de": ("x:", "Rang x:"), "en": ("x:", "Rank x:")}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Seven people in a quarter, a few family members, needs of small groups, one event."""
    path: Path = tmp_path_factory.mktemp("few") / "vault.kisi"
    ws, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain", district="Marburg-Biedenkopf"))
    ws.add(
        Guide(
            name="Anna Beispiel",
            fte=Decimal(1),
            started_on=date(2025, 10, 1),
            municipality_ags=("06534011",),
        )
    )
    people = [
        ("female", "SY", "office", 3),
        ("female", "SY", "office", 2),
        ("male", "AF", "outreach", 1),
        ("male", "SY", "phone", 0),
        ("female", "AF", "office", 0),
        ("male", "SY", "office", 0),
        ("diverse", "ER", "office", 0),
    ]
    for n, (gender, country, mode, family) in enumerate(people):
        p = ws.add(
            Person(
                name=f"P{n}",
                gender=gender,
                nationalities=(country,),
                residence_status="refugee",
                birth_year=1990,
            )
        )
        ws.add(
            Contact(
                person_id=p.id,
                contacted_on=date(2026, 2, 3),
                duration_minutes=30,
                mode=mode,
                family_members=family,
                topics=("housing",),
            )
        )
    for group, need, respondents in (
        ("tcn", "childcare", 5),
        ("tcn", "housing", 5),
        ("local", "housing", 2),
        ("administration", "work", 3),
    ):
        ws.add(
            Need(
                recorded_on=date(2026, 2, 10),
                group=group,
                need=need,
                urgency="high",
                respondents=respondents,
            )
        )
    ws.add(
        Activity(
            activity_type="information_event",
            title="Infoabend",
            starts_on=date(2026, 2, 20),
            municipality_ags="06534011",
            is_event=True,
            counts_by_target_group=(("tcn", 12), ("local", 3)),
            attendance_total=15,
        )
    )
    return ws


def tables(ws: Workspace, language: str) -> list[ReportTable]:
    return shareable(report_sections(ws, Q1, language=language))


def marks(table: ReportTable) -> tuple[bool, bool]:
    """Whether the table shows "<5", and whether "x"."""
    counts = [c.key for c in table.columns if c.kind is Kind.COUNT]
    small = any(row.get(key, 0) is None for row in table.rows for key in counts)
    held = any(value is WITHHELD for row in table.rows for value in row.values())
    return small, held


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_table_with_a_mark_says_what_it_means(ws: Workspace, language: str) -> None:
    seen = {"<5": 0, "x": 0}
    for table in tables(ws, language):
        small, held = marks(table)
        notes = table.notes(language)
        if small:
            seen["<5"] += 1
            assert any(n.startswith(SMALL[language]) for n in notes), (table.key, notes)
        if held:
            seen["x"] += 1
            assert any(n.startswith(HELD[language]) for n in notes), (table.key, notes)
    assert seen["<5"] >= 4 and seen["x"] >= 2  # (the vault does show both, in several tables)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_csv_file_on_its_own_says_what_its_marks_mean(ws: Workspace, language: str) -> None:
    # The file goes to whoever asks for the figures; "<5" and "x" in it meant nothing
    # without the report's pages, which the workbook and the PDF carry under each table.
    lines = list(csv.DictReader(io.StringIO(csv_text(tables(ws, language), language=language))))
    shown: dict[str, set[str]] = {}
    notes: dict[str, list[str]] = {}
    for line in lines:
        if line["kind"] == "note":
            assert (line["row"], line["label"], line["column"]) == ("0", "", "note")
            notes.setdefault(line["table"], []).append(line["value"])
        else:
            shown.setdefault(line["table"], set()).add(line["value"])
    marked = {table: values & {"<5", "x"} for table, values in shown.items()}
    assert sum("<5" in v for v in marked.values()) >= 4
    assert sum("x" in v for v in marked.values()) >= 2
    for table, values in marked.items():
        said = notes.get(table, [])
        if "<5" in values:
            assert any(n.startswith(SMALL[language]) for n in said), (table, said)
        if "x" in values:
            assert any(n.startswith(HELD[language]) for n in said), (table, said)
    # The notes come after their table's cells and name it, in the file's language.
    heading = {"de": "Anmerkung", "en": "Note"}[language]
    assert {line["heading"] for line in lines if line["kind"] == "note"} == {heading}
    for table in notes:
        kinds = [line["kind"] == "note" for line in lines if line["table"] == table]
        assert kinds == sorted(kinds)  # cells first, then the notes
        where = [n for n, line in enumerate(lines) if line["table"] == table]
        assert where == list(range(where[0], where[-1] + 1))  # together in one block


def test_the_workbook_puts_x_where_its_numbers_stand(ws: Workspace) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(tables(ws, "de"), language="de")))
    sheet = book["Kontakte nach Kontaktform"]
    headings = [c.value for c in sheet[1]]
    column = next(n for n, h in enumerate(headings) if "Familienangehörige" in str(h))
    family = [row[column] for row in sheet.iter_rows(min_row=2, max_row=5)]
    assert [c.value for c in family] == ["x", "x", 0, 6]
    assert {c.alignment.horizontal for c in family[:2]} == {"right"}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", "<5: weniger als 5 Personen; die genaue Zahl wird zum Schutz der Personen nicht "
         "gezeigt, und es wird kein Balken dafür gezeichnet."),
        ("en", "<5: fewer than 5 people; the exact figure is withheld to protect them, and no "
         "bar is drawn for it."),
    ],
)  # fmt: skip
def test_the_charts_page_says_what_its_marks_mean(
    ws: Workspace, tmp_path: Path, language: str, words: str
) -> None:
    shown = tables(ws, language)
    path = tmp_path / f"report-{language}.pdf"
    info = report_info(ws, Q1, date(2026, 4, 2))
    path.write_bytes(render_pdf(info, shown, report_charts(shown), language=language))
    printed = pdf.text(path)
    heading = "2 " + ("Diagramme" if language == "de" else "Charts")
    charts = printed[printed.index(heading, printed.index(heading) + 1) :]  # (after contents)
    charts = charts[: charts.index("3 " + shown[1].title(language))]  # (up to the next)
    assert "<5" in charts  # (O.2.3 by gender: three genders of one or two people)
    assert words in " ".join(charts.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(
    ("period", "words"),
    [
        ("2025-09-01..2025-10-31", "Der Zeitraum reicht über die Projektlaufzeit (01.10.2025 – "
         "30.09.2028) hinaus: Die AMIF-Indikatoren zählen nur seine Tage in der Projektlaufzeit"),
        ("2029-01-01..2029-03-31", "Der Zeitraum liegt außerhalb der Projektlaufzeit (01.10.2025 "
         "– 30.09.2028): Die AMIF-Indikatoren zählen keinen seiner Tage"),
        ("2028-02-29..2028-02-29", None),
        ("PY1", None),
    ],
)  # fmt: skip
def test_a_period_reaching_outside_the_project_says_so(
    ws: Workspace, tmp_path: Path, period: str, words: str | None
) -> None:
    """QA review: a report of September and October 2025 counted September's contacts and
    needs, its indicators October alone, and its cover said only '01.09.2025 – 31.10.2025'."""
    asked = parse_period(period)
    info = report_info(ws, asked, date(2026, 4, 2))
    shown = shareable(report_sections(ws, asked))
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(info, shown, report_charts(shown)))
    cover = " ".join(pdf.text(path).split("\f")[0].split())
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export_tables(info, shown))))
    details = " ".join(str(c.value) for row in book["Bericht"].iter_rows() for c in row)
    if words is None:
        assert "Projektlaufzeit" not in cover + details
    else:
        assert words in cover
        assert words in " ".join(details.split())
