"""Settings: language and auto-lock time apply at once (menus, Qt's own dialogs) and are saved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QLabel, QMessageBox

from kisi_desktop.core.i18n import set_ui_language, ui_language

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.qt_i18n import install_qt_translator, installed_qt_translator
from kisi_desktop.ui.settings_dialog import SettingsDialog

from tests.support.qt_tasks import flush_deletions

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, config_dir: Path) -> Iterator[MainWindow]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_qt_translator(app, "de")  # as app.main() does for the default language
    win = build_main_window(tmp_path / "vault.kisi")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    install_qt_translator(app, "en")  # leave Qt untranslated for the next test
    flush_deletions()


def _choose(qtbot: QtBot, win: MainWindow, language: str, minutes: int) -> None:
    """Open the dialog from the File menu action, pick values, press OK."""
    win.settings_action.trigger()
    dialog = win.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.language.setCurrentIndex(dialog.language.findData(language))
    dialog.idle.setValue(minutes)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.findChild(SettingsDialog) is None)


def _standard_buttons() -> tuple[str, str]:
    box = QMessageBox(QMessageBox.Icon.Question, "KISI", "?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    texts = (
        box.button(QMessageBox.StandardButton.Yes).text(),
        box.button(QMessageBox.StandardButton.Cancel).text(),
    )
    box.deleteLater()
    return texts


def test_settings_action_is_in_the_file_menu_with_its_shortcut(window: MainWindow) -> None:
    assert window.settings_action in window.file_menu.actions()
    assert window.settings_action.text() == "&Einstellungen…"
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    assert window.settings_action.isEnabled()  # also on the unlock screen


def test_switching_language_applies_at_once_and_is_saved(
    qtbot: QtBot, window: MainWindow, config_dir: Path
) -> None:
    assert window.file_menu.title() == "&Datei"
    assert window.help_menu.title() == "&Hilfe"
    assert _standard_buttons() == ("&Ja", "Abbrechen")
    window.statusBar().showMessage("Auf diesem Computer wurde noch keine Sicherung erstellt.")

    _choose(qtbot, window, "en", 3)
    assert ui_language() == "en"
    assert window.statusBar().currentMessage() == ""  # (no German left standing)
    assert window.file_menu.title() == "&File"
    assert window.help_menu.title() == "&Help"
    assert window.settings_action.text() == "&Settings…"
    assert window.unlock_view.heading.text() == "Unlock the vault"
    assert _standard_buttons() == ("&Yes", "Cancel")
    assert window.session.idle_seconds == 180
    assert QLocale().monthName(3) == "March"  # Qt's calendars follow the UI language
    saved = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved == {
        "language": "en",
        "idle_lock_minutes": 3,
        "backup_folder": "",
        "last_backup": "",
        "unchecked_recovery": [],
        "list_sorts": [],
    }

    _choose(qtbot, window, "de", 240)
    assert window.file_menu.title() == "&Datei"
    assert QLocale().monthName(3) == "März"
    assert _standard_buttons() == ("&Ja", "Abbrechen")
    assert window.session.idle_seconds == 240 * 60
    saved = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved == {
        "language": "de",
        "idle_lock_minutes": 240,
        "backup_folder": "",
        "last_backup": "",
        "unchecked_recovery": [],
        "list_sorts": [],
    }


def test_cancel_changes_nothing(qtbot: QtBot, window: MainWindow, config_dir: Path) -> None:
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    assert dialog.language.currentText() == "Deutsch"
    assert dialog.idle.value() == 10
    assert dialog.idle.suffix() == " Min."
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert (ok.text(), cancel.text()) == ("OK", "Abbrechen")  # Qt's own catalog
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert ui_language() == "de"
    assert window.file_menu.title() == "&Datei"
    assert not (config_dir / "settings.json").exists()


def test_idle_minutes_are_kept_in_range(qtbot: QtBot, window: MainWindow) -> None:
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    assert (dialog.idle.minimum(), dialog.idle.maximum()) == (1, 240)
    dialog.idle.clear()
    qtbot.keyClicks(dialog.idle, "999")
    assert dialog.settings().idle_lock_minutes <= 240
    dialog.reject()


def test_qt_translator_is_replaced_not_stacked(qapp: QApplication) -> None:
    app = qapp
    first = install_qt_translator(app, "de")
    second = install_qt_translator(app, "de")
    assert first is not None and second is not None
    assert installed_qt_translator(app) is second
    assert install_qt_translator(app, "en") is None
    assert installed_qt_translator(app) is None


def test_about_shows_version_and_vault(qtbot: QtBot, window: MainWindow) -> None:
    assert window.about_action in window.help_menu.actions()
    window.about_action.trigger()
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "Über KISI Desktop"
    text = box.text()
    assert "KISI Desktop 0." in text
    assert str(window.session.vault_path) in text
    assert "LGPL" in text
    box.accept()


@pytest.mark.parametrize("language", ["de", "en"])
def test_each_underlined_letter_in_the_dialog_does_one_thing(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    """In English "&Language" and "&Lock after" shared Alt+L: it only moved between the two."""
    set_ui_language(language)
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
    letters = [m for m in (_mnemonic(t) for t in texts) if m is not None]
    assert sorted({m for m in letters if letters.count(m) > 1}) == []
    # The time's own letter takes the focus there from the language, in one press.
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.language.setFocus()
    letter = _mnemonic(dialog.idle_label.text())
    assert letter is not None
    qtbot.keyClick(dialog, letter, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.idle
    dialog.reject()


def _mnemonic(text: str) -> str | None:
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].casefold() if at >= 0 else None
