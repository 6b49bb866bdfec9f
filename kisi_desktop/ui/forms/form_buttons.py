"""Save and Cancel as every form in the app shows them: "Speichern (Strg+S)", "Abbrechen (Esc)".

The keys are named on the buttons in the UI's words, so a guide learns them where they
click; the record forms and the "handout given" dialog share this one row.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

from kisi_desktop.core.i18n import _

from kisi_desktop.ui.forms.access_keys import taken_keys

SAVE_KEY = QKeySequence("Ctrl+S")


def save_word() -> str:
    """Save's text without its key, with its access key ("&Speichern")."""
    return _("&Save")


def form_button_keys() -> set[str]:
    """The access keys of the row's buttons: a form above it gives its labels others."""
    return taken_keys([save_word()])


def form_buttons(dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The row (accept and reject wired to ``dialog``), its Save and its Cancel button.

    Save is made the default only once it sits in ``dialog``: Qt records a dialog's main
    default button when ``setDefault`` is called, and a button not yet in the dialog was
    never recorded. Cancel then became the default the first time it had the focus, and
    Enter in any field discarded the form instead of saving it (QA pass, keyboard only).
    """
    buttons = QDialogButtonBox(dialog)
    save = QPushButton()
    save.setObjectName("saveButton")
    cancel = QPushButton()
    cancel.setObjectName("cancelButton")
    name_form_buttons(save, cancel)
    buttons.addButton(save, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
    save.setDefault(True)  # (now in the dialog: see above)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, save, cancel


def name_form_buttons(save: QPushButton, cancel: QPushButton) -> None:
    """Save's and Cancel's texts in the current UI language (again after a switch)."""
    # The key in the UI's words ("Strg+S" in German), as every other button says it.
    key = SAVE_KEY.toString(QKeySequence.SequenceFormat.NativeText)
    save.setText(f"{save_word()} ({key})")
    save.setShortcut(SAVE_KEY)  # after the text: an "&" in it sets Alt and its letter instead
    cancel.setText(_("Cancel") + " (Esc)")
    for button in (save, cancel):
        button.setAccessibleName(button.text().replace("&", ""))
