"""The warning after an unlock that found records missing or changed behind the app's back.

It must be seen (a box, not an 8-second status line), say in plain German what was found,
what it means and what to do without a terminal, and keep the check's list for the helper.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from kisi_desktop.core.domain import Note
from kisi_desktop.core.store.audit import Findings
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.integrity_warning import OBJECT_NAME, integrity_text
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.qt_i18n import install_qt_translator

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


def _tampered_vault(tmp_path: Path) -> tuple[Path, Note, Note]:
    """A vault in which one note was rolled back to an older copy and one was deleted."""
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    day = ws.clock.now().date()
    rolled = ws.add(Note(written_on=day, text="erste Fassung"))
    deleted = ws.add(Note(written_on=day, text="Kitaplatz beantragt"))
    ws.add(Note(written_on=day, text="Sprachkurs begonnen"))
    conn = sqlite3.connect(path)
    old = conn.execute(
        "SELECT blob, version FROM record WHERE id = ?", (bytes.fromhex(rolled.id),)
    ).fetchone()
    conn.close()
    ws.update(dataclasses.replace(rolled, text="zweite Fassung"))
    ws.lock()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE record SET blob = ?, version = ? WHERE id = ?", (*old, _id(rolled)))
    conn.execute("DELETE FROM record WHERE id = ?", (_id(deleted),))
    conn.commit()
    conn.close()
    return path, rolled, deleted


def _id(note: Note) -> bytes:
    return bytes.fromhex(note.id)


def _unlocked(qtbot: QtBot, path: Path) -> MainWindow:
    window = build_main_window(path)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.session.checked, timeout=10_000):
        window.unlock_view.secret_edit.setText(PASS)
        qtbot.mouseClick(window.unlock_view.button, Qt.MouseButton.LeftButton)
    return window


def _box(window: MainWindow) -> QMessageBox:
    box = window.findChild(QMessageBox, OBJECT_NAME)
    assert box is not None, "no integrity warning"
    return box


@pytest.fixture
def qt_in_german() -> Iterator[None]:
    """Qt's own catalog in German before the window is built, as the app installs it."""
    app, locale = QApplication.instance(), QLocale()
    assert app is not None
    install_qt_translator(app, "de")
    yield
    install_qt_translator(app, "en")  # Qt's own texts back as the other tests expect
    QLocale.setDefault(locale)


def test_a_tampered_vault_is_said_in_a_box_with_what_to_do(
    qtbot: QtBot, tmp_path: Path, qt_in_german: None
) -> None:
    path, rolled, deleted = _tampered_vault(tmp_path)
    window = _unlocked(qtbot, path)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, OBJECT_NAME) is not None, timeout=3000)
    box = _box(window)
    assert box.isVisible() and box.windowModality() == Qt.WindowModality.WindowModal
    assert box.icon() == QMessageBox.Icon.Warning
    text, advice = box.text(), box.informativeText()
    assert "1 Datensatz fehlt in der Tresordatei." in text
    assert "1 Datensatz wurde verändert oder lässt sich nicht mehr öffnen." in text
    assert "außerhalb von KISI Desktop verändert" in text and "ältere Kopie" in text
    assert "Die betroffenen Datensätze werden nicht angezeigt." in text
    assert "Datei → Sicherung erstellen…" in advice and "Datenschutz" in advice
    for shown in (text, advice, box.windowTitle(), window.statusBar().currentMessage()):
        assert "kisi audit" not in shown and "`" not in shown and "--" not in shown
    # No names or note texts anywhere in the box; the ids only behind "Details".
    assert rolled.id not in text and "Fassung" not in text + box.detailedText()
    assert rolled.id in box.detailedText() and deleted.id in box.detailedText()
    details = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole]
    assert len(details) == 1 and details[0].text() == "Details einblenden..."  # (Qt's own)
    qtbot.mouseClick(details[0], Qt.MouseButton.LeftButton)
    # Closed, it is gone; the window goes on without the two records.
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, OBJECT_NAME) is None, timeout=3000)
    assert window.session.workspace is not None


def test_a_lock_closes_the_warning_and_the_next_unlock_says_it_again(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path, _rolled, _deleted = _tampered_vault(tmp_path)
    window = _unlocked(qtbot, path)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, OBJECT_NAME) is not None, timeout=3000)
    window.session.lock("manual")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, OBJECT_NAME) is None, timeout=3000)
    with qtbot.waitSignal(window.session.checked, timeout=10_000):
        window.unlock_view.secret_edit.setText(PASS)
        qtbot.mouseClick(window.unlock_view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, OBJECT_NAME) is not None, timeout=3000)
    assert len(window.findChildren(QMessageBox, OBJECT_NAME)) == 1


def test_the_counts_take_their_plural_forms() -> None:
    text = integrity_text(Findings(problems=("a",) * 6, missing=2, changed=3))
    assert "2 Datensätze fehlen in der Tresordatei." in text
    assert "3 Datensätze wurden verändert oder lassen sich nicht mehr öffnen." in text
    assert "1 Problem im Änderungsprotokoll oder in der Datei selbst." in text
    only_log = integrity_text(Findings(problems=("a", "b")))
    assert "fehlt" not in only_log and "verändert oder" not in only_log
    assert "nicht angezeigt" not in only_log  # no record left the window
    assert "2 Probleme im Änderungsprotokoll oder in der Datei selbst." in only_log


def test_the_box_waits_for_a_dialog_the_guide_is_typing_in(qtbot: QtBot, tmp_path: Path) -> None:
    """Opened over a dialog the guide types in, Enter would dismiss it unread: it waits."""
    path, _rolled, _deleted = _tampered_vault(tmp_path)
    window = _unlocked(qtbot, path)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, OBJECT_NAME) is not None, timeout=3000)
    window.findChild(QMessageBox, OBJECT_NAME).close()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, OBJECT_NAME) is None, timeout=3000)
    typing = QDialog(window)
    typing.open()
    window._show_integrity_box(window.session.workspace)  # (as when the check ends now)
    qtbot.wait(400)
    assert window.findChild(QMessageBox, OBJECT_NAME) is None
    typing.accept()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, OBJECT_NAME) is not None, timeout=3000)
