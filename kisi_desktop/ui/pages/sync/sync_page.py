"""The Sync page (Abgleich): what goes to the ministry, what came back, and what is missing.

Top left, the next bundle: the period (since the last bundle by default) and a preview of
what will leave the laptop (files and records, the privacy sentence, participation rows
when the ministry asks for them), then "Export…" into a folder - a USB stick is a folder -
behind a progress dialog with Cancel (:mod:`bundle_writer`). Top right, the ministry's
provisioning (:mod:`provisioning_box`), the handout texts it sent
(:mod:`content_pack_box`) and this device's signing key to register with the ministry
(:mod:`device_box`). Below, the ledger of every bundle with its receipt, saved as
CSV, written again, uploaded when the provisioning names an intake server
(:mod:`uploader`), and the receipts the ministry sent back imported (:mod:`receipt_import`).
A banner above says what is overdue (:mod:`warning_banner`).

Timing (10,000 people, 30,000 contacts, three years): the preview computes the bundle's
payload in about half a second. It runs on a worker over a copy of the records
(:class:`BackgroundRead`), with a note that it is counting, when the period changes (after a
short pause, so scrolling through the drop-down does not compute each entry) and when the
page is shown after other pages wrote, never while hidden; only the newest answer is shown.

On lock every figure, row and open question goes; a write still running finishes without
reporting (see :mod:`bundle_writer`).

A little over the usual 400 lines because it wires the period, the preview, two writers
(export, upload), two import boxes and the ledger's actions to one another and to the
vault's state; each part lives in a module of its own beside it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.clock import today
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import safe_file_name, write_atomic
from kisi_desktop.core.i18n import _, ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import (
    Payload,
    build_payload,
    choose_period,
    last_covered,
    ledger,
    participation_asked,
    pending_prepared,
)
from kisi_desktop.bundles.ledger_table import ledger_csv
from kisi_desktop.bundles.upload import pending_uploads

from kisi_desktop.ui.pages.background_read import BackgroundRead
from kisi_desktop.ui.pages.base import LazyPage, PageContext
from kisi_desktop.ui.pages.sync.bundle_writer import BundleWriter
from kisi_desktop.ui.pages.sync.content_pack_box import ContentPackBox
from kisi_desktop.ui.pages.sync.device_box import DeviceBox
from kisi_desktop.ui.pages.sync.ledger_rows import ledger_model, ledger_rows
from kisi_desktop.ui.pages.sync.messages import close_quietly, error_text, message_box
from kisi_desktop.ui.pages.sync.preview_panel import PreviewPanel, waiting_note
from kisi_desktop.ui.pages.sync.provisioning_box import ProvisioningBox
from kisi_desktop.ui.pages.sync.receipt_import import ReceiptResultsDialog, import_receipts
from kisi_desktop.ui.pages.sync.sync_period import SyncPeriodChooser
from kisi_desktop.ui.pages.sync.uploader import Uploader
from kisi_desktop.ui.pages.sync.warning_banner import WarningBanner, sync_warnings
from kisi_desktop.ui.tables.row_model import RowRole
from kisi_desktop.ui.tables.row_view import row_table
from kisi_desktop.ui.widgets.busy_note import BusyNote
from kisi_desktop.ui.widgets.button_commands import ButtonCommands
from kisi_desktop.ui.widgets.scroll import plain_scroll_area

log = logging.getLogger(__name__)
PREVIEW_PAUSE_MS = 250
AUTO_UPLOAD_MS = 5 * 60 * 1000  # the back-off itself starts at one minute


class SyncPage(LazyPage):
    """See the module docstring."""

    key = "sync"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.last_dir = Path.home()
        self.results_dialog: ReceiptResultsDialog | None = None
        self.message: QMessageBox | None = None

        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.banner = WarningBanner()

        # -- the next bundle
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_PAUSE_MS)
        self._preview_timer.timeout.connect(self._update_preview)
        self.chooser = SyncPeriodChooser()
        self.chooser.period_changed.connect(self._period_changed)
        self.preview = PreviewPanel()
        self.reader = BackgroundRead(context.runner, self)
        self.busy_note = BusyNote("syncPreviewBusy")
        self.reader.busy_changed.connect(self._counting)
        self.export_button = QPushButton()
        self.export_button.setObjectName("syncExport")
        self.export_button.clicked.connect(lambda: self.export())
        self.writer = BundleWriter(self)
        self.writer.finished.connect(self._after_write)
        self.next_box = QGroupBox()
        next_layout = QVBoxLayout(self.next_box)
        next_layout.addWidget(self.chooser)
        next_layout.addWidget(self.busy_note)
        next_layout.addWidget(self.preview)
        next_layout.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        next_layout.addStretch(1)

        # -- what the ministry sent
        self.provisioning = ProvisioningBox(lambda: self.workspace)
        self.provisioning.installed.connect(self._after_provisioning)
        self.content = ContentPackBox(lambda: self.workspace)
        self.content.installed.connect(self._after_content_pack)
        self.device = DeviceBox(lambda: self.workspace)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.provisioning)
        side_layout.addWidget(self.content)
        side_layout.addWidget(self.device)
        side_layout.addStretch(1)
        # Long provisioning texts (demo, expired, participation rows) and a short screen may
        # need more height than the splitter gives: then the column scrolls, never squeezes.
        self.side = plain_scroll_area(side, "syncSideColumn")
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side.setFixedWidth(400)
        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.next_box, 1)
        top_layout.addWidget(self.side)

        # -- the ledger
        self.ledger_label = QLabel()
        self.ledger_model = ledger_model(self)
        self.ledger_view = row_table("syncLedger", self.ledger_model, alternating=True, packed=True)
        self.ledger_label.setBuddy(self.ledger_view)
        header = self.ledger_view.horizontalHeader()
        fit = QHeaderView.ResizeMode.ResizeToContents
        for column in range(5):
            header.setSectionResizeMode(column, fit)
        # Short enough to leave the side column its height at the window's natural size
        # on a 1366x768 screen (Qt's default minimum is three rows): the headings and a row.
        self.ledger_view.setMinimumHeight(
            header.sizeHint().height()
            + self.ledger_view.verticalHeader().defaultSectionSize()
            + 2 * self.ledger_view.frameWidth()
        )
        self.ledger_view.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._update_buttons()
        )
        self.csv_button = QPushButton()
        self.csv_button.setObjectName("syncSaveCsv")
        self.csv_button.clicked.connect(lambda: self.save_csv())
        self.again_button = QPushButton()
        self.again_button.setObjectName("syncWriteAgain")
        self.again_button.clicked.connect(lambda: self.write_again())
        self.receipts_button = QPushButton()
        self.receipts_button.setObjectName("syncImportReceipts")
        self.receipts_button.clicked.connect(lambda: self.import_receipts())
        self.uploader = Uploader(self)
        self.uploader.finished.connect(self._after_write)
        # The upload queue survives restarts in the ledger; while the vault is open this
        # timer works through it (each bundle only when its back-off has run out).
        self.auto_upload = QTimer(self)
        self.auto_upload.setInterval(AUTO_UPLOAD_MS)
        self.auto_upload.timeout.connect(self.upload_when_due)
        self.upload_button = QPushButton()
        self.upload_button.setObjectName("syncUpload")
        self.upload_button.clicked.connect(lambda: self.upload())
        self.upload_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.ledger_label)
        buttons.addStretch(1)
        for button in (
            self.upload_button,
            self.receipts_button,
            self.again_button,
            self.csv_button,
        ):
            buttons.addWidget(button)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(buttons)
        bottom_layout.addWidget(self.ledger_view, 1)
        # In the order Tab reaches them.
        self.commands = ButtonCommands(
            self,
            [
                self.export_button,
                self.provisioning.import_button,
                self.content.import_button,
                self.device.show_button,
                self.upload_button,
                self.receipts_button,
                self.again_button,
                self.csv_button,
            ],
        )

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([440, 180])
        # The top gets the height the side column needs first, the ledger the rest (fixed
        # sizes cut "Dieses Gerät" in half at 1366x768 above an empty ledger of 170
        # pixels): fitted as the page or the column's texts change, until the guide drags
        # the handle.
        self._split_by_hand = False
        self.splitter.splitterMoved.connect(self._splitter_dragged)
        self._split_timer = QTimer(self)
        self._split_timer.setSingleShot(True)
        self._split_timer.setInterval(0)
        self._split_timer.timeout.connect(self._fit_splitter)
        self._split_panes = (top, bottom)
        self._side_inner = side
        self.splitter.installEventFilter(self)
        side.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()
        self._update_buttons()

    # ------------------------------------------------------------------ splitter
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The splitter was resized or the side column's contents changed: fit again."""
        kind = event.type()
        if (watched is self.splitter and kind == QEvent.Type.Resize) or (
            watched is self._side_inner and kind == QEvent.Type.LayoutRequest
        ):
            if not self._split_by_hand:
                self._split_timer.start()
        return super().eventFilter(watched, event)

    def _splitter_dragged(self, _pos: int, _index: int) -> None:
        self._split_by_hand = True  # the guide's choice is kept

    def side_height_needed(self) -> int:
        """The height the side column (provisioning, handout texts, this device) needs to
        be shown whole at its width, without scrolling."""
        inner = self._side_inner
        width = self.side.width() - 2 * self.side.frameWidth()
        if inner.hasHeightForWidth():
            return max(inner.heightForWidth(width), inner.minimumSizeHint().height())
        return inner.sizeHint().height()

    def _fit_splitter(self) -> None:
        """The top as high as the side column needs (at least what the next bundle's
        box needs), the ledger below the rest, but never less than its own minimum: on
        a short screen the side column scrolls instead."""
        total = self.splitter.height() - self.splitter.handleWidth()
        if self._split_by_hand or total <= 0:
            return
        top, bottom = self._split_panes
        want = max(self.side_height_needed(), top.minimumSizeHint().height())
        height = max(min(want, total - bottom.minimumSizeHint().height()), 0)
        if self.splitter.sizes() != [height, total - height]:
            self.splitter.setSizes([height, total - height])

    def menu_actions(self) -> list[QAction | None]:
        """The page's buttons, for the window's Edit menu."""
        return list(self.commands.actions())

    def retranslate_ui(self) -> None:
        """Every text in the current UI language; what is shown is worded again."""
        self.heading.setText("<h2>" + _("Sync with the ministry") + "</h2>")
        self.next_box.setTitle(_("Next bundle for the ministry"))
        self.chooser.retranslate_ui()
        self.preview.retranslate_ui()
        self.busy_note.set_text(_("Counting what the bundle would carry…"))
        self.export_button.setText(_("E&xport…"))
        self.export_button.setToolTip(
            _("Write the next bundle into a folder, e.g. on a USB stick (signed, encrypted)")
        )
        self.export_button.setAccessibleName(_("Export the next bundle"))
        self.provisioning.retranslate_ui()
        self.content.retranslate_ui()
        self.device.retranslate_ui()
        self.ledger_label.setText("<b>" + _("Bundles &sent") + "</b>")
        self.ledger_view.setAccessibleName(_("Bundles sent to the ministry"))
        self.csv_button.setText(_("Save as &CSV…"))
        self.csv_button.setToolTip(_("Save the list of bundles as a CSV file"))
        self.csv_button.setAccessibleName(_("Save the list of bundles as CSV"))
        self.again_button.setText(_("&Write again…"))
        self.again_button.setToolTip(
            _("Write the selected bundle again into a folder (e.g. when a USB stick was lost)")
        )
        self.again_button.setAccessibleName(_("Write the selected bundle again"))
        self.receipts_button.setText(_("Import recei&pts…"))
        self.receipts_button.setToolTip(_("Import the receipts the ministry sent back"))
        self.receipts_button.setAccessibleName(_("Import receipts"))
        self.upload_button.setText(_("&Upload"))
        self.upload_button.setToolTip(
            _("Send the bundles still waiting for a receipt to the ministry's server now")
        )
        self.upload_button.setAccessibleName(_("Upload the waiting bundles"))
        self.ledger_model.retranslate()
        # The warnings and the preview are worded when read: hidden, read when shown.
        self.refresh()

    # ------------------------------------------------------------------ life cycle
    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show the unlocked vault; on lock drop every figure, row and open question."""
        self.workspace = workspace
        if workspace is None:
            self.reader.abandon()
            self.auto_upload.stop()
            self.writer.abandon()
            self.uploader.abandon()
            self.provisioning.abandon()
            self.content.abandon()
            self.device.abandon()
            close_quietly(self.results_dialog)
            close_quietly(self.message)
            self.results_dialog = self.message = None
            self._clear()
            return
        self.chooser.choose("since-last")
        self.refresh()
        self.auto_upload.start()

    def reload(self) -> None:
        """The ledger, the boxes, the warnings and the preview; locked: nothing."""
        if self.workspace is None:
            self._clear()
        else:
            self._load()

    def _clear(self) -> None:
        self._stale = False
        self._preview_timer.stop()
        self.ledger_model.clear()
        self.preview.clear()
        self.banner.show_lines([])
        self.chooser.set_since_last(None)
        self.provisioning.refresh()
        self.content.refresh()
        self.device.refresh()
        self._update_buttons()

    def _load(self) -> None:
        """The ledger, the boxes, the warnings and the preview, from the vault."""
        if self.workspace is None:
            return
        self._stale = False
        self._load_ledger()
        self.provisioning.refresh()
        self.content.refresh()
        self.device.refresh()
        self._update_warnings()
        self._update_preview()

    def _load_ledger(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        chosen = self.selected_entry()
        self.ledger_model.set_rows(ledger_rows(ledger(ws)))
        if chosen is not None:
            self.select_entry(chosen)
        self._update_buttons()

    def _update_warnings(self) -> None:
        if self.workspace is not None:
            self.banner.show_lines(
                sync_warnings(self.workspace, self.provisioning.doc, self.content.warning)
            )

    # ------------------------------------------------------------------ preview
    def _update_preview(self) -> None:
        ws = self.workspace
        self._preview_timer.stop()
        self.preview.setEnabled(not self.reader.busy)  # (dimmed again if a count begins)
        if ws is None:
            return
        if not self.isVisible():  # e.g. the period reset at unlock: computed when shown
            self._stale = True
            return
        try:
            since = choose_period(ws, since_last=True)
        except UserError as error:
            self.chooser.set_since_last(None, str(error), covered=last_covered(ws))
        else:
            self.chooser.set_since_last(since)
        notes = waiting_note(ws)
        period = self.chooser.period()
        if period is None:
            self.reader.abandon()
            self.preview.clear("\n".join([self.chooser.problem_text(), *notes]).strip())
            self._update_buttons()
            return
        try:
            chosen = choose_period(
                ws, period=self.chooser.arg(), since_last=self.chooser.arg() is None
            )
            asked = participation_asked(ws)
        except UserError as error:
            self.reader.abandon()
            self.preview.clear("\n".join([error_text(error), *notes]))
            self._update_buttons()
            return

        def failed(error: BaseException) -> None:
            if self.workspace is None:
                return
            if isinstance(error, UserError):
                text = error_text(error)
            else:  # a bug: said plainly, details (no personal data) to the log
                log.error("counting the bundle preview failed: %s", type(error).__name__)
                text = _("The bundle's contents could not be counted.")
            self.preview.clear("\n".join([text, *notes]))
            self._update_buttons()

        self.reader.start(
            ws,
            lambda copy: build_payload(copy, chosen, participation=asked),
            lambda payload: self._show_preview(payload, notes),
            failed,
        )

    def _period_changed(self) -> None:
        # Until the new period's preview is counted, the one shown is another period's.
        self._preview_timer.start()
        self.preview.setEnabled(False)
        self._update_buttons()

    def _preview_pending(self) -> bool:
        """True while the preview shown is not yet that of the chosen period."""
        return self.reader.busy or self._preview_timer.isActive()

    def _counting(self, busy: bool) -> None:
        # While counting, the preview still shows the last period: dimmed, and Export waits
        # (it would write the newly chosen period, not the one shown).
        self.busy_note.set_busy(busy)
        self.preview.setEnabled(not self._preview_pending())
        self._update_buttons()

    def _show_preview(self, payload: Payload, notes: list[str]) -> None:
        if self.workspace is None:
            return
        self.preview.show_payload(payload, notes, self.workspace.ref)
        self._update_buttons()

    # ------------------------------------------------------------------ buttons
    def _update_buttons(self) -> None:
        ws = self.workspace
        idle = ws is not None and not self.writer.running and not self.uploader.running
        provisioned = self.provisioning.doc is not None
        self.upload_button.setVisible(self.uploader.available(ws))
        self.upload_button.setEnabled(
            idle and ws is not None and bool(pending_uploads(ws)) and provisioned
        )
        waiting = ws is not None and pending_prepared(ws) is not None
        has_period = self.preview.payload is not None and not self._preview_pending()
        self.export_button.setEnabled(idle and provisioned and (has_period or waiting))
        self.again_button.setEnabled(idle and provisioned and self.selected_entry() is not None)
        self.csv_button.setEnabled(idle and self.ledger_model.rowCount() > 0)
        self.receipts_button.setEnabled(idle and provisioned)

    def selected_entry(self) -> str | None:
        """The id of the selected ledger row."""
        index = self.ledger_view.currentIndex()
        return str(index.data(RowRole.ID)) if index.isValid() else None

    def select_entry(self, entry_id: str) -> None:
        """Select the ledger row of ``entry_id``."""
        row = self.ledger_model.row_index(entry_id)
        if row >= 0:
            self.ledger_view.selectRow(row)

    def _choose_folder(self, title: str) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, title, str(self.last_dir))
        if not chosen or self.workspace is None:
            return None  # cancelled, or locked while the dialog was open
        self.last_dir = Path(chosen)
        return self.last_dir

    def export(self) -> None:
        """Ask for a folder, then export the next bundle there."""
        if self.workspace is None or self.writer.running:
            return
        folder = self._choose_folder(_("Export the bundle into this folder (e.g. a USB stick)"))
        if folder is not None:
            self.writer.export(folder, self.chooser.arg())
            self._update_buttons()

    def write_again(self) -> None:
        """Ask for a folder, then write the selected bundle there again."""
        entry = self.selected_entry()
        if self.workspace is None or entry is None or self.writer.running:
            return
        folder = self._choose_folder(_("Write the bundle again into this folder"))
        if folder is not None:
            self.writer.write_again(entry, folder)
            self._update_buttons()

    def _after_write(self) -> None:
        if self.workspace is None:
            return
        self._load_ledger()
        self._update_warnings()
        self._update_preview()
        written, self.writer.written_entry = self.writer.written_entry, None
        if written is not None:
            # The bundle just written, chosen: Export is off now, and focus fell to the
            # next button, "Import provisioning file…" (keyboard QA pass). Set while the
            # message is up, it is where focus comes back when the message closes.
            self.select_entry(written)
            self.ledger_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_csv(self) -> None:
        """Save the ledger as the CSV file ``kisi bundles --csv`` writes."""
        ws = self.workspace
        if ws is None:
            return
        name = _("KISI-bundles_{day}").format(day=today(ws.clock).isoformat())
        name = f"{safe_file_name(name)}.csv"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the list of bundles"), str(self.last_dir / name), _("CSV files (*.csv)")
        )
        ws = self.workspace
        if not chosen or ws is None:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".csv")
        try:
            write_atomic(path, ledger_csv(ledger(ws), ui_language()))
        except OSError as error:
            self.message = message_box(
                self,
                QMessageBox.Icon.Warning,
                _("Save the list of bundles"),
                _("Could not save {path}: {error}").format(
                    path=path, error=error.strerror or error
                ),
                "csvFailed",
            )
            return
        self.status.emit(_("Saved as {path}.").format(path=path))

    def import_receipts(self) -> None:
        """Ask for receipt files, apply each, then show what each did."""
        if self.workspace is None:
            return
        chosen, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Import the ministry's receipts"),
            str(self.last_dir),
            _("Receipts (*.receipt);;All files (*)"),
        )
        ws = self.workspace
        if not chosen or ws is None:
            return
        self.last_dir = Path(chosen[0]).parent
        results = import_receipts(ws, [Path(c) for c in chosen])
        self._after_write()
        close_quietly(self.results_dialog)
        dialog = ReceiptResultsDialog(results, self.window())
        self.results_dialog = dialog
        dialog.open()

    def upload_when_due(self) -> None:
        """The timer's round: bundles whose back-off has run out, quietly. Not while a
        worker renews the keys (``Session.lend``): the next round sends them."""
        ws = self.workspace
        if self.context.session.lent:
            return
        if ws is not None and self.uploader.available(ws) and not self.writer.running:
            self.uploader.upload(automatic=True)

    def upload(self) -> None:
        """Send the bundles waiting for a receipt to the ministry's server now."""
        if self.workspace is not None and not self.writer.running:
            self.uploader.upload()
            self._update_buttons()

    def _after_provisioning(self) -> None:
        self.content.refresh()
        self._update_warnings()
        self._update_preview()

    def _after_content_pack(self) -> None:
        self._update_warnings()
        self.changed.emit("content_pack")
