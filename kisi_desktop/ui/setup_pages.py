"""The first-run wizard's pages up to the new vault, the last page, and what pages share.

Order: welcome → passphrase → creating the vault (worker, busy indicator) → recovery code
(setup_recovery_page.py) → municipality profile (setup_profile_page.py) → done. The
passphrase page and the creating page are Qt "commit pages": once the vault exists there is
no way back to a page that would create it a second time. The flow and the cancel rules
live in setup_wizard.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.settings import remember_recovery_check
from kisi_desktop.core.vault.kdf import KdfParams
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.keys import signer

from kisi_desktop.ui.widgets.new_passphrase import (
    NewPassphraseFields,
    error_label,
    wrapping_label,
)
from kisi_desktop.ui.workers import TaskRunner


@dataclass
class SetupState:
    """What the pages share: where the vault goes, and what creating it produced."""

    vault_path: Path
    runner: TaskRunner
    kdf: KdfParams | None
    workspace: Workspace | None = None
    recovery_code: str = ""
    creating: bool = False


class WelcomePage(QWizardPage):
    """What KISI Desktop does and where the data stays."""

    def __init__(self, state: SetupState) -> None:
        super().__init__()
        self._state = state
        self.body = wrapping_label("welcomeText")
        self.where = wrapping_label("welcomeVault")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.disk = wrapping_label("welcomeDisk")
        self.steps = wrapping_label("welcomeSteps")
        # A new laptop for a guide who already worked: the vault comes from the backup.
        self.restore_hint = wrapping_label("welcomeRestore")
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restoreButton")
        # The page opens with the keyboard focus on this, its only button; as a dialog's
        # button it would take Enter, and a new guide's Enter opened the restore dialog
        # instead of going on to the passphrase. Enter means Next; Space still restores.
        self.restore_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        for label in (self.body, self.where, self.disk, self.steps):
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(self.restore_hint)
        layout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("Welcome to KISI Desktop"))
        self.body.setText(
            _(
                "KISI Desktop keeps your case notes, contacts, activities, volunteers and "
                "events, prints handouts in the newcomers' languages and prepares the AMIF "
                "reports – on this laptop, without internet and without a server."
            )
        )
        self.where.setText(
            _(
                "Everything is stored in one encrypted vault file. Without your passphrase "
                "or the recovery code nobody can read it. Vault file: {path}"
            ).format(path=self._state.vault_path)
        )
        self.disk.setText(
            _(
                "Recommended: switch on full-disk encryption for this laptop (BitLocker on "
                "Windows), so that nothing readable is left on the disk outside the vault "
                "either."
            )
        )
        self.steps.setText(
            _(
                "Next steps: choose a passphrase, write down the recovery code, and enter "
                "your municipality's details."
            )
        )
        self.restore_hint.setText(
            _("Already worked with KISI Desktop on another laptop? Start from its backup:")
        )
        self.restore_button.setText(_("Restore from a &backup…"))


class PassphrasePage(QWizardPage):
    """The passphrase, twice, with a live strength hint; Next only when both fit."""

    def __init__(self) -> None:
        super().__init__()
        self.fields = NewPassphraseFields()
        self.fields.changed.connect(self.completeChanged)
        # The tests and the creating page reach the fields by these names.
        self.first, self.second = self.fields.first, self.fields.second
        self.show_box, self.meter = self.fields.show_box, self.fields.meter
        self.level_label, self.hints = self.fields.level_label, self.fields.hints
        self.mismatch = self.fields.mismatch
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        self.setCommitPage(True)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("Choose a passphrase"))
        self.setSubTitle(
            _(
                "You type it every time you unlock KISI Desktop. Several unrelated words "
                "are easy to remember and hard to guess."
            )
        )
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Create vault"))
        self.fields.retranslate_ui()

    def isComplete(self) -> bool:
        """Strong enough and typed the same twice."""
        return self.fields.acceptable()

    def passphrase(self) -> str:
        """What was typed (read once, by the creating page)."""
        return self.fields.passphrase()

    def forget(self) -> None:
        """Clear both fields once the vault exists; the passphrase is not kept on screen."""
        self.fields.forget()


class CreatePage(QWizardPage):
    """Creates the vault on a worker (Argon2id takes about a second) and moves on by itself."""

    def __init__(self, state: SetupState, passphrase_page: PassphrasePage) -> None:
        super().__init__()
        self._state = state
        self._passphrase_page = passphrase_page
        self.info = wrapping_label("createInfo")
        self.busy = QProgressBar()
        self.busy.setObjectName("createBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.error = error_label("createError")
        self.retry = QPushButton()
        self.retry.setObjectName("createRetry")
        self.retry.clicked.connect(self.start)
        self.retry.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.retry)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.setCommitPage(True)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("Creating the vault"))
        self.info.setText(
            _(
                "The key is derived from your passphrase and the vault file is created. "
                "This takes a few seconds."
            )
        )
        self.busy.setAccessibleName(_("Creating the vault"))
        self.retry.setText(_("&Try again"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Continue"))

    def initializePage(self) -> None:
        """Entering the page starts the creation."""
        if self._state.workspace is None:
            self.start()

    def start(self) -> None:
        """Create the vault on the task runner."""
        if self._state.creating or self._state.workspace is not None:
            return
        state = self._state
        passphrase = self._passphrase_page.passphrase()
        state.creating = True
        self._allow_cancel(False)
        self.error.hide()
        self.retry.hide()
        self.busy.show()

        def work() -> tuple[Workspace, str]:
            return Workspace.create(state.vault_path, passphrase, kdf=state.kdf)

        state.runner.run(work, self._created, self._failed)

    def _allow_cancel(self, allowed: bool) -> None:
        """Cancel is greyed out while the vault file is written (see SetupWizard.reject)."""
        wizard = self.wizard()
        if wizard is not None:
            wizard.button(QWizard.WizardButton.CancelButton).setEnabled(allowed)

    def _created(self, result: Any) -> None:
        workspace, code = result
        self._state.creating = False
        self._allow_cancel(True)
        self._state.workspace = workspace
        self._state.recovery_code = code
        # Until the guide types it back (RecoveryPage.validatePage): a set-up left here
        # makes the window remind of the code at every unlock.
        remember_recovery_check(workspace.vault_id, checked=False)
        self._passphrase_page.forget()
        self.busy.hide()
        self.completeChanged.emit()
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _failed(self, error: BaseException) -> None:
        self._state.creating = False
        self._allow_cancel(True)
        self.busy.hide()
        if not isinstance(error, KisiError | OSError):
            raise error
        self.error.setText(_("The vault could not be created: {reason}").format(reason=error))
        self.error.show()
        self.retry.show()

    def isComplete(self) -> bool:
        """Only once the vault exists."""
        return self._state.workspace is not None


class DonePage(QWizardPage):
    """The vault is ready; what happens next time, and where the ministry's key is.

    Entering the page creates the municipality's signing key in the new vault (a vault write
    of a moment), so the key the guide registers with the ministry exists from the start.
    Should that write fail, the Sync page creates the key later; set-up still finishes.
    """

    def __init__(self, state: SetupState) -> None:
        super().__init__()
        self._state = state
        self._key_error = ""
        self.body = wrapping_label("doneText")
        self.key_note = wrapping_label("doneKeyNote")
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        layout.addWidget(self.key_note)
        layout.addStretch(1)
        self.setFinalPage(True)
        self.retranslate_ui()

    def initializePage(self) -> None:
        """Create the signing key (once: going back and forth finds the one made before)."""
        workspace = self._state.workspace
        if workspace is None:
            return
        try:
            signer(workspace)
        except (KisiError, OSError) as error:
            self._key_error = str(error)
        else:
            self._key_error = ""
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("All set"))
        self.body.setText(
            _(
                "Your vault is ready and unlocked. From now on KISI Desktop asks for your "
                "passphrase at start and locks itself after a few minutes without input "
                "(Settings). Keep the recovery code sheet in a safe place."
            )
        )
        note = _(
            "Before the first bundle, the ministry registers your municipality's public "
            "signing key: you find it on the Sync page, under “This device”."
        )
        if self._key_error:
            failed = _(
                "The signing key could not be created yet ({reason}); the Sync page tries again."
            ).format(reason=self._key_error)
            note = failed + " " + note
        self.key_note.setText(note)
