"""The Budget page: planned vs spent per category and project year, the grant cap, warnings.

Modules: budget_rows (the overview as rows and sentences in the UI language), budget_models
(their table models, coloured by warning level), budget_chart (planned vs spent bars painted
with QPainter), plan_dialog (the "Plan…" dialog: one plan per category-year), budget_page
(the Page that wires them).
"""

from kisi_desktop.ui.pages.budget.budget_page import BudgetPage

__all__ = ["BudgetPage"]
