"""Every page of the main window at 1366x768, in German and English, with demo data.

The images land in ``KISI_SHOT_DIR`` when set (for people to look at), else in a temporary
folder. The test fails if a page shows a visible button or one-line label that is narrower
than its own text (the clipped-German-label problem).
"""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.fonts import register_fonts

from tests.support.clipping import clipped

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_renders_without_clipped_labels(
    qtbot: QtBot, tmp_path: Path, language: str
) -> None:
    register_fonts()
    set_ui_language(language)
    out = Path(os.environ.get("KISI_SHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    vault = tmp_path / "vault.kisi"
    clock = FixedClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    ws, _code = Workspace.create(vault, PASS, kdf=TEST_PARAMS, clock=clock)
    generate(ws, 60, random.Random(3), clock)
    ws.lock()
    window = build_main_window(vault, demo=True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.grab().save(str(out / f"window_unlock_{language}.png"))
    window.session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    problems = {}
    for index, slot in enumerate(window.page_list):
        window.nav.setCurrentRow(index)
        page = window.page(slot.key)  # built by being shown
        qtbot.wait(30)
        reader = getattr(page, "reader", None)  # pages that count on a worker
        if reader is not None:
            qtbot.waitUntil(lambda r=reader: not r.busy, timeout=10_000)
            qtbot.wait(50)  # the answer's texts are laid out on the next turns of the loop
        if page.key == "handouts":  # the PDF is made in the background, and QtPdf draws
            qtbot.waitUntil(lambda p=page: p.shown is not None, timeout=10_000)
            qtbot.wait(300)  # its pages on threads of its own, with no signal when done
        shot = out / f"window_{page.key}_{language}.png"
        assert window.grab().save(str(shot))
        assert shot.stat().st_size > 10_000
        cut = clipped(page)
        if window.width() > 1366 or window.height() > 768:
            cut.append(f"the page widens the window to {window.width()}x{window.height()}")
        if cut:
            problems[page.key] = cut
    assert problems == {}
    window.session.lock("manual")
