"""A new passphrase, typed twice, with a live strength hint: the first-run wizard and the
passphrase change share it, so both refuse the same weak passphrases in the same words.

Signals:
    changed(): either field changed (``acceptable()`` may have changed with it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _
from kisi_desktop.core.vault.strength import Level, estimate

from kisi_desktop.ui.forms.record_form import ERROR_STYLE

# Strength meter colours: red for refused, amber for weak, greens for fair and strong.
_METER_COLORS = {
    Level.TOO_SHORT: "#b00020",
    Level.VERY_WEAK: "#b00020",
    Level.WEAK: "#c77700",
    Level.FAIR: "#5b8c1a",
    Level.STRONG: "#2e7d32",
}


def wrapping_label(object_name: str = "") -> QLabel:
    """A plain-text label that wraps (German sentences are long)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if object_name:
        label.setObjectName(object_name)
    return label


def error_label(object_name: str) -> QLabel:
    """A hidden red label for a message next to what it is about."""
    label = wrapping_label(object_name)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


class NewPassphraseFields(QWidget):
    """See the module docstring."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = QLineEdit()
        self.first.setObjectName("passphrase")
        self.second = QLineEdit()
        self.second.setObjectName("passphraseRepeat")
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._changed)
        self.first_label = QLabel()
        self.first_label.setBuddy(self.first)
        self.second_label = QLabel()
        self.second_label.setBuddy(self.second)
        self.show_box = QCheckBox()
        self.show_box.setObjectName("showPassphrase")
        self.show_box.toggled.connect(self._show_toggled)
        self.meter = QProgressBar()
        self.meter.setObjectName("strengthMeter")
        self.meter.setRange(0, int(Level.STRONG))
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(10)
        self.level_label = QLabel()
        self.level_label.setObjectName("strengthLevel")
        self.hints = wrapping_label("strengthHints")
        self.mismatch = error_label("passphraseMismatch")
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.addRow(self.first_label, self.first)
        self.form.addRow(self.second_label, self.second)
        self.form.addRow("", self.show_box)
        strength = QHBoxLayout()
        strength.addWidget(self.level_label)
        strength.addWidget(self.meter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addLayout(strength)
        layout.addWidget(self.hints)
        layout.addWidget(self.mismatch)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.first_label.setText(_("&Passphrase:"))
        self.second_label.setText(_("&Repeat passphrase:"))
        self.first.setAccessibleName(_("Passphrase"))
        self.second.setAccessibleName(_("Repeat passphrase"))
        self.show_box.setText(_("&Show passphrase"))
        self.meter.setAccessibleName(_("Passphrase strength"))
        self._changed()

    def _show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _changed(self) -> None:
        result = estimate(self.first.text())
        self.meter.setValue(int(result.level))
        color = _METER_COLORS[result.level]
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background-color: {color}; }}")
        self.level_label.setText(_("Strength: {level}").format(level=result.label()))
        self.hints.setText("\n".join(f"• {hint}" for hint in result.hints))
        self.hints.setVisible(bool(result.hints))
        differs = bool(self.second.text()) and self.second.text() != self.first.text()
        self.mismatch.setText(_("The two entries do not match."))
        self.mismatch.setVisible(differs)
        self.changed.emit()

    def acceptable(self) -> bool:
        """Strong enough and typed the same twice."""
        text = self.first.text()
        return estimate(text).acceptable and self.second.text() == text

    def passphrase(self) -> str:
        """What was typed."""
        return self.first.text()

    def forget(self) -> None:
        """Clear both fields: the passphrase is not kept on screen."""
        for edit in (self.first, self.second):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
