"""No hidden cell of a report table can be pinned down from what the table shows.

The tables of KISI's own figures and the needs analysis print counts of people beside
totals. A property test feeds the real sections made-up records and reads their tables
as a reader would: every sum of the table (``sections.report_sums``) through
``indicators.worked_out``, and all the sums together by narrowing each hidden cell's
range sum after sum (a table whose rows and columns both add up can pin a cell that no
single sum pins).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from math import inf
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.domain.reference import ReferenceData

from kisi_desktop.reports.held_back import Cell, Sum, pinned, suppressed_sums
from kisi_desktop.reports.indicators import (
    ADDS_UP,
    AT_LEAST,
    AT_MOST,
    WITHHELD,
    Withheld,
    suppressed_breakdown,
)
from kisi_desktop.reports.kisi_figures import (
    SUMMED,
    TOTAL,
    ActivityFact,
    ContactFact,
    KisiFacts,
    _attendance_row,
    contact_tables,
    event_table,
)
from kisi_desktop.reports.needs import ALL_GROUPS, NeedEntry, needs_chart, needs_table, summarise
from kisi_desktop.reports.periods import parse_period
from kisi_desktop.reports.sections import HELD_WITH, report_sums

from tests.support.reidentify import table_adding_up_both_ways

REF = ReferenceData.load()
PERIOD = parse_period("2026")
DAY = date(2026, 3, 2)
EVENT_TYPES = ("information_event", "encounter", "language_cafe")
MODES = ("office", "outreach", "phone")
TOPICS = ("work", "housing", "health")
GROUPS = ("tcn", "local", "administration", "volunteers")
NEEDS = ("housing", "work", "childcare")


def _range(value: Any) -> tuple[float, float]:
    if isinstance(value, Withheld):
        return (0, inf)
    if value is None:
        return (1, 4)
    return (value, value)


def pinned_together(rows: Sequence[Mapping[str, Any]], sums: Sequence[Sum]) -> list[Cell]:
    """Hidden cells whose range, narrowed by every sum in turn until nothing changes, is a
    single value: what a patient reader gets from the sums together."""
    ranges: dict[Cell, list[float]] = {}
    for line in sums:
        for cell in (*line.parts, line.total):
            if cell[1] in rows[cell[0]]:
                ranges[cell] = list(_range(rows[cell[0]][cell[1]]))
    for _round in range(100):
        changed = False
        for line in sums:
            if line.total not in ranges:
                continue
            parts = [c for c in line.parts if c in ranges]
            low = sum(ranges[c][0] for c in parts)
            high = sum(ranges[c][1] for c in parts)
            total = ranges[line.total]
            new_total = [
                max(total[0], low) if line.relation in (ADDS_UP, AT_MOST) else total[0],
                min(total[1], high) if line.relation in (ADDS_UP, AT_LEAST) else total[1],
            ]
            if new_total != total:
                ranges[line.total], changed = new_total, True
            for c in parts:
                own = ranges[c]
                others_low, others_high = low - own[0], high - own[1]
                new = list(own)
                if line.relation in (ADDS_UP, AT_LEAST):
                    new[0] = max(own[0], total[0] - others_high)
                if line.relation in (ADDS_UP, AT_MOST):
                    new[1] = min(own[1], total[1] - others_low)
                if new != own:
                    ranges[c], changed = new, True
        if not changed:
            break
    return [
        cell
        for cell, (low, high) in ranges.items()
        if not isinstance(rows[cell[0]][cell[1]], int) and high <= low
    ]


def assert_nothing_to_work_out(key: str, rows: Sequence[Mapping[str, Any]]) -> None:
    columns = {c for line in report_sums(key, rows) for _n, c in (*line_cells(line),)}
    for row in rows:
        for column in columns:
            value = row.get(column)
            assert not (isinstance(value, int) and 0 < value < 5), (key, row)
    sums = report_sums(key, rows)
    assert sums, key
    assert pinned(rows, sums) == [], (key, rows)
    assert pinned_together(rows, sums) == [], (key, rows)


def line_cells(line: Sum) -> tuple[Cell, ...]:
    return (*line.parts, line.total)


events = st.lists(
    st.tuples(
        st.sampled_from(EVENT_TYPES),
        st.integers(0, 3),  # named participants
        st.fixed_dictionaries({g: st.integers(0, 12) for g in GROUPS}),
        st.one_of(st.none(), st.integers(0, 40)),  # recorded total
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(events)
def test_no_cell_of_the_events_table_can_be_worked_out(recorded: list[Any]) -> None:
    """QA review: an event type's local residents were its attendance minus the others."""
    facts = KisiFacts(
        activities=[
            ActivityFact(DAY, kind, True, named, heads, total, ())
            for kind, named, heads, total in recorded
        ]
    )
    table = event_table(facts, PERIOD, REF, "en")
    assert_nothing_to_work_out("events_by_type", table.rows)
    # What is shown is the truth.
    for row in table.rows:
        same = [a for a in facts.activities if row["code"] in (TOTAL, a.kind)]
        true = _attendance_row(row["code"], "", same)
        for column in (*GROUPS, "attendance"):
            if isinstance(row[column], int):
                assert row[column] == true[column]
    if any(v is WITHHELD for row in table.rows for v in row.values()):
        assert table.notes_en[-1].startswith("x: not shown")


contacts = st.lists(
    st.tuples(
        st.sampled_from(MODES),
        st.lists(st.sampled_from(TOPICS), min_size=1, max_size=2, unique=True),
        st.integers(0, 7),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(contacts)
def test_no_family_count_of_the_contact_tables_can_be_worked_out(recorded: list[Any]) -> None:
    """QA review: outreach's family members were the total minus the office's."""
    facts = KisiFacts(
        contacts=[
            ContactFact(DAY, 30, mode, tuple(topics), (), family)
            for mode, topics, family in recorded
        ]
    )
    tables = contact_tables(facts, PERIOD, REF, "en")
    for table in tables:
        assert_nothing_to_work_out(table.key, table.rows)
    # The three tables share their total: shown in one, shown alike in all.
    assert len({str(t.rows[-1]["family_members"]) for t in tables}) == 1


needs = st.lists(
    st.tuples(
        st.sampled_from(GROUPS),
        st.sampled_from(NEEDS),
        st.sampled_from(("low", "medium", "high")),
        st.integers(1, 9),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=300, deadline=None)
@given(needs)
def test_no_respondent_count_of_the_needs_table_can_be_worked_out(recorded: list[Any]) -> None:
    """QA review: a group's respondents of a need were all groups' minus the others'."""
    entries = [NeedEntry(DAY, *entry) for entry in recorded]
    table = needs_table(summarise(entries, PERIOD), REF, "en")
    assert_nothing_to_work_out("needs", table.rows)
    for row in table.rows:
        for key, beside in HELD_WITH["needs"].items():
            hidden = not isinstance(row[beside], int)
            assert (not isinstance(row[key], int)) == hidden
            if hidden:
                assert row[key] is row[beside]


@settings(max_examples=300, deadline=None)
@given(needs)
def test_an_exported_needs_chart_draws_a_bar_only_for_a_score_the_table_shows(
    recorded: list[Any],
) -> None:
    """A bar's length is the need's score: for a need the table holds back ("x", "<5") it
    would give away what the table hides (a group's housing 6 beside its 3 of another
    group read 12 off the bar). Each group's bars are the table's scores shown, in order."""
    entries = [NeedEntry(DAY, *entry) for entry in recorded]
    summary = summarise(entries, PERIOD)
    rows = needs_table(summary, REF, "en").rows
    for group in (ALL_GROUPS, *GROUPS):
        shown = [
            (row["need_label"], row["score"])
            for row in rows
            if row["group"] == group and isinstance(row["score"], int)
        ]
        assert needs_chart(summary, REF, "en", group=group) == shown, group


def score_bounds_from_ranks(rows: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], Any]:
    """What a reader makes of the ranks: needs are ranked by score, so a hidden need with a
    rank scored at most what the need ranked just above it scored, and at least what the
    one just below did. (Between two equal scores that is its score, and with one urgency
    its respondents.)"""
    bounds: dict[tuple[str, str], Any] = {}
    for group in dict.fromkeys(row["group"] for row in rows):
        ranked = sorted(
            (row for row in rows if row["group"] == group and isinstance(row["rank"], int)),
            key=lambda row: row["rank"],
        )
        for n, row in enumerate(ranked):
            if isinstance(row["score"], int):
                continue
            above = [r["score"] for r in ranked[:n] if isinstance(r["score"], int)]
            below = [r["score"] for r in ranked[n + 1 :] if isinstance(r["score"], int)]
            bounds[(group, row["need"])] = (
                max(below) if below else 0,
                min(above) if above else inf,
            )
    return bounds


def reader_listing(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, Any, str]]:
    """The order and ranks a table may show, worked out from what it shows alone (the
    figures shown, the codes): if the table lists its rows so, they tell nothing more."""
    listing: list[tuple[str, Any, str]] = []
    for group in dict.fromkeys(row["group"] for row in rows):
        section = [row for row in rows if row["group"] == group]
        shown = sorted(
            (r for r in section if isinstance(r["score"], int)),
            key=lambda r: (-r["score"], -r["respondents"], r["need"]),
        )
        hidden = sorted(
            (r for r in section if not isinstance(r["score"], int)), key=lambda r: r["need"]
        )
        listing += [(group, rank, r["need"]) for rank, r in enumerate(shown, start=1)]
        listing += [(group, WITHHELD, r["need"]) for r in hidden]
    return listing


def test_a_held_back_needs_rank_does_not_give_its_score_away() -> None:
    """QA review: third-country nationals' housing read "x", ranked 2nd between childcare
    and language course places of 15 each: its score was 15, and all of them urgent, its
    respondents 5, and local residents' housing all groups' 7 minus 5."""
    entries = [
        NeedEntry(DAY, "tcn", "childcare", "high", 5),
        NeedEntry(DAY, "tcn", "housing", "high", 5),
        NeedEntry(DAY, "tcn", "language_course_places", "high", 5),
        NeedEntry(DAY, "local", "housing", "high", 2),
    ]
    rows = needs_table(summarise(entries, PERIOD), REF, "en").rows
    tcn = [(r["rank"], r["need"], r["score"]) for r in rows if r["group"] == "tcn"]
    assert tcn == [
        (1, "childcare", 15),
        (2, "language_course_places", 15),
        (WITHHELD, "housing", WITHHELD),
    ]
    assert score_bounds_from_ranks(rows) == {}


@settings(max_examples=300, deadline=None)
@given(needs)
def test_no_rank_or_order_of_the_needs_table_tells_a_hidden_score(recorded: list[Any]) -> None:
    """A reader who knows the ranking rule learns nothing of a hidden need from its rank or
    its place: the ranks and order follow from the figures shown and the codes alone."""
    entries = [NeedEntry(DAY, *entry) for entry in recorded]
    table = needs_table(summarise(entries, PERIOD), REF, "en")
    assert score_bounds_from_ranks(table.rows) == {}
    assert [(r["group"], r["rank"], r["need"]) for r in table.rows] == reader_listing(table.rows)
    if any(r["rank"] is WITHHELD for r in table.rows):
        assert any(note.startswith("Rank x:") for note in table.notes_en)


grids = st.lists(st.lists(st.integers(0, 14), min_size=2, max_size=4), min_size=1, max_size=4)


@settings(max_examples=500, deadline=None)
@given(grids, st.booleans())
def test_a_table_adding_up_both_ways_keeps_every_hidden_cell_open(
    grid: list[list[int]], exact_rows: bool
) -> None:
    """Rows and columns with their totals (the events table's shape): a cell held back
    for its column is one more hidden cell of its row, and so on until nothing is pinned."""
    width = len(grid[0])
    cells, sums = table_adding_up_both_ways(
        [(row + [0] * width)[:width] for row in grid], exact_rows
    )
    shown = suppressed_sums(cells, sums)
    table = [
        {c: v for (m, c), v in shown.items() if m == n} for n in sorted({n for n, _c in cells})
    ]
    assert pinned(table, sums) == []
    assert pinned_together(table, sums) == []
    assert all(v == cells[k] for k, v in shown.items() if isinstance(v, int))
    assert not any(isinstance(v, int) and 0 < v < 5 for v in shown.values())


def test_a_cell_held_back_for_another_sum_counts_as_hidden_in_this_one() -> None:
    # c's 9 was held back for its column: beside it, the lone <5 is no longer alone, and
    # the rule holds back nothing more (both read "x").
    assert suppressed_breakdown({"a": 1, "b": 9, "c": 6}, 16, held=["b"]) == {
        "a": WITHHELD,
        "b": WITHHELD,
        "c": 6,
    }


def test_every_summed_table_declares_its_sums() -> None:
    assert set(SUMMED) <= {k for k in SUMMED if report_sums(k, [{"code": TOTAL}])}
