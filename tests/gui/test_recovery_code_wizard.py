"""A new recovery code from the File menu: the passphrase first, the code shown once and
checked, stored only at Finish (a lock or Cancel before leaves the old code valid)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWizard

from kisi_desktop.core.errors import WrongSecret
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.recovery_code_wizard import NewRecoveryCodeWizard

from tests.support.vaults import stored_slot

pytestmark = pytest.mark.gui
PASSPHRASE = "Lindenblüte 2026"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "vault.kisi"
    ws, code = Workspace.create(path, PASSPHRASE, kdf=TEST_PARAMS)
    ws.lock()
    window = build_main_window(path)
    window.old_code = code  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.session.unlock(passphrase=PASSPHRASE)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    return window


def _opens(path: Path, code: str) -> bool:
    try:
        Workspace.open(path, recovery_code=code).lock()
    except WrongSecret:
        return False
    return True


def _to_code_page(qtbot: QtBot, wizard: NewRecoveryCodeWizard, passphrase: str) -> None:
    wizard.check_page.passphrase.setText(passphrase)  # (QTest types ASCII only)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.check_page.busy.isVisible(), timeout=10_000)


def _lost_box(window: MainWindow) -> QMessageBox | None:
    boxes = [b for b in window.findChildren(QMessageBox)
             if b.isVisible() and "nicht gespeichert" in b.windowTitle()]  # fmt: skip
    return boxes[0] if boxes else None


def _type_back(wizard: NewRecoveryCodeWizard) -> None:
    for edit, group in zip(wizard.recovery_page.group_edits, wizard.recovery_page.expected(),
                           strict=True):  # fmt: skip
        edit.setText(group)


def test_a_new_code_replaces_the_old_one_at_finish(qtbot: QtBot, window: MainWindow) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    before = stored_slot(path)
    window.recovery_action.trigger()
    wizard = window.findChild(NewRecoveryCodeWizard)
    assert isinstance(wizard, NewRecoveryCodeWizard)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # nothing typed yet

    _to_code_page(qtbot, wizard, "falsch geraten")
    assert wizard.currentPage() is wizard.check_page
    assert wizard.check_page.error.text() == "Falsche Passphrase."

    _to_code_page(qtbot, wizard, PASSPHRASE)
    assert wizard.currentPage() is wizard.recovery_page
    new = wizard.recovery_page.code.text()
    assert new and new != old
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()  # the two groups are typed back first
    assert stored_slot(path) == before  # shown, not stored yet
    _type_back(wizard)
    assert finish.isEnabled()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert wizard.replaced and not wizard.isVisible()
    assert wizard.recovery_page.code.text() == ""  # off the screen
    window.session.lock()
    qtbot.waitUntil(lambda: window.session.workspace is None, timeout=10_000)
    assert _opens(path, new) and not _opens(path, old)


def test_esc_asks_and_a_lock_on_the_code_page_keeps_the_old_code(
    qtbot: QtBot, window: MainWindow
) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    wizard = window.new_recovery_code()
    assert isinstance(wizard, NewRecoveryCodeWizard)
    _to_code_page(qtbot, wizard, PASSPHRASE)
    shown = wizard.recovery_page.code.text()
    # Esc asks first (the code may be printed already); No is the default and keeps it.
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    question = wizard.discard_question
    assert isinstance(question, QMessageBox) and question.isVisible()
    assert question.defaultButton() is question.button(QMessageBox.StandardButton.No)
    question.button(QMessageBox.StandardButton.No).click()
    assert wizard.isVisible() and wizard.recovery_page.code.text() == shown
    # A lock takes the code and every dialog over it (here: the print dialog) away.
    printing = QDialog(wizard)
    printing.open()
    replaced: list[bool] = []
    wizard.finished.connect(lambda _r: replaced.append(wizard.replaced))
    window.session.lock()
    qtbot.waitUntil(lambda: window.session.workspace is None, timeout=10_000)
    assert replaced == [False] and not printing.isVisible()
    assert _opens(path, old) and not _opens(path, shown)
    # After the next unlock the guide is told that a sheet with the new code opens nothing.
    window.session.unlock(passphrase=PASSPHRASE)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    qtbot.waitUntil(lambda: _lost_box(window) is not None, timeout=3000)
    assert "Vernichten Sie" in _lost_box(window).text()
    _lost_box(window).accept()  # (read: a box left open would stand in the next test's way)
