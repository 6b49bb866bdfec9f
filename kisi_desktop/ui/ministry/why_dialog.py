"""Asks the operator why an override is right before it is made: "who confirmed it, and how".

Confirming a new device epoch and giving up on missing bundles both let bundles in that
the intake would otherwise keep waiting; dropping a held bundle removes it for good. The
intake keeps the reason (SECURITY.md: "operator override with a logged reason"), so OK
stays disabled until there is one.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _


class WhyDialog(QDialog):
    """A question, a reason field and OK/Cancel; :meth:`why` is the reason typed."""

    def __init__(
        self,
        title: str,
        question: str,
        action: str,
        parent: QWidget | None = None,
        *,
        label: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("whyDialog")
        self.setWindowTitle(title)
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.label = QLabel(label or _("&Reason (who confirmed it, and how):"))
        self.entry = QLineEdit()
        self.entry.setObjectName("whyEntry")
        self.entry.setMaxLength(500)
        self.entry.setAccessibleName(_("Reason"))
        self.entry.setPlaceholderText(_("e.g. phone call with Ms Weber, ticket 2026-117"))
        self.label.setBuddy(self.entry)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(action)
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.entry.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.entry)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def why(self) -> str:
        """The reason as typed."""
        return self.entry.text().strip()
