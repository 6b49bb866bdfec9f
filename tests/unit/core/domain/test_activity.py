"""Activity and event attendance: counts per code, sums within attendance."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain.activity import Activity, attendance_of_row, attendance_split
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError


def activity(**fields: Any) -> Activity:
    base = {
        "activity_type": "encounter",
        "title": "Sprachcafé",
        "starts_on": date(2026, 2, 1),
        "municipality_ags": "06534011",
    }
    return Activity(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"ends_on": date(2026, 1, 31)}, "ends_on"),
        ({"municipality_ags": "6534011"}, "municipality_ags"),
        ({"attendance_total": 10}, "attendance_total"),
        (
            {"is_event": True, "attendance_total": 2, "counts_by_gender": {"female": 3}},
            "counts_by_gender",
        ),
        (
            {"is_event": True, "attendance_total": 0, "participant_ids": (new_id(),)},
            "participant_ids",
        ),
        ({"counts_by_target_group": {"tcn": -1}}, "counts_by_target_group"),
        ({"participant_ids": ("x",)}, "participant_ids"),
    ],
)
def test_bad_values_name_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        activity(**fields)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"activity_type": "party"}, "activity_type"),
        ({"target_groups": ("aliens",)}, "target_groups"),
        ({"counts_by_target_group": {"aliens": 1}}, "counts_by_target_group"),
        ({"counts_by_gender": {"robot": 1}}, "counts_by_gender"),
    ],
)
def test_unknown_codes(ref: ReferenceData, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        activity(**fields).validate(ref)
    assert error.value.field == field


def test_counts_are_stored_sorted_and_read_back_as_a_dict() -> None:
    a = activity(counts_by_gender={"male": 2, "female": 3})
    assert a.counts_by_gender == (("female", 3), ("male", 2))
    assert dict(a.counts_by_gender)["female"] == 3
    assert a.to_payload()["counts_by_gender"] == {"female": 3, "male": 2}
    assert hash(a) == hash(activity(id=a.id, counts_by_gender={"female": 3, "male": 2}))


def test_target_groups_from_the_issue(ref: ReferenceData) -> None:
    assert set(ref.enum("target_groups")) == {"tcn", "local", "administration", "volunteers"}


@given(
    counts=st.dictionaries(
        st.sampled_from(["female", "male", "diverse", "unspecified"]), st.integers(0, 1000)
    ),
    title=st.sampled_from(["لقاء", "ምሽት", "Infoabend", "x" * 200]),
)
def test_hypothesis_round_trip(counts: dict[str, int], title: str) -> None:
    a = activity(
        title=title, counts_by_gender=counts, is_event=True, attendance_total=sum(counts.values())
    )
    assert Activity.from_payload(json.loads(json.dumps(a.to_payload()))) == a


@pytest.mark.parametrize(
    ("heads", "named", "fits"),
    [
        ({"local": 10}, 0, True),
        ({"local": 11}, 0, False),  # more by target group than attended
        ({"tcn": 6, "local": 4}, 6, True),  # the six named are the six counted
        ({"tcn": 2, "local": 4}, 6, True),  # named beyond the headcount: 6 + 4
        ({"tcn": 2, "local": 5}, 6, False),  # 6 named + 5 local > 10
        ({"administration": 3, "volunteers": 3, "local": 4}, 0, True),
    ],
)
def test_an_events_headcounts_must_fit_its_total_when_entered(
    heads: dict[str, int], named: int, fits: bool
) -> None:
    event = activity(
        is_event=True,
        attendance_total=10,
        counts_by_target_group=heads,
        participant_ids=tuple(new_id() for _ in range(named)),
    )
    if fits:
        event.entry_check()
    else:
        with pytest.raises(ValidationError) as refused:
            event.entry_check()
        assert refused.value.field == "counts_by_target_group"


@given(
    st.dictionaries(st.sampled_from(["tcn", "local", "administration"]), st.integers(0, 50)),
    st.integers(0, 30),
    st.one_of(st.none(), st.integers(0, 200)),
)
def test_attendance_is_never_less_than_recorded_or_than_any_group(
    heads: dict[str, int], named: int, recorded: int | None
) -> None:
    tcn, total = attendance_split(recorded, heads, named)
    others = sum(n for g, n in heads.items() if g != "tcn")
    if recorded is None:  # nobody counted twice, nobody left out
        assert (tcn, total) == (heads.get("tcn", 0) + named, heads.get("tcn", 0) + named + others)
    else:
        assert total >= recorded
        assert total >= max(heads.get("tcn", 0), named) + others
        assert tcn >= max(heads.get("tcn", 0), named)
    row = attendance_of_row(recorded, json.dumps(heads), json.dumps(["x"] * named))
    assert row == total
