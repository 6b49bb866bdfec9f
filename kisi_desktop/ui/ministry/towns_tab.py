"""The Municipalities tab: who is registered, their last bundle, and what waits for the operator.

Above, every registered municipality with its key id, how many bundles were imported, the
last one's number and dates, and its status in words (:mod:`town_rows`). Below, the
bundles the intake holds back: a new device epoch waits until the operator confirms it
(after a restore onto a new laptop, confirmed with the municipality by phone), a gap
until the missing bundle arrives or the operator gives up on it, and a fork stays in
quarantine. A held bundle that can never be imported (its key was revoked meanwhile) or
must not count (a stolen laptop) can be dropped for good. Each of these asks why
(:class:`WhyDialog`) and runs on a worker; what it let through, or the dropped bundle's
"rejected" receipt, is listed on the Intake tab.

Registering and revoking are short writes on the UI thread's connection.

Signals:
    changed(): the registry changed.
    status(str): a short message for the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, ngettext

from kisi_desktop.ministry import registry
from kisi_desktop.ministry.held import (
    confirm_epoch,
    drop_held,
    held_bundles,
    operator_name,
    skip_gap,
)
from kisi_desktop.ministry.intake import IntakeResult
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.store import HELD_EPOCH, HELD_GAP

from kisi_desktop.ui.ministry.context import MinistryContext
from kisi_desktop.ui.ministry.devices_dialog import DevicesDialog
from kisi_desktop.ui.ministry.register_dialog import RegisterDialog
from kisi_desktop.ui.ministry.town_rows import (
    HeldRow,
    TownRow,
    held_model,
    held_rows,
    town_model,
    town_rows,
)
from kisi_desktop.ui.ministry.why_dialog import WhyDialog
from kisi_desktop.ui.tables.row_model import RowRole
from kisi_desktop.ui.tables.row_view import row_table

Release = Callable[[Callable[[Ministry], list[IntakeResult]], str], None]

DROPPABLE = (HELD_GAP, HELD_EPOCH)
"""What may be dropped: held bundles; never imported ones (the books) or forks (evidence)."""


class TownsTab(QWidget):
    """See the module docstring; ``release`` runs an override on the Intake tab's worker."""

    changed = Signal()
    status = Signal(str)

    def __init__(
        self, context: MinistryContext, release: Release, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("townsTab")
        self.context = context
        self._release = release
        self.register_dialog: RegisterDialog | None = None
        self.why_dialog: WhyDialog | None = None
        self.question: QMessageBox | None = None

        self.register_button = QPushButton()
        self.register_button.setObjectName("townsRegister")
        self.register_button.clicked.connect(lambda: self.open_register())
        self.revoke_button = QPushButton()
        self.revoke_button.setObjectName("townsRevoke")
        self.revoke_button.clicked.connect(lambda: self.ask_revoke())
        self.devices_button = QPushButton()
        self.devices_button.setObjectName("townsDevices")
        self.devices_button.clicked.connect(lambda: self.open_devices())
        self.devices_dialog: DevicesDialog | None = None
        self.towns_label = QLabel()
        self.model = town_model(self)
        self.view = row_table("townsTable", self.model, alternating=True, packed=True)
        self.towns_label.setBuddy(self.view)
        header = self.view.horizontalHeader()
        fit = QHeaderView.ResizeMode.ResizeToContents
        for column in (0, 2, 3, 4, 5, 6):
            header.setSectionResizeMode(column, fit)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 240)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update())
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.towns_label)
        row.addStretch(1)
        row.addWidget(self.register_button)
        row.addWidget(self.devices_button)
        row.addWidget(self.revoke_button)
        top_layout.addLayout(row)
        top_layout.addWidget(self.view, 1)

        self.held_label = QLabel()
        self.held_hint = QLabel()
        self.held_hint.setWordWrap(True)
        self.held_model = held_model(self)
        self.held_view = row_table("heldTable", self.held_model, alternating=True, packed=True)
        self.held_label.setBuddy(self.held_view)
        header = self.held_view.horizontalHeader()
        for column in range(7):
            header.setSectionResizeMode(column, fit)
        self.held_view.selectionModel().currentRowChanged.connect(lambda *_a: self._update())
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("heldConfirmEpoch")
        self.confirm_button.clicked.connect(lambda: self.ask_confirm_epoch())
        self.skip_button = QPushButton()
        self.skip_button.setObjectName("heldSkipGap")
        self.skip_button.clicked.connect(lambda: self.ask_skip_gap())
        self.drop_button = QPushButton()
        self.drop_button.setObjectName("heldDrop")
        self.drop_button.clicked.connect(lambda: self.ask_drop())
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.held_label)
        row.addStretch(1)
        row.addWidget(self.confirm_button)
        row.addWidget(self.skip_button)
        row.addWidget(self.drop_button)
        bottom_layout.addLayout(row)
        bottom_layout.addWidget(self.held_hint)
        bottom_layout.addWidget(self.held_view, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([380, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.towns_label.setText(_("Registered municipa&lities:"))
        self.view.setAccessibleName(_("Registered municipalities"))
        self.register_button.setText(_("Register a &municipality…"))
        self.register_button.setToolTip(_("Register a municipality's public key (Ctrl+N)"))
        self.register_button.setAccessibleName(_("Register a municipality"))
        self.revoke_button.setText(_("Revo&ke key…"))
        self.revoke_button.setToolTip(
            _("Revoke the selected municipality's key: its bundles are refused from now on")
        )
        self.revoke_button.setAccessibleName(_("Revoke the selected municipality's key"))
        self.devices_button.setText(_("Dev&ices…"))
        self.devices_button.setToolTip(
            _("The selected municipality's devices and their keys; revoke one laptop's key")
        )
        self.devices_button.setAccessibleName(_("Devices of the selected municipality"))
        self.held_label.setText(_("Bundles &waiting or in quarantine:"))
        self.held_view.setAccessibleName(_("Bundles waiting or in quarantine"))
        self.held_hint.setText(
            _(
                "A new epoch starts when a municipality restored its vault onto another "
                "laptop: confirm it after checking with the municipality. A bundle held for "
                "a gap is imported by itself when the missing one arrives."
            )
        )
        self.confirm_button.setText(_("&Confirm new epoch…"))
        self.confirm_button.setAccessibleName(_("Confirm the selected bundle's new epoch"))
        self.skip_button.setText(_("&Give up missing bundles…"))
        self.skip_button.setAccessibleName(
            _("Import the selected held bundle without the missing ones")
        )
        self.drop_button.setText(_("&Drop bundle…"))
        self.drop_button.setToolTip(
            _("Remove the selected held bundle for good: it is never imported and never counts")
        )
        self.drop_button.setAccessibleName(_("Drop the selected held bundle"))
        self.model.retranslate()
        self.held_model.retranslate()

    # ------------------------------------------------------------------ rows
    def showEvent(self, event: QShowEvent) -> None:
        # The CLI or the intake server may have imported meanwhile (a few milliseconds).
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Read the registry and the held bundles again; keep the selection."""
        ministry = self.context.ministry
        held = held_bundles(ministry)
        overview = registry.overview(ministry)
        names = {s.municipality.ags: s.municipality.name for s in overview}
        selected = self.selected_town()
        selected_held = self.selected_held()
        devices = {
            s.municipality.ags: tuple(
                k.key_id_hex() for k in registry.device_keys(ministry, s.municipality.ags)
            )
            for s in overview
        }
        self.model.set_rows(town_rows(overview, held, devices))
        self.held_model.set_rows(held_rows(held, names))
        if selected is not None:
            self.select_town(selected.ags)
        if selected_held is not None and (row := self.held_model.row_index(selected_held.id)) >= 0:
            self.held_view.selectRow(row)
        self._update()

    def select_town(self, ags: str) -> None:
        """Select the municipality with ``ags`` (if listed)."""
        index = self.model.row_index(ags)
        if index >= 0:
            self.view.selectRow(index)

    def selected_town(self) -> TownRow | None:
        """The selected municipality's row."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        row: TownRow | None = self.model.index(index.row(), 0).data(RowRole.ROW)
        return row

    def selected_held(self) -> HeldRow | None:
        """The selected held bundle's row."""
        index = self.held_view.currentIndex()
        if not index.isValid():
            return None
        row: HeldRow | None = self.held_model.index(index.row(), 0).data(RowRole.ROW)
        return row

    def _update(self) -> None:
        town = self.selected_town()
        self.revoke_button.setEnabled(town is not None and not town.revoked)
        self.devices_button.setEnabled(town is not None)
        held = self.selected_held()
        self.confirm_button.setEnabled(held is not None and held.status == HELD_EPOCH)
        self.skip_button.setEnabled(held is not None and held.status == HELD_GAP)
        self.drop_button.setEnabled(held is not None and held.status in DROPPABLE)

    # ------------------------------------------------------------------ register, revoke
    def open_register(self) -> None:
        """Open the registration dialog (window-modal; the window keeps running)."""
        dialog = RegisterDialog(self.context.ministry, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # Cancelled too: each one cancelled stayed in the window until it closed.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self._registered, dialog))
        dialog.finished.connect(lambda _r: setattr(self, "register_dialog", None))
        self.register_dialog = dialog
        dialog.open()

    def _registered(self, dialog: RegisterDialog) -> None:
        town = dialog.registered
        device = dialog.registered_device
        if town is None:
            return
        self.refresh()
        self.select_town(town.ags)
        if device is not None:
            message = _(
                "Further device of {name} (AGS {ags}) registered with key {key_id}."
            ).format(name=town.name, ags=town.ags, key_id=device)
        else:
            message = _("Registered {name} (AGS {ags}) with key {key_id}.").format(
                name=town.name, ags=town.ags, key_id=town.key_id
            )
        self.status.emit(message)
        self.changed.emit()

    def open_devices(self) -> None:
        """List the selected municipality's device keys, to revoke one laptop's."""
        town = self.selected_town()
        if town is None:
            return
        dialog = DevicesDialog(self.context.ministry, town.ags, town.name, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.revoked.connect(partial(self._device_revoked, town))
        dialog.finished.connect(lambda _r: setattr(self, "devices_dialog", None))
        self.devices_dialog = dialog
        dialog.open()

    def _device_revoked(self, town: TownRow, key_id: str) -> None:
        self.refresh()
        self.status.emit(
            _(
                "The device key {key_id} of {name} (AGS {ags}) is revoked; its other devices go on."
            ).format(key_id=key_id, name=town.name, ags=town.ags)
        )
        self.changed.emit()

    def ask_revoke(self) -> None:
        """Ask before revoking the selected municipality's key."""
        town = self.selected_town()
        if town is None or town.revoked:
            return
        text = _(
            "Revoke key {key_id} of {name} (AGS {ags})? Its bundles are refused from now "
            "on, until a new key is registered for it."
        ).format(key_id=town.key_id, name=town.name, ags=town.ags)
        if town.device_keys:
            text += " " + ngettext(
                "This stops its further device too; to stop one laptop only, use “Devices…”.",
                "This stops its {n} further devices too; to stop one laptop only, use “Devices…”.",
                len(town.device_keys),
            ).format(n=len(town.device_keys))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Revoke key"),
            text,
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("revokeQuestion")
        revoke = box.addButton(_("Re&voke"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.buttonClicked.connect(
            lambda button: self._revoke(town.ags) if button is revoke else None
        )
        box.finished.connect(lambda _r: setattr(self, "question", None))
        self.question = box
        box.open()

    def _revoke(self, ags: str) -> None:
        try:
            town = registry.revoke(self.context.ministry, ags)
        except UserError as error:
            self.status.emit(str(error))
            return
        self.refresh()
        self.status.emit(
            _("Key {key_id} of {name} (AGS {ags}) is revoked.").format(
                key_id=town.key_id, name=town.name, ags=town.ags
            )
        )
        self.changed.emit()

    # ------------------------------------------------------------------ overrides
    def ask_confirm_epoch(self) -> None:
        """Ask why, then confirm the selected bundle's new device epoch."""
        held = self.selected_held()
        if held is None or held.status != HELD_EPOCH:
            return
        question = _(
            "Device {device} of {name} (AGS {ags}) starts epoch {epoch}: its vault was "
            "restored or moved to another laptop. Confirm only after checking with the "
            "municipality that this is their laptop."
        ).format(device=held.device_id, name=held.name, ags=held.ags, epoch=held.epoch)
        self._ask_why(
            _("Confirm new epoch"),
            question,
            _("&Confirm epoch"),
            partial(self._confirm, held),
        )

    def ask_skip_gap(self) -> None:
        """Ask why, then import the selected held bundle without the missing ones."""
        held = self.selected_held()
        if held is None or held.status != HELD_GAP:
            return
        question = _(
            "Bundle {seq} of {name} (AGS {ags}) waits for earlier bundles of device {device}. "
            "Give up on them only if the municipality confirms they are lost; their figures "
            "will be missing."
        ).format(seq=held.seq, name=held.name, ags=held.ags, device=held.device_id)
        self._ask_why(
            _("Give up missing bundles"),
            question,
            _("&Give up and import"),
            partial(self._skip, held),
        )

    def ask_drop(self) -> None:
        """Ask why, then drop the selected held bundle for good."""
        held = self.selected_held()
        if held is None or held.status not in DROPPABLE:
            return
        question = _(
            "Drop bundle {seq} of {name} (AGS {ags}), device {device}, for good? It is never "
            "imported and its figures never count; the municipality gets a receipt saying so, "
            "with your reason. Later bundles of the device wait for it as for a missing one."
        ).format(seq=held.seq, name=held.name, ags=held.ags, device=held.device_id)
        self._ask_why(
            _("Drop bundle"),
            question,
            _("&Drop bundle"),
            partial(self._drop, held),
            label=_("&Reason (who decided it, and why):"),
        )

    def _ask_why(
        self,
        title: str,
        question: str,
        action: str,
        then: Callable[[str], None],
        *,
        label: str | None = None,
    ) -> None:
        dialog = WhyDialog(title, question, action, self, label=label)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: then(dialog.why()))
        dialog.finished.connect(lambda _r: setattr(self, "why_dialog", None))
        self.why_dialog = dialog
        dialog.open()

    def _confirm(self, held: HeldRow, why: str) -> None:
        def action(ministry: Ministry) -> list[IntakeResult]:
            return confirm_epoch(ministry, held.ags, held.device_id, held.epoch, why=why)

        self._release(
            action,
            _("Confirming epoch {epoch} of device {device}…").format(
                epoch=held.epoch, device=held.device_id
            ),
        )

    def _skip(self, held: HeldRow, why: str) -> None:
        def action(ministry: Ministry) -> list[IntakeResult]:
            return skip_gap(ministry, held.ags, held.device_id, held.epoch, why=why)

        self._release(
            action,
            _("Importing held bundles of device {device} without the missing ones…").format(
                device=held.device_id
            ),
        )

    def _drop(self, held: HeldRow, why: str) -> None:
        by = operator_name()

        def action(ministry: Ministry) -> list[IntakeResult]:
            return [drop_held(ministry, held.id, why=why, by=by)]

        self._release(
            action,
            _("Dropping bundle {seq} of device {device}…").format(
                seq=held.seq, device=held.device_id
            ),
        )
