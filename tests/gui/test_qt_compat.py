"""The app survives the Qt binding's None and True reference leaks (ui/qt_compat.py)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from kisi_desktop.ui.qt_compat import keep_none_alive
if "fix" in sys.argv:
    keep_none_alive()
from PySide6.QtCore import QCoreApplication, QObject, Signal
class Probe(QObject):
    poked = Signal()
app = QCoreApplication([])
probe = Probe()
for _ in range(60_000):
    probe.setObjectName("x")
    probe.poked.emit()
    app.processEvents()
print("alive")
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=120
    )


def test_many_void_qt_calls_do_not_abort_the_app() -> None:
    done = _run("fix")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "alive"


def test_keep_none_alive_is_idempotent() -> None:
    from kisi_desktop.ui.qt_compat import keep_none_alive

    keep_none_alive()
    before = sys.getrefcount(None)
    keep_none_alive()
    assert abs(sys.getrefcount(None) - before) < 1000
    for flag in (True, False):
        before = sys.getrefcount(flag)
        keep_none_alive()
        assert abs(sys.getrefcount(flag) - before) < 1000
