"""The working set's date index: a month's contacts or a project year's outcomes, found
without reading every record, and the same answer as reading every record would give."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.store.working_set import IndexSpec, WorkingSet

SPEC = {
    "person": IndexSpec(label=("name",), search=("name",)),
    "contact": IndexSpec(label=("contacted_on",), search=("note",), day="contacted_on"),
}


def body(kind: str, owner: str | None, **data: object) -> str:
    return json.dumps({"k": kind, "o": owner, "c": "2026-01-01", "u": "2026-01-01", "d": data})


def contact(cid: str, person: str | None, day: str | None) -> tuple[str, str, int, str]:
    return (cid, "contact", 1, body("contact", person, person_id=person, contacted_on=day))


ROWS = [
    ("p1", "person", 1, body("person", "p1", name="Amina")),
    ("p2", "person", 1, body("person", "p2", name="Omid")),
    contact("c1", "p1", "2026-02-10"),
    contact("c2", "p1", "2026-03-02"),
    contact("c3", "p2", "2026-03-31"),
    contact("c4", "p2", "2026-04-01"),
    contact("c5", None, "2026-03-15"),  # not about a person
    contact("c6", "p1", None),  # no date (written by an older version)
]


@pytest.fixture
def ws() -> Iterator[WorkingSet]:
    working_set = WorkingSet(SPEC)
    working_set.load(ROWS)
    yield working_set
    working_set.close()


def test_days_keep_the_records_of_the_span_with_both_ends_included(ws: WorkingSet) -> None:
    march = ws.rows("contact", ["contacted_on"], days=("2026-03-01", "2026-03-31"))
    assert [row[0] for row in march] == ["c2", "c3", "c5"]
    assert [r[0] for r in ws.rows("contact", [], days=(None, "2026-03-01"))] == ["c1"]
    assert [r[0] for r in ws.rows("contact", [], days=("2026-04-01", None))] == ["c4"]
    # Open at both ends: every dated record, the undated one is left out.
    assert len(ws.rows("contact", [], days=(None, None))) == 5
    assert len(ws.rows("contact", [])) == 6


def test_ids_keep_only_the_records_named(ws: WorkingSet) -> None:
    assert ws.rows("person", ["name"], ids=["p2", "nobody"]) == [("p2", "Omid")]
    assert ws.rows("person", ["name"], ids=[]) == []


def test_owners_keep_the_records_of_those_people_in_the_order_they_came(
    ws: WorkingSet,
) -> None:
    assert [r[0] for r in ws.rows("contact", [], owners=["p2", "p1", "nobody"])] == [
        "c1", "c2", "c3", "c4", "c6",
    ]  # fmt: skip
    assert ws.rows("person", ["name"], owners=["p2"]) == [("p2", "Omid")]  # their own owner
    march = ws.rows("contact", [], owners=["p1"], days=("2026-03-01", "2026-03-31"))
    assert march == [("c2",)]
    assert ws.rows("contact", [], owners=[]) == []
    assert ws.owners_with_text("contact", "person_id", ["p2", "nobody"]) == {"p2"}


def test_first_days_are_each_owners_earliest_dated_record(ws: WorkingSet) -> None:
    assert ws.first_days("contact") == {"p1": "2026-02-10", "p2": "2026-03-31"}
    # p2's first contact is in March; p1 had one in March too, but an earlier one before.
    assert ws.count_first_days("contact", "2026-03-01", "2026-03-31") == 1
    assert ws.count_first_days("contact", "2026-02-01", "2026-03-31") == 2


def test_the_index_follows_writes_and_survives_a_snapshot(ws: WorkingSet) -> None:
    ws.upsert("c2", "contact", 2, body("contact", "p1", person_id="p1", contacted_on="2026-05-05"))
    ws.upsert("c7", "contact", 1, body("contact", "p2", person_id="p2", contacted_on="2026-01-02"))
    ws.remove("c3")
    restored = WorkingSet(SPEC, snapshot=ws.serialize())
    for working in (ws, restored):
        march = working.rows("contact", [], days=("2026-03-01", "2026-03-31"))
        assert [row[0] for row in march] == ["c5"]
        assert working.first_days("contact") == {"p1": "2026-02-10", "p2": "2026-01-02"}
    restored.close()


DAYS = st.dates().map(lambda d: d.isoformat())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["p1", "p2", "p3", None]), DAYS | st.none()), max_size=40),
    DAYS | st.none(),
    DAYS | st.none(),
)
def test_the_index_answers_as_a_full_scan_would(
    contacts: list[tuple[str | None, str | None]], first: str | None, last: str | None
) -> None:
    working = WorkingSet(SPEC)
    working.load([contact(f"c{i}", who, day) for i, (who, day) in enumerate(contacts)])
    every = working.rows("contact", ["contacted_on"])
    expected = [
        row[0]
        for row in every
        if row[1] is not None
        and (first is None or row[1] >= first)
        and (last is None or row[1] <= last)
    ]
    assert [row[0] for row in working.rows("contact", [], days=(first, last))] == expected
    earliest: dict[str, str] = {}
    for who, day in contacts:
        if who is not None and day is not None and (who not in earliest or day < earliest[who]):
            earliest[who] = day
    assert working.first_days("contact") == earliest
    if first is not None and last is not None:
        newcomers = sum(1 for day in earliest.values() if first <= day <= last)
        assert working.count_first_days("contact", first, last) == newcomers
    working.close()


def test_one_owners_records_and_first_days_each_use_their_own_index(ws: WorkingSet) -> None:
    # The person page's lookup builds the (kind, owner) index; the first-contact counts
    # must still read the date index (day and owner in it) rather than group along the
    # owner index and parse every record's JSON for its date.
    assert [row[0] for row in ws.bodies("contact", owner="p2")] == ["c4", "c3"]
    conn = ws.conn
    plan = " ".join(
        str(step[-1])
        for step in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM item WHERE kind = ? AND owner = ?",
            ("contact", "p2"),
        )
    )
    assert "item_owner" in plan
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    assert ws.first_days("contact") == {"p1": "2026-02-10", "p2": "2026-03-31"}
    assert ws.count_first_days("contact", "2026-03-01", "2026-03-31") == 1
    conn.set_trace_callback(None)
    for statement in statements:
        steps = conn.execute("EXPLAIN QUERY PLAN " + statement).fetchall()
        used = " ".join(str(step[-1]) for step in steps)
        assert "item_day" in used and "item_owner" not in used, used


def test_first_days_of_a_working_set_with_nothing_written_yet() -> None:
    empty = WorkingSet(SPEC)  # (the date index is made with the first write)
    assert empty.first_days("contact") == {}
    assert empty.count_first_days("contact", "2026-03-01", "2026-03-31") == 0
    empty.close()
