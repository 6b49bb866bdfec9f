"""The analysis half of the Needs page: a period and a group, their ranking and its bar chart.

The ranking is :func:`kisi_desktop.reports.needs.needs_summary` over the chosen period, read
from the working set (a few hundred rows at most: fast enough for the UI thread). Changing
the group only picks another section of the same summary; changing the period, the data or
the language reads again. The figures are exact (``exported=False``): this table stays on
the laptop, the suppressed one goes into reports.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import _, ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.needs import (
    ALL_GROUPS,
    NeedsSummary,
    needs_chart,
    needs_summary,
    needs_table,
)
from kisi_desktop.reports.periods import Period

from kisi_desktop.ui.pages.needs.bar_chart import NeedsChart
from kisi_desktop.ui.pages.needs.need_rows import (
    DEFAULT_PERIOD,
    RANK_COLUMNS,
    PeriodChoice,
    group_choices,
    period_choices,
    ranked_rows,
)
from kisi_desktop.ui.tables.column_fit import fit_columns
from kisi_desktop.ui.tables.record_table import MAX_COLUMN
from kisi_desktop.ui.tables.row_model import RowTableModel
from kisi_desktop.ui.tables.row_view import column_need, row_table
from kisi_desktop.ui.widgets.scroll import plain_scroll_area

NEED = 1
"""The ranking's column of the need's name: it takes the room the figures leave."""


class NeedsAnalysis(QWidget):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.summary: NeedsSummary | None = None
        self._periods: dict[str, PeriodChoice] = {}
        # Reference data (not personal: it stays after a lock) names the target groups.
        self._ref: ReferenceData | None = None

        self.period_label = QLabel()
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("needsPeriod")
        self.period_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for number, group in enumerate(period_choices()):
            if number:
                self.period_combo.insertSeparator(self.period_combo.count())
            for choice in group:
                self._periods[choice.key] = choice
                self.period_combo.addItem("", choice.key)
        self.period_combo.setCurrentIndex(self.period_combo.findData(DEFAULT_PERIOD))
        self.period_label.setBuddy(self.period_combo)
        self.group_label = QLabel()
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("needsGroup")
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_label.setBuddy(self.group_combo)
        self._fill_groups()

        self.model = RowTableModel(RANK_COLUMNS, self)
        self.view = row_table("needsRanking", self.model, alternating=True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The need's name takes what the pane has left: with fixed widths the numbers at
        # the right edge fell outside a 1366-pixel window's pane and looked empty. The
        # numbers are fitted to their headings and figures (_fit_columns).
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NEED, QHeaderView.ResizeMode.Stretch)
        self.notes = QLabel()
        self.notes.setObjectName("needsNotes")
        self.notes.setWordWrap(True)
        self.chart = NeedsChart()
        self.chart_area = plain_scroll_area(self.chart, "needsChartArea")

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.period_label)
        controls.addWidget(self.period_combo)
        controls.addSpacing(12)
        controls.addWidget(self.group_label)
        controls.addWidget(self.group_combo)
        controls.addStretch(1)
        ranking = QWidget()
        stack = QVBoxLayout(ranking)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.view, 1)
        stack.addWidget(self.notes)
        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(ranking)
        self.splitter.addWidget(self.chart_area)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 560])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.splitter, 1)
        self.setTabOrder(self.period_combo, self.group_combo)
        self.setTabOrder(self.group_combo, self.view)

        self.period_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.group_combo.currentIndexChanged.connect(lambda _i: self._show())
        self.retranslate_ui()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        """Labels, drop-downs, the ranking and the chart in the UI language."""
        self.period_label.setText(_("&Period:"))
        self.period_combo.setAccessibleName(_("Period of the analysis"))
        for index in range(self.period_combo.count()):
            key = self.period_combo.itemData(index)
            if key in self._periods:
                self.period_combo.setItemText(index, self._periods[key].label())
        self.group_label.setText(_("&Group:"))
        self.group_combo.setAccessibleName(_("Target group of the analysis"))
        self._fill_groups()
        self.view.setAccessibleName(_("Needs ranked by score"))
        self.chart.retranslate_ui()
        self.model.retranslate()
        self._show()

    def _fit_columns(self) -> None:
        """The figures' columns as wide as their headings and numbers, the need's name
        taking the rest (:func:`~kisi_desktop.ui.tables.column_fit.fit_columns`). With
        fixed widths, "Übersetzen und Dolmetschen" was cut in a 1280x720 screen's window
        while the "Rang" column beside it had room to spare (QA pass)."""
        header = self.view.horizontalHeader()
        needs = [column_need(self.view, column) for column in range(self.model.columnCount())]
        widths = fit_columns(needs, self.view.viewport().width(), cap=MAX_COLUMN, key=NEED)
        for column, width in enumerate(widths):
            if column != NEED:  # (stretched: it takes what the others leave)
                header.resizeSection(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fitted again for the new width (a handful of rows: nothing to wait for)."""
        super().resizeEvent(event)
        self._fit_columns()

    def _fill_groups(self) -> None:
        """The group drop-down's entries in the UI language, keeping the chosen group."""
        keep = self.group()
        self.group_combo.blockSignals(True)
        try:
            self.group_combo.clear()
            groups = {}
            if self._ref is not None:
                language = ui_language()
                groups = {c: e.label(language) for c, e in self._ref.enum("target_groups").items()}
            for code, label in group_choices(groups):
                self.group_combo.addItem(label, code)
            index = self.group_combo.findData(keep)
            self.group_combo.setCurrentIndex(max(index, 0))
        finally:
            self.group_combo.blockSignals(False)

    # ------------------------------------------------------------------ choices
    def period(self) -> Period:
        """The chosen period."""
        return self._periods[str(self.period_combo.currentData())].period

    def group(self) -> str:
        """The chosen target group's code, or ``ALL_GROUPS``."""
        return str(self.group_combo.currentData() or ALL_GROUPS)

    def choose_period(self, key: str) -> None:
        """Choose the period ``key`` (``PY1``, ``2026``, ``project``) as the guide would."""
        self.period_combo.setCurrentIndex(self.period_combo.findData(key))

    def choose_group(self, code: str) -> None:
        """Choose the target group ``code`` (or ``ALL_GROUPS``) as the guide would."""
        self.group_combo.setCurrentIndex(self.group_combo.findData(code))

    # ------------------------------------------------------------------ data
    def set_workspace(self, workspace: Workspace | None) -> None:
        """Analyse ``workspace``; None (locked) clears everything and resets the choices."""
        self.workspace = workspace
        if workspace is None:
            self.clear()
            return
        if self._ref is not workspace.ref:
            self._ref = workspace.ref
            self._fill_groups()
        self.reload()

    def clear(self) -> None:
        """Forget the figures and go back to the default choices."""
        self.summary = None
        self.model.clear()
        self.chart.clear()
        self.notes.clear()
        self.period_combo.blockSignals(True)
        self.group_combo.blockSignals(True)
        try:
            self.period_combo.setCurrentIndex(self.period_combo.findData(DEFAULT_PERIOD))
            self.group_combo.setCurrentIndex(0)
        finally:
            self.period_combo.blockSignals(False)
            self.group_combo.blockSignals(False)

    def reload(self) -> None:
        """Read the needs of the chosen period again (after a write, or a new period)."""
        if self.workspace is None:
            self.clear()
            return
        self.summary = needs_summary(self.workspace, self.period())
        self._show()

    def _show(self) -> None:
        if self.workspace is None or self.summary is None:
            return
        language, group, ref = ui_language(), self.group(), self.workspace.ref
        table = needs_table(self.summary, ref, language, exported=False)
        self.model.set_rows(ranked_rows(table, group))
        self._fit_columns()
        self.chart.set_bars(needs_chart(self.summary, ref, language, group=group, exported=False))
        self.notes.setText(" ".join(table.notes(language)))
