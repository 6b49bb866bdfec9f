"""Figures over all municipalities: sums where sums mean something, <5 as unknown, never as 0."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.manifest import INDICATORS, REPORT
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.aggregate import ALL, Count, figures, figures_json
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.reports.csv_export import csv_bytes
from kisi_desktop.reports.labels import german
from kisi_desktop.reports.periods import parse_period
from kisi_desktop.reports.sections import shared_shapes
from kisi_desktop.reports.tables import Kind
from kisi_desktop.reports.xlsx_export import xlsx_bytes

from .conftest import Device, indicator_rows, report_rows

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


def send(ministry: Ministry, device: Device, period: tuple[date, date], **rows: Any) -> None:
    files = {
        INDICATORS: rows.get("indicators", indicator_rows(period)),
        REPORT: rows.get("report", report_rows()),
    }
    result = import_bundle(ministry, device.bundle([ministry.recipient], files=files,
                                                   period=period), "b")  # fmt: skip
    assert result.outcome == "imported", result.message


def table(result: Any, key: str) -> list[dict[str, Any]]:
    return [dict(r) for t in result.tables if t.key == key for r in t.rows]


def test_count_ranges() -> None:
    count = Count()
    for value in (12, None, 5, None):
        count.add(value)
    assert (count.counted, count.unknown, count.at_least, count.at_most) == (17, 2, 19, 25)
    assert count.text() == "17 + 2×<5 (19–25)" and not count.exact


def test_indicators_add_up_per_municipality_and_together(ministry: Ministry) -> None:
    a, b = Device("06534011"), Device("06534012")
    a.register(ministry, "Kirchhain")
    b.register(ministry, "Marburg")
    send(ministry, a, Q1)  # O.2.3: 12, female 7, male <5
    send(ministry, a, Q2, indicators=indicator_rows(Q2, count=None))  # O.2.3: <5
    send(ministry, b, Q1, indicators=indicator_rows(Q1, count=20))
    result = figures(ministry, parse_period("2026"), language="en")
    o23 = {scope: codes["O.2.3"] for scope, codes in result.indicators.items()}
    assert (o23["06534011"].counted, o23["06534011"].unknown) == (12, 1)
    assert (o23["06534012"].counted, o23["06534012"].unknown) == (20, 0)
    assert (o23[ALL].counted, o23[ALL].at_least, o23[ALL].at_most) == (32, 33, 36)
    # O.2.2 counts municipalities: never summed over a municipality's bundles.
    assert result.indicators["06534011"]["O.2.2"].counted == 1
    assert result.indicators[ALL]["O.2.2"].counted == 2
    male = result.breakdowns[ALL][("O.2.3", "gender", "male")]
    assert (male.counted, male.unknown) == (0, 3)  # three <5 cells: unknown, not zero
    rows = table(result, "ministry_indicators")
    first = rows[0]
    assert (first["ags"], first["municipality"]) == (ALL, "all municipalities")
    assert any("unknown, not zero" in note for note in result.notes)
    data = figures_json(result)
    assert data["indicators"][ALL]["O.2.3"] == {
        "counted": 32, "cells_under_5": 1, "cells_withheld": 0, "at_least": 33, "at_most": 36,
        "exact": False,
    }  # fmt: skip


def test_report_tables_sum_flows_and_take_the_budget_from_the_newest_bundle(
    ministry: Ministry,
) -> None:
    a, b = Device("06534011"), Device("06534012")
    a.register(ministry, "Kirchhain")
    b.register(ministry, "Marburg")
    send(ministry, a, Q1)
    newer = report_rows()
    newer[2] = {**newer[2], "spent": "500.00", "remaining": "500.00", "percent": "50.00"}
    send(ministry, a, Q2, report=newer)
    send(ministry, b, Q1)
    result = figures(ministry, parse_period("2026"), language="en")
    contacts = {(r["ags"], r["code"]): r for r in table(result, "ministry_contacts_by_mode")}
    assert contacts[(ALL, "total")]["contacts"] == 27
    assert contacts[(ALL, "total")]["hours"] == Decimal("12.75")
    assert contacts[(ALL, "phone")]["family_members"] == 0
    assert contacts[(ALL, "phone")]["family_members.cells_under_5"] == 3
    budget = {r["ags"]: r for r in table(result, "ministry_budget_plan")}
    assert budget["06534011"]["spent"] == Decimal("500.00")  # the newest bundle, not a sum
    assert budget[ALL]["spent"] == Decimal("750.00")
    assert budget[ALL]["planned"] == Decimal("2000.00")
    assert budget[ALL]["percent"] == Decimal("37.50")  # worked out again from the sums


def test_bundles_over_the_edge_of_the_period_are_left_out_and_named(
    ministry: Ministry, device: Device
) -> None:
    send(ministry, device, Q1)
    send(ministry, device, Q2)
    result = figures(ministry, parse_period("2026-01-01..2026-05-31"))
    (coverage,) = result.coverage
    assert (coverage.bundles, coverage.left_out, coverage.days_covered) == (1, 1, 90)
    assert any("over the edges" in note for note in result.notes)


def test_exports_escape_formulas_in_municipality_names(ministry: Ministry) -> None:
    evil = Device("06534011")
    registry.register(ministry, ags="06534011", name='=HYPERLINK("x")', key=evil.public.text())
    send(ministry, evil, Q1)
    result = figures(ministry, language="en")
    text = csv_bytes(result.tables, language="en").decode()
    names = {row["value"] for row in csv.DictReader(io.StringIO(text)) if row["column"] ==
             "municipality"}  # fmt: skip
    assert '\'=HYPERLINK("x")' in names and '=HYPERLINK("x")' not in names
    book = load_workbook(io.BytesIO(xlsx_bytes(result.tables, language="en")))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    counted = [c.value for c in cells if isinstance(c.value, int) and not isinstance(c.value, bool)]
    assert 12 in counted  # counts are numbers, not text


def _sheets(data: bytes) -> dict[str, list[list[Any]]]:
    """Each sheet of a workbook by its printed title: its heading row, then its rows."""
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.oddHeader.center.text: [[c.value for c in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def test_the_ministry_xlsx_heads_report_tables_as_the_reports_do(
    ministry: Ministry, device: Device
) -> None:
    send(ministry, device, Q1)
    result = figures(ministry, parse_period("2026"), language="de")
    sheets = _sheets(xlsx_bytes(result.tables, language="de"))
    budget = sheets["Finanzplan: geplant und ausgegeben"]
    assert budget[0] == [
        "AGS", "Kommune", "Kategorie", "Projektjahr", "Abrechnung",
        "Geplant", "Ausgegeben", "Verbleibend", "Verbraucht",
    ]  # fmt: skip
    everyone = budget[1]
    assert everyone[2] == "alle Kategorien"  # the German of the pair, shown once
    assert everyone[5:8] == [1000, 250, 750]  # amounts are numbers, not text
    contacts_title = german("Contacts by mode")
    headings = sheets[contacts_title][0]
    shape = shared_shapes(ReferenceData.load())["contacts_by_mode"]
    assert [c.de for c in shape.columns if c.key != "code"] == [
        h for h in headings[3:] if not h.endswith(german("cells <5"))
    ]
    assert f"{german('Family members advised alongside')}: {german('cells <5')}" in headings
    raw = {key for row in report_rows() for key in row}
    for title, rows in sheets.items():
        assert not [h for h in rows[0] if re.fullmatch(r".+_(de|en)", h) or h in raw], title


def test_report_columns_keep_the_kinds_the_reports_give_them(
    ministry: Ministry, device: Device
) -> None:
    send(ministry, device, Q1)
    result = figures(ministry, parse_period("2026"), language="en")
    tables = {t.key: t for t in result.tables}
    budget = {c.key: c for c in tables["ministry_budget_plan"].columns}
    assert [c.heading("en") for c in budget.values()][2:] == [
        "Category", "Project year", "Funding", "Planned", "Spent", "Remaining", "Used",
    ]  # fmt: skip
    assert "category_en" in budget and "category_de" not in budget  # English figures
    assert table(result, "ministry_budget_plan")[0]["category_en"] == "all"
    assert (budget["planned"].kind, budget["percent"].kind) == (Kind.MONEY, Kind.PERCENT)
    contacts = {c.key: c for c in tables["ministry_contacts_by_mode"].columns}
    assert (contacts["contacts"].kind, contacts["hours"].kind) == (Kind.COUNT, Kind.HOURS)
    assert contacts["family_members"].heading("en") == "Family members advised alongside"


def test_tables_and_columns_of_a_newer_app_show_under_their_keys(
    ministry: Ministry, device: Device
) -> None:
    newer = [
        {**report_rows()[0], "minutes_waiting": "12.50"},
        *report_rows()[1:],
        {"table": "wellbeing", "code": "calm", "answers_de": "ruhig", "answers_en": "calm",
         "answers": 7},
    ]  # fmt: skip
    send(ministry, device, Q1, report=newer)
    result = figures(ministry, parse_period("2026"), language="de")
    tables = {t.key: t for t in result.tables}
    contacts = {c.key: c for c in tables["ministry_contacts_by_mode"].columns}
    assert contacts["minutes_waiting"].heading("de") == "minutes_waiting"
    assert contacts["minutes_waiting"].kind is Kind.MONEY
    assert contacts["contacts"].heading("de") == german("Contacts")
    wellbeing = tables["ministry_wellbeing"]
    assert wellbeing.title("de") == "wellbeing"
    # One column of the language pair; the bundle's JSON keeps no order to follow.
    assert sorted(c.key for c in wellbeing.columns[2:]) == ["answers", "answers_de", "code"]
    assert {c.key: c.kind for c in wellbeing.columns}["answers"] is Kind.COUNT
    assert table(result, "ministry_wellbeing")[0]["answers"] == 7


def test_the_note_on_bundles_over_the_edge_counts_them_in_words(
    ministry: Ministry, device: Device
) -> None:
    """One bundle is "ein Bündel ... reicht", not "1 Bündel(n) reichen"."""
    send(ministry, device, Q1)
    send(ministry, device, Q2)
    period = parse_period("2026-01-01..2026-05-31")
    set_ui_language("en")
    (english,) = [n for n in figures(ministry, period).notes if "edges" in n]
    assert english.startswith("1 bundle reaches over the edges of the period and is left out")
    set_ui_language("de")
    (german_note,) = [n for n in figures(ministry, period).notes if "Zeitraum" in n and "1" in n]
    assert german_note.startswith("1 Bündel reicht über den Zeitraum hinaus")
    assert "(" not in german_note


def test_every_column_heading_of_the_figures_begins_with_a_capital(
    ministry: Ministry, device: Device
) -> None:
    """ "municipality" and "indicator" stood beside the budget tables' "Category"."""
    send(ministry, device, Q1, indicators=indicator_rows(Q1, count=None))
    for language in ("en", "de"):
        result = figures(ministry, parse_period("2026"), language=language)
        small = [
            (t.key, c.heading(language))
            for t in result.tables
            for c in t.columns
            if not c.heading(language)[0].isupper()
        ]
        assert small == [], (language, small)
        if language == "en":  # the note under the counts quotes the headings as shown
            (counts,) = [t for t in result.tables if t.key == "ministry_indicators"]
            quoted = re.findall(r"'([^']+)'", " ".join(counts.notes_en))
            assert set(quoted) <= {c.heading("en") for c in counts.columns}, quoted
        shapes = shared_shapes(ReferenceData.load()).values()
        small = [
            (s.key, c.heading(language))
            for s in shapes
            for c in s.columns
            if not c.heading(language)[0].isupper()
        ]
        assert small == [], (language, small)
        data = csv_bytes(result.tables, language=language).decode("utf-8-sig")
        keys = {row["column"] for row in csv.DictReader(io.StringIO(data))}
        assert {"municipality", "indicator", "cells_under_5", "at_least"} <= keys
