"""The ministry's provisioning: what is installed, and importing a new file.

The provisioning file tells the app whom to encrypt bundles to, which keys sign receipts
and content packs, where to upload and whether the ministry asks for participation rows
(:mod:`kisi_desktop.bundles.provisioning`). The box shows the installed version, until when
it is valid, DEMO in red for demo keys, and the ministry key's fingerprint; its button
imports a file. Two questions may come first, each only when needed:

* the ministry key is not yet trusted: the guide confirms its fingerprint with the ministry
  and types it (:class:`FingerprintDialog`);
* the file holds DEMO keys: the guide says explicitly that demo keys are wanted.

Both the Sync page and the settings dialog show this box; it reads the workspace through
the callable it is given, so it follows lock and unlock wherever it sits.

Signals:
    installed(): a provisioning file was installed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from kisi_desktop.core.clock import today
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _, format_date
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.limits import MAX_PROVISIONING_FILE
from kisi_desktop.bundles.provisioning import (
    Provisioning,
    current_provisioning,
    fingerprint,
    install_provisioning,
)
from kisi_desktop.bundles.reasons import DEMO_KEY, UNTRUSTED_ROOT, Rejected

from kisi_desktop.ui.pages.sync.fingerprint_dialog import FingerprintDialog, fingerprint_in
from kisi_desktop.ui.pages.sync.import_box import ImportBox
from kisi_desktop.ui.pages.sync.messages import (
    close_quietly,
    error_text,
    message_box,
    read_outside,
)

RED = "color: #b00020;"


def installed_lines(doc: Provisioning) -> list[str]:
    """What an import says it did (the same sentences as ``kisi provision``)."""
    lines = [
        _("Provisioning version {version} installed (valid until {expires}).").format(
            version=doc.version, expires=format_date(doc.expires)
        ),
        _("Ministry key fingerprint: {fp}").format(fp=fingerprint(doc.root_key)),
    ]
    if doc.demo:
        lines.append(_("DEMO keys: bundles made with them are for trying out only."))
    if doc.participation_rows:
        lines.append(
            _("The ministry asks for pseudonymous participation rows; bundles will carry them.")
        )
    return lines


class ProvisioningBox(ImportBox):
    """See the module docstring."""

    installed = Signal()
    OPEN_TITLE = N_("Import the ministry's provisioning file")

    def __init__(
        self, workspace: Callable[[], Workspace | None], parent: QWidget | None = None
    ) -> None:
        super().__init__("provisioning", workspace, parent)
        self.doc: Provisioning | None = None
        self.fingerprint_dialog: FingerprintDialog | None = None
        self.demo_box: QMessageBox | None = None
        self.demo = QLabel()
        self.demo.setObjectName("provisioningDemo")
        self.demo.setStyleSheet(RED + " font-weight: bold;")
        self.demo.setWordWrap(True)
        self.demo.hide()
        self.key_label = QLabel()
        self.key_label.setWordWrap(True)
        self.key_label.hide()
        self.key = QLabel()
        self.key.setObjectName("provisioningFingerprint")
        self.key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.key.setTextFormat(Qt.TextFormat.PlainText)
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel()
        self.details.setObjectName("provisioningDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self._lay_out(self.demo, self.key_label, self.key, self.details)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.setTitle(_("Ministry provisioning"))
        self.import_button.setText(_("Import provisionin&g file…"))
        self.import_button.setToolTip(
            _("Install the provisioning file the ministry sent (its keys and addresses)")
        )
        self.import_button.setAccessibleName(_("Import provisioning file"))
        self.refresh()

    # ------------------------------------------------------------------ status
    def refresh(self) -> None:
        """Show what is installed now (or nothing while locked)."""
        ws = self._workspace()
        self.import_button.setEnabled(ws is not None)
        self.doc = None
        self.demo.hide()
        self.key_label.hide()
        self.key.clear()
        self.key.hide()
        self.details.clear()
        self.details.hide()
        self.state.setStyleSheet("")
        if ws is None:
            self.state.setText(_("Locked."))
            return
        try:
            self.doc = current_provisioning(ws)
        except Rejected as error:
            self.state.setStyleSheet(RED)
            self.state.setText(
                _("The installed provisioning file cannot be used: {reason}").format(
                    reason=error_text(error)
                )
            )
            return
        doc = self.doc
        if doc is None:
            self.state.setText(
                _(
                    "Not installed yet. Import the provisioning file the ministry sent "
                    "before the first export."
                )
            )
            return
        valid = _("Version {version}, valid until {date}").format(
            version=doc.version, date=format_date(doc.expires)
        )
        if doc.expires < today(ws.clock):
            valid += " – " + _("expired: ask the ministry for a new file")
            self.state.setStyleSheet(RED)
        self.state.setText(valid)
        if doc.demo:
            self.demo.setText(_("DEMO keys: bundles made with them are for trying out only."))
            self.demo.show()
        self.key_label.setText(_("Fingerprint of the ministry key:"))
        self.key_label.show()
        self.key.setText(fingerprint(doc.root_key))
        asks = (
            _("The ministry asks for pseudonymous participation rows.")
            if doc.participation_rows
            else _("Bundles carry figures only (no participation rows).")
        )
        upload = (
            _("Upload to {url}").format(url=doc.intake_url)
            if doc.intake_url
            else _("No upload address: bundles travel as files.")
        )
        self.details.setText(asks + "\n" + upload)
        self.key.show()
        self.details.show()

    def abandon(self) -> None:
        """Locked: close the questions still open and show nothing installed."""
        for widget in (self.fingerprint_dialog, self.demo_box):
            close_quietly(widget)
        self.fingerprint_dialog = self.demo_box = None
        super().abandon()

    # ------------------------------------------------------------------ import
    def install(self, path: Path) -> None:
        """Install the file, asking first what must be asked."""
        try:
            data = read_outside(path, MAX_PROVISIONING_FILE)
        except UserError as error:
            self._fail(error)
            return
        self._attempt(data, None, False)

    def _attempt(self, data: bytes, typed: str | None, demo: bool) -> None:
        ws = self._workspace()
        if ws is None:
            return
        try:
            doc = install_provisioning(ws, data, confirmed_fingerprint=typed, allow_demo=demo)
        except Rejected as error:
            shown = fingerprint_in(str(error))
            if error.code == UNTRUSTED_ROOT and typed is None and shown is not None:
                self._ask_fingerprint(data, shown, demo)
            elif error.code == DEMO_KEY and not demo:
                self._ask_demo(data, typed)
            else:
                self._fail(error)
            return
        except UserError as error:
            self._fail(error)
            return
        self.refresh()
        self.installed.emit()
        self.message = message_box(
            self,
            QMessageBox.Icon.Information,
            _("Ministry provisioning"),
            "\n".join(installed_lines(doc)),
            "provisioningInstalled",
        )

    def _ask_fingerprint(self, data: bytes, shown: str, demo: bool) -> None:
        dialog = FingerprintDialog(shown, self.window())
        self.fingerprint_dialog = dialog

        def answered(result: int) -> None:
            self.fingerprint_dialog = None
            dialog.deleteLater()
            if result == FingerprintDialog.DialogCode.Accepted:
                self._attempt(data, dialog.typed(), demo)

        dialog.finished.connect(answered)
        dialog.open()

    def _ask_demo(self, data: bytes, typed: str | None) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("DEMO provisioning file"),
            _(
                "This provisioning file holds DEMO keys, not the ministry's. Bundles made "
                "with them can only be read by a demo ministry: use it for trying out and "
                "training only. A demo file never replaces the ministry's real one."
            ),
            QMessageBox.StandardButton.NoButton,
            self.window(),
        )
        box.setObjectName("demoProvisioningBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        accept = box.addButton(_("&Use the DEMO keys"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        accept.setObjectName("demoAccept")
        cancel.setObjectName("demoCancel")
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        self.demo_box = box

        def clicked(button: object) -> None:
            self.demo_box = None
            if button is accept:
                self._attempt(data, typed, True)

        box.buttonClicked.connect(clicked)
        box.open()

    def _fail(self, error: BaseException) -> None:
        self.message = message_box(
            self,
            QMessageBox.Icon.Warning,
            _("Provisioning file not installed"),
            error_text(error),
            "provisioningRefused",
        )
