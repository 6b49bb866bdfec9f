"""Needs analysis (Bedarfsanalyse): which needs each group named, how many, how urgently.

KISI starts from a survey of what third-country nationals, the local population and the
administration need (issue 5, "Needs analysis"). Each :class:`~kisi_desktop.core.domain.Need`
record says that ``respondents`` people of a group named a need with an urgency; this module
adds them up per group and need, and over all groups, and ranks the needs.

Ranking rule (documented here because the ranked table is what a guide argues with):

* score = sum over the records of urgency weight x respondents, with the weights
  low = 1, medium = 2, high = 3 (:data:`URGENCY_WEIGHTS`);
* rank by score (highest first), then by respondents (more first), then by the need's code,
  so two needs never share a rank and the order never changes between runs.

Nothing here reads a record's note: the loader asks the working set for five fields and the
note is not one of them, so no free text can reach a table that leaves the laptop. In
exported rows a respondents cell of 1 to 4 is suppressed (``indicators.suppressed``), and
that row's score and record count go with it, because with one urgency the score is a
multiple of the respondents and would give the number away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from kisi_desktop.core.domain import Need
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import N_
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.held_back import Sum, column_sum, protected_rows
from kisi_desktop.reports.indicators import WITHHELD
from kisi_desktop.reports.labels import code_label, in_ref_order, word
from kisi_desktop.reports.periods import Period
from kisi_desktop.reports.tables import (
    Kind,
    ReportTable,
    TableShape,
    translated_column,
    translated_shape,
    translated_table,
)

URGENCY_WEIGHTS: Mapping[str, int] = MappingProxyType({"low": 1, "medium": 2, "high": 3})
"""Weight of each urgency code of ``enumerations.json`` (``urgencies``) in the score."""

ALL_GROUPS = "all"
"""The ``group`` of the ranking over every group together."""


@dataclass(frozen=True, slots=True)
class NeedEntry:
    """What the summary reads from one Need record: no id, no note."""

    day: date
    group: str
    need: str
    urgency: str
    respondents: int


@dataclass(frozen=True, slots=True)
class NeedFigure:
    """One need of one group (or of :data:`ALL_GROUPS`) in a period, with its rank."""

    group: str
    need: str
    rank: int
    respondents: int
    """Sum of the records' respondents (a person naming two needs counts under both)."""
    records: int
    score: int
    """Sum of urgency weight x respondents."""


@dataclass(frozen=True, slots=True)
class NeedsSummary:
    """The ranked needs of a period: over all groups, and per group (groups by code)."""

    period: Period
    overall: tuple[NeedFigure, ...]
    by_group: Mapping[str, tuple[NeedFigure, ...]]


def load_needs(ws: Workspace) -> list[NeedEntry]:
    """Every Need record of the vault, read without its note."""
    fields = ["recorded_on", "group", "need", "urgency", "respondents"]
    return [
        NeedEntry(date.fromisoformat(day), group, need, urgency, int(respondents))
        for _rid, day, group, need, urgency, respondents in ws.rows(Need, fields)
    ]


def weight(urgency: str) -> int:
    """The score weight of an urgency code.

    Raises:
        LookupError: the reference data gained an urgency that has no weight here yet
            (a bug to fix in :data:`URGENCY_WEIGHTS`, not something a user can repair).
    """
    try:
        return URGENCY_WEIGHTS[urgency]
    except KeyError:
        raise LookupError(f"urgency {urgency!r} has no weight") from None


def _ranked(group: str, entries: Iterable[NeedEntry]) -> tuple[NeedFigure, ...]:
    respondents: dict[str, int] = defaultdict(int)
    records: dict[str, int] = defaultdict(int)
    score: dict[str, int] = defaultdict(int)
    for e in entries:
        respondents[e.need] += e.respondents
        records[e.need] += 1
        score[e.need] += weight(e.urgency) * e.respondents
    order = sorted(respondents, key=lambda need: (-score[need], -respondents[need], need))
    return tuple(
        NeedFigure(group, need, rank, respondents[need], records[need], score[need])
        for rank, need in enumerate(order, start=1)
    )


def summarise(entries: Iterable[NeedEntry], period: Period) -> NeedsSummary:
    """Aggregate and rank the entries recorded in ``period`` (both end days included)."""
    inside = [e for e in entries if e.day in period]
    groups: dict[str, list[NeedEntry]] = defaultdict(list)
    for e in inside:
        groups[e.group].append(e)
    return NeedsSummary(
        period=period,
        overall=_ranked(ALL_GROUPS, inside),
        by_group=MappingProxyType({g: _ranked(g, groups[g]) for g in sorted(groups)}),
    )


def needs_summary(ws: Workspace, period: Period) -> NeedsSummary:
    """The ranked needs of the open vault in ``period``."""
    return summarise(load_needs(ws), period)


# ---------------------------------------------------------------------------- presentation


def group_label(ref: ReferenceData, group: str, language: str) -> str:
    """The target group's name, or "all groups" for the overall ranking."""
    if group == ALL_GROUPS:
        return word(N_("all groups"), language)
    return code_label(ref, ("target_groups",), group, language)


def _sections(summary: NeedsSummary, ref: ReferenceData) -> list[tuple[NeedFigure, ...]]:
    """Overall first, then the groups in the reference data's order (unknown codes last)."""
    order = in_ref_order(ref, "target_groups", summary.by_group)
    return [summary.overall, *(summary.by_group[g] for g in order)]


def needs_shape() -> TableShape:
    """The needs table's title and columns (labels in the report's language, codes beside)."""
    return translated_shape(
        "needs",
        N_("Needs analysis"),
        (
            translated_column("group", N_("Group code")),
            translated_column("group_label", N_("Group")),
            translated_column("rank", N_("Rank"), Kind.COUNT),
            translated_column("need", N_("Need code")),
            translated_column("need_label", N_("Need")),
            translated_column("respondents", N_("Respondents"), Kind.COUNT),
            translated_column("records", N_("Records"), Kind.COUNT),
            translated_column("score", N_("Urgency score"), Kind.COUNT),
        ),
    )


def needs_table(
    summary: NeedsSummary, ref: ReferenceData, language: str = "de", *, exported: bool = True
) -> ReportTable:
    """The ranked table: all groups first, then each group; labels in ``language``.

    With ``exported`` (the default) small respondents cells are suppressed and the table
    may leave the laptop; without, the figures are exact and the table is local-only
    (``leaves_laptop=False``), for the Needs page.
    """
    rows: list[dict[str, Any]] = []
    for section in _sections(summary, ref):
        for f in section:
            row: dict[str, Any] = {
                "group": f.group,
                "group_label": group_label(ref, f.group, language),
                "rank": f.rank,
                "need": f.need,
                "need_label": code_label(ref, ("needs",), f.need, language),
                "respondents": f.respondents,
                "records": f.records,
                "score": f.score,
            }
            rows.append(row)
    if exported:
        rows = protected_rows(rows, ("respondents",), respondent_sums(rows))
        for row in rows:
            if not isinstance(row["respondents"], int):
                row.update(records=row["respondents"], score=row["respondents"])
        rows = unranked_hidden(rows)
    notes = [
        N_("Score: respondents weighted by urgency (low 1, medium 2, high 3)."),
        N_("Ranked by score, then respondents, then the need's code."),
        N_("A respondent who named several needs counts under each of them."),
    ]
    if exported and any(row["respondents"] is None for row in rows):
        notes.append(
            N_(
                "<5: named by fewer than 5 respondents; the exact figure is withheld to "
                "protect them."
            )
        )
    if exported and any(not isinstance(row["respondents"], int) for row in rows):
        notes.append(
            N_(
                "Rank x: a need without figures is not ranked and follows the ranked ones "
                "in the order of the codes, since its rank would tell how high its score is."
            )
        )
    if any(row["respondents"] is WITHHELD for row in rows):
        notes.append(
            N_(
                "x: not shown, so that a need named by fewer than 5 respondents of a group "
                "cannot be worked out from all groups' figure; it may be small or large."
            )
        )
    return translated_table(needs_shape(), rows, notes, leaves_laptop=exported)


def unranked_hidden(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each group's rows with hidden figures moved after the ranked ones, by need code, and
    their rank held back; the ranked ones numbered again from 1.

    The order is by score: a held-back need ranked between two needs of equal score had
    that score, and with one urgency the score is its respondents times the weight (the
    QA review read a group's 5 off a rank that way). Numbered among the shown needs only,
    the ranks and the order follow from figures the table shows and from codes.
    """
    sections: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        sections.setdefault(row["group"], []).append(dict(row))
    out: list[dict[str, Any]] = []
    for section in sections.values():
        shown = [row for row in section if isinstance(row["respondents"], int)]
        hidden = sorted(
            (row for row in section if not isinstance(row["respondents"], int)),
            key=lambda row: str(row["need"]),
        )
        for rank, row in enumerate(shown, start=1):
            row["rank"] = rank
        for row in hidden:
            row["rank"] = WITHHELD
        out += shown + hidden
    return out


def respondent_sums(rows: Sequence[Mapping[str, Any]]) -> list[Sum]:
    """Each need's respondents over the groups add up to its row of all groups (as do its
    records and scores, held back with the respondents): ``reports.held_back``."""
    overall = {row.get("need"): n for n, row in enumerate(rows) if row.get("group") == ALL_GROUPS}
    if len(overall) != sum(1 for row in rows if row.get("group") == ALL_GROUPS):
        return []  # (a need twice over all groups: not a table this module made)
    parts: dict[Any, list[int]] = defaultdict(list)
    for n, row in enumerate(rows):
        if row.get("group") != ALL_GROUPS and row.get("need") in overall:
            parts[row.get("need")].append(n)
    return [column_sum(parts[need], total, "respondents") for need, total in overall.items()]


def needs_chart(
    summary: NeedsSummary,
    ref: ReferenceData,
    language: str = "de",
    *,
    group: str = ALL_GROUPS,
    exported: bool = True,
) -> list[tuple[str, int]]:
    """``(need label, score)`` bars in rank order, for one group or all of them.

    With ``exported`` (the default) the bars are the exported table's scores: a need whose
    figures the table holds back ("<5", or "x" beside a small one of another group) has no
    bar, since its length is the score the table hides.
    """
    if exported:
        rows = needs_table(summary, ref, language).rows
        return [(str(row["need_label"]), row["score"]) for row in charted_rows(rows, group)]
    figures: Sequence[NeedFigure] = (
        summary.overall if group == ALL_GROUPS else summary.by_group.get(group, ())
    )
    return [(code_label(ref, ("needs",), f.need, language), f.score) for f in figures]


def charted_rows(rows: Sequence[Mapping[str, Any]], group: str) -> list[Mapping[str, Any]]:
    """The rows of the needs table that a chart of ``group`` draws a bar for, in the
    table's order: those whose score the table shows (a held-back score has no bar)."""
    return [
        row
        for row in rows
        if row.get("group") == group and isinstance(row.get("score"), int) and row["score"]
    ]
