"""The Reports page's table models: columns over the rows of ``report_rows``.

The indicator table adds one thing to the shared row model: a warning icon (and words for
screen readers) on a definition whose wording is not yet verified against the regulation.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QStyle

from kisi_desktop.core.i18n import N_, _, format_date, format_number

from kisi_desktop.ui.pages.reports.report_rows import (
    ELIGIBLE_HINT,
    UNVERIFIED_HINT,
    IndicatorRow,
)
from kisi_desktop.ui.tables.row_model import Column, RowRole, RowTableModel

DEFINITION_COLUMN = 1


def _definition_tip(row: IndicatorRow) -> str:
    return row.definition if row.verified else f"{row.definition}\n\n{_(UNVERIFIED_HINT)}"


def _rule_tip(row: IndicatorRow) -> str:
    parts = [row.rule, row.mapping]
    if row.counts_people:
        parts.append(_(ELIGIBLE_HINT))
    return "\n\n".join(p for p in parts if p)


INDICATOR_COLUMNS = [
    Column(N_("Indicator"), lambda r: r.id),
    Column(N_("Definition"), lambda r: r.definition, tooltip=_definition_tip),
    Column(N_("Count"), lambda r: format_number(r.count), sort=lambda r: r.count, numeric=True),
    Column(N_("How it is counted"), lambda r: r.rule, tooltip=_rule_tip),
]
BREAKDOWN_COLUMNS = [
    Column(N_("Breakdown"), lambda r: r.dimension if r.first else ""),
    Column(N_("Group"), lambda r: r.group, tooltip=lambda r: r.group),
    Column(N_("People"), lambda r: format_number(r.count), sort=lambda r: r.count, numeric=True),
]
PEOPLE_COLUMNS = [
    Column(N_("Name"), lambda r: r.name, tooltip=lambda r: r.name),
    Column(
        N_("First day"),
        lambda r: format_date(r.first_day) if r.first_day else "",
        sort=lambda r: r.first_day.isoformat() if r.first_day else "",
    ),
    Column(
        N_("Records"), lambda r: format_number(r.records), sort=lambda r: r.records, numeric=True
    ),
]
RECORD_COLUMNS = [
    Column(N_("Date"), lambda r: format_date(r.day), sort=lambda r: (r.day.isoformat(), r.id)),
    Column(N_("Record"), lambda r: r.kind_label),
    Column(N_("Person"), lambda r: r.people, tooltip=lambda r: r.people),
    Column(N_("Details"), lambda r: r.detail, tooltip=lambda r: r.detail),
]


class IndicatorTableModel(RowTableModel):
    """Indicator rows; unverified wording carries a warning icon and says so."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(INDICATOR_COLUMNS, parent)

    def cell(self, at: int, column_at: int, role: int) -> Any:
        if column_at == DEFINITION_COLUMN:
            row: IndicatorRow = super().cell(at, column_at, RowRole.ROW)
            if not row.verified:
                if role == Qt.ItemDataRole.DecorationRole:
                    style = QApplication.style()
                    return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                if role == Qt.ItemDataRole.AccessibleTextRole:
                    return _("{definition} (wording not verified)").format(
                        definition=row.definition
                    )
        return super().cell(at, column_at, role)

    def row_of(self, code: str) -> int:
        """The row of indicator ``code``, -1 if absent."""
        return self.row_index(code)


def breakdown_model(parent: QObject | None = None) -> RowTableModel:
    """The breakdowns of the selected indicator (``BreakdownRow``)."""
    return RowTableModel(BREAKDOWN_COLUMNS, parent)


def people_model(parent: QObject | None = None) -> RowTableModel:
    """The people counted (``PersonRow``)."""
    return RowTableModel(PEOPLE_COLUMNS, parent)


def record_model(parent: QObject | None = None) -> RowTableModel:
    """The records behind the figure (``RecordRow``)."""
    return RowTableModel(RECORD_COLUMNS, parent)
