"""``--demo`` on first use: the demo vault is made on a worker behind a progress dialog."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from kisi_desktop.core.demo.vault import DEMO_PASSPHRASE, ensure_demo_vault
from kisi_desktop.core.domain import Person
from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.demo_progress import DemoProgressDialog, build_demo_vault
from kisi_desktop.ui.workers import TaskRunner

from tests.support.qt_tasks import flush_deletions

pytestmark = pytest.mark.gui

small_demo = functools.partial(ensure_demo_vault, people=250, kdf=TEST_PARAMS)


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    flush_deletions()


def test_demo_vault_is_made_off_the_ui_thread_with_progress(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: TaskRunner
) -> None:
    seen: list[tuple[int, int, int]] = []
    workers: list[bool] = []
    original = DemoProgressDialog.show_progress

    def record(self: DemoProgressDialog, done: int, total: int) -> None:
        app = QApplication.instance()
        assert app is not None
        seen.append((done, total, int(self.isVisible())))
        workers.append(QThread.currentThread() is app.thread())
        original(self, done, total)

    def make(path: Path, **kwargs: Any) -> bool:
        app = QApplication.instance()
        assert app is not None
        workers.append(QThread.currentThread() is not app.thread())  # the worker side
        return small_demo(path, **kwargs)

    monkeypatch.setattr(DemoProgressDialog, "show_progress", record)
    path = tmp_path / "demo" / "demo.kisi"
    assert build_demo_vault(path, runner, make=make) is True
    assert all(workers)  # generator on a worker, progress shown on the UI thread
    assert [(d, t) for d, t, _shown in seen] == [(100, 250), (200, 250), (250, 250)]
    assert all(shown for *_x, shown in seen)
    workspace = Workspace.open(path, passphrase=DEMO_PASSPHRASE)
    try:
        assert workspace.count(Person) == 250
    finally:
        workspace.lock()
    # Second start: nothing to do, no dialog.
    assert build_demo_vault(path, runner, make=make) is False


def test_the_dialog_cannot_be_cancelled_half_way(qtbot: QtBot) -> None:
    dialog = DemoProgressDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    assert dialog.isVisible()
    dialog.finish()
    assert not dialog.isVisible()


def test_a_failure_reaches_the_caller_on_the_ui_thread(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner
) -> None:
    def broken(path: Path, **kwargs: Any) -> bool:
        raise KisiError("disk full")

    with pytest.raises(KisiError, match="disk full"):
        build_demo_vault(tmp_path / "demo.kisi", runner, make=broken)
