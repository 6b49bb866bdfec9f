"""A line above the pages after an unlock while the set-up is unfinished: no municipality
profile, or a recovery code that was never typed back.

The first-run wizard can be left after the vault is made (Esc on the recovery page, or on
the profile page). It asks first, and says where both are made later; but a guide who
answered "Yes" in a hurry then worked for weeks with no way back into the vault after a
forgotten passphrase, and with handouts that named no municipality. The line says so at
each unlock and goes there in one click, until both are done (or the guide hides it for
this unlock).

Signals:
    profile_wanted(): the guide wants to enter the municipality profile.
    recovery_wanted(): the guide wants to make a new recovery code.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from kisi_desktop.core.i18n import _

from kisi_desktop.ui.widgets.banner import style_as_banner


class SetUpReminder(QFrame):
    """See the module docstring."""

    profile_wanted = Signal()
    recovery_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_as_banner(self, "setUpReminder")
        self._missing_profile = self._unchecked_code = False
        self.message = QLabel()
        self.message.setObjectName("setUpReminderText")
        self.message.setWordWrap(True)
        self.profile_button = QPushButton()
        self.profile_button.setObjectName("setUpProfile")
        self.profile_button.clicked.connect(self.profile_wanted)
        self.recovery_button = QPushButton()
        self.recovery_button.setObjectName("setUpRecovery")
        self.recovery_button.clicked.connect(self.recovery_wanted)
        self.close_button = QPushButton()
        self.close_button.setObjectName("setUpReminderClose")
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.addWidget(self.message, 1)
        row.addWidget(self.profile_button)
        row.addWidget(self.recovery_button)
        row.addWidget(self.close_button)
        self.retranslate_ui()
        self.hide()

    def retranslate_ui(self) -> None:
        """Texts in the current UI language."""
        if self._missing_profile and self._unchecked_code:
            text = _(
                "The set-up is not finished: the municipality profile is missing, and the "
                "recovery code was never checked. Without a code that works, a forgotten "
                "passphrase locks you out of the vault for good."
            )
        elif self._unchecked_code:
            text = _(
                "The recovery code of this vault was never checked. Without a code that "
                "works, a forgotten passphrase locks you out of the vault for good: make a "
                "new one and keep the sheet in a safe place."
            )
        else:
            text = _(
                "The municipality profile is missing: the window title and the handouts do "
                "not name your municipality, and each activity asks for its key."
            )
        self.message.setText(text)
        self.profile_button.setText(_("Enter the profile…"))
        self.recovery_button.setText(_("Make a new recovery code…"))
        self.close_button.setText(_("Hide"))
        self.close_button.setAccessibleName(_("Hide the note on the unfinished set-up"))

    def show_missing(self, *, profile: bool, recovery_code: bool) -> None:
        """Show what is missing (``profile``, a checked ``recovery_code``); hide when
        nothing is."""
        self._missing_profile, self._unchecked_code = profile, recovery_code
        self.profile_button.setVisible(profile)
        self.recovery_button.setVisible(recovery_code)
        self.retranslate_ui()
        self.setVisible(profile or recovery_code)
