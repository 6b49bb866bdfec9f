"""Network meetings held as events are counted twice in one report: as a row of the events
table and as a row of administration and network work. What the events table holds back,
the network table must not show.

Before, an information event's 2 administration staff read "x" beside the network
meeting's 7 ("x" too: the column's total of 9 would give the 2 away), and the network
table printed the network meeting's administration staff: 7, so the 2 were 9 - 7.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.domain import Activity, Municipality
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import build_payload
from kisi_desktop.bundles.manifest import REPORT, WITHHELD_MARK
from kisi_desktop.reports.held_back import Cell, Sum
from kisi_desktop.reports.indicators import ADDS_UP, AT_MOST, WITHHELD
from kisi_desktop.reports.kisi_figures import NETWORK_TYPES
from kisi_desktop.reports.periods import parse_period
from kisi_desktop.reports.sections import report_sections, report_sums
from kisi_desktop.reports.tables import ReportTable

from tests.support.reidentify import disclosed

Q1 = parse_period("2026-Q1")
AGS = "06534011"
LINKED = {"attendance": "participants", "administration": "administration_staff"}
"""The events table's columns and the network table's that count the same people."""
APART = 100
"""The network table's rows, numbered after the events table's for the reader."""


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path: Path = tmp_path_factory.mktemp("network") / "vault.kisi"
    ws, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS)
    ws.add(Municipality(ags=AGS, name="Kirchhain", district="Marburg-Biedenkopf"))
    for kind, title, heads, total in (
        ("information_event", "Infoabend Wohnen", {"tcn": 8, "administration": 2}, 15),
        ("network_meeting", "Runder Tisch Integration", {"local": 5, "administration": 7}, 20),
    ):
        ws.add(
            Activity(
                activity_type=kind,
                title=title,
                starts_on=date(2026, 2, 10),
                municipality_ags=AGS,
                is_event=True,
                counts_by_target_group=heads,
                attendance_total=total,
            )
        )
    return ws


def read_together(events: ReportTable, network: ReportTable) -> tuple[dict[Cell, Any], list[Sum]]:
    """Both tables as one for the reader: the events table's sums, and for each network
    type the events row's attendance and administration staff equal to the network row's
    where every activity of the type was an event (the counts say so), else at most it."""
    published: dict[Cell, Any] = {}
    for n, row in enumerate(events.rows):
        published.update({(n, c): row[c] for c in ("tcn", "local", "volunteers", *LINKED)})
    sums = report_sums("events_by_type", events.rows)
    by_code = {row["code"]: (n, row) for n, row in enumerate(events.rows)}
    for m, row in enumerate(network.rows, start=APART):
        published.update({(m, c): row[c] for c in LINKED.values()})
        if row["code"] in NETWORK_TYPES and row["code"] in by_code:
            n, same = by_code[row["code"]]
            relation = ADDS_UP if same["events"] == row["activities"] else AT_MOST
            sums += [Sum(((n, e),), (m, c), relation) for e, c in LINKED.items()]
    return published, sums


def tables(ws: Workspace) -> Mapping[str, ReportTable]:
    return {t.key: t for t in report_sections(ws, Q1, language="en")}


def test_no_cell_can_be_worked_out_from_the_events_and_network_tables_together(
    ws: Workspace,
) -> None:
    found = tables(ws)
    published, sums = read_together(found["events_by_type"], found["administration_network"])
    assert disclosed(published, sums) == {}


def test_the_network_table_holds_back_what_the_events_table_holds_back(ws: Workspace) -> None:
    found = tables(ws)
    events = {r["code"]: r for r in found["events_by_type"].rows}
    network = {r["code"]: r for r in found["administration_network"].rows}
    assert events["network_meeting"]["administration"] is WITHHELD
    assert network["network_meeting"]["administration_staff"] is WITHHELD
    assert network["network_meeting"]["participants"] == 20  # (shown in both: nothing held)
    assert any(note.startswith("x: not shown") for note in found["administration_network"].notes_en)


def test_the_bundle_sends_the_mark_in_the_network_table(ws: Workspace) -> None:
    rows: Sequence[dict[str, Any]] = build_payload(ws, Q1).files[REPORT]
    network = {r["code"]: r for r in rows if r["table"] == "administration_network"}
    assert network["network_meeting"]["administration_staff"] == WITHHELD_MARK
