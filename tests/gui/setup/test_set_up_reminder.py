"""A set-up left before its end: the window reminds of the missing profile and the
unchecked recovery code at every unlock, and goes there in one click, until both are done."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from kisi_desktop.core.settings import load_settings
from kisi_desktop.core.vault.kdf import TEST_PARAMS

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.recovery_code_wizard import NewRecoveryCodeWizard
from kisi_desktop.ui.setup_wizard import SetupWizard
from kisi_desktop.ui.workers import TaskRunner

from tests.support.qt_tasks import flush_deletions

pytestmark = pytest.mark.gui
GOOD = "Tr0mpete-Gieskanne-77"
LEFT = Qt.MouseButton.LeftButton


def _set_up_left_on_the_recovery_page(qtbot: QtBot, vault: Path) -> bytes:
    """The wizard up to the recovery code, then Cancel and "Yes"; the vault's id."""
    runner = TaskRunner()
    wizard = SetupWizard(vault, runner, kdf=TEST_PARAMS)
    wizard.confirm_cancel = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.passphrase_page.first.setText(GOOD)
    wizard.passphrase_page.second.setText(GOOD)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), LEFT)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
    workspace = wizard.workspace
    assert workspace is not None
    vault_id = workspace.vault_id
    wizard.reject()
    runner.wait()
    flush_deletions()
    return vault_id


def _unlocked(qtbot: QtBot, vault: Path) -> MainWindow:
    window = build_main_window(vault)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.session.unlock(passphrase=GOOD)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    return window


def _shown_reminder(qtbot: QtBot, window: MainWindow) -> str:
    qtbot.waitUntil(
        lambda: window.set_up_reminder is not None and window.set_up_reminder.isVisible()
    )
    assert window.set_up_reminder is not None
    return window.set_up_reminder.message.text()


def test_an_unfinished_set_up_is_named_after_unlock_until_both_are_done(
    qtbot: QtBot, tmp_path: Path
) -> None:
    vault = tmp_path / "data" / "vault.kisi"
    vault_id = _set_up_left_on_the_recovery_page(qtbot, vault)
    assert vault_id.hex() in load_settings().unchecked_recovery

    window = _unlocked(qtbot, vault)
    text = _shown_reminder(qtbot, window)
    assert "Profil der Kommune fehlt" in text and "nie geprüft" in text
    reminder = window.set_up_reminder
    assert reminder is not None
    assert reminder.profile_button.isVisible() and reminder.recovery_button.isVisible()

    # One click to a new recovery code; typed back and stored, the code part goes.
    qtbot.mouseClick(reminder.recovery_button, LEFT)
    wizard = window.findChild(NewRecoveryCodeWizard)
    assert isinstance(wizard, NewRecoveryCodeWizard) and wizard.isVisible()
    wizard.check_page.passphrase.setText(GOOD)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
    for edit, group in zip(
        wizard.recovery_page.group_edits, wizard.recovery_page.expected(), strict=True
    ):
        edit.setText(group)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), LEFT)
    assert vault_id.hex() not in load_settings().unchecked_recovery
    assert reminder.isVisible() and not reminder.recovery_button.isVisible()
    assert "nie geprüft" not in reminder.message.text()

    # One click to the profile form; once saved, the line goes.
    qtbot.mouseClick(reminder.profile_button, LEFT)
    dialog = window.findChild(RecordDialog)
    assert isinstance(dialog, RecordDialog) and dialog.isVisible()
    dialog.form.editors["ags"].widget.setText("06534011")  # type: ignore[attr-defined]
    dialog.form.editors["name"].widget.setText("Kirchhain")  # type: ignore[attr-defined]
    dialog.accept()
    qtbot.waitUntil(lambda: not reminder.isVisible())
    assert "Kirchhain" in window.windowTitle()

    # And it stays gone after the next unlock.
    window.session.lock()
    qtbot.waitUntil(lambda: window.session.workspace is None, timeout=10_000)
    window.session.unlock(passphrase=GOOD)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    qtbot.wait(50)
    assert not reminder.isVisible()
    window.session.lock()


def test_a_vault_with_its_profile_and_a_checked_code_shows_no_line(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from tests.support.app_process import town_vault_with_a_note

    vault = town_vault_with_a_note(tmp_path, GOOD)
    window = _unlocked(qtbot, vault)
    qtbot.wait(50)
    assert window.set_up_reminder is None  # not even made
    window.session.lock()


def test_an_empty_vault_offers_the_profile_once_and_names_it_as_its_form_does(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """An empty vault without a profile: one offer (the line above the pages, which says
    why), not a second one in the Overview's first steps; both name the profile as the
    File menu and its form do."""
    from PySide6.QtWidgets import QPushButton

    from kisi_desktop.core.workspace import Workspace

    from kisi_desktop.ui.pages.overview_page import OverviewPage

    vault = tmp_path / "vault.kisi"
    Workspace.create(vault, GOOD, kdf=TEST_PARAMS)[0].lock()
    window = _unlocked(qtbot, vault)
    text = _shown_reminder(qtbot, window)
    overview = window.page("overview")
    assert isinstance(overview, OverviewPage)
    qtbot.waitUntil(lambda: overview.first_steps.isVisible())
    offers = [
        button
        for button in window.findChildren(QPushButton)
        if button.isVisible() and "Profil" in button.text()
    ]
    assert [button.text() for button in offers] == ["Profil eintragen…"]
    assert "Profil der Kommune fehlt" in text
    assert "Profil" not in overview.first_steps_text.text()
    qtbot.mouseClick(offers[0], LEFT)
    dialog = window.findChild(RecordDialog)
    assert isinstance(dialog, RecordDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "Profil der Kommune"
    dialog.form.editors["ags"].set("06534011")
    dialog.form.editors["name"].set("Kirchhain")
    dialog.save_button.click()
    reminder = window.set_up_reminder
    assert reminder is not None
    qtbot.waitUntil(lambda: not reminder.isVisible())
    assert overview.first_steps.isVisible()  # (still no one in the vault)
    window.session.lock("manual")
