"""A municipality's devices (signing keys) and a way to stop one laptop without the others.

"Revoke key…" on the Municipalities tab stops the whole municipality; a stolen second
laptop was only stopped with ``kisi ministry revoke --device KEYID``. This dialog lists
every key of the selected municipality - its own first, then the further devices - with
the devices that sign with it and their bundles, and revokes one further device's key
after a question that names the device and says what becomes of its bundles.

The municipality's own key is not revoked here: it stands for the municipality ("Revoke
key…"), and a laptop that signs with it is stopped by registering a new key in its place.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _, format_date, ngettext

from kisi_desktop.ministry import registry
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.registry import DeviceKey

from kisi_desktop.ui.ministry.labels import GREEN, RED
from kisi_desktop.ui.tables.row_model import Column, RowRole, RowTableModel
from kisi_desktop.ui.tables.row_view import row_table


def _day(text: str | None) -> str:
    if not text:
        return ""
    try:
        return format_date(date.fromisoformat(text[:10]))
    except ValueError:
        return text[:10]


def _devices(key: DeviceKey) -> str:
    return ", ".join(key.device_ids) if key.device_ids else _("no bundle yet")


def _state(key: DeviceKey) -> str:
    if key.revoked:
        return _("revoked on {date}").format(date=_day(key.revoked_at))
    if key.first:
        return _("active (the municipality's key)")
    return _("active")


COLUMNS = [
    Column(N_("Key ID"), lambda k: k.key_id),
    Column(N_("Device"), _devices, tooltip=_devices),
    Column(N_("Registered"), lambda k: _day(k.registered_at)),
    Column(N_("Bundles"), lambda k: str(k.bundles), numeric=True),
    Column(N_("Last bundle received"), lambda k: _day(k.last_received_at)),
    Column(N_("State"), _state, tooltip=_state, foreground=lambda k: RED if k.revoked else GREEN),
]


class DevicesDialog(QDialog):
    """The keys of one municipality; ``revoked(key_id)`` after a device key was revoked."""

    revoked = Signal(str)

    def __init__(
        self, ministry: Ministry, ags: str, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("devicesDialog")
        self.ministry = ministry
        self.ags = ags
        self.name = name
        self.question: QMessageBox | None = None
        self.setWindowTitle(_("Devices of {name} (AGS {ags})").format(name=name, ags=ags))
        self.intro = QLabel(
            _(
                "Every laptop of the municipality signs its bundles with its own key. To stop "
                "one laptop (stolen, given back) and let the others go on, revoke its key "
                "here. The first key is the municipality's own: “Revoke key…” on the "
                "Municipalities tab stops every device, and registering a new key in its "
                "place stops the laptop that used it."
            )
        )
        self.intro.setWordWrap(True)
        self.model = RowTableModel(COLUMNS, self)
        self.view = row_table("devicesTable", self.model, alternating=True, packed=True)
        self.view.setAccessibleName(_("Keys of the municipality's devices"))
        header = self.view.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table_label = QLabel(_("&Keys:"))
        self.table_label.setBuddy(self.view)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update())
        self.revoke_button = QPushButton(_("Revoke this &device…"))
        self.revoke_button.setObjectName("devicesRevoke")
        self.revoke_button.setAccessibleName(_("Revoke the selected device's key"))
        self.revoke_button.clicked.connect(lambda: self.ask_revoke())
        self.hint = QLabel()
        self.hint.setObjectName("devicesHint")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.table_label)
        row.addStretch(1)
        row.addWidget(self.revoke_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumSize(820, 360)
        self.refresh()

    def refresh(self) -> None:
        """Read the keys again; keep the selection."""
        selected = self.selected()
        keys = registry.device_key_list(self.ministry, self.ags)
        self.model.set_rows(keys)
        index = next((i for i, k in enumerate(keys) if selected and k.key_id == selected.key_id), 0)
        if keys:
            self.view.selectRow(index)
        self._update()

    def selected(self) -> DeviceKey | None:
        """The selected key's row."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        key: DeviceKey | None = self.model.index(index.row(), 0).data(RowRole.ROW)
        return key

    def _update(self) -> None:
        key = self.selected()
        self.revoke_button.setEnabled(key is not None and not key.first and not key.revoked)
        if key is None:
            self.hint.clear()
        elif key.revoked:
            self.hint.setText(
                _("Bundles signed with key {key_id} are refused since {date}.").format(
                    key_id=key.key_id, date=_day(key.revoked_at)
                )
            )
        elif key.first:
            self.hint.setText(
                _(
                    "Key {key_id} is the municipality's own key: it is revoked with “Revoke "
                    "key…” on the Municipalities tab (every device stops) or replaced by "
                    "registering a new key for the municipality."
                ).format(key_id=key.key_id)
            )
        else:
            self.hint.clear()

    def ask_revoke(self) -> None:
        """Ask before revoking the selected further device's key."""
        key = self.selected()
        if key is None or key.first or key.revoked:
            return
        if key.device_ids:
            device = ngettext("device {devices}", "devices {devices}", len(key.device_ids)).format(
                devices=", ".join(key.device_ids)
            )
        else:
            device = _("a device that has sent no bundle yet")
        question = _(
            "Revoke the key {key_id} of {name} (AGS {ags}), used by {device}, registered on {date}?"
        ).format(
            key_id=key.key_id,
            name=self.name,
            ags=self.ags,
            device=device,
            date=_day(key.registered_at),
        )
        effect = _(
            "Bundles signed with it are refused from now on, and those of its bundles that "
            "wait here are not imported (drop them). The municipality's other devices go on "
            "sending."
        )
        kept = ""
        if key.bundles:
            kept = " " + ngettext(
                "Already imported: {n} bundle of it; it keeps counting.",
                "Already imported: {n} bundles of it; they keep counting.",
                key.bundles,
            ).format(n=key.bundles)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Revoke device"),
            f"{question}\n\n{effect}{kept}",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("revokeDeviceQuestion")
        revoke = box.addButton(_("Re&voke device"), QMessageBox.ButtonRole.DestructiveRole)
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.buttonClicked.connect(
            lambda button: self._revoke(key.key_id) if button is revoke else None
        )
        box.finished.connect(lambda _r: setattr(self, "question", None))
        self.question = box
        box.open()

    def _revoke(self, key_id: str) -> None:
        try:
            registry.revoke_device_key(self.ministry, self.ags, key_id)
        except UserError as error:
            self.hint.setText(str(error))
            return
        self.refresh()
        self.revoked.emit(key_id)
