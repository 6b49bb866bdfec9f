"""Shared test set-up: headless Qt, fail on WARNING logs, German UI at the start of each test."""

from __future__ import annotations

import atexit
import gc
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before anything can import Qt: widgets render offscreen, no display needed (TECH-NOTES.md).
# (E402 does not apply: ruff accepts os.environ changes above imports.)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, settings

from kisi_desktop.core.i18n import DEFAULT_LANGUAGE, set_ui_language

from kisi_desktop.ui.qt_compat import keep_none_alive

from tests.support.modal import FileDialogAnswers
from tests.support.offscreen import offscreen_platform

# Property tests judge what the code does with each input, not how fast inputs come: with
# pytest-xdist on two cores beside GUI tests, Hypothesis's timing checks (too_slow, the
# 200 ms deadline) failed clean runs now and then, about nothing a user would notice.
settings.register_profile("kisi", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kisi")

# PySide6 6.12.0 leaks a reference to None per void call; see kisi_desktop/ui/qt_compat.py.
keep_none_alive()

# Nothing a test does may land in the home folder of whoever runs it (Qt's file dialog
# keeps its folder history in ~/.config/QtProject.conf; settings, the demo vault, logs):
# every process of the run gets folders of its own, removed when it ends. (Paths are
# looked up when used, so setting them before the first test is early enough.)
_HOME = tempfile.mkdtemp(prefix="kisi-test-home-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = os.path.join(_HOME, _name.lower())
# Nor may the desktop's D-Bus reach in: its screen lock would lock the windows under test
# (ui/desktop_lock.py). A test that needs a bus starts one of its own.
for _name in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS"):
    os.environ[_name] = "unix:path=" + os.path.join(_HOME, "no-bus")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # A full-HD desktop instead of the offscreen default of 800x800, which the window
    # would shrink to fit (ui/window_size.py): windows open at 1366x768 as on a
    # guide's laptop. Read when the QApplication starts, after this.
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(_HOME)

# As in the app (kisi_desktop/ui/gc_guard.py): Python's cycle collector must never run on a
# worker thread, where freeing a cycle that holds Qt widgets (left over from an earlier
# test) crashes the process. Tests collect on the main thread after each test instead.
gc.disable()


@pytest.fixture(autouse=True)
def collect_cycles_on_the_main_thread() -> Iterator[None]:
    """Free the test's reference cycles here, on the main thread."""
    yield
    gc.collect()


class _RecordWarnings(logging.Handler):
    """Keep every WARNING-or-worse record logged while one test runs."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_log_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail any test during which something logged a WARNING or worse (STYLE.md rule 8).

    A test that provokes a warning on purpose marks itself ``allow_log_warnings`` and checks
    the record with ``caplog``.
    """
    handler = _RecordWarnings()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("allow_log_warnings") is None:
        lines = "\n".join(f"  {r.levelname} {r.name}: {r.getMessage()}" for r in handler.records)
        pytest.fail(f"the test logged warnings or errors:\n{lines}", pytrace=False)


@pytest.fixture(autouse=True)
def german_ui() -> Iterator[None]:
    """Start every test in the default UI language and restore it afterwards."""
    set_ui_language(DEFAULT_LANGUAGE)
    yield
    set_ui_language(DEFAULT_LANGUAGE)


@pytest.fixture
def file_dialogs(qapp: object) -> Iterator[FileDialogAnswers]:
    """Answers the app's file dialogs through Qt's own dialog (see tests/support/modal.py);
    a dialog nobody expected, or one left stuck, fails the test."""
    answers = FileDialogAnswers()
    yield answers
    answers.stop()
    answers.check()


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A settings folder of the test's own (KISI_CONFIG_DIR), not the process's: what one
    test leaves in the settings (a list's sort, the language) must not change another."""
    folder = tmp_path / "config"
    monkeypatch.setenv("KISI_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def app_fonts(qapp: object) -> Iterator[None]:
    """The app's bundled fonts (Noto Sans) as the window has them, Qt's default font after.

    For layouts judged to the pixel: Qt's narrowest table column and every wrapped text
    follow the font, and the default offscreen font is narrower than the app's.
    """
    from PySide6.QtGui import QFont, QGuiApplication

    from kisi_desktop.ui.fonts import UI_FAMILY, register_fonts

    before = QGuiApplication.font()
    register_fonts()
    yield
    QGuiApplication.setFont(before)
    QFont.removeSubstitutions(UI_FAMILY)
