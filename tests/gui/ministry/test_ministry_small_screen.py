"""The ministry window on a full-HD screen at 150 % (1280x720 to lay out in), and at 200 %.

It opened at 1366x768 whatever the screen, so on the most common office laptop its status
bar and the bottom of every tab lay below the screen's edge. A process of its own, since
a screen is fixed when Qt starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kisi_desktop.ministry.keys import init_ministry

from tests.support.offscreen import offscreen_platform

pytestmark = pytest.mark.gui

OPEN = """
import gc, json, sys
gc.disable()
from kisi_desktop.ui.qt_compat import keep_none_alive
keep_none_alive()
from pathlib import Path
from PySide6.QtWidgets import QApplication
from kisi_desktop.ministry.keys import load_ministry
from kisi_desktop.ui.ministry.window import build_ministry_window
from tests.support.clipping import clipped

app = QApplication([])
window = build_ministry_window(load_ministry(Path(sys.argv[1])))
window.show()
free = app.primaryScreen().availableGeometry()
clips = []
for index in range(window.tabs.count()):
    window.tabs.setCurrentIndex(index)
    app.processEvents()
    clips += clipped(window.tabs.currentWidget())
print(json.dumps({"free": [free.width(), free.height()],
                  "window": [window.frameGeometry().width(), window.frameGeometry().height()],
                  "clipped": clips}))
window.close()
"""


@pytest.mark.parametrize(
    ("screen", "scale", "free"),
    [((1920, 1080), "1.5", [1280, 720]), ((2732, 1536), "2", [1366, 768])],
)
def test_the_window_opens_within_the_screen(
    tmp_path: Path, screen: tuple[int, int], scale: str, free: list[int]
) -> None:
    init_ministry(tmp_path / "ministry").close()
    env = {
        "QT_QPA_PLATFORM": offscreen_platform(tmp_path, *screen),
        "QT_SCALE_FACTOR": scale,
        "PYTHONPATH": str(Path(__file__).parents[3]),
    }
    done = subprocess.run(
        [sys.executable, "-c", OPEN, str(tmp_path / "ministry")],
        env={**{k: v for k, v in os.environ.items() if not k.startswith("QT_")}, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["free"] == free
    width, height = shown["window"]
    assert width <= free[0] and height <= free[1], shown
    assert shown["clipped"] == []
