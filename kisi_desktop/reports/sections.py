"""What a report holds: its sections (report tables), its charts and its cover details.

The one place that assembles a report from the vault, so that ``kisi report``, the GUI and
the bundles print and export the same sections in the same order. A new section is one more
line in :func:`report_sections` (and, if it has one, its chart in :func:`report_charts`);
the outputs (:mod:`.csv_export`, :mod:`.xlsx_export`, :mod:`.pdf_report`) need no change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Guide, Municipality
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import format_date
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.beside_bundles import BESIDE_BUNDLES_NOTE, held_beside_rows
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
from kisi_desktop.reports.indicators import (
    ADDS_UP,
    AT_LEAST,
    AT_MOST,
    IndicatorResult,
    compute,
)
from kisi_desktop.reports.kisi_figures import (
    SAME_PEOPLE_AS_EVENTS,
    figure_shapes,
    held_as_in_events,
    kisi_figures,
    people_sums,
    same_total,
)
from kisi_desktop.reports.labels import german, word
from kisi_desktop.reports.needs import (
    ALL_GROUPS,
    charted_rows,
    needs_shape,
    needs_summary,
    needs_table,
    respondent_sums,
    unranked_hidden,
)
from kisi_desktop.reports.periods import (
    PROJECT_END,
    PROJECT_START,
    Period,
    project_reach,
    project_year,
    project_year_of,
)
from kisi_desktop.reports.sent_bundles import NOTHING_SENT, SentFigures, is_hidden, sent_inside
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


SECTION_STEPS = 4
"""How many parts :func:`report_sections` counts one after the other (its ``progress``)."""


def report_sections(
    ws: Workspace,
    period: Period,
    *,
    suppress: bool = True,
    language: str = "de",
    on: date | None = None,
    indicators: bool = True,
    progress: Callable[[int, int], None] | None = None,
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
        progress: ``progress(done, SECTION_STEPS)`` after each part counted (a year of
            records takes seconds), for the command line's progress line.
    """

    def counted(done: int) -> None:
        if progress is not None:
            progress(done, SECTION_STEPS)

    counted(0)
    ref = ws.ref
    results = counted_once(ws, period) if indicators else []
    counted(1)
    # Bundles sent for part of the period: what they held back, the report holds back too.
    sent = sent_inside(ws, period) if suppress else NOTHING_SENT
    budget = budget_overview(ws, on or today(ws.clock), ref)
    counted(2)
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
    counted(3)
    tables += kisi_figures(ws, period, language)
    counted(SECTION_STEPS)
    return held_beside_bundles(tables, sent)


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


ROW_NAMED_BY: Mapping[str, tuple[str, ...]] = {
    "needs": ("need", "group"),
    "referrals_by_partner": ("partner",),
    "volunteers": (),
}
"""The cells that tell which row of a section is which, in a report and in a bundle (by
default its ``code``): rows of the bundles and the report line up by them."""

ACROSS_PERIODS: Mapping[str, Mapping[str, str]] = {
    "volunteer_deployments_by_kind": {"volunteers": AT_LEAST},
    "volunteers": {"active": AT_LEAST},
}
"""Counts of people that do not add up over periods: a volunteer counts in each period
they were active, so the periods' figures add up to at least the report's. Every other
count is per day (contacts, events, needs named) or of people first counted then."""


def held_beside_bundles(tables: Sequence[ReportTable], sent: SentFigures) -> list[ReportTable]:
    """The sections that leave the laptop held back beside the bundles ``sent`` inside the
    report's period (:mod:`.beside_bundles`): the same section of each bundle lines up
    row by row above the report's, by :data:`ROW_NAMED_BY`. A section whose cells two
    sections show alike (the contacts' total, a network meeting's staff) is held back in
    both, as it always is."""
    if not sent.report:
        return list(tables)
    held = [_held_beside(t, sent) if t.leaves_laptop else t for t in tables]
    contacts = [t for t in held if t.key.startswith("contacts_by_")]
    same = {t.key: t for t in same_total(contacts, "family_members")}
    held = [same.get(t.key, t) for t in held]
    events = next((t for t in held if t.key == "events_by_type"), None)
    if events is not None:
        held = [
            held_as_in_events(t, events) if t.key == "administration_network" else t for t in held
        ]
    return held


def _held_beside(table: ReportTable, sent: SentFigures) -> ReportTable:
    """One section beside the same section of each bundle: its counts of people (those
    its sums add up, and any a bundle held back), and what goes with them."""
    bundles = [[r for r in rows if r.get("table") == table.key] for rows in sent.report]
    rows = [dict(r) for r in table.rows]
    own = {c for line in report_sums(table.key, rows) for _n, c in (*line.parts, line.total)}
    counts = {c.key for c in table.columns if c.kind is Kind.COUNT}
    marked = {c for b in bundles for r in b for c in counts if is_hidden(r.get(c, 0))}
    columns = (
        (own | HELD_ALONE.get(table.key, frozenset()) | marked)
        - set(HELD_WITH.get(table.key, {}))
        - set(UNRANKED_WITH.get(table.key, {}))
    )
    if not columns:
        return table
    whole = sent.whole
    overrides = ACROSS_PERIODS.get(table.key, {})
    across = {
        c: overrides.get(c, ADDS_UP) if whole else AT_MOST
        for c in columns
        if whole or c not in overrides
    }
    named = ROW_NAMED_BY.get(table.key, ("code",))
    shown = held_beside_rows(
        bundles,
        rows,
        columns=sorted(columns),
        sums=lambda some: report_sums(table.key, some),
        across=across,
        same=lambda row: tuple(row.get(k) for k in named),
    )
    if shown == rows:
        return table
    for row in shown:
        for column, beside in HELD_WITH.get(table.key, {}).items():
            if not isinstance(row.get(beside), int):
                row[column] = row[beside]
    if table.key == "needs":
        shown = unranked_hidden(shown)
    return replace(
        table,
        rows=tuple(shown),
        notes_de=(*table.notes_de, german(BESIDE_BUNDLES_NOTE)),
        notes_en=(*table.notes_en, BESIDE_BUNDLES_NOTE),
    )


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
