"""What a report holds: its sections (report tables), its charts and its cover details.

The one place that assembles a report from the vault, so that ``kisi report``, the GUI and
the bundles print and export the same sections in the same order. A new section is one more
line in :func:`report_sections` (and, if it has one, its chart in :func:`report_charts`);
the outputs (:mod:`.csv_export`, :mod:`.xlsx_export`, :mod:`.pdf_report`) need no change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Guide, Municipality
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import format_date
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.budget import budget_overview
from kisi_desktop.reports.budget_tables import (
    overdue_claims_table,
    plan_shape,
    plan_table,
    volunteer_table,
    warnings_shape,
    warnings_table,
)
from kisi_desktop.reports.charts import BarChart, bars_from_column
from kisi_desktop.reports.facts import load_facts
from kisi_desktop.reports.held_back import Sum
from kisi_desktop.reports.indicator_tables import indicator_charts, indicator_tables
from kisi_desktop.reports.indicators import IndicatorResult, compute
from kisi_desktop.reports.kisi_figures import (
    SAME_PEOPLE_AS_EVENTS,
    figure_shapes,
    kisi_figures,
    people_sums,
)
from kisi_desktop.reports.labels import word
from kisi_desktop.reports.needs import (
    ALL_GROUPS,
    charted_rows,
    needs_shape,
    needs_summary,
    needs_table,
    respondent_sums,
)
from kisi_desktop.reports.periods import (
    PROJECT_END,
    PROJECT_START,
    Period,
    project_reach,
    project_year,
    project_year_of,
)
from kisi_desktop.reports.sent_bundles import NOTHING_SENT, sent_inside
from kisi_desktop.reports.tables import Column, Kind, ReportTable, TableShape

REPORT = "report"
"""Key of the table describing the report itself (municipality, period, date)."""


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """Who reports for which period, and when: the cover of the PDF, the first export table.

    Names of the guides are the report's authors (staff), not participants: they belong on
    a report to the ministry.
    """

    municipality: str
    ags: str
    district: str
    guides: tuple[str, ...]
    period: Period
    created: date


def report_info(ws: Workspace, period: Period, created: date) -> ReportInfo:
    """The vault's municipality (or municipalities) and the guides who served in ``period``."""
    towns = sorted(ws.list(Municipality), key=lambda m: m.name)
    served = {m.ags for m in towns}
    guides = sorted(
        g.name
        for g in ws.list(Guide)
        if served.intersection(g.municipality_ags)
        and g.started_on <= period.end
        and (g.ended_on is None or g.ended_on >= period.start)
    )
    return ReportInfo(
        municipality=", ".join(m.name for m in towns),
        ags=", ".join(m.ags for m in towns),
        district=", ".join(dict.fromkeys(m.district for m in towns if m.district)),
        guides=tuple(guides),
        period=period,
        created=created,
    )


def info_table(info: ReportInfo) -> ReportTable:
    """The report's details as a one-row table, first in CSV and XLSX exports."""
    reach = project_reach(info.period)
    notes = {
        language: [
            word(reach, language).format(
                start=format_date(PROJECT_START, language), end=format_date(PROJECT_END, language)
            )
        ]
        if reach
        else []
        for language in ("de", "en")
    }
    return ReportTable(
        key=REPORT,
        title_de="Bericht",
        title_en="Report",
        columns=(
            Column("municipality", "Kommune", "Municipality"),
            Column("ags", "AGS", "AGS"),
            Column("district", "Landkreis", "District"),
            Column("guides", "Integrationsguides", "Integration guides"),
            Column("period", "Zeitraum", "Period"),
            Column("from", "Von", "From", Kind.DATE),
            Column("to", "Bis", "To", Kind.DATE),
            Column("created", "Erstellt am", "Created on", Kind.DATE),
        ),
        rows=(
            {
                "municipality": info.municipality,
                "ags": info.ags,
                "district": info.district,
                "guides": ", ".join(info.guides),
                "period": info.period.key,
                "from": info.period.start,
                "to": info.period.end,
                "created": info.created,
            },
        ),
        notes_de=tuple(notes["de"]),
        notes_en=tuple(notes["en"]),
    )


def counted_once(ws: Workspace, period: Period) -> list[IndicatorResult]:
    """The indicators for ``period`` as AMIF counts them: each person once for the project,
    in the period of their first qualifying day (the records are read from the project's
    start, so that earlier participants can be told apart)."""
    since = Period(min(PROJECT_START, period.start), period.end, period.key)
    return compute(load_facts(ws, since), period, ws.ref, once_in_project=True)


def report_sections(
    ws: Workspace,
    period: Period,
    *,
    suppress: bool = True,
    language: str = "de",
    on: date | None = None,
    indicators: bool = True,
) -> list[ReportTable]:
    """Every section of the report for ``period``, in print order.

    The order follows issue 5's report for the ministry: the AMIF indicators and their
    breakdowns, the budget, the needs analysis, then KISI's own figures.

    Args:
        ws: the open vault.
        period: the reporting period.
        suppress: hide counts of 1-4 people and leave out tables that name people (the
            default; for anything that leaves the laptop). Without it, counts are exact,
            local-only tables are added, and those tables are marked local-only.
        language: the language of text cells that sections write in one language only
            (KISI figures and needs name their rows in it); headings come in both.
        on: the day the budget is measured on (burn rate, overdue claims); default today.
        indicators: with False the AMIF indicator tables are left out (a bundle carries
            them in its own file, counted once for the project) and not computed.
    """
    ref = ws.ref
    results = counted_once(ws, period) if indicators else []
    # Bundles sent for part of the period: what they held back, the report holds back too.
    sent = sent_inside(ws, period) if suppress else NOTHING_SENT
    budget = budget_overview(ws, on or today(ws.clock), ref)
    # A project-year report shows that year's budget lines; any other period the whole plan
    # (the grant is planned per project year, not per quarter).
    year = project_year_of(period.start)
    if year is None or project_year(year) != period:
        year = None
    tables = [
        *(indicator_tables(results, ref, suppress=suppress, sent=sent) if indicators else []),
        plan_table(budget, ref, year),
        warnings_table(budget, ref, local=not suppress),
    ]
    if not suppress:
        tables += [volunteer_table(budget, ref), overdue_claims_table(budget)]
    tables.append(needs_table(needs_summary(ws, period), ref, language, exported=suppress))
    tables += kisi_figures(ws, period, language)
    return tables


def shared_shapes(ref: ReferenceData) -> dict[str, TableShape]:
    """Title and columns of each section that leaves the laptop as rows, in report order.

    These are the sections a bundle's report file carries (``bundles.export``), keyed as its
    rows' ``table`` are: the ministry has their rows but not the vault, and heads and types
    them with these, as the report itself does. The AMIF indicator tables are not among
    them (bundles carry the indicators in a file of their own).
    """
    shapes = [plan_shape(), warnings_shape(), needs_shape(), *figure_shapes(ref).values()]
    return {shape.key: shape for shape in shapes}


def report_sums(table: str, rows: Sequence[Mapping[str, Any]]) -> list[Sum]:
    """How the counts of people of a shared section add up (``reports.held_back``): where
    its cells were held back, and where the ministry checks that none can be worked out."""
    if table == "needs":
        return respondent_sums(rows)
    return people_sums(table, rows)


HELD_WITH = {"needs": {"records": "respondents", "score": "respondents"}}
"""Cells that a section holds back with another of the same row (a need's record count and
score with its respondents: with one urgency the score is a multiple of them)."""

HELD_ALONE = {"administration_network": frozenset({"participants"})}
"""Cells a section may hold back ("x") on their own, outside any sum of the table: the
participants of a row, where they minus the administration staff beside them would give a
small count away (``kisi_figures._participants``)."""

HELD_ACROSS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "administration_network": ("events_by_type", SAME_PEOPLE_AS_EVENTS)
}
"""Cells a section holds back ("x") where another section holds back the same people, row
by row as their codes match, column beside column: a network meeting's administration
staff beside its administration in the events table (``kisi_figures.held_as_in_events``)."""

UNRANKED_WITH = {"needs": {"rank": "respondents"}}
"""Cells a section holds back ("x") where another of the row is hidden, by either mark: a
need's rank beside hidden respondents (``needs.unranked_hidden``). Bundles of the first
report schema 2 sent the rank, which the ministry still reads."""


def report_charts(tables: Sequence[ReportTable]) -> list[BarChart]:
    """The charts the printed report shows, drawn from its sections.

    O.2.3 by gender, age group and nationality; the needs of all groups by urgency score
    (needs named by fewer than 5 respondents have no score in an export and no bar).
    """
    charts = indicator_charts(tables)
    needs = next((t for t in tables if t.key == "needs"), None)
    if needs is not None:
        overall = charted_rows(needs.rows, ALL_GROUPS)
        if overall:
            ranked = replace(needs, rows=tuple(overall))
            charts.append(
                BarChart(
                    key="needs",
                    title_de="Bedarfe aller Gruppen nach Dringlichkeitspunkten",
                    title_en="Needs of all groups by urgency score",
                    bars=bars_from_column(ranked, "need_label", "score"),
                )
            )
    return charts


def shareable(tables: Sequence[ReportTable]) -> list[ReportTable]:
    """The tables that may leave the laptop (aggregates with small cells suppressed)."""
    return [t for t in tables if t.leaves_laptop]


def export_tables(info: ReportInfo, tables: Sequence[ReportTable]) -> list[ReportTable]:
    """What a CSV or XLSX file holds: the report's details first, then what may leave."""
    return [info_table(info), *shareable(tables)]
