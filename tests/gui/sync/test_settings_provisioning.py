"""The settings dialog imports the ministry's provisioning file too, while a vault is open."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.provisioning import current_provisioning, fingerprint

from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.sync import SyncPage
from kisi_desktop.ui.pages.sync.provisioning_box import ProvisioningBox
from kisi_desktop.ui.settings_dialog import SettingsDialog, open_settings

from tests.gui.sync.conftest import Sync
from tests.support.clipping import clipped

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_ui_language("en")
    yield


@pytest.fixture
def window(sync: Sync, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("KISI_CONFIG_DIR", str(tmp_path / "config"))
    win = MainWindow(sync.session, sync.runner, [SyncPage])
    sync.qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    sync.qtbot.waitExposed(win)
    win._on_unlocked()  # the session was unlocked before the window existed
    return win


def test_import_from_the_settings_dialog_refreshes_the_sync_page(
    sync: Sync, window: MainWindow, tmp_path: Path
) -> None:
    page = window.page_list[0]
    assert isinstance(page, SyncPage)
    assert page.provisioning.doc is None
    dialog = open_settings(window, tmp_path / "settings.json")
    sync.qtbot.waitExposed(dialog)
    box = dialog.provisioning
    assert isinstance(box, ProvisioningBox) and box.isVisible()
    assert "Not installed yet" in box.state.text()
    # Tab reaches the import between the lock time and OK, not after Cancel.
    chain, widget = [], dialog.language
    for _step in range(60):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(dialog):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert chain.index(dialog.idle) < chain.index(box.import_button) < chain.index(ok)
    sync.answer_open(sync.provisioning_file(tmp_path))
    sync.click(box.import_button)
    question = sync.wait_for(lambda: box.fingerprint_dialog)
    sync.qtbot.keyClicks(question.entry, fingerprint(sync.keys.root.line))
    sync.click(question.buttons.button(QDialogButtonBox.StandardButton.Ok))
    sync.wait_for(lambda: box.message).close()
    assert current_provisioning(sync.ws) is not None
    assert "Version 1" in box.state.text()
    assert page.provisioning.doc is not None  # the Sync page knows at once
    sync.settled(page)  # and counts its preview again
    assert page.export_button.isEnabled()
    dialog.reject()


def test_locking_clears_the_box_and_a_locked_dialog_has_none(
    sync: Sync, window: MainWindow, tmp_path: Path
) -> None:
    sync.keys.install(sync.ws)
    dialog = open_settings(window, tmp_path / "settings.json")
    box = dialog.provisioning
    assert isinstance(box, ProvisioningBox)
    assert fingerprint(sync.keys.root.line) in box.key.text()
    sync.session.lock()
    assert box.key.text() == "" and not box.import_button.isEnabled()
    dialog.reject()
    locked = open_settings(window, tmp_path / "settings.json")
    assert locked.provisioning is None
    locked.reject()


@pytest.mark.parametrize("language", ["de", "en"])
def test_settings_dialog_screenshot(
    sync: Sync, window: MainWindow, tmp_path: Path, language: str
) -> None:
    register_fonts()
    set_ui_language(language)
    out = Path(os.environ.get("KISI_SHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    sync.keys.install(sync.ws, participation_rows=True)
    dialog = open_settings(window, tmp_path / "settings.json")
    sync.qtbot.waitExposed(dialog)
    assert isinstance(dialog, SettingsDialog)
    sync.qtbot.wait(50)
    assert dialog.grab().save(str(out / f"settings_provisioning_{language}.png"))
    assert clipped(dialog) == []
    dialog.reject()
