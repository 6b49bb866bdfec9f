"""Needs analysis on a small vault whose every figure is worked out by hand below.

Records (group, need, urgency, respondents -> score = weight x respondents, low 1 / medium 2 /
high 3); PY1 runs from 2025-10-01 to 2026-09-30:

  N1  2025-10-01  tcn             language_course_places  high    4  -> 12   (first day of PY1)
  N2  2026-03-01  tcn             housing                 medium  6  -> 12
  N3  2026-04-01  tcn             language_course_places  low     2  ->  2
  N4  2026-09-30  tcn             childcare               high    1  ->  3   (last day of PY1)
  N5  2025-09-30  tcn             mobility                high  100  -> 300  (before PY1)
  N6  2026-10-01  tcn             mobility                high  100  -> 300  (PY2)
  N7  2026-02-02  local           housing                 high    3  ->  9
  N8  2026-02-03  local           leisure_meeting         medium  5  -> 10
  N9  2026-05-05  administration  work                    medium  7  -> 14
  N10 2026-05-06  administration  translation             high    2  ->  6
  N11 2026-06-01  volunteers      counselling             medium  5  -> 10
  N12 2026-06-02  volunteers      mobility                medium  5  -> 10

PY1 per group (need: respondents / records / score, in rank order):
  tcn:            language_course_places 6/2/14, housing 6/1/12, childcare 1/1/3
  local:          leisure_meeting 5/1/10, housing 3/1/9
  administration: work 7/1/14, translation 2/1/6
  volunteers:     counselling 5/1/10, mobility 5/1/10 (same score and respondents: by code)
PY1 over all groups:
  1 housing 9/2/21 (6+3 respondents, 12+9)
  2 work 7/1/14                     } same score 14: more respondents first (though
  3 language_course_places 6/2/14   } "language..." comes before "work" by code)
  4 counselling 5/1/10              }
  5 leisure_meeting 5/1/10          } same score and respondents: by code
  6 mobility 5/1/10                 }
  7 translation 2/1/6
  8 childcare 1/1/3
Exported: respondents 1-4 suppressed (with the row's records and score): overall translation
and childcare, tcn childcare, local housing, administration translation.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Need
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.indicators import WITHHELD
from kisi_desktop.reports.needs import (
    ALL_GROUPS,
    URGENCY_WEIGHTS,
    NeedFigure,
    NeedsSummary,
    load_needs,
    needs_chart,
    needs_summary,
    needs_table,
    summarise,
)
from kisi_desktop.reports.periods import calendar_year, parse_period, project_year

NOTE_MARKER = "NOTE-MARKER-7f3a Frau Beispiel braucht dringend"

RECORDS = [
    (date(2025, 10, 1), "tcn", "language_course_places", "high", 4),
    (date(2026, 3, 1), "tcn", "housing", "medium", 6),
    (date(2026, 4, 1), "tcn", "language_course_places", "low", 2),
    (date(2026, 9, 30), "tcn", "childcare", "high", 1),
    (date(2025, 9, 30), "tcn", "mobility", "high", 100),
    (date(2026, 10, 1), "tcn", "mobility", "high", 100),
    (date(2026, 2, 2), "local", "housing", "high", 3),
    (date(2026, 2, 3), "local", "leisure_meeting", "medium", 5),
    (date(2026, 5, 5), "administration", "work", "medium", 7),
    (date(2026, 5, 6), "administration", "translation", "high", 2),
    (date(2026, 6, 1), "volunteers", "counselling", "medium", 5),
    (date(2026, 6, 2), "volunteers", "mobility", "medium", 5),
]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path: Path = tmp_path_factory.mktemp("needs") / "vault.kisi"
    ws, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS)
    for day, group, need, urgency, respondents in RECORDS:
        ws.add(
            Need(
                recorded_on=day,
                group=group,
                need=need,
                urgency=urgency,
                respondents=respondents,
                note=NOTE_MARKER,
            )
        )
    return ws


@pytest.fixture(scope="module")
def py1(ws: Workspace) -> NeedsSummary:
    return needs_summary(ws, project_year(1))


def _figures(figures: tuple[NeedFigure, ...]) -> list[tuple[int, str, int, int, int]]:
    return [(f.rank, f.need, f.respondents, f.records, f.score) for f in figures]


def test_overall_ranking_by_score_then_respondents_then_code(py1: NeedsSummary) -> None:
    assert _figures(py1.overall) == [
        (1, "housing", 9, 2, 21),
        (2, "work", 7, 1, 14),
        (3, "language_course_places", 6, 2, 14),
        (4, "counselling", 5, 1, 10),
        (5, "leisure_meeting", 5, 1, 10),
        (6, "mobility", 5, 1, 10),
        (7, "translation", 2, 1, 6),
        (8, "childcare", 1, 1, 3),
    ]
    assert {f.group for f in py1.overall} == {ALL_GROUPS}


def test_ranking_per_group(py1: NeedsSummary) -> None:
    assert sorted(py1.by_group) == ["administration", "local", "tcn", "volunteers"]
    assert _figures(py1.by_group["tcn"]) == [
        (1, "language_course_places", 6, 2, 14),
        (2, "housing", 6, 1, 12),
        (3, "childcare", 1, 1, 3),
    ]
    assert _figures(py1.by_group["local"]) == [
        (1, "leisure_meeting", 5, 1, 10),
        (2, "housing", 3, 1, 9),
    ]
    assert _figures(py1.by_group["administration"]) == [
        (1, "work", 7, 1, 14),
        (2, "translation", 2, 1, 6),
    ]
    assert _figures(py1.by_group["volunteers"]) == [
        (1, "counselling", 5, 1, 10),
        (2, "mobility", 5, 1, 10),
    ]


def test_groups_add_up_to_the_overall_figures(py1: NeedsSummary) -> None:
    # 9+7+6+5+5+5+2+1 = 40 respondents, 2+1+2+1+1+1+1+1 = 10 records, 21+14+14+10+10+10+6+3 = 88
    per_group = [f for figures in py1.by_group.values() for f in figures]
    for attr, total in (("respondents", 40), ("records", 10), ("score", 88)):
        assert sum(getattr(f, attr) for f in py1.overall) == total
        assert sum(getattr(f, attr) for f in per_group) == total


def test_period_boundaries(ws: Workspace) -> None:
    entries = load_needs(ws)
    # 30 Sep 2025 (N5) is before PY1, 1 Oct 2026 (N6) already PY2: mobility in PY1 is N12 only.
    py1 = summarise(entries, project_year(1))
    assert next(f for f in py1.overall if f.need == "mobility").respondents == 5
    py2 = summarise(entries, project_year(2))
    assert _figures(py2.overall) == [(1, "mobility", 100, 1, 300)]
    # Calendar 2025 holds N5 (30 Sep) and N1 (1 Oct): mobility 300 before language courses 12.
    year = summarise(entries, calendar_year(2025))
    assert _figures(year.overall) == [
        (1, "mobility", 100, 1, 300),
        (2, "language_course_places", 4, 1, 12),
    ]
    # One day: only what was recorded that day.
    day = summarise(entries, parse_period("2026-09-30..2026-09-30"))
    assert _figures(day.by_group["tcn"]) == [(1, "childcare", 1, 1, 3)]
    empty = summarise(entries, parse_period("2027-01-01..2027-03-31"))
    assert empty.overall == () and dict(empty.by_group) == {}


def test_exported_table_suppresses_small_cells(ws: Workspace, py1: NeedsSummary) -> None:
    table = needs_table(py1, ws.ref, "en")
    assert table.leaves_laptop
    cells = [
        (r["group"], r["rank"], r["need"], r["respondents"], r["records"], r["score"])
        for r in table.rows
    ]
    assert cells == [
        ("all", 1, "housing", 9, 2, 21),
        ("all", 2, "work", 7, 1, 14),
        ("all", 3, "language_course_places", 6, 2, 14),
        ("all", 4, "counselling", 5, 1, 10),
        ("all", 5, "leisure_meeting", 5, 1, 10),
        ("all", 6, "mobility", 5, 1, 10),
        # (needs without figures: no rank, after the ranked ones by code)
        ("all", WITHHELD, "childcare", None, None, None),
        ("all", WITHHELD, "translation", None, None, None),
        # groups in the reference data's order: tcn, local, administration, volunteers
        ("tcn", 1, "language_course_places", 6, 2, 14),
        # (local's housing, 3, was all groups' 9 minus tcn's 6: both held back)
        ("tcn", WITHHELD, "childcare", None, None, None),
        ("tcn", WITHHELD, "housing", WITHHELD, WITHHELD, WITHHELD),
        ("local", 1, "leisure_meeting", 5, 1, 10),
        ("local", WITHHELD, "housing", WITHHELD, WITHHELD, WITHHELD),
        ("administration", 1, "work", 7, 1, 14),
        ("administration", WITHHELD, "translation", None, None, None),
        ("volunteers", 1, "counselling", 5, 1, 10),
        ("volunteers", 2, "mobility", 5, 1, 10),
    ]
    assert [c.key for c in table.columns] == [
        "group",
        "group_label",
        "rank",
        "need",
        "need_label",
        "respondents",
        "records",
        "score",
    ]


def test_local_table_keeps_exact_figures(ws: Workspace, py1: NeedsSummary) -> None:
    table = needs_table(py1, ws.ref, "en", exported=False)
    assert not table.leaves_laptop
    childcare = next(r for r in table.rows if r["group"] == "tcn" and r["need"] == "childcare")
    assert (childcare["respondents"], childcare["records"], childcare["score"]) == (1, 1, 3)


def test_labels_in_the_chosen_language(ws: Workspace, py1: NeedsSummary) -> None:
    german = needs_table(py1, ws.ref, "de").rows
    english = needs_table(py1, ws.ref, "en").rows
    assert (german[0]["need_label"], english[0]["need_label"]) == ("Wohnraum", "housing")
    tcn = next(i for i, r in enumerate(german) if r["group"] == "tcn")
    assert german[tcn]["group_label"] == "Drittstaatsangehörige"
    assert english[tcn]["group_label"] == "third-country nationals"
    assert english[0]["group_label"] == "all groups"


def test_no_note_text_leaves_the_laptop(ws: Workspace, py1: NeedsSummary) -> None:
    assert NOTE_MARKER not in repr(load_needs(ws))
    for exported in (True, False):
        table = needs_table(py1, ws.ref, "de", exported=exported)
        text = json.dumps([dict(r) for r in table.rows], ensure_ascii=False, default=repr)
        assert "NOTE-MARKER" not in text
        assert "Beispiel" not in text


def test_chart_bars_follow_the_ranking(ws: Workspace, py1: NeedsSummary) -> None:
    # Exported: the needs with fewer than 5 respondents (translation 2, childcare 1) drop out.
    assert needs_chart(py1, ws.ref, "en") == [
        ("housing", 21),
        ("work and training", 14),
        ("language course places", 14),
        ("counselling", 10),
        ("leisure and meeting people", 10),
        ("mobility", 10),
    ]
    local = needs_chart(py1, ws.ref, "en", exported=False)
    assert local[-2:] == [("translation and interpreting", 6), ("childcare", 3)]
    assert needs_chart(py1, ws.ref, "de", group="local", exported=False) == [
        ("Freizeit und Begegnung", 10),
        ("Wohnraum", 9),
    ]
    assert needs_chart(py1, ws.ref, "de", group="nobody") == []


def test_an_exported_chart_leaves_out_a_need_the_table_holds_back(
    ws: Workspace, py1: NeedsSummary
) -> None:
    # tcn housing has 6 respondents, but local housing's 3 beside them are "<5" and all
    # groups' housing is 9: the table holds the 6 back ("x"), and its bar (score 12)
    # would have given it away.
    rows = needs_table(py1, ws.ref, "en").rows
    tcn_housing = next(r for r in rows if r["group"] == "tcn" and r["need"] == "housing")
    assert tcn_housing["respondents"] is WITHHELD and tcn_housing["score"] is WITHHELD
    assert needs_chart(py1, ws.ref, "en", group="tcn") == [("language course places", 14)]
    assert ("housing", 12) in needs_chart(py1, ws.ref, "en", group="tcn", exported=False)


def test_every_urgency_of_the_reference_data_has_a_weight(ws: Workspace) -> None:
    assert set(ws.ref.enum("urgencies")) == set(URGENCY_WEIGHTS)
    assert [URGENCY_WEIGHTS[u] for u in ("low", "medium", "high")] == [1, 2, 3]
