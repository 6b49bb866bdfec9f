"""A non-modal banner offering a form that was open when the vault locked: Restore / Discard.

A modal box right after unlock would block the guide before they see anything; the
banner sits above the list until they choose.

Signals:
    restore(): the guide wants the form back.
    discard(): the guide does not want the kept input.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from kisi_desktop.core.i18n import _

from kisi_desktop.ui.widgets.banner import style_as_banner


class DraftBanner(QFrame):
    """See the module docstring."""

    restore = Signal()
    discard = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_as_banner(self, "draftBanner")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("draftRestore")
        self.discard_button = QPushButton()
        self.discard_button.setObjectName("draftDiscard")
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.discard_button)
        self.retranslate_ui()
        self.hide()

    def retranslate_ui(self) -> None:
        """Button texts in the current UI language; the sentence names a form and a
        person, which only the page knows: it offers the draft again (``offer``)."""
        self.restore_button.setText(_("&Restore"))
        self.restore_button.setAccessibleName(_("Restore the unsaved form"))
        self.discard_button.setText(_("Discard"))
        self.discard_button.setAccessibleName(_("Discard the unsaved form"))

    def withdraw(self) -> None:
        """Hide the banner and forget its text, which names the person (at lock)."""
        self.message.setText("")
        self.hide()

    def offer(self, what: str, more: int) -> None:
        """Show the banner for the form described by ``what``; ``more`` drafts wait after it."""
        text = _("An unsaved form was kept: {what}.").format(what=what)
        if more:
            text += " " + _("({n} more)").format(n=more)
        self.message.setText(text)
        self.show()
