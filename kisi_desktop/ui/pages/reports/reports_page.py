"""The Reports page: every AMIF indicator for a period, how it is counted, and who is behind it.

Choose a period (project year, calendar year, quarter, whole project or any range); the
table lists every indicator of the reference data with its definition in the UI language,
the figure, and the counting rule in words. Selecting an indicator shows its breakdowns
(gender, age group, nationality group), the people counted and the records that made them
count; Enter or a double click on a person opens them on the People page, on a record opens
that contact, result or activity.

Timing, measured with 10,000 people and 30,000 contacts: reading the facts, names and
records takes about 0.3 s. It runs on a worker over a copy of the records
(:class:`BackgroundRead`), after unlock and after other pages wrote records, when the page is
shown, not at every period change; meanwhile the window paints and a note says the page is
counting. Counting a period takes 15-35 ms, and with the drill-down of O.2.3 a period change
takes 30 ms (a quarter) to 135 ms (the whole project, 18,000 records behind the figure): that
runs here, on the facts already read.

On lock every figure, name and selection goes; other pages' writes mark the page stale and
it reads again the next time it is shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.clock import today
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, format_date, format_number, ngettext, ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.facts import Facts, load_facts
from kisi_desktop.reports.indicators import IndicatorResult, compute
from kisi_desktop.reports.periods import Period

from kisi_desktop.ui.pages.background_read import BackgroundRead
from kisi_desktop.ui.pages.base import LazyPage, PageContext
from kisi_desktop.ui.pages.reports.period_chooser import PeriodChooser, default_period
from kisi_desktop.ui.pages.reports.report_exports import ReportExports
from kisi_desktop.ui.pages.reports.report_models import (
    IndicatorTableModel,
    breakdown_model,
    people_model,
    record_model,
)
from kisi_desktop.ui.pages.reports.report_rows import (
    UNVERIFIED_HINT,
    Behind,
    IndicatorRow,
    PersonRow,
    RecordRow,
    breakdown_rows,
    indicator_rows,
    load_behind,
    person_rows,
    record_rows,
)
from kisi_desktop.ui.tables.row_model import RowRole, RowTableModel
from kisi_desktop.ui.tables.row_view import heading_width, row_table
from kisi_desktop.ui.widgets.busy_note import BusyNote
from kisi_desktop.ui.widgets.button_commands import ButtonCommands

PERSON_COLUMN = 150
"""The widest the records' person column grows (a group activity names many people)."""

log = logging.getLogger(__name__)


def _read_facts(workspace: Workspace, period: Period) -> Read:
    """Everything the page reads from the records (on a worker, over a copy), and the
    figures of ``period``, the one chosen when the read began."""
    facts = load_facts(workspace)
    return Read(facts, load_behind(workspace, facts), period, _count(facts, period, workspace))


def _count(facts: Facts, period: Period, workspace: Workspace) -> list[IndicatorResult]:
    # Each person once for the project, as in the printed report (reports/indicators.py).
    return compute(facts, period, workspace.ref, once_in_project=True)


@dataclass(frozen=True, slots=True)
class Read:
    """What one read found: the facts, what is behind them, and one period's figures."""

    facts: Facts
    behind: Behind
    period: Period
    results: list[IndicatorResult]


def _table(name: str, model: RowTableModel) -> QTableView:
    # No sorting proxy: the rows come sorted (indicators in the data's order, people by
    # name, records by date), and a Python sort of 18,000 records took two seconds.
    # Packed, one line of text per row: all ten indicators fit above the drill-down at 768.
    view = row_table(name, model, alternating=True, packed=True)
    # Columns fitted to their contents measure the first rows only, not 18,000 of them.
    view.horizontalHeader().setResizeContentsPrecision(100)
    return view


class ReportsPage(LazyPage):
    """See the module docstring."""

    key = "reports"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.facts: Facts | None = None
        self.behind: Behind | None = None
        self.results: list[IndicatorResult] = []
        self.reader = BackgroundRead(context.runner, self)

        self.heading = QLabel()
        self.chooser = PeriodChooser()
        self.chooser.period_changed.connect(lambda _period: self._compute())
        self.exports = ReportExports(self, self.period, lambda: bool(self.results))
        self.busy_note = BusyNote("reportsBusy")
        self.reader.busy_changed.connect(self.busy_note.set_busy)
        self.commands = ButtonCommands(self, self.exports.buttons)
        top = QHBoxLayout()
        top.addWidget(self.chooser)
        top.addStretch(1)
        for button in self.exports.buttons:
            # On the dates' line when a problem shows below them (period_chooser.py).
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

        self.indicator_model = IndicatorTableModel(self)
        self.indicator_view = _table("reportIndicators", self.indicator_model)
        header = self.indicator_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 420)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.indicator_view.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._show_selected()
        )
        self.unverified_note = QLabel()
        self.unverified_note.setObjectName("reportUnverifiedNote")
        self.unverified_note.setWordWrap(True)
        note_icon = QLabel()
        size = self.fontMetrics().height()
        icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        note_icon.setPixmap(icon.pixmap(size, size))
        self.note_row = QWidget()
        note = QHBoxLayout(self.note_row)
        note.setContentsMargins(0, 0, 0, 0)
        note.addWidget(note_icon, 0, Qt.AlignmentFlag.AlignTop)
        note.addWidget(self.unverified_note, 1)
        self.note_row.hide()

        self.detail_title = QLabel()
        self.detail_title.setObjectName("reportDetailTitle")
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.detail_title.font()
        font.setBold(True)
        self.detail_title.setFont(font)
        self.detail_title.setWordWrap(True)
        self.detail_rule = QLabel()
        self.detail_rule.setObjectName("reportDetailRule")
        self.detail_rule.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_rule.setWordWrap(True)
        self.breakdown_model = breakdown_model(self)
        self.breakdown_view = _table("reportBreakdowns", self.breakdown_model)
        self.people_model = people_model(self)
        self.people_view = _table("reportPeople", self.people_model)
        # The figures stay in view: the text column takes what the numbers leave.
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        for view, modes in (
            (self.breakdown_view, (fit, stretch, fit)),
            (self.people_view, (stretch, fit, fit)),
        ):
            view.horizontalHeader().setStretchLastSection(False)
            for column, mode in enumerate(modes):
                view.horizontalHeader().setSectionResizeMode(column, mode)
        self.people_view.activated.connect(self._open_person)
        self.record_model = record_model(self)
        self.record_view = _table("reportRecords", self.record_model)
        header = self.record_view.horizontalHeader()
        header.setSectionResizeMode(0, fit)
        header.setSectionResizeMode(1, fit)
        header.resizeSection(2, PERSON_COLUMN)
        self.record_view.activated.connect(self._open_record)
        self.breakdown_label = QLabel()
        self.people_label = QLabel()
        self.people_label.setBuddy(self.people_view)
        self.records_label = QLabel()
        self.records_label.setBuddy(self.record_view)
        panes = QSplitter(Qt.Orientation.Horizontal)
        panes.setChildrenCollapsible(False)
        for label, view in (
            (self.breakdown_label, self.breakdown_view),
            (self.people_label, self.people_view),
            (self.records_label, self.record_view),
        ):
            pane = QWidget()
            column_layout = QVBoxLayout(pane)
            column_layout.setContentsMargins(0, 0, 0, 0)
            column_layout.addWidget(label)
            column_layout.addWidget(view, 1)
            panes.addWidget(pane)
        panes.setStretchFactor(2, 1)
        panes.setSizes([320, 340, 460])
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail_rule)
        detail_layout.addWidget(panes, 1)

        table_pane = QWidget()
        table_layout = QVBoxLayout(table_pane)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.indicator_view, 1)
        table_layout.addWidget(self.note_row)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(table_pane)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 320])

        # The note sits beside the heading, where there is room: in the row of the period
        # and the export buttons it would widen the page beyond 1366 pixels.
        title = QHBoxLayout()
        title.addWidget(self.heading)
        title.addSpacing(12)
        title.addWidget(self.busy_note)
        title.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(title)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()

    def menu_actions(self) -> list[QAction | None]:
        """CSV, XLSX and PDF, for the window's Edit menu."""
        return list(self.commands.actions())

    def retranslate_ui(self) -> None:
        """Every text in the current UI language; the rows are worded again."""
        self.heading.setText("<h2>" + _("Reports") + "</h2>")
        self.chooser.retranslate_ui()
        self.exports.retranslate_ui()
        self.busy_note.set_text(_("Counting the records…"))
        self.indicator_view.setAccessibleName(_("AMIF indicators"))
        self.unverified_note.setText(_(UNVERIFIED_HINT))
        self.breakdown_view.setAccessibleName(_("Breakdown of the people counted"))
        self.people_view.setAccessibleName(_("People counted"))
        self.record_view.setAccessibleName(_("Records behind the figure"))
        for model in (
            self.indicator_model,
            self.breakdown_model,
            self.people_model,
            self.record_model,
        ):
            model.retranslate()
        if self.results:
            self._show_results()
        else:
            self._show_detail(None)

    # ------------------------------------------------------------------ life cycle
    def set_workspace(self, workspace: Workspace | None) -> None:
        """Start at the current project year when unlocked; on lock drop everything."""
        self.workspace = workspace
        if workspace is None:
            self.reader.abandon()
            self.exports.abandon()
            self._clear()
            return
        self.chooser.set_period(default_period(today(workspace.clock)))
        self.refresh()

    def reload(self) -> None:
        """Read the facts again (after unlock and other pages' writes); locked: nothing."""
        if self.workspace is None:
            self._clear()
        else:
            self._load()

    def _clear(self) -> None:
        self._stale = False
        self.facts = None
        self.behind = None
        self.results = []
        self.indicator_model.clear()
        self.note_row.hide()
        self._show_detail(None)
        self.exports.update_enabled()

    def _load(self) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        self._stale = False
        period = self.period()
        self.reader.start(
            workspace, lambda copy: _read_facts(copy, period), self._loaded, self._load_failed
        )

    def _loaded(self, found: Read) -> None:
        if self.workspace is None:
            return
        self.facts, self.behind = found.facts, found.behind
        if found.period == self.period():
            self.results = found.results  # counted on the worker already
            self._show_results()
        else:  # the guide chose another period meanwhile
            self._compute()

    def _load_failed(self, error: BaseException) -> None:
        if self.workspace is None:
            return
        self._clear()
        if isinstance(error, UserError):
            self.status.emit(str(error))
            return
        # A bug: say so instead of leaving an empty table; the details (no personal data)
        # go to the log.
        log.error("counting the report failed: %s", type(error).__name__)
        self.status.emit(_("The figures could not be counted."))

    # ------------------------------------------------------------------ figures
    def period(self) -> Period:
        """The period shown."""
        return self.chooser.period()

    def _compute(self) -> None:
        if self.workspace is None or self.facts is None:
            return
        self.results = _count(self.facts, self.period(), self.workspace)
        self._show_results()

    def _show_results(self) -> None:
        if self.workspace is None:
            return
        chosen = self.selected_code()
        rows = indicator_rows(self.results, self.workspace.ref, ui_language())
        self.indicator_model.set_rows(rows)
        self.note_row.setVisible(any(not r.verified for r in rows))
        if chosen is None:  # first time: the first figure that counts people
            chosen = next((r.id for r in rows if r.counts_people), rows[0].id if rows else None)
        if chosen is not None:
            self.select_indicator(chosen)
        self.exports.update_enabled()

    def selected_code(self) -> str | None:
        """The code of the selected indicator."""
        index = self.indicator_view.currentIndex()
        return str(index.data(RowRole.ID)) if index.isValid() else None

    def select_indicator(self, code: str) -> None:
        """Select the indicator ``code`` and show what is behind it."""
        row = self.indicator_model.row_of(code)
        if row < 0:
            self._show_detail(None)
            return
        index = self.indicator_model.index(row, 0)
        if self.indicator_view.currentIndex() == index:
            return  # shown already
        flags = QItemSelectionModel.SelectionFlag
        # The view's currentRowChanged shows the drill-down (once).
        self.indicator_view.selectionModel().setCurrentIndex(
            index, flags.ClearAndSelect | flags.Rows
        )

    def _show_selected(self) -> None:
        index = self.indicator_view.currentIndex()
        row: IndicatorRow | None = index.data(RowRole.ROW) if index.isValid() else None
        self._show_detail(row)

    def _show_detail(self, row: IndicatorRow | None) -> None:
        ws, behind = self.workspace, self.behind
        if row is None or ws is None or behind is None:
            self.detail_title.setText(_("Select an indicator to see who and what it counts."))
            self.detail_rule.clear()
            for model in (self.breakdown_model, self.people_model, self.record_model):
                model.clear()
            self._update_pane_labels(None)
            return
        result, language = row.result, ui_language()
        if row.counts_people:
            figure = ngettext("{n} person", "{n} people", row.count)
        else:
            figure = ngettext("{n} municipality", "{n} municipalities", row.count)
        self.detail_title.setText(
            _("{code} {definition}: {figure}").format(
                code=row.id,
                definition=row.definition,
                figure=figure.format(n=format_number(row.count)),
            )
        )
        period = self.period()
        counted = _("Counted: {rule}, from {start} to {end}.").format(
            rule=row.rule, start=format_date(period.start), end=format_date(period.end)
        )
        if row.counts_people:
            counted += " " + _(
                "Each person once for the project: people supported before the period count "
                "where they were first supported, at the earliest from the recorded date of "
                "their eligible residence status."
            )
        self.detail_rule.setText(" ".join(p for p in (counted, row.mapping) if p))
        self.breakdown_model.set_rows(breakdown_rows(result, behind, language))
        self.people_model.set_rows(person_rows(result, behind))
        self.record_model.set_rows(record_rows(result, behind, ws.ref, language))
        # The names as wide as they are, up to a limit (an activity names many): the
        # details beside them took what a fixed width left unused.
        names = self.record_view.sizeHintForColumn(2)
        heading = heading_width(self.record_view.horizontalHeader(), 2)
        self.record_view.setColumnWidth(2, min(max(names, heading) + 8, PERSON_COLUMN))
        self._update_pane_labels(row)

    def _update_pane_labels(self, row: IndicatorRow | None) -> None:
        people, records = self.people_model.rowCount(), self.record_model.rowCount()
        self.people_label.setText(
            _("People cou&nted: {n} (Enter opens the person)").format(n=format_number(people))
        )
        self.records_label.setText(
            _("Recor&ds behind the figure: {n}").format(n=format_number(records))
        )
        if row is not None and not row.counts_people:
            self.breakdown_label.setText(_("Municipalities are counted, not people: no breakdown."))
        else:
            self.breakdown_label.setText(_("Breakdown of the people counted"))

    # ------------------------------------------------------------------ drill down
    def _open_person(self, index: QModelIndex) -> None:
        row: PersonRow | None = index.data(RowRole.ROW)
        if row is not None:
            self.context.navigate("people", row.id)

    def _open_record(self, index: QModelIndex) -> None:
        row: RecordRow | None = index.data(RowRole.ROW)
        if row is None:
            return
        # A contact or result opens its person's page at that entry; an activity its list.
        self.context.navigate("activities" if row.kind == "activity" else "people", row.record_id)
