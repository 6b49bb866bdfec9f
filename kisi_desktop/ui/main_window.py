"""The main window: unlock screen or the workspace (navigation + pages), menus, lock, search.

Everything it shows comes from the session's workspace; on lock every page is handed
``None`` and clears itself, and the unlock screen comes back.

The page the window opens with (the Overview) is built while the unlock screen waits, with
no workspace, and its first read runs on the unlock's worker (``Session.read_at_unlock``):
with 10,000 people the turn that shows the unlocked window took 90 ms when it imported,
built and filled the page there, the UI thread frozen meanwhile.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import shiboken6

from PySide6.QtCore import QEvent, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.clock import today
from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.i18n import _, load_formatting
from kisi_desktop.core.older_copy import accept_older_copy
from kisi_desktop.core.settings import load_settings, remember_recovery_check

from kisi_desktop.ui.backup_writer import BackupWriter, backup_reminder
from kisi_desktop.ui.clipboard_guard import ClipboardGuard, clear_own_clipboard
from kisi_desktop.ui.integrity_warning import show_integrity_warning
from kisi_desktop.ui.older_copy_box import ask_about_older_copy
from kisi_desktop.ui.pages.base import Page, PageContext
from kisi_desktop.ui.pages.deferred import DeferredPage
from kisi_desktop.ui.pages.registry import PageSpec, page_of_form, page_title
from kisi_desktop.ui.pages.search_page import SearchPage
from kisi_desktop.ui.pages.warm_up import PageCodeWarmUp
from kisi_desktop.ui.preload import PAGE_MODULES, preload
from kisi_desktop.ui.preload import running as preloading
from kisi_desktop.ui.quit_keys import quit_keys
from kisi_desktop.ui.session import Session, UnlockRead
from kisi_desktop.ui.shortcuts import page_key
from kisi_desktop.ui.unlock_view import UnlockView
from kisi_desktop.ui.widgets.search_field import SearchField
from kisi_desktop.ui.widgets.waiting_drafts import WaitingDrafts
from kisi_desktop.ui.window_size import fit_to_screen
from kisi_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from kisi_desktop.core.domain import Draft, Municipality
    from kisi_desktop.core.overview_glance import Glance

    from kisi_desktop.ui.forms.record_dialog import RecordDialog
    from kisi_desktop.ui.municipality_profiles_dialog import MunicipalityProfilesDialog
    from kisi_desktop.ui.widgets.set_up_reminder import SetUpReminder

log = logging.getLogger(__name__)
PRODUCT = "KISI Desktop"
PROFILE_FORM = "municipality_profile"
PROFILE_FIELDS = (
    "ags", "name", "district", "office_address", "office_hours", "phone", "email", "website",
)  # fmt: skip
# A page class (built with the window) or a registry entry (built when first shown).
PageFactory = Callable[[PageContext], Page] | PageSpec


def forget_file_dialog_folders(*_args: object) -> None:
    """Qt's file dialog keeps the folders it was used in, in plain text in its own
    settings file (QtProject.conf): a folder named after a client is personal data."""
    qt_dialogs = QSettings(QSettings.Scope.UserScope, "QtProject")
    for key in ("FileDialog/history", "FileDialog/lastVisited"):
        qt_dialogs.remove(key)
    qt_dialogs.sync()


# How often the integrity box looks again whether the dialog it waits for was closed.
INTEGRITY_RETRY_MS = 300
# After the row check, before the other pages' code is imported where the typing of the
# passphrase left it out: the first moments after an unlock are the guide's.
PAGES_PRELOAD_DELAY_MS = 2000


class MainWindow(QMainWindow):
    """See the module docstring."""

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        page_factories: Sequence[PageFactory],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.session = session
        self.runner = runner
        self.backups = BackupWriter(self, session, runner)
        self.backups.status.connect(self._show_status)
        self.context = PageContext(session=session, runner=runner, navigate=self.navigate)

        self.unlock_view = UnlockView(str(session.vault_path), demo=session.demo)
        self.unlock_view.submitted.connect(self._unlock)
        # True while the Overview shows the glance of an unlock still reading the records.
        self._glancing = False
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(220)
        self.pages = QStackedWidget()
        self.page_list: list[Page] = [
            DeferredPage(self.context, factory) if isinstance(factory, PageSpec)
            else factory(self.context)
            for factory in page_factories
        ]  # fmt: skip
        self._warm_up = PageCodeWarmUp(
            [page.load_code for page in self.page_list if isinstance(page, DeferredPage)],
            until=lambda: session.unlocking or session.workspace is not None,
            parent=self,
        )
        for page in self.page_list:
            self.pages.addWidget(page)
            page.changed.connect(self._on_changed)
            page.status.connect(self._show_status)
            self.nav.addItem(QListWidgetItem())
        self.search_page = SearchPage(self.context)
        self.search_page.changed.connect(self._on_changed)
        self.search_page.status.connect(self._show_status)
        self.pages.addWidget(self.search_page)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self._row_before_search = 0  # the page shown again when the search is emptied
        work = QWidget()
        row = QHBoxLayout(work)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        self.clipboard_guard = ClipboardGuard(self)
        self.waiting = WaitingDrafts()
        self.waiting.open_page.connect(self.navigate)
        # The warning of the last unlock's row check (ui/integrity_warning.py), while open.
        self.integrity_box: QMessageBox | None = None
        self.older_copy_box: QMessageBox | None = None
        # A lock threw away a new recovery code the guide had seen (recovery_code_wizard).
        self._recovery_code_lost = False
        # A lock closed the renewal of the keys while it sealed the records: "" if the keys
        # were renewed, else why not; said after the next unlock.
        self._renewal_after_lock: str | None = None
        # The box after a renewal of the keys that offers a backup, while open.
        self.renewed_box: QMessageBox | None = None
        # Where the focus was in the window when it locked: it goes back there at unlock.
        self._focus_before_lock: QWidget | None = None
        self.pages.currentChanged.connect(
            lambda index: self.waiting.page_shown(getattr(self.pages.widget(index), "key", ""))
        )
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.waiting)
        self._column = column
        # Made at the first unlock that finds the set-up unfinished (most never do).
        self.set_up_reminder: SetUpReminder | None = None
        column.addWidget(self.pages, 1)
        row.addLayout(column, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock_view)
        self.stack.addWidget(work)
        self.setCentralWidget(self.stack)

        self.search = SearchField(self._search_key)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(420)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textEdited.connect(lambda _text: self._search_timer.start())
        self._build_actions()
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addWidget(self.search)
        self.toolbar.addAction(self.lock_action)
        self.addToolBar(self.toolbar)
        # Tab as the window reads: the search on top, the navigation, then the page.
        QWidget.setTabOrder(self.search, self.nav)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)

        session.unlocked.connect(self._on_unlocked)
        session.glimpsed.connect(self._on_glimpsed)
        session.checked.connect(self._on_checked)
        session.locked.connect(self._on_locked)
        # First back to the unlock screen (from a glance), then the message on it.
        session.unlock_failed.connect(lambda _message: self._leave_glance())
        session.unlock_failed.connect(self.unlock_view.show_error)
        session.busy.connect(self.unlock_view.set_busy)
        session.read_at_unlock(self._unlock_reads)
        # The first page is built once the unlock screen has painted (_while_the_guide_types).
        self.unlock_view.painted.connect(self._unlock_screen_painted)
        fit_to_screen(self)
        self.retranslate_ui()
        self._show_locked()
        if (elsewhere := session.open_elsewhere()) is not None:
            self.unlock_view.show_error(elsewhere)

    # ------------------------------------------------------------------ actions
    def _build_actions(self) -> None:
        self.lock_action = QAction(self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.session.lock("manual"))
        # Ctrl+L from the app's dialogs too (_lend_lock_key): a form is open when a guide
        # is called away, and the lock keeps its input as a sealed draft.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusWindowChanged.connect(self._lend_lock_key)
        self.quit_action = QAction(self)
        self.quit_action.setShortcuts(quit_keys())  # Ctrl+Q on Windows too
        self.quit_action.triggered.connect(self.close)
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_search)
        self.page_actions: list[QAction] = []
        for index in range(len(self.page_list)):
            action = QAction(self)
            if (key := page_key(index)) is not None:
                action.setShortcut(key)
            action.triggered.connect(lambda _c=False, i=index: self.nav.setCurrentRow(i))
            self.page_actions.append(action)
        # Every page in turn, the eleventh and twelfth too (no digit is left for them).
        self.next_page_action = QAction(self)
        self.next_page_action.setObjectName("nextPageAction")
        self.next_page_action.setShortcut(QKeySequence("Ctrl+PgDown"))
        self.next_page_action.triggered.connect(lambda: self._step_page(1))
        self.previous_page_action = QAction(self)
        self.previous_page_action.setObjectName("previousPageAction")
        self.previous_page_action.setShortcut(QKeySequence("Ctrl+PgUp"))
        self.previous_page_action.triggered.connect(lambda: self._step_page(-1))
        self.settings_action = QAction(self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        self.about_action = QAction(self)
        self.about_action.setObjectName("aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.file_menu = self.menuBar().addMenu("")
        self.backup_action = QAction(self)
        self.backup_action.setObjectName("backupAction")
        self.backup_action.triggered.connect(lambda: self.backups.ask_and_write())
        self.profile_action = QAction(self)
        self.profile_action.setObjectName("profileAction")
        self.profile_action.triggered.connect(lambda: self.open_profiles())
        self.passphrase_action = QAction(self)
        self.passphrase_action.setObjectName("passphraseAction")
        # After a recovery-code unlock the old passphrase is the one forgotten: until a new
        # one is set, the dialog does not ask for it (also when first dismissed).
        self.passphrase_action.triggered.connect(
            lambda: self.change_passphrase(ask_current=not self.session.with_recovery_code)
        )
        self.recovery_action = QAction(self)
        self.recovery_action.setObjectName("recoveryAction")
        self.recovery_action.triggered.connect(lambda: self.new_recovery_code())
        self.renew_action = QAction(self)
        self.renew_action.setObjectName("renewKeysAction")
        self.renew_action.triggered.connect(lambda: self.renew_keys())
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.profile_action)
        self.file_menu.addAction(self.passphrase_action)
        self.file_menu.addAction(self.recovery_action)
        self.file_menu.addAction(self.renew_action)
        self.file_menu.addAction(self.backup_action)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        # The renewal's tip says when to use it; the menu is where the guide reads it.
        self.file_menu.setToolTipsVisible(True)
        self.edit_menu = self.menuBar().addMenu("")
        self.edit_menu.addAction(self.find_action)
        # Filled as it opens with what the shown page does, shortcuts beside them; emptied
        # as it closes (_empty_edit_menu).
        self.edit_menu.aboutToShow.connect(self._fill_edit_menu)
        self.edit_menu.aboutToHide.connect(self._empty_edit_menu)
        self.view_menu = self.menuBar().addMenu("")
        for action in self.page_actions:
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.next_page_action)
        self.view_menu.addAction(self.previous_page_action)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.about_action)

    def _fill_edit_menu(self) -> None:
        self._empty_edit_menu()
        shown = self.pages.currentWidget()
        if self.session.workspace is None or not isinstance(shown, Page):
            return
        actions = shown.menu_actions()
        if actions:
            self.edit_menu.addSeparator()
        for action in actions:
            if action is None:
                self.edit_menu.addSeparator()
            else:
                self.edit_menu.addAction(action)

    def _lend_lock_key(self, _window: object = None) -> None:
        """Give the lock action to the dialog that has just become the active window, so
        that Ctrl+L locks from there too. A window shortcut of this window alone did
        nothing while a form was open (QA pass), and an application shortcut would not
        help either: Qt ignores the shortcuts of a window that a window-modal dialog
        blocks, and every form and question opens so. The lock is the one every other
        lock takes (``Session.lock``): forms save their drafts and close as at the idle
        lock. While locked the action is disabled, so Ctrl+L does nothing there then.

        Only this window's dialogs: the action of a second window (as in the tests) would
        make the key ambiguous in them."""
        active = QApplication.activeWindow()
        if not isinstance(active, QDialog) or self.lock_action in active.actions():
            return
        owner = active.parentWidget()
        while owner is not None and owner is not self:
            owner = owner.parentWidget()
        if owner is self:
            active.addAction(self.lock_action)

    def _empty_edit_menu(self) -> None:
        """Only what is the window's own, once the menu has closed. A page's action in the
        menu takes its shortcut window-wide (the menu bar is always shown): left there, the
        last page's Ctrl+N clashed with the next page's, and neither worked (QA pass: the
        Partners page's Ctrl+N after the menu was opened on Events). An action chosen in
        the menu still runs: Qt closes the menu first, and removing an action from a menu
        does not delete it."""
        self.edit_menu.clear()
        self.edit_menu.addAction(self.find_action)

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.file_menu.setTitle(_("&File"))
        self.edit_menu.setTitle(_("&Edit"))
        self.view_menu.setTitle(_("&View"))
        self.lock_action.setText(_("&Lock"))
        self.lock_action.setToolTip(_("Lock the vault (Ctrl+L)"))
        self.quit_action.setText(_("&Quit"))
        self.settings_action.setText(_("&Settings…"))
        self.profile_action.setText(_("&Municipality profile…"))
        self.passphrase_action.setText(_("Change &passphrase…"))
        self.recovery_action.setText(_("New &recovery code…"))
        self.renew_action.setText(_("Renew all &keys…"))
        renew_tip = _(
            "When someone else may know the recovery sheet or the passphrase and may have "
            "a copy of the vault file: every key is renewed, every record sealed again."
        )
        self.renew_action.setToolTip(renew_tip)
        self.renew_action.setStatusTip(renew_tip)
        self.backup_action.setText(_("Make a &backup…"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About KISI Desktop"))
        self.find_action.setText(_("&Search people and notes"))
        self.next_page_action.setText(_("&Next page"))
        self.previous_page_action.setText(_("P&revious page"))
        self.search.setPlaceholderText(_("Search people and notes (Ctrl+F)"))
        self.search.setAccessibleName(_("Search"))
        self.nav.setAccessibleName(_("Navigation"))
        for index, page in enumerate(self.page_list):
            self.nav.item(index).setText(page.title())
            self.page_actions[index].setText(page.title())
            page.retranslate_ui()
        self.search_page.retranslate_ui()
        self.waiting.retranslate_ui()
        if self.set_up_reminder is not None:
            self.set_up_reminder.retranslate_ui()
        self.unlock_view.retranslate_ui()
        # And every open dialog that words itself (a record form, a wizard): a form left
        # in German beside an English window, its Alt letters those of the German words.
        for dialog in self.findChildren(QDialog):
            retranslate = getattr(dialog, "retranslate_ui", None)
            if dialog.isVisible() and callable(retranslate):
                retranslate()
        self._update_title()

    def _update_title(self, names: Sequence[str] = ()) -> None:
        """KISI, the municipalities of the open vault (``names`` while a glance shows), DEMO."""
        parts = [PRODUCT]
        workspace = self.session.workspace
        if workspace is not None:
            # The domain's records are imported where a workspace is open, not at start:
            # the unlock screen shows before the vault's code is imported (start-up time).
            from kisi_desktop.core.domain import Municipality

            names = [p.name for p in workspace.list(Municipality)]
        if names:
            parts.append(" / ".join(sorted(names)))
        if self.session.demo:
            parts.append(_("DEMO"))
        self.setWindowTitle(" – ".join(parts))

    # ------------------------------------------------------------------ lock state
    def _unlock(self) -> None:
        secret = self.unlock_view.secret()
        if self.unlock_view.uses_recovery_code():
            self.session.unlock(recovery_code=secret)
        else:
            self.session.unlock(passphrase=secret)

    def _unlock_reads(self) -> dict[str, UnlockRead]:
        """For the session: the first read of the page an unlock opens the window on."""
        page = self.pages.currentWidget()
        if not isinstance(page, DeferredPage) or page.unlock_read is None:
            return {}
        return {page.key: page.unlock_read}

    def _while_the_guide_types(self) -> None:
        """Once the unlock screen has painted, get the unlock ready. Build the page the
        window opens with: importing and building the Overview took the unlock's turn
        45 ms (10,000 people); built with no workspace, it holds no record until the
        unlock hands it one. Have the vault's files read into the system's cache
        (:meth:`Session.read_ahead`) and its code imported on a thread (ui/preload.py),
        both of which the start left out.

        While an unlock already runs (``KISI_PASSPHRASE`` begins one before the first
        paint), only the page and the formatting of dates and numbers: its worker reads
        the files and imports what it needs itself, and the page is then ready when the
        glance arrives (that turn took 40 ms with the page built in it, 8 ms without)."""
        unlocking = self.session.unlocking
        if not unlocking:
            self.session.read_ahead()
        page = self.pages.currentWidget()
        if isinstance(page, DeferredPage):
            page.prepare()
        if unlocking:
            # Babel and the UI language's locale data, which the glance's dates and
            # numbers need (the preload reads them on its thread while a passphrase is
            # typed): in the next turn, while the worker still derives the key and reads
            # the glance, not in the turn that shows the glance (25-35 ms of it).
            QTimer.singleShot(0, self, load_formatting)
        else:
            session = self.session
            # The pages' code too, until the guide presses Enter; what is left then
            # follows after the unlock (_preload_pages).
            preload(
                later=PAGE_MODULES,
                until=lambda: session.unlocking or session.workspace is not None,
            )
            # And their widgets' code, on this thread, between the guide's key presses.
            self._warm_up.start()

    def _show_locked(self) -> None:
        self.stack.setCurrentWidget(self.unlock_view)
        self._set_unlocked_controls(enabled=False)
        self.unlock_view.reset()

    def _set_unlocked_controls(self, *, enabled: bool) -> None:
        self.search.setEnabled(enabled)
        for action in (
            self.lock_action,
            self.find_action,
            self.profile_action,
            self.passphrase_action,
            self.recovery_action,
            self.renew_action,
            self.backup_action,
            *self.page_actions,
            self.next_page_action,
            self.previous_page_action,
        ):
            action.setEnabled(enabled)

    def open_settings(self) -> None:
        """The settings dialog (imported on first use: it brings the Sync page's code)."""
        from kisi_desktop.ui.settings_dialog import open_settings

        open_settings(self)

    def show_about(self) -> None:
        """The About box (imported on first use, like every dialog the start does not show)."""
        from kisi_desktop.ui.about_dialog import show_about

        show_about(self, self.session.vault_path)

    def open_profiles(self) -> QDialog | None:
        """The File menu's "Municipality profile…": the form of the only profile (a new
        one where there is none yet); with several, their list, to open or remove one."""
        from kisi_desktop.core.domain import Municipality

        from kisi_desktop.ui.municipality_profiles_dialog import MunicipalityProfilesDialog

        workspace = self.session.workspace
        if workspace is None:
            return None
        if len(workspace.list(Municipality)) < 2:
            return self.edit_profile()
        chooser = MunicipalityProfilesDialog(workspace, parent=self)
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.edit.connect(lambda profile: self._edit_listed_profile(chooser, profile))
        chooser.removed.connect(lambda: self._on_changed("municipality"))
        # Connected to the dialog's own slot: Qt drops the connection with the dialog.
        self.session.locked.connect(chooser.reject)
        chooser.open()
        return chooser

    def _edit_listed_profile(
        self, chooser: MunicipalityProfilesDialog, profile: Municipality
    ) -> None:
        dialog = self.edit_profile(profile=profile)
        if dialog is not None:
            # Back in the list after the form: the name it shows may have changed.
            dialog.finished.connect(lambda _result: chooser.reload())

    def edit_profile(
        self, draft: Draft | None = None, *, profile: Municipality | None = None
    ) -> RecordDialog | None:
        """Edit a municipality profile (office, hours, contact) shown in the title bar:
        ``profile``, or the one ``draft`` was typed for when a lock closed the form, or
        else the first; a new one where there is none."""
        from kisi_desktop.core.domain import Municipality

        from kisi_desktop.ui.forms.record_dialog import RecordDialog

        workspace = self.session.workspace
        if workspace is None:
            return None
        profiles = workspace.list(Municipality)
        if draft is not None:
            # A profile typed into when the lock came, not the first (with several).
            profile = next((m for m in profiles if m.id == draft.record_id), None)
        elif profile is None and profiles:
            profile = profiles[0]
        dialog = RecordDialog(
            self.session,
            workspace,
            Municipality,
            PROFILE_FIELDS,
            form_name=PROFILE_FORM,
            title=lambda: _("Municipality profile"),
            parent=self,
        )
        dialog.saved.connect(lambda _record: self._on_changed("municipality"))
        # Connected to the dialog's own slot: Qt drops the connection with the dialog.
        self.session.locked.connect(dialog.abandon_for_lock)
        dialog.start(profile, draft=draft)
        return dialog

    def change_passphrase(self, *, ask_current: bool = True) -> QDialog | None:
        """The passphrase dialog (see ``ui/passphrase_dialog.py``)."""
        from kisi_desktop.ui.passphrase_dialog import PassphraseDialog

        if self.session.workspace is None:
            return None
        dialog = PassphraseDialog(self.session, self.runner, ask_current=ask_current, parent=self)
        dialog.accepted.connect(self._passphrase_changed)
        dialog.open()
        return dialog

    def new_recovery_code(self) -> QDialog | None:
        """A new recovery code (see ``ui/recovery_code_wizard.py``): the sheet was lost."""
        from kisi_desktop.ui.recovery_code_wizard import NewRecoveryCodeWizard

        if self.session.workspace is None:
            return None
        wizard = NewRecoveryCodeWizard(self.session, self.runner, self.session.vault_path, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.thrown_away.connect(lambda: setattr(self, "_recovery_code_lost", True))
        wizard.accepted.connect(
            lambda: self._show_status(
                _("The new recovery code is in place; the old one no longer opens this vault.")
            )
        )
        wizard.accepted.connect(lambda: self._remind_set_up(code_checked=True))
        wizard.open()
        return wizard

    def renew_keys(self) -> QDialog | None:
        """Renew every key of the vault (see ``ui/renew_keys_wizard.py``): someone else may
        know the recovery sheet or the passphrase."""
        from kisi_desktop.ui.renew_keys_wizard import RenewKeysWizard

        if self.session.workspace is None:
            return None
        wizard = RenewKeysWizard(self.session, self.runner, self.session.vault_path, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.sealed_after_lock.connect(
            lambda outcome: setattr(self, "_renewal_after_lock", outcome)
        )
        wizard.finished.connect(lambda _result: self._renewal_ended(wizard.renewed))
        wizard.open()
        return wizard

    def _renewal_ended(self, renewed: bool) -> None:
        """After the renewal (not after a lock): the old backups still open with the old
        secrets, so a new backup is offered at once."""
        if not renewed or self.session.workspace is None:
            return
        self._remind_set_up(code_checked=True)  # (its new code was typed back)
        self._show_status(_("Every key of the vault was renewed."))
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Keys renewed"),
            _(
                "Every key of the vault was renewed. Backups made before still open with the "
                "old recovery code and passphrase: make a new backup now, and delete the "
                "older ones once it is written."
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("renewedBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        backup = box.addButton(_("Make a &backup…"), QMessageBox.ButtonRole.AcceptRole)
        later = box.addButton(_("&Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(backup)
        box.setEscapeButton(later)

        def answered() -> None:
            self.renewed_box = None
            if box.clickedButton() is backup:
                self.backups.ask_and_write()

        box.finished.connect(lambda _result: answered())
        self.renewed_box = box
        box.open()

    def _passphrase_changed(self) -> None:
        self.session.with_recovery_code = False
        self._show_status(_("The passphrase was changed."))

    def _offer_profile_draft(self) -> None:
        """A profile form closed by a lock comes back as it was typed (the People and
        office pages offer their own drafts)."""
        from kisi_desktop.core.domain import Draft

        workspace = self.session.workspace
        if workspace is None:
            return
        from kisi_desktop.core.domain import Municipality

        # (asked of the workspace: the forms' code, 0.1-0.3 s of Qt classes, only if needed)
        drafts = workspace.drafts(PROFILE_FORM)
        if not drafts:
            return
        newest = drafts[0]
        for older in drafts[1:]:
            # Only the newest of a profile comes back: saving an older one would undo a
            # later edit (the drafts of another profile are not that).
            if older.record_id == newest.record_id:
                workspace.delete(Draft.KIND, older.id)
        profiles = {m.id for m in workspace.list(Municipality)}
        if newest.record_id is not None and newest.record_id not in profiles:
            # Its profile was removed meanwhile (kisi municipality remove): saved as a new
            # one it would quietly bring the removed profile back.
            workspace.delete(Draft.KIND, newest.id)
            self._show_status(
                _("The profile form you had open was not brought back: that profile was removed.")
            )
            return
        self.edit_profile(newest)
        self._show_status(_("The profile form you had open is back as you left it."))

    def _point_to_waiting_forms(self) -> None:
        """Name the pages, other than the one shown, where kept forms wait to be offered."""
        from kisi_desktop.core.domain import Draft

        workspace = self.session.workspace
        if workspace is None:
            return
        forms = {draft.form for draft in workspace.list(Draft)}
        shown = self.pages.currentWidget()
        keys = [
            page.key
            for page in self.page_list
            if page is not shown and any(page_of_form(f) == page.key for f in forms)
        ]
        self.waiting.show_waiting(keys, page_title)

    def _on_glimpsed(self, glance: Glance) -> None:
        """The secret is right: show the Overview as the last lock sealed it while the
        records are read (a few tenths of a second with 10,000 people; more on an old
        laptop). Nothing else can be reached meanwhile: the navigation and every action
        that needs the records wait for ``unlocked``."""
        if self.stack.currentWidget() is not self.unlock_view:
            return
        current = self.pages.currentWidget()
        if not isinstance(current, Page | DeferredPage) or current.key != "overview":
            return  # (the window opens on another page: it waits for the records)
        overview = self.page("overview")
        show = getattr(overview, "show_glance", None)
        if show is None:
            return
        show(glance.overview)
        self._glancing = True
        self.nav.setEnabled(False)
        # Names are on screen: locking by hand works from now on (it covers the glance at
        # once and locks the vault the moment its records are read: Session.lock).
        self.lock_action.setEnabled(True)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        self.stack.setCurrentIndex(1)
        self._update_title(glance.municipalities)

    def _leave_glance(self) -> None:
        """The unlock failed after its glance showed (a damaged record key, a bug): back to
        the unlock screen, the glance gone."""
        if not self._glancing:
            return
        self._glancing = False
        self.nav.setEnabled(True)
        show = getattr(self.page("overview"), "show_glance", None)
        if show is not None:
            show(None)
        self._show_locked()
        self._update_title()

    def _on_unlocked(self) -> None:
        workspace = self.session.workspace
        self._glancing = False
        self.nav.setEnabled(True)
        self.unlock_view.reset()
        for page in self.page_list:
            page.set_workspace(workspace)
        self.search_page.set_workspace(workspace)
        self._set_unlocked_controls(enabled=True)
        self.stack.setCurrentIndex(1)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        self._focus_after_unlock()
        self._update_title()
        # Said first, so that a message about a kept form replaces it.
        QTimer.singleShot(0, self._remind_backup)
        # After the first paint: drafts are few, but the window shows its records first.
        if self._recovery_code_lost:
            QTimer.singleShot(0, self._tell_recovery_code_lost)
        if self._renewal_after_lock is not None:
            QTimer.singleShot(0, self._tell_renewal_after_lock)
        if self.session.with_recovery_code:
            QTimer.singleShot(0, lambda: self.change_passphrase(ask_current=False))
        else:
            QTimer.singleShot(0, self._offer_profile_draft)
        QTimer.singleShot(0, self._point_to_waiting_forms)
        QTimer.singleShot(0, self._remind_set_up)
        if workspace is not None and workspace.older_copy is not None:
            QTimer.singleShot(0, self._ask_about_older_copy)

    def _focus_after_unlock(self) -> None:
        """The focus where it was when the window locked, or else in the navigation. Left
        alone it stayed in the passphrase field after an unlock that showed the glance
        (``unlock_view.reset`` focuses that field while it is already hidden), and what
        the guide typed next went there, unseen (QA pass)."""
        before, self._focus_before_lock = self._focus_before_lock, None
        if (
            before is not None
            and shiboken6.isValid(before)
            and before.window() is self
            and before.isVisible()
            and before.isEnabled()
        ):
            before.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.nav.setFocus(Qt.FocusReason.OtherFocusReason)

    def _ask_about_older_copy(self) -> None:
        """The file is older than the one last locked here: lock, or go on with it."""
        workspace = self.session.workspace
        if workspace is None or workspace.older_copy is None:
            return

        def go_on() -> None:
            if self.session.workspace is not workspace:
                return
            try:
                accept_older_copy(workspace)
            except KisiError as error:  # (the unlock's row check refused the vault, say)
                self._show_status(_("That did not work: {error}").format(error=error))
                return
            self._show_status(_("Going on with this file: the next bundle starts a new series."))

        self.older_copy_box = ask_about_older_copy(
            self, workspace.older_copy, lambda: self.session.lock("manual"), go_on
        )

    def _tell_recovery_code_lost(self) -> QMessageBox:
        """After a lock threw away a new recovery code the guide had seen: a sheet with it
        would open nothing, and the guide should know before filing it."""
        self._recovery_code_lost = False
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("New recovery code not stored"),
            _(
                "The vault was locked before the new recovery code was stored. The old code "
                "stays valid. Destroy any sheet with the new code: it does not open the "
                "vault. Make a new code again under File if you need one."
            ),
            parent=self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _tell_renewal_after_lock(self) -> QMessageBox | None:
        """After a lock closed the renewal of the keys while it sealed the records (the
        guide had typed the new code back): renewed, a new backup is offered as at the
        end of the wizard; not, the guide learns which sheet still opens the vault."""
        from kisi_desktop.ui.renew_keys_wizard import old_keys_stay

        outcome, self._renewal_after_lock = self._renewal_after_lock, None
        if outcome is None or self.session.workspace is None:
            return None
        if not outcome:
            self._renewal_ended(True)
            return self.renewed_box
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Keys not renewed"),
            _(
                "The vault was locked while its keys were being renewed, and the renewal "
                "did not succeed: {reason}"
            ).format(reason=outcome)
            + "\n\n"
            + old_keys_stay(),
            parent=self,
        )
        box.setObjectName("renewalFailedBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _remind_set_up(self, *, code_checked: bool = False) -> None:
        """The line on an unfinished set-up (``widgets/set_up_reminder.py``): shown while
        the vault has no municipality profile or a recovery code never typed back, and
        updated as each is done."""
        from kisi_desktop.core.domain import Municipality

        workspace = self.session.workspace
        if workspace is None:
            return
        if code_checked:
            remember_recovery_check(workspace.vault_id, checked=True)
        missing = not workspace.list(Municipality)
        unchecked = workspace.vault_id.hex() in load_settings().unchecked_recovery
        reminder = self.set_up_reminder
        if reminder is None:
            if not (missing or unchecked):
                return
            from kisi_desktop.ui.widgets.set_up_reminder import SetUpReminder

            reminder = self.set_up_reminder = SetUpReminder()
            reminder.profile_wanted.connect(self.open_profiles)
            reminder.recovery_wanted.connect(self.new_recovery_code)
            self._column.insertWidget(1, reminder)
        reminder.show_missing(profile=missing, recovery_code=unchecked)

    def _remind_backup(self) -> None:
        workspace = self.session.workspace
        if workspace is None:
            return
        reminder = backup_reminder(load_settings().last_backup_day(), today(workspace.clock))
        if reminder is not None:
            self._show_status(reminder)

    def _on_checked(self, problems: tuple[str, ...]) -> None:
        QTimer.singleShot(PAGES_PRELOAD_DELAY_MS, self, self._preload_pages)
        if not problems:
            return
        # Records that failed the check have left the working set: show the pages without.
        for page in self.page_list:
            page.refresh()
        self.search_page.refresh()
        self._show_integrity_box(self.session.workspace)

    def _preload_pages(self) -> None:
        """What the preload while the passphrase was typed left out (``KISI_PASSPHRASE``,
        a quick Enter): the other pages' Qt-free code, on a thread (ui/preload.py), so
        that their first opening does not import it; it stops at a lock, and the next
        unlock goes on from there."""
        session = self.session
        if session.workspace is None or all(name in sys.modules for name in PAGE_MODULES):
            return
        if preloading():  # (the one begun at the unlock screen, ending its module)
            QTimer.singleShot(PAGES_PRELOAD_DELAY_MS, self, self._preload_pages)
            return
        preload((), formatting=False, later=PAGE_MODULES, until=lambda: session.workspace is None)

    def _show_integrity_box(self, checked: object) -> None:
        """A box, not the status bar: the guide must not miss it, nor need a terminal. Not
        over a dialog the guide is typing in (a new passphrase after a recovery-code
        unlock, a form brought back): it waits until that dialog is closed, so that Enter
        does not dismiss it unread."""
        workspace = self.session.workspace
        if workspace is None or workspace is not checked:
            return  # locked meanwhile: the next unlock checks again
        if QApplication.activeModalWidget() is not None:
            QTimer.singleShot(INTEGRITY_RETRY_MS, self, lambda: self._show_integrity_box(checked))
            return
        self._close_integrity_box()
        self.integrity_box = show_integrity_warning(self, workspace.findings)

    def _close_integrity_box(self) -> None:
        if self.integrity_box is not None and shiboken6.isValid(self.integrity_box):
            self.integrity_box.close()  # (deletes itself)
        self.integrity_box = None

    def _forget_typing(self) -> None:
        """Drop the undo history of every text field behind the unlock screen, and close
        any file dialog. A search or filter emptied at lock would come back with Ctrl+Z
        after the next unlock, under another guide's eyes (what the fields show now stays,
        e.g. a report's period)."""
        for edit in [self.search, *self.pages.findChildren(QLineEdit)]:
            if edit.isUndoAvailable() or edit.isRedoAvailable():
                edit.setText(edit.text())  # setText, unlike typing, starts a new history
        for text in self.pages.findChildren(QPlainTextEdit):
            text.document().clearUndoRedoStacks()
        # A save or open dialog left open would stay usable over the unlock screen
        # (browse, rename, delete files): cancelled, it returns nothing to its page.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QFileDialog) and widget.isVisible():
                # It writes its folders as it goes: forgotten once it is gone.
                widget.destroyed.connect(forget_file_dialog_folders)
                widget.reject()
        forget_file_dialog_folders()

    def _on_locked(self, reason: str) -> None:
        focused, work = self.focusWidget(), self.stack.widget(1)
        if focused is not None and work is not None and work.isAncestorOf(focused):
            self._focus_before_lock = focused  # (not the search: it is emptied now)
        self._leave_glance()
        self.search.clear()
        self.waiting.clear()
        if self.set_up_reminder is not None:
            self.set_up_reminder.hide()
        self._close_integrity_box()  # the next unlock checks again
        if self.renewed_box is not None and shiboken6.isValid(self.renewed_box):
            self.renewed_box.close()  # (it would offer a backup of a locked vault)
        self.renewed_box = None
        if self.older_copy_box is not None and shiboken6.isValid(self.older_copy_box):
            # Unanswered: nothing was marked, the next unlock asks again.
            self.older_copy_box.finished.disconnect()
            self.older_copy_box.close()
        self.older_copy_box = None
        clear_own_clipboard()
        try:
            for page in [*self.page_list, self.search_page]:
                # A page that fails to clear must not stop the others, nor the unlock
                # screen from covering whatever it still shows.
                try:
                    page.set_workspace(None)
                except Exception as error:
                    log.error("a page failed to clear at lock: %s", type(error).__name__)
        finally:
            self._show_locked()
            # A lock while an unlock still reads the records: the unlock screen stays busy
            # until that unlock has ended (what is typed meanwhile would be dropped).
            self.unlock_view.set_busy(self.session.unlocking)
            self._forget_typing()
        self._update_title()
        if reason == "idle":
            self._show_status(_("Locked after a time without input."))
        elif reason == "screen":
            self._show_status(_("Locked because the screen was locked."))
        elif reason == "sleep":
            self._show_status(_("Locked because the computer went to sleep."))
        else:
            self._show_status(_("Locked."))

    # ------------------------------------------------------------------ navigation and search
    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(self.page_list):
            self.pages.setCurrentWidget(self.page_list[row])

    def _step_page(self, step: int) -> None:
        """The next (1) or previous (-1) page in the navigation, round at either end."""
        row = self.nav.currentRow()
        if row < 0 or self.pages.currentWidget() is self.search_page:
            row = -1 if step > 0 else 0  # from the search results: the first or last page
        self.navigate(self.page_list[(row + step) % len(self.page_list)].key)

    def page(self, key: str) -> Page:
        """The page called ``key``, built now if it was waiting to be opened."""
        for page in self.page_list:
            if page.key == key:
                return page.page if isinstance(page, DeferredPage) else page
        raise KeyError(key)

    def current_page(self) -> QWidget | None:
        """What the page area shows: a page (the real one, not its slot) or the search results."""
        shown = self.pages.currentWidget()
        return shown.page if isinstance(shown, DeferredPage) else shown

    def navigate(self, key: str, record_id: str | None = None) -> None:
        """Show the page called ``key`` and, if given, the record ``record_id`` on it."""
        for index, page in enumerate(self.page_list):
            if page.key == key:
                self.nav.setCurrentRow(index)
                self.pages.setCurrentWidget(page)
                if record_id is not None:
                    page.show_record(record_id)
                return

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _unlock_screen_painted(self) -> None:
        """The unlock screen's first paint is the moment to build the first page: before
        it, it held up that paint (95 ms)."""
        self.unlock_view.painted.disconnect(self._unlock_screen_painted)
        QTimer.singleShot(0, self, self._while_the_guide_types)

    def _search_key(self, key: int) -> bool:
        """In the search field: Enter opens the selected result, Down goes to the results,
        Escape empties the field and shows the page again. True if the key was used."""
        typed = bool(self.search.text().strip())  # (an emptied field's old hits are not used)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and typed:
            # Searched now, not after the typing pause: Enter right after typing opens too.
            self._search_timer.stop()
            self._run_search()
            self.search_page.open_current()
            return True
        showing = self.pages.currentWidget() is self.search_page
        if key == Qt.Key.Key_Down and typed and showing and self.search_page.results.count():
            self.search_page.results.setFocus()
            return True
        if key == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            self._search_timer.stop()
            self._run_search()
            return True
        return False

    def _run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            if self.nav.currentRow() < 0:  # the results were shown: the page from before
                self.nav.setCurrentRow(self._row_before_search)
            else:
                self._nav_changed(self.nav.currentRow())
            return
        self.search_page.search(text)
        # The results are no page of the navigation: none stays highlighted there (the
        # Overview did, as if it were shown). A click on any page, the one from before
        # too, then shows it.
        if self.nav.currentRow() >= 0:
            self._row_before_search = self.nav.currentRow()
            # Through the view's setCurrentIndex, not setCurrentRow: a list given the
            # focus with no current row makes its first row current, unless the view
            # was told "none" itself. Tab from the search chose the Overview that way
            # and hid the results, the words still in the field (QA pass).
            self.nav.setCurrentIndex(QModelIndex())
        self.pages.setCurrentWidget(self.search_page)

    def _on_changed(self, kind: str) -> None:
        sender = self.sender()
        for page in self.page_list:
            if page is not sender:
                page.changed_elsewhere(kind)
        if kind == "municipality":
            self._update_title()
            self._remind_set_up()

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def showEvent(self, event: object) -> None:
        """Once the window has a native handle, Windows can send it session changes."""
        super().showEvent(event)  # type: ignore[arg-type]
        self.session.desktop.watch_window(int(self.winId()))

    def closeEvent(self, event: object) -> None:
        """Lock (saving drafts) before the window goes away; the snapshot is written on
        a thread meanwhile, and the app waits for it before it ends (``app.main``).

        Not while a worker renews the keys (``Session.lend``): the guide is to see how the
        renewal ended (the end of the app would wait for it, and say nothing)."""
        if self.session.lent and isinstance(event, QEvent):
            event.ignore()
            self._show_status(_("Please wait: the keys of the vault are being renewed."))
            return
        self.session.shutdown(wait=False)
        clear_own_clipboard()  # a clipboard manager would keep it after the app ends
        super().closeEvent(event)  # type: ignore[arg-type]
