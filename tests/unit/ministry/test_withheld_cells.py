"""Held-back cells ("withheld", indicator schema 2): refused where the app never puts them,
read as unknown from 0 (not as <5) where it does, and older bundles still read.

Before, a bundle sent a lone small cell as null beside its count and the others: the
ministry (or whoever read the bundle) worked it out by subtraction.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from kisi_desktop.bundles.manifest import INDICATORS, REPORT, WITHHELD_MARK
from kisi_desktop.ministry.aggregate import ALL, Count, figures, figures_json
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.reports.indicators import WITHHELD
from kisi_desktop.reports.periods import parse_period
from kisi_desktop.reports.xlsx_export import xlsx_bytes

from .conftest import Q1, Device, indicator_rows, refused, report_rows

X = WITHHELD_MARK
OLD = {INDICATORS: 1}
"""``schema_versions`` of a bundle an app before the mark wrote."""


def rows(**cells: Any) -> list[dict[str, Any]]:
    """O.2.2 and O.2.3 for Q1; O.2.3 as the app writes 16 people of whom one is non-binary:
    the lone small cell and the smallest cell beside it held back (``cells`` change it)."""
    o22, o23 = indicator_rows(Q1)
    o23.update(
        {
            "count": 16,
            "gender.female": 9,
            "gender.male": X,
            "gender.non_binary": X,
            "gender.unknown": 0,
            "age_group.18_60": 16,
            "nationality_group.syria": 16,
        }
    )
    o23.update(cells)
    return [o22, o23]


def everyone(count: int) -> dict[str, int]:
    """A count of ``count``, everyone 18 to 60 and Syrian."""
    return {"count": count, "age_group.18_60": count, "nationality_group.syria": count}


def bundle(
    device: Device, ministry: Ministry, indicators: list[dict[str, Any]], **kw: Any
) -> bytes:
    files = {INDICATORS: indicators, REPORT: report_rows()}
    return device.bundle([ministry.recipient], files=files, remember=False, **kw)


def test_a_row_with_held_back_cells_is_imported_as_sent(ministry: Ministry, device: Device) -> None:
    result = import_bundle(ministry, bundle(device, ministry, rows()), "a.kisi")
    assert result.outcome == "imported", result.message
    stored = ministry.store.all("SELECT row FROM data_rows WHERE file = ?", (INDICATORS,))
    assert any(f'"gender.male": "{X}"' in r["row"] for r in stored)


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"count": X}, "malformed", "only in a breakdown cell"),
        ({"gender.non_binary": 7}, "malformed", "two or more"),
        ({"gender.unknown": None}, "malformed", "in place of every <5"),
        ({"count": None, "gender.female": X, "gender.non_binary": None}, "malformed",
         "beside a count that is shown"),
        ({"gender.male": "x"}, "malformed", "whole number"),
        ({"gender.male": "WITHHELD"}, "malformed", "whole number"),
        ({"gender.male": True}, "malformed", "whole number"),
        ({"gender.male": {"withheld": True}}, "malformed", "single value"),
        ({"gender.male": [X]}, "malformed", "single value"),
        ({**everyone(11), "gender.female": 9}, "implausible", "worked out"),
        ({**everyone(12), "gender.male": None, "gender.non_binary": 0}, "implausible",
         "worked out"),
        ({"gender.female": 20}, "implausible", "more than the count"),
    ],
    ids=["mark-as-count", "lone-mark", "mark-beside-null", "mark-without-count", "x-text",
         "other-spelling", "boolean", "object", "list", "marks-pinned", "null-pinned",
         "over-count"],
)  # fmt: skip
def test_a_tampered_row_is_refused_and_nothing_stored(
    ministry: Ministry, device: Device, change: dict[str, Any], code: str, words: str
) -> None:
    result = refused(ministry, bundle(device, ministry, rows(**change)), code)
    assert words in result.message


def test_a_mark_on_an_indicator_of_municipalities_is_refused(
    ministry: Ministry, device: Device
) -> None:
    o22, o23 = rows()
    o22 = {**o22, "count": 7, "gender.a": X, "gender.b": X}
    result = refused(ministry, bundle(device, ministry, [o22, o23]), "malformed")
    assert "counts people" in result.message


def test_an_older_bundle_has_no_mark_and_is_read_as_before(
    ministry: Ministry, device: Device
) -> None:
    # The mark in a bundle of the format before it: not something an app wrote.
    result = refused(ministry, bundle(device, ministry, rows(), schemas=OLD), "malformed")
    assert "format has none" in result.message
    # What an older app sent (a lone <5 beside its count) still imports, as <5.
    old = rows(**{"count": 12, "gender.male": None, "gender.non_binary": 0})
    assert import_bundle(ministry, bundle(device, ministry, old, schemas=OLD), "o").outcome == (
        "imported"
    )
    male = figures(ministry, parse_period("2026"), language="en").breakdowns[ALL][
        ("O.2.3", "gender", "male")
    ]
    assert (male.unknown, male.withheld, male.at_most) == (1, 0, 4)


def test_a_newer_format_is_refused_in_words_the_clerk_can_act_on(
    ministry: Ministry, device: Device
) -> None:
    result = refused(ministry, bundle(device, ministry, rows(), schemas={INDICATORS: 3}),
                     "unsupported_version")  # fmt: skip
    assert "should update KISI Desktop" in result.message


def test_count_of_held_back_cells_has_no_upper_bound() -> None:
    count = Count()
    for value in (12, None, WITHHELD, 5):
        count.add(value)
    assert (count.counted, count.unknown, count.withheld) == (17, 1, 1)
    assert (count.at_least, count.at_most, count.exact) == (18, None, False)
    assert count.text() == "17 + 1×<5 + 1×x (≥18)"


def test_figures_count_held_back_cells_apart_and_leave_at_most_open(
    ministry: Ministry,
) -> None:
    new, old = Device("06534011"), Device("06534012")
    new.register(ministry, "Kirchhain")
    old.register(ministry, "Marburg")
    files = {INDICATORS: rows(), REPORT: report_rows()}
    assert import_bundle(ministry, new.bundle([ministry.recipient], files=files), "n").outcome == (
        "imported"
    )
    files = {INDICATORS: indicator_rows(Q1), REPORT: report_rows()}  # male <5, female 7
    sent = old.bundle([ministry.recipient], files=files, schemas=OLD)
    assert import_bundle(ministry, sent, "o").outcome == "imported"

    result = figures(ministry, parse_period("2026"), language="en")
    male = result.breakdowns[ALL][("O.2.3", "gender", "male")]
    # Kirchhain's held-back cell is not "1 to 4": it may be any number from 0.
    assert (male.counted, male.unknown, male.withheld) == (0, 1, 1)
    assert (male.at_least, male.at_most) == (1, None)
    female = result.breakdowns[ALL][("O.2.3", "gender", "female")]
    assert (female.counted, female.at_most) == (16, 16)
    # The indicator itself is never held back: Kirchhain's count stays exact.
    assert result.indicators["06534011"]["O.2.3"].exact

    table = next(t for t in result.tables if t.key == "ministry_indicator_breakdowns")
    assert "cells_withheld" in [c.key for c in table.columns]
    (row,) = [
        r for r in table.rows
        if (r["ags"], r["dimension"], r["category"]) == (ALL, "gender", "male")
    ]  # fmt: skip
    assert (row["cells_under_5"], row["cells_withheld"], row["at_most"]) == (1, 1, WITHHELD)
    assert any(n.startswith("x: cells a municipality held back") for n in table.notes("en"))
    assert any(n.startswith("x: cells a municipality held back") for n in result.notes)
    indicators = next(t for t in result.tables if t.key == "ministry_indicators")
    assert "cells_withheld" not in [c.key for c in indicators.columns]  # none held back there

    data = figures_json(result)
    assert data["tables"][2]["key"] == "ministry_indicator_breakdowns"
    json_row = next(
        r for r in data["tables"][2]["rows"]
        if (r["ags"], r["dimension"], r["category"]) == (ALL, "gender", "male")
    )  # fmt: skip
    assert (json_row["cells_withheld"], json_row["at_most"]) == (1, "x")

    book = load_workbook(io.BytesIO(xlsx_bytes(result.tables, language="en", title="t",
                                               created=date(2026, 11, 25))))  # fmt: skip
    sheet = next(s for s in book.worksheets if s.title.startswith("AMIF indicator breakdown"))
    values = [[c.value for c in line] for line in sheet.iter_rows()]
    header = next(line for line in values if "At most" in line)
    found = next(
        line for line in values if line[:2] == [ALL, "all municipalities"] and "male" in line
    )
    assert found[header.index("At most")] == "x" and found[header.index("Cells x")] == 1
