"""GDPR dialogs of the person page: where to save an export (Art. 15), confirm erasure (Art. 17).

Erasure cannot be undone, so the guide must type the person's name before the Erase
button works; the dialog says what will be deleted (every record about the person and
their key; their name removed from activities), and which kept records still name the
person in their text (the search finds them there after the erasure too).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date

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

from kisi_desktop.core.i18n import _, format_date, isolated, ngettext
from kisi_desktop.core.record_text import kind_name


def export_file_dialog(parent: QWidget, suggested: str) -> QFileDialog:
    """A (non-native, testable) save dialog for a JSON export; call ``open()`` on it."""
    dialog = QFileDialog(parent, _("Export data (Art. 15)"), suggested, _("JSON files (*.json)"))
    dialog.setObjectName("exportFileDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix("json")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def kept_naming_list(kept: Sequence[tuple[str, date | None]]) -> str:
    """Records found by kind and date ("Volunteer deployment, 18 Nov 2026"), one a line;
    no text of theirs: the erasure dialog and its status line must not show the name."""
    return "\n".join(
        f"• {kind_name(kind)}, {format_date(day)}" if day else f"• {kind_name(kind)}"
        for kind, day in kept
    )


def kept_naming_text(kept: Sequence[tuple[str, date | None]]) -> str:
    """What an erasure leaves: kept records whose text still names the person.

    Deployments, events and the like stay (a payment needs its evidence) and their text
    is not rewritten unasked; the guide edits them if the name should go too.
    """
    return (
        ngettext(
            "This record stays and its text still names the person; edit it if the name "
            "should go too:",
            "These {n} records stay and their text still names the person; edit them if the "
            "name should go too:",
            len(kept),
        ).format(n=len(kept))
        + "\n"
        + kept_naming_list(kept)
    )


def mentions_not_exported_text(kept: Sequence[tuple[str, date | None]]) -> str:
    """What an Art. 15 export leaves for the guide to check: records kept for others whose
    text names the person (or a namesake), which the export does not copy unread."""
    return (
        ngettext(
            "Not in the export: this record was kept for someone or something else, but its "
            "text names the person (or someone of the same name). Find it with the search and "
            "add what it says about the person:",
            "Not in the export: these {n} records were kept for others, but their text names "
            "the person (or someone of the same name). Find them with the search and add "
            "what they say about the person:",
            len(kept),
        ).format(n=len(kept))
        + "\n"
        + kept_naming_list(kept)
    )


def _same(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return bool(norm(a)) and norm(a) == norm(b)


class EraseDialog(QDialog):
    """Asks the guide to type the person's name, or the word for "erase" (a name in
    Arabic or Tigrinya script cannot be typed on a German keyboard), to confirm."""

    def __init__(
        self,
        name: str,
        records: int,
        parent: QWidget | None = None,
        kept: Sequence[tuple[str, date | None]] = (),
    ) -> None:
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
        # Said before the erasure: the search finds the name in these afterwards too.
        self.kept = QLabel(kept_naming_text(kept) if kept else "")
        self.kept.setObjectName("eraseKeptNaming")
        self.kept.setWordWrap(True)
        self.kept.setVisible(bool(kept))
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
        layout.addWidget(self.kept)
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
