"""The Expenses page: the payments charged to KISI, for the budget and the ministry's audit.

Each expense has its category, the share allocated to KISI (a shared printer: 30 %) and
whether it is eligible; the Budget page adds them up against the plan and the grant cap.
The receipt number ties a line to the paper in the folder the audit asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain import Expense
from kisi_desktop.core.domain.budget import allocated_amount
from kisi_desktop.core.i18n import N_, format_date, ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.money import format_eur

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.project_period_note import ProjectPeriodNote
from kisi_desktop.ui.pages.record_list_page import RecordListPage
from kisi_desktop.ui.pages.registry import EXPENSES_OF_CATEGORY
from kisi_desktop.ui.tables.row_model import Column

FIELDS = (
    "spent_on",
    "payee",
    "amount",
    "category",
    "allocation_percent",
    "eligibility",
    "receipt_ref",
    "paid_on",
    "description",
)


@dataclass(frozen=True, slots=True)
class ExpenseRow:
    """One line of the expense list (labels in the UI language)."""

    id: str
    spent_on: date
    payee: str
    amount: Decimal
    allocated: Decimal
    category: str
    eligibility: str
    receipt_ref: str
    paid_on: date | None


def _eur(amount: Decimal) -> str:
    return format_eur(amount, ui_language())


COLUMNS = [
    Column(N_("Date"), lambda r: format_date(r.spent_on), sort=lambda r: r.spent_on),
    Column(N_("Payee"), lambda r: r.payee, tooltip=lambda r: r.payee),
    Column(N_("Category"), lambda r: r.category, tooltip=lambda r: r.category),
    Column(N_("Amount"), lambda r: _eur(r.amount), sort=lambda r: r.amount, numeric=True),
    Column(
        N_("Charged to KISI"), lambda r: _eur(r.allocated), sort=lambda r: r.allocated, numeric=True
    ),
    Column(N_("Eligible"), lambda r: r.eligibility),
    Column(N_("Receipt"), lambda r: r.receipt_ref),
    Column(
        N_("Paid on"),
        lambda r: format_date(r.paid_on) if r.paid_on else "",
        sort=lambda r: r.paid_on or date.min,
    ),
]


class ExpensesPage(RecordListPage):
    """See the module docstring."""

    key = "expenses"
    RECORD = Expense
    FIELDS = FIELDS
    FORM = "expense_form"
    COLUMNS = COLUMNS
    WIDTHS = (90, 220, 250, 100, 110, 110, 100)
    NOUN = N_("Project expenses")
    NEW_TITLE = N_("New expense")
    EDIT_TITLE = N_("Edit expense")
    DELETE_QUESTION = N_("Delete the expense “{label}”? This cannot be undone.")

    def rows(self, workspace: Workspace) -> list[ExpenseRow]:
        """Every expense (3,000 in three years: a few milliseconds)."""
        return [
            ExpenseRow(
                id=e.id,
                spent_on=e.spent_on,
                payee=e.payee,
                amount=e.amount,
                allocated=allocated_amount(e),
                category=self.code_label("budget_categories", e.category),
                eligibility=self.code_label("expense_eligibility", e.eligibility),
                receipt_ref=e.receipt_ref,
                paid_on=e.paid_on,
            )
            for e in workspace.list(Expense)
        ]

    def prepare(self, dialog: RecordDialog) -> None:
        """Under the date, whether the budget counts the expense."""
        dialog.period_note = ProjectPeriodNote(dialog, "spent_on")  # type: ignore[attr-defined]

    def show_record(self, record_id: str) -> None:
        """Select the expense ``record_id``; or, for ``category:CODE``
        (:data:`~kisi_desktop.ui.pages.registry.EXPENSES_OF_CATEGORY`), list only the
        expenses of that budget category (the Budget page's warnings link here)."""
        if record_id.startswith(EXPENSES_OF_CATEGORY):
            code = record_id.removeprefix(EXPENSES_OF_CATEGORY)
            self.table.filter_edit.setText(self.code_label("budget_categories", code))
            return
        super().show_record(record_id)

    def row_label(self, row: ExpenseRow) -> str:
        """Date, payee and amount."""
        return f"{format_date(row.spent_on)} {row.payee} {_eur(row.amount)}"
