"""Printing the previewed handout on a worker, with a progress dialog that names the page.

Each page is rendered at 300 dpi (``print_support.py``), a good part of a second per page;
on the UI thread a welcome pack of several pages froze the window until the last one was
out. The worker gets the PDF's bytes and the printer the print dialog set up; the UI
thread only shows "Page 2 of 4 is being printed…" and takes a cancel between pages.

Signals:
    status(str): a line for the window's status bar (printed, or cancelled).
    failed(str): printing failed; the page shows the sentence in a box.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

from kisi_desktop.core.i18n import _, ngettext

from kisi_desktop.ui.pages.handouts.print_support import PrintCancelled, print_pdf
from kisi_desktop.ui.widgets.progress import close_progress, set_up_progress, show_progress
from kisi_desktop.ui.workers import TaskRunner


class HandoutPrinter(QObject):
    """See the module docstring; one print at a time."""

    status = Signal(str)
    failed = Signal(str)
    _progressed = Signal(int, int)  # emitted on the worker, delivered here

    def __init__(self, parent: QWidget, runner: TaskRunner) -> None:
        super().__init__(parent)
        self._parent = parent
        self._runner = runner
        self._cancel = threading.Event()
        self._generation = 0  # a lock drops the answer of the print it stopped
        self.running = False
        self.progress: QProgressDialog | None = None
        self._progressed.connect(self._show_progress)

    def start(self, pdf: bytes, printer: QPrinter) -> None:
        """Print ``pdf`` on ``printer`` on a worker; nothing if a print is still running."""
        if self.running:
            return
        self.running = True
        self._generation += 1
        generation = self._generation
        cancel = self._cancel = threading.Event()
        self.progress = self._progress_dialog()

        def done(pages: int) -> None:
            if generation == self._generation:
                self._stop()
                self.status.emit(
                    ngettext("Printed {n} page.", "Printed {n} pages.", pages).format(n=pages)
                )

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            self._stop()
            if isinstance(error, PrintCancelled):
                self.status.emit(_("Printing cancelled; nothing was printed."))
            elif isinstance(error, OSError):
                self.failed.emit(
                    _(
                        "The handout could not be printed: the printer or the file it "
                        "writes could not be opened ({target}). Check the printer and "
                        "try again."
                    ).format(target=error)
                )
            else:
                raise error

        self._runner.run(
            lambda: print_pdf(
                pdf, printer, progress=self._progressed.emit, cancelled=cancel.is_set
            ),
            done,
            failed,
        )

    def stop(self) -> None:
        """Cancel a running print and forget its answer (lock)."""
        self._cancel.set()
        self._generation += 1
        self._stop()

    def _progress_dialog(self) -> QProgressDialog:
        dialog = QProgressDialog(self._parent)
        set_up_progress(dialog, "handoutPrintProgress", _("Print"), _("Preparing the print…"))
        dialog.setCancelButtonText(_("Cancel"))
        dialog.canceled.connect(self._cancelled)
        dialog.show()
        return dialog

    def _show_progress(self, done: int, total: int) -> None:
        dialog = self.progress
        if dialog is None or self._cancel.is_set():
            return
        if done < total:
            dialog.setLabelText(
                _("Page {page} of {pages} is being printed…").format(page=done + 1, pages=total)
            )
        # Last: setValue() on a modal dialog handles pending events, which may end the print.
        show_progress(dialog, done, total)

    def _cancelled(self) -> None:
        self._cancel.set()
        if self.progress is not None:
            self.progress.setLabelText(_("Cancelling…"))

    def _stop(self) -> None:
        self.running = False
        close_progress(self.progress)
        self.progress = None
