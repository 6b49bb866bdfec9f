"""AMIF indicators on a small vault whose every figure is worked out by hand below.

People (all eligible statuses unless said):
  P1 Syrian woman, born 1990            contacts 2025-11-03, 2026-01-10 (professional guidance,
                                        placement in a language course)
                                        civic orientation activity 2026-03-01
                                        language level a1 -> a2 on 2026-06-01
  P2 Afghan boy, born 2010-05-01        contact 2026-09-30 on family reunification (last day
                                        of PY1), contact 2026-10-01 (first day of PY2)
  P3 German woman                       contact 2026-02-02: not a third-country national
  P4 Eritrean, gender and age unknown   civic orientation activity 2026-03-01
                                        language level b1 -> b1 (no gain), recognition 2026-12-01
  P5 Turkish man, status unknown        contact 2026-02-02: status not eligible

The records are added by tests/support/indicator_vault.py (the Reports page's tests count
the same vault).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Contact, OutcomeEvent, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.facts import load_facts
from kisi_desktop.reports.indicators import (
    WITHHELD,
    IndicatorResult,
    compute,
    export_rows,
    suppressed,
    suppressed_breakdown,
)
from kisi_desktop.reports.overview_figures import project_year_indicators
from kisi_desktop.reports.periods import parse_period, project_year
from kisi_desktop.reports.sections import counted_once

from tests.support.indicator_vault import PY1_COUNTS, add_indicator_records


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path: Path = tmp_path_factory.mktemp("reports") / "vault.kisi"
    # At the project's end: every day of the story the tests tell has passed.
    clock = FixedClock(datetime(2028, 9, 30, 16, 0, tzinfo=UTC))
    ws, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS, clock=clock)
    added = add_indicator_records(ws, ("P1", "P2", "P3", "P4", "P5"))
    ws.names = {p.name: p.id for p in added.people}  # type: ignore[attr-defined]
    return ws


def _after() -> FixedClock:
    """A clock after the project: what the tests enter has all happened by then."""
    return FixedClock(datetime(2028, 12, 31, 16, 0, tzinfo=UTC))


def _by_code(ws: Workspace, period: str) -> dict[str, IndicatorResult]:
    results = compute(load_facts(ws), parse_period(period), ws.ref)
    return {r.code: r for r in results}


def _people(ws: Workspace, result: IndicatorResult) -> set[str]:
    names = {v: k for k, v in ws.names.items()}  # type: ignore[attr-defined]
    return {names[pid] for pid in result.people}


def test_project_year_one_by_hand(ws: Workspace) -> None:
    r = _by_code(ws, "PY1")
    counts = {code: result.count for code, result in r.items()}
    assert counts == PY1_COUNTS
    assert _people(ws, r["O.2.3"]) == {"P1", "P2", "P4"}
    assert _people(ws, r["O.2.3.2"]) == {"P1", "P4"}
    assert _people(ws, r["O.2.5"]) == {"P2"}


def test_breakdowns_describe_each_person_once_and_add_up(ws: Workspace) -> None:
    total = _by_code(ws, "PY1")["O.2.3"]
    assert total.breakdowns["gender"] == {"female": 1, "male": 1, "non_binary": 0, "unknown": 1}
    # P2 is 16 on his first support day (2026-09-30); P1 is 36; P4's age is unknown.
    assert total.breakdowns["age_group"] == {"under_18": 1, "18_60": 1, "over_60": 0, "unknown": 1}
    assert total.breakdowns["nationality_group"] == {"afghanistan": 1, "eritrea": 1, "syria": 1}
    for cells in total.breakdowns.values():
        assert sum(cells.values()) == total.count


def test_year_boundary_30_september_and_1_october(ws: Workspace) -> None:
    py2 = _by_code(ws, "PY2")
    assert _people(ws, py2["O.2.3"]) == {"P2"}  # only his 1 October contact
    assert py2["O.2.5"].count == 0  # the family reunification talk was on 30 September
    assert py2["R.2.10"].count == 1
    assert _by_code(ws, "2026-09-30..2026-10-01")["O.2.3"].count == 1  # P2, counted once


def test_once_in_the_project_a_person_counts_in_the_year_of_their_first_support(
    ws: Workspace,
) -> None:
    """AMIF counts a participant once for the project, in the period of first support
    (DOMAIN.md): P2 came on 30 September and on 1 October, so year 2 has nobody new."""
    facts = load_facts(ws)

    def once(period: str) -> dict[str, IndicatorResult]:
        results = compute(facts, parse_period(period), ws.ref, once_in_project=True)
        return {r.code: r for r in results}

    years = [once(key) for key in ("PY1", "PY2", "PY3")]
    assert {code: r.count for code, r in years[0].items()} == PY1_COUNTS
    assert years[1]["O.2.3"].count == 0 and years[1]["O.2.3"].sources == ()
    assert _people(ws, years[1]["R.2.10"]) == {"P4"}  # applied in year 2, first time
    whole = once("project")
    for code, result in whole.items():
        if result.basis != "municipalities_supported":
            assert sum(year[code].count for year in years) == result.count, code
    # A range that begins on P2's first day still counts him, once.
    assert once("2026-09-30..2026-10-01")["O.2.3"].count == 1
    # The Overview's project-year tiles and the report's AMIF tables count the same way.
    assert project_year_indicators(ws, 2) == {code: r.count for code, r in years[1].items()}
    assert [r.count for r in counted_once(ws, parse_period("PY2"))] == [
        r.count for r in years[1].values()
    ]


def test_a_person_counts_once_per_period_however_often_they_came(ws: Workspace) -> None:
    result = _by_code(ws, "project")["O.2.3"]
    assert result.count == 3
    assert len(result.sources) == 5  # 2 + 2 contacts, 1 activity both P1 and P4 attended


def test_exports_suppress_small_cells_but_keep_zeros(ws: Workspace) -> None:
    assert suppressed({"a": 0, "b": 1, "c": 4, "d": 5}) == {"a": 0, "b": None, "c": None, "d": 5}
    rows = export_rows(compute(load_facts(ws), project_year(1), ws.ref), project_year(1))
    o23 = next(row for row in rows if row["indicator"] == "O.2.3")
    assert o23["count"] is None  # 3 people: fewer than 5
    assert o23["gender.non_binary"] == 0
    assert all(v is None or v == 0 or v >= 5 for k, v in o23.items() if "." in k)
    o22 = next(row for row in rows if row["indicator"] == "O.2.2")
    assert o22["count"] == 1  # municipalities are not people
    text = repr(rows)
    assert "P1" not in text and ws.names["P1"] not in text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("PY1", date(2025, 10, 1), date(2026, 9, 30)),
        ("py3", date(2027, 10, 1), date(2028, 9, 30)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("project", date(2025, 10, 1), date(2028, 9, 30)),
    ],
)
def test_periods(text: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "PY4",
        "2026-Q5",
        "2026-02-30..2026-03-01",
        "last year",
        "2026-03-01..2026-01-01",
        "0000",  # four digits, but no year of the calendar
        "0000-Q1",
        "0000-01-01..2026-01-01",
    ],
)
def test_bad_periods_are_user_errors(text: str) -> None:
    from kisi_desktop.core.errors import UserError

    with pytest.raises(UserError):
        parse_period(text)


def test_the_last_quarter_of_the_last_year_there_is() -> None:
    period = parse_period("9999-Q4")
    assert (period.start, period.end) == (date(9999, 10, 1), date(9999, 12, 31))


@given(
    st.text(alphabet="0123456789PYQprojct-. ", max_size=24)
    | st.from_regex(r"\d{4}(-Q\d)?|\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d|PY\d", fullmatch=True)
)
def test_any_typed_period_is_a_period_or_a_user_error(text: str) -> None:
    from kisi_desktop.core.errors import UserError

    try:
        period = parse_period(text)
    except UserError:
        return
    assert period.start <= period.end


def test_r28_counts_a_level_gained_after_a_language_course_only(tmp_path: Path) -> None:
    ws, _code = Workspace.create(
        tmp_path / "r28.kisi", "correct horse battery staple", kdf=TEST_PARAMS, clock=_after()
    )

    def person(name: str) -> Person:
        return ws.add(Person(name=name, nationalities=("SY",), residence_status="refugee"))

    def placed(who: Person, day: date) -> None:
        ws.add(
            Contact(
                person_id=who.id,
                contacted_on=day,
                duration_minutes=30,
                mode="office",
                actions=("language_course_placement",),
            )
        )

    def gained(who: Person, day: date) -> None:
        ws.add(
            OutcomeEvent(
                person_id=who.id,
                occurred_on=day,
                kind="language_level",
                level_before="a1",
                level_after="a2",
            )
        )

    no_course, late_course, earlier_course = person("A"), person("B"), person("C")
    gained(no_course, date(2027, 3, 1))  # a level, but no language course
    gained(late_course, date(2027, 3, 1))
    placed(late_course, date(2027, 4, 1))  # the course came after the level
    placed(earlier_course, date(2026, 6, 1))  # the course in project year 1 ...
    gained(earlier_course, date(2027, 3, 1))  # ... the level in project year 2
    result = {r.code: r for r in compute(load_facts(ws, project_year(2)), project_year(2), ws.ref)}
    assert result["R.2.8"].people == frozenset({earlier_course.id})
    # Loaded without a period (everything), the same person and no other.
    everything = {r.code: r for r in compute(load_facts(ws), project_year(2), ws.ref)}
    assert everything["R.2.8"].people == frozenset({earlier_course.id})
    ws.lock()


def test_counts_without_breakdowns_are_the_same_counts(ws: Workspace) -> None:
    facts, period = load_facts(ws), project_year(1)
    full = compute(facts, period, ws.ref)
    quick = compute(facts, period, ws.ref, breakdowns=False)
    assert [(r.code, r.count, r.people) for r in quick] == [
        (r.code, r.count, r.people) for r in full
    ]
    assert all(r.breakdowns == {} for r in quick)
    assert any(r.breakdowns for r in full)


def test_support_counts_from_the_day_an_eligible_status_was_granted(tmp_path: Path) -> None:
    # A person advised while their asylum procedure ran, recognised on 1 May 2026: the
    # earlier contacts came under a status that is not eligible and do not count for AMIF.
    ws, _code = Workspace.create(
        tmp_path / "status.kisi", "correct horse battery staple", kdf=TEST_PARAMS
    )
    recognised = ws.add(
        Person(
            name="Recognised later",
            nationalities=("SY",),
            residence_status="refugee",
            residence_status_date=date(2026, 5, 1),
        )
    )
    throughout = ws.add(Person(name="No date", nationalities=("SY",), residence_status="refugee"))

    def contact(who: Person, day: date) -> None:
        ws.add(Contact(person_id=who.id, contacted_on=day, duration_minutes=30, mode="office"))

    contact(recognised, date(2026, 2, 2))  # PY1, before the status
    contact(throughout, date(2026, 2, 2))  # PY1, no status date: counts
    facts = load_facts(ws)
    spring = parse_period("2026-01-01..2026-04-30")
    first = {r.code: r for r in compute(facts, spring, ws.ref)}
    assert first["O.2.3"].people == frozenset({throughout.id})
    # Once in the project: counted where first supported *as eligible* (June, not February).
    contact(recognised, date(2026, 6, 15))
    facts = load_facts(ws)
    by_quarter = [
        {r.code: r for r in compute(facts, parse_period(q), ws.ref, once_in_project=True)}
        for q in ("2026-Q1", "2026-Q2")
    ]
    assert by_quarter[0]["O.2.3"].people == frozenset({throughout.id})
    assert by_quarter[1]["O.2.3"].people == frozenset({recognised.id})
    # The day itself counts.
    contact(recognised, date(2026, 5, 1))
    may = parse_period("2026-05-01..2026-05-31")
    may_counts = {r.code: r for r in compute(load_facts(ws), may, ws.ref)}
    assert may_counts["O.2.3"].people == frozenset({recognised.id})
    ws.lock()


def _counts(ws: Workspace, period: str) -> dict[str, int]:
    return {r.code: r.count for r in counted_once(ws, parse_period(period))}


def test_a_status_change_keeps_earlier_support_in_its_periods(tmp_path: Path) -> None:
    """A refugee who applies for long-term residence (R.2.11) and is granted settlement,
    then naturalised: each day counts under the status held on it. Before, updating the
    status to the new permit dropped them from project year 1 altogether."""
    ws, _code = Workspace.create(tmp_path / "v.kisi", "correct horse battery staple",
                                 kdf=TEST_PARAMS, clock=_after())  # fmt: skip
    amal = ws.add(Person(name="Amal", nationalities=("SY",), gender="female",
                         birth_year=1990, residence_status="refugee"))  # fmt: skip
    ws.add(Contact(person_id=amal.id, contacted_on=date(2025, 11, 3), duration_minutes=30,
                   mode="office"))  # fmt: skip
    ws.add(OutcomeEvent(person_id=amal.id, occurred_on=date(2026, 3, 1),
                        kind="applied_long_term_residence"))  # fmt: skip
    before = _counts(ws, "PY1")
    assert (before["O.2.3"], before["R.2.11"]) == (1, 1)

    settled = ws.update(dataclasses.replace(
        amal, residence_status="settlement", residence_status_date=date(2026, 11, 15)))  # fmt: skip
    assert [(e.residence_status, e.ended_on) for e in settled.earlier] == [
        ("refugee", date(2026, 11, 15))
    ]
    for period in ("PY1", "project"):
        after = _counts(ws, period)
        assert (after["O.2.3"], after["R.2.11"]) == (1, 1), period
    # A contact under the settlement permit counts too (an eligible status), once.
    ws.add(Contact(person_id=amal.id, contacted_on=date(2026, 12, 1), duration_minutes=30,
                   mode="office"))  # fmt: skip
    assert _counts(ws, "project")["O.2.3"] == 1

    # Naturalised on 1 June 2027: a German citizen is no third-country national from then.
    ws.update(dataclasses.replace(
        settled, nationalities=("SY", "DE"), residence_status_date=date(2027, 6, 1)))  # fmt: skip
    ws.add(Contact(person_id=amal.id, contacted_on=date(2027, 7, 1), duration_minutes=30,
                   mode="office"))  # fmt: skip
    assert _counts(ws, "PY1")["O.2.3"] == 1
    # Support after naturalisation does not count (in the period alone, not once-only):
    july = parse_period("2027-07-01..2027-07-31")
    assert {r.code: r.count for r in compute(load_facts(ws), july, ws.ref)}["O.2.3"] == 0
    december = parse_period("2026-12-01..2026-12-31")
    assert {r.code: r.count for r in compute(load_facts(ws), december, ws.ref)}["O.2.3"] == 1
    assert _counts(ws, "project")["O.2.3"] == 1
    ws.lock()


def test_a_correction_without_a_later_day_replaces_what_was_entered(tmp_path: Path) -> None:
    """Status entered wrongly and corrected (no later "status since"): no earlier status
    is kept, and the figures follow the corrected entry, as before."""
    ws, _code = Workspace.create(tmp_path / "v.kisi", "correct horse battery staple",
                                 kdf=TEST_PARAMS, clock=_after())  # fmt: skip
    typo = ws.add(Person(name="Typo", nationalities=("DE",), residence_status="refugee",
                         residence_status_date=date(2025, 10, 1)))  # fmt: skip
    ws.add(Contact(person_id=typo.id, contacted_on=date(2025, 11, 3), duration_minutes=30,
                   mode="office"))  # fmt: skip
    assert _counts(ws, "PY1")["O.2.3"] == 0
    fixed = ws.update(dataclasses.replace(typo, nationalities=("SY",)))
    assert fixed.earlier == ()
    assert _counts(ws, "PY1")["O.2.3"] == 1
    ws.lock()


def test_the_breakdown_describes_the_nationality_held_when_first_counted(
    tmp_path: Path,
) -> None:
    ws, _code = Workspace.create(tmp_path / "v.kisi", "correct horse battery staple",
                                 kdf=TEST_PARAMS, clock=_after())  # fmt: skip
    person = ws.add(Person(name="Staatenlos", stateless=True, residence_status="refugee"))
    ws.add(Contact(person_id=person.id, contacted_on=date(2025, 11, 3), duration_minutes=30,
                   mode="office"))  # fmt: skip
    ws.update(dataclasses.replace(person, stateless=False, nationalities=("UA",),
                                  residence_status_date=date(2026, 4, 1)))  # fmt: skip
    [o23] = [r for r in counted_once(ws, parse_period("PY1")) if r.code == "O.2.3"]
    assert o23.breakdowns["nationality_group"] == {"stateless": 1}
    ws.lock()


def test_support_outside_the_project_counts_in_no_period(tmp_path: Path) -> None:
    """A calendar-year report of 2025 counts from 1 October only: the years then add up to
    the project, as the project years do."""
    ws, _code = Workspace.create(tmp_path / "v.kisi", "correct horse battery staple",
                                 kdf=TEST_PARAMS, clock=_after())  # fmt: skip
    early = ws.add(Person(name="Früh", nationalities=("SY",), residence_status="refugee"))
    late = ws.add(Person(name="Spät", nationalities=("AF",), residence_status="refugee"))
    for who, day in ((early, date(2025, 9, 15)), (late, date(2028, 10, 2))):
        ws.add(Contact(person_id=who.id, contacted_on=day, duration_minutes=30,
                       mode="office"))  # fmt: skip
    assert _counts(ws, "2025")["O.2.3"] == 0
    assert _counts(ws, "2028")["O.2.3"] == 0
    # Seen again in the project: counted from that day, in its period.
    ws.add(Contact(person_id=early.id, contacted_on=date(2025, 11, 3), duration_minutes=30,
                   mode="office"))  # fmt: skip
    assert _counts(ws, "2025")["O.2.3"] == 1
    assert _counts(ws, "2025-Q3")["O.2.3"] == 0
    ws.lock()


def _possible_values(shown: dict[str, object], total: int, key: str) -> set[int]:
    """What a reader of the row can tell of the hidden cell ``key``: the values it can take
    given the cells shown, that "<5" is 1 to 4 and "x" at least 1 (0 where no 0 is shown:
    zeros are shown unless held back), and that the row adds up to ``total``. Worked out
    by trying every value."""
    known = sum(v for v in shown.values() if isinstance(v, int))
    hidden = total - known
    x_low = 1 if any(v == 0 for v in shown.values()) else 0
    ranges = {
        k: (1, 4) if v is None else (x_low, hidden)
        for k, v in shown.items()
        if not isinstance(v, int)
    }
    others = [r for k, r in ranges.items() if k != key]
    low, high = ranges[key]
    return {
        value
        for value in range(low, high + 1)
        if sum(r[0] for r in others) <= hidden - value <= sum(r[1] for r in others)
    }


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6))
def test_no_hidden_cell_of_a_breakdown_can_be_worked_out_from_its_total(cells: list[int]) -> None:
    """QA pass: with the total beside them, a lone "<5" was the total minus the rest."""
    counts = {f"c{i}": v for i, v in enumerate(cells)}
    total = sum(cells)
    shown_total = total if total >= 5 else None  # (a total under 5 is hidden itself)
    shown = suppressed_breakdown(counts, shown_total)
    assert all(not (isinstance(v, int) and 0 < v < 5) for v in shown.values())
    assert all(shown[k] == v for k, v in counts.items() if isinstance(shown[k], int))
    if shown_total is None or all(0 < v < 5 for v in cells):
        return  # (the one case left open: see suppressed_breakdown)
    for key, value in shown.items():
        if not isinstance(value, int):
            assert len(_possible_values(shown, total, key)) >= 2, (counts, shown, key)


def test_a_breakdown_holds_back_only_what_it_must() -> None:
    # Two small cells that leave each other open keep their "<5"; nothing else goes.
    assert suppressed_breakdown({"a": 2, "b": 1, "c": 30}, 33) == {"a": None, "b": None, "c": 30}
    # One small cell: the smallest larger one goes with it, both "x".
    assert suppressed_breakdown({"a": 1, "b": 9, "c": 6}, 16) == {
        "a": WITHHELD,
        "b": 9,
        "c": WITHHELD,
    }
    # Without a total beside them, the small cells alone.
    assert suppressed_breakdown({"a": 1, "b": 9}, None) == {"a": None, "b": 9}
    # Two "<5" that add up to 8 are 4 each: marked "x", they could be anything from 1.
    assert suppressed_breakdown({"a": 4, "b": 4, "c": 0}, 8) == {
        "a": WITHHELD,
        "b": WITHHELD,
        "c": 0,
    }
    # Five people, five groups of one, no larger group to hold back: the zeros go too.
    ones = {f"g{i}": 1 for i in range(5)}
    assert suppressed_breakdown({**ones, "none": 0}, 5) == dict.fromkeys([*ones, "none"], WITHHELD)
