"""Change the vault passphrase from the window (File menu), and set a new one at once after
unlocking with the recovery code: the guide who forgot it should not need the command line.

The current passphrase is asked for, so a laptop left unlocked for a minute cannot have
its passphrase changed by someone passing by; after a recovery-code unlock it is not (the
guide does not know it). The key derivations (Argon2id, twice) run on a worker; the file
is written on the UI thread, which owns the vault (CONTRIBUTING.md).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.errors import KisiError, WrongSecret
from kisi_desktop.core.i18n import _
from kisi_desktop.core.vault.kdf import KdfParams
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.session import Session
from kisi_desktop.ui.widgets.new_passphrase import NewPassphraseFields, error_label, wrapping_label
from kisi_desktop.ui.workers import TaskRunner

log = logging.getLogger(__name__)


class PassphraseDialog(QDialog):
    """See the module docstring. ``ask_current``: False after a recovery-code unlock."""

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        *,
        ask_current: bool = True,
        kdf: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(_("Change passphrase"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._session = session
        self._runner = runner
        self._kdf = kdf
        self._running: Workspace | None = None
        self.intro = wrapping_label("passphraseIntro")
        self.intro.setText(
            _("Choose the passphrase you will type from now on. The recovery code stays valid.")
            if ask_current
            else _(
                "You opened the vault with the recovery code. Choose a new passphrase now, "
                "so that you can unlock with it again."
            )
        )
        self.current = QLineEdit()
        self.current.setObjectName("currentPassphrase")
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current.setAccessibleName(_("Current passphrase"))
        self.current_error = error_label("currentPassphraseError")
        self.fields = NewPassphraseFields()
        self.fields.changed.connect(self._update_button)
        self.busy = QProgressBar()
        self.busy.setObjectName("passphraseBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.message = error_label("passphraseMessage")
        self.buttons = QDialogButtonBox(self)
        self.change_button = QPushButton(_("&Change passphrase"))
        self.change_button.setObjectName("changePassphraseButton")
        cancel = QPushButton(_("Cancel"))
        cancel.setObjectName("cancelButton")
        self.buttons.addButton(self.change_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        # Only once it is in the dialog (as in forms/form_buttons.py): else Cancel became
        # the default after Tab had passed it, and Enter in a field cancelled.
        self.change_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        self.fields.first_label.setText(_("&New passphrase:"))
        if ask_current:
            # In the fields' own form, so that the three labels line up.
            label = QLabel(_("C&urrent passphrase:"))
            label.setBuddy(self.current)
            self.fields.form.insertRow(0, label, self.current)
            self.fields.form.insertRow(1, "", self.current_error)
        else:
            self.current.hide()
        self.ask_current = ask_current
        layout.addWidget(self.fields)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        session.locked.connect(self._locked)
        (self.current if ask_current else self.fields.first).setFocus()
        self._update_button()
        self.resize(max(520, self.sizeHint().width()), self.sizeHint().height())

    def _update_button(self) -> None:
        self.change_button.setEnabled(self._running is None and self.fields.acceptable())

    def accept(self) -> None:
        """Check on a worker, then store; the dialog stays open with what went wrong."""
        workspace = self._session.workspace
        if workspace is None or self._running is not None or not self.fields.acceptable():
            return
        self.message.hide()
        self.current_error.hide()
        try:
            plan = workspace.plan_passphrase(
                self.fields.passphrase(),
                current=self.current.text() if self.ask_current else None,
                kdf=self._kdf,
            )
        except KisiError as error:
            self._say(str(error))
            return
        self._running = workspace
        self._set_busy(True)
        self._runner.run(plan.derive, lambda slot: self._derived(workspace, slot), self._failed)

    def _derived(self, workspace: Workspace, slot: Any) -> None:
        self._running = None
        if self._session.workspace is not workspace:
            return  # locked meanwhile: nothing is written, the old passphrase stays
        try:
            workspace.finish_passphrase(slot)
        except KisiError as error:
            self._set_busy(False)
            self._say(str(error))
            return
        self.fields.forget()
        self.current.clear()
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._running = None
        self._set_busy(False)
        if isinstance(error, WrongSecret):
            self.current_error.setText(str(error))
            self.current_error.show()
            self.current.selectAll()
            self.current.setFocus()
        elif isinstance(error, KisiError):
            self._say(str(error))
        else:
            log.error("passphrase change failed: %s", type(error).__name__)
            self._say(_("The passphrase could not be changed."))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.current, self.fields):
            widget.setEnabled(not busy)
        self._update_button()

    def _locked(self, _reason: str) -> None:
        """Nothing typed here outlives a lock."""
        self.fields.forget()
        self.current.clear()
        self.reject()
