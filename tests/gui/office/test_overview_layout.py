"""The Overview in the window at its natural size: no outer scroll bar; the follow-up list
takes the height left and scrolls by itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QScrollArea

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import FollowUp, Person
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.deferred import DeferredPage
from kisi_desktop.ui.pages.overview_page import OverviewPage
from kisi_desktop.ui.pages.registry import page_factories
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner

from tests.support.sync import NOW, PASSPHRASE, demo_workspace

pytestmark = pytest.mark.gui


@pytest.fixture
def demo_session(tmp_path: Path) -> Iterator[tuple[Session, TaskRunner]]:
    """The demo's data (120 people, up to 25 November 2026) with a backlog of follow-ups
    as the full demo has (26 due), locked, in a session."""
    path = tmp_path / "vault.kisi"
    ws = demo_workspace(path)
    people = ws.list(Person)[:20]
    ws.save(
        [
            FollowUp(person_id=p.id, due_on=date(2026, 11, 1) + timedelta(days=i), text="Anrufen")
            for i, p in enumerate(people)
        ]
    )
    ws.lock()
    clock = FixedClock(NOW)
    runner = TaskRunner()

    def open_workspace(vault: Path, **kwargs: Any) -> Workspace:
        return Workspace.open(vault, clock=clock, **kwargs)

    session = Session(path, runner, open_workspace=open_workspace)
    yield session, runner
    session.lock("manual")
    runner.wait()


# 1366x768 less the window's frame; the same with a 40-pixel taskbar (ui/window_size.py).
@pytest.mark.parametrize("size", [(1350, 728), (1350, 688)])
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_overview_fits_the_window_without_an_outer_scroll_bar(
    qtbot: QtBot,
    demo_session: tuple[Session, TaskRunner],
    app_fonts: None,
    language: str,
    size: tuple[int, int],
) -> None:
    set_ui_language(language)
    session, runner = demo_session
    overview = next(spec for spec in page_factories() if spec.key == "overview")
    window = MainWindow(session, runner, [overview])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.resize(*size)
    session.unlock(passphrase=PASSPHRASE)
    qtbot.waitUntil(lambda: session.workspace is not None, timeout=20_000)
    slot = window.page_list[0]
    assert isinstance(slot, DeferredPage)
    page = slot.page
    assert isinstance(page, OverviewPage)
    qtbot.waitUntil(lambda: not page.reader.busy, timeout=10_000)
    qtbot.waitUntil(page.deletion.isVisible, timeout=5000)  # the tallest the page gets
    qtbot.wait(50)  # the layouts settle

    outer = slot.findChild(QScrollArea, "overviewScroll")
    assert outer is not None
    assert outer.verticalScrollBar().maximum() == 0  # no outer scroll bar
    due = page.due_view
    shown = QRect(due.mapTo(outer.viewport(), due.rect().topLeft()), due.size())
    assert outer.viewport().rect().contains(shown)
    assert due.model().rowCount() > 10  # more than there is room for: the list scrolls
    assert due.verticalScrollBar().isVisible()
    assert due.height() >= due.minimumHeight() > 0
