"""Report tables read by someone who tries to work hidden cells out, written apart from the
code that hides them (``tests/support/reidentify.py``: every whole number a hidden cell can
hold, found by searching whole tables, not by narrowing ranges as ``held_back`` does).

Disclosure: a hidden cell ("<5" or "x") that only one value fits. A "<5" narrowed to 1
or 2, or an "x" known to be 1 to 4, is not: "<5" says as much.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.domain.reference import ReferenceData

from kisi_desktop.reports.held_back import column_sum, row_sum, suppressed_sums
from kisi_desktop.reports.indicators import AT_MOST, WITHHELD
from kisi_desktop.reports.kisi_figures import ActivityFact, KisiFacts, event_table
from kisi_desktop.reports.periods import parse_period
from kisi_desktop.reports.sections import report_sums

from tests.support.reidentify import disclosed, possible
from tests.support.reidentify import table_adding_up_both_ways as grid

GROUPS = ("tcn", "local", "administration", "volunteers")


counts = st.sampled_from((0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12))
grids = st.integers(2, 3).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=3)
)


@settings(max_examples=400)
@given(grids, st.booleans())
def test_no_hidden_cell_of_a_table_adding_up_both_ways_can_be_worked_out(
    body: list[list[int]], rows_add_up: bool
) -> None:
    cells, sums = grid(body, rows_add_up)
    shown = suppressed_sums(cells, sums)
    assert disclosed(shown, sums) == {}
    assert all(v == cells[k] for k, v in shown.items() if isinstance(v, int))
    assert not any(isinstance(v, int) and 0 < v < 5 for v in shown.values())


def test_a_small_cell_is_pinned_where_the_groups_add_up_to_the_whole_attendance() -> None:
    """Found by the reader: the groups' totals (5 + 6 + 10 + 6) are the whole attendance
    of 27, so no event had anyone beyond its groups, and the encounter's administration
    staff, "<5" beside 6 local residents and an attendance of 8, were 2. Narrowing one row
    at a time left it open (it only knew "at most 2")."""
    events = [
        ActivityFact(DAY, "information_event", True, 0, {"tcn": 4, "administration": 2}, None, ()),
        ActivityFact(DAY, "encounter", True, 0, {"local": 6, "administration": 2}, None, ()),
        ActivityFact(
            DAY,
            "language_cafe",
            True,
            0,
            {"tcn": 1, "administration": 6, "volunteers": 6},
            None,
            (),
        ),
    ]
    rows = event_table(KisiFacts(activities=events), PERIOD, REF, "en").rows
    published = {(n, c): row[c] for n, row in enumerate(rows) for c in (*GROUPS, "attendance")}
    encounter = next(n for n, row in enumerate(rows) if row["code"] == "encounter")
    assert rows[encounter]["administration"] in (None, WITHHELD)
    assert disclosed(published, report_sums("events_by_type", rows)) == {}


def test_the_reader_finds_what_narrowing_one_sum_at_a_time_misses() -> None:
    """The reader itself: the table above as the app printed it before, with the
    encounter's administration staff read off as 2."""
    rows: list[dict[str, Any]] = [
        {"tcn": None, "local": 0, "administration": None, "volunteers": 0, "attendance": 6},
        {"tcn": 0, "local": 6, "administration": None, "volunteers": 0, "attendance": 8},
        {
            "tcn": WITHHELD,
            "local": 0,
            "administration": WITHHELD,
            "volunteers": 6,
            "attendance": 13,
        },
        {"tcn": 5, "local": 6, "administration": 10, "volunteers": 6, "attendance": 27},
    ]
    sums = [column_sum(range(3), 3, c) for c in (*GROUPS, "attendance")]
    sums += [row_sum(n, GROUPS, "attendance", AT_MOST) for n in range(4)]
    published = {(n, c): v for n, row in enumerate(rows) for c, v in row.items()}
    assert disclosed(published, sums) == {(1, "administration"): 2}
    found = possible(published, sums)
    assert found[(0, "administration")].values == {2, 3, 4}
    assert found[(2, "administration")].values == {4, 5, 6}


def test_one_small_cell_beside_a_total_holds_back_no_more_than_one_other() -> None:
    """Over-suppression, simple case: a lone "<5" beside a total needs one cell held back
    with it, the smallest of 5 or more; nothing else."""
    cells = {(0, "f"): 1, (1, "f"): 9, (2, "f"): 6, (3, "f"): 16}
    sums = [column_sum(range(3), 3, "f")]
    shown = suppressed_sums(cells, sums)
    assert shown == {(0, "f"): WITHHELD, (1, "f"): 9, (2, "f"): WITHHELD, (3, "f"): 16}
    assert disclosed(shown, sums) == {}
    assert disclosed({**shown, (2, "f"): 6, (0, "f"): None}, sums) == {(0, "f"): 1}


REF = ReferenceData.load()
PERIOD = parse_period("2026")
DAY = date(2026, 3, 2)
