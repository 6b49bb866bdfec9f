"""The first-run wizard: create the vault, hand out the recovery code, record the municipality.

``app.main()`` runs it when no vault exists. Afterwards :attr:`SetupWizard.workspace` is
the open workspace (the main window adopts it) or None when the guide cancelled. Cancel
after the vault was made locks it: the vault stays, and the next start shows the unlock
screen. Cancel is refused while the vault is being written, so no half-made file is left.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from kisi_desktop.core.i18n import _
from kisi_desktop.core.restore import Restored
from kisi_desktop.core.vault.kdf import KdfParams
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.restore_dialog import RestoreDialog
from kisi_desktop.ui.setup_pages import (
    CreatePage,
    DonePage,
    PassphrasePage,
    SetupState,
    WelcomePage,
)
from kisi_desktop.ui.setup_profile_page import MunicipalityPage
from kisi_desktop.ui.setup_recovery_page import RecoveryPage, SheetActions
from kisi_desktop.ui.workers import TaskRunner

# Room for the long German texts without scrolling; well inside a 1366x768 screen.
WIZARD_SIZE = QSize(760, 600)


class SetupWizard(SheetActions, QWizard):
    """See the module docstring."""

    def __init__(
        self,
        vault_path: Path,
        runner: TaskRunner,
        *,
        kdf: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.state = SetupState(vault_path=Path(vault_path), runner=runner, kdf=kdf)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.welcome_page = WelcomePage(self.state)
        self.passphrase_page = PassphrasePage()
        self.create_page = CreatePage(self.state, self.passphrase_page)
        self.recovery_page = RecoveryPage(self.state)
        self.municipality_page = MunicipalityPage(self.state)
        self.done_page = DonePage(self.state)
        for page in (
            self.welcome_page,
            self.passphrase_page,
            self.create_page,
            self.recovery_page,
            self.municipality_page,
            self.done_page,
        ):
            self.addPage(page)
        self.welcome_page.restore_button.clicked.connect(self.restore_from_backup)
        # Set when the vault came from a backup (the window then says from which day).
        self.restored: Restored | None = None
        self.with_recovery_code = False
        self.recovery_page.print_button.clicked.connect(self.print_recovery_code)
        self.recovery_page.pdf_button.clicked.connect(self.save_recovery_pdf)
        self.setMinimumSize(WIZARD_SIZE)
        self.currentIdChanged.connect(self._page_changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setWindowTitle(_("Set up KISI Desktop"))
        for page_id in self.pageIds():
            page = self.page(page_id)
            retranslate = getattr(page, "retranslate_ui", None)
            if retranslate is not None:
                retranslate()

    # ------------------------------------------------------------------ result
    @property
    def workspace(self) -> Workspace | None:
        """The open workspace after Finish; None before, and after Cancel."""
        return self.state.workspace

    def accept(self) -> None:
        """Finish: keep the workspace open for the main window, take the code off screen."""
        self._forget_code()
        super().accept()

    def reject(self) -> None:
        """Cancel: refused while the vault is written; afterwards lock the new vault."""
        if self.state.creating:
            return
        workspace = self.state.workspace
        if workspace is not None:
            if self.currentPage() is self.done_page:
                self.accept()  # everything is done: Esc or the title bar's close finishes
                return
            if not self.recovery_page.isComplete():
                if not self.confirm_cancel():
                    return
            elif not self.confirm_without_profile():
                return
            self.state.workspace = None
            workspace.lock()
        self._forget_code()
        super().reject()

    def confirm_cancel(self) -> bool:
        """Ask before cancelling while the recovery code has not been checked yet; say
        that the vault stays and where a new code is made, so that "Yes" is not read as
        "throw the vault away" nor "No" as the only way ever to get a code."""
        answer = QMessageBox.question(
            self,
            _("Cancel set-up?"),
            _(
                "The vault has been created and stays. Its recovery code has not been "
                "checked and will not be shown again; you can make a new one at any time "
                "under File > New recovery code…. Cancel set-up anyway?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def confirm_without_profile(self) -> bool:
        """Ask before leaving with the vault made but no municipality profile (Esc on the
        profile page is pressed out of habit; without a profile the window title, the
        handouts and every new activity lack the municipality)."""
        answer = QMessageBox.question(
            self,
            _("Cancel set-up?"),
            _(
                "The vault has been created; the municipality profile is still missing. "
                "Without it the window title and the handouts do not name your municipality, "
                "and each activity asks for the municipality key. You can enter the profile "
                "later under File > Municipality profile. Cancel set-up anyway?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _page_changed(self, _page_id: int) -> None:
        # On the last page everything is done: Cancel would only lock the finished vault.
        self.setOption(QWizard.WizardOption.NoCancelButton, self.currentPage() is self.done_page)

    def _forget_code(self) -> None:
        self.state.recovery_code = ""
        self.recovery_page.forget()

    # ------------------------------------------------------------------ restore
    def restore_from_backup(self) -> RestoreDialog:
        """The restore dialog (window-modal); a restore finishes the wizard at once: the
        vault, its profile and its recovery code come from the backup."""
        dialog = RestoreDialog(self.state.vault_path, self.state.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._restored(dialog))
        dialog.open()
        return dialog

    def _restored(self, dialog: RestoreDialog) -> None:
        self.state.workspace = dialog.workspace
        self.restored = dialog.restored
        self.with_recovery_code = dialog.with_recovery_code
        self.accept()
