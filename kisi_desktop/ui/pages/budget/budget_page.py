"""The Budget page: planned vs spent per category and project year, the cap, warnings, claims.

The guide has to see *before* a budget line or the grant cap runs out that it will: the
table colours a line amber from 80 % of its plan and red above it (and says so in words),
the summary gives the cap, what is left of it, the burn rate and where it leads by the end
of the project, and the warnings list says the same things as sentences, including the
ones about a volunteer's tax-free allowance and a team member's time sheets (with their
name: this list never leaves the laptop; Enter on one opens the volunteer or the time
sheet). "Plan…" sets the planned amount of a category in a project year, one plan per
category-year (see plan_dialog.py). The chart beside the table shows planned and spent per
category for the chosen project year, or over all three.

Every figure comes from :func:`kisi_desktop.reports.budget.budget_overview`, read on the UI
thread (3,000 expenses and 1,000 trips: 50 ms to read, 15 ms to work out, measured here;
no worker, so no stale results to discard) when the page is shown after unlock or after
another page wrote records (expenses, trips, plans, volunteer deployments); a hidden page
only notes that it is stale. On lock every figure, name and selection goes, and an open
plan dialog closes, keeping its sealed draft.

A little over the usual 400 lines because it wires four views to one overview (table,
chart, warnings, claims) and the plan dialog to the selected row, which read best
together; the rows, models, chart and the dialog's rule live beside it.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import BudgetPlan, Draft
from kisi_desktop.core.errors import RecordNotFound, UserError
from kisi_desktop.core.i18n import _, format_date, ui_language

from kisi_desktop.reports.budget import BudgetOverview, BudgetRecords, budget_overview
from kisi_desktop.reports.budget_limits import TIME_SHEET_WARNINGS, VOLUNTEER_WARNINGS
from kisi_desktop.reports.budget_tables import category_label, describe
from kisi_desktop.reports.money import format_eur
from kisi_desktop.reports.periods import PROJECT_YEARS, project_year, project_year_of

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.budget.budget_chart import BudgetChart, ChartBar
from kisi_desktop.ui.pages.budget.budget_models import claim_model, plan_model, warning_model
from kisi_desktop.ui.pages.budget.budget_rows import (
    PlanRow,
    RowKind,
    WarningRow,
    burn_sentences,
    cap_sentence,
    chart_lines,
    claim_rows,
    plan_rows,
    planned_sentence,
    row_id,
    table_notes,
    warning_rows,
)
from kisi_desktop.ui.pages.budget.plan_columns import PlanColumns
from kisi_desktop.ui.pages.budget.plan_dialog import (
    PLAN_FIELDS,
    PLAN_FORM,
    PlanDialogHelper,
    store_plan,
)
from kisi_desktop.ui.pages.office_page import OfficePage, Reopen
from kisi_desktop.ui.pages.registry import EXPENSES_OF_CATEGORY
from kisi_desktop.ui.tables.row_model import RowRole
from kisi_desktop.ui.tables.row_view import row_table
from kisi_desktop.ui.widgets.button_commands import ButtonCommands
from kisi_desktop.ui.widgets.scroll import plain_scroll_area


class BudgetPage(OfficePage):
    """See the module docstring."""

    key = "budget"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.overview: BudgetOverview | None = None
        self.plans: dict[tuple[str, int], BudgetPlan] = {}
        self.helpers: dict[RecordDialog, PlanDialogHelper] = {}

        self.heading = QLabel()
        self.year_label = QLabel()
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("budgetYear")
        for year in (None, *range(1, PROJECT_YEARS + 1)):
            self.year_combo.addItem("", year)
        self.year_label.setBuddy(self.year_combo)
        self.year_combo.currentIndexChanged.connect(lambda _i: self._show())
        self.plan_button = QPushButton()
        self.plan_button.setObjectName("budgetPlanButton")
        self.plan_button.clicked.connect(lambda: self.plan_selected())
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.year_label)
        top.addWidget(self.year_combo)
        top.addWidget(self.plan_button)
        # Where what the table counts is entered: the expenses and the trips have pages.
        self.expenses_button = QPushButton()
        self.expenses_button.setObjectName("budgetExpensesButton")
        self.expenses_button.clicked.connect(lambda: self.context.navigate("expenses", None))
        self.trips_button = QPushButton()
        self.trips_button.setObjectName("budgetTripsButton")
        self.trips_button.clicked.connect(lambda: self.context.navigate("trips", None))
        top.addWidget(self.expenses_button)
        top.addWidget(self.trips_button)
        self.commands = ButtonCommands(
            self, [self.plan_button, self.expenses_button, self.trips_button]
        )

        self.summary = QLabel()
        self.summary.setObjectName("budgetSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)

        self.plan_model = plan_model(self)
        self.plan_view = row_table("budgetPlanTable", self.plan_model, packed=True)
        fit = QHeaderView.ResizeMode.ResizeToContents
        # The figures take what they need; a category's name takes the rest and wraps
        # onto a second line there ("Personalausgaben Integra…" said too little); the
        # Status column gives way to it first (plan_columns.py).
        self.plan_columns = PlanColumns(self.plan_view)
        self.plan_view.setWordWrap(True)
        rows = self.plan_view.verticalHeader()
        rows.setMinimumSectionSize(rows.defaultSectionSize())
        rows.setSectionResizeMode(fit)
        self.plan_view.activated.connect(self._plan_activated)
        self.notes = QLabel()
        self.notes.setObjectName("budgetNotes")
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        table_pane = QWidget()
        table_layout = QVBoxLayout(table_pane)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.plan_view, 1)
        table_layout.addWidget(self.notes)

        self.warning_model = warning_model(self)
        self.warning_view = row_table("budgetWarnings", self.warning_model, packed=True)
        self.warning_view.horizontalHeader().setSectionResizeMode(0, fit)
        # Sentences wrap (German ones run long); rows grow to fit them.
        self.warning_view.setWordWrap(True)
        self.warning_view.verticalHeader().setSectionResizeMode(fit)
        self.warning_view.activated.connect(self._warning_activated)
        self.claim_model = claim_model(self)
        self.claim_view = row_table("budgetClaims", self.claim_model, packed=True)
        claim_header = self.claim_view.horizontalHeader()
        for column in (0, 2, 3, 4):
            claim_header.setSectionResizeMode(column, fit)
        claim_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        claim_header.setStretchLastSection(False)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("budgetTabs")
        self.tabs.addTab(self.warning_view, "")
        self.tabs.addTab(self.claim_view, "")

        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        left.addWidget(table_pane)
        left.addWidget(self.tabs)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setSizes([360, 200])

        self.chart = BudgetChart()
        self.chart_scroll = plain_scroll_area(self.chart)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.chart_scroll)
        self.splitter.setStretchFactor(0, 1)
        # The chart wraps its category names, so the table can have the wider share.
        self.splitter.setSizes([840, 280])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Every text in the current UI language; the rows are worded again."""
        self.heading.setText("<h2>" + _("Budget") + "</h2>")
        self.year_label.setText(_("Project &year:"))
        self.year_combo.setAccessibleName(_("Project year"))
        self.year_combo.setItemText(0, _("All project years"))
        for index in range(1, PROJECT_YEARS + 1):
            period = project_year(index)
            self.year_combo.setItemText(
                index,
                _("Project year {number} ({start} – {end})").format(
                    number=index,
                    start=format_date(period.start, fmt="MM/yyyy"),
                    end=format_date(period.end, fmt="MM/yyyy"),
                ),
            )
        self.expenses_button.setText(_("Project e&xpenses"))
        self.expenses_button.setToolTip(_("Enter and edit the project's expenses"))
        self.trips_button.setText(_("Business &trips"))
        self.trips_button.setToolTip(_("Enter business trips and their travel-cost claims"))
        self.plan_button.setText(_("&Plan…"))
        self.plan_button.setAccessibleName(_("Plan a budget category"))
        self.plan_button.setToolTip(
            _("Set the planned amount of a category in a project year (Enter on a row, too).")
        )
        self.summary.setAccessibleName(_("Grant cap and burn rate"))
        self.plan_view.setAccessibleName(_("Planned and spent per category and project year"))
        self.notes.setAccessibleName(_("Notes on the figures"))
        self.warning_view.setAccessibleName(_("Budget warnings"))
        self.claim_view.setAccessibleName(_("Travel claims past their deadline"))
        self.chart_scroll.setAccessibleName(_("Chart"))
        self.chart.retranslate_ui()
        for model in (self.plan_model, self.warning_model, self.claim_model):
            model.retranslate()
        self._update_tab_titles()
        self.refresh()

    # ------------------------------------------------------------------ data
    def clear(self) -> None:
        """Forget every figure, name and selection (on lock)."""
        self.overview = None
        self.plans = {}
        self.plan_model.clear()
        self.warning_model.clear()
        self.claim_model.clear()
        self.chart.clear()
        self.summary.clear()
        self.notes.clear()
        self.notes.hide()
        self._update_tab_titles()

    def reload(self) -> None:
        """Work the budget out again from the vault and show it."""
        ws = self.workspace
        if ws is None:
            self.clear()
            return
        records = BudgetRecords.of(ws)
        try:
            self.overview = budget_overview(records, today(ws.clock), ws.ref)
        except UserError as error:
            # Reference data without a rate for a record's date (a trip before the km
            # rates start): say so instead of showing half a budget.
            self.clear()
            self.summary.setText(
                _("The budget cannot be worked out: {reason}").format(reason=str(error))
            )
            return
        self.plans = {}
        for plan in sorted(records.plans, key=lambda p: p.id):
            self.plans.setdefault((plan.category, plan.project_year), plan)
        self._show()

    def year(self) -> int | None:
        """The project year chosen (None: all three)."""
        data = self.year_combo.currentData()
        return None if data is None else int(data)

    def set_year(self, year: int | None) -> None:
        """Show project ``year`` (None: all three years)."""
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(year), 0))

    def _show(self) -> None:
        ws, overview = self.workspace, self.overview
        if ws is None or overview is None:
            return
        language, year = ui_language(), self.year()
        chosen = self.current_row()
        self.plan_model.set_rows(plan_rows(overview, ws.ref, language, year))
        if chosen is not None:
            self.select_row(chosen.id)
        self.chart.set_bars(
            [
                ChartBar(
                    category=str(line.category),
                    label=category_label(ws.ref, line.category, language),
                    planned=line.planned,
                    spent=line.spent,
                )
                for line in chart_lines(overview, year)
            ]
        )
        self.warning_model.set_rows(warning_rows(overview, ws.ref, language))
        self.claim_model.set_rows(claim_rows(overview))
        self.summary.setText(
            " ".join(
                [
                    _("As of {date}.").format(date=format_date(overview.today, language)),
                    cap_sentence(overview, language),
                    planned_sentence(overview, language),
                    *burn_sentences(overview, language),
                ]
            )
        )
        notes = table_notes(overview, ws.ref, language)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self._update_tab_titles()

    def _update_tab_titles(self) -> None:
        self.tabs.setTabText(0, _("&Warnings ({n})").format(n=self.warning_model.rowCount()))
        self.tabs.setTabText(
            1, _("&Late travel claims ({n})").format(n=self.claim_model.rowCount())
        )

    # ------------------------------------------------------------------ selection
    def current_row(self) -> PlanRow | None:
        """The plan table's selected row."""
        index = self.plan_view.currentIndex()
        row: PlanRow | None = index.data(RowRole.ROW) if index.isValid() else None
        return row

    def select_row(self, row_id: str) -> bool:
        """Select the plan table's row ``row_id``; False if it is not shown."""
        row = self.plan_model.row_index(row_id)
        if row < 0:
            return False
        flags = QItemSelectionModel.SelectionFlag
        self.plan_view.selectionModel().setCurrentIndex(
            self.plan_model.index(row, 0), flags.ClearAndSelect | flags.Rows
        )
        return True

    def menu_actions(self) -> list[QAction | None]:
        """Plan, Expenses and Trips, for the window's Edit menu."""
        return list(self.commands.actions())

    def show_record(self, record_id: str) -> None:
        """Show a plan's line (over all project years, so it is in the table)."""
        plan = next((p for p in self.plans.values() if p.id == record_id), None)
        if plan is not None:
            self.set_year(None)
            self.select_row(row_id("line", plan.category, plan.project_year))

    def _plan_activated(self, index: QModelIndex) -> None:
        row: PlanRow | None = index.data(RowRole.ROW)
        self.plan_selected(row)

    def _warning_activated(self, index: QModelIndex) -> None:
        row: WarningRow | None = index.data(RowRole.ROW)
        if row is None:
            return
        if row.what in VOLUNTEER_WARNINGS and row.subject_id:
            self.context.navigate("volunteers", row.subject_id)
        elif row.what in TIME_SHEET_WARNINGS and row.subject_id:
            # Where the guide deletes or reassigns it: the sheet left out, on Time sheets.
            self.context.navigate("time_sheets", row.subject_id)
        elif row.what == "volunteers_unbooked" and row.category:
            # Where the payments are booked: that category's expenses.
            self.context.navigate("expenses", EXPENSES_OF_CATEGORY + row.category)
        elif row.category is not None:
            self.set_year(row.project_year)
            kind: RowKind = "line" if row.project_year is not None else "category"
            self.select_row(row_id(kind, row.category, row.project_year))

    # ------------------------------------------------------------------ plan dialog
    def _default_year(self) -> int:
        chosen = self.year()
        if chosen is not None:
            return chosen
        ws = self.workspace
        day = today(ws.clock) if ws is not None else None
        found = project_year_of(day) if day is not None else None
        if found is not None:
            return found
        return PROJECT_YEARS if day is not None and day > project_year(PROJECT_YEARS).end else 1

    def plan_selected(self, row: PlanRow | None = None) -> RecordDialog | None:
        """Open the plan of the selected row's category and year (a new one if it has none)."""
        row = row if row is not None else self.current_row()
        category = row.category if row is not None else None
        year = row.project_year if row is not None and row.project_year else self._default_year()
        plan = self.plans.get((category, year)) if category is not None else None
        if plan is not None:
            return self.edit_plan(plan.id)
        return self.new_plan(category=category, year=year)

    def new_plan(
        self, draft: Draft | None = None, *, category: str | None = None, year: int | None = None
    ) -> RecordDialog | None:
        """Open the plan dialog for a new plan (of ``category`` in ``year`` if given)."""
        fixed: dict[str, object] = {"project_year": year or self._default_year()}
        if category is not None:
            fixed["category"] = category
        return self._open_plan(None, fixed, draft)

    def edit_plan(self, plan_id: str, draft: Draft | None = None) -> RecordDialog | None:
        """Open the plan dialog on an existing plan."""
        if self.workspace is None:
            return None
        try:
            plan = self.workspace.get(BudgetPlan, plan_id)
        except RecordNotFound:
            return self.new_plan(draft)
        return self._open_plan(plan, {}, draft)

    def _open_plan(
        self, plan: BudgetPlan | None, fixed: Mapping[str, object], draft: Draft | None
    ) -> RecordDialog | None:
        ws = self.workspace
        if ws is None:
            return None
        # Built here rather than with open_dialog: the plan is stored by store_plan (one
        # plan per category-year), not by a plain add.
        dialog = RecordDialog(
            self.context.session,
            ws,
            BudgetPlan,
            PLAN_FIELDS,
            form_name=PLAN_FORM,
            title=lambda: _("Budget plan"),
            store=store_plan,
            parent=self,
        )
        helper = PlanDialogHelper(dialog, ws)
        self.helpers[dialog] = helper
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._forget_plan_dialog(d))
        dialog.saved.connect(self._plan_saved)
        dialog.start(plan, fixed=fixed, draft=draft)
        helper.update()
        return dialog

    def _forget_plan_dialog(self, dialog: RecordDialog) -> None:
        self.helpers.pop(dialog, None)
        self._forget(dialog)

    def draft_forms(self) -> Mapping[str, Reopen]:
        """Reopen an unsaved plan dialog after unlock."""
        return {
            PLAN_FORM: lambda d: self.reopen_draft(
                d, lambda draft: self._reopen(None, draft), self._reopen
            )
        }

    def _reopen(self, plan_id: str | None, draft: Draft) -> None:
        if plan_id is None:
            self.new_plan(draft)
        else:
            self.edit_plan(plan_id, draft)

    def _plan_saved(self, plan: BudgetPlan) -> None:
        self.reload()
        self.select_row(row_id("line", plan.category, plan.project_year))
        self.changed.emit(BudgetPlan.KIND)
        ws, overview, language = self.workspace, self.overview, ui_language()
        if ws is None or overview is None:
            return
        message = _("Planned {amount} for {category} in project year {year}.").format(
            amount=format_eur(plan.planned, language),
            category=category_label(ws.ref, plan.category, language),
            year=plan.project_year,
        )
        plan_cap = [w for w in overview.warnings if w.what == "plan_cap"]
        over_cap = [describe(w, overview, ws.ref, language) for w in plan_cap]
        self.status.emit(" ".join([message, *over_cap]))
