"""Making the provisioning file: the ministry's keys and intake address for the apps, signed.

The form holds what the document says besides the keys: until when it is valid, whether
bundles must carry pseudonymous participation rows (AMIF audits), and optionally the
intake server's address with the pin(s) of its key. "Save provisioning file…" asks where,
then signs (:func:`kisi_desktop.ministry.provision.make_provisioning`; a few milliseconds)
and writes; whatever is wrong with a value is said under its field, and nothing is
written (the version counter moves only for a file that is made). The root key's
fingerprint is shown for the municipalities to compare when they install the file.

Signals:
    status(str): a short message for the status bar.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.clock import today
from kisi_desktop.core.errors import UserError, ValidationError
from kisi_desktop.core.files import os_error_reason, write_atomic
from kisi_desktop.core.i18n import N_, _, ui_language
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.bundles.provisioning import fingerprint, read_provisioning
from kisi_desktop.ministry.provision import DEFAULT_VALIDITY, make_provisioning

from kisi_desktop.ui.forms.field_widgets import DateField
from kisi_desktop.ui.ministry.context import MinistryContext

ERROR_STYLE = "color: #b00020;"
FILE_NAME = "KISI-ministry.provisioning"
FILTER = N_("Provisioning files (*.provisioning);;All files (*)")
FIELDS = ("expires", "intake-url", "spki-pin")


def valid_until(field: DateField) -> date:
    """The typed last day of validity; :class:`UnreadableInput` when it is no date or has
    passed (said before the file dialog, not after it)."""
    day = field.required_day()
    if day < field.today():
        raise UnreadableInput(_("The expiry date is in the past."))
    return day


def error_label(name: str) -> QLabel:
    """A red message under a field, hidden until needed."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class ProvisioningMaker(QGroupBox):
    """See the module docstring."""

    status = Signal(str)

    def __init__(self, context: MinistryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provisioningMaker")
        self.context = context
        self.last_file: Path | None = None
        on = today(context.ministry.clock)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setWordWrap(True)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("provisioningFingerprint")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.fingerprint.setFont(mono)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo = QLabel()
        self.demo.setObjectName("provisioningDemo")
        self.demo.setWordWrap(True)
        self.demo.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.demo.setVisible(context.ministry.demo)
        self.expires = DateField(today=lambda: today(context.ministry.clock))
        self.expires.setObjectName("provisioningExpires")
        self.expires.set_day(on + DEFAULT_VALIDITY)
        self.participation = QCheckBox()
        self.participation.setObjectName("provisioningParticipation")
        self.url = QLineEdit()
        self.url.setObjectName("provisioningUrl")
        self.url.setPlaceholderText("https://…")
        self.pins = QLineEdit()
        self.pins.setObjectName("provisioningPins")
        self.pins.setFont(mono)
        self.errors = {name: error_label(f"provisioningError_{name}") for name in FIELDS}
        self.labels = {name: QLabel() for name in ("expires", "participation", *FIELDS[1:])}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for name, editor in (
            ("expires", self.expires),
            ("participation", self.participation),
            ("intake-url", self.url),
            ("spki-pin", self.pins),
        ):
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(editor)
            if name in self.errors:
                box.addWidget(self.errors[name])
            self.labels[name].setBuddy(editor)
            form.addRow(self.labels[name], cell)
        self.general = error_label("provisioningError_general")
        self.save_button = QPushButton()
        self.save_button.setObjectName("provisioningSave")
        self.save_button.clicked.connect(lambda: self.save())
        self.result = QLabel()
        self.result.setObjectName("provisioningResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.demo)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.url.textEdited.connect(lambda _t: self._clear("intake-url"))
        self.pins.textEdited.connect(lambda _t: self._clear("spki-pin"))
        self.expires.changed.connect(lambda: self._clear("expires"))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        ministry = self.context.ministry
        self.setTitle(_("Provisioning file for the municipalities"))
        self.intro.setText(
            _(
                "The apps learn the ministry's keys and the intake address from this file. "
                "Send it to every municipality; they install it on their Sync page."
            )
        )
        self.fingerprint_label.setText(
            _("Fingerprint of the ministry key (the municipalities compare it by phone):")
        )
        if ministry.root is not None:
            self.fingerprint.setText(fingerprint(ministry.root.public.base64()))
        else:
            self.fingerprint.setText(_("The root key is not in this folder (kept offline)."))
        self.save_button.setEnabled(ministry.root is not None)
        self.demo.setText(_("DEMO ministry: the app accepts these files only in demo mode."))
        self.labels["expires"].setText(_("Valid &until:"))
        self.expires.edit.setAccessibleName(_("Provisioning file valid until"))
        self.expires.set_language(ui_language())
        # The letter sits on the label, which ticks its box (QLabel clicks a button buddy).
        self.labels["participation"].setText(_("Pa&rticipation:"))
        self.participation.setText(_("Ask for pseudonymous participation rows (AMIF audits)"))
        self.participation.setAccessibleName(_("Ask for pseudonymous participation rows"))
        self.labels["intake-url"].setText(_("Intake &address (optional):"))
        self.url.setAccessibleName(_("Intake server address (optional)"))
        self.labels["spki-pin"].setText(_("Server key &pins:"))
        self.pins.setAccessibleName(_("Pins of the intake server's key"))
        self.pins.setPlaceholderText(_("64 hex digits each, separated by spaces"))
        self.save_button.setText(_("&Save provisioning file…"))
        self.save_button.setAccessibleName(_("Save the provisioning file"))

    def _clear(self, name: str) -> None:
        for label in (self.errors[name], self.general):
            label.clear()
            label.hide()

    def error_text(self, field: str) -> str:
        """The message under ``field`` ("" if none)."""
        label = self.errors.get(field, self.general)
        return label.text() if not label.isHidden() else ""

    def save(self) -> None:
        """Ask where, make the signed file, write it; say under a field what is wrong."""
        for name in FIELDS:
            self._clear(name)
        try:
            expires = valid_until(self.expires)
        except UnreadableInput as error:
            self.errors["expires"].setText(str(error))
            self.errors["expires"].show()
            return
        start = self.context.default_dir() / FILE_NAME
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the provisioning file"), str(start), _(FILTER)
        )
        if not chosen:
            return
        path = Path(chosen)
        url = self.url.text().strip() or None
        pins = self.pins.text().replace(",", " ").split()
        try:
            ministry = self.context.ministry
            data = make_provisioning(
                ministry,
                expires=expires,
                participation_rows=self.participation.isChecked(),
                intake_url=url,
                spki_pins=pins,
            )
            assert ministry.root is not None  # noqa: S101 - make_provisioning needs it
            # Read back as the app will, so no file goes out that the apps would refuse.
            made = read_provisioning(
                data, pinned_root=ministry.root.public.base64(), allow_demo=ministry.demo
            )
            write_atomic(path, data)
        except ValidationError as error:
            label = self.errors.get(error.field, self.general)
            label.setText(error.message)
            label.show()
            return
        except UserError as error:
            self.general.setText(str(error))
            self.general.show()
            return
        except OSError as error:
            self.general.setText(
                _("Could not save {path}: {error}").format(path=path, error=os_error_reason(error))
            )
            self.general.show()
            return
        self.context.state.save_dir = str(path.parent)
        self.context.remember()
        self.last_file = path
        message = _("Provisioning file version {version} written: {path}").format(
            version=made.version, path=path
        )
        self.result.setText(message)
        self.status.emit(message)
