"""The main window as a guide meets it: built over a vault, shown, unlocked by typing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.registry import page_factories
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner


def unlocked_window(
    qtbot: QtBot, vault: Path, passphrase: str, timeout: int = 10_000
) -> MainWindow:
    """The wired window over ``vault``, shown, with ``passphrase`` typed into its unlock
    screen and Unlock clicked; returned once the records are open."""
    window = build_main_window(vault)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.unlock_view.secret_edit.setText(passphrase)
    qtbot.mouseClick(window.unlock_view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=timeout)
    return window


def shown_window_opening_with(
    qtbot: QtBot, vault: Path, open_workspace: Callable[..., Any]
) -> MainWindow:
    """The main window over ``vault``, shown on its unlock screen, whose session opens the
    vault with ``open_workspace`` (a snapshot for a small vault, a gate a test holds)."""
    runner = TaskRunner()
    session = Session(vault, runner, open_workspace=open_workspace)
    window = MainWindow(session, runner, page_factories())
    runner.setParent(window)
    session.setParent(window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
