"""What a bundle's indicator rows let their reader work out (QA: the ministry, or anyone who
opens a bundle, read a lone "<5" off a row as its count minus the cells shown).

The reader here knows everything the format says: the count, the cells shown, that null is
1 to 4, that "withheld" is at least 0, and at least 1 where the breakdown shows a 0 or a
cell of 5 or more (the app holds zeros back only when no such cell is left). Written apart
from ``reports.indicators.worked_out``, which the ministry's intake uses for the same
question, so that the two check each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.bundles.export import indicator_rows
from kisi_desktop.bundles.manifest import WITHHELD_MARK
from kisi_desktop.reports.indicator_tables import nationality_group_labels
from kisi_desktop.reports.indicators import AGE_GROUPS, GENDERS, IndicatorResult
from kisi_desktop.reports.periods import Period

PERIOD = Period(date(2026, 1, 1), date(2026, 3, 31), "2026-Q1")
GROUPS = tuple(nationality_group_labels())
DIMENSIONS = ("gender", "age_group", "nationality_group")


def _result(people: list[tuple[str, str, str]]) -> IndicatorResult:
    """O.2.3 for ``people`` (gender, age group, nationality group each), as ``compute``
    breaks it down: gender and age group with every category, nationality groups met."""
    gender = Counter(p[0] for p in people)
    ages = Counter(p[1] for p in people)
    groups = Counter(p[2] for p in people)
    return IndicatorResult(
        code="O.2.3",
        label_de="Teilnehmende",
        label_en="participants",
        basis="unique_eligible_participants",
        rule={},
        count=len(people),
        breakdowns={
            "gender": {g: gender[g] for g in GENDERS},
            "age_group": {a: ages[a] for a in AGE_GROUPS},
            "nationality_group": dict(sorted(groups.items())),
        }
        if people
        else {},
    )


def _values(cells: Mapping[str, Any], count: int, key: str) -> set[int]:
    """Every value hidden cell ``key`` can take, all else the reader knows being true."""
    known = [v for v in cells.values() if isinstance(v, int)]
    rest = count - sum(known)
    x_low = 1 if any(v == 0 or v >= 5 for v in known) else 0
    bounds = {
        k: (1, 4) if v is None else (x_low, rest)
        for k, v in cells.items()
        if not isinstance(v, int)
    }
    others = [b for k, b in bounds.items() if k != key]
    low, high = bounds[key]
    return {
        v
        for v in range(low, high + 1)
        if sum(b[0] for b in others) <= rest - v <= sum(b[1] for b in others)
    }


people_strategy = st.lists(
    st.tuples(
        st.sampled_from(GENDERS),
        st.sampled_from(AGE_GROUPS),
        # Mostly a few groups, so that small cells beside large ones are common.
        st.one_of(st.sampled_from(GROUPS[:3]), st.sampled_from(GROUPS)),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(people_strategy)
def test_no_hidden_cell_of_a_bundle_row_can_be_pinned_to_one_value(
    people: list[tuple[str, str, str]],
) -> None:
    (row,) = indicator_rows([_result(people)], PERIOD)
    count = row["count"]
    assert count is None if 0 < len(people) < 5 else count == len(people)
    for dimension in DIMENSIONS:
        cells = {k.partition(".")[2]: v for k, v in row.items() if k.startswith(f"{dimension}.")}
        if not people:
            assert cells == {}
            continue
        # What the bundle may hold in a cell, and no small number in the clear.
        assert all(v is None or v == WITHHELD_MARK or isinstance(v, int) for v in cells.values())
        assert not any(isinstance(v, int) and 0 < v < 5 for v in cells.values())
        if dimension == "nationality_group":
            assert set(GROUPS) <= set(cells)  # every group named, 0 included
        truth = Counter(p[DIMENSIONS.index(dimension)] for p in people)
        assert all(v == truth[k] for k, v in cells.items() if isinstance(v, int))
        if count is None:
            continue  # (no total beside the cells: each "<5" is 1 to 4, nothing more)
        for key, value in cells.items():
            if isinstance(value, int):
                continue
            possible = _values(cells, count, key)
            assert truth[key] in possible, (dimension, cells, key)  # the reader's model holds
            assert len(possible) >= 2, (dimension, cells, key, possible)


def test_a_lone_small_cell_is_held_back_with_the_smallest_cell_beside_it() -> None:
    people = (
        [("female", "18_60", "syria")] * 9
        + [("male", "18_60", "syria")] * 6
        + [("non_binary", "18_60", "syria")]
    )
    (row,) = indicator_rows([_result(people)], PERIOD)
    assert row["count"] == 16
    # Before, non_binary was null beside female 9 and male 6: 16 - 15 = 1.
    assert (row["gender.female"], row["gender.male"], row["gender.non_binary"]) == (
        9,
        WITHHELD_MARK,
        WITHHELD_MARK,
    )
    assert row["gender.unknown"] == 0
