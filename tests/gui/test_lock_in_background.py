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
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.store.snapshot import snapshot_path
from kisi_desktop.core.store.working_set import WorkingSet
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Closing, Workspace

from kisi_desktop.ui.main_window import MainWindow

from tests.support.windows import shown_window_opening_with

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
    # A snapshot from the first record on, as a vault of 2,000 records and more keeps one.
    opener = functools.partial(Workspace.open, snapshot_min_records=1)
    window = shown_window_opening_with(qtbot, path, opener)
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


def _assert_closed(vault: Vault, working: WorkingSet) -> None:
    """The keys and the opened records are gone (not left to the garbage collector)."""
    with pytest.raises(VaultLocked):
        vault.conn  # noqa: B018
    with pytest.raises(RuntimeError, match="closed"):
        working.conn  # noqa: B018


def test_the_unlock_screen_shows_while_the_snapshot_is_written(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, path = window.session, window.session.vault_path
    ws, note = _add_note(window, "Elternabend in der Kita")
    vault, working = ws.vault, ws.working_set
    gate = Gate(monkeypatch)

    window.lock_action.trigger()

    # The window is locked now: the unlock screen, no records, the workspace refuses.
    assert window.stack.currentWidget() is window.unlock_view
    assert session.workspace is None and ws.locked
    with pytest.raises(VaultLocked):
        ws.search("Elternabend")
    assert gate.reached.wait(5) and session.writing_snapshot
    assert _snapshot_seq(path) != _audit_seq(path)  # the new note is not in it yet
    gate.open()
    assert session.wait_closed(10)
    assert _snapshot_seq(path) == _audit_seq(path)
    _assert_closed(vault, working)
    _unlock(qtbot, window)
    assert session.workspace is not None
    assert [hit.id for hit in session.workspace.search("Elternabend")] == [note.id]


def test_an_unlock_waits_until_the_lock_has_written_the_snapshot(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = window.session
    _ws, note = _add_note(window, "Termin beim Jobcenter")
    opening = threading.Event()
    open_workspace = session._open

    def watched_open(*args: object, **kwargs: object) -> Workspace:
        opening.set()
        return open_workspace(*args, **kwargs)

    monkeypatch.setattr(session, "_open", watched_open)
    gate = Gate(monkeypatch)
    session.lock("manual")
    assert gate.reached.wait(5)

    session.unlock(passphrase=PASS)  # typed at once, while the snapshot is still written
    assert not opening.wait(0.5)  # the unlock has not begun reading the vault
    assert session.unlocking and session.workspace is None

    gate.open()
    qtbot.waitUntil(lambda: session.workspace is not None, timeout=10_000)
    assert opening.is_set() and not session.writing_snapshot
    # It opened from the snapshot the lock wrote: that path alone leaves the row check
    # for after the first paint, and the new note is in it.
    assert session.workspace.checking
    assert session.workspace.get(Note, note.id).text == "Termin beim Jobcenter"


def test_closing_the_window_hides_it_at_once_and_the_app_waits_for_the_snapshot(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, path = window.session, window.session.vault_path
    _add_note(window, "Sprachkurs B1 ab Montag")
    gate = Gate(monkeypatch)

    window.close()
    assert not window.isVisible() and session.workspace is None
    assert gate.reached.wait(5) and session.writing_snapshot

    # What app.main does once the event loop has ended: wait for the snapshot.
    threading.Timer(0.2, gate.open).start()
    session.shutdown()
    assert not session.writing_snapshot
    assert _snapshot_seq(path) == _audit_seq(path)


def test_a_lock_with_nothing_to_write_needs_no_thread(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    ws = session.workspace
    assert ws is not None
    qtbot.waitUntil(lambda: not ws.checking, timeout=10_000)  # (no snapshot while it runs)
    vault, working = ws.vault, ws.working_set
    seq = _snapshot_seq(session.vault_path)
    session.lock("idle")
    assert not session.writing_snapshot and session.wait_closed(0)
    assert window.stack.currentWidget() is window.unlock_view
    assert _snapshot_seq(session.vault_path) == seq
    _assert_closed(vault, working)


@pytest.mark.allow_log_warnings  # "snapshot not written: OSError"
def test_a_snapshot_that_cannot_be_written_still_closes_the_vault(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = window.session
    ws, note = _add_note(window, "Kita-Anmeldung")
    vault, working = ws.vault, ws.working_set
    seq = _snapshot_seq(session.vault_path)

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vault, "write_snapshot", disk_full)
    session.lock("manual")
    assert session.wait_closed(10)
    _assert_closed(vault, working)
    assert _snapshot_seq(session.vault_path) == seq  # the old one stays; it is still valid
    _unlock(qtbot, window)  # the new note is opened from the vault itself
    assert session.workspace is not None
    assert session.workspace.get(Note, note.id).text == "Kita-Anmeldung"


@pytest.mark.allow_log_warnings  # "snapshot not written: OperationalError"
def test_a_failing_look_at_the_snapshot_still_closes_the_vault(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = window.session
    ws, _note = _add_note(window, "Sprachkurs")
    vault, working = ws.vault, ws.working_set

    def broken(*_args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(vault, "snapshot_seq", broken)
    session.lock("manual")  # must not raise into Qt, and must close
    assert session.workspace is None and not session.writing_snapshot
    _assert_closed(vault, working)


def test_the_locked_window_reads_the_vault_ahead_and_the_unlock_stops_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    session = window.session
    session.read_ahead()  # unlocked: nothing to read ahead for
    assert session._read_ahead is None
    session.lock("manual")
    assert session.wait_closed(10)
    session.read_ahead()
    ahead = session._read_ahead
    assert ahead is not None and ahead.wait(10)
    files = (snapshot_path(session.vault_path), session.vault_path)
    assert ahead.bytes_read == sum(path.stat().st_size for path in files)
    assert not ahead.stopped
    _unlock(qtbot, window)
    assert ahead.stopped


def test_an_unlock_while_a_hung_snapshot_write_holds_the_vault_says_so(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kisi_desktop.ui import session as session_module

    session = window.session
    _add_note(window, "Termin beim Jobcenter")
    monkeypatch.setattr(session_module, "CLOSE_WAIT_S", 0.2)  # the disk hangs longer
    gate = Gate(monkeypatch)
    session.lock("manual")
    assert gate.reached.wait(5)
    failed: list[str] = []
    session.unlock_failed.connect(failed.append)
    session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: not session.unlocking, timeout=10_000)
    # This window's own lock holds the vault, not another program.
    assert failed == [
        "Der Tresor wird noch gesperrt: Seine Arbeitskopie wird geschrieben. "
        "Versuchen Sie es gleich noch einmal."
    ]
    gate.open()
    assert session.wait_closed(10)
    _unlock(qtbot, window)
    assert session.workspace is not None
