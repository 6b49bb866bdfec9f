"""The Needs page's rows and choices: recorded needs, ranked needs, periods, target groups.

Rows are frozen and worded in the UI language when built (labels from the reference data),
so the table models stay thin adapters (STYLE.md rule 7); a language switch rebuilds them.
The ranking itself is :mod:`kisi_desktop.reports.needs`: the page shows its local-only
table (``exported=False``: exact figures, never suppressed, never leaves the laptop).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from kisi_desktop.core.domain.record import short
from kisi_desktop.core.i18n import N_, _, format_date, format_number

from kisi_desktop.reports.needs import ALL_GROUPS, URGENCY_WEIGHTS
from kisi_desktop.reports.periods import (
    PROJECT_YEARS,
    Period,
    calendar_year,
    project_year,
    whole_project,
)
from kisi_desktop.reports.tables import ReportTable

from kisi_desktop.ui.pages.period_labels import (
    CALENDAR_YEARS,
    calendar_label,
    project_label,
    project_year_label,
)
from kisi_desktop.ui.tables.row_model import Column

ROW_FIELDS = ("recorded_on", "group", "need", "urgency", "respondents", "note")
DEFAULT_PERIOD = "project"
"""The whole project: a needs survey is usually done once, early, and read for years."""

Label = Callable[[str, str], str]
"""``label(enumeration, code)``: a reference-data label in the UI language."""


@dataclass(frozen=True, slots=True)
class NeedRow:
    """One recorded need (a Need record), labels in the UI language."""

    id: str
    recorded_on: date
    group: str
    need: str
    urgency: str
    weight: int
    """The urgency's score weight (low 1 .. high 3): sorts the urgency column by urgency."""
    respondents: int
    note: str


def need_row(raw: Sequence[Any], label: Label) -> NeedRow:
    """A list row from ``(id, *ROW_FIELDS)`` as ``Workspace.rows`` returns it."""
    rid, day, group, need, urgency, respondents, note = raw
    return NeedRow(
        id=str(rid),
        recorded_on=date.fromisoformat(str(day)),
        group=label("target_groups", str(group)),
        need=label("needs", str(need)),
        urgency=label("urgencies", str(urgency)),
        weight=URGENCY_WEIGHTS.get(str(urgency), 0),
        respondents=int(respondents),
        note=str(note or ""),
    )


ENTRY_COLUMNS = [
    Column(
        N_("Date"),
        lambda r: format_date(r.recorded_on),
        sort=lambda r: (r.recorded_on.isoformat(), r.id),
    ),
    Column(N_("Target group"), lambda r: r.group, tooltip=lambda r: r.group),
    Column(N_("Need"), lambda r: r.need, tooltip=lambda r: r.need),
    Column(N_("Urgency"), lambda r: r.urgency, sort=lambda r: r.weight),
    Column(
        N_("Respondents"),
        lambda r: format_number(r.respondents),
        sort=lambda r: r.respondents,
        numeric=True,
    ),
    Column(N_("Note"), lambda r: short(r.note), tooltip=lambda r: r.note),
]


@dataclass(frozen=True, slots=True)
class RankedRow:
    """One need in the ranking of a period and group (``id`` is the need's code)."""

    id: str
    rank: int
    need: str
    respondents: int
    records: int
    score: int


def ranked_rows(table: ReportTable, group: str = ALL_GROUPS) -> list[RankedRow]:
    """The ranking of ``group`` (or of all groups together) from the needs table's rows."""
    return [
        RankedRow(
            id=str(row["need"]),
            rank=int(row["rank"]),
            need=str(row["need_label"]),
            respondents=int(row["respondents"]),
            records=int(row["records"]),
            score=int(row["score"]),
        )
        for row in table.rows
        if row["group"] == group
    ]


def _count(value: Callable[[RankedRow], int]) -> Callable[[RankedRow], str]:
    return lambda r: format_number(value(r))


RANK_COLUMNS = [
    Column(N_("Rank"), _count(lambda r: r.rank), sort=lambda r: r.rank, numeric=True),
    Column(N_("Need"), lambda r: r.need, tooltip=lambda r: r.need),
    Column(N_("Score"), _count(lambda r: r.score), sort=lambda r: r.score, numeric=True),
    Column(
        N_("Respondents"),
        _count(lambda r: r.respondents),
        sort=lambda r: r.respondents,
        numeric=True,
    ),
    Column(N_("Records"), _count(lambda r: r.records), sort=lambda r: r.records, numeric=True),
]


# ---------------------------------------------------------------------------- choices


@dataclass(frozen=True, slots=True)
class PeriodChoice:
    """One entry of the period drop-down: its key, its period, its label in the UI language."""

    key: str
    period: Period
    label: Callable[[], str]


def period_choices() -> list[list[PeriodChoice]]:
    """The period drop-down in groups: project years, calendar years, the whole project.

    Worded like the Reports page's period chooser (kisi_desktop/ui/pages/period_labels.py).
    """
    years = []
    for number in range(1, PROJECT_YEARS + 1):
        p = project_year(number)
        years.append(PeriodChoice(p.key, p, partial(project_year_label, p, number)))
    calendar = [
        PeriodChoice(str(y), calendar_year(y), partial(calendar_label, y)) for y in CALENDAR_YEARS
    ]
    project = whole_project()
    return [years, calendar, [PeriodChoice(project.key, project, partial(project_label, project))]]


def group_choices(groups: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(code, label)`` of the group drop-down: all groups first, then ``groups`` in order."""
    return [(ALL_GROUPS, _("All groups")), *groups.items()]
