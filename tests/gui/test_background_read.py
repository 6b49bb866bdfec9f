"""Reads on a worker: only the newest answer is shown, and no copy of the records lingers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kisi_desktop.core.domain import Person
from kisi_desktop.core.errors import VaultLocked
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.pages.background_read import BackgroundRead
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


def test_a_newer_read_drops_the_older_answer_and_its_copy(ws: Workspace) -> None:
    held = HeldRunner()
    reader = BackgroundRead(held)  # type: ignore[arg-type]  # holds each read until release()
    seen = Seen()
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    ws.add(Person(name="Yonas Tesfaye"))
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    held.release()  # the older read: its copy was discarded, so it stops at its first query
    assert seen.answers == [] and seen.errors == [] and reader.busy
    assert seen.copies[0].locked
    with pytest.raises(VaultLocked):
        seen.copies[0].count(Person)
    held.release()
    assert seen.answers == [2] and not reader.busy


def test_a_lock_drops_the_answer_and_the_copy_of_the_read_under_way(ws: Workspace) -> None:
    held = HeldRunner()
    reader = BackgroundRead(held)  # type: ignore[arg-type]
    seen = Seen()
    busy: list[bool] = []
    reader.busy_changed.connect(busy.append)
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    reader.abandon()  # the session locked
    assert busy == [True, False] and not reader.busy
    held.release()
    assert seen.answers == [] and seen.errors == []
    assert seen.copies[0].locked


def test_a_read_that_cannot_begin_says_so_and_drops_the_older_one(ws: Workspace) -> None:
    held = HeldRunner()
    reader = BackgroundRead(held)  # type: ignore[arg-type]
    seen = Seen()
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    ws.lock()  # no copy can be taken now
    reader.start(ws, seen.count, seen.answers.append, seen.errors.append)
    assert [type(e) for e in seen.errors] == [VaultLocked] and not reader.busy
    held.release()  # the older read answered an older question: dropped, copy closed
    assert seen.answers == [] and seen.copies[0].locked
