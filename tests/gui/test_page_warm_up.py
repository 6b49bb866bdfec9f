"""The pages' widget code is imported while the guide types the passphrase, between the key
presses, so that a page's first opening after the unlock does not import it then."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QTimer

from kisi_desktop.ui.pages.warm_up import PageCodeWarmUp

from tests.support.app_process import app_environment, town_vault_with_a_note

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


def test_one_page_per_turn_and_none_after_enter(qtbot: QtBot) -> None:
    events: list[str] = []
    unlocking = False

    def load(name: str) -> None:
        nonlocal unlocking
        events.append(name)
        time.sleep(0.01)  # (a page's module takes a while)
        unlocking = name == "reports"  # the guide pressed Enter meanwhile

    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(lambda: events.append("beat") if events[-1:] != ["beat"] else None)
    heart.start()
    warm_up = PageCodeWarmUp(
        [lambda n=n: load(n) for n in ("people", "activities", "reports", "sync")],
        until=lambda: unlocking,
    )
    events.append("beat")
    warm_up.start()
    qtbot.wait(600)
    heart.stop()
    pages = [e for e in events if e != "beat"]
    assert pages == ["people", "activities", "reports"]  # not Sync: Enter came first
    # The window's own events were handled between any two pages (the guide's keys).
    assert "beat" in events[events.index("people") : events.index("activities")]
    assert "beat" in events[events.index("activities") : events.index("reports")]
    assert not warm_up.done


WAITING_CHILD = """
import gc, json, sys, time
gc.disable()
from kisi_desktop.ui.qt_compat import keep_none_alive
keep_none_alive()
from kisi_desktop.ui.app import start
from kisi_desktop.ui.pages.deferred import DeferredPage
from kisi_desktop.ui.pages.registry import PAGES
from PySide6.QtCore import QTimer
app, window = start(["--vault", sys.argv[1]])
modules = ["kisi_desktop.ui.pages." + spec.module for spec in PAGES]
began = time.monotonic()

def look():
    if all(m in sys.modules for m in modules) or time.monotonic() - began > 60:
        built = [p.key for p in window.page_list if isinstance(p, DeferredPage) and p.built]
        print(json.dumps({"missing": [m for m in modules if m not in sys.modules],
                          "built": built, "locked": window.session.workspace is None}))
        app.quit()
    else:
        QTimer.singleShot(100, look)

QTimer.singleShot(100, look)
app.exec()
window.session.shutdown()
"""


def test_the_unlock_screen_imports_every_page_without_building_one(tmp_path: Path) -> None:
    vault = town_vault_with_a_note(tmp_path, PASS)
    env = app_environment(tmp_path, PASS)
    env.pop("KISI_PASSPHRASE")  # the unlock screen waits for the guide to type
    done = subprocess.run(
        [sys.executable, "-c", WAITING_CHILD, str(vault)],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"missing": [], "built": ["overview"], "locked": True}
