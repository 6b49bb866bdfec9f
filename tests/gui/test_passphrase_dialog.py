"""Changing the passphrase in the window, and a new one right after a recovery-code unlock."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton

from kisi_desktop.core.domain import Draft
from kisi_desktop.core.errors import WrongSecret
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.passphrase_dialog import PassphraseDialog

pytestmark = pytest.mark.gui
OLD = "Lindenblüte 2026"
NEW = "Kastanienallee zwölf Fenster"


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "vault.kisi"
    ws, code = Workspace.create(path, OLD, kdf=TEST_PARAMS)
    ws.lock()
    return path, code


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    window = build_main_window(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _unlock(qtbot: QtBot, window: MainWindow, **secret: str) -> None:
    window.session.unlock(**secret)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)


def _dialog(window: MainWindow, *, ask_current: bool = True) -> PassphraseDialog:
    dialog = PassphraseDialog(
        window.session, window.runner, ask_current=ask_current, kdf=TEST_PARAMS, parent=window
    )
    dialog.open()
    return dialog


def _type_new(qtbot: QtBot, dialog: PassphraseDialog, new: str = NEW) -> None:
    dialog.fields.first.setText(new)  # (QTest types ASCII only)
    dialog.fields.second.setText(new)


def _unlocked_dialog(qtbot: QtBot, path: Path) -> tuple[MainWindow, PassphraseDialog]:
    window = _window(qtbot, path)
    _unlock(qtbot, window, passphrase=OLD)
    return window, _dialog(window)


def test_the_passphrase_is_changed_after_the_current_one_is_checked(
    qtbot: QtBot, made: tuple[Path, str]
) -> None:
    path, _code = made
    window, dialog = _unlocked_dialog(qtbot, path)
    _type_new(qtbot, dialog, "kurz")
    assert not dialog.change_button.isEnabled()  # too weak, the hint says why
    _type_new(qtbot, dialog)
    assert dialog.change_button.isEnabled()

    dialog.current.setText("falsch geraten")
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=10_000)
    assert dialog.current_error.text() == "Falsche Passphrase."
    assert dialog.isVisible()

    dialog.current.setText(OLD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    window.session.lock("manual")
    with pytest.raises(WrongSecret):
        Workspace.open(path, passphrase=OLD)
    Workspace.open(path, passphrase=NEW).lock()


def test_enter_changes_the_passphrase_after_the_focus_passed_cancel(
    qtbot: QtBot, made: tuple[Path, str]
) -> None:
    """As in the forms (keyboard QA pass): once Tab had passed Cancel, Qt made it the
    default button and Enter in a field cancelled the change."""
    path, _code = made
    window, dialog = _unlocked_dialog(qtbot, path)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    dialog.current.setText(OLD)
    _type_new(qtbot, dialog)
    cancel = dialog.findChild(QPushButton, "cancelButton")
    cancel.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(cancel, Qt.Key.Key_Tab)
    assert dialog.change_button.isDefault() and not cancel.isDefault()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    window.session.lock("manual")
    Workspace.open(path, passphrase=NEW).lock()


def test_after_a_recovery_code_unlock_a_new_passphrase_is_asked_for_at_once(
    qtbot: QtBot, made: tuple[Path, str]
) -> None:
    path, code = made
    window = _window(qtbot, path)
    _unlock(qtbot, window, recovery_code=code)
    qtbot.waitUntil(lambda: window.findChild(PassphraseDialog) is not None, timeout=3000)
    asked = window.findChild(PassphraseDialog)
    assert asked is not None and not asked.ask_current  # the guide does not know it
    assert not asked.current.isVisible()
    asked.reject()
    qtbot.waitUntil(lambda: window.findChild(PassphraseDialog) is None, timeout=3000)

    # Dismissed at first: the File menu's dialog does not ask for the forgotten one either.
    window.passphrase_action.trigger()
    dialog = window.findChild(PassphraseDialog)
    assert dialog is not None and not dialog.ask_current
    dialog._kdf = TEST_PARAMS  # (the real key derivation is for guides, not for tests)
    _type_new(qtbot, dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Die Passphrase wurde geändert."
    # From now on the passphrase just set is the one to confirm.
    qtbot.waitUntil(lambda: window.findChild(PassphraseDialog) is None, timeout=3000)
    window.passphrase_action.trigger()
    again = window.findChild(PassphraseDialog)
    assert again is not None and again.ask_current
    again.reject()
    window.session.lock("manual")
    Workspace.open(path, passphrase=NEW).lock()
    Workspace.open(path, recovery_code=code).lock()  # the recovery code stays valid


def test_a_lock_while_the_keys_are_derived_changes_nothing(
    qtbot: QtBot, made: tuple[Path, str]
) -> None:
    path, _code = made
    window, dialog = _unlocked_dialog(qtbot, path)
    _type_new(qtbot, dialog)
    dialog.current.setText(OLD)
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    window.session.lock("idle")
    assert not dialog.isVisible()
    assert dialog.fields.first.text() == "" and dialog.current.text() == ""
    window.runner.wait()
    Workspace.open(path, passphrase=OLD).lock()  # the old passphrase still opens it


def test_the_file_menu_offers_it_only_while_unlocked(qtbot: QtBot, made: tuple[Path, str]) -> None:
    path, _code = made
    window = _window(qtbot, path)
    assert not window.passphrase_action.isEnabled()
    assert window.passphrase_action in window.file_menu.actions()
    _unlock(qtbot, window, passphrase=OLD)
    assert window.passphrase_action.isEnabled()
    assert window.passphrase_action.text() == "Passphrase ä&ndern…"  # (Alt+P: the profile)


def test_after_a_recovery_code_unlock_the_next_lock_asks_for_the_passphrase_hidden(
    qtbot: QtBot, made: tuple[Path, str]
) -> None:
    """QA pass: the unlock screen stayed in recovery-code mode after a lock, and the new
    passphrase typed there stood on screen in plain view."""
    path, code = made
    window = _window(qtbot, path)
    view = window.unlock_view
    view.recovery.setChecked(True)
    view.secret_edit.setText(code)
    qtbot.mouseClick(view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    qtbot.waitUntil(lambda: window.findChild(PassphraseDialog) is not None, timeout=3000)
    window.findChild(PassphraseDialog).reject()
    window.session.lock("manual")
    assert not view.recovery.isChecked()
    assert view.secret_edit.echoMode() == QLineEdit.EchoMode.Password
    assert view.secret_edit.text() == "" and view.secret_label.text() == "&Passphrase:"


def test_after_a_recovery_code_unlock_the_waiting_forms_are_named_too(
    qtbot: QtBot, made: tuple[Path, str]
) -> None:
    path, code = made
    ws = Workspace.open(path, passphrase=OLD)
    ws.add(Draft(form="partner_form", record_kind="partner", values_json="{}"))
    ws.lock()
    window = _window(qtbot, path)
    _unlock(qtbot, window, recovery_code=code)
    qtbot.waitUntil(lambda: window.waiting.isVisible(), timeout=3000)
    assert list(window.waiting.buttons) == ["partners"]
    for dialog in window.findChildren(PassphraseDialog):
        dialog.reject()
