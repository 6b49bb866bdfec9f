"""Office pages on a real vault, wired to a real Session as the main window wires them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.office_page import OfficePage
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner

PASS = "Lindenblüte 2026"
NOW = datetime(2026, 3, 18, 9, 30, tzinfo=UTC)
AGS = "06534011"
P = TypeVar("P")


@dataclass
class Office:
    """A vault with a municipality profile, a session, and the pages built on it."""

    qtbot: QtBot
    session: Session
    runner: TaskRunner
    clock: FixedClock
    path: Path
    navigated: list[tuple[str, str | None]] = field(default_factory=list)
    pages: list[Any] = field(default_factory=list)

    @property
    def ws(self) -> Workspace:
        assert self.session.workspace is not None
        return self.session.workspace

    def context(self) -> PageContext:
        return PageContext(
            self.session, self.runner, navigate=lambda k, i: self.navigated.append((k, i))
        )

    def page(self, cls: Callable[[PageContext], P]) -> P:
        page = cls(self.context())
        self.qtbot.addWidget(page)  # type: ignore[arg-type]
        self.session.unlocked.connect(lambda: page.set_workspace(self.session.workspace))  # type: ignore[attr-defined]
        self.session.locked.connect(lambda _r: page.set_workspace(None))  # type: ignore[attr-defined]
        if self.session.workspace is not None:
            page.set_workspace(self.session.workspace)  # type: ignore[attr-defined]
        page.resize(1100, 700)  # type: ignore[attr-defined]
        page.show()  # type: ignore[attr-defined]
        self.qtbot.waitExposed(page)  # type: ignore[arg-type]
        self.pages.append(page)
        return page

    def activate(self, page: Any) -> None:
        """Make the page's window the active one (window shortcuts such as Ctrl+N need it)."""
        page.activateWindow()
        self.qtbot.waitUntil(lambda: page.isActiveWindow(), timeout=2000)

    def unlock(self) -> None:
        self.session.unlock(passphrase=PASS)
        self.qtbot.waitUntil(lambda: self.session.workspace is not None, timeout=10_000)

    def dialog(self, page: OfficePage) -> RecordDialog:
        self.qtbot.waitUntil(lambda: bool(page.dialogs), timeout=2000)
        dialog = page.dialogs[-1]
        self.qtbot.waitExposed(dialog)
        return dialog

    def save(self, dialog: RecordDialog) -> None:
        self.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    def confirm(self, page: OfficePage, yes: bool = True) -> None:
        self.qtbot.waitUntil(lambda: page.confirm_box is not None, timeout=2000)
        box = page.confirm_box
        assert isinstance(box, QMessageBox)
        button = box.findChild(QPushButton, "confirmYes" if yes else "confirmNo")
        assert button is not None
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def office(qtbot: QtBot, tmp_path: Path) -> Iterator[Office]:
    clock = FixedClock(NOW)
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, clock=clock)
    ws.add(Municipality(ags=AGS, name="Kirchhain"))
    ws.lock()
    runner = TaskRunner()

    def open_workspace(vault: Path, **kwargs: Any) -> Workspace:
        return Workspace.open(vault, clock=clock, **kwargs)

    session = Session(path, runner, open_workspace=open_workspace)
    office = Office(qtbot, session, runner, clock, path)
    office.unlock()
    yield office
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, RecordDialog | QMessageBox):
            widget.close()
    session.lock()
    runner.wait()
