"""The Sync page in the window at 1366x768: the side column whole, the ledger below it."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QRect

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.sync import SyncPage

from tests.gui.sync.conftest import Sync

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("size", [(1366, 768), (1350, 728)])  # the window's natural size
@pytest.mark.parametrize("language", ["de", "en"])
def test_this_device_box_is_whole_above_the_ledger(
    sync: Sync, app_fonts: None, language: str, size: tuple[int, int]
) -> None:
    """With the demo key's long texts, "Dieses Gerät" was cut in half (the side column
    scrolled) while the empty ledger below took 170 pixels."""
    set_ui_language(language)
    sync.keys.install(sync.ws, demo=True)
    window = MainWindow(sync.session, sync.runner, [SyncPage])
    sync.qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    sync.qtbot.waitExposed(window)
    window._on_unlocked()  # the session was unlocked before the window existed
    window.navigate("sync")
    page = window.page_list[0]
    assert isinstance(page, SyncPage)
    sync.qtbot.waitUntil(lambda: page.preview.payload is not None)
    assert page.provisioning.demo.isVisible()
    sync.qtbot.wait(50)  # let the layouts settle as the event loop would

    viewport = page.side.viewport()
    device = page.device
    shown = QRect(device.mapTo(viewport, device.rect().topLeft()), device.size())
    assert viewport.rect().contains(shown), (shown, viewport.rect())
    assert not page.side.verticalScrollBar().isVisible()
    # The ledger keeps its headings and a row.
    ledger = page.ledger_view
    assert ledger.isVisible() and ledger.height() >= ledger.minimumHeight() > 0
    assert ledger.viewport().height() >= ledger.verticalHeader().defaultSectionSize()
