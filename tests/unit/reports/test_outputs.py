"""Report outputs: indicator tables, CSV, XLSX and PDF, each read back as a reader would.

The vault below, worked out by hand for 2026-Q1 (1 January to 31 March 2026):

  W1-W6  Syrian women, born 1990 (36 in 2026), refugees   one contact each on 2026-02-01
  A1-A2  Afghan boys, born 2010-05-01 (15 on 2026-03-01)  contact 2026-03-01 on family
                                                          reunification
  G1     German woman                                     contact 2026-02-01: not counted
  one network meeting in Kirchhain on 2026-01-20 (no participants)

  O.2.2  1 municipality (never suppressed: it counts places, not people)
  O.2.3  8 = 6 women + 2 men; 6 aged 18-60 + 2 under 18; 6 Syria + 2 Afghanistan
         exported: total 8, men "<5", under 18 "<5", Afghanistan "<5"
  O.2.5  2 (the boys) -> exported "<5"
  all other indicators 0 (zero reveals nobody and stays 0)

Guides: Greta (since 2025-10-01) serves Kirchhain; Otto left on 2025-12-31, before the
quarter, so the cover names Greta only.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kisi_desktop.core.domain import Activity, Contact, Guide, Municipality, Person
from kisi_desktop.core.i18n import translator
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.charts import Bar, BarChart
from kisi_desktop.reports.csv_export import csv_text, csv_value
from kisi_desktop.reports.indicator_tables import (
    BY_AGE_GROUP,
    BY_GENDER,
    BY_NATIONALITY,
    INDICATORS,
    WITHHELD_NOTE,
)
from kisi_desktop.reports.indicators import WITHHELD
from kisi_desktop.reports.money import format_percent
from kisi_desktop.reports.pdf_report import render_pdf
from kisi_desktop.reports.pdf_tables import cell_text, printed_columns
from kisi_desktop.reports.periods import parse_period
from kisi_desktop.reports.sections import (
    ReportInfo,
    info_table,
    report_charts,
    report_info,
    report_sections,
    shareable,
    shared_shapes,
)
from kisi_desktop.reports.tables import Column, Kind, ReportTable
from kisi_desktop.reports.xlsx_export import xlsx_bytes

from tests.support import pdf

AGS = "06534011"
Q1 = parse_period("2026-Q1")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path: Path = tmp_path_factory.mktemp("outputs") / "vault.kisi"
    ws, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS)
    ws.add(Municipality(ags=AGS, name="Kirchhain", district="Marburg-Biedenkopf"))
    ws.add(
        Guide(
            name="Greta Guide",
            fte=Decimal("0.5"),
            started_on=date(2025, 10, 1),
            municipality_ags=(AGS,),
        )
    )
    ws.add(
        Guide(
            name="Otto Former",
            fte=Decimal("0.5"),
            started_on=date(2025, 10, 1),
            ended_on=date(2025, 12, 31),
            municipality_ags=(AGS,),
        )
    )

    def person_with_contact(name: str, day: date, **person: object) -> None:
        p = ws.add(Person(name=name, residence_status="refugee", **person))  # type: ignore[arg-type]
        topics = ("family_reunification",) if name.startswith("A") else ()
        ws.add(
            Contact(
                person_id=p.id, contacted_on=day, duration_minutes=30, mode="office", topics=topics
            )
        )

    for i in range(1, 7):
        person_with_contact(
            f"W{i}", date(2026, 2, 1), nationalities=("SY",), gender="female", birth_year=1990
        )
    for i in (1, 2):
        person_with_contact(
            f"A{i}",
            date(2026, 3, 1),
            nationalities=("AF",),
            gender="male",
            birth_date=date(2010, 5, 1),
        )
    person_with_contact("G1", date(2026, 2, 1), nationalities=("DE",), gender="female")
    ws.add(
        Activity(
            activity_type="network_meeting",
            title="Runder Tisch",
            starts_on=date(2026, 1, 20),
            municipality_ags=AGS,
        )
    )
    return ws


def _table(tables: list[ReportTable], key: str) -> ReportTable:
    return next(t for t in tables if t.key == key)


def _row(table: ReportTable, code: str) -> dict[str, object]:
    return dict(next(r for r in table.rows if r["code"] == code))


# -- the indicator tables ------------------------------------------------------------------


def test_indicator_overview_shows_counts_rules_and_suppression(ws: Workspace) -> None:
    tables = report_sections(ws, Q1)
    overview = _table(tables, INDICATORS)
    counts = {r["code"]: r["count"] for r in overview.rows}
    assert counts == {
        "O.2.2": 1,  # one municipality: not people, never suppressed
        "O.2.3": 8,
        "O.2.3.1": 0,
        "O.2.3.2": 0,
        "O.2.3.3": 0,
        "O.2.5": None,  # 2 boys: fewer than 5
        "R.2.8": 0,
        "R.2.9": 0,
        "R.2.10": 0,
        "R.2.11": 0,
    }
    o25 = _row(overview, "O.2.5")
    assert o25["definition_de"] == "Teilnehmende mit Information/Unterstützung zum Familiennachzug"
    assert "„Familiennachzug“" in str(o25["rule_de"])
    assert "“family reunification”" in str(o25["rule_en"])
    assert _row(overview, "O.2.3.1")["rule_de"] == (
        "Wie O.2.3; Unterstützung: Sprachkurs; je Person einmal gezählt."
    )
    assert "mindestens eine GER-Stufe" in str(_row(overview, "R.2.8")["rule_de"])
    assert _row(overview, "O.2.3")["verified"] is False
    assert overview.leaves_laptop
    assert any(n.startswith("<5") for n in overview.notes_de)


def test_breakdowns_are_fixed_columns_with_small_cells_suppressed(ws: Workspace) -> None:
    tables = report_sections(ws, Q1)
    gender = _table(tables, BY_GENDER)
    # 6 women of 8 shown, and the 2 men as "<5", were 2 men (QA pass): both held back.
    assert _row(gender, "O.2.3") == {
        "code": "O.2.3",
        "total": 8,
        "gender.female": WITHHELD,
        "gender.male": WITHHELD,
        "gender.non_binary": 0,
        "gender.unknown": 0,
    }
    assert WITHHELD_NOTE[0] in gender.notes_de and WITHHELD_NOTE[1] in gender.notes_en
    ages = _row(_table(tables, BY_AGE_GROUP), "O.2.3")
    assert (ages["age_group.under_18"], ages["age_group.18_60"]) == (WITHHELD, WITHHELD)
    nationality = _table(tables, BY_NATIONALITY)
    row = _row(nationality, "O.2.3")
    assert (row["nationality_group.syria"], row["nationality_group.afghanistan"]) == (
        WITHHELD,
        WITHHELD,
    )
    # Every group of the reference data is a column, so periods line up cell by cell.
    assert {"nationality_group.eritrea", "nationality_group.stateless"} <= {
        c.key for c in nationality.columns
    }
    # O.2.2 counts municipalities: it has no breakdown rows.
    assert all(r["code"] != "O.2.2" for r in nationality.rows)


def test_exact_tables_for_the_screen_stay_on_the_laptop(ws: Workspace) -> None:
    tables = report_sections(ws, Q1, suppress=False)
    assert _row(_table(tables, BY_GENDER), "O.2.3")["gender.male"] == 2
    assert _row(_table(tables, INDICATORS), "O.2.5")["count"] == 2
    assert not any(t.leaves_laptop for t in tables if t.key.startswith("indicators"))


def test_sections_follow_the_ministry_report_order(ws: Workspace) -> None:
    keys = [t.key for t in report_sections(ws, Q1)]
    assert keys[:7] == [
        INDICATORS,
        BY_GENDER,
        BY_AGE_GROUP,
        BY_NATIONALITY,
        "budget_plan",
        "budget_warnings",
        "needs",
    ]
    assert "contacts_by_mode" in keys[7:]  # then KISI's own figures
    # Tables naming volunteers or trips only on the guide's own screen.
    assert "budget_volunteer_allowances" not in keys
    local = [t.key for t in report_sections(ws, Q1, suppress=False)]
    assert "budget_volunteer_allowances" in local


def test_shared_shapes_are_those_of_the_sections_bundles_carry(ws: Workspace) -> None:
    """The ministry heads bundle rows with these: they must be the sections' own."""
    shapes = shared_shapes(ws.ref)
    carried = [t for t in shareable(report_sections(ws, Q1)) if not t.key.startswith(INDICATORS)]
    assert [t.key for t in carried] == list(shapes)
    for t in carried:
        shape = shapes[t.key]
        assert (shape.title_de, shape.title_en, shape.columns) == (
            t.title_de,
            t.title_en,
            tuple(t.columns),
        )


def test_cover_names_the_guides_of_the_period(ws: Workspace) -> None:
    info = report_info(ws, Q1, date(2026, 4, 2))
    assert (info.municipality, info.ags, info.district) == ("Kirchhain", AGS, "Marburg-Biedenkopf")
    assert info.guides == ("Greta Guide",)  # Otto left before the quarter


def test_charts_show_o23_breakdowns_as_the_tables_do(ws: Workspace) -> None:
    charts = report_charts(report_sections(ws, Q1))
    by_gender = next(c for c in charts if c.key.endswith(BY_GENDER))
    assert by_gender.title_de.startswith("O.2.3 Unterstützte Teilnehmende")
    assert [(b.label_de, b.value) for b in by_gender.bars] == [
        ("weiblich", WITHHELD),
        ("männlich", WITHHELD),
        ("divers", 0),
        ("keine Angabe", 0),
    ]
    by_nationality = next(c for c in charts if c.key.endswith(BY_NATIONALITY))
    # Only the groups someone belongs to: two bars, not thirteen.
    assert [b.label_de for b in by_nationality.bars] == ["Afghanistan", "Syrien"]


def test_a_held_back_cell_prints_as_x_with_its_note(ws: Workspace, tmp_path: Path) -> None:
    gender = _table(report_sections(ws, Q1), BY_GENDER)
    assert cell_text(WITHHELD, Kind.COUNT, "de") == "x"
    rows = list(csv.reader(io.StringIO(csv_text([gender]))))
    assert [r[-1] for r in rows if r[3] == "O.2.3" and r[4].startswith("gender.")] == [
        "x",
        "x",
        "0",
        "0",
    ]
    path = tmp_path / "gender.pdf"
    path.write_bytes(render_pdf(report_info(ws, Q1, date(2026, 4, 2)), [gender], []))
    printed = " ".join(pdf.text(path).split())
    assert "x: nicht gezeigt, damit sich eine Zahl unter 5" in printed


# -- the generic outputs, on a table of every kind -------------------------------------------

EVERY_KIND = ReportTable(
    key="every_kind",
    title_de="Beispiel mit allen Zellarten",
    title_en="Example with every kind of cell",
    columns=(
        Column("category", "Kategorie", "Category"),
        Column("planned", "Geplant", "Planned", Kind.MONEY),
        Column("share", "Anteil", "Share", Kind.PERCENT),
        Column("hours", "Stunden", "Hours", Kind.HOURS),
        Column("booked", "Gebucht am", "Booked on", Kind.DATE),
        Column("people", "Personen", "People", Kind.COUNT),
        Column("eligible", "Förderfähig", "Eligible"),
    ),
    rows=(
        {
            "category": "Reisekosten",
            "planned": Decimal("1234.50"),
            "share": Decimal("12.5"),
            "hours": Decimal("7.25"),
            "booked": date(2026, 2, 3),
            "people": None,
            "eligible": True,
        },
        {
            "category": "=HYPERLINK(1)",
            "planned": Decimal("290657.90"),
            "share": Decimal("100"),
            "hours": Decimal("0"),
            "booked": date(2026, 3, 31),
            "people": 12,
            "eligible": False,
        },
    ),
    notes_de=("Eine Beispielnotiz.",),
    notes_en=("An example note.",),
)

LOCAL_ONLY = ReportTable(
    key="names",
    title_de="Namen der Teilnehmenden",
    title_en="Names of participants",
    columns=(Column("name", "Name", "Name"),),
    rows=({"name": "Amina Geheimnis"},),
    leaves_laptop=False,
)

WIDE = ReportTable(
    key="wide",
    title_de="Sehr breite Tabelle",
    title_en="A very wide table",
    columns=(
        Column("code", "Indikator", "Indicator"),
        *(Column(f"c{i}", f"Gruppe {i} lang", f"Group {i} long", Kind.COUNT) for i in range(18)),
    ),
    rows=({"code": "O.2.3", **{f"c{i}": 1000 + i for i in range(18)}},),
)

INFO = ReportInfo(
    municipality="Kirchhain",
    ags=AGS,
    district="Marburg-Biedenkopf",
    guides=("Greta Guide",),
    period=Q1,
    created=date(2026, 4, 2),
)


def test_csv_is_one_long_table_with_machine_values() -> None:
    text = csv_text([info_table(INFO), EVERY_KIND, LOCAL_ONLY])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert set(rows[0]) == {"table", "title", "row", "label", "column", "heading", "kind", "value"}
    cells = {(r["table"], r["row"], r["column"]): r["value"] for r in rows}
    assert cells["report", "1", "ags"] == AGS
    assert cells["report", "1", "from"] == "2026-01-01"
    assert cells["every_kind", "1", "planned"] == "1234.50"  # exact, no separators
    assert cells["every_kind", "2", "planned"] == "290657.90"
    assert cells["every_kind", "1", "share"] == "12.5"
    assert cells["every_kind", "1", "booked"] == "2026-02-03"
    assert cells["every_kind", "1", "people"] == "<5"
    assert cells["every_kind", "2", "people"] == "12"
    assert cells["every_kind", "1", "eligible"] == "true"
    # A spreadsheet must not run a cell as a formula.
    assert cells["every_kind", "2", "category"] == "'=HYPERLINK(1)"
    label = {r["label"] for r in rows if r["table"] == "every_kind" and r["row"] == "1"}
    assert label == {"Reisekosten"}
    assert "Amina" not in text  # local-only tables never leave
    assert text.endswith("\r\n")


@pytest.mark.parametrize(
    ("hours", "written"),
    [(6.0, "6.00"), (2, "2.00"), (Decimal("8.5"), "8.50"), (Decimal("7.25"), "7.25")],
)
def test_csv_writes_hours_to_two_places(hours: object, written: str) -> None:
    """QA: one column of hours read "6.0", "2" and "8.50", as the sums came to be."""
    assert csv_value(hours, Kind.HOURS) == written


def test_xlsx_has_real_numbers_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(
        xlsx_bytes([info_table(INFO), EVERY_KIND, LOCAL_ONLY, WIDE], created=date(2026, 4, 2))
    )
    book = load_workbook(path)
    assert book.sheetnames == ["Bericht", "Beispiel mit allen Zellarten", "Sehr breite Tabelle"]
    info = book["Bericht"]
    assert info["F2"].value == datetime(2026, 1, 1)  # the period's first day, a date cell
    assert info["F2"].number_format == "DD.MM.YYYY"
    sheet = book["Beispiel mit allen Zellarten"]
    assert [c.value for c in sheet[1]] == [
        "Kategorie",
        "Geplant",
        "Anteil",
        "Stunden",
        "Gebucht am",
        "Personen",
        "Förderfähig",
    ]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    planned, share, hours, booked, people, eligible = (c for c in sheet[2][1:])
    assert planned.value == pytest.approx(1234.5) and planned.data_type == "n"
    assert "€" in planned.number_format
    assert share.value == pytest.approx(0.125) and share.number_format == "0.00%"
    assert hours.value == pytest.approx(7.25)
    assert booked.value == datetime(2026, 2, 3) and booked.is_date
    assert people.value == "<5" and people.alignment.horizontal == "right"
    assert eligible.value is True
    assert sheet["F3"].value == 12 and sheet["F3"].number_format == "#,##0"
    # "=..." in a text column stays text, never a formula.
    assert sheet["A3"].value == "=HYPERLINK(1)" and sheet["A3"].data_type == "s"
    # The notes sit under the data, after one empty row.
    assert sheet["A4"].value is None
    assert sheet["A5"].value == "Eine Beispielnotiz."
    assert book.properties.creator == "KISI Desktop"


def test_xlsx_sheet_names_are_valid_and_unique() -> None:
    long = ReportTable("a", "Eine sehr lange Überschrift: mit [Klammern] und mehr", "x", (), ())
    book = load_workbook(io.BytesIO(xlsx_bytes([long, long])))
    assert book.sheetnames == ["Eine sehr lange Überschrift mi…", "Eine sehr lange Überschrif… (2)"]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_cells_read_in_the_report_language() -> None:
    assert cell_text(Decimal("290657.90"), Kind.MONEY, "de") == "290.657,90\xa0€"
    assert cell_text(Decimal("290657.90"), Kind.MONEY, "en") == "€290,657.90"
    assert cell_text(None, Kind.COUNT, "de") == "<5"
    assert cell_text(None, Kind.MONEY, "de") == ""
    # One rule for a report's percentages (QA 26b): two decimals, in the report's language.
    assert cell_text(Decimal("12.5"), Kind.PERCENT, "de") == "12,50\xa0%"
    assert cell_text(Decimal(54), Kind.PERCENT, "de") == "54,00\xa0%"
    assert cell_text(Decimal("96.74"), Kind.PERCENT, "en") == "96.74%"
    assert cell_text(Decimal(54), Kind.PERCENT, "de") == format_percent(Decimal(54), "de")
    assert cell_text(date(2026, 2, 3), Kind.DATE, "de") == "03.02.2026"
    # Hours always with two decimals, so that a column of them lines up.
    assert cell_text(Decimal("17.5"), Kind.HOURS, "de") == "17,50"
    assert cell_text(True, Kind.TEXT, "en") == "yes"


def test_an_empty_period_prints_without_charts(ws: Workspace, tmp_path: Path) -> None:
    period = parse_period("PY3")
    tables = report_sections(ws, period)
    assert report_charts(tables) == []  # nobody counted: no empty charts
    path = tmp_path / "empty.pdf"
    path.write_bytes(render_pdf(report_info(ws, period, date(2028, 10, 1)), tables, []))
    assert "AMIF-Indikatoren" in pdf.text(path)


def test_long_contents_get_a_page_of_their_own(tmp_path: Path) -> None:
    tables = [
        ReportTable(f"t{i}", f"Abschnitt {i}", f"Section {i}", (Column("a", "A", "A"),), ())
        for i in range(1, 12)
    ]
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(INFO, tables))
    words = pdf.words(path)
    contents = translator("de").gettext("Contents")
    assert contents not in {w.text for w in words if w.page == 1}
    assert contents in {w.text for w in words if w.page == 2}
    assert {"Abschnitt", "11"} <= {w.text for w in words if w.page == 2}


# -- the PDF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chart = BarChart(
        "people_by_gender",
        "Personen nach Geschlecht",
        "People by gender",
        (Bar("weiblich", "female", 6), Bar("männlich", "male", None)),
    )
    overview = ReportTable(
        key=INDICATORS,
        title_de="AMIF-Indikatoren",
        title_en="AMIF indicators",
        columns=(
            Column("code", "Indikator", "Indicator"),
            Column("definition_de", "Definition", "Definition (German)"),
            Column("definition_en", "Definition (englisch)", "Definition"),
            Column("count", "Anzahl", "Count", Kind.COUNT),
        ),
        rows=(
            {
                "code": "O.2.3",
                "definition_de": "Unterstützte Teilnehmende",
                "definition_en": "participants supported",
                "count": 8,
            },
        ),
    )
    path: Path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    after = ReportTable(
        key="after",
        title_de="Nach der breiten Tabelle",
        title_en="After the wide table",
        columns=(Column("what", "Was", "What"),),
        rows=({"what": "hochkant"},),
    )
    tables = [overview, EVERY_KIND, LOCAL_ONLY, WIDE, after]
    path.write_bytes(render_pdf(INFO, tables, [chart]))
    return path


def _page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert match
    return int(match.group(1))


def test_pdf_embeds_every_font_and_never_helvetica(report_pdf: Path) -> None:
    used = pdf.fonts(report_pdf)
    assert used
    assert all(embedded for _name, embedded in used), used
    assert not any("Helvetica" in name for name, _ in used)


def test_pdf_cover_sections_and_page_furniture(report_pdf: Path) -> None:
    text = pdf.text(report_pdf).replace("\xa0", " ")
    for expected in (
        "Kirchhain",
        AGS,
        "Marburg-Biedenkopf",
        "Greta Guide",
        "01.01.2026 – 31.03.2026",
        "AMIF-Indikatoren",
        "Unterstützte Teilnehmende",
        "Beispiel mit allen Zellarten",
        "1.234,50 €",
        "290.657,90 €",
        "<5",
        "Eine Beispielnotiz.",
        "Personen nach Geschlecht",
        "Sehr breite Tabelle",
    ):
        assert expected in text, expected
    assert "participants supported" not in text  # only the German of a de/en column pair
    assert "Amina" not in text  # local-only tables stay out of the ministry's PDF
    pages = _page_count(report_pdf)
    page_of = translator("de").gettext("Page {page} of {pages}")
    for number in range(1, pages + 1):
        assert page_of.format(page=number, pages=pages) in text


def test_pdf_contents_give_the_pages_the_sections_start_on(report_pdf: Path) -> None:
    words = pdf.words(report_pdf)
    lines = pdf.lines([w for w in words if w.page == 1])
    contents = {}
    for line in lines:
        texts = [w.text for w in line]
        if texts[0].isdigit() and texts[-1].isdigit() and len(texts) > 2:
            contents[" ".join(texts[1:-1])] = int(texts[-1])
    assert set(contents) == {
        "AMIF-Indikatoren",
        translator("de").gettext("Charts"),
        "Beispiel mit allen Zellarten",
        "Sehr breite Tabelle",
        "Nach der breiten Tabelle",
    }
    for title, page in contents.items():
        headings = [
            line[0].page
            for line in pdf.lines([w for w in words if w.page > 1])
            if " ".join(w.text for w in line).endswith(title) and line[0].text.isdigit()
        ]
        assert headings == [page], title


def test_pdf_puts_a_too_wide_table_on_a_landscape_page(report_pdf: Path) -> None:
    words = pdf.words(report_pdf)
    page = next(w.page for w in words if w.text == "breite" and w.page > 1)
    # A4 portrait is 595 points wide; only a landscape page has words beyond that.
    assert max(w.x1 for w in words if w.page == page) > 600
    assert max(w.x1 for w in words if w.page == 1) < 595
    # The next section is back on a portrait page, and it is the last page: no blank one.
    after = next(w.page for w in words if w.text == "hochkant")
    assert after == page + 1 == _page_count(report_pdf)
    assert max(w.x1 for w in words if w.page == after) < 595


def test_the_pdf_prints_names_not_the_data_codes_beside_them() -> None:
    columns = (
        Column("code", "Code", "code"),
        Column("label_de", "Thema", "Topic (German)"),
        Column("label_en", "Thema (englisch)", "Topic"),
        Column("contacts", "Kontakte", "contacts", Kind.COUNT),
    )
    topics = ReportTable(
        key="topics",
        title_de="Themen",
        title_en="Topics",
        columns=columns,
        rows=(
            {"code": "forms_help", "label_de": "Hilfe bei Formularen", "contacts": 3},
            {"code": "total", "label_de": "insgesamt", "contacts": 3},
        ),
    )
    assert [c.key for c in printed_columns(topics, "de")] == ["label_de", "contacts"]
    assert [c.key for c in printed_columns(topics, "en")] == ["label_en", "contacts"]
    # Indicator codes are what the ministry's readers look for: they stay.
    indicators = ReportTable(
        key="indicators",
        title_de="Indikatoren",
        title_en="Indicators",
        columns=columns,
        rows=({"code": "O.2.3", "label_de": "Unterstützte Teilnehmende", "contacts": 8},),
    )
    assert [c.key for c in printed_columns(indicators, "de")] == ["code", "label_de", "contacts"]
    needs = ReportTable(
        key="needs",
        title_de="Bedarfe",
        title_en="Needs",
        columns=(
            Column("need", "Code des Bedarfs", "need code"),
            Column("need_label", "Bedarf", "need"),
        ),
        rows=({"need": "leisure_meeting", "need_label": "Freizeit und Begegnung"},),
    )
    assert [c.key for c in printed_columns(needs, "de")] == ["need_label"]
    # QA 26b: the handouts by language printed their language tags ("de-simple") and so
    # the total row's code "total" in a German report; the names say it.
    handouts = ReportTable(
        key="handouts_by_language",
        title_de="Ausgegebene Infoblätter nach Sprache",
        title_en="Handouts given by language",
        columns=(
            Column("code", "Code", "code"),
            Column("label", "Sprache", "language"),
            Column("copies", "Exemplare", "copies", Kind.COUNT),
        ),
        rows=(
            {"code": "de-simple", "label": "Deutsch (einfache Sprache)", "copies": 85},
            {"code": "prs", "label": "Dari", "copies": 64},
            {"code": "total", "label": "Insgesamt", "copies": 149},
        ),
    )
    assert [c.key for c in printed_columns(handouts, "de")] == ["label", "copies"]
