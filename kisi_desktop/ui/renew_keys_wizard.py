"""Renew every key of the vault from the File menu, for when someone else may know the
recovery sheet or the passphrase and may have a copy of the file.

A new passphrase or recovery code alone does not help then: both wrap the same master key
(store/FORMAT.md), which the old secret still gets out of a copy. Four pages, in the order
that never leaves the guide without a code that opens the vault:

1. What happens and what stays.
2. The passphrase (and, if wanted, a new one). Next reads the file here
   (``Workspace.plan_renewal``, milliseconds) and derives the new keys and recovery code
   on a worker (``RenewalPlan.derive``: Argon2id twice, checks the passphrase, touches no
   file). A wrong passphrase is said under its field; nothing has changed.
3. The new code, not yet stored, to print or save as PDF and to type two groups of back,
   as at set-up. Until this page is left with "Renew keys" the old code and passphrase
   still open the vault: a Cancel or a lock here changes nothing, and the code shown never
   becomes valid.
4. The renewal itself (``Workspace.renew_keys_with``): every record sealed again and the
   new key slots written in one transaction, with a progress bar. It ends by saying that
   the keys are renewed (and, if another program was reading the file so that the old
   wrapped keys are still in it, that a copy taken now would still open with the old
   secrets), or why not: the old keys then stay and the code shown is void.

The sealing writes the live vault for seconds, so it runs on a worker that borrows the
workspace (:meth:`Session.lend`). The wizard is modal and cannot be closed meanwhile, so
nothing on the UI thread touches the workspace; a lock asked for meanwhile (idle, screen,
sleep, the end of the app) waits until the worker is back, then happens. The guide has
the code by then (it was typed back before the sealing began), so a lock loses nothing;
the window says after the next unlock how the renewal ended (:attr:`sealed_after_lock`).

Signals:
    sealed_after_lock(str): a lock closed the wizard while the records were sealed again;
        the argument is "" if the keys were renewed, else why they were not.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kisi_desktop.core.errors import KisiError, WrongSecret
from kisi_desktop.core.i18n import _, format_number
from kisi_desktop.core.store.sealed_store import RenewedKeys
from kisi_desktop.core.vault.kdf import KdfParams
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.session import Session
from kisi_desktop.ui.setup_pages import SetupState
from kisi_desktop.ui.setup_recovery_page import RecoveryPage, SheetActions
from kisi_desktop.ui.setup_wizard import WIZARD_SIZE
from kisi_desktop.ui.widgets.new_passphrase import NewPassphraseFields, error_label, wrapping_label
from kisi_desktop.ui.workers import TaskRunner

log = logging.getLogger(__name__)


def old_keys_stay() -> str:
    """After a renewal that failed: what still opens the vault, and which sheet to keep."""
    return _(
        "The old keys stay: the old recovery code and passphrase still open the vault. The "
        "code shown before does not open the vault: keep the old sheet, and destroy any "
        "sheet with the new code."
    )


def why_not(error: BaseException) -> str:
    """Why the records could not be sealed again, for the guide (details to the log)."""
    if isinstance(error, KisiError):
        return str(error)
    log.error("renewing the keys failed: %s", type(error).__name__)
    return _("The keys could not be renewed.")


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
                "What happens: first the new recovery code is shown, to print or write down "
                "and to type two groups of back. Only then does the vault get new keys, and "
                "every record is sealed again with them. This takes a few seconds, longer "
                "with many people. Until then nothing changes."
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
    """The current passphrase, a new one if wanted; the new keys are derived from here."""

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
        self.progress.setObjectName("renewDeriving")
        self.progress.setTextVisible(False)
        self.progress.setRange(0, 0)  # (the key derivations say nothing until they end)
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
        # No way back to here from the code: a code printed and then made again would
        # leave a sheet in the drawer that never opens anything. Cancel starts over.
        self.setCommitPage(True)
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
        self.progress.setAccessibleName(_("Making the new keys"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Show the new &code"))

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
        """Show the new code: made on a worker first; the wizard moves on when it is there."""
        if self._wizard.keys is not None:
            return True
        self._wizard.make_keys()
        return False

    def new_passphrase(self) -> str | None:
        """The new passphrase, or None to keep the current one."""
        return self.fields.passphrase() if self.new_box.isChecked() else None

    def show_busy(self, text: str) -> None:
        """While the keys are made nothing can be typed or pressed twice."""
        self.current_error.hide()
        self.message.hide()
        for widget in (self.current, self.new_box, self.fields):
            widget.setEnabled(False)
        self.status.setText(text)
        self.status.show()
        self.progress.show()
        self.completeChanged.emit()

    def show_idle(self) -> None:
        """The keys were not made (refused): the fields can be used again."""
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
        """Anything else that went wrong, under the fields."""
        self.message.setText(text)
        self.message.show()

    def forget(self) -> None:
        """No passphrase stays on screen."""
        self.current.setText("")  # (clear() would keep it for undo)
        self.fields.forget()


class RenewedCodePage(RecoveryPage):
    """The set-up wizard's recovery-code page, saying that nothing is renewed yet."""

    def __init__(self, state: SetupState) -> None:
        self.not_yet = wrapping_label("renewNotYet")
        super().__init__(state)
        layout = cast(QVBoxLayout, self.layout())  # (RecoveryPage's own)
        layout.insertWidget(0, self.not_yet)
        layout.insertSpacing(1, 6)
        self.setCommitPage(True)  # (the sealing cannot be undone from its page)

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        super().retranslate_ui()
        self.setTitle(_("Write down the new recovery code"))
        button = _("Renew &keys")
        self.not_yet.setText(
            _(
                "Nothing is renewed yet. The keys are renewed only after this page, when you "
                "press “{button}”; until then the old recovery code and passphrase still "
                "open the vault. If you cancel now, nothing changes and this code never "
                "opens the vault."
            ).format(button=button.replace("&", ""))
        )
        self.setButtonText(QWizard.WizardButton.CommitButton, button)


class RenewSealPage(QWizardPage):
    """The records sealed again with the new keys, with progress; then how it ended."""

    def __init__(self, wizard: RenewKeysWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.text = wrapping_label("renewSealText")
        self.status = wrapping_label("renewStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("renewProgress")
        self.progress.setTextVisible(False)
        self.result = wrapping_label("renewResult")
        self.result.hide()
        self.owed = wrapping_label("renewCheckpointOwed")
        self.owed.hide()
        self.failure = error_label("renewFailure")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addSpacing(6)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addSpacing(6)
        layout.addWidget(self.result)
        layout.addWidget(self.owed)
        layout.addWidget(self.failure)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("Renewing the keys"))
        self.text.setText(
            _(
                "Every record is being sealed again with the new keys. This takes a few "
                "seconds, longer with many people. The window cannot be closed meanwhile; "
                "a lock asked for now follows as soon as it is done."
            )
        )
        self.progress.setAccessibleName(_("Renewing the keys"))

    def initializePage(self) -> None:
        """Begin at once: the code was typed back on the page before."""
        self.status.setText(_("Sealing the records again with the new keys…"))
        self.progress.setRange(0, 0)
        self._wizard.start_sealing()

    def isComplete(self) -> bool:
        """Finish once the sealing ended, whichever way."""
        return self._wizard.ended

    def show_progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` records sealed again."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)
        self.status.setText(
            _("Sealing the records again with the new keys: {done} of {total}").format(
                done=format_number(done), total=format_number(total)
            )
        )

    def show_done(self, checkpoint_owed: bool) -> None:
        """The keys are renewed; and whether a copy of the file taken now is still old."""
        self.setTitle(_("The keys are renewed"))
        self.text.hide()
        self.result.setText(
            _(
                "Every record is sealed again with the new keys. The new recovery code "
                "opens the vault now, and the old one no longer does; neither does the old "
                "passphrase if you chose a new one. Backups made before still open with the "
                "old recovery code and passphrase: make a new backup now (it is offered "
                "next), and delete the older ones."
            )
        )
        self.result.show()
        if checkpoint_owed:
            self.owed.setText(
                _(
                    "Another program (a backup, for example) is reading the vault file "
                    "right now. Until KISI can finish cleaning up the file, with the next "
                    "save or when the vault is locked, a copy of the vault file taken now "
                    "would still open with the old recovery code and passphrase. So do "
                    "make a new backup with KISI, and delete the older ones, including any "
                    "copy taken just now."
                )
            )
            self.owed.show()
        self.completeChanged.emit()

    def show_failed(self, reason: str) -> None:
        """The keys were not renewed: why, and which sheet still counts."""
        self.setTitle(_("The keys were not renewed"))
        self.text.hide()
        self.status.hide()
        self.progress.hide()
        self.failure.setText(reason + "\n\n" + old_keys_stay())
        self.failure.show()
        self.completeChanged.emit()


class RenewKeysWizard(SheetActions, QWizard):
    """See the module docstring. :attr:`keys` holds the new keys between the passphrase
    and the sealing (not stored); :attr:`renewed` is True once they are;
    :attr:`kdf` is for tests (None: the stored parameters, or a calibration)."""

    sealed_after_lock = Signal(str)
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
        self.keys: RenewedKeys | None = None
        self.renewed = False
        self.ended = False
        self.busy = False
        self.checkpoint_owed = False
        self._making: object | None = None  # the derivation whose answer is awaited
        self._waiting_for_check = False
        self._closed = False
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.intro_page = RenewIntroPage()
        self.passphrase_page = RenewPassphrasePage(
            self, after_recovery_code=session.with_recovery_code
        )
        self.recovery_page = RenewedCodePage(self.state)
        self.seal_page = RenewSealPage(self)
        for page in (self.intro_page, self.passphrase_page, self.recovery_page, self.seal_page):
            self.addPage(page)
            page.completeChanged.connect(self._hold_buttons)  # (after QWizard's own)
        self.recovery_page.print_button.clicked.connect(self.print_recovery_code)
        self.recovery_page.pdf_button.clicked.connect(self.save_recovery_pdf)
        self._progressed.connect(self.seal_page.show_progress)
        self.setMinimumSize(WIZARD_SIZE)
        session.locked.connect(self._locked)
        session.checked.connect(self._check_settled)
        self.setWindowTitle(_("Renew all keys"))

    # ------------------------------------------------------------------ the new keys
    def make_keys(self) -> None:
        """Read the file here (``plan_renewal``), derive the new keys and code on a worker."""
        workspace = self._session.workspace
        if workspace is None or self.busy:
            return
        page = self.passphrase_page
        if workspace.checking:
            # The unlock's row check still runs; reading the file now would settle it
            # here and hold up the window (Session._settle_check does that on its own).
            self._waiting_for_check = True
            self._set_busy(True)
            page.show_busy(_("Waiting for the check of the vault to end…"))
            return
        page.message.hide()
        try:
            plan = workspace.plan_renewal(
                page.current.text(), new_passphrase=page.new_passphrase(), kdf=self.kdf
            )
        except KisiError as error:
            page.say(str(error))
            return
        making = self._making = object()
        self._set_busy(True)
        page.show_busy(_("Checking the passphrase and making the new keys…"))
        self.state.runner.run(
            plan.derive,
            lambda keys: self._made(making, keys),
            lambda error: self._not_made(making, error),
        )

    def _check_settled(self, _problems: object) -> None:
        if self._waiting_for_check:
            self._waiting_for_check = False
            self._set_busy(False)
            self.passphrase_page.show_idle()
            self.make_keys()

    def _made(self, making: object, keys: Any) -> None:
        if making is not self._making:
            return  # a lock closed the wizard meanwhile: the keys are dropped
        self._making = None
        self._set_busy(False)
        self.passphrase_page.show_idle()
        self.keys = keys
        self.state.recovery_code = keys.recovery_code
        self.passphrase_page.forget()
        self.next()  # (the passphrase page lets it pass now)

    def _not_made(self, making: object, error: BaseException) -> None:
        if making is not self._making:
            return
        self._making = None
        self._set_busy(False)
        page = self.passphrase_page
        page.show_idle()
        if isinstance(error, WrongSecret):
            page.say_wrong(str(error))
        elif isinstance(error, KisiError):
            page.say(str(error))
        else:
            log.error("making the new keys failed: %s", type(error).__name__)
            page.say(_("The keys could not be renewed."))

    # ------------------------------------------------------------------ the sealing
    def start_sealing(self) -> None:
        """Lend the workspace to a worker that seals every record again (``Session.lend``)."""
        workspace, keys = self._session.workspace, self.keys
        if workspace is None or keys is None or self.busy or self.ended:
            return
        progress = self._progressed.emit

        def seal(ws: Workspace) -> bool:
            ws.renew_keys_with(keys, progress=progress)
            return ws.vault.checkpoint_owed  # (read while the worker still holds it)

        self._set_busy(True)
        if not self._session.lend(
            seal,
            lambda owed: self._sealed(workspace, bool(owed)),
            lambda error: self._not_sealed(workspace, error),
        ):
            self._set_busy(False)
            self._end()
            self.seal_page.show_failed(_("The keys could not be renewed."))

    def _sealed(self, workspace: Workspace, owed: bool) -> None:
        self._set_busy(False)
        self._end()
        if self._session.workspace is not workspace:
            # A lock asked for during the sealing happened first and closed the wizard;
            # the guide had typed the code back. The window says so after the unlock.
            self.sealed_after_lock.emit("")
            return
        self.renewed = True
        self.checkpoint_owed = owed
        self.seal_page.show_done(owed)

    def _not_sealed(self, workspace: Workspace, error: BaseException) -> None:
        self._set_busy(False)
        self._end()
        reason = why_not(error)
        if self._session.workspace is not workspace:
            self.sealed_after_lock.emit(reason)
            return
        self.seal_page.show_failed(reason)

    def _end(self) -> None:
        """The sealing ended: the new keys and the code leave memory and the screen."""
        self.ended = True
        self.keys = None
        self.state.recovery_code = ""
        self.recovery_page.forget()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()  # (then _hold_buttons)

    def _hold_buttons(self) -> None:
        """No way out or back while a worker runs: the keys are being made, or the worker
        holds the workspace and the keys are renewed or not. After every update of the
        buttons by QWizard (a page's ``completeChanged`` enables Back again)."""
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            button = self.button(which)
            if self.busy:
                button.setEnabled(False)
            elif which == QWizard.WizardButton.CancelButton:
                button.setEnabled(True)

    # ------------------------------------------------------------------ closing
    def accept(self) -> None:
        """Finish, after the sealing ended."""
        self._forget()
        super().accept()

    def reject(self) -> None:
        """Cancel (or Esc, or the title bar's close): not while a worker runs. Before the
        sealing nothing is stored, so nothing changes; after it, this is Finish."""
        if self.busy:
            return
        self._forget()
        super().reject()

    def done(self, result: int) -> None:
        """Closed, whichever way (Finish, Cancel, a lock)."""
        self._closed = True
        super().done(result)

    def _locked(self, _reason: str) -> None:
        """Nothing of the code or the passphrases outlives a lock, not even an open print
        dialog. Before the sealing that changes nothing: the old code stays valid. (A lock
        during the sealing comes only once it is done: see ``start_sealing``.)"""
        self._waiting_for_check = False
        self._making = None
        for child in self.findChildren(QDialog):
            child.reject()  # (the print or save dialog)
        self._forget()
        if not self._closed:  # (closed before: it goes with the next turn of events)
            super().reject()

    def _forget(self) -> None:
        self.keys = None
        self.state.recovery_code = ""
        self.recovery_page.forget()
        self.passphrase_page.forget()
