"""This device: the municipality, device and signing key the ministry registers.

The ministry accepts a bundle only when it is signed with a key it registered for the
bundle's municipality (AGS). So before the first bundle the guide sends the public half of
the vault's signing key to the ministry (``kisi ministry register --key FILE``). The box
shows what the ministry asks about on the phone - AGS, device id, epoch, key id - and its
button opens :class:`PublicKeyDialog` with the key itself, to copy or save as a ``.pub``
file. The key is created on first use (:func:`kisi_desktop.bundles.keys.signer`): the
set-up wizard makes it, and a vault from before that gets it when the box first reads it.

Nothing here is secret: the private key never leaves the vault. Still, on lock the box
shows nothing, like every page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.files import write_atomic
from kisi_desktop.core.i18n import _
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.minisign import PublicKey

from kisi_desktop.ui.pages.sync.messages import close_quietly

RED = "color: #b00020;"


def key_file_name(ags: str | None, device_id: str) -> str:
    """``<AGS>_<device>.pub``: the ministry sees at a glance whose key the file holds."""
    return f"{ags or 'KISI'}_{device_id}.pub"


def _value_label(name: str, mono: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if mono:
        label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return label


class DeviceBox(QGroupBox):
    """See the module docstring."""

    def __init__(
        self, workspace: Callable[[], Workspace | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("deviceBox")
        self._workspace = workspace
        self.public: PublicKey | None = None
        self.ags: str | None = None
        self.device_id = ""
        self.dialog: PublicKeyDialog | None = None
        self.last_dir = Path.home()
        self.ags_value = _value_label("deviceAgs")
        self.device_value = _value_label("deviceId", mono=True)
        self.epoch_value = _value_label("deviceEpoch")
        self.key_value = _value_label("deviceKeyId", mono=True)
        self.labels = [QLabel() for _row in range(4)]
        self.problem = QLabel()
        self.problem.setObjectName("deviceProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(RED)
        self.problem.hide()
        self.show_button = QPushButton()
        self.show_button.setObjectName("deviceShowKey")
        self.show_button.clicked.connect(lambda: self.show_key())
        # Three rows (the epoch beside the device): the side column is short at 1366x768.
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        ags_label, device_label, epoch_label, key_label = self.labels
        grid.addWidget(ags_label, 0, 0)
        grid.addWidget(self.ags_value, 0, 1, 1, 3)
        grid.addWidget(device_label, 1, 0)
        grid.addWidget(self.device_value, 1, 1)
        grid.addWidget(epoch_label, 1, 2)
        grid.addWidget(self.epoch_value, 1, 3)
        grid.addWidget(key_label, 2, 0)
        grid.addWidget(self.key_value, 2, 1, 1, 3)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.problem)
        layout.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.setTitle(_("This device"))
        for label, text in zip(
            self.labels,
            (_("Municipality (AGS):"), _("Device:"), _("Epoch:"), _("Key ID:")),
            strict=True,
        ):
            label.setText(text)
        self.ags_value.setAccessibleName(_("Municipality key (AGS)"))
        self.device_value.setAccessibleName(_("Device id"))
        self.epoch_value.setAccessibleName(_("Device epoch"))
        self.key_value.setAccessibleName(_("Key ID of the public signing key"))
        self.show_button.setText(_("Show pu&blic key…"))
        self.show_button.setToolTip(
            _("The public signing key to register with the ministry: copy it or save it as a file")
        )
        self.show_button.setAccessibleName(_("Show the public signing key"))
        if self.dialog is not None:
            self.dialog.retranslate_ui()
        self.refresh()

    def refresh(self) -> None:
        """Show this vault's device and key (creating the key on first use); nothing if locked."""
        ws = self._workspace()
        self.public = None
        self.ags = None
        self.device_id = ""
        self.problem.hide()
        for value in (self.ags_value, self.device_value, self.epoch_value, self.key_value):
            value.clear()
        self.show_button.setEnabled(False)
        if ws is None:
            return
        try:
            me = signer(ws)
        except (KisiError, OSError) as error:
            self.problem.setText(
                _("The signing key cannot be read or created: {reason}").format(reason=error)
            )
            self.problem.show()
            return
        towns = sorted(ws.list(Municipality), key=lambda m: m.ags)
        self.ags = towns[0].ags if towns else None
        self.public = me.public
        self.device_id = me.device_id
        self.ags_value.setText(self.ags or _("– (enter the municipality profile)"))
        self.device_value.setText(me.device_id)
        self.epoch_value.setText(str(me.epoch))
        self.key_value.setText(self.public.key_id_hex())
        self.show_button.setEnabled(True)

    def abandon(self) -> None:
        """Locked: close the key dialog and show nothing."""
        close_quietly(self.dialog)
        self.dialog = None
        self.refresh()

    def show_key(self) -> PublicKeyDialog | None:
        """Open the dialog with the public key (window-modal, the window keeps running)."""
        if self.public is None:
            return None
        close_quietly(self.dialog)
        dialog = PublicKeyDialog(
            self.public, key_file_name(self.ags, self.device_id), self, self.window()
        )
        self.dialog = dialog

        def closed(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None

        dialog.finished.connect(closed)
        dialog.open()
        return dialog


class PublicKeyDialog(QDialog):
    """The public key as minisign writes it, to copy or save for the ministry."""

    def __init__(
        self, public: PublicKey, file_name: str, box: DeviceBox, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("publicKeyDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.public = public
        self.file_name = file_name
        self._box = box
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.key_id = QLabel()
        self.key_id.setObjectName("publicKeyId")
        self.key_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit(public.text().rstrip("\n"))
        self.text.setObjectName("publicKeyText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setTabChangesFocus(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.text.setFont(mono)
        metrics = self.text.fontMetrics()
        longest = max(public.text().splitlines(), key=len)
        self.text.setMinimumWidth(metrics.horizontalAdvance(longest + "MM") + 24)
        self.text.setFixedHeight(metrics.lineSpacing() * 2 + 24)
        self.result_line = QLabel()
        self.result_line.setObjectName("publicKeyResult")
        self.result_line.setWordWrap(True)
        self.result_line.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setObjectName("publicKeyCopy")
        self.copy_button.clicked.connect(lambda: self.copy())
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setObjectName("publicKeySave")
        self.save_button.clicked.connect(lambda: self.save())
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.key_id)
        layout.addWidget(self.text)
        layout.addWidget(self.result_line)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.setWindowTitle(_("Public signing key"))
        self.intro.setText(
            _(
                "Send this public key to the ministry, which registers it for your "
                "municipality; it then accepts the bundles this device signs. The key is not "
                "secret. When the ministry calls, compare the key ID."
            )
        )
        self.key_id.setText(_("Key ID: {key_id}").format(key_id=self.public.key_id_hex()))
        self.text.setAccessibleName(_("Public signing key (minisign)"))
        self.copy_button.setText(_("&Copy"))
        self.copy_button.setAccessibleName(_("Copy the public key"))
        self.save_button.setText(_("&Save as file…"))
        self.save_button.setAccessibleName(_("Save the public key as a file"))

    def copy(self) -> None:
        """Put the key's two lines on the clipboard (for a mail to the ministry)."""
        QGuiApplication.clipboard().setText(self.public.text())
        self.result_line.setStyleSheet("")
        self.result_line.setText(_("Copied to the clipboard."))

    def save(self) -> Path | None:
        """Write the key as a minisign ``.pub`` file where the guide chooses."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the public key"),
            str(self._box.last_dir / self.file_name),
            _("Public keys (*.pub);;All files (*)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".pub")
        try:
            write_atomic(path, self.public.text().encode("utf-8"))
        except OSError as error:
            self.result_line.setStyleSheet(RED)
            self.result_line.setText(
                _("Could not save {path}: {error}").format(path=path, error=error.strerror or error)
            )
            return None
        self._box.last_dir = path.parent
        self.result_line.setStyleSheet("")
        self.result_line.setText(_("Saved as {path}.").format(path=path))
        return path
