"""Registering a municipality: its name, its AGS and the public key its guide sent.

The guide reads the key from ``kisi keys show`` (or the Sync page) and sends it by mail
or letter; the ministry pastes it here. As soon as the text is a key, the dialog shows its
key id, so the operator can compare it with the one the municipality reads out on the
phone. Whatever the registry refuses is said under the field it concerns. An AGS that is
registered already needs one of two boxes ticked: "Replace the registered key" (a new key
for the same laptop's successor: the old key stops working and goes to the registry's
history) or "Register as a further device" (a second guide of the municipality, whose
laptop has a key of its own beside the first one's). Which one is a decision, never a
slip: the first would lock the other guide out.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.errors import UserError, ValidationError
from kisi_desktop.core.i18n import _

from kisi_desktop.ministry import registry
from kisi_desktop.ministry.keys import Ministry

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b7a2f;"
FIELDS = ("municipality", "ags", "key")


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(f"registerError_{name}")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class RegisterDialog(QDialog):
    """See the module docstring; ``registered`` is the result after OK."""

    def __init__(self, ministry: Ministry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerDialog")
        self.ministry = ministry
        self.registered: registry.Municipality | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("registerName")
        self.name.setMaxLength(registry.MAX_NAME)
        self.ags = QLineEdit()
        self.ags.setObjectName("registerAgs")
        self.ags.setMaxLength(8)
        self.ags.setMaximumWidth(self.fontMetrics().horizontalAdvance("0" * 8) + 30)
        self.key = QPlainTextEdit()
        self.key.setObjectName("registerKey")
        self.key.setTabChangesFocus(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.key.setFont(mono)
        self.key.setFixedHeight(self.fontMetrics().height() * 4 + 16)
        self.key_info = QLabel()
        self.key_info.setObjectName("registerKeyId")
        self.key_info.setStyleSheet(OK_STYLE)
        self.key_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_info.hide()
        self.registered_device: str | None = None
        """After OK as a further device: that device's key id."""
        self.replace = QCheckBox()
        self.replace.setObjectName("registerReplace")
        self.replace.hide()
        self.add_device = QCheckBox()
        self.add_device.setObjectName("registerAddDevice")
        self.add_device.hide()
        # One or the other: a key replaced and added at once means nothing.
        self.replace.toggled.connect(partial(self._one_of, self.add_device))
        self.add_device.toggled.connect(partial(self._one_of, self.replace))
        self.errors = {name: _error_label(name) for name in (*FIELDS, "general")}
        self.labels = {name: QLabel() for name in FIELDS}
        editors: dict[str, QWidget] = {"municipality": self.name, "ags": self.ags, "key": self.key}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name in FIELDS:
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(editors[name])
            if name == "ags":
                box.addWidget(self.replace)
                box.addWidget(self.add_device)
            if name == "key":
                box.addWidget(self.key_info)
            box.addWidget(self.errors[name])
            self.labels[name].setBuddy(editors[name])
            form.addRow(self.labels[name], cell)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.errors["general"])
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.name.textEdited.connect(lambda _t: self._clear("municipality"))
        self.ags.textEdited.connect(lambda _t: self._ags_changed())
        self.key.textChanged.connect(self._key_changed)
        self.setMinimumWidth(620)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.setWindowTitle(_("Register a municipality"))
        self.intro.setText(
            _(
                "Enter the municipality's name and AGS and paste the public key its guide "
                "sent (on the app's Sync page under “This device”, or by `kisi keys show`). "
                "Compare the key "
                "ID with the one the municipality reads out to you."
            )
        )
        self.labels["municipality"].setText(_("&Name:"))
        self.labels["ags"].setText(_("&AGS:"))
        self.labels["key"].setText(_("Public &key:"))
        self.name.setAccessibleName(_("Name of the municipality"))
        self.ags.setAccessibleName(_("AGS (eight digits)"))
        self.ags.setPlaceholderText("06534011")
        self.key.setAccessibleName(_("Public key (minisign)"))
        self.key.setPlaceholderText("untrusted comment: …\nRWQ…")  # minisign's format
        self.replace.setText(_("&Replace the registered key"))
        self.replace.setToolTip(_("A new key in place of the registered one, which stops working"))
        self.add_device.setText(_("Register as a further &device"))
        self.add_device.setToolTip(
            _("A second guide's laptop: its key is registered beside the first one, which stays")
        )
        self.ok.setText(_("Re&gister"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _one_of(self, other: QCheckBox, on: bool) -> None:
        if on:
            other.setChecked(False)

    # ------------------------------------------------------------------ feedback
    def _clear(self, name: str) -> None:
        for key in (name, "general"):
            self.errors[key].clear()
            self.errors[key].hide()

    def show_error(self, field: str, message: str) -> None:
        """Show ``message`` under ``field`` (or under the form for anything else)."""
        label = self.errors.get(field, self.errors["general"])
        label.setText(message)
        label.show()

    def error_text(self, field: str) -> str:
        """The message shown under ``field`` ("" if none)."""
        label = self.errors[field]
        return label.text() if not label.isHidden() else ""

    def _ags_changed(self) -> None:
        self._clear("ags")
        existing = None
        try:
            existing = registry.get(self.ministry, registry.check_ags(self.ags.text()))
        except ValidationError:
            pass
        for box in (self.replace, self.add_device):
            box.setVisible(existing is not None)
            if existing is None:
                box.setChecked(False)

    def _key_changed(self) -> None:
        self._clear("key")
        text = self.key.toPlainText().strip()
        try:
            key = registry.parse_key(text) if text else None
        except ValidationError:
            key = None
        if key is None:
            self.key_info.hide()
            return
        self.key_info.setText(_("Key ID: {key_id}").format(key_id=key.key_id_hex()))
        self.key_info.show()

    # ------------------------------------------------------------------ OK
    def submit(self) -> None:
        """Register, or say under each field what is wrong and stay open."""
        for name in self.errors:
            self._clear(name)
        problems = self._problems()
        if problems:
            for field, message in problems.items():
                self.show_error(field, message)
            return
        try:
            if self.add_device.isChecked():
                public = registry.add_device_key(
                    self.ministry, self.ags.text(), self.key.toPlainText()
                )
                self.registered = registry.get(self.ministry, registry.check_ags(self.ags.text()))
                self.registered_device = public.key_id_hex()
            else:
                self.registered = registry.register(
                    self.ministry,
                    ags=self.ags.text(),
                    name=self.name.text(),
                    key=self.key.toPlainText(),
                    replace=self.replace.isChecked(),
                )
        except ValidationError as error:
            self.show_error(error.field, error.message)
            return
        except UserError as error:
            self.show_error("general", str(error))
            return
        self.accept()

    def _problems(self) -> dict[str, str]:
        """Every field's problem at once (the registry would name only the first)."""
        problems: dict[str, str] = {}
        if not self.name.text().strip():
            problems["municipality"] = _("This field is required.")
        ags = None
        try:
            ags = registry.check_ags(self.ags.text())
        except ValidationError as error:
            problems["ags"] = error.message
        key = None
        try:
            key = registry.parse_key(self.key.toPlainText())
        except ValidationError as error:
            problems["key"] = error.message
        chosen = self.replace.isChecked() or self.add_device.isChecked()
        for town in registry.municipalities(self.ministry):
            if ags is not None and town.ags == ags and not chosen:
                self.replace.show()
                self.add_device.show()
                problems["ags"] = _(
                    "{ags} is registered already ({name}). Replace: the registered key "
                    "stops working. Further device: a second guide's laptop, the first key "
                    "stays."
                ).format(ags=town.ags, name=town.name)
            if key is not None and town.key == key.base64() and town.ags != ags:
                problems["key"] = _("This key is registered for {name} ({ags}) already.").format(
                    name=town.name, ags=town.ags
                )
        return problems
