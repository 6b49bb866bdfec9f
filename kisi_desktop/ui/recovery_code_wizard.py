"""A new recovery code from the File menu, when the printed sheet was lost (SECURITY.md 6.1.4).

Two pages: the passphrase, checked on a worker (Argon2id) before anything is made, then
the new code, shown once, to print and to type two groups of back, as at set-up. The code
is only stored at Finish: until then the old one stays valid, so a Cancel, a crash or an
auto-lock in between leaves the guide with the sheet they have, never with none.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kisi_desktop.core.errors import KisiError, WrongSecret
from kisi_desktop.core.i18n import _
from kisi_desktop.core.vault.keys import KeySlot

from kisi_desktop.ui.session import Session
from kisi_desktop.ui.setup_pages import SetupState
from kisi_desktop.ui.setup_recovery_page import RecoveryPage, SheetActions
from kisi_desktop.ui.setup_wizard import WIZARD_SIZE
from kisi_desktop.ui.widgets.new_passphrase import error_label, wrapping_label
from kisi_desktop.ui.workers import TaskRunner

log = logging.getLogger(__name__)


class PassphraseCheckPage(QWizardPage):
    """Why and what happens; the passphrase, checked before the code is made."""

    def __init__(self, wizard: NewRecoveryCodeWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.text = wrapping_label("newRecoveryText")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("recoveryPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.textChanged.connect(self.completeChanged)
        self.passphrase_label = QLabel()
        self.passphrase_label.setBuddy(self.passphrase)
        self.error = error_label("newRecoveryError")
        self.busy = QProgressBar()
        self.busy.setObjectName("newRecoveryBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow("", self.error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("New recovery code"))
        self.text.setText(
            _(
                "Make a new recovery code if the printed sheet was lost. The new code is shown "
                "once, to print or write down; when you finish, the old code no longer opens "
                "this vault. Backups made before still open with the old code: keep them as "
                "safe as the old sheet was, or delete them."
            )
        )
        self.passphrase_label.setText(_("&Passphrase:"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.busy.setAccessibleName(_("Checking the passphrase"))

    def isComplete(self) -> bool:
        """Something typed, and no check running."""
        return bool(self.passphrase.text()) and not self.busy.isVisible()

    def validatePage(self) -> bool:
        """Next: check on a worker first; the wizard moves on when the code is made."""
        if self._wizard.slot is not None:
            return True
        self._wizard.start_check(self.passphrase.text())
        return False

    def show_busy(self, busy: bool) -> None:
        """While the passphrase is checked, nothing can be typed or pressed twice."""
        self.busy.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        if not busy:
            self.passphrase.setFocus()
        self.completeChanged.emit()

    def say(self, text: str) -> None:
        """What went wrong, under the field."""
        self.error.setText(text)
        self.error.setVisible(bool(text))


class NewRecoveryCodeWizard(SheetActions, QWizard):
    """See the module docstring. :attr:`replaced` is True once the new code is stored;
    :attr:`thrown_away` says that a lock discarded a code the guide had already seen
    (and may have printed): the window says so after the next unlock."""

    thrown_away = Signal()

    def __init__(
        self, session: Session, runner: TaskRunner, vault_path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newRecoveryWizard")
        self._session = session
        self.state = SetupState(vault_path=vault_path, runner=runner, kdf=None)
        self.slot: KeySlot | None = None
        self.replaced = False
        self._checking = False
        self.discard_question: QMessageBox | None = None
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.check_page = PassphraseCheckPage(self)
        self.recovery_page = RecoveryPage(self.state)
        self.addPage(self.check_page)
        self.addPage(self.recovery_page)
        self.recovery_page.print_button.clicked.connect(self.print_recovery_code)
        self.recovery_page.pdf_button.clicked.connect(self.save_recovery_pdf)
        self.setMinimumSize(WIZARD_SIZE)
        session.locked.connect(self._locked)
        self.setWindowTitle(_("New recovery code"))

    def start_check(self, passphrase: str) -> None:
        """Read the file here, check and make the code on the worker."""
        workspace = self._session.workspace
        if workspace is None or self._checking:
            return
        self.check_page.say("")
        try:
            plan = workspace.plan_recovery(passphrase)
        except KisiError as error:
            self.check_page.say(str(error))
            return
        self._checking = True
        self.check_page.show_busy(True)
        self.state.runner.run(plan.derive, self._made, self._failed)

    def _made(self, result: Any) -> None:
        self._checking = False
        self.check_page.show_busy(False)
        if self._session.workspace is None:
            return  # locked meanwhile: the dialog is closing
        self.slot, self.state.recovery_code = result
        self.check_page.passphrase.clear()
        self.next()

    def _failed(self, error: BaseException) -> None:
        self._checking = False
        self.check_page.show_busy(False)
        if isinstance(error, WrongSecret):
            self.check_page.say(str(error))
            self.check_page.passphrase.selectAll()
        elif isinstance(error, KisiError):
            self.check_page.say(str(error))
        else:
            log.error("new recovery code failed: %s", type(error).__name__)
            self.check_page.say(_("The recovery code could not be made."))

    def accept(self) -> None:
        """Finish (the two groups were typed back): store the new code, then close."""
        workspace = self._session.workspace
        if workspace is None or self.slot is None:
            return
        try:
            workspace.finish_recovery(self.slot)
        except KisiError as error:
            self.recovery_page.mismatch.setText(
                _("The new code could not be stored: {reason}").format(reason=error)
            )
            self.recovery_page.mismatch.show()
            return
        self.replaced = True
        self._forget()
        super().accept()

    def reject(self) -> None:
        """Cancel (or Esc): nothing is stored, the old code stays valid. Once the new code
        was shown, the guide may have printed it: ask first, No being the default."""
        if self._checking or self.discard_question is not None:
            return  # the check ends within a second or two; the question is open
        if self.slot is None:
            self._forget()
            super().reject()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Discard the new code?"),
            _(
                "The new recovery code is not stored yet: it only counts once you finish. "
                "Discard it? The old code stays valid; a sheet with the new code, if you "
                "printed or wrote one, will not open the vault."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda answer: self._answered(answer))
        self.discard_question = box
        box.open()

    def _answered(self, answer: int) -> None:
        self.discard_question = None
        if answer == QMessageBox.StandardButton.Yes:
            self._forget()
            super().reject()

    def _locked(self, _reason: str) -> None:
        """Nothing of the code outlives a lock, not even an open print dialog; the old
        code stays valid, and the window says so after the next unlock."""
        shown = self.slot is not None and not self.replaced
        self._checking = False
        for child in self.findChildren(QDialog):
            child.reject()  # (the print or save dialog, the question)
        self.discard_question = None
        self._forget()
        super().reject()
        if shown:
            self.thrown_away.emit()

    def _forget(self) -> None:
        self.slot = None
        self.state.recovery_code = ""
        self.recovery_page.forget()
        self.check_page.passphrase.clear()
