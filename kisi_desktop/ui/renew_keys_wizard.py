"""Renew every key of the vault from the File menu (``Workspace.renew_keys``), for when
someone else may know the recovery sheet or the passphrase and may have a copy of the file.

A new passphrase or recovery code alone does not help then: both wrap the same master key
(store/FORMAT.md), which the old secret still gets out of a copy. Three pages: what happens
and what stays; the passphrase (and, if wanted, a new one), then the renewal itself with a
progress bar; the new recovery code, shown once, to print and to type two groups of back,
as at set-up.

Unlike a new recovery code (recovery_code_wizard.py), the code is stored before it is
shown: the renewal seals every record again in one transaction that writes the new key
slots too. The old code has stopped working by the time the new one is on screen, so
leaving the last page early is asked about, and a lock there is reported after the next
unlock (:attr:`RenewKeysWizard.unconfirmed`); the passphrase still opens the vault. So
that an app closed or killed before the code was typed back says it too, the renewal is
noted in the settings before it begins (core/settings.py ``mark_renewal``) and the note
cleared once the code is typed back or the renewal failed; the next unlock reads it.

The renewal writes the live vault for seconds, so it runs on a worker that borrows the
workspace (:meth:`Session.lend`): a lock asked for meanwhile (idle, screen, sleep) waits
until the worker is back and then happens before the code is shown. The wizard is modal
and cannot be closed meanwhile, so nothing on the UI thread touches the workspace.

Signals:
    unconfirmed(): the keys were renewed, but a lock closed the wizard before the guide
        typed the new code back (it may never have been shown).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDialog,
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
from kisi_desktop.core.i18n import _, format_number
from kisi_desktop.core.settings import clear_renewal, mark_renewal
from kisi_desktop.core.vault.kdf import KdfParams
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.session import Session
from kisi_desktop.ui.setup_pages import SetupState
from kisi_desktop.ui.setup_recovery_page import RecoveryPage, SheetActions
from kisi_desktop.ui.setup_wizard import WIZARD_SIZE
from kisi_desktop.ui.widgets.new_passphrase import NewPassphraseFields, error_label, wrapping_label
from kisi_desktop.ui.workers import TaskRunner

log = logging.getLogger(__name__)


class RenewIntroPage(QWizardPage):
    """When to renew, what happens, what stays, and what it means for backups."""

    def __init__(self) -> None:
        super().__init__()
        self.when = wrapping_label("renewWhen")
        self.happens = wrapping_label("renewHappens")
        self.stays = wrapping_label("renewStays")
        self.backups = wrapping_label("renewBackups")
        layout = QVBoxLayout(self)
        for label in (self.when, self.happens, self.stays, self.backups):
            layout.addWidget(label)
            layout.addSpacing(6)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("Renew all keys"))
        self.when.setText(
            _(
                "Renew every key if someone else may know the recovery sheet or the "
                "passphrase and may have a copy of the vault file. A new passphrase or "
                "recovery code alone is not enough then: with a copy of the file and the old "
                "code or passphrase, today's file could still be opened."
            )
        )
        self.happens.setText(
            _(
                "What happens: the vault gets new keys, and every record is sealed again "
                "with them. This takes a few seconds, longer with many people. Then a new "
                "recovery code is shown once, to print or write down."
            )
        )
        self.stays.setText(
            _(
                "What stays: every person, note and other record, the audit log and the "
                "bundles already sent. Afterwards the old recovery code no longer opens "
                "this vault, and neither does the old passphrase if you choose a new one."
            )
        )
        self.backups.setText(
            _(
                "Backups made before still open with the old recovery code and passphrase. "
                "Afterwards, make a new backup and delete the older ones."
            )
        )


class RenewPassphrasePage(QWizardPage):
    """The current passphrase, a new one if wanted; the renewal runs here, with progress."""

    def __init__(self, wizard: RenewKeysWizard, *, after_recovery_code: bool) -> None:
        super().__init__()
        self._wizard = wizard
        self._after_recovery_code = after_recovery_code
        self.text = wrapping_label("renewPassphraseText")
        self.current = QLineEdit()
        self.current.setObjectName("renewCurrentPassphrase")
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current.textChanged.connect(self.completeChanged)
        self.current_label = QLabel()
        self.current_label.setBuddy(self.current)
        self.current_error = error_label("renewCurrentError")
        self.new_box = QCheckBox()
        self.new_box.setObjectName("renewNewPassphrase")
        self.fields = NewPassphraseFields()
        self.fields.changed.connect(self.completeChanged)
        # In the fields' own form, so that the labels line up (as in passphrase_dialog.py).
        self.fields.form.insertRow(0, self.current_label, self.current)
        self.fields.form.insertRow(1, "", self.current_error)
        self.fields.form.insertRow(2, "", self.new_box)
        self.new_box.toggled.connect(self._new_toggled)
        self.status = wrapping_label("renewStatus")
        self.status.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("renewProgress")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.message = error_label("renewMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.fields)
        layout.addSpacing(6)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.setCommitPage(True)  # (no way back to before the renewal)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("Confirm with your passphrase"))
        text = _(
            "Type your passphrase to confirm. You can choose a new one at the same time: "
            "do so if someone else may know the current one."
        )
        if self._after_recovery_code:
            text += "\n\n" + _(
                "You opened the vault with the recovery code: choose a new passphrase first "
                "(File → Change passphrase…), then renew the keys with it."
            )
        self.text.setText(text)
        self.current_label.setText(_("C&urrent passphrase:"))
        self.current.setAccessibleName(_("Current passphrase"))
        self.new_box.setText(_("Also choose a new &passphrase"))
        self._show_new(self.new_box.isChecked())
        self.progress.setAccessibleName(_("Renewing the keys"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Renew &keys"))

    def _new_toggled(self, on: bool) -> None:
        self._show_new(on)
        if on:
            self.fields.first.setFocus()

    def _show_new(self, on: bool) -> None:
        """The new passphrase's fields only when wanted; unticked, they are emptied."""
        fields = self.fields
        for widget in (fields.first, fields.second, fields.show_box):
            fields.form.setRowVisible(widget, on)
        fields.level_label.setVisible(on)
        fields.meter.setVisible(on)
        if on:
            fields.retranslate_ui()  # (shows the hints and the mismatch as typed)
            fields.first_label.setText(_("&New passphrase:"))
        else:
            fields.forget()
            fields.hints.hide()
            fields.mismatch.hide()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """The passphrase typed, a new one strong enough if wanted, and nothing running."""
        wanted = not self.new_box.isChecked() or self.fields.acceptable()
        return bool(self.current.text()) and wanted and not self._wizard.busy

    def validatePage(self) -> bool:
        """Renew keys: on a worker first; the wizard moves on when the code is there."""
        if self._wizard.renewed:
            return True
        self._wizard.start_renewal()
        return False

    def new_passphrase(self) -> str | None:
        """The new passphrase, or None to keep the current one."""
        return self.fields.passphrase() if self.new_box.isChecked() else None

    def show_busy(self, text: str) -> None:
        """While the keys are renewed nothing can be typed or pressed twice."""
        self.current_error.hide()
        self.message.hide()
        for widget in (self.current, self.new_box, self.fields):
            widget.setEnabled(False)
        self.status.setText(text)
        self.status.show()
        self.progress.setRange(0, 0)  # (the key derivations say nothing until they end)
        self.progress.show()
        self.completeChanged.emit()

    def show_progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` records sealed again."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)
        self.status.setText(
            _("Sealing the records again with the new keys: {done} of {total}").format(
                done=format_number(done), total=format_number(total)
            )
        )

    def show_idle(self) -> None:
        """The renewal ended without a code (refused): the fields can be used again."""
        for widget in (self.current, self.new_box, self.fields):
            widget.setEnabled(True)
        self.status.hide()
        self.progress.hide()
        self.completeChanged.emit()

    def say_wrong(self, text: str) -> None:
        """A wrong passphrase, under its field."""
        self.current_error.setText(text)
        self.current_error.show()
        self.current.selectAll()
        self.current.setFocus()

    def say(self, text: str) -> None:
        """Anything else that went wrong, under the progress bar."""
        self.message.setText(text)
        self.message.show()

    def forget(self) -> None:
        """No passphrase stays on screen."""
        self.current.setText("")  # (clear() would keep it for undo)
        self.fields.forget()


class RenewedCodePage(RecoveryPage):
    """The set-up wizard's recovery-code page, saying that the old code stopped working."""

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        super().retranslate_ui()
        self.setSubTitle(
            _(
                "Every key was renewed. This is the new recovery code: the old one no longer "
                "opens this vault. It is shown only now and cannot be shown again."
            )
        )


class RenewKeysWizard(SheetActions, QWizard):
    """See the module docstring. :attr:`renewed` is True once the keys are renewed;
    :attr:`kdf` is for tests (None: the stored parameters, or a calibration)."""

    unconfirmed = Signal()
    _progressed = Signal(int, int)  # emitted on the worker, delivered here

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        vault_path: Path,
        parent: QWidget | None = None,
        *,
        kdf: KdfParams | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("renewKeysWizard")
        self._session = session
        self.kdf = kdf
        self.state = SetupState(vault_path=vault_path, runner=runner, kdf=kdf)
        self.renewed = False
        self.busy = False
        self._waiting_for_check = False
        self.leave_question: QMessageBox | None = None
        self.stay_button: QAbstractButton | None = None
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.intro_page = RenewIntroPage()
        self.passphrase_page = RenewPassphrasePage(
            self, after_recovery_code=session.with_recovery_code
        )
        self.recovery_page = RenewedCodePage(self.state)
        for page in (self.intro_page, self.passphrase_page, self.recovery_page):
            self.addPage(page)
        self.recovery_page.print_button.clicked.connect(self.print_recovery_code)
        self.recovery_page.pdf_button.clicked.connect(self.save_recovery_pdf)
        self._progressed.connect(self.passphrase_page.show_progress)
        self.setMinimumSize(WIZARD_SIZE)
        session.locked.connect(self._locked)
        session.checked.connect(self._check_settled)
        self.setWindowTitle(_("Renew all keys"))

    def start_renewal(self) -> None:
        """Lend the workspace to a worker that renews the keys (``Session.lend``)."""
        workspace = self._session.workspace
        if workspace is None or self.busy:
            return
        page = self.passphrase_page
        if workspace.checking:
            # The unlock's row check still runs; the renewal would take it over on the
            # worker's thread, and that belongs to the UI thread (Session._settle_check).
            self._waiting_for_check = True
            self._set_busy(True, _("Waiting for the check of the vault to end…"))
            return
        current, new, kdf = page.current.text(), page.new_passphrase(), self.kdf
        progress = self._progressed.emit

        def renew(ws: Workspace) -> str:
            return ws.renew_keys(current, new_passphrase=new, kdf=kdf, progress=progress)

        self._set_busy(True, _("Checking the passphrase and making the new keys…"))
        # Noted outside the app before anything changes: should it end (closed, killed)
        # before the code is typed back, the next unlock says that the old code is dead.
        mark_renewal(self.state.vault_path, workspace.vault.audit_seq())
        if not self._session.lend(
            renew,
            lambda code: self._renewed(workspace, code),
            lambda error: self._failed(workspace, error),
        ):
            self._set_busy(False)

    def _check_settled(self, _problems: object) -> None:
        if self._waiting_for_check:
            self._waiting_for_check = False
            self._set_busy(False)
            self.start_renewal()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        if busy:
            self.passphrase_page.show_busy(text)
        else:
            self.passphrase_page.show_idle()
        # No way out while the worker holds the workspace: the keys are renewed or not.
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            self.button(which).setEnabled(not busy)

    def _renewed(self, workspace: Workspace, code: Any) -> None:
        self.busy = False
        if self._session.workspace is not workspace:
            # A lock asked for during the renewal happened first: the code is stored but
            # was never shown. The window says so after the next unlock.
            self.unconfirmed.emit()
            return
        self._set_busy(False)
        self.renewed = True
        self.state.recovery_code = str(code)
        self.passphrase_page.forget()
        for _page in self.pageIds():
            if self.currentPage() is self.recovery_page:
                break
            self.next()  # (from the passphrase page: its validatePage lets it pass now)

    def _failed(self, workspace: Workspace, error: BaseException) -> None:
        self.busy = False
        clear_renewal()  # (the old keys stay: nothing to say at the next unlock)
        if self._session.workspace is not workspace:
            return  # locked meanwhile: the wizard is closed
        self._set_busy(False)
        page = self.passphrase_page
        if isinstance(error, WrongSecret):
            page.say_wrong(str(error))
        elif isinstance(error, KisiError):
            page.say(str(error))
        else:
            log.error("renewing the keys failed: %s", type(error).__name__)
            page.say(_("The keys could not be renewed."))

    def accept(self) -> None:
        """Finish (the two groups were typed back): the code is stored already."""
        clear_renewal()
        self._forget()
        super().accept()

    def reject(self) -> None:
        """Cancel (or Esc, or the title bar's close): not while renewing. After it, the code
        on screen is the only one: ask first, staying being the default."""
        if self.busy or self.leave_question is not None:
            return
        if not self.renewed:
            self._forget()
            super().reject()
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Leave without checking the code?"),
            _(
                "The keys are renewed and the new recovery code is stored: the old code no "
                "longer opens this vault. The code shown is the only one and cannot be shown "
                "again. If you leave without writing it down, make a new recovery code under "
                "File. Your passphrase (the new one, if you chose one) still opens the vault."
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("renewLeaveQuestion")
        stay = box.addButton(_("&Back to the code"), QMessageBox.ButtonRole.RejectRole)
        box.addButton(_("&Leave anyway"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.finished.connect(lambda _answer: self._answered(box))
        self.leave_question, self.stay_button = box, stay
        box.open()

    def _answered(self, box: QMessageBox) -> None:
        if box is not self.leave_question:
            return  # (a lock closed it)
        self.leave_question = None
        if box.clickedButton() is not self.stay_button:
            clear_renewal()  # (told what it means just now: not again at the next unlock)
            self._forget()
            super().reject()

    def _locked(self, _reason: str) -> None:
        """Nothing of the code or the passphrases outlives a lock, not even an open print
        dialog. A code already stored but not typed back is reported after the unlock."""
        shown = bool(self.state.recovery_code)
        self._waiting_for_check = False
        self.leave_question = None
        for child in self.findChildren(QDialog):
            child.reject()  # (the print or save dialog, the question)
        self._forget()
        super().reject()
        if shown:
            self.unconfirmed.emit()

    def _forget(self) -> None:
        self.state.recovery_code = ""
        self.recovery_page.forget()
        self.passphrase_page.forget()
