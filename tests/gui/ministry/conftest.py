"""The ministry window on a real ministry folder, and a demo vault that sends it bundles.

The folder is made with the ministry's own ``init_ministry`` (FixedClock at the demo's
"now"), the window wired as ``kisi-desktop --ministry`` wires it. The municipality is a
demo vault (tests.support.sync) whose key the tests register through the dialog and whose
bundles come from the app's real export, after installing a provisioning file the
ministry made.
"""

from __future__ import annotations

import dataclasses
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.domain.signing_key import SigningKey
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import age
from kisi_desktop.bundles.export import ExportSummary, export_bundle
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.provisioning import fingerprint, install_provisioning
from kisi_desktop.bundles.safe_zip import read_zip
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.keys import Ministry, init_ministry, load_ministry
from kisi_desktop.ministry.provision import make_provisioning

from kisi_desktop.ui.ministry.intake_jobs import ResultRow
from kisi_desktop.ui.ministry.town_rows import TownRow
from kisi_desktop.ui.ministry.window import MinistryWindow, build_ministry_window
from kisi_desktop.ui.tables.row_model import RowRole
from kisi_desktop.ui.workers import TaskRunner

from tests.support.hostile import Town as Signer
from tests.support.modal import FileDialogAnswers
from tests.support.qt_tasks import flush_deletions
from tests.support.sync import NOW, PASSPHRASE, demo_workspace


@dataclass
class Town:
    """A municipality's demo vault, its AGS and name, and the folder its bundles go to."""

    ws: Workspace
    ags: str
    name: str
    out: Path

    @property
    def key_line(self) -> str:
        """The base64 line of its public key (what a guide pastes from `kisi keys show`)."""
        return signer(self.ws).public.base64()

    def install(self, data: bytes, root_line: str) -> None:
        """Install the ministry's provisioning file, fingerprint confirmed as by phone."""
        install_provisioning(self.ws, data, confirmed_fingerprint=fingerprint(root_line))

    def export(self, period: str | None = None) -> ExportSummary:
        """The next bundle, as the Sync page writes it."""
        if period is None:
            return export_bundle(self.ws, self.out, since_last=True)
        return export_bundle(self.ws, self.out, period=period)

    def new_epoch(self) -> None:
        """What a restore onto another laptop does to the device identity: epoch + 1."""
        key = self.ws.list(SigningKey)[0]
        self.ws.update(dataclasses.replace(key, epoch=key.epoch + 1))


@dataclass
class Desk:
    """The ministry window and the test's hands: dialogs answered, buttons clicked."""

    qtbot: QtBot
    monkeypatch: pytest.MonkeyPatch
    tmp: Path
    path: Path
    clock: FixedClock
    files: FileDialogAnswers = field(default_factory=FileDialogAnswers)
    windows: list[MinistryWindow] = field(default_factory=list)
    towns: list[Town] = field(default_factory=list)

    # -- the folder and the window
    def init(self, *, demo: bool = False) -> None:
        init_ministry(self.path, demo=demo, clock=self.clock).close()

    def open(self) -> Ministry:
        """A connection of the test's own (to check what the window did)."""
        return load_ministry(self.path, clock=self.clock)

    def window(self) -> MinistryWindow:
        window = build_ministry_window(
            load_ministry(self.path, clock=self.clock), runner=TaskRunner(), clock=self.clock
        )
        self.qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        self.qtbot.waitExposed(window)
        self.windows.append(window)
        return window

    # -- a municipality
    def town(self, name: str = "town") -> Town:
        folder = self.tmp / name
        folder.mkdir()
        ws = demo_workspace(folder / "vault.kisi", 60)
        profile = ws.list(Municipality)[0]
        out = folder / "stick"
        out.mkdir()
        town = Town(ws, profile.ags, profile.name, out)
        self.towns.append(town)
        return town

    def provision(self, town: Town) -> None:
        """Install a provisioning file of this ministry in ``town`` (not through the window)."""
        with self.open() as ministry:
            assert ministry.root is not None
            data = make_provisioning(ministry, expires=date(2028, 12, 31))
            root = ministry.root.public.base64()
        town.install(data, root)

    def ready_town(self, name: str = "town") -> Town:
        """A municipality registered here, with this ministry's provisioning installed."""
        town = self.town(name)
        self.register(town)
        self.provision(town)
        return town

    def register(self, town: Town) -> None:
        """Register ``town`` directly (tests that are not about the dialog)."""
        with self.open() as ministry:
            registry.register(ministry, ags=town.ags, name=town.name, key=town.key_line)

    # -- answering the file dialogs (Qt's own dialogs, filled in as a person would)
    def answer_folder(self, folder: Path) -> None:
        self.files.folder(folder)

    def answer_open_many(self, paths: list[Path]) -> None:
        self.files.open(*paths)

    def answer_save(self, path: Path) -> None:
        self.files.save(path)

    # -- hands
    def click(self, button: QPushButton) -> None:
        assert button.isVisible() and button.isEnabled(), button.text()
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def wait_for(self, find: Callable[[], Any], timeout: int = 5000) -> Any:
        """Wait until ``find()`` returns something visible, and return it."""
        self.qtbot.waitUntil(lambda: find() is not None and find().isVisible(), timeout=timeout)
        return find()

    def drop(self, target: QWidget, paths: list[Path]) -> bool:
        """Drag ``paths`` over ``target`` and drop them, as a file manager would.

        Qt delivers a drop to the widget that accepted the drag's entry (walking up from
        ``target`` to one that accepts drops); returns whether the drop was accepted.
        """
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        args = (QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier)  # fmt: skip
        enter = QDragEnterEvent(*args)
        QApplication.sendEvent(target, enter)
        if not enter.isAccepted():
            return False
        drop = QDropEvent(*args)
        QApplication.sendEvent(target, drop)
        return drop.isAccepted()

    def import_files(self, window: MinistryWindow, paths: list[Path]) -> None:
        """Click "Import bundles…", choose ``paths``, wait for the results."""
        window.tabs.setCurrentWidget(window.intake)
        self.answer_open_many(paths)
        before = window.intake.model.rowCount()
        self.click(window.intake.import_button)
        self.wait_idle(window)
        assert window.intake.model.rowCount() > before

    def wait_idle(self, window: MinistryWindow, timeout: int = 15_000) -> None:
        self.qtbot.waitUntil(lambda: not window.intake.running, timeout=timeout)


@pytest.fixture
def in_german() -> Iterator[None]:
    """The window in German, as the ministry's staff use it."""
    set_ui_language("de")
    yield
    set_ui_language("en")


def close_dialogs() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog | QMessageBox) and widget.isVisible():
            widget.close()


@pytest.fixture
def desk(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    state = Desk(qtbot, monkeypatch, tmp_path, tmp_path / "ministry", FixedClock(NOW))
    yield state
    state.files.stop()
    close_dialogs()
    for window in state.windows:
        window.close()
        window.runner.wait()
    for town in state.towns:
        town.ws.lock()
    flush_deletions()
    state.files.check()


def twin(desk: Desk, town: Town) -> Town:
    """A copy of ``town``'s vault as it is now: the same device, epoch and key.

    What a vault copied to a second laptop (instead of restored) does: both go on with the
    same sequence numbers, and their next bundles fork.
    """
    source = Path(town.ws.path)
    town.ws.lock()
    folder = desk.tmp / f"{town.out.parent.name}-twin"
    folder.mkdir()
    for item in source.parent.iterdir():
        if item.is_file() and item.name.startswith(source.name):
            shutil.copy2(item, folder / item.name)
    town.ws = Workspace.open(source, passphrase=PASSPHRASE, clock=desk.clock)
    copy = Workspace.open(folder / source.name, passphrase=PASSPHRASE, clock=desk.clock)
    out = folder / "stick"
    out.mkdir()
    other = Town(copy, town.ags, town.name, out)
    desk.towns.append(other)
    return other


# -- reading the window


def results(window: MinistryWindow) -> list[ResultRow]:
    return window.intake.model.rows()


def town_row(window: MinistryWindow, ags: str) -> TownRow:
    model = window.towns.model
    row: TownRow = model.index(model.row_index(ags), 0).data(RowRole.ROW)
    return row


def cell(window: MinistryWindow, ags: str, header: str) -> str:
    model = window.towns.model
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return str(model.index(model.row_index(ags), columns.index(header)).data())


def register_through_dialog(desk: Desk, window: MinistryWindow, town: Town) -> None:
    window.tabs.setCurrentWidget(window.towns)
    desk.click(window.towns.register_button)
    dialog = desk.wait_for(lambda: window.towns.register_dialog)
    desk.qtbot.keyClicks(dialog.name, town.name)
    desk.qtbot.keyClicks(dialog.ags, town.ags)
    desk.qtbot.keyClicks(dialog.key, town.key_line)
    desk.click(dialog.ok)
    desk.qtbot.waitUntil(lambda: window.towns.register_dialog is None)


def provision_through_tab(desk: Desk, window: MinistryWindow, town: Town) -> Path:
    """Make the provisioning file on the Distribute tab and install it in the town's app."""
    window.tabs.setCurrentWidget(window.distribute)
    target = desk.tmp / "KISI-ministry.provisioning"
    desk.answer_save(target)
    desk.click(window.distribute.provisioning.save_button)
    assert target.is_file(), window.distribute.provisioning.error_text("general")
    shown = window.distribute.provisioning.fingerprint.text()
    with desk.open() as ministry:
        assert ministry.root is not None
        root = ministry.root.public.base64()
    assert shown == fingerprint(root)
    town.install(target.read_bytes(), root)
    return target


def many_bundles(desk: Desk, town: Town, count: int, folder: Path) -> list[Path]:
    """``count`` bundles of registered ``town`` in ``folder``, each bundle 1 of a device.

    One real export, re-signed with the town's key for ``count`` devices (exporting 300
    times would take a minute): each is imported, as from 300 laptops of the town.
    """
    first = town.export("2025-10-01..2026-03-31").path.read_bytes()
    with desk.open() as ministry:
        members = read_zip(age.decrypt(first, ministry.identity), allowed=lambda _n: True,
                           what="bundle")  # fmt: skip
        recipient = ministry.recipient
    key = signer(town.ws)
    made = Signer(key.private, key.key_id, members, (recipient,))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        device = f"{number:016x}"
        manifest = dataclasses.replace(
            made.manifest, device_id=device, bundle_id=str(uuid.UUID(int=number + 1, version=4))
        ).encode()
        signature = made.sign(manifest, comment=made.comment(manifest, dev=device))
        path = folder / f"KISI_{town.ags}_{device}_000001_20261125.kisi"
        path.write_bytes(made.encrypt(made.signed_members(manifest, signature=signature)))
        paths.append(path)
    return paths


def signer_key_id(town: Town) -> str:
    return signer(town.ws).public.key_id_hex()
