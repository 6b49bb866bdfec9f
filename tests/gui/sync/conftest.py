"""The Sync page on a real demo vault, wired to a real Session as the main window wires it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytestqt.exceptions import TimeoutError as QtBotTimeout
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.receipts import Receipt, write_receipt
from kisi_desktop.handouts.catalog import shipped_folder

from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.sync import SyncPage
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner

from tests.support.modal import FileDialogAnswers
from tests.support.qt_tasks import flush_deletions
from tests.support.sync import NOW, PASSPHRASE, MinistryKeys, demo_workspace, named_in_file


@dataclass
class Sync:
    """A demo vault (120 people), a ministry's keys, a session, and the Sync page on them."""

    qtbot: QtBot
    session: Session
    runner: Any
    clock: FixedClock
    path: Path
    keys: MinistryKeys
    monkeypatch: pytest.MonkeyPatch
    files: FileDialogAnswers
    pages: list[SyncPage] = field(default_factory=list)

    @property
    def ws(self) -> Workspace:
        assert self.session.workspace is not None
        return self.session.workspace

    def page(self) -> SyncPage:
        context = PageContext(self.session, self.runner, navigate=lambda _k, _i: None)
        page = SyncPage(context)
        self.qtbot.addWidget(page)
        self.session.unlocked.connect(lambda: page.set_workspace(self.session.workspace))
        self.session.locked.connect(lambda _r: page.set_workspace(None))
        page.resize(1146, 660)
        page.show()
        self.qtbot.waitExposed(page)
        page.set_workspace(self.session.workspace)
        self.pages.append(page)
        if isinstance(self.runner, TaskRunner):  # (a held runner keeps the read until released)
            self.settled(page)
        return page

    def settled(self, page: SyncPage) -> None:
        """Wait for the preview, which is counted on a worker."""
        self.qtbot.waitUntil(lambda: not page.reader.busy, timeout=10_000)

    def unlock(self) -> None:
        self.session.unlock(passphrase=PASSPHRASE)
        self.qtbot.waitUntil(lambda: self.session.workspace is not None, timeout=10_000)

    # -- answering the file dialogs as the guide would (Qt's own dialogs, filled in)
    def answer_folder(self, folder: Path) -> None:
        self.files.folder(folder)

    def answer_open(self, path: Path) -> None:
        self.files.open(path)

    def answer_open_many(self, paths: list[Path]) -> None:
        self.files.open(*paths)

    def answer_save(self, path: Path) -> None:
        self.files.save(path)

    def click(self, button: QPushButton) -> None:
        # Export waits for the preview, which is counted on a worker after every change.
        try:
            self.qtbot.waitUntil(button.isEnabled, timeout=10_000)
        except QtBotTimeout:
            raise AssertionError(f"{button.text()} stays disabled") from None
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def wait_for(self, find: Callable[[], Any], timeout: int = 5000) -> Any:
        """Wait until ``find()`` returns something visible, and return it."""
        self.qtbot.waitUntil(lambda: find() is not None and find().isVisible(), timeout=timeout)
        return find()

    def provisioning_file(
        self, tmp: Path, name: str = "ministry.provisioning", **options: Any
    ) -> Path:
        path = tmp / name
        path.write_bytes(self.keys.provisioning_file(**options))
        return path

    def receipt(
        self,
        manifest_sha256: str,
        seq: int,
        *,
        status: str = "imported",
        keys: MinistryKeys | None = None,
        **fields: Any,
    ) -> bytes:
        # The town and device of the bundle named, as the ministry's receipts repeat them.
        ledger = self.session.workspace.list(BundleEntry) if self.session.workspace else []
        named = [named_in_file(e) for e in ledger if e.manifest_sha256 == manifest_sha256]
        ags, device_id = named[0] if named else ("06534011", None)
        receipt = Receipt(
            manifest_sha256=manifest_sha256,
            ags=fields.pop("ags", ags),
            device_id=fields.pop("device_id", device_id),
            epoch=fields.pop("epoch", 1),
            seq=seq,
            status=status,
            reason_code=fields.pop("reason_code", None),
            imported_at=fields.pop("imported_at", "2026-11-26T09:00:00Z"),
            intake_seq=fields.pop("intake_seq", 1),
            intake_chain_head=fields.pop("intake_chain_head", "ab" * 32),
            records=fields.pop("records", 36),
            message=fields.pop("message", ""),
        )
        signer = (keys or self.keys).receipt
        return write_receipt(receipt, signer.private, signer.key_id)


def close_dialogs() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog | QMessageBox) and widget.isVisible():
            widget.close()


@pytest.fixture
def sync(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sync]:
    monkeypatch.setenv("KISI_HANDOUTS", str(tmp_path / "no-user-folder"))
    path = tmp_path / "vault" / "vault.kisi"
    path.parent.mkdir()
    ws = demo_workspace(path)
    ws.lock()
    clock = FixedClock(NOW)
    runner = TaskRunner()

    def open_workspace(vault: Path, **kwargs: Any) -> Workspace:
        return Workspace.open(vault, clock=clock, **kwargs)

    session = Session(path, runner, open_workspace=open_workspace)
    files = FileDialogAnswers()
    state = Sync(qtbot, session, runner, clock, path, MinistryKeys(), monkeypatch, files)
    state.unlock()
    yield state
    files.stop()
    close_dialogs()
    session.lock()
    runner.wait()
    flush_deletions()
    files.check()


def pack_texts(folder: Path, greeting: str = "Herzlich willkommen") -> Path:
    """A small folder of handout texts (the shipped welcome topic, one heading changed)."""
    topic = folder / "welcome"
    topic.mkdir(parents=True)
    shipped = shipped_folder() / "welcome"
    shutil.copy(shipped / "topic.toml", topic / "topic.toml")
    shutil.copy(shipped / "ar.md", topic / "ar.md")
    german = (shipped / "de.md").read_text("utf-8")
    (topic / "de.md").write_text(german.replace("## Herzlich willkommen", f"## {greeting}"))
    return folder
