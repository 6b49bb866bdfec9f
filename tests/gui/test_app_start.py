"""The start the ``kisi-desktop`` command makes, in a process of its own (as a guide gets it).

The other GUI tests build the window inside pytest's QApplication; this one runs
``kisi_desktop.ui.app.start`` in a fresh interpreter, as the command and the start-up
benchmark do.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.app_process import app_environment, town_vault

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"

CHILD = """
import gc, json, sys
from kisi_desktop.ui.app import start
from PySide6.QtCore import Qt, QTimer

app, window = start(["--vault", sys.argv[1]])
seen = {"gc_automatic": gc.isenabled()}
seen["native_dialogs"] = not app.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)

def unlocked():
    seen["title"] = window.windowTitle()
    seen["page"] = window.current_page().key
    window.session.lock("manual")
    seen["locked_page"] = window.stack.currentWidget() is window.unlock_view
    print(json.dumps(seen), flush=True)
    app.quit()

window.session.unlocked.connect(unlocked)
def failed(message):
    print(json.dumps({"failed": message}), flush=True)
    app.quit()

window.session.unlock_failed.connect(failed)
QTimer.singleShot(60_000, lambda: app.exit(3))
sys.exit(app.exec())
"""


def test_the_command_start_unlocks_with_the_passphrase_from_the_environment(
    tmp_path: Path,
) -> None:
    path = town_vault(tmp_path, PASS)
    env = app_environment(tmp_path, PASS)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        # The UI thread collects cycles on a timer (ui/gc_guard.py), never a worker.
        "gc_automatic": False,
        # Qt's own file dialogs: in the app's language, closed at a lock, and no desktop
        # recent-files list that would keep an export's name (ui/app.py).
        "native_dialogs": False,
        "title": "KISI Desktop – Kirchhain",
        "page": "overview",
        "locked_page": True,
    }
