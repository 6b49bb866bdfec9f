"""The window asks about an older copy of the vault file put back in place of the newer
one (core/older_copy.py): lock, and put the newer file back, or go on with this one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from kisi_desktop.core.domain import Municipality, Person
from kisi_desktop.core.older_copy import Marks
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


def _older_copy_put_back(folder: Path) -> Path:
    path = folder / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    ws.lock()
    Workspace.open(path, passphrase=PASS, marks=Marks.for_user()).lock()
    shutil.copy2(path, folder / "older.kisi")
    ws = Workspace.open(path, passphrase=PASS, marks=Marks.for_user())
    ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    ws.lock()
    shutil.copy2(folder / "older.kisi", path)
    return path


def _unlock(qtbot: QtBot, window: MainWindow) -> None:
    window.unlock_view.secret_edit.setText(PASS)
    qtbot.mouseClick(window.unlock_view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)


def _box(window: MainWindow) -> QMessageBox | None:
    box = window.findChild(QMessageBox, "olderCopy")
    return box if box is not None and box.isVisible() else None


@pytest.fixture
def asked(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    """The window unlocked on an older copy put back, its question open."""
    monkeypatch.setenv("KISI_STATE_DIR", str(tmp_path / "state"))
    vault = _older_copy_put_back(tmp_path)
    window = build_main_window(vault)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: _box(window) is not None, timeout=3000)
    return window


def test_an_older_copy_is_asked_about_until_the_guide_goes_on_with_it(
    qtbot: QtBot, asked: MainWindow
) -> None:
    window = asked
    box = _box(window)
    assert box is not None
    assert box.windowTitle() == "Ältere Kopie des Tresors"
    assert box.text().startswith("Diese Tresordatei ist älter als die, die auf diesem Computer")
    lock = box.findChild(QPushButton, "olderCopyLock")
    go_on = box.findChild(QPushButton, "olderCopyGoOn")
    assert (lock.text(), go_on.text()) == ("Tresor &sperren", "Mit dieser Datei &weiterarbeiten")
    assert box.defaultButton() is lock  # Enter does not take the step that cannot be undone
    if os.environ.get("KISI_SHOT_DIR"):
        box.grab().save(str(Path(os.environ["KISI_SHOT_DIR"]) / "older_copy_de.png"))

    # Esc locks; nothing was marked, so the next unlock asks again.
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.session.workspace is None, timeout=3000)
    assert window.stack.currentWidget() is window.unlock_view
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: _box(window) is not None, timeout=3000)

    # Going on: a new series for the ministry, said in the status bar, and asked no more.
    box = _box(window)
    assert box is not None
    qtbot.mouseClick(box.findChild(QPushButton, "olderCopyGoOn"), Qt.MouseButton.LeftButton)
    ws = window.session.workspace
    assert ws is not None and ws.older_copy is None
    assert window.statusBar().currentMessage() == (
        "Es geht mit dieser Datei weiter: Das nächste Bündel beginnt eine neue Reihe."
    )
    window.session.lock("manual")
    assert window.session.wait_closed(10)
    _unlock(qtbot, window)
    qtbot.wait(300)
    assert _box(window) is None


def test_an_unanswered_question_goes_with_an_idle_lock_and_comes_back(
    qtbot: QtBot, asked: MainWindow
) -> None:
    window = asked
    window.session.lock("idle")
    assert _box(window) is None
    assert window.session.wait_closed(10)
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: _box(window) is not None, timeout=3000)
