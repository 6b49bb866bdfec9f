"""The ministry view: a window of its own for the ministry's staff (``kisi-desktop --ministry``).

Four tabs: Municipalities (registry, last bundles, what waits), Intake (import by choosing
or dropping files, each result with its reason, receipts out), Figures (per municipality
and in total, XLSX and PDF) and Distribute (provisioning files, content packs). The
window opens no vault and shares nothing with the guides' main window; the title names the
ministry folder, so two open folders (real and training) cannot be mixed up.

Dropping ``.kisi`` files or folders anywhere on the window imports them (the Intake tab
comes to the front and lists the results).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget, QWidget

from kisi_desktop.core.clock import Clock
from kisi_desktop.core.i18n import _

from kisi_desktop.ministry.intake import IntakeResult
from kisi_desktop.ministry.keys import Ministry

from kisi_desktop.ui.ministry.context import MinistryContext
from kisi_desktop.ui.ministry.distribute_tab import DistributeTab
from kisi_desktop.ui.ministry.figures_tab import FiguresTab
from kisi_desktop.ui.ministry.intake_tab import IntakeTab
from kisi_desktop.ui.ministry.towns_tab import TownsTab
from kisi_desktop.ui.ministry.view_state import load_state
from kisi_desktop.ui.quit_keys import quit_keys
from kisi_desktop.ui.window_size import fit_to_screen
from kisi_desktop.ui.workers import TaskRunner

PRODUCT = "KISI"
STATUS_MS = 15_000


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The ``.kisi`` files and folders among dropped URLs (other files are not bundles)."""
    paths = []
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.is_dir() or path.suffix.lower() == ".kisi":
            paths.append(path)
    return paths


class MinistryWindow(QMainWindow):
    """See the module docstring."""

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ministryWindow")
        self.context = context
        self.runner = context.runner
        self.setAcceptDrops(True)
        self._closed = False
        self.towns = TownsTab(context, self._release)
        self.intake = IntakeTab(context)
        self.figures = FiguresTab(context)
        self.distribute = DistributeTab(context)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("ministryTabs")
        self.tabs.setDocumentMode(True)
        for tab in (self.towns, self.intake, self.figures, self.distribute):
            self.tabs.addTab(tab, "")
            tab.status.connect(self.show_status)
        self.setCentralWidget(self.tabs)
        self.intake.changed.connect(self._intake_changed)
        self.towns.changed.connect(self.figures.mark_stale)
        self.demo_label = QLabel()
        self.demo_label.setObjectName("ministryDemo")
        self.demo_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.demo_label.setVisible(context.ministry.demo)
        self.statusBar().addPermanentWidget(self.demo_label)
        self._build_actions()
        fit_to_screen(self)  # not beyond a full-HD screen at 150 % (1280x720)
        self.retranslate_ui()

    def _build_actions(self) -> None:
        self.import_action = QAction(self)
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.triggered.connect(self._import_files)
        self.receipts_action = QAction(self)
        self.receipts_action.triggered.connect(lambda: self.intake.choose_receipts_dir())
        self.register_action = QAction(self)
        self.register_action.setShortcut(QKeySequence.StandardKey.New)
        self.register_action.triggered.connect(self._register)
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.refresh)
        self.quit_action = QAction(self)
        self.quit_action.setShortcuts(quit_keys())  # Ctrl+Q on Windows too
        self.quit_action.triggered.connect(self.close)
        self.file_menu = self.menuBar().addMenu("")
        for action in (self.import_action, self.receipts_action, self.register_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.refresh_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu = self.menuBar().addMenu("")
        self.tab_actions: list[QAction] = []
        for index in range(self.tabs.count()):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _c=False, i=index: self.tabs.setCurrentIndex(i))
            self.view_menu.addAction(action)
            self.tab_actions.append(action)

    def retranslate_ui(self) -> None:
        """Every text in the current UI language."""
        titles = (_("Municipalities"), _("Intake"), _("Figures"), _("Distribute"))
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
            self.tab_actions[index].setText(title)
        self.tabs.setAccessibleName(_("Parts of the ministry view"))
        self.file_menu.setTitle(_("&File"))
        self.view_menu.setTitle(_("&View"))
        self.import_action.setText(_("&Import bundles…"))
        self.receipts_action.setText(_("Save &receipts in…"))
        self.register_action.setText(_("Register a &municipality…"))
        self.refresh_action.setText(_("Re&fresh"))
        self.quit_action.setText(_("&Quit"))
        self.demo_label.setText(_("DEMO ministry: never use for real data"))
        for tab in (self.towns, self.intake, self.figures, self.distribute):
            tab.retranslate_ui()
        parts = [PRODUCT, _("Ministry"), str(self.context.path)]
        if self.context.ministry.demo:
            parts.append(_("DEMO"))
        self.setWindowTitle(" – ".join(parts))

    # ------------------------------------------------------------------ actions
    def show_status(self, message: str) -> None:
        """A short message in the status bar."""
        self.statusBar().showMessage(message, STATUS_MS)

    def refresh(self) -> None:
        """Read the registry again and add up the figures again."""
        self.towns.refresh()
        self.figures.mark_stale()

    def _import_files(self) -> None:
        self.tabs.setCurrentWidget(self.intake)
        self.intake.choose_files()

    def _register(self) -> None:
        self.tabs.setCurrentWidget(self.towns)
        self.towns.open_register()

    def _release(self, action: Callable[[Ministry], list[IntakeResult]], what: str) -> None:
        self.tabs.setCurrentWidget(self.intake)
        self.intake.run_release(action, what)

    def _intake_changed(self) -> None:
        if self._closed:  # a worker's answer that arrived after the window closed
            return
        self.towns.refresh()
        self.figures.mark_stale()

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.tabs.setCurrentWidget(self.intake)
        self.intake.import_paths(paths)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        # Imports and exports running on workers finish (each is one transaction or one
        # atomic file); the UI thread's connection closes after them. A long import stops
        # before its next file (the files done stay imported) rather than hold the window
        # open for hundreds more; the imports waiting are not started.
        self.intake.stop()
        if self.runner.busy():
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.runner.wait()
            finally:
                QApplication.restoreOverrideCursor()
        super().closeEvent(event)
        if event.isAccepted() and not self._closed:
            self._closed = True
            self.context.ministry.close()


def build_ministry_window(
    ministry: Ministry, *, runner: TaskRunner | None = None, clock: Clock | None = None
) -> MinistryWindow:
    """The wired ministry window for an opened ministry folder (not shown)."""
    runner = runner or TaskRunner()
    clock = clock or ministry.clock
    context = MinistryContext(
        path=ministry.path,
        ministry=ministry,
        runner=runner,
        state=load_state(ministry.path),
        clock=clock,
    )
    window = MinistryWindow(context)
    runner.setParent(window)
    return window
