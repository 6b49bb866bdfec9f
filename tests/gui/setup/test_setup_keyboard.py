"""The first-run wizard by keyboard only, as a guide who rarely reaches for the mouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kisi_desktop.ui.restore_dialog import RestoreDialog
from kisi_desktop.ui.setup_wizard import SetupWizard

from tests.support.wizards import wizard_for

pytestmark = pytest.mark.gui


@pytest.fixture
def wizard(qtbot: QtBot, tmp_path: Path) -> Iterator[SetupWizard]:
    with wizard_for(qtbot, tmp_path / "vault.kisi") as wiz:
        yield wiz


def _press(qtbot: QtBot, key: Qt.Key) -> None:
    """A key pressed where the keyboard focus is, as the guide presses it."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key)


def test_enter_on_the_welcome_page_goes_on_instead_of_opening_the_restore(
    qtbot: QtBot, wizard: SetupWizard
) -> None:
    assert wizard.currentPage() is wizard.welcome_page
    _press(qtbot, Qt.Key.Key_Return)
    assert wizard.findChildren(RestoreDialog) == []
    assert wizard.currentPage() is wizard.passphrase_page
    assert QApplication.focusWidget() is wizard.passphrase_page.first
