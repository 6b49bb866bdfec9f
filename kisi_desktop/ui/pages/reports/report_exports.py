"""The Reports page's export buttons: the chosen period's report as CSV, XLSX or PDF.

Every format writes what :func:`kisi_desktop.reports.sections.report_sections` assembles,
with small cells suppressed and local-only tables left out: these files leave the laptop
(they go to the ministry), so they hold aggregates only, never a name. The report is in the
UI language (German by default, as the ministry reads it).

After the file dialog everything runs in the task runner: assembling the sections (0.7 s
with 10,000 people), over a copy of the records taken when the guide clicked; turning them
into bytes (a PDF takes about 0.15 s); writing the file. One export at a time: the buttons
wait while one runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QPushButton

from kisi_desktop.core.clock import today
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import safe_file_name, write_atomic
from kisi_desktop.core.i18n import N_, _, translator, ui_language
from kisi_desktop.core.read_copy import ReadCopy
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.csv_export import csv_bytes
from kisi_desktop.reports.periods import Period

from kisi_desktop.ui.pages.base import Page

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Format:
    """One export format: its button, its file type, its dialog filter."""

    key: str
    text: str
    tip: str
    suffix: str
    filter: str


FORMATS = (
    Format(
        "csv",
        N_("&CSV…"),
        N_("Save the report as a CSV file (small cells suppressed, no names)"),
        ".csv",
        N_("CSV files (*.csv)"),
    ),
    Format(
        "xlsx",
        N_("&XLSX…"),
        N_("Save the report as an Excel workbook (small cells suppressed, no names)"),
        ".xlsx",
        N_("Excel workbooks (*.xlsx)"),
    ),
    Format(
        "pdf",
        N_("&PDF…"),
        N_("Save the report for the ministry as a PDF (small cells suppressed, no names)"),
        ".pdf",
        N_("PDF files (*.pdf)"),
    ),
)


def file_name(period: Period, suffix: str) -> str:
    """The suggested file name in the UI language, e.g. ``KISI-Bericht_PY1.pdf``."""
    name = _("KISI-report_{period}").format(period=period.key.replace("..", "_"))
    return f"{safe_file_name(name)}{suffix}"


def make_bytes(key: str, ws: Workspace, period: Period, language: str) -> Callable[[], bytes]:
    """Read what the report needs now; the returned call makes the file's bytes.

    The call touches no workspace. Both may run on a worker when ``ws`` is a read copy.
    """
    # Imported here, on the worker: the sections (with ReportLab's charts), openpyxl and
    # ReportLab's page layout take 0.3 s to import, which opening the Reports page would
    # otherwise spend on the UI thread.
    from kisi_desktop.reports.sections import (
        export_tables,
        report_charts,
        report_info,
        report_sections,
    )

    created = today(ws.clock)
    # The same sections as `kisi report`: in the export's language, dated by the vault's
    # clock, and for CSV/XLSX with the report's details first (export_tables).
    tables = report_sections(ws, period, language=language, on=created)
    info = report_info(ws, period, created)
    if key == "csv":
        return partial(csv_bytes, export_tables(info, tables), language=language)
    if key == "xlsx":
        from kisi_desktop.reports.xlsx_export import xlsx_bytes

        # (On the worker: in the export's language, whatever the UI shows meanwhile.)
        title = translator(language).gettext("KISI report {period}").format(period=period.key)
        return partial(
            xlsx_bytes, export_tables(info, tables), language=language, title=title, created=created
        )
    if key == "pdf":
        from kisi_desktop.reports.pdf_report import render_pdf

        return partial(render_pdf, info, tables, report_charts(tables), language=language)
    raise ValueError(f"unknown export format {key!r}")


class ReportExports(QObject):
    """The three buttons and what they do; see the module docstring."""

    def __init__(
        self, page: Page, period: Callable[[], Period], has_figures: Callable[[], bool]
    ) -> None:
        super().__init__(page)
        self.page = page
        self._period = period
        self._has_figures = has_figures
        self.running: str | None = None  # the format being written
        self._save_dir = Path.home()
        self._generation = 0  # a lock starts a new one: late answers are not shown
        self._copy: ReadCopy | None = None  # the records the running export reads
        self.buttons: list[QPushButton] = []
        for fmt in FORMATS:
            button = QPushButton()
            button.setObjectName(f"report{fmt.key.capitalize()}Button")
            button.clicked.connect(lambda _checked=False, k=fmt.key: self.export(k))
            self.buttons.append(button)
        self.update_enabled()

    def retranslate_ui(self) -> None:
        """Button texts and tooltips in the UI language."""
        for button, fmt in zip(self.buttons, FORMATS, strict=True):
            button.setText(_(fmt.text))
            button.setToolTip(_(fmt.tip))
            button.setAccessibleName(_(fmt.tip))

    def button(self, key: str) -> QPushButton:
        """The button of format ``key``."""
        return self.buttons[[f.key for f in FORMATS].index(key)]

    def update_enabled(self) -> None:
        """Enabled while a vault is open, figures are shown and no export runs."""
        ready = self.page.workspace is not None and self.running is None and self._has_figures()
        for button in self.buttons:
            button.setEnabled(ready)

    def abandon(self) -> None:
        """Locked: an export still reading the records stops and writes nothing (its copy
        of them is dropped); one already writing its file finishes. Neither reports here."""
        if self._copy is not None:
            self._copy.discard()
            self._copy = None
        self._generation += 1
        self.running = None
        self.update_enabled()

    def export(self, key: str) -> None:
        """Ask where, then write the chosen period's report in format ``key`` there."""
        fmt = next(f for f in FORMATS if f.key == key)
        if self.page.workspace is None or self.running is not None:
            return
        period = self._period()
        chosen, _filter = QFileDialog.getSaveFileName(
            self.page,
            _("Save the report"),
            str(self._save_dir / file_name(period, fmt.suffix)),
            _(fmt.filter),
        )
        ws = self.page.workspace
        if not chosen or ws is None:
            return  # cancelled, or locked while the dialog was open
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(fmt.suffix)
        self._save_dir = path.parent
        try:
            copy = self._copy = ReadCopy(ws)  # read on the worker while the guide goes on
        except Exception as error:  # (locked meanwhile): nothing was written
            log.error("copying the records for the report failed: %s", type(error).__name__)
            self.page.status.emit(_("The report could not be written."))
            return
        language = ui_language()
        self.running = key
        self.update_enabled()
        generation = self._generation

        def work() -> Path:
            try:
                data = make_bytes(key, copy, period, language)()
            finally:
                copy.lock()
            write_atomic(path, data)
            return path

        def done(written: Path) -> None:
            if generation != self._generation:
                return
            self.running = None
            self._copy = None
            self.update_enabled()
            self.page.status.emit(_("Saved as {path}.").format(path=written))

        def failed(error: BaseException) -> None:
            current = generation == self._generation
            if current:
                self.running = None
                self._copy = None
                self.update_enabled()
            if isinstance(error, OSError):  # the file was not written, locked or not
                self.page.status.emit(
                    _("Could not save {path}: {error}").format(
                        path=path, error=error.strerror or error
                    )
                )
            elif not current:
                return  # a lock stopped it while it read the records; nothing was written
            elif isinstance(error, UserError):
                self.page.status.emit(str(error))
            else:  # a bug: said plainly, details (no personal data) to the log
                log.error("writing the report failed: %s", type(error).__name__)
                self.page.status.emit(_("The report could not be written."))

        self.page.context.runner.run(work, done, failed)
