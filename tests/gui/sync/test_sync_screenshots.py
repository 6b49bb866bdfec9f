"""The Sync page and its dialogs at 1366x768, in German and English, for people to look at.

The images land in ``KISI_SHOT_DIR`` when set, else in a temporary folder. The test fails if
a visible button or one-line label is narrower than its text, or the page widens the window.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.provisioning import fingerprint
from kisi_desktop.bundles.receipts import apply_receipt

from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.sync import SyncPage
from kisi_desktop.ui.pages.sync.fingerprint_dialog import FingerprintDialog

from tests.gui.sync.conftest import Sync
from tests.support.clipping import clipped

pytestmark = pytest.mark.gui


def _history(sync: Sync, tmp_path: Path) -> None:
    """Three bundles: the first confirmed, the second refused (gap), the third waiting."""
    stick = tmp_path / "stick"
    stick.mkdir()
    for period in ("2025-10-01..2025-12-31", "2026-01-01..2026-03-31", "2026-04-01..2026-06-30"):
        export_bundle(sync.ws, stick, period=period)
        sync.clock.advance(days=1)
    entries = sorted(sync.ws.list(BundleEntry), key=lambda e: e.seq)
    apply_receipt(sync.ws, sync.receipt(entries[0].manifest_sha256, 1))
    apply_receipt(
        sync.ws,
        sync.receipt(entries[1].manifest_sha256, 2, status="rejected", reason_code="gap"),
    )
    sync.clock.advance(days=20)  # the third waits for its receipt for three weeks


@pytest.mark.parametrize("language", ["de", "en"])
def test_sync_page_at_1366x768(sync: Sync, tmp_path: Path, language: str) -> None:
    register_fonts()
    set_ui_language(language)
    out = Path(os.environ.get("KISI_SHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    sync.keys.install(sync.ws, participation_rows=True)
    _history(sync, tmp_path)
    window = MainWindow(sync.session, sync.runner, [SyncPage])
    sync.qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    sync.qtbot.waitExposed(window)
    window._on_unlocked()  # the session was unlocked before the window existed
    window.navigate("sync")
    page = window.page_list[0]
    assert isinstance(page, SyncPage)
    sync.qtbot.waitUntil(lambda: page.preview.payload is not None)
    sync.qtbot.wait(50)  # let the layouts settle as the event loop would
    assert window.grab().save(str(out / f"sync_page_{language}.png"))
    problems = clipped(page)
    if window.width() > 1366 or window.height() > 768:
        problems.append(f"the page widens the window to {window.width()}x{window.height()}")
    assert problems == []
    assert page.ledger_model.rowCount() == 3
    assert page.banner.isVisible()

    # The first provisioning of another ministry key: the fingerprint question.
    dialog = FingerprintDialog(fingerprint(sync.keys.root.line), window)
    sync.qtbot.addWidget(dialog)
    dialog.show()
    sync.qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(out / f"sync_fingerprint_{language}.png"))
    assert clipped(dialog) == []
    dialog.close()

    # This device's public key, to send to the ministry.
    key_dialog = page.device.show_key()
    assert key_dialog is not None
    sync.qtbot.waitExposed(key_dialog)
    sync.qtbot.wait(50)
    assert key_dialog.grab().save(str(out / f"sync_public_key_{language}.png"))
    assert clipped(key_dialog) == []
    key_dialog.close()


@pytest.mark.parametrize("language", ["de", "en"])
def test_receipt_results_and_demo_at_1366x768(sync: Sync, tmp_path: Path, language: str) -> None:
    register_fonts()
    set_ui_language(language)
    out = Path(os.environ.get("KISI_SHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    sync.keys.install(sync.ws, demo=True)
    page = sync.page()
    page.resize(1146, 660)
    stick = tmp_path / "stick"
    stick.mkdir()
    export_bundle(sync.ws, stick)
    page.refresh()
    entry = sync.ws.list(BundleEntry)[0]
    good = tmp_path / "KISI_06534011_bundle_000001.receipt"
    good.write_bytes(sync.receipt(entry.manifest_sha256, 1))
    cut = tmp_path / "broken.receipt"
    cut.write_bytes(good.read_bytes()[:-9])
    sync.answer_open_many([good, cut])
    sync.click(page.receipts_button)
    dialog = sync.wait_for(lambda: page.results_dialog)
    sync.qtbot.wait(50)
    assert dialog.grab().save(str(out / f"sync_receipts_{language}.png"))
    assert clipped(dialog) == []
    dialog.close()
    assert page.provisioning.demo.isVisible()
    assert page.grab().save(str(out / f"sync_page_demo_{language}.png"))
    assert clipped(page) == []
