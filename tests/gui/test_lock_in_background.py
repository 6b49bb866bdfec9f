"""Locking clears the window at once; the snapshot is written on a thread meanwhile.

With 10,000 people the snapshot took the window 0.45-0.65 s to write after a morning's
work, all of it frozen. These tests hold the lock's thread at a gate, so what the guide
sees while it writes can be checked, and let it go on.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kisi_desktop.core.domain import Note
from kisi_desktop.core.errors import VaultLocked
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Closing, Workspace

from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.registry import page_factories
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


def _snapshot_seq(path: Path) -> int | None:
    conn = sqlite3.connect(path)
    row = conn.execute("SELECT audit_seq FROM snapshot").fetchone()
    conn.close()
    return row[0] if row else None


def _audit_seq(path: Path) -> int:
    conn = sqlite3.connect(path)
    row = conn.execute("SELECT audit_seq FROM vault_meta").fetchone()
    conn.close()
    return int(row[0])


class Gate:
    """Holds every lock's snapshot writing until :meth:`open` (the real writing follows)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._event = threading.Event()
        self.reached = threading.Event()
        finish = Closing.finish

        def held(closing: Closing) -> None:
            self.reached.set()
            self._event.wait(20)
            finish(closing)

        monkeypatch.setattr(Closing, "finish", held)

    def open(self) -> None:
        self._event.set()


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    ws.save([Note(written_on=ws.clock.now().date(), text=f"Notiz {i}") for i in range(30)])
    ws.lock()
    runner = TaskRunner()
    # A snapshot from the first record on, as a vault of 2,000 records and more keeps one.
    opener = functools.partial(Workspace.open, snapshot_min_records=1)
    session = Session(path, runner, open_workspace=opener)
    window = MainWindow(session, runner, page_factories())
    runner.setParent(window)
    session.setParent(window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    _unlock(qtbot, window)
    yield window
    window.session.shutdown()


def _unlock(qtbot: QtBot, window: MainWindow) -> None:
    window.session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)


def _add_note(window: MainWindow, text: str) -> tuple[Workspace, Note]:
    """A note saved after the unlock: the lock has a snapshot to write."""
    ws = window.session.workspace
    assert ws is not None
    return ws, ws.add(Note(written_on=ws.clock.now().date(), text=text))


def test_the_unlock_screen_shows_while_the_snapshot_is_written(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, path = window.session, window.session.vault_path
    ws, note = _add_note(window, "Elternabend in der Kita")
    gate = Gate(monkeypatch)

    window.lock_action.trigger()

    # The window is locked now: the unlock screen, no records, the workspace refuses.
    assert window.stack.currentWidget() is window.unlock_view
    assert session.workspace is None and ws.locked
    with pytest.raises(VaultLocked):
        ws.search("Elternabend")
    assert gate.reached.wait(5) and session.closing
    assert _snapshot_seq(path) != _audit_seq(path)  # the new note is not in it yet
    qtbot.wait(50)  # the event loop runs meanwhile: the window is not frozen
    assert window.stack.currentWidget() is window.unlock_view

    gate.open()
    assert session.wait_closed(10)
    assert _snapshot_seq(path) == _audit_seq(path)
    _unlock(qtbot, window)
    assert session.workspace is not None
    assert [hit.id for hit in session.workspace.search("Elternabend")] == [note.id]


def test_an_unlock_waits_until_the_lock_has_written_the_snapshot(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = window.session
    _ws, note = _add_note(window, "Termin beim Jobcenter")
    gate = Gate(monkeypatch)
    session.lock("manual")
    assert gate.reached.wait(5)

    session.unlock(passphrase=PASS)  # typed at once, while the snapshot is still written
    qtbot.wait(300)
    assert session.unlocking and session.workspace is None

    gate.open()
    qtbot.waitUntil(lambda: session.workspace is not None, timeout=10_000)
    assert not session.closing
    # It opened the snapshot the lock wrote: the new note is there, nothing was replayed.
    assert session.workspace.get(Note, note.id).text == "Termin beim Jobcenter"
    assert session.workspace.problems == ()
    assert _snapshot_seq(session.vault_path) == _audit_seq(session.vault_path)


def test_closing_the_window_hides_it_at_once_and_the_app_waits_for_the_snapshot(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, path = window.session, window.session.vault_path
    _add_note(window, "Sprachkurs B1 ab Montag")
    gate = Gate(monkeypatch)

    window.close()
    assert not window.isVisible() and session.workspace is None
    assert gate.reached.wait(5) and session.closing

    # What app.main does once the event loop has ended: wait for the snapshot.
    threading.Timer(0.2, gate.open).start()
    session.shutdown()
    assert not session.closing
    assert _snapshot_seq(path) == _audit_seq(path)


def test_a_lock_with_nothing_to_write_needs_no_thread(window: MainWindow) -> None:
    session = window.session
    session.lock("idle")
    assert not session.closing and session.wait_closed(0)
    assert window.stack.currentWidget() is window.unlock_view
