"""The "Plan…" dialog: the planned amount of one budget category in one project year.

The grant decision fixes one amount per category and project year, so there is one
:class:`BudgetPlan` per category-year: saving a plan for a category-year that has one
already updates that plan (the same rule as ``kisi budget plan``), and any duplicates left
by an older import go. The generic record form does the editing, validation and sealed
drafts; this module adds the rule, a line saying which plan will be replaced, and switches
the flat-rate percentage on only for the flat-rate funding mode.
"""

from __future__ import annotations

import dataclasses
from typing import cast

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox

from kisi_desktop.core.domain import BudgetPlan, Record
from kisi_desktop.core.i18n import _, ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.money import format_eur

from kisi_desktop.ui.forms.record_dialog import RecordDialog

PLAN_FORM = "budget_plan_form"
PLAN_FIELDS = (
    "category",
    "project_year",
    "planned",
    "funding_mode",
    "flat_rate_percent",
    "flat_rate_base",
    "note",
)
FLAT_RATE = "flat_rate"


def plans_for(
    workspace: Workspace, category: str, year: int, *, besides: str | None = None
) -> list[BudgetPlan]:
    """The plans of ``category`` in project ``year`` (oldest id first), except ``besides``."""
    return sorted(
        (
            plan
            for plan in workspace.list(BudgetPlan)
            if plan.category == category and plan.project_year == year and plan.id != besides
        ),
        key=lambda plan: plan.id,
    )


def store_plan(workspace: Workspace, record: Record, new: bool) -> None:
    """Store ``record``, updating the category-year's plan instead of adding a second one.

    An edited plan moved to a category-year that has a plan replaces that plan and leaves
    its old category-year without one.
    """
    if not isinstance(record, BudgetPlan):
        raise TypeError(f"not a budget plan: {record.KIND}")
    others = plans_for(workspace, record.category, record.project_year, besides=record.id)
    if not others:
        if new:
            workspace.add(record)
        else:
            workspace.update(record)
        return
    workspace.update(dataclasses.replace(record, id=others[0].id))
    for duplicate in others[1:]:
        workspace.delete(BudgetPlan.KIND, duplicate.id)
    if not new:
        workspace.delete(BudgetPlan.KIND, record.id)


class PlanDialogHelper:
    """What the plan dialog adds to the generic form: the replace hint, the percent switch."""

    def __init__(self, dialog: RecordDialog, workspace: Workspace) -> None:
        self.dialog = dialog
        self.workspace = workspace
        editors = dialog.form.editors
        # The editors the field kinds give (field_widgets.make_editor): Code -> QComboBox,
        # Whole -> QSpinBox, Amount -> QLineEdit.
        self.category = cast(QComboBox, editors["category"].widget)
        self.year = cast(QSpinBox, editors["project_year"].widget)
        self.mode = cast(QComboBox, editors["funding_mode"].widget)
        self.percent = cast(QLineEdit, editors["flat_rate_percent"].widget)
        self.base = editors["flat_rate_base"]
        self.hint = QLabel()
        self.hint.setObjectName("planReplaceHint")
        self.hint.setWordWrap(True)
        dialog.form.rows.addRow("", self.hint)
        self.category.currentIndexChanged.connect(lambda _i: self.update_hint())
        self.year.valueChanged.connect(lambda _v: self.update_hint())
        self.mode.currentIndexChanged.connect(lambda _i: self.update_percent())

    def update(self) -> None:
        """Bring the hint and the percent field in line with the form (after it was filled)."""
        self.update_hint()
        self.update_percent()

    def update_hint(self) -> None:
        """Say which plan saving will replace, if the chosen category-year has one."""
        category = self.category.currentData()
        record = self.dialog.form.record
        others = (
            plans_for(
                self.workspace,
                str(category),
                self.year.value(),
                besides=record.id if record is not None else None,
            )
            if category
            else []
        )
        if not others:
            self.hint.clear()
            self.hint.hide()
            return
        self.hint.setText(
            _("Saving replaces the plan of {amount} for this category and project year.").format(
                amount=format_eur(others[0].planned, ui_language())
            )
        )
        self.hint.show()

    def update_percent(self) -> None:
        """The percentage and its base only for a flat rate (no other mode has them)."""
        flat = self.mode.currentData() == FLAT_RATE
        if not flat:
            self.percent.clear()
            self.base.set(None)
        self.percent.setEnabled(flat)
        self.base.widget.setEnabled(flat)
