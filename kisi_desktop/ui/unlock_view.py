"""The unlock screen: passphrase or recovery code, with a busy indicator while keys derive.

Signals:
    submitted(): the user asked to unlock (read ``secret()`` and ``uses_recovery_code()``).
    painted(): the screen has just been painted (the window prepares the unlock after the
        first time).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _


def forget_typed(edit: QLineEdit) -> None:
    """Empty ``edit`` and its undo history: ``clear()`` keeps the history, and Ctrl+Z at
    the lock screen would bring the last passphrase back (``setText`` drops it)."""
    edit.setText("")


class SecretEdit(QLineEdit):
    """The field for the passphrase or recovery code: no undo or redo at all, so that what
    was typed before (a wrong try, the code) never comes back into view."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Swallow Undo and Redo (Ctrl+Z, Ctrl+Y, Ctrl+Shift+Z)."""
        if event.matches(QKeySequence.StandardKey.Undo) or event.matches(
            QKeySequence.StandardKey.Redo
        ):
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The usual menu (Paste is handy for the code) without Undo and Redo."""
        menu = self.createStandardContextMenu()
        for action in menu.actions():
            if action.objectName() in ("edit-undo", "edit-redo"):
                menu.removeAction(action)
        menu.exec(event.globalPos())
        menu.deleteLater()


class UnlockView(QWidget):
    """See the module docstring."""

    submitted = Signal()
    painted = Signal()

    def __init__(self, vault_path: str, *, demo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault_path = vault_path
        self._demo = demo
        self.heading = QLabel()
        self.heading.setObjectName("unlockHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_hint = QLabel()
        self.demo_hint.setObjectName("demoHint")
        self.demo_hint.setVisible(demo)
        self.secret_label = QLabel()
        self.secret_edit = SecretEdit()
        self.secret_edit.setObjectName("secret")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_label.setBuddy(self.secret_edit)
        self.recovery = QCheckBox()
        self.recovery.setObjectName("useRecoveryCode")
        self.recovery.toggled.connect(self._mode_toggled)
        self.button = QPushButton()
        self.button.setObjectName("unlockButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        self.secret_edit.returnPressed.connect(self._submit)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.error = QLabel()
        self.error.setObjectName("unlockError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.secret_label, self.secret_edit)
        form.addRow("", self.recovery)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        box = QWidget()
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(self.heading)
        inner.addWidget(self.where)
        inner.addWidget(self.demo_hint)
        inner.addSpacing(12)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(self.progress)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.heading.setText(_("Unlock the vault"))
        self.where.setText(_("Vault: {path}").format(path=self._vault_path))
        if self._demo:
            # Only the demo's window imports the demo's generator (start-up time).
            from kisi_desktop.core.demo.vault import DEMO_PASSPHRASE
            from kisi_desktop.core.demo.wording import DEMO_VAULT

            self.demo_hint.setText(
                _("{demo_vault}. Passphrase: {passphrase}").format(
                    demo_vault=_(DEMO_VAULT), passphrase=DEMO_PASSPHRASE
                )
            )
        self.recovery.setText(_("Use the &recovery code instead"))
        self.button.setText(_("&Unlock"))
        self.button.setAccessibleName(_("Unlock"))
        self._mode_changed(self.recovery.isChecked())

    def _mode_toggled(self, recovery: bool) -> None:
        # In plain view Qt offers undo again: nothing typed in password mode may come back.
        forget_typed(self.secret_edit)
        self._mode_changed(recovery)

    def _mode_changed(self, recovery: bool) -> None:
        self.secret_label.setText(_("Recovery &code:") if recovery else _("&Passphrase:"))
        self.secret_edit.setAccessibleName(_("Recovery code") if recovery else _("Passphrase"))
        self.secret_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if recovery else QLineEdit.EchoMode.Password
        )
        self.secret_edit.setPlaceholderText("ABCD-EFGH-…" if recovery else "")

    def _submit(self) -> None:
        if not self.secret_edit.text():
            if self.uses_recovery_code():
                self.show_error(_("Please enter the recovery code."))
            else:
                self.show_error(_("Please enter the passphrase."))
            return
        self.error.hide()
        self.submitted.emit()

    def secret(self) -> str:
        """What was typed."""
        return self.secret_edit.text()

    def uses_recovery_code(self) -> bool:
        """True when the recovery code box is ticked."""
        return self.recovery.isChecked()

    def set_busy(self, busy: bool) -> None:
        """Show the indicator and block input while keys derive."""
        self.progress.setVisible(busy)
        self.button.setEnabled(not busy)
        self.secret_edit.setEnabled(not busy)
        self.recovery.setEnabled(not busy)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Say that the screen has painted: the window then gets the unlock ready. (A paint
        handler, not an event filter: PySide turns the plain event a filter gets into its
        Python type by creating the types of all 50-odd kinds of event first, 3-7 ms
        before the screen's first paint.)"""
        super().paintEvent(event)
        self.painted.emit()

    def show_error(self, message: str) -> None:
        """Show why unlocking failed and let the user try again."""
        self.error.setText(message)
        self.error.show()
        self.secret_edit.selectAll()
        self.secret_edit.setFocus()

    def reset(self) -> None:
        """Forget what was typed (after unlocking and after locking), and ask for the
        passphrase again: left in recovery-code mode after an unlock with the code, the
        field showed the next passphrase typed there in plain view (QA pass)."""
        self.recovery.setChecked(False)
        forget_typed(self.secret_edit)
        self.error.hide()
        self.set_busy(False)
        self.secret_edit.setFocus()
