"""Restoring the vault from a backup, offered by the first-run wizard (a new laptop).

The guide chooses the ``.kisibackup`` file and types the passphrase of the day the backup
was made, or the recovery code. The restore (checking the whole backup, replaying later
erasures: :func:`kisi_desktop.core.backup.restore_backup`) and the unlock of the new vault
run on a worker behind a busy bar; a wrong secret or a damaged backup is said under the
field, and nothing is left behind. Accepted, :attr:`RestoreDialog.workspace` is the
restored vault, open; the wizard hands it to the window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.backup_files import SUFFIX
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.older_copy import Marks
from kisi_desktop.core.restore import Restored, restore_backup
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.unlock_view import SecretEdit, forget_typed
from kisi_desktop.ui.widgets.new_passphrase import error_label, wrapping_label
from kisi_desktop.ui.workers import TaskRunner


class RestoreDialog(QDialog):
    """See the module docstring."""

    def __init__(self, vault_path: Path, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(_("Restore from a backup"))
        self.setMinimumWidth(560)
        self._vault_path = vault_path
        self._runner = runner
        self.busy = False
        self.workspace: Workspace | None = None
        self.restored: Restored | None = None
        self.with_recovery_code = False
        self.intro = wrapping_label("restoreIntro")
        self.intro.setText(
            _(
                "Choose the backup (a .kisibackup file, e.g. on the USB stick) and type the "
                "passphrase that was in use on the day it was made, or the recovery code. "
                "Erasures recorded in later backups beside it are carried out again."
            )
        )
        self.file = QLineEdit()
        self.file.setObjectName("backupFile")
        self.file.setReadOnly(True)
        self.file.setAccessibleName(_("Backup file"))
        self.choose = QPushButton(_("C&hoose…"))
        self.choose.setObjectName("chooseBackup")
        self.choose.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(self.choose)
        self.secret = SecretEdit()
        self.secret.setObjectName("restoreSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery = QCheckBox(_("Use the &recovery code instead"))
        self.recovery.setObjectName("restoreWithRecoveryCode")
        self.recovery.toggled.connect(self._mode_changed)
        self.secret_label = QLabel()
        self.secret_label.setBuddy(self.secret)
        file_label = QLabel(_("&Backup:"))
        file_label.setBuddy(self.choose)
        form = QFormLayout()
        form.addRow(file_label, row)
        form.addRow(self.secret_label, self.secret)
        form.addRow("", self.recovery)
        self.error = error_label("restoreError")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(_("Restoring…"))
        self.progress.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Restore the &vault"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._mode_changed(False)

    def _mode_changed(self, recovery: bool) -> None:
        self.secret_label.setText(_("Recovery &code:") if recovery else _("&Passphrase:"))
        self.secret.setAccessibleName(_("Recovery code") if recovery else _("Passphrase"))
        self.secret.setEchoMode(
            QLineEdit.EchoMode.Normal if recovery else QLineEdit.EchoMode.Password
        )
        forget_typed(self.secret)

    def choose_file(self) -> None:
        """The open dialog for the backup file."""
        start = self.file.text() or str(Path.home())
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the backup"), start, _("KISI backups (*{suffix})").format(suffix=SUFFIX)
        )
        if name:
            self.file.setText(name)
            self.secret.setFocus()

    def accept(self) -> None:
        """Restore on a worker; the dialog closes when the restored vault is open."""
        if self.busy:
            return
        if not self.file.text():
            self._show_error(_("Please choose the backup first."))
            return
        if not self.secret.text():
            self._show_error(
                _("Please enter the recovery code.")
                if self.recovery.isChecked()
                else _("Please enter the passphrase.")
            )
            return
        source, target = Path(self.file.text()), self._vault_path
        with_code = self.recovery.isChecked()
        secret = self.secret.text()
        forget_typed(self.secret)

        def work() -> tuple[Restored, Workspace]:
            marks = Marks.for_user()
            if with_code:
                restored = restore_backup(source, target, recovery_code=secret, marks=marks)
                return restored, Workspace.open(target, recovery_code=secret, marks=marks)
            restored = restore_backup(source, target, passphrase=secret, marks=marks)
            return restored, Workspace.open(target, passphrase=secret, marks=marks)

        self._set_busy(True)
        self._runner.run(work, lambda done: self._done(done, with_code), self._failed)

    def _done(self, done: Any, with_code: bool) -> None:
        self._set_busy(False)
        self.restored, self.workspace = done
        self.with_recovery_code = with_code
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, UserError):
            raise error
        self._show_error(str(error))

    def reject(self) -> None:
        """Cancel, except while the restore runs (it finishes, or removes what it wrote)."""
        if not self.busy:
            forget_typed(self.secret)
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self._fit_height()
        for widget in (self.ok, self.choose, self.secret, self.recovery):
            widget.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self._fit_height()
        self.secret.setFocus()

    def _fit_height(self) -> None:
        """Grow to the height the wrapped texts need at this width. Qt's layout does not
        count a word-wrapped label's lines in the window's minimum height, so a refusal
        shown under the field squeezed the explanation above it and the passphrase field
        instead of making the dialog taller (QA: backup and restore)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
