"""The Intake tab: bundles in (chosen or dropped), each file's result, receipts out.

"Import bundles…" takes any number of ``.kisi`` files; dropping files or folders on the
window does the same (:class:`~kisi_desktop.ui.ministry.window.MinistryWindow`). Imports
run on a worker with their own database connection (:mod:`intake_jobs`); files given while
one runs wait their turn. A bar counts the files done (n of N), each file's row shows as
the worker hands it over (in steps, :data:`intake_jobs.STEP_SECONDS` apart), and "Stop
import" stops before the next file: what was taken so far stays imported and listed, with
its receipts, and the rest can be imported later (a file is taken once). Each file's row
says what happened - imported, duplicate, held, rejected or not read - with the reason in
words (its code only in the tooltip); the intake's full message is shown under the table
for the selected row. Every
receipt is written to the receipts folder, chosen with "Save receipts in…" and remembered
for this ministry folder.

Signals:
    changed(): the intake database changed (bundles imported, held or released).
    status(str): a short message for the status bar.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _, ngettext

from kisi_desktop.bundles.reasons import reason_label
from kisi_desktop.ministry import intake
from kisi_desktop.ministry.intake import IntakeResult
from kisi_desktop.ministry.keys import Ministry

from kisi_desktop.ui.ministry import intake_jobs
from kisi_desktop.ui.ministry.context import MinistryContext
from kisi_desktop.ui.ministry.intake_jobs import UNREADABLE, Batch, ResultRow, Step
from kisi_desktop.ui.ministry.labels import (
    OUTCOME_INK,
    OUTCOME_LABELS,
    RED,
    outcome_label,
)
from kisi_desktop.ui.tables.row_model import Column, RowRole, RowTableModel
from kisi_desktop.ui.tables.row_view import row_table

Progress = Callable[[Step], None]
Job = Callable[[Progress, Callable[[], bool]], Batch]
"""A job for the worker: given where to report progress and whether to stop."""


@dataclass(frozen=True, slots=True)
class Queued:
    """A job waiting its turn: what it does in words, and how many files it reads."""

    job: Job
    what: str
    files: int = 0


PAINT_MS = 15
"""How long the rows get to be painted (the platform paints 5 ms after an update) ..."""
PAINT_WAIT_SECONDS = 0.25
"""... and how long a worker waits at most for that (a busy UI thread, a modal dialog)."""


class _ProgressRelay(QObject):
    """Carries a worker's steps (files done, rows since the last step) to the UI thread.

    A step with rows waits until the UI thread has put them in and painted them: the
    table's paint calls into Python some hundred times, and each call waits for the
    interpreter lock while the worker runs Python. Measured, 300 files on the busy 2-core
    development machine: without the wait the window's timer came 85-96 ms late at the
    99th percentile (up to 130 ms), with it 41-60 ms (up to 92); the import took 8-9 s
    either way (rows only at the end, as before: 6-7 s, and 180 ms stalled at the end).
    """

    progressed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._painted = threading.Event()

    def report(self, step: Step) -> None:
        """Hand ``step`` over (worker thread); with rows, wait until they are painted."""
        self._painted.clear()
        self.progressed.emit(step)
        if step.rows:
            self._painted.wait(PAINT_WAIT_SECONDS)

    def shown(self) -> None:
        """The rows are in (UI thread): the worker goes on once they are painted."""
        QTimer.singleShot(PAINT_MS, self._painted.set)


def _outcome(row: ResultRow) -> str:
    if row.outcome == UNREADABLE:
        return _("not read")
    return outcome_label(row.outcome)


def _reason_tooltip(row: ResultRow) -> str:
    if not row.reason_code:
        return row.message
    return _("{message}\n(reason code: {code})").format(message=row.message, code=row.reason_code)


def _receipt(row: ResultRow) -> str:
    if row.receipt_problem:
        return _("not written")
    return _("written") if row.receipt else ""


RESULT_COLUMNS = [
    Column(N_("File"), lambda r: r.file_name, tooltip=lambda r: r.file_name),
    Column(N_("Result"), _outcome, foreground=lambda r: OUTCOME_INK.get(r.outcome, RED)),
    # The reason in words; its code (what FORMAT.md and the rejection log say) only in the
    # tooltip, for whoever looks a refusal up - the clerk reads words (QA pass).
    # A file the intake never saw (unreadable, a receipt) has no code: its reason in words.
    Column(
        N_("Reason"), lambda r: reason_label(r.reason_code) or r.reason, tooltip=_reason_tooltip
    ),
    Column(N_("AGS"), lambda r: r.ags or ""),
    Column(N_("Bundle"), lambda r: "" if r.seq is None else str(r.seq), numeric=True),
    Column(N_("Records"), lambda r: str(r.records) if r.records else "", numeric=True),
    Column(
        N_("Signed receipt"),
        _receipt,
        tooltip=lambda r: r.receipt_problem or r.receipt or "",
        foreground=lambda r: RED if r.receipt_problem else None,
    ),
]


class IntakeTab(QWidget):
    """See the module docstring."""

    changed = Signal()
    status = Signal(str)

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeTab")
        self.context = context
        self.running = False
        self._queue: list[Queued] = []
        self._stop = threading.Event()
        self._dropped = 0
        self._shown = 0  # rows of the running job in the table (at its top)
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._progressed)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.import_button = QPushButton()
        self.import_button.setObjectName("intakeImport")
        self.import_button.clicked.connect(lambda: self.choose_files())
        self.folder_button = QPushButton()
        self.folder_button.setObjectName("intakeReceiptsFolder")
        self.folder_button.clicked.connect(lambda: self.choose_receipts_dir())
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("intakeClear")
        self.clear_button.clicked.connect(lambda: self.clear())
        self.folder_label = QLabel()
        self.folder_label.setObjectName("intakeReceiptsPath")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QLabel()
        self.progress.setObjectName("intakeProgress")
        self.progress.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("intakeProgressBar")
        self.bar.hide()
        self.stop_button = QPushButton()
        self.stop_button.setObjectName("intakeStop")
        self.stop_button.clicked.connect(lambda: self.stop())
        self.stop_button.hide()
        self.model = RowTableModel(RESULT_COLUMNS, self)
        self.view = row_table("intakeResults", self.model, alternating=True, packed=True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 360)
        for column in (4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 3):  # (see _fit_columns)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())
        self.table_label = QLabel()
        self.table_label.setBuddy(self.view)
        self.detail = QLabel()
        self.detail.setObjectName("intakeDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.fontMetrics().height() * 3)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.folder_label, 1)
        table_head = QHBoxLayout()
        table_head.addWidget(self.table_label)
        table_head.addStretch(1)
        table_head.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.bar, 1)
        progress_row.addWidget(self.stop_button)
        layout.addWidget(self.progress)
        layout.addLayout(progress_row)
        layout.addLayout(table_head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        self.retranslate_ui()
        self._update()

    def _fit_columns(self) -> None:
        """Result and AGS as wide as the longest text they can hold. Sized to their contents,
        they kept the width of the empty table ("importi…", "0…") while the Reason column
        took the rest of a laptop's screen; their texts are known in advance."""
        metrics = self.view.fontMetrics()
        air = 2 * self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 12
        header = self.view.horizontalHeader()
        results = [outcome_label(code) for code in OUTCOME_LABELS] + [_("not read")]
        for column, texts in ((1, results), (3, ["00000000"])):
            widest = max(metrics.horizontalAdvance(text) for text in texts) + air
            header.resizeSection(column, max(widest, header.sectionSizeHint(column)))

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.intro.setText(
            _(
                "Import the bundles the municipalities sent: choose the files, or drop .kisi "
                "files or a folder onto this window. Every bundle read gets a signed receipt, "
                "imported or refused; send it back to the municipality (USB stick or mail). "
                "A file that cannot be read as a bundle (empty, cut off while copied) gets "
                "none: its line says what to do."
            )
        )
        self.import_button.setText(_("&Import bundles…"))
        self.import_button.setToolTip(_("Choose bundle files (.kisi) to import (Ctrl+O)"))
        self.import_button.setAccessibleName(_("Import bundles"))
        self.folder_button.setText(_("Save &receipts in…"))
        self.folder_button.setToolTip(_("Choose the folder the receipts are written to"))
        self.folder_button.setAccessibleName(_("Save receipts in"))
        self.stop_button.setText(_("Sto&p import"))
        self.stop_button.setToolTip(
            _("Stop before the next file: the files done so far stay imported")
        )
        self.stop_button.setAccessibleName(_("Stop the import"))
        self.bar.setFormat(_("%v of %m files"))
        self.bar.setAccessibleName(_("Files imported"))
        self.clear_button.setText(_("C&lear list"))
        self.clear_button.setAccessibleName(_("Clear the list of results"))
        self.table_label.setText(_("Results of this &session:"))
        self.view.setAccessibleName(_("Results of the imports"))
        self._fit_columns()
        self.detail.setAccessibleName(_("Message of the selected result"))
        self.model.retranslate()
        self._update()

    # ------------------------------------------------------------------ receipts folder
    def receipts_dir(self) -> Path:
        """The folder receipts are written to: the one chosen, else receipts/ of the folder."""
        chosen = self.context.state.receipts_dir
        return Path(chosen) if chosen else self.context.ministry.receipts_dir

    def choose_receipts_dir(self) -> None:
        """Ask for the receipts folder and remember it."""
        chosen = QFileDialog.getExistingDirectory(
            self, _("Save receipts in"), str(self.receipts_dir())
        )
        if not chosen:
            return
        self.context.state.receipts_dir = chosen
        self.context.remember()
        self._update()

    # ------------------------------------------------------------------ importing
    def choose_files(self) -> None:
        """Ask for bundle files and import them."""
        start = self.context.state.save_dir or str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Import bundles"),
            start,
            _("KISI bundles (*.kisi);;All files (*)"),
        )
        if chosen:
            self.context.state.save_dir = str(Path(chosen[0]).parent)
            self.context.remember()
            self.import_paths([Path(p) for p in chosen])

    def import_paths(self, paths: Sequence[Path]) -> None:
        """Import ``paths`` (files or folders) on a worker, after any import still running."""
        if not paths:
            return
        files = list(paths)
        folder = self.receipts_dir()
        opener = self.context.open
        count = len(intake_jobs.bundle_files(files))
        what = ngettext("Importing {n} file…", "Importing {n} files…", count).format(n=count)

        def job(progress: Progress, stop: Callable[[], bool]) -> Batch:
            return intake_jobs.import_files(opener, files, folder, progress=progress, stop=stop)

        self._enqueue(Queued(job, what, count))

    def run_release(self, action: Callable[[Ministry], list[IntakeResult]], what: str) -> None:
        """Run an operator action on held bundles; list what it let through (or dropped)."""
        folder = self.receipts_dir()
        opener = self.context.open

        def job(_progress: Progress, _stop: Callable[[], bool]) -> Batch:
            return intake_jobs.release(opener, action, folder)

        self._enqueue(Queued(job, what))

    def _enqueue(self, queued: Queued) -> None:
        self._queue.append(queued)
        if not self.running:
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self.running = False
            self.bar.hide()
            self.stop_button.hide()
            self._update()
            return
        queued = self._queue.pop(0)
        self.running = True
        self._shown = 0
        self._stop = threading.Event()
        self.progress.setText(queued.what)
        self.bar.setVisible(queued.files > 0)
        self.stop_button.setVisible(queued.files > 0)
        self.stop_button.setEnabled(True)
        self.bar.setRange(0, max(queued.files, 1))
        self.bar.setValue(0)
        self._update()
        job, stop, relay = queued.job, self._stop, self._relay
        self.context.runner.run(lambda: job(relay.report, stop.is_set), self._done, self._failed)

    def _progressed(self, step: Step) -> None:
        self._show_rows(step.rows)
        done, total = step.done, step.total
        if not self.running or self._stop.is_set():
            return
        if done < total:
            self.progress.setText(
                _("Importing file {n} of {total}…").format(n=done + 1, total=total)
            )
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def stop(self) -> None:
        """Stop the running import before its next file, and drop the imports waiting."""
        if not self.running:
            return
        self._stop.set()
        waiting = [q for q in self._queue if q.files]
        self._dropped += sum(q.files for q in waiting)
        self._queue = [q for q in self._queue if not q.files]
        self.stop_button.setEnabled(False)
        self.progress.setText(_("Stopping after the file being imported…"))

    def _show_rows(self, rows: Sequence[ResultRow]) -> None:
        """The running job's next rows, below its earlier ones, above older jobs' rows."""
        if not rows:
            return
        first = self._shown == 0
        # The newest row stays in sight while the last one was (not once the clerk
        # scrolled elsewhere to read a result).
        follow = first or self._in_sight(self._shown - 1)
        self.model.insert_rows(self._shown, rows)
        self._shown += len(rows)
        if first:
            self.view.selectRow(0)
        if follow:
            self.view.doItemsLayout()  # now, not later: the scroll range must know the rows
            self.view.scrollTo(self.model.index(self._shown - 1, 0))
        self._relay.shown()

    def _in_sight(self, row: int) -> bool:
        rect = self.view.visualRect(self.model.index(row, 0))
        return rect.isValid() and self.view.viewport().rect().intersects(rect)

    def _done(self, batch: Batch) -> None:
        rows = batch.rows
        skipped = batch.skipped + self._dropped
        self._dropped = 0
        self._show_rows(rows[self._shown :])
        text = self.summary(rows, skipped)
        self.progress.setText(text)
        self.status.emit(text)
        self.changed.emit()
        self._next()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            self.running = False
            self._update()
            raise error
        self.progress.setText(str(error))
        self.status.emit(str(error))
        self.changed.emit()
        self._next()

    def summary(self, rows: Sequence[ResultRow], skipped: int = 0) -> str:
        """One sentence on what the last job did (and what a stop left out)."""
        stopped = ""
        if skipped:
            stopped = " " + ngettext(
                "Stopped: {n} file was not imported; import it again to take it in.",
                "Stopped: {n} files were not imported; import them again to take them in.",
                skipped,
            ).format(n=skipped)
        if not rows:
            if skipped:
                return stopped.strip()
            return _("Nothing was imported: no bundle files were given.")
        counts = {
            key: sum(1 for r in rows if r.outcome == key)
            for key in (
                intake.OUTCOME_IMPORTED,
                intake.OUTCOME_DUPLICATE,
                intake.OUTCOME_HELD,
                intake.OUTCOME_REJECTED,
                UNREADABLE,
            )
        }
        parts = [
            f"{n} {outcome_label(k) if k != UNREADABLE else _('not read')}"
            for k, n in counts.items()
            if n
        ]
        return (
            ngettext(
                "{n} result: {parts}. Receipts are in {folder}.",
                "{n} results: {parts}. Receipts are in {folder}.",
                len(rows),
            ).format(n=len(rows), parts=", ".join(parts), folder=self.receipts_dir())
            + stopped
        )

    # ------------------------------------------------------------------ view
    def clear(self) -> None:
        """Empty the list of results (the intake database keeps everything)."""
        self.model.clear()
        self.detail.clear()
        self.progress.clear()
        self._update()

    def _show_detail(self) -> None:
        index = self.view.currentIndex()
        row: ResultRow | None = (
            index.siblingAtColumn(0).data(RowRole.ROW) if index.isValid() else None
        )
        if row is None:
            self.detail.clear()
            return
        lines = [f"{row.file_name}: {row.message}"]
        if row.receipt_problem:
            lines.append(row.receipt_problem)
        elif row.receipt:
            lines.append(_("Receipt: {path}").format(path=row.receipt))
        self.detail.setText("\n".join(lines))

    def _update(self) -> None:
        self.folder_label.setText(_("Receipts go to: {folder}").format(folder=self.receipts_dir()))
        self.clear_button.setEnabled(self.model.rowCount() > 0 and not self.running)
