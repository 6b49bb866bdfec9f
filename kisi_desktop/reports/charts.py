"""Bar charts for the printed report: a (label, value) series, drawn by :mod:`chart_drawing`.

ReportLab's own chart widgets, not a plotting library: the app already ships ReportLab, and
issue 5 asks for charts "without pulling a large extra dependency into the app". A chart is
data first (:class:`BarChart`, built from a :class:`ReportTable` row or column, so any section
can offer one) and becomes a drawing only in :mod:`kisi_desktop.reports.chart_drawing`: the
Reports page needs the data, and ReportLab's graphics take 80 ms to import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kisi_desktop.reports.indicators import Withheld
from kisi_desktop.reports.tables import Kind, ReportTable

NUMERIC = (Kind.COUNT, Kind.MONEY, Kind.PERCENT, Kind.HOURS)
"""Column kinds a bar can show."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label in German and English, and its value (None: suppressed, "<5")."""

    label_de: str
    label_en: str
    value: int | Decimal | Withheld | None

    def label(self, language: str) -> str:
        """The label in ``language`` (German for ``de``, else English)."""
        return self.label_de if language == "de" else self.label_en


@dataclass(frozen=True, slots=True)
class BarChart:
    """A titled series of bars of one kind (counts, money, hours or percentages)."""

    key: str
    title_de: str
    title_en: str
    bars: Sequence[Bar]
    kind: Kind = Kind.COUNT

    def title(self, language: str) -> str:
        """The title in ``language``."""
        return self.title_de if language == "de" else self.title_en


def bars_from_row(
    table: ReportTable, row: Mapping[str, Any], keys: Sequence[str] | None = None
) -> list[Bar]:
    """One bar per column of ``row``, labelled with the column headings.

    Args:
        table: the table the row belongs to (its columns give labels and kinds).
        row: one of the table's rows, e.g. an indicator's breakdown by gender.
        keys: the columns to draw, in order; default every numeric column.
    """
    wanted = list(keys) if keys is not None else [c.key for c in table.columns if c.kind in NUMERIC]
    by_key = {c.key: c for c in table.columns}
    return [Bar(by_key[k].de, by_key[k].en, row.get(k)) for k in wanted]


def bars_from_column(table: ReportTable, label_key: str, value_key: str) -> list[Bar]:
    """One bar per row: the label from ``label_key``, the value from ``value_key``.

    Rows hold one text per cell; when the table also has ``<label_key>_de`` and
    ``<label_key>_en`` columns (a label in both languages), those are used instead.
    """
    bars = []
    for row in table.rows:
        plain = str(row.get(label_key, ""))
        bars.append(
            Bar(
                str(row.get(f"{label_key}_de", plain)),
                str(row.get(f"{label_key}_en", plain)),
                row.get(value_key),
            )
        )
    return bars
