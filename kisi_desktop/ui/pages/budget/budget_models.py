"""The Budget page's table models: the plan, the warnings and the late travel claims.

The plan and warning rows are coloured by their level, amber from 80 % of a limit and red
above it, with the level also in words in a column of its own (colour alone says nothing
to a screen reader or to someone who cannot tell amber from red). Totals are bold.
Amounts are formatted when shown, in the UI language (``290.657,90 €`` in German).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont

from kisi_desktop.core.i18n import N_, _, format_date, ui_language

from kisi_desktop.reports.budget import Level
from kisi_desktop.reports.budget_tables import level_label
from kisi_desktop.reports.money import format_eur, format_percent

from kisi_desktop.ui.pages.budget.budget_rows import PlanRow
from kisi_desktop.ui.tables.row_model import Column, RowRole, RowTableModel

WARN_BACKGROUND = QColor("#fff0c2")
OVER_BACKGROUND = QColor("#f8d3d8")
LEVEL_INK = QColor("#1a1a1a")
"""Text on a coloured row: dark on the light fill whatever the palette (dark themes too)."""
BACKGROUNDS: dict[str, QColor] = {
    "warn": WARN_BACKGROUND,
    "over": OVER_BACKGROUND,
    "check": WARN_BACKGROUND,
}


def eur(value: Decimal) -> str:
    """An amount in the UI language."""
    return format_eur(value, ui_language())


def percent(value: Decimal | None) -> str:
    """A percentage in the UI language; a dash when nothing was planned."""
    return "–" if value is None else format_percent(value, ui_language())


def _status(row: PlanRow) -> str:
    if row.level is None:
        return ""
    if row.percent is None:
        return _("spent without a plan")
    return level_label(row.level, ui_language())


def _money(header: str, value: Any) -> Column:
    return Column(header, lambda r: eur(value(r)), sort=value, numeric=True)


PLAN_COLUMNS = [
    Column(N_("Category"), lambda r: r.category_label, tooltip=lambda r: r.category_label),
    Column(N_("Project year"), lambda r: r.year_label),
    Column(N_("Funding"), lambda r: r.funding, tooltip=lambda r: r.funding),
    _money(N_("Planned"), lambda r: r.planned),
    _money(N_("Spent"), lambda r: r.spent),
    _money(N_("Remaining"), lambda r: r.remaining),
    Column(
        N_("Used"),
        lambda r: percent(r.percent),
        sort=lambda r: r.percent if r.percent is not None else Decimal(-1),
        numeric=True,
    ),
    Column(N_("Status"), _status),
]
WARNING_COLUMNS = [
    Column(N_("Level"), lambda r: r.level_text),
    Column(N_("Warning"), lambda r: r.message, tooltip=lambda r: r.message),
]
CLAIM_COLUMNS = [
    Column(N_("Trip on"), lambda r: format_date(r.travelled_on), sort=lambda r: r.travelled_on),
    Column(N_("Route"), lambda r: r.route, tooltip=lambda r: r.route),
    _money(N_("Amount"), lambda r: r.amount),
    Column(N_("Deadline"), lambda r: format_date(r.deadline), sort=lambda r: r.deadline),
    Column(
        N_("Claimed on"),
        lambda r: format_date(r.submitted_on) if r.submitted_on else _("not yet"),
        sort=lambda r: r.submitted_on.isoformat() if r.submitted_on else "",
    ),
]


class LevelTableModel(RowTableModel):
    """Rows with a ``level`` (None, "warn", "over") get its background; totals are bold."""

    def cell(self, at: int, column_at: int, role: int) -> Any:
        if role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
        ):
            row = super().cell(at, column_at, RowRole.ROW)
            level: Level | None = row.level
            if role == Qt.ItemDataRole.BackgroundRole:
                return BACKGROUNDS.get(level) if level is not None else None
            if role == Qt.ItemDataRole.ForegroundRole:
                return LEVEL_INK if level is not None else None
            if getattr(row, "is_total", False):
                font = QFont()
                font.setBold(True)
                return font
            return None
        return super().cell(at, column_at, role)


def plan_model(parent: QObject | None = None) -> LevelTableModel:
    """Planned vs spent per category and project year (:class:`PlanRow`)."""
    return LevelTableModel(PLAN_COLUMNS, parent)


def warning_model(parent: QObject | None = None) -> LevelTableModel:
    """The warnings as sentences (:class:`WarningRow`)."""
    return LevelTableModel(WARNING_COLUMNS, parent)


def claim_model(parent: QObject | None = None) -> RowTableModel:
    """The late travel claims (:class:`ClaimRow`)."""
    return RowTableModel(CLAIM_COLUMNS, parent)
