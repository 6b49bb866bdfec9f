"""Reads on a worker: only the newest answer is shown, and no copy of the records lingers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QWidget

from kisi_desktop.core.domain import Person
from kisi_desktop.core.errors import VaultLocked
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.pages.background_read import PAINT_WAIT_MS, BackgroundRead
from kisi_desktop.ui.workers import TaskRunner

from tests.support.qt_tasks import HeldRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace, _code = Workspace.create(
        tmp_path / "vault.kisi", "Lindenblüte 2026", kdf=TEST_PARAMS
    )
    workspace.add(Person(name="Amira Haddad"))
    yield workspace
    if not workspace.locked:
        workspace.lock()


class Seen:
    """What a read saw and what reached the page."""

    def __init__(self) -> None:
        self.copies: list[Workspace] = []
        self.answers: list[int] = []
        self.errors: list[BaseException] = []

    def count(self, copy: Workspace) -> int:
        self.copies.append(copy)
        return copy.count(Person)

    def fail(self, copy: Workspace) -> int:
        self.copies.append(copy)
        raise ValueError("a bug in the counting")


def _held_reader() -> tuple[HeldRunner, BackgroundRead, Seen]:
    """A reader whose reads wait for ``release()``, and what they saw."""
    held = HeldRunner()
    return held, BackgroundRead(held), Seen()  # type: ignore[arg-type]


def test_the_answer_arrives_and_the_copy_is_closed_after_it(qtbot: QtBot, ws: Workspace) -> None:
    runner = TaskRunner()
    reader = BackgroundRead(runner)
    seen = Seen()
    with qtbot.waitSignal(reader.busy_changed) as began:
        reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    assert began.args == [True] and reader.busy
    qtbot.waitUntil(lambda: not reader.busy, timeout=10_000)
    assert seen.answers == [1] and seen.errors == []
    assert seen.copies[0] is not ws and seen.copies[0].locked
    # A failing read: the error reaches the page, and the copy is closed all the same.
    reader.start(ws, seen.fail, seen.answers.append, seen.errors.append)
    qtbot.waitUntil(lambda: not reader.busy, timeout=10_000)
    assert [type(e) for e in seen.errors] == [ValueError]
    assert seen.copies[1].locked
    runner.wait()


def test_a_newer_read_drops_the_older_answer_and_its_copy(qtbot: QtBot, ws: Workspace) -> None:
    held, reader, seen = _held_reader()
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    qtbot.waitUntil(lambda: bool(held.held))  # the first read is on the worker
    ws.add(Person(name="Yonas Tesfaye"))
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    held.release()  # the older read: its copy was discarded, so it stops at its first query
    assert seen.answers == [] and seen.errors == [] and reader.busy
    assert seen.copies[0].locked
    with pytest.raises(VaultLocked):
        seen.copies[0].count(Person)
    held.release()
    assert seen.answers == [2] and not reader.busy


def test_a_read_replaced_before_it_reached_the_worker_never_runs(
    qtbot: QtBot, ws: Workspace
) -> None:
    held, reader, seen = _held_reader()
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    ws.add(Person(name="Yonas Tesfaye"))
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    held.release()
    qtbot.wait(20)
    assert held.held == [] and len(seen.copies) == 1
    assert seen.answers == [2] and not reader.busy


def test_a_lock_drops_the_answer_and_the_copy_of_the_read_under_way(
    qtbot: QtBot, ws: Workspace
) -> None:
    held, reader, seen = _held_reader()
    busy: list[bool] = []
    reader.busy_changed.connect(busy.append)
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    qtbot.waitUntil(lambda: bool(held.held))
    reader.abandon()  # the session locked
    assert busy == [True, False] and not reader.busy
    held.release()
    assert seen.answers == [] and seen.errors == []
    assert seen.copies[0].locked


def test_a_read_that_cannot_begin_says_so_and_drops_the_older_one(
    qtbot: QtBot, ws: Workspace
) -> None:
    held, reader, seen = _held_reader()
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    qtbot.waitUntil(lambda: bool(held.held))
    ws.lock()  # no copy can be taken now
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    assert [type(e) for e in seen.errors] == [VaultLocked] and not reader.busy
    held.release()  # the older read answered an older question: dropped, copy closed
    assert seen.answers == [] and seen.copies[0].locked


def _page(qtbot: QtBot) -> QWidget:
    page = QWidget()
    qtbot.addWidget(page)
    page.resize(400, 300)
    return page


def test_a_page_being_opened_paints_before_its_copy_is_taken(qtbot: QtBot, ws: Workspace) -> None:
    # Taking the copy holds the window for a while: the guide should see the page first.
    page = _page(qtbot)
    held = HeldRunner()
    reader = BackgroundRead(held, page)  # type: ignore[arg-type]
    seen = Seen()
    painted: list[int] = []
    page.paintEvent = lambda _event: painted.append(len(held.held))  # type: ignore[method-assign]
    page.show()
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    assert reader.busy and held.held == []  # nothing begun yet: the page paints first
    ws.add(Person(name="Yonas Tesfaye"))
    held.release()
    assert painted and painted[0] == 0
    assert seen.answers == [2] and not reader.busy


def test_a_page_already_shown_begins_its_read_at_once(qtbot: QtBot, ws: Workspace) -> None:
    page = _page(qtbot)
    page.show()
    qtbot.waitExposed(page)
    qtbot.wait(20)  # painted
    held = HeldRunner()
    reader = BackgroundRead(held, page)  # type: ignore[arg-type]
    seen = Seen()
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    qtbot.wait(1)  # one turn of the event loop, far less than PAINT_WAIT_MS
    assert len(held.held) == 1  # on the worker without waiting for a paint
    # The copy is taken there, at its first read: a save before that is in it.
    ws.add(Person(name="Yonas Tesfaye"))
    held.release()
    assert seen.answers == [2]


def test_a_page_that_never_paints_still_gets_its_answer(qtbot: QtBot, ws: Workspace) -> None:
    page = _page(qtbot)
    page.setUpdatesEnabled(False)  # (as a window that is shown but never painted)
    page.show()
    reader = BackgroundRead(TaskRunner(), page)
    seen = Seen()
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    qtbot.waitUntil(lambda: not reader.busy, timeout=5_000)
    assert seen.answers == [1]


def test_a_lock_while_the_page_paints_drops_the_read_before_any_copy(
    qtbot: QtBot, ws: Workspace
) -> None:
    page = _page(qtbot)
    held = HeldRunner()
    reader = BackgroundRead(held, page)  # type: ignore[arg-type]
    seen = Seen()
    page.show()
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    reader.abandon()
    ws.lock()
    qtbot.wait(PAINT_WAIT_MS + 50)
    assert held.held == [] and seen.copies == [] and seen.errors == []
    assert not reader.busy
