"""Offers to make a ministry folder where ``--ministry DIR`` points at none, with a warning.

The folder holds the ministry's private keys: the age identity that opens every
municipality's bundles, and the keys that sign provisioning files, content packs and
receipts. The dialog says so before anything is made, and that the folder must be kept
safe and backed up (bundles encrypted to a lost identity can never be opened). A folder
that exists and holds other files is never touched (:func:`folder_state`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.clock import Clock
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import os_error_reason
from kisi_desktop.core.i18n import _

from kisi_desktop.ministry.keys import Ministry, NotAMinistry, init_ministry, read_meta

MINISTRY = "ministry"
MISSING = "missing"
OTHER = "other"


def folder_state(path: Path) -> str:
    """``ministry`` (a ministry folder), ``missing`` (absent or empty) or ``other``."""
    try:
        read_meta(path)
        return MINISTRY
    except NotAMinistry:
        pass
    if not path.exists():
        return MISSING
    if path.is_dir() and not any(path.iterdir()):
        return MISSING
    return OTHER


class InitMinistryDialog(QDialog):
    """See the module docstring; ``ministry`` is the new, opened folder after OK."""

    def __init__(
        self, path: Path, clock: Clock | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("initMinistryDialog")
        self.path = path
        self.clock = clock
        self.ministry: Ministry | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setObjectName("initWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "QLabel { background: #fff4ce; border: 1px solid #e0c060; border-radius: 3px;"
            " padding: 8px; }"
        )
        self.demo = QCheckBox()
        self.demo.setObjectName("initDemo")
        self.error = QLabel()
        self.error.setObjectName("initError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.make_folder)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.warning)
        layout.addWidget(self.demo)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.setWindowTitle(_("KISI – Ministry: create a ministry folder"))
        self.intro.setText(
            _(
                "There is no ministry folder at {path}. Create one there? It gets new keys, "
                "an empty registry of municipalities and an empty intake database."
            ).format(path=self.path)
        )
        self.warning.setText(
            _(
                "Warning: this folder will hold the ministry's private keys. Whoever can read "
                "it can open every municipality's bundles and sign provisioning files, content "
                "packs and receipts in the ministry's name. Keep it on an encrypted disk, "
                "readable only by the staff who import bundles, and back it up: bundles "
                "encrypted to a lost key can never be opened."
            )
        )
        self.demo.setText(_("&Demo ministry (only for trying things out; its files say DEMO)"))
        self.create_button.setText(_("&Create ministry folder"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def make_folder(self) -> None:
        """Make the folder; say what went wrong and stay open if it cannot be made."""
        try:
            self.ministry = init_ministry(self.path, demo=self.demo.isChecked(), clock=self.clock)
        except UserError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        except OSError as error:
            self.error.setText(
                _("The folder cannot be created: {reason}").format(reason=os_error_reason(error))
            )
            self.error.show()
            return
        self.accept()
