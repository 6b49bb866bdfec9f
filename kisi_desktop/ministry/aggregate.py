"""The ministry's figures: every municipality's imported bundles, per municipality and together.

What is added up, and how:

* **AMIF indicators** (``data/indicators.jsonl``): each bundle counts only the people that
  municipality's vault had not reported before (``reports.indicators.compute(already=...)``),
  so the bundles of a period add up to the people first supported in it, each counted once
  for the project. O.2.2 counts municipalities, not people: per municipality the largest
  value of its bundles, together the sum of those.
* **Report tables** (``data/report.jsonl``): counts, hours and amounts are summed over the
  bundles and municipalities, row by row (rows match by their code). Titles, headings and
  what each column holds come from the report sections themselves
  (``reports.sections.shared_shapes``), and a column the app writes in German and English
  shows once, in the figures' language; a table or column this version does not know (a
  newer app's) shows under its key, its kind told by its values. The budget plan is a
  state, not a flow: each municipality's newest bundle in the period gives it, and the
  percentage used is worked out again from the sums. Ranks are left out (a sum of ranks
  means nothing); budget warnings are listed per municipality, not added up.
* **Small cells** are unknown, not zero: a municipality sent ``<5`` (``null``) for any
  count of 1 to 4 people. Every summed count therefore says how many of its cells were
  ``<5``; for indicators the table also gives the range the true figure lies in
  (``at least`` = known sum + 1 per unknown cell, ``at most`` = known sum + 4 per cell).
* **Held-back cells** (``"withheld"``, shown "x"; bundles of indicator schema 2) are any
  whole number from 0: a municipality held one back beside a small cell so that the small
  one cannot be worked out from the count. They add nothing to ``at least`` and leave
  ``at most`` open ("x"); the tables count them apart from the ``<5`` cells.

A bundle is counted for a period when its own period lies wholly inside it; bundles that
reach over the period's edges are named in the notes and left out, since their figures
cannot be split by day.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import N_, _, ngettext

from kisi_desktop.bundles.manifest import INDICATORS, PARTICIPATION, REPORT, WITHHELD_MARK
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.plausibility import BREAKDOWNS
from kisi_desktop.reports.indicators import WITHHELD, WITHHELD_TEXT, Withheld
from kisi_desktop.reports.labels import german, word
from kisi_desktop.reports.periods import Period, whole_project
from kisi_desktop.reports.sections import shared_shapes
from kisi_desktop.reports.tables import (
    Column,
    Kind,
    ReportTable,
    TableShape,
    translated_column,
    translated_shape,
    translated_table,
)

ALL = "*"
"""The AGS column's value for the rows that add up every municipality."""

SMALL_MAX = 4
"""A ``<5`` cell holds at most this many people."""

STATE_TABLES = frozenset({"budget_plan", "budget_warnings"})
"""Report tables that describe a state (taken from the newest bundle), not a period's work."""

NOT_SUMMED = frozenset({"rank", "percent"})

ADDED_UP: Mapping[Kind, str] = {
    Kind.COUNT: "count",
    Kind.MONEY: "amount",
    Kind.HOURS: "amount",
    Kind.PERCENT: "amount",
}
"""How a column of a known kind is added up; any other kind is ``text``."""

ROW_KEYS: Mapping[str, tuple[str, ...]] = {
    "budget_plan": ("category_en", "year", "mode_en"),
    "needs": ("group", "need"),
    "referrals_by_partner": ("partner",),
    "volunteers": (),
}
"""Columns that say which row is which; tables not listed here match rows by ``code``."""

_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,6})?")
_PAIR = re.compile(r"(.+)_(de|en)")

UNKNOWN_NOTE = N_(
    "Cells a municipality sent as <5 (1 to 4 people) are unknown, not zero: 'Counted' adds "
    "up the known cells only, 'Cells <5' says how many were unknown, and the true figure "
    "lies between 'At least' and 'At most'."
)
WITHHELD_NOTE = N_(
    "x: cells a municipality held back so that a figure below 5 beside them cannot be "
    "worked out from the total. Each can be any number from 0: 'Cells x' says how many "
    "there were, 'At least' counts them as 0, and 'At most' is open (x)."
)

REPORT_WITHHELD_NOTE = N_(
    "x: cells a municipality held back so that a figure below 5 beside them cannot be "
    "worked out from the total. Each can be any number from 0: the column's 'cells x' says "
    "how many there were, and the figure shown adds them as 0, so the true one may be "
    "larger."
)


# -- summed counts ---------------------------------------------------------------------------


@dataclass
class Count:
    """A sum of count cells some of which were ``<5`` (unknown, 1 to 4 each) or held back
    (unknown, from 0, no upper bound)."""

    counted: int = 0
    unknown: int = 0
    withheld: int = 0

    def add(self, value: int | Withheld | None) -> None:
        """Add one cell (None: a suppressed cell; :data:`WITHHELD`: a held-back one)."""
        if isinstance(value, Withheld):
            self.withheld += 1
        elif value is None:
            self.unknown += 1
        else:
            self.counted += value

    def merge(self, other: Count) -> None:
        """Add another sum."""
        self.counted += other.counted
        self.unknown += other.unknown
        self.withheld += other.withheld

    @property
    def at_least(self) -> int:
        """The smallest the true figure can be (a held-back cell may be 0)."""
        return self.counted + self.unknown

    @property
    def at_most(self) -> int | None:
        """The largest the true figure can be; None when a held-back cell leaves it open."""
        if self.withheld:
            return None
        return self.counted + SMALL_MAX * self.unknown

    @property
    def exact(self) -> bool:
        """Whether every cell was known."""
        return self.unknown == 0 and self.withheld == 0

    def as_json(self) -> dict[str, Any]:
        """``counted``, ``cells_under_5``, ``cells_withheld``, ``at_least``, ``at_most``
        (null: open), ``exact``."""
        return {
            "counted": self.counted,
            "cells_under_5": self.unknown,
            "cells_withheld": self.withheld,
            "at_least": self.at_least,
            "at_most": self.at_most,
            "exact": self.exact,
        }

    def text(self) -> str:
        """``123``, ``123 + 2×<5 (125–131)`` when cells were small, ``123 + 2×<5 + 1×x
        (125 or more)`` when one was held back."""
        if self.exact:
            return str(self.counted)
        parts = [str(self.counted)]
        if self.unknown:
            parts.append(f"{self.unknown}×<5")
        if self.withheld:
            parts.append(f"{self.withheld}×x")
            return " + ".join(parts) + f" (≥{self.at_least})"
        return " + ".join(parts) + f" ({self.at_least}–{self.at_most})"


def cell(value: Any) -> int | Withheld | None:
    """A count cell of a stored row: a whole number, :data:`WITHHELD` for the held-back
    mark, None for ``<5`` (and for anything else, which the intake let through only as
    text: nothing a sum could use)."""
    if value == WITHHELD_MARK:
        return WITHHELD
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


# -- what went in ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BundleRef:
    """An imported bundle as the figures use it."""

    id: int
    ags: str
    device_id: str
    epoch: int
    seq: int
    period_start: date
    period_end: date
    received_at: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which bundles of a municipality went into the figures, and which days they cover."""

    ags: str
    name: str
    bundles: int
    devices: int
    first_day: date | None
    last_day: date | None
    days_covered: int
    left_out: int
    """Bundles that reach over the period's edges and were left out."""
    overlapping: bool
    """Whether two bundles of one device cover the same day (report tables count it twice)."""


@dataclass(frozen=True, slots=True)
class Figures:
    """The ministry's figures for one period: coverage, indicators, report tables, notes."""

    period: Period
    language: str
    coverage: tuple[Coverage, ...]
    indicators: Mapping[str, Mapping[str, Count]]
    """Scope (AGS or :data:`ALL`) -> indicator code -> total."""
    breakdowns: Mapping[str, Mapping[tuple[str, str, str], Count]]
    """Scope -> (indicator, dimension, category) -> count."""
    labels: Mapping[str, tuple[str, str]]
    """Indicator code -> (German, English) label."""
    tables: tuple[ReportTable, ...]
    notes: tuple[str, ...] = field(default=())


def _bundles(ministry: Ministry) -> list[BundleRef]:
    rows = ministry.store.all(
        "SELECT id, ags, device_id, epoch, seq, period_start, period_end, received_at "
        "FROM bundles WHERE status = 'imported' ORDER BY ags, period_end, device_id, epoch, seq"
    )
    return [
        BundleRef(
            id=int(r["id"]),
            ags=str(r["ags"]),
            device_id=str(r["device_id"]),
            epoch=int(r["epoch"]),
            seq=int(r["seq"]),
            period_start=date.fromisoformat(r["period_start"]),
            period_end=date.fromisoformat(r["period_end"]),
            received_at=str(r["received_at"]),
        )
        for r in rows
    ]


def _rows(ministry: Ministry, bundle_ids: Sequence[int], file: str) -> dict[int, list[str]]:
    """The JSON text of each line of ``file`` per bundle (parsed by the caller)."""
    out: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(bundle_ids), 500):
        chunk = bundle_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in ministry.store.all(
            f"SELECT bundle_id, row FROM data_rows WHERE file = ? AND bundle_id IN ({marks}) "  # noqa: S608 - placeholders only
            "ORDER BY bundle_id, line",
            (file, *chunk),
        ):
            out[int(row["bundle_id"])].append(str(row["row"]))
    return out


def _parsed(texts: Iterable[str]) -> list[dict[str, Any]]:
    return [json.loads(t) for t in texts]


def _days(bundles: Iterable[BundleRef]) -> tuple[int, bool]:
    """Days covered by the bundles, and whether bundles of one device overlap."""
    covered: set[date] = set()
    overlap = False
    by_device: dict[tuple[str, int], list[BundleRef]] = defaultdict(list)
    for b in bundles:
        by_device[(b.device_id, b.epoch)].append(b)
    for items in by_device.values():
        items.sort(key=lambda b: b.period_start)
        for before, after in pairwise(items):
            if after.period_start <= before.period_end:
                overlap = True
    for b in bundles:
        day = b.period_start
        while day <= b.period_end:
            covered.add(day)
            day += timedelta(days=1)
    return len(covered), overlap


# -- indicators -------------------------------------------------------------------------------


def _indicators(
    rows_by_bundle: Mapping[int, list[dict[str, Any]]],
    bundles: Sequence[BundleRef],
    people_codes: frozenset[str] | None,
) -> tuple[
    dict[str, dict[str, Count]],
    dict[str, dict[tuple[str, str, str], Count]],
    dict[str, tuple[str, str]],
]:
    totals: dict[str, dict[str, Count]] = defaultdict(lambda: defaultdict(Count))
    parts: dict[str, dict[tuple[str, str, str], Count]] = defaultdict(lambda: defaultdict(Count))
    labels: dict[str, tuple[str, str]] = {}
    maxima: dict[str, dict[str, int]] = defaultdict(dict)
    for b in bundles:
        for row in rows_by_bundle.get(b.id, ()):
            code = str(row.get("indicator"))
            labels.setdefault(
                code, (str(row.get("label_de", code)), str(row.get("label_en", code)))
            )
            count = row.get("count")
            if people_codes is not None and code not in people_codes:
                # Not people (O.2.2, municipalities): the largest figure, never a sum.
                if isinstance(count, int):
                    maxima[b.ags][code] = max(maxima[b.ags].get(code, 0), count)
                continue
            totals[b.ags][code].add(count if isinstance(count, int) else None)
            for key, value in row.items():
                if key.startswith(BREAKDOWNS):
                    dimension, _dot, category = key.partition(".")
                    parts[b.ags][(code, dimension, category)].add(cell(value))
    for ags, codes in maxima.items():
        for code, value in codes.items():
            totals[ags][code].add(value)
    everyone_totals: dict[str, Count] = defaultdict(Count)
    everyone_parts: dict[tuple[str, str, str], Count] = defaultdict(Count)
    for ags in list(totals):
        for code, count in totals[ags].items():
            everyone_totals[code].merge(count)
        for part, count in parts[ags].items():
            everyone_parts[part].merge(count)
    totals[ALL] = everyone_totals
    parts[ALL] = everyone_parts
    return totals, parts, labels


def _people_codes(ref: ReferenceData) -> frozenset[str]:
    """Indicator codes that count people."""
    return frozenset(
        code
        for code, entry in ref.enum("indicators").items()
        if entry.extra.get("basis") in ("unique_eligible_participants", "outcome")
    )


# -- report tables ------------------------------------------------------------------------------


def _number(value: Any) -> Decimal | None:
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return None


def _column_kinds(
    rows: Sequence[Mapping[str, Any]], table: str, shape: TableShape | None
) -> dict[str, str]:
    """Per column: ``count`` (whole numbers, None = <5), ``amount`` (decimal text) or ``text``.

    The section's own columns come first, in its order, with the kind it gives them; a
    column it does not know (a newer app's) follows, its kind told by its values.
    """
    present = dict.fromkeys(key for row in rows for key in row if key != "table")
    known = {c.key: c.kind for c in shape.columns} if shape is not None else {}
    kinds = {key: ADDED_UP.get(kind, "text") for key, kind in known.items() if key in present}
    for key in present:
        if key in kinds:
            continue
        values = [row.get(key) for row in rows if row.get(key) not in (None, WITHHELD_MARK)]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            kinds[key] = "count"
        elif (
            values
            and all(_number(v) is not None for v in values)
            and key not in ROW_KEYS.get(table, ())
        ):
            kinds[key] = "amount"
        else:
            kinds[key] = "text"
    return kinds


def _row_key(table: str, row: Mapping[str, Any], kinds: Mapping[str, str]) -> tuple[Any, ...]:
    keys = ROW_KEYS.get(table)
    if keys is None:
        keys = ("code",) if "code" in kinds else tuple(k for k, v in kinds.items() if v == "text")
    return tuple(row.get(k) for k in keys)


@dataclass
class _Merged:
    text: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    amounts: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def _merge_rows(
    rows: Sequence[Mapping[str, Any]], table: str, kinds: Mapping[str, str]
) -> dict[tuple[Any, ...], _Merged]:
    merged: dict[tuple[Any, ...], _Merged] = {}
    for row in rows:
        target = merged.setdefault(_row_key(table, row, kinds), _Merged())
        for key, kind in kinds.items():
            value = row.get(key)
            if key in NOT_SUMMED:
                continue
            if kind == "count":
                if key in row:
                    target.counts[key].add(cell(value))
            elif kind == "amount":
                number = _number(value)
                if number is not None:
                    target.amounts[key] += number
            elif key not in target.text:
                target.text[key] = value
            elif target.text[key] != value:
                target.text[key] = None  # the municipalities word it differently
    return merged


def _report_tables(
    rows_by_bundle: Mapping[int, list[dict[str, Any]]],
    bundles: Sequence[BundleRef],
    names: Mapping[str, str],
    language: str,
    shapes: Mapping[str, TableShape],
) -> list[ReportTable]:
    by_table: dict[str, list[tuple[BundleRef, dict[str, Any]]]] = defaultdict(list)
    newest: dict[str, BundleRef] = {}
    for b in bundles:
        current = newest.get(b.ags)
        if current is None or (b.period_end, b.received_at) > (
            current.period_end,
            current.received_at,
        ):
            newest[b.ags] = b
    for b in bundles:
        for row in rows_by_bundle.get(b.id, ()):
            table = str(row.get("table"))
            if table in STATE_TABLES and newest.get(b.ags) is not b:
                continue
            by_table[table].append((b, row))
    order = list(shapes)
    tables = []
    for table in sorted(by_table, key=lambda t: (order.index(t) if t in order else len(order), t)):
        items = by_table[table]
        shape = shapes.get(table)
        kinds = _column_kinds([row for _b, row in items], table, shape)
        scopes: list[tuple[str, list[Mapping[str, Any]]]] = []
        if table != "budget_warnings":
            scopes.append((ALL, [row for _b, row in items]))
        for ags in sorted({b.ags for b, _row in items}):
            scopes.append((ags, [row for b, row in items if b.ags == ags]))
        tables.append(_report_table(table, shape, kinds, scopes, names, language))
    return tables


def _columns(shape: TableShape | None, kinds: Mapping[str, str], language: str) -> list[Column]:
    """The columns to show, headed and typed as the section does.

    Of a ``_de``/``_en`` pair only the figures' language shows, headed in each language as
    the section heads that language's column; a key the section does not know is its own
    heading, its kind told by how it is added up.
    """
    known = {c.key: c for c in shape.columns} if shape is not None else {}

    def column(key: str) -> Column:
        return known.get(key) or Column(key, key, key, _guessed_kind(kinds[key], key))

    columns = []
    for key in kinds:
        pair = _PAIR.fullmatch(key)
        if pair is None or not {f"{pair[1]}_de", f"{pair[1]}_en"} <= kinds.keys():
            columns.append(column(key))
        elif pair[2] == language:
            de, en = column(f"{pair[1]}_de"), column(f"{pair[1]}_en")
            columns.append(replace(column(key), de=de.de, en=en.en))
    return columns


def _guessed_kind(added_up: str, key: str) -> Kind:
    if added_up == "count":
        return Kind.COUNT
    if added_up == "amount":
        return Kind.HOURS if key == "hours" else Kind.PERCENT if key == "percent" else Kind.MONEY
    return Kind.TEXT


def _report_table(
    table: str,
    shape: TableShape | None,
    kinds: Mapping[str, str],
    scopes: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
    names: Mapping[str, str],
    language: str,
) -> ReportTable:
    merged_scopes = [(ags, _merge_rows(rows, table, kinds)) for ags, rows in scopes]
    unknown_columns = {
        key
        for _ags, merged in merged_scopes
        for m in merged.values()
        for key, count in m.counts.items()
        if not count.exact
    }
    withheld_columns = {
        key
        for _ags, merged in merged_scopes
        for m in merged.values()
        for key, count in m.counts.items()
        if count.withheld
    }
    under_5 = N_("cells <5")
    cells_x = N_("cells x")
    columns = [*_scope_columns()]
    for column in _columns(shape, kinds, language):
        key = column.key
        if key in NOT_SUMMED and not (key == "percent" and table == "budget_plan"):
            continue
        columns.append(column)
        if kinds[key] == "count" and key in unknown_columns:
            columns.append(
                Column(
                    f"{key}.cells_under_5",
                    f"{column.de}: {german(under_5)}",
                    f"{column.en}: {under_5}",
                    Kind.COUNT,
                )
            )
        if kinds[key] == "count" and key in withheld_columns:
            columns.append(
                Column(
                    f"{key}.cells_withheld",
                    f"{column.de}: {german(cells_x)}",
                    f"{column.en}: {cells_x}",
                    Kind.COUNT,
                )
            )
    rows = []
    for ags, merged in merged_scopes:
        for m in merged.values():
            row: dict[str, Any] = {
                "ags": ags,
                "municipality": _scope_name(ags, names, language),
                **m.text,
            }
            for key, count in m.counts.items():
                row[key] = count.counted
                if key in unknown_columns:
                    row[f"{key}.cells_under_5"] = count.unknown
                if key in withheld_columns:
                    row[f"{key}.cells_withheld"] = count.withheld
            row.update(m.amounts)
            if table == "budget_plan" and m.amounts.get("planned"):
                row["percent"] = (m.amounts["spent"] * 100 / m.amounts["planned"]).quantize(
                    Decimal("0.01")
                )
            rows.append(row)
    de, en = (shape.title_de, shape.title_en) if shape is not None else (table, table)
    notes = [UNKNOWN_NOTE] if unknown_columns else []
    if withheld_columns:
        notes.append(REPORT_WITHHELD_NOTE)
    if table in STATE_TABLES:
        notes.append(N_("A state, not a sum over time: each municipality's newest bundle."))
    return ReportTable(
        key=f"ministry_{table}",
        title_de=de,
        title_en=en,
        columns=tuple(columns),
        rows=tuple(rows),
        notes_de=tuple(german(n) for n in notes),
        notes_en=tuple(notes),
    )


def _scope_columns() -> tuple[Column, Column]:
    return (
        translated_column("ags", N_("AGS")),
        translated_column("municipality", N_("Municipality")),
    )


def _scope_name(ags: str, names: Mapping[str, str], language: str) -> str:
    if ags == ALL:
        return word(N_("all municipalities"), language)
    return names.get(ags, ags)


# -- the entry point -----------------------------------------------------------------------------


def figures(ministry: Ministry, period: Period | None = None, *, language: str = "de") -> Figures:
    """The figures of every imported bundle inside ``period`` (default: the whole project)."""
    period = period or whole_project()
    names = {m.ags: m.name for m in registry.municipalities(ministry)}
    every = _bundles(ministry)
    inside = [b for b in every if period.start <= b.period_start and b.period_end <= period.end]
    straddling = [
        b
        for b in every
        if b not in inside and b.period_start <= period.end and b.period_end >= period.start
    ]
    ids = [b.id for b in inside]
    indicator_rows = {k: _parsed(v) for k, v in _rows(ministry, ids, INDICATORS).items()}
    report_rows = {k: _parsed(v) for k, v in _rows(ministry, ids, REPORT).items()}
    ref = ReferenceData.load()
    totals, parts, labels = _indicators(indicator_rows, inside, _people_codes(ref))
    coverage = []
    for ags in sorted({*names, *(b.ags for b in every)}):
        mine = [b for b in inside if b.ags == ags]
        days, overlap = _days(mine)
        coverage.append(
            Coverage(
                ags=ags,
                name=names.get(ags, ags),
                bundles=len(mine),
                devices=len({(b.device_id, b.epoch) for b in mine}),
                first_day=min((b.period_start for b in mine), default=None),
                last_day=max((b.period_end for b in mine), default=None),
                days_covered=days,
                left_out=sum(1 for b in straddling if b.ags == ags),
                overlapping=overlap,
            )
        )
    notes = [_(UNKNOWN_NOTE)]
    if any(c.withheld for counts in parts.values() for c in counts.values()):
        notes.append(_(WITHHELD_NOTE))
    if straddling:
        notes.append(
            ngettext(
                "{count} bundle reaches over the edges of the period and is left out; "
                "choose a period that contains it whole.",
                "{count} bundles reach over the edges of the period and are left out; "
                "choose a period that contains them whole.",
                len(straddling),
            ).format(count=len(straddling))
        )
    overlapping = [c.ags for c in coverage if c.overlapping]
    if overlapping:
        notes.append(
            _(
                "Bundles of one device cover the same days in {towns}: the report tables "
                "count those days twice (the AMIF indicators do not)."
            ).format(towns=", ".join(overlapping))
        )
    participation = _participation(ministry, inside, names, language)
    tables = (
        coverage_table(coverage, period),
        indicator_table(totals, labels, names, language),
        breakdown_table(parts, labels, names, language),
        *([participation] if participation is not None else []),
        *_report_tables(report_rows, inside, names, language, shared_shapes(ref)),
    )
    return Figures(
        period=period,
        language=language,
        coverage=tuple(coverage),
        indicators={k: dict(v) for k, v in totals.items()},
        breakdowns={k: dict(v) for k, v in parts.items()},
        labels=labels,
        tables=tables,
        notes=tuple(notes),
    )


# -- tables for screen, CSV and XLSX -------------------------------------------------------------


def coverage_table(coverage: Sequence[Coverage], period: Period) -> ReportTable:
    """Which bundles of each municipality the figures rest on."""
    return ReportTable(
        key="ministry_coverage",
        title_de=german(N_("Bundles in the figures")),
        title_en=N_("Bundles in the figures"),
        columns=(
            *_scope_columns(),
            translated_column("bundles", N_("Bundles"), Kind.COUNT),
            translated_column("devices", N_("Devices"), Kind.COUNT),
            translated_column("first_day", N_("From"), Kind.DATE),
            translated_column("last_day", N_("Until"), Kind.DATE),
            translated_column("days_covered", N_("Days covered"), Kind.COUNT),
            translated_column("period_days", N_("Days in the period"), Kind.COUNT),
            translated_column(
                "left_out", N_("Bundles left out (over the period's edge)"), Kind.COUNT
            ),
        ),
        rows=tuple(
            {
                "ags": c.ags,
                "municipality": c.name,
                "bundles": c.bundles,
                "devices": c.devices,
                "first_day": c.first_day,
                "last_day": c.last_day,
                "days_covered": c.days_covered,
                "period_days": period.days,
                "left_out": c.left_out,
            }
            for c in coverage
        ),
    )


def _counts_table(
    key: str, title: str, columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]
) -> ReportTable:
    """Summed counts by scope, with the range each true figure lies in and why.

    The held-back cells get their column, and their note, only where a municipality sent
    some: bundles of older apps (and most of today's) have none.
    """
    withheld = any(row["cells_withheld"] for row in rows)
    counts = (
        translated_column("counted", N_("Counted"), Kind.COUNT),
        translated_column("cells_under_5", N_("Cells <5"), Kind.COUNT),
        *((translated_column("cells_withheld", N_("Cells x"), Kind.COUNT),) if withheld else ()),
        translated_column("at_least", N_("At least"), Kind.COUNT),
        translated_column("at_most", N_("At most"), Kind.COUNT),
    )
    shape = translated_shape(key, title, (*_scope_columns(), *columns, *counts))
    return translated_table(shape, rows, [UNKNOWN_NOTE, *([WITHHELD_NOTE] if withheld else [])])


def _count_cells(count: Count) -> dict[str, int | Withheld]:
    return {
        "counted": count.counted,
        "cells_under_5": count.unknown,
        "cells_withheld": count.withheld,
        "at_least": count.at_least,
        # (None would read "<5" in a count column: an open bound is the held-back mark.)
        "at_most": WITHHELD if count.at_most is None else count.at_most,
    }


def _scopes(data: Mapping[str, Any]) -> list[str]:
    return [ALL, *sorted(k for k in data if k != ALL)]


def indicator_table(
    totals: Mapping[str, Mapping[str, Count]],
    labels: Mapping[str, tuple[str, str]],
    names: Mapping[str, str],
    language: str,
) -> ReportTable:
    """AMIF indicators: all municipalities together first, then each one."""
    order = list(labels)
    rows = []
    for ags in _scopes(totals):
        for code in sorted(
            totals.get(ags, {}), key=lambda c: (order.index(c) if c in order else 99, c)
        ):
            count = totals[ags][code]
            de, en = labels.get(code, (code, code))
            rows.append(
                {
                    "ags": ags,
                    "municipality": _scope_name(ags, names, language),
                    "indicator": code,
                    "label": de if language == "de" else en,
                    **_count_cells(count),
                }
            )
    return _counts_table(
        "ministry_indicators",
        N_("AMIF indicators"),
        (translated_column("indicator", N_("Indicator")), translated_column("label", N_("Name"))),
        rows,
    )


def breakdown_table(
    parts: Mapping[str, Mapping[tuple[str, str, str], Count]],
    labels: Mapping[str, tuple[str, str]],
    names: Mapping[str, str],
    language: str,
) -> ReportTable:
    """The indicators by gender, age group and nationality group."""
    order = list(labels)
    rows = []
    for ags in _scopes(parts):
        cells = parts.get(ags, {})
        for code, dimension, category in sorted(
            cells, key=lambda k: (order.index(k[0]) if k[0] in order else 99, k)
        ):
            rows.append(
                {
                    "ags": ags,
                    "municipality": _scope_name(ags, names, language),
                    "indicator": code,
                    "dimension": dimension,
                    "category": category,
                    **_count_cells(cells[(code, dimension, category)]),
                }
            )
    return _counts_table(
        "ministry_indicator_breakdowns",
        N_("AMIF indicator breakdowns"),
        (
            translated_column("indicator", N_("Indicator")),
            translated_column("dimension", N_("Breakdown")),
            translated_column("category", N_("Category")),
        ),
        rows,
    )


def _participation(
    ministry: Ministry, bundles: Sequence[BundleRef], names: Mapping[str, str], language: str
) -> ReportTable | None:
    """Distinct participants by pseudonym, where bundles carried participation rows.

    A pseudonym is the same for a person on every device of a municipality (its key is the
    municipality's), so this counts people once per municipality across devices and bundles.
    """
    by_bundle = _rows(ministry, [b.id for b in bundles], PARTICIPATION)
    if not by_bundle:
        return None
    seen: dict[str, set[str]] = defaultdict(set)
    for b in bundles:
        for row in _parsed(by_bundle.get(b.id, ())):
            seen[b.ags].add(str(row.get("pseudonym")))
    rows = [
        {
            "ags": ALL,
            "municipality": _scope_name(ALL, names, language),
            "people": sum(len(p) for p in seen.values()),
        },
        *(
            {"ags": ags, "municipality": _scope_name(ags, names, language), "people": len(p)}
            for ags, p in sorted(seen.items())
        ),
    ]
    title = N_("Participants by pseudonym")
    return ReportTable(
        key="ministry_participation",
        title_de=german(title),
        title_en=title,
        columns=(
            *_scope_columns(),
            translated_column("people", N_("People (distinct pseudonyms)"), Kind.COUNT),
        ),
        rows=tuple(rows),
        leaves_laptop=True,
    )


def figures_json(result: Figures) -> dict[str, Any]:
    """The figures as JSON: indicators with their ranges, every table's rows, the notes."""

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return format(value, "f")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Withheld):
            return WITHHELD_TEXT  # (an open "at most", as the tables print it)
        return value

    return {
        "period": {
            "key": result.period.key,
            "from": result.period.start.isoformat(),
            "to": result.period.end.isoformat(),
        },
        "coverage": [
            {
                "ags": c.ags,
                "municipality": c.name,
                "bundles": c.bundles,
                "devices": c.devices,
                "from": plain(c.first_day),
                "to": plain(c.last_day),
                "days_covered": c.days_covered,
                "left_out": c.left_out,
                "overlapping": c.overlapping,
            }
            for c in result.coverage
        ],
        "indicators": {
            scope: {code: count.as_json() for code, count in codes.items()}
            for scope, codes in result.indicators.items()
        },
        "tables": [
            {
                "key": t.key,
                "title_de": t.title_de,
                "title_en": t.title_en,
                "columns": [
                    {"key": c.key, "de": c.de, "en": c.en, "kind": c.kind.value} for c in t.columns
                ],
                "rows": [{k: plain(v) for k, v in r.items()} for r in t.rows],
            }
            for t in result.tables
        ],
        "notes": list(result.notes),
    }
