"""GDPR dialogs of the person page: where to save an export (Art. 15), confirm erasure (Art. 17).

Erasure cannot be undone, so the guide must type the person's name before the Erase
button works; the dialog says what will be deleted (every record about the person and
their key; their name removed from activities).
"""

from __future__ import annotations

import unicodedata

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _, isolated, ngettext


def export_file_dialog(parent: QWidget, suggested: str) -> QFileDialog:
    """A (non-native, testable) save dialog for a JSON export; call ``open()`` on it."""
    dialog = QFileDialog(parent, _("Export data (Art. 15)"), suggested, _("JSON files (*.json)"))
    dialog.setObjectName("exportFileDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix("json")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def _same(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return bool(norm(a)) and norm(a) == norm(b)


class EraseDialog(QDialog):
    """Asks the guide to type the person's name, or the word for "erase" (a name in
    Arabic or Tigrinya script cannot be typed on a German keyboard), to confirm."""

    def __init__(self, name: str, records: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eraseDialog")
        self.setWindowTitle(_("Erase person (Art. 17)"))
        self._name = name
        text = QLabel(
            ngettext(
                "Erase {name} for good? This deletes the person and {n} record about them "
                "(contacts, notes, referrals, follow-ups, consents, cases, drafts) together "
                "with their key, and removes them from activities. It cannot be undone.",
                "Erase {name} for good? This deletes the person and {n} records about them "
                "(contacts, notes, referrals, follow-ups, consents, cases, drafts) together "
                "with their key, and removes them from activities. It cannot be undone.",
                records,
            ).format(name=isolated(name), n=records)
        )
        text.setObjectName("eraseQuestion")
        text.setWordWrap(True)
        self.text = text
        # Translators: the word typed to confirm an erasure, in capitals.
        self._word = _("ERASE")
        prompt = QLabel(_("Type the name, or {word}, to confirm:").format(word=self._word))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("eraseConfirmName")
        self.name_edit.setAccessibleName(_("Name of the person to erase"))
        prompt.setBuddy(self.name_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = QPushButton(_("&Erase for good"))
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setEnabled(False)
        self.buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAutoDefault(False)  # Enter erases only once the name matches, never cancels
        self.erase_button.setDefault(True)
        self.buttons.rejected.connect(self.reject)
        self.erase_button.clicked.connect(self.accept)
        self.name_edit.textChanged.connect(
            lambda typed: self.erase_button.setEnabled(self._confirmed(typed))
        )
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(prompt)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        """Only with the name typed (Enter in the field must not bypass the check)."""
        if self._confirmed(self.name_edit.text()):
            super().accept()

    def _confirmed(self, typed: str) -> bool:
        return _same(typed, self._name) or _same(typed, self._word)
