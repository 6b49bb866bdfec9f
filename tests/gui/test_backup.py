"""File → Make a backup… in the window: folder, progress, answer, reminder; the file restores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from kisi_desktop.core.backup_files import backups_in
from kisi_desktop.core.domain import Note, Person
from kisi_desktop.core.restore import restore_backup
from kisi_desktop.core.settings import Settings, load_settings, save_settings
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.backup_writer import REMIND_AFTER_DAYS, backup_reminder
from kisi_desktop.ui.main_window import MainWindow

from tests.support.app_process import town_vault_with_a_note
from tests.support.modal import FileDialogAnswers

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / "laptop").mkdir()
    return town_vault_with_a_note(tmp_path / "laptop", PASS)


@pytest.fixture
def window(qtbot: QtBot, vault: Path, config_dir: Path) -> Iterator[MainWindow]:
    window = build_main_window(vault)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.session.shutdown()


def _unlock(qtbot: QtBot, window: MainWindow) -> None:
    window.unlock_view.secret_edit.setText(PASS)
    qtbot.keyClick(window.unlock_view.secret_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)


def _answer(qtbot: QtBot) -> QMessageBox:
    found: list[QMessageBox] = []

    def shown() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "backupMessage" and w.isVisible()
        ]
        return bool(found)

    qtbot.waitUntil(shown, timeout=10_000)
    return found[0]


def test_a_backup_from_the_file_menu_lands_on_the_stick_and_restores(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    config_dir: Path,
    file_dialogs: FileDialogAnswers,
) -> None:
    _unlock(qtbot, window)
    assert window.backup_action in window.file_menu.actions()
    assert window.backup_action.text() == "Si&cherung erstellen…"
    stick = tmp_path / "stick"
    stick.mkdir()
    file_dialogs.folder(stick)
    window.backup_action.trigger()
    answer = _answer(qtbot)
    [made] = backups_in(stick)
    assert str(made.path) in answer.text()
    assert "Passphrase von heute oder dem Wiederherstellungscode" in answer.text()
    assert answer.icon() == QMessageBox.Icon.Information
    # The progress bar is gone (closed at once; deleted when the event loop gets to it).
    assert window.backups.progress is None
    assert not any(d.isVisible() for d in window.findChildren(QProgressDialog, "backupProgress"))
    answer.accept()
    # Remembered: the next backup starts in this folder, and the reminder keeps quiet.
    saved = load_settings()
    assert (saved.backup_folder, saved.last_backup_day()) == (str(stick), date.today())
    restored = restore_backup(made.path, tmp_path / "new" / "vault.kisi", passphrase=PASS)
    ws = Workspace.open(restored.path, passphrase=PASS)
    assert [p.name for p in ws.list(Person)] == ["Amina Haidari"]
    assert [n.text for n in ws.list(Note)] == ["Kitaplatz beantragt"]
    ws.lock()


def test_a_folder_that_cannot_take_the_backup_is_named_in_a_warning(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    _unlock(qtbot, window)
    not_a_folder = tmp_path / "stick-file"
    not_a_folder.write_text("x", encoding="utf-8")
    window.backups.write(not_a_folder / "KISI")
    answer = _answer(qtbot)
    assert answer.icon() == QMessageBox.Icon.Warning
    assert "konnte nicht in" in answer.text() and "stick-file" in answer.text()
    assert not window.backups.running
    answer.accept()
    assert load_settings().last_backup == ""


def test_the_window_reminds_after_a_month_without_a_backup(
    qtbot: QtBot, window: MainWindow, config_dir: Path
) -> None:
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: "noch keine Sicherung erstellt" in window.statusBar().currentMessage())
    window.session.lock("manual")
    window.session.wait_closed(30)
    save_settings(Settings(last_backup=(date.today() - timedelta(days=40)).isoformat()))
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: "ist 40 Tage" in window.statusBar().currentMessage())
    window.session.lock("manual")
    window.session.wait_closed(30)
    save_settings(Settings(last_backup=(date.today() - timedelta(days=3)).isoformat()))
    window.statusBar().clearMessage()
    _unlock(qtbot, window)
    qtbot.wait(50)
    assert "Sicherung" not in window.statusBar().currentMessage()


def test_saving_the_settings_dialog_keeps_the_backup_folder(
    qtbot: QtBot, window: MainWindow, config_dir: Path
) -> None:
    from kisi_desktop.ui.settings_dialog import open_settings

    save_settings(Settings(backup_folder="/media/guide/STICK", last_backup="2026-11-02"))
    dialog = open_settings(window)
    dialog.idle.setValue(20)
    dialog.accept()
    saved = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["idle_lock_minutes"] == 20
    assert (saved["backup_folder"], saved["last_backup"]) == ("/media/guide/STICK", "2026-11-02")


def test_the_reminder_comes_after_thirty_days_not_before() -> None:
    today = date(2026, 11, 26)
    assert backup_reminder(None, today) is not None
    assert backup_reminder(today - timedelta(days=REMIND_AFTER_DAYS - 1), today) is None
    late = backup_reminder(today - timedelta(days=REMIND_AFTER_DAYS), today)
    assert late is not None and f"{REMIND_AFTER_DAYS} Tage" in late


def test_a_backup_made_when_reminded_replaces_the_reminder_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """QA: the guide follows the reminder at once; with the answer closed, the status bar
    still said that no backup had been made on this computer yet."""
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: "noch keine Sicherung erstellt" in window.statusBar().currentMessage())
    stick = tmp_path / "stick"
    stick.mkdir()
    window.backups.write(stick)
    _answer(qtbot).accept()
    [made] = backups_in(stick)
    assert window.statusBar().currentMessage() == f"Sicherung geschrieben: {made.path}"
