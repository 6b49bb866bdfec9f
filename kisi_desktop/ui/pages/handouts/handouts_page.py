"""The Handouts page: choose topics, a language and a layout; preview, print, save, record.

One topic or several (Ctrl+click, Shift+click, Ctrl+A in the list): several topics in one
language make one PDF, each handout from a new page, for a welcome pack printed in one go;
"record handout given" then records one handout given per topic.

Rendering a handout takes about a tenth of a second, so it runs in the task runner, one at
a time, and only the latest choice is shown (render_queue.py).

On lock everything goes: the topic list, the selections, the preview (it carries the
municipality's and the guide's contact details), and open dialogs.

Longer than the usual 400 lines because it is the wiring of five actions (choose one topic
or several, preview, print, save, record) and their enabled states, which read best
together; every part with a job of its own (models, preview widget, printing, render queue,
dialog) lives beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.domain import HandoutGiven
from kisi_desktop.core.errors import KisiError, UserError
from kisi_desktop.core.files import why_not_written, write_atomic
from kisi_desktop.core.i18n import N_, _, ui_language
from kisi_desktop.core.person_labels import person_choices
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.content_packs import installed_pack_folder
from kisi_desktop.handouts.catalog import SOURCE_LANGUAGE, Catalog, user_catalog
from kisi_desktop.handouts.layout import Layout

from kisi_desktop.ui.pages.base import Page, PageContext
from kisi_desktop.ui.pages.handouts.given_dialog import HandoutGivenDialog, recorded_message
from kisi_desktop.ui.pages.handouts.handout_models import (
    HandoutRole,
    LanguageListModel,
    TopicListModel,
    language_rows,
    summary_line,
    topic_rows,
    topic_title,
)
from kisi_desktop.ui.pages.handouts.pdf_preview import PdfPreview
from kisi_desktop.ui.pages.handouts.print_job import HandoutPrinter
from kisi_desktop.ui.pages.handouts.print_support import prepare_printer
from kisi_desktop.ui.pages.handouts.render_queue import PreviewJob, RenderQueue, preview_job
from kisi_desktop.ui.widgets.button_commands import ButtonCommands

LAYOUTS = (
    (Layout.SIDE_BY_SIDE, N_("Side by side")),
    (Layout.ALTERNATING, N_("Alternating")),
    (Layout.SINGLE, N_("This language only")),
)
PREVIEW_DELAY_MS = 120  # arrow keys through the topic list render only where they stop


class HandoutsPage(Page):
    """See the module docstring."""

    key = "handouts"

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        load_catalog: Callable[[], Catalog] | None = None,
    ) -> None:
        super().__init__(context, parent)
        self._load_catalog = load_catalog or self._catalog_with_pack
        self.catalog: Catalog | None = None
        self.shown: PreviewJob | None = None  # what the preview shows
        self.pdf: bytes | None = None  # its bytes, for saving
        self.queue = RenderQueue(context.runner, self._finished)
        self._stale = False
        self._restoring = False  # the topic list is being refilled (see _fill_topics)
        self._save_dir = Path.home()
        self.dialog: HandoutGivenDialog | None = None
        self.print_dialog: QPrintDialog | None = None
        self.failure_box: QMessageBox | None = None
        self.printing = HandoutPrinter(self, context.runner)
        self.printing.status.connect(self.status)
        self.printing.failed.connect(self._tell_not_printed)

        self.heading = QLabel()
        self.topics_label = QLabel()
        self.topic_model = TopicListModel(self)
        self.topic_view = QListView()
        self.topic_view.setObjectName("handoutTopics")
        self.topic_view.setModel(self.topic_model)
        self.topic_view.setUniformItemSizes(True)
        self.topic_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.topics_label.setBuddy(self.topic_view)
        self.language_model = LanguageListModel(self)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("handoutLanguage")
        self.language_combo.setModel(self.language_model)
        self.language_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.language_combo.setMinimumContentsLength(16)
        self.layout_combo = QComboBox()
        self.layout_combo.setObjectName("handoutLayout")
        for choice, _text in LAYOUTS:
            self.layout_combo.addItem("", choice.value)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language_combo)
        self.layout_label = QLabel()
        self.layout_label.setBuddy(self.layout_combo)
        self.status_line = QLabel()
        self.status_line.setObjectName("handoutStatus")
        self.status_line.setWordWrap(True)
        self.status_line.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.layout_label, self.layout_combo)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.topics_label)
        column.addWidget(self.topic_view, 1)
        column.addLayout(form)
        column.addWidget(self.status_line)

        self.preview = PdfPreview()
        self.print_button = QPushButton()
        self.print_button.setObjectName("printButton")
        self.save_button = QPushButton()
        self.save_button.setObjectName("savePdfButton")
        self.record_button = QPushButton()
        self.record_button.setObjectName("recordGivenButton")
        for button in (self.print_button, self.save_button, self.record_button):
            self.preview.header.addWidget(button)
        self.print_action = self._shortcut("Ctrl+P", self.print_handout)
        self.save_action = self._shortcut("Ctrl+Shift+S", self.save_pdf)
        self.commands = ButtonCommands(
            self,
            [self.print_button, self.save_button, self.record_button],
            keys={
                self.print_button: self.print_action.shortcut(),
                self.save_button: self.save_action.shortcut(),
            },
        )
        self.print_button.clicked.connect(self.print_handout)
        self.save_button.clicked.connect(self.save_pdf)
        self.record_button.clicked.connect(self.record_given)

        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        # The buttons sit above the pages: Tab reaches them before the preview (set once
        # both are in the page's window; the preview's chain had the view first).
        QWidget.setTabOrder(self.record_button, self.preview.view)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._start_preview)
        self.topic_view.selectionModel().selectionChanged.connect(self._topics_changed)
        self.language_combo.currentIndexChanged.connect(self._language_changed)
        self.layout_combo.currentIndexChanged.connect(lambda _i: self._schedule_preview())
        self.retranslate_ui()

    def _shortcut(self, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def menu_actions(self) -> list[QAction | None]:
        """Print, Save as PDF and Record handout given, for the window's Edit menu."""
        return list(self.commands.actions())

    def retranslate_ui(self) -> None:
        """Every text in the current UI language; the lists are relabelled in place."""
        self.heading.setText("<h2>" + _("Handouts") + "</h2>")
        self.topics_label.setText(_("&Topics:"))
        self.topic_view.setAccessibleName(_("Handout topics"))
        several = _("Ctrl+click or Shift+click chooses several topics: one PDF in one language.")
        self.topic_view.setToolTip(several)
        self.topic_view.setAccessibleDescription(several)
        self.language_label.setText(_("Lang&uage:"))
        self.language_combo.setAccessibleName(_("Handout language"))
        self.layout_label.setText(_("La&yout:"))
        self.layout_combo.setAccessibleName(_("Layout"))
        for index, (_layout, text) in enumerate(LAYOUTS):
            self.layout_combo.setItemText(index, _(text))
        # Not "&Print…": its German "&Drucken…" would share Alt+D with the "&Datei" menu, and
        # an ambiguous mnemonic neither clicks the button nor opens the menu.
        self.print_button.setText(_("Pri&nt…"))
        self.print_button.setToolTip(_("Print the handout (Ctrl+P)"))
        self.print_button.setAccessibleName(_("Print the handout"))
        self.save_button.setText(_("&Save as PDF…"))
        self.save_button.setToolTip(_("Save the handout as a PDF file (Ctrl+Shift+S)"))
        self.save_button.setAccessibleName(_("Save the handout as a PDF file"))
        self.record_button.setText(_("&Record handout given…"))
        self.record_button.setToolTip(_("Note that you gave this handout to someone"))
        self.record_button.setAccessibleName(_("Record handout given"))
        self.preview.retranslate_ui()
        self._fill_topics()
        self._update_controls()

    # ------------------------------------------------------------------ life cycle
    def _catalog_with_pack(self) -> Catalog:
        """Shipped texts, the ministry's installed content pack over them, then the guide's."""
        pack = installed_pack_folder(self.workspace) if self.workspace is not None else None
        return user_catalog(pack=pack)

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show the catalog when unlocked; on lock drop every list, choice and preview."""
        self.workspace = workspace
        if workspace is None:
            self._close_dialogs()
            self._timer.stop()
            self.catalog = None
            self.queue.cancel()
            self.shown = None
            self.pdf = None
            self.topic_model.clear()
            self.language_model.clear()
            self.layout_combo.setCurrentIndex(0)
            self.status_line.clear()
            self.preview.clear()
            self._update_controls()
            return
        self._reload_catalog()

    def _reload_catalog(self) -> None:
        """Read the texts again (shipped, content pack, own); keep the topics chosen."""
        try:
            self.catalog = self._load_catalog()
        except UserError as error:
            self.catalog = None
            self.preview.show_message(
                _("The handouts cannot be loaded: {error}").format(error=error)
            )
        self._fill_topics()
        if self.topic_model.rowCount() and not self.selected_topics():
            self.topic_view.setCurrentIndex(self.topic_model.index(0, 0))

    def refresh(self) -> None:
        """Re-render if the profile changed (a partner, the municipality); hidden: on show."""
        self._schedule_preview()

    def changed_elsewhere(self, kind: str) -> None:
        """A new content pack (Sync page) brings new texts: read the catalog again."""
        if kind == "content_pack" and self.workspace is not None:
            self._reload_catalog()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Make the preview that was put off while the page was hidden."""
        if self._stale:
            self._stale = False
            self._schedule_preview()
        super().showEvent(event)

    def _close_dialogs(self) -> None:
        self.printing.stop()
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None
        if self.print_dialog is not None:
            self.print_dialog.reject()
            self.print_dialog = None
        if self.failure_box is not None:
            self.failure_box.close()
            self.failure_box = None

    # ------------------------------------------------------------------ choices
    def _fill_topics(self) -> None:
        if self.workspace is None or self.catalog is None:
            self.topic_model.clear()
            return
        chosen = self.selected_topics()
        current = self.topic_view.currentIndex()
        current_code = str(current.data(HandoutRole.CODE)) if current.isValid() else None
        relabel = self.topic_model.rowCount() > 0
        # A model reset drops the selection without a signal: choose the same topics again
        # (relabelled), then rebuild the language list (or the "choose" hint) once.
        self.topic_model.set_rows(topic_rows(self.catalog, self.workspace.ref, ui_language()))
        self._restoring = True  # the view still hears of it; the page rebuilds once, below
        try:
            self._select_rows(chosen, current_code)
        finally:
            self._restoring = False
        if relabel:
            self._topics_changed()

    def selected_topics(self) -> list[str]:
        """The ids of the selected topics, in catalog (list) order."""
        rows = sorted(i.row() for i in self.topic_view.selectionModel().selectedRows())
        return [self.topic_model.code(row) for row in rows]

    def current_topic(self) -> str | None:
        """The id of the selected topic; the first one when several are selected."""
        topics = self.selected_topics()
        return topics[0] if topics else None

    def current_language(self) -> str | None:
        """The code of the selected language."""
        row = self.language_combo.currentIndex()
        return self.language_model.entry(row).code if row >= 0 else None

    def current_layout(self) -> Layout:
        """The selected layout."""
        return Layout(self.layout_combo.currentData())

    def select(self, topic: str, language: str | None = None) -> None:
        """Select ``topic`` alone (and ``language`` if the topic has it)."""
        self.select_topics([topic], language)

    def select_topics(self, topics: Sequence[str], language: str | None = None) -> None:
        """Select ``topics`` (those shown), and ``language`` if all of them have it."""
        self._select_rows(topics, topics[0] if topics else None)
        if language is not None:
            found = self.language_model.row_of(language)
            if found is not None:
                self.language_combo.setCurrentIndex(found)

    def _select_rows(self, topics: Sequence[str], current: str | None) -> None:
        """Make ``topics`` the selection in one step (one selectionChanged, one preview)."""
        rows = [r for r in map(self.topic_model.row_of, topics) if r is not None]
        selection = QItemSelection()
        for row in rows:
            index = self.topic_model.index(row, 0)
            selection.select(index, index)
        model = self.topic_view.selectionModel()
        flag = QItemSelectionModel.SelectionFlag
        model.select(selection, flag.ClearAndSelect | flag.Rows)
        focus = self.topic_model.row_of(current) if current is not None else None
        if focus is None and rows:
            focus = rows[0]
        if focus is not None:
            model.setCurrentIndex(self.topic_model.index(focus, 0), flag.NoUpdate)

    def _topics_changed(self, *_args: object) -> None:
        if self._restoring:
            return
        topics = self.selected_topics()
        if self.workspace is None or self.catalog is None or not topics:
            self.language_model.clear()
            self._nothing_chosen()
            self._language_changed()
            return
        keep = self.current_language() or SOURCE_LANGUAGE
        chosen = [self.catalog.topics[topic] for topic in topics]
        self.language_combo.blockSignals(True)  # one preview for the choice, not one per step
        self.language_model.set_rows(
            language_rows(self.catalog, chosen, self.workspace.ref, ui_language())
        )
        found = self.language_model.row_of(keep)
        self.language_combo.setCurrentIndex(found if found is not None else 0)
        self.language_combo.blockSignals(False)
        self._language_changed()

    def _nothing_chosen(self) -> None:
        """No topic selected: no preview to print or save (not even the last one)."""
        self._timer.stop()
        self.queue.cancel()
        self.shown, self.pdf = None, None
        self.preview.set_busy(False)
        if self.workspace is not None and self.catalog is not None:
            self.preview.show_message(_("Choose one or more topics."))

    def _language_changed(self, _index: int = -1) -> None:
        row = self.language_combo.currentIndex()
        if row < 0:
            self.status_line.clear()
        else:
            self.status_line.setText(summary_line(self.language_model.entry(row)))
        self._update_controls()
        self._schedule_preview()

    def _update_controls(self) -> None:
        language = self.current_language()
        german = language is not None and language.startswith(SOURCE_LANGUAGE)
        self.layout_combo.setEnabled(language is not None and not german)
        self.layout_combo.setToolTip(
            _("German is printed on its own.")
            if german
            else _("How the two languages share the page")
        )
        ready = self.pdf is not None and not self.queue.pending and self.workspace is not None
        for widget in (self.print_button, self.print_action, self.save_button, self.save_action):
            widget.setEnabled(ready)
        self.record_button.setEnabled(self._recordable())

    def _recordable(self) -> bool:
        # Any topic and language of the catalog, the guide's own included, can be recorded.
        topics, language = self.selected_topics(), self.current_language()
        return self.workspace is not None and bool(topics) and language is not None

    # ------------------------------------------------------------------ preview
    def _schedule_preview(self) -> None:
        if self.workspace is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._timer.start()

    def _start_preview(self) -> None:
        workspace, language = self.workspace, self.current_language()
        topics = self.selected_topics()
        if workspace is None or self.catalog is None or not topics or language is None:
            return
        job = preview_job(workspace, self.catalog, topics, language, self.current_layout())
        if job == self.shown and not self.queue.pending:
            return  # a refresh that changed nothing the handout shows
        self.preview.set_busy(True)
        self.queue.want(job)
        self._update_controls()

    def _finished(self, job: PreviewJob, pdf: bytes | None, error: BaseException | None) -> None:
        self.preview.set_busy(False)
        self.shown, self.pdf = None, None
        if pdf is not None:
            if self.preview.show_pdf(pdf):
                self.shown, self.pdf = job, pdf
            self._update_controls()
            return
        # A broken text in the guide's own folder says what is wrong; anything else is a
        # bug, shown here in a neutral sentence and passed on to the crash dialog.
        detail = str(error) if isinstance(error, KisiError) else type(error).__name__
        self.preview.show_message(_("This handout cannot be made: {error}").format(error=detail))
        self._update_controls()
        if error is not None and not isinstance(error, KisiError):
            raise error

    # ------------------------------------------------------------------ print and save
    def print_handout(self) -> None:
        """Ask for a printer, then print the previewed handout."""
        job = self.shown
        if (
            job is None
            or self.queue.pending
            or self.print_dialog is not None
            or self.printing.running
        ):
            return
        printer = QPrinter()
        prepare_printer(printer, self.preview.document)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("handoutPrintDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._print_chosen(job, printer))
        dialog.finished.connect(lambda _result: setattr(self, "print_dialog", None))
        self.print_dialog = dialog
        # QDialog's open(): window-modal, no nested event loop (a lock can close it).
        # PySide6 binds QPrintDialog.open only with (receiver, member) arguments.
        QDialog.open(dialog)

    def print_on(self, printer: QPrinter) -> None:
        """Print the previewed handout on ``printer`` (set up by the print dialog), on a
        worker with a progress dialog; the window goes on answering meanwhile."""
        if self.workspace is None or self.pdf is None:
            return
        self.printing.start(self.pdf, printer)

    def _print_chosen(self, job: PreviewJob, printer: QPrinter) -> None:
        if self.shown is job:  # not another preview since the dialog opened
            self.print_on(printer)

    def _tell_not_printed(self, text: str) -> None:
        """A box, not the status bar: the guide waits at the printer for the pages."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("Not printed"), text, parent=self)
        box.setObjectName("handoutNotPrinted")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "failure_box", None))
        self.failure_box = box
        box.open()

    def save_pdf(self) -> None:
        """Ask where, then write the previewed handout's PDF there as it is."""
        job, data = self.shown, self.pdf
        if job is None or data is None or self.queue.pending:
            return
        suggested = str(self._save_dir / job.file_name())
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save handout as PDF"), suggested, _("PDF files (*.pdf)")
        )
        if not chosen or self.workspace is None:
            return  # cancelled, or locked while the dialog was open
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".pdf")
        self._save_dir = path.parent

        def work() -> Path:
            write_atomic(path, data)
            return path

        def failed(error: BaseException) -> None:
            if not isinstance(error, OSError):
                raise error
            if self.workspace is not None:
                self._tell_not_saved(path, error)

        self.context.runner.run(
            work, lambda p: self.status.emit(_("Saved as {path}.").format(path=p)), failed
        )

    def _tell_not_saved(self, path: Path, error: OSError) -> None:
        """A box, not the status bar: the guide goes to the folder expecting the PDF there."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Not saved"),
            _("The handout was not saved: {reason}. Choose another folder.").format(
                reason=why_not_written(error)
            ),
            parent=self,
        )
        box.setObjectName("handoutNotSaved")
        box.setInformativeText(str(path))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "failure_box", None))
        self.failure_box = box
        box.open()

    # ------------------------------------------------------------------ record
    def record_given(self) -> HandoutGivenDialog | None:
        """Ask to whom, how many and when; then save a HandoutGiven record per topic."""
        workspace, catalog = self.workspace, self.catalog
        topics, language = self.selected_topics(), self.current_language()
        if (
            workspace is None
            or catalog is None
            or not topics
            or language is None
            or self.dialog is not None
            or not self._recordable()
        ):
            return None
        people = person_choices(workspace)  # with year of birth: namesakes are common
        titles = [topic_title(catalog.topics[t], workspace.ref, ui_language()) for t in topics]
        label = self.language_model.entry(self.language_combo.currentIndex()).label
        versions = [catalog.topics[t].texts[language].content_hash[:12] for t in topics]

        def store(person_id: str | None, copies: int, day: date) -> None:
            if self.workspace is None:
                raise KisiError(_("The vault is locked."))
            records = [
                HandoutGiven(
                    person_id=person_id,
                    handed_out_on=day,
                    topic=topic,
                    language=language,
                    copies=copies,
                    version=version,
                )
                for topic, version in zip(topics, versions, strict=True)
            ]
            self.workspace.save(records, "add")  # all topics or none
            self.changed.emit(HandoutGiven.KIND)
            self.status.emit(recorded_message(copies, titles, label))

        # The guide's own day (local time), not the UTC one: just after midnight they differ.
        local_today = workspace.clock.now().astimezone().date()
        dialog = HandoutGivenDialog(
            f"{', '.join(titles)} – {label}", people, local_today, store, parent=self
        )
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: HandoutGivenDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
