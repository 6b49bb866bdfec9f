"""The Figures tab: the ministry's figures for a period, per municipality and in total.

A period (project year, calendar year, quarter, the whole project or any range: the
Reports page's chooser) and a scope (all municipalities together, every row, or one
municipality) choose what is shown; the list on the left chooses the table (bundles in
the figures, AMIF indicators, breakdowns, the report tables). Adding up runs on a worker
with its own database connection (:func:`kisi_desktop.ministry.aggregate.figures`, about
20 ms per municipality's bundles); a result that arrives after the period changed again is
dropped. "Export as CSV/XLSX/PDF…" write the shown period's figures, every municipality and
the total, on a worker.

Signals:
    status(str): a short message for the status bar.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.clock import SystemClock, today
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import os_error_reason, write_atomic
from kisi_desktop.core.i18n import N_, _, format_date, ngettext, ui_language

from kisi_desktop.ministry.aggregate import ALL, Figures, figures
from kisi_desktop.reports.periods import Period, whole_project

from kisi_desktop.ui.ministry.context import MinistryContext
from kisi_desktop.ui.ministry.figures_export import export_bytes, file_name
from kisi_desktop.ui.ministry.figures_model import EVERY, ReportTableModel
from kisi_desktop.ui.pages.reports.period_chooser import PeriodChooser
from kisi_desktop.ui.tables.row_view import row_table

FILTERS = {
    "csv": N_("CSV files (*.csv)"),
    "xlsx": N_("Excel workbooks (*.xlsx)"),
    "pdf": N_("PDF files (*.pdf)"),
}


def compute(context: MinistryContext, period: Period, language: str) -> Figures:
    """The figures on a connection of the calling thread's own."""
    with context.open() as ministry:
        return figures(ministry, period, language=language)


class FiguresTab(QWidget):
    """See the module docstring."""

    status = Signal(str)

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figuresTab")
        self.context = context
        self.result: Figures | None = None
        self.loading = False
        self.exporting: str | None = None
        self._stale = True
        self._generation = 0

        self.chooser = PeriodChooser()
        self.chooser.set_period(whole_project())
        self.chooser.period_changed.connect(lambda _p: self.recompute())
        self.scope_label = QLabel()
        self.scope = QComboBox()
        self.scope.setObjectName("figuresScope")
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope.setMinimumContentsLength(24)
        self.scope_label.setBuddy(self.scope)
        self.scope.currentIndexChanged.connect(lambda _i: self._show_table())
        self.csv_button = QPushButton()
        self.csv_button.setObjectName("figuresCsv")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button = QPushButton()
        self.xlsx_button.setObjectName("figuresXlsx")
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("figuresPdf")
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))

        self.sections = QListWidget()
        self.sections.setObjectName("figuresSections")
        self.sections.currentRowChanged.connect(lambda _r: self._show_table())
        self.sections_label = QLabel()
        self.sections_label.setBuddy(self.sections)
        self.model = ReportTableModel(self)
        self.view = row_table("figuresTable", self.model, alternating=True, packed=True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.title = QLabel()
        self.title.setObjectName("figuresTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        # Notes run from one line to several paragraphs; a read-only text field of fixed
        # height scrolls when they are long, where a label would be squeezed by the table.
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("figuresNotes")
        self.notes.setReadOnly(True)
        self.notes.setFrameShape(QFrame.Shape.NoFrame)
        self.notes.viewport().setAutoFillBackground(False)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self.state = QLabel()
        self.state.setObjectName("figuresState")
        self.state.setWordWrap(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.sections_label)
        left_layout.addWidget(self.sections, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.view, 1)
        right_layout.addWidget(self.notes)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 1000])
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope_label)
        scope_row.addWidget(self.scope)
        scope_row.addStretch(1)
        scope_row.addWidget(self.csv_button)
        scope_row.addWidget(self.xlsx_button)
        scope_row.addWidget(self.pdf_button)
        period_row = QHBoxLayout()
        period_row.addWidget(self.chooser)
        period_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(period_row)
        layout.addLayout(scope_row)
        layout.addWidget(self.state)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the UI language; the figures are made again in it when shown."""
        self.chooser.retranslate_ui()
        self.scope_label.setText(_("&Show:"))
        self.scope.setAccessibleName(_("Which municipalities to show"))
        self.sections_label.setText(_("Ta&bles:"))
        self.sections.setAccessibleName(_("Tables of the figures"))
        self.view.setAccessibleName(_("The chosen table"))
        self.notes.setAccessibleName(_("Notes on the chosen table"))
        self.csv_button.setText(_("Export as &CSV…"))
        self.csv_button.setToolTip(_("Save the period's figures as one CSV file, one cell a line"))
        self.csv_button.setAccessibleName(_("Export the figures as CSV"))
        self.xlsx_button.setText(_("Export as &XLSX…"))
        self.xlsx_button.setToolTip(_("Save the period's figures as an Excel workbook"))
        self.xlsx_button.setAccessibleName(_("Export the figures as XLSX"))
        self.pdf_button.setText(_("Export as &PDF…"))
        self.pdf_button.setToolTip(_("Save the period's figures as a PDF report"))
        self.pdf_button.setAccessibleName(_("Export the figures as PDF"))
        self.mark_stale()

    # ------------------------------------------------------------------ computing
    def mark_stale(self) -> None:
        """The intake changed: compute again now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.recompute()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.recompute()

    def recompute(self) -> None:
        """Add up the chosen period's figures on a worker."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        period = self.chooser.period()
        language = ui_language()
        self.loading = True
        self.state.setText(_("Adding up the figures…"))
        self._update()
        self.context.runner.run(
            partial(compute, self.context, period, language),
            partial(self._computed, generation),
            partial(self._failed, generation),
        )

    def _computed(self, generation: int, result: Figures) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.result = result
        self._fill(result)
        self._update()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self._update()
        if not isinstance(error, UserError):
            raise error
        self.state.setText(str(error))

    def _fill(self, result: Figures) -> None:
        keep_table = self.current_key()
        keep_scope = self.scope.currentData()
        self.scope.blockSignals(True)
        self.sections.blockSignals(True)
        try:
            self.scope.clear()
            self.scope.addItem(_("All municipalities together"), ALL)
            self.scope.addItem(_("Each municipality and the total"), EVERY)
            for town in result.coverage:
                self.scope.addItem(f"{town.name} ({town.ags})", town.ags)
            found = self.scope.findData(keep_scope) if keep_scope is not None else -1
            self.scope.setCurrentIndex(max(found, 0))
            self.sections.clear()
            for table in result.tables:
                item = QListWidgetItem(table.title(result.language))
                item.setData(Qt.ItemDataRole.UserRole, table.key)
                item.setToolTip(table.title(result.language))
                self.sections.addItem(item)
            keys = [t.key for t in result.tables]
            wanted = keep_table if keep_table in keys else "ministry_indicators"
            self.sections.setCurrentRow(keys.index(wanted) if wanted in keys else 0)
        finally:
            self.scope.blockSignals(False)
            self.sections.blockSignals(False)
        bundles = sum(c.bundles for c in result.coverage)
        towns = sum(1 for c in result.coverage if c.bundles)
        if bundles:
            self.state.setText(
                _("{start} to {end}: {bundles} from {towns}.").format(
                    start=format_date(result.period.start),
                    end=format_date(result.period.end),
                    bundles=ngettext("{n} bundle", "{n} bundles", bundles).format(n=bundles),
                    towns=ngettext("{n} municipality", "{n} municipalities", towns).format(n=towns),
                )
            )
        else:
            self.state.setText(_("No bundle has been imported for this period yet."))
        self._show_table()

    # ------------------------------------------------------------------ showing
    def current_key(self) -> str | None:
        """The key of the table chosen in the list."""
        item = self.sections.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def choose_table(self, key: str) -> None:
        """Show the table ``key`` (as a click in the list would)."""
        for row in range(self.sections.count()):
            if self.sections.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.sections.setCurrentRow(row)
                return

    def choose_scope(self, scope: str) -> None:
        """Show ``scope``: an AGS, :data:`ALL` or :data:`EVERY`."""
        self.scope.setCurrentIndex(self.scope.findData(scope))

    def _show_table(self) -> None:
        result = self.result
        key = self.current_key()
        table = next((t for t in result.tables if t.key == key), None) if result else None
        scope = self.scope.currentData() or ALL
        self.model.set_table(table, scope, result.language if result else ui_language())
        if table is None or result is None:
            self.title.clear()
            self.notes.clear()
            return
        self.title.setText(table.title(result.language))
        # AGS and name say nothing when every row shown is of the same scope.
        scopes = {self.model.value(r, "ags") for r in range(self.model.rowCount())}
        for column, spec in enumerate(self.model.columns):
            hide = spec.key in ("ags", "municipality") and len(scopes) <= 1
            self.view.setColumnHidden(column, hide)
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.resizeSection(column, min(header.sectionSize(column), 480))
        notes = [*table.notes(result.language)]
        notes += [n for n in result.notes if n not in notes]
        self.notes.setPlainText("\n".join(notes))

    def _update(self) -> None:
        ready = self.result is not None and not self.loading and self.exporting is None
        for button in (self.csv_button, self.xlsx_button, self.pdf_button):
            button.setEnabled(ready)

    # ------------------------------------------------------------------ exports
    def export(self, key: str) -> None:
        """Ask where, then write the shown figures as ``csv``, ``xlsx`` or ``pdf`` (worker)."""
        result = self.result
        if result is None or self.loading or self.exporting is not None:
            return
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the figures"),
            str(self.context.default_dir() / file_name(result, key)),
            _(FILTERS[key]),
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != f".{key}":
            path = path.with_name(path.name + f".{key}")
        self.context.state.save_dir = str(path.parent)
        self.context.remember()
        created = today(self.context.clock or SystemClock())
        self.exporting = key
        self._update()
        self.status.emit(_("Writing {path}…").format(path=path))

        def work() -> Path:
            write_atomic(path, export_bytes(result, key, created))
            return path

        self.context.runner.run(work, self._exported, partial(self._export_failed, path))

    def _exported(self, path: Path) -> None:
        self.exporting = None
        self._update()
        self.status.emit(_("Saved as {path}.").format(path=path))

    def _export_failed(self, path: Path, error: BaseException) -> None:
        self.exporting = None
        self._update()
        if not isinstance(error, OSError):
            raise error
        self.status.emit(
            _("Could not save {path}: {error}").format(path=path, error=os_error_reason(error))
        )
