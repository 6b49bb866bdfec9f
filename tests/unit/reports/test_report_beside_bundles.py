"""The project year's report beside the four quarterly bundles already sent for it.

Each person counts once for the project, in the period of their first support, so the
quarters' figures add up to the year's. Before, the year's report showed exact cells where
a quarter's bundle had held one back: O.2.3 male read 12, 8, 7 and "<5" in the quarters
and 29 in the year, which gives the fourth quarter's 2. The report now holds back
whatever a bundle inside its period held back, and then whatever would let that be worked
out, reading the bundles and the report together as the ministry can.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import strict_json
from kisi_desktop.bundles.export import build_payload, export_bundle
from kisi_desktop.bundles.manifest import INDICATORS, REPORT, WITHHELD_MARK, sha256_hex
from kisi_desktop.reports.held_back import Cell, Sum, column_sum, pinned, row_sum
from kisi_desktop.reports.indicator_tables import (
    BY_AGE_GROUP,
    BY_GENDER,
    BY_NATIONALITY,
)
from kisi_desktop.reports.indicator_tables import (
    INDICATORS as OVERVIEW,
)
from kisi_desktop.reports.indicators import ADDS_UP, AT_LEAST, WITHHELD, Withheld
from kisi_desktop.reports.periods import parse_period, project_year
from kisi_desktop.reports.sections import report_sections, report_sums
from kisi_desktop.reports.sent_bundles import INDICATORS_FILE, REPORT_FILE
from kisi_desktop.reports.sent_bundles import WITHHELD_MARK as SENT_MARK
from kisi_desktop.reports.tables import ReportTable

from tests.support.reidentify import disclosed
from tests.support.sync import MinistryKeys, demo_workspace

QUARTERS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
DIMENSIONS = {BY_GENDER: "gender", BY_AGE_GROUP: "age_group", BY_NATIONALITY: "nationality_group"}
YEAR = len(QUARTERS)
"""Row of the year's report in the table of quarters and year that a reader builds."""

Mark = int | Withheld | None


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    set_ui_language("en")


@pytest.fixture(scope="module", params=[(60, 1), (120, 2)], ids=["60", "120"])
def sent(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Workspace, list[ReportTable]]:
    """A demo vault with the four quarters of project year 1 exported the real way, and the
    year's report as it leaves the laptop."""
    people, seed = request.param
    folder = tmp_path_factory.mktemp("beside")
    ws = demo_workspace(folder / "vault.kisi", people, seed=seed)
    MinistryKeys().install(ws)
    stick = folder / "stick"
    stick.mkdir()
    for quarter in QUARTERS:
        export_bundle(ws, stick, period=quarter)
    return ws, report_sections(ws, project_year(1), suppress=True)


def _mark(value: Any) -> Mark:
    """A cell as a bundle row or a report table holds it: a number, "<5" or "x"."""
    if value == WITHHELD_MARK or value is WITHHELD:
        return WITHHELD
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def sent_rows(ws: Workspace, name: str) -> list[list[dict[str, Any]]]:
    """The rows of data file ``name`` of each bundle, oldest first, read from the ledger's
    signed payload as the ministry reads the file."""
    found = []
    for entry in sorted(ws.list(BundleEntry), key=lambda e: e.seq):
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(entry.payload_b64))) as payload:
            lines = payload.read(name).decode("utf-8").splitlines()
        found.append([json.loads(line) for line in lines])
    return found


def bundle_indicator_rows(ws: Workspace) -> list[dict[str, dict[str, Any]]]:
    """Each bundle's indicator rows by code."""
    return [{row["indicator"]: row for row in rows} for rows in sent_rows(ws, INDICATORS)]


def quarters_and_year(
    quarters: Sequence[Mapping[str, Any]], year: Mapping[str, Any], dimension: str
) -> tuple[dict[Cell, Mark], list[Sum]]:
    """One indicator's breakdown as a reader lines it up: a row per quarter's bundle and
    the year's row under them; each row's cells add up to its total, and each column of
    the quarters to the year (everyone counts once, in the quarter of first support)."""
    columns = sorted({k for row in (*quarters, year) for k in row if k.startswith(f"{dimension}.")})
    published: dict[Cell, Mark] = {}
    for n, row in enumerate(quarters):
        published[(n, "total")] = _mark(row["count"])
        published.update({(n, c): _mark(row.get(c, 0)) for c in columns})
    published[(YEAR, "total")] = _mark(year["total"])
    published.update({(YEAR, c): _mark(year.get(c, 0)) for c in columns})
    sums = [row_sum(n, columns, "total") for n in range(YEAR + 1)]
    sums += [column_sum(range(YEAR), YEAR, c) for c in ("total", *columns)]
    return published, sums


def _lined_up(
    ws: Workspace, tables: Sequence[ReportTable]
) -> Iterator[tuple[str, str, tuple[dict[Cell, Mark], list[Sum]]]]:
    bundles = bundle_indicator_rows(ws)
    for key, dimension in DIMENSIONS.items():
        table = next(t for t in tables if t.key == key)
        for year in table.rows:
            quarters = [b[year["code"]] for b in bundles]
            yield year["code"], dimension, quarters_and_year(quarters, year, dimension)


def test_no_quarter_held_back_is_the_year_minus_the_other_quarters(
    sent: tuple[Workspace, list[ReportTable]],
) -> None:
    ws, tables = sent
    given_away = []
    held_in_quarters = 0
    for code, _dimension, (published, _sums) in _lined_up(ws, tables):
        columns = {c for _n, c in published}
        for column in columns:
            cells = [published[(n, column)] for n in range(YEAR)]
            hidden = [n for n, v in enumerate(cells) if not isinstance(v, int)]
            held_in_quarters += len(hidden)
            year = published[(YEAR, column)]
            if len(hidden) == 1 and isinstance(year, int):
                shown = sum(v for v in cells if isinstance(v, int))
                given_away.append((code, column, cells, year, year - shown))
    assert held_in_quarters > 0  # (the vault has small cells to protect)
    assert given_away == []


def test_no_hidden_cell_of_quarters_and_year_is_pinned_together(
    sent: tuple[Workspace, list[ReportTable]],
) -> None:
    """Two quarters' "<5" beside a year of 2 more than the others are 1 each: the reader
    searches every value the hidden cells can hold, over all the sums at once. A cell of
    the year that the quarters give alone (all of its column shown) tells nothing new."""
    ws, tables = sent
    found = {}
    for code, dimension, (published, sums) in _lined_up(ws, tables):
        without_year = {c: WITHHELD if c[0] == YEAR else v for c, v in published.items()}
        known = disclosed(without_year, sums)
        pinned = {c: v for c, v in disclosed(published, sums).items() if known.get(c) != v}
        if pinned:
            found[(code, dimension)] = pinned
    assert found == {}


def test_the_overview_holds_back_each_total_its_breakdowns_hold_back(
    sent: tuple[Workspace, list[ReportTable]],
) -> None:
    _ws, tables = sent
    overview = {r["code"]: r["count"] for r in next(t for t in tables if t.key == OVERVIEW).rows}
    for key in DIMENSIONS:
        for row in next(t for t in tables if t.key == key).rows:
            assert _mark(row["total"]) == _mark(overview[row["code"]]), (key, row["code"])


def test_the_notes_say_why_in_both_languages(
    sent: tuple[Workspace, list[ReportTable]],
) -> None:
    _ws, tables = sent
    gender = next(t for t in tables if t.key == BY_GENDER)
    assert any("bundle already sent" in note for note in gender.notes_en)
    assert any("bereits gesendetes Bündel" in note for note in gender.notes_de)


def test_a_quarter_sent_alone_leaves_the_year_report_as_before(tmp_path: Path) -> None:
    """Without bundles inside the period, nothing changes (the same vault, no ledger)."""
    ws = demo_workspace(tmp_path / "vault.kisi", 60, seed=1)
    plain = report_sections(ws, project_year(1), suppress=True)
    assert not any("bundle already sent" in n for t in plain for n in t.notes_en)


SENT_BEFORE = {
    INDICATORS: "e1fbe880c56a7c95035c5a2fc3cfa0bcbf7cd687b429894ac6f6a80812ebf2c7",
    REPORT: "ab11792d61d67e83af1dd96f36b8ad58c215c6253926d1f31d2388aed81ef3fe",
}
"""The data files of the bundle for 2026-Q3 after those of the three quarters before it
(60 demo people, seed 1), as the app made them before reports read the bundles sent."""


def test_a_bundle_after_earlier_bundles_carries_exactly_what_it_did(tmp_path: Path) -> None:
    """A bundle's period lies outside every earlier bundle's, so its own report tables
    are held back as they always were: byte for byte (the ministry's intake checks where
    the marks may stand)."""
    ws = demo_workspace(tmp_path / "vault.kisi", 60, seed=1)
    MinistryKeys().install(ws)
    stick = tmp_path / "stick"
    stick.mkdir()
    for quarter in QUARTERS[:3]:
        export_bundle(ws, stick, period=quarter)
    payload = build_payload(ws, parse_period(QUARTERS[3]))
    carried = {
        name: sha256_hex(strict_json.dumps_lines(rows)) for name, rows in payload.files.items()
    }
    assert carried == SENT_BEFORE


def test_the_reader_knows_the_bundle_format() -> None:
    assert (INDICATORS_FILE, REPORT_FILE, SENT_MARK) == (INDICATORS, REPORT, WITHHELD_MARK)


def bundle_report_rows(ws: Workspace) -> list[list[dict[str, Any]]]:
    """Each bundle's report rows (KISI figures, needs), marks read."""
    return [[_marks_read(row) for row in rows] for rows in sent_rows(ws, REPORT)]


COUNTED = {
    "family_members",
    "volunteers",
    "tcn",
    "local",
    "administration",
    "attendance",
    "respondents",
    "participants",
    "administration_staff",
    "recruited",
    "trained",
    "active",
}
"""The counts of people in the report's tables (FORMAT.md: where the marks may stand)."""
NAMED_BY = {"needs": ("need", "group"), "referrals_by_partner": ("partner",)}
DISTINCT = {("volunteer_deployments_by_kind", "volunteers"), ("volunteers", "active")}
"""Volunteers count in each quarter they were active: the quarters add up to at least
the year (everything else counts per day, or people once)."""


def report_lined_up(
    ws: Workspace, tables: Sequence[ReportTable]
) -> Iterator[tuple[str, dict[Cell, Mark], list[Sum], int]]:
    """Each report section the bundles carry, as a reader lines it up: the rows of each
    quarter's bundle, then the year's; each table's own sums, and each row's counts of the
    quarters adding up to the year's. The last value is the year's first row."""
    bundles = bundle_report_rows(ws)
    for table in tables:
        if not table.leaves_laptop or not any(r["table"] == table.key for b in bundles for r in b):
            continue
        rows: list[dict[str, Any]] = []
        sums: list[Sum] = []
        named = NAMED_BY.get(table.key, ("code",))
        for b in bundles:
            own = [r for r in b if r["table"] == table.key]
            sums += [_shifted(s, len(rows)) for s in report_sums(table.key, own)]
            rows += own
        year = len(rows)
        mine = [_marks_read(r) for r in table.rows]
        sums += [_shifted(s, year) for s in report_sums(table.key, mine)]
        for n, row in enumerate(mine):
            for column in COUNTED & set(row):
                parts = [
                    (i, column)
                    for i, r in enumerate(rows)
                    if column in r and all(r.get(k) == row.get(k) for k in named)
                ]
                relation = AT_LEAST if (table.key, column) in DISTINCT else ADDS_UP
                if parts:
                    sums.append(Sum(tuple(parts), (year + n, column), relation))
        rows += mine
        published = {(n, c): r[c] for n, r in enumerate(rows) for c in COUNTED & set(r)}
        yield table.key, published, sums, year


def _shifted(line: Sum, by: int) -> Sum:
    return Sum(
        tuple((n + by, c) for n, c in line.parts),
        (line.total[0] + by, line.total[1]),
        line.relation,
    )


def _marks_read(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _mark(v) if k in COUNTED else v for k, v in row.items()}


def test_no_quarter_held_back_in_the_kisi_figures_is_the_year_minus_the_others(
    sent: tuple[Workspace, list[ReportTable]],
) -> None:
    ws, tables = sent
    given_away = []
    held = 0
    for key, published, sums, year in report_lined_up(ws, tables):
        for line in sums:
            if line.total[0] < year or line.relation != ADDS_UP or line.parts[0][0] >= year:
                continue
            cells = [published[c] for c in line.parts]
            hidden = [c for c, v in zip(line.parts, cells, strict=True) if not isinstance(v, int)]
            held += len(hidden)
            total = published[line.total]
            if len(hidden) == 1 and isinstance(total, int):
                given_away.append(
                    (key, hidden[0], total - sum(v for v in cells if isinstance(v, int)))
                )
    assert held > 0
    assert given_away == []


def test_no_hidden_cell_of_the_kisi_figures_is_pinned_by_quarters_and_year(
    sent: tuple[Workspace, list[ReportTable]],
) -> None:
    """The reader's search over every value; the events table, whose attendance runs into
    hundreds, is too wide for it and is read by the ministry's own reader instead (each
    sum alone, then the sums together: ``held_back.pinned``)."""
    ws, tables = sent
    found: dict[str, object] = {}
    for key, published, sums, year in report_lined_up(ws, tables):
        without_year = {c: WITHHELD if c[0] >= year else v for c, v in published.items()}
        if key == "events_by_type":
            rows = _as_rows(published)
            known = set(pinned(_as_rows(without_year), sums))
            given = [c for c in pinned(rows, sums) if c not in known]
            if given:
                found[key] = given
            continue
        knew = disclosed(without_year, sums)
        given_away = {c: v for c, v in disclosed(published, sums).items() if knew.get(c) != v}
        if given_away:
            found[key] = given_away
    assert found == {}


def _as_rows(published: Mapping[Cell, Mark]) -> list[dict[str, Mark]]:
    rows: list[dict[str, Mark]] = [{} for _n in range(1 + max(n for n, _c in published))]
    for (n, c), v in published.items():
        rows[n][c] = v
    return rows
