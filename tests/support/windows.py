"""The main window as a guide meets it: built over a vault, shown, unlocked by typing."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.main_window import MainWindow


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
