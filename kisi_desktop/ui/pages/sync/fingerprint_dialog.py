"""Asks the guide for the ministry key's fingerprint before a new ministry key is trusted.

The first provisioning file brings the ministry's root key with it; anyone could make such
a file. So the app shows the key's fingerprint and the guide confirms it with the ministry
by phone or letter, then types the fingerprint the ministry gave. Only a typed fingerprint
equal to the file's lets the import go on: reading the shown one aloud to the ministry is
the check, typing it is the guide's signature under it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _

_GROUPS = re.compile(r"(?:[0-9A-F]{4} ){7}[0-9A-F]{4}")


def fingerprint_in(message: str) -> str | None:
    """The fingerprint an ``untrusted_root`` refusal names (8 groups of 4 hex digits)."""
    found = _GROUPS.search(message)
    return found.group(0) if found else None


def normalized(text: str) -> str:
    """Hex digits only, upper case: how the guide typed it, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")


class FingerprintDialog(QDialog):
    """See the module docstring; :meth:`typed` is the fingerprint as entered."""

    def __init__(self, shown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fingerprintDialog")
        self.shown = shown
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.fingerprint = QLabel(shown)
        self.fingerprint.setObjectName("fingerprintShown")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.4)
        mono.setWeight(QFont.Weight.Bold)
        self.fingerprint.setFont(mono)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.entry_label = QLabel()
        self.entry = QLineEdit()
        self.entry.setObjectName("fingerprintEntry")
        self.entry.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.entry_label.setBuddy(self.entry)
        self.hint = QLabel()
        self.hint.setObjectName("fingerprintHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #b00020;")
        self.hint.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.entry.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.fingerprint)
        layout.addSpacing(8)
        layout.addWidget(self.entry_label)
        layout.addWidget(self.entry)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate_ui()
        self._check()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.setWindowTitle(_("Confirm the ministry's key"))
        self.intro.setText(
            _(
                "This provisioning file is signed by a ministry key this app does not trust "
                "yet. Call the ministry (or take its letter) and compare this fingerprint "
                "digit by digit:"
            )
        )
        self.entry_label.setText(_("&Fingerprint as confirmed by the ministry:"))
        self.entry.setAccessibleName(_("Fingerprint as confirmed by the ministry"))
        self.entry.setPlaceholderText("XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX")
        self.fingerprint.setAccessibleName(_("Fingerprint of the key in the file"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Trust this key"))

    def typed(self) -> str:
        """The fingerprint as entered, hex digits only."""
        return normalized(self.entry.text())

    def _check(self) -> None:
        typed = self.typed()
        complete = len(typed) == 32
        matches = complete and typed == normalized(self.shown)
        self.hint.setText(
            _(
                "This is not the fingerprint of the file's key. Do not go on: the file may "
                "not come from the ministry."
            )
        )
        self.hint.setVisible(complete and not matches)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(matches)
