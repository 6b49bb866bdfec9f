"""The glance: once the passphrase is right, the window shows this month's Overview as the
last lock sealed it, while the records are read; nothing else can be reached until then.

These tests hold the unlock's second step (reading the records) at a gate, so that what the
guide sees in between can be checked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kisi_desktop.core.domain import Contact, FollowUp, Municipality, Person
from kisi_desktop.core.errors import VaultCorrupt
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.main_window import MainWindow

from tests.support.windows import shown_window_opening_with

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


class Gate:
    """Holds the unlock's second step until :meth:`open`; ``fail`` makes it raise then."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reached = threading.Event()
        self.fail: BaseException | None = None
        self.held = True

    def open_workspace(self, path: Path, **kwargs: Any) -> Workspace:
        self.reached.set()
        if self.held:
            self._event.wait(20)
        if self.fail is not None:
            kwargs["opened"].close()  # (as Workspace.open does when it fails)
            raise self.fail
        return Workspace.open(path, snapshot_min_records=1, **kwargs)

    def open(self) -> None:
        self._event.set()


@pytest.fixture
def gate() -> Gate:
    return Gate()


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, gate: Gate) -> Iterator[MainWindow]:
    """A window on its unlock screen over a vault locked with a glance of this month."""
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    today = ws.clock.now().date()
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    amina = ws.add(Person(name="Amina Haidari"))
    ws.save(
        [
            Contact(person_id=amina.id, contacted_on=today, mode="office", duration_minutes=30),
            FollowUp(person_id=amina.id, due_on=today, text="Kita-Anmeldung"),
        ],
        "import",
    )
    ws.lock()
    window = shown_window_opening_with(qtbot, path, gate.open_workspace)
    yield window
    gate.open()
    window.session.shutdown()


def _overview_number(window: MainWindow, tile: str) -> str:
    return str(window.page("overview").tiles[tile].number.text())  # type: ignore[attr-defined]


def _glance_shows(window: MainWindow) -> bool:
    return window.stack.currentWidget() is not window.unlock_view


def _unlock_to_the_glance(qtbot: QtBot, window: MainWindow) -> None:
    """Unlock with the right passphrase; return once the glance shows (the records are
    still being read, held at the gate)."""
    window.session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: _glance_shows(window), timeout=10_000)


def test_the_overview_shows_before_the_records_are_read_and_nothing_else_meanwhile(
    qtbot: QtBot, window: MainWindow, gate: Gate
) -> None:
    _unlock_to_the_glance(qtbot, window)
    # The records are read once the glance has been painted (the worker waits for it).
    qtbot.waitUntil(gate.reached.is_set, timeout=5000)
    assert window.session.workspace is None
    # This month's figures and the follow-up due, the municipality in the title bar.
    assert _overview_number(window, "contacts") == "1"
    assert _overview_number(window, "due") == "1"
    overview = window.page("overview")
    assert overview.due_model.rowCount() == 1  # type: ignore[attr-defined]
    assert "Kirchhain" in window.windowTitle()
    # Nothing reaches the records yet: the navigation, the search and the actions wait.
    assert not window.nav.isEnabled() and not window.search.isEnabled()
    assert not window.find_action.isEnabled() and not window.backup_action.isEnabled()
    people = window.page_list[[p.key for p in window.page_list].index("people")]
    overview.tiles["people"].activated.emit()  # type: ignore[attr-defined]
    assert window.pages.currentWidget() is not people
    gate.open()
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    assert window.nav.isEnabled() and window.lock_action.isEnabled()
    assert _overview_number(window, "contacts") == "1" and "Kirchhain" in window.windowTitle()


def test_a_wrong_passphrase_shows_no_glance(qtbot: QtBot, window: MainWindow, gate: Gate) -> None:
    said: list[str] = []
    window.session.unlock_failed.connect(said.append)
    window.session.unlock(passphrase="falsch falsch falsch")
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert not gate.reached.is_set() and not _glance_shows(window)
    assert _overview_number(window, "contacts") == "–"
    assert "Kirchhain" not in window.windowTitle()


def test_a_screen_lock_while_the_records_are_read_covers_the_glance_and_locks(
    qtbot: QtBot, window: MainWindow, gate: Gate
) -> None:
    session = window.session
    _unlock_to_the_glance(qtbot, window)
    session.lock("screen")
    # At once: the unlock screen, no figure, no name in the title bar.
    assert window.stack.currentWidget() is window.unlock_view
    assert _overview_number(window, "contacts") == "–"
    assert "Kirchhain" not in window.windowTitle()
    gate.open()
    qtbot.waitUntil(lambda: not session.unlocking, timeout=10_000)
    assert session.workspace is None  # the vault was locked the moment it was open
    assert window.stack.currentWidget() is window.unlock_view
    assert session.wait_closed(10)
    gate.held = False
    session.unlock(passphrase=PASS)  # and it opens again
    qtbot.waitUntil(lambda: session.workspace is not None, timeout=10_000)


def test_an_unlock_failing_after_its_glance_goes_back_to_the_unlock_screen_and_says_why(
    qtbot: QtBot, window: MainWindow, gate: Gate
) -> None:
    gate.fail = VaultCorrupt("Ein Schlüssel des Tresors ist beschädigt.")
    _unlock_to_the_glance(qtbot, window)
    gate.open()
    qtbot.waitUntil(lambda: not _glance_shows(window), timeout=10_000)
    assert window.unlock_view.error.isVisible()
    assert "beschädigt" in window.unlock_view.error.text()
    assert _overview_number(window, "contacts") == "–"
    assert window.session.workspace is None and "Kirchhain" not in window.windowTitle()


def test_a_glance_of_last_month_is_not_shown(qtbot: QtBot, window: MainWindow, gate: Gate) -> None:
    session = window.session
    session._today = lambda: date(2099, 1, 15)  # (the glance was sealed this month)
    session.unlock(passphrase=PASS)
    assert gate.reached.wait(10)
    qtbot.wait(100)  # (a glance would have arrived by now)
    assert not _glance_shows(window) and _overview_number(window, "contacts") == "–"
    gate.open()
    qtbot.waitUntil(lambda: session.workspace is not None, timeout=10_000)


def test_locking_by_hand_while_the_glance_shows_covers_it_and_locks_once_open(
    qtbot: QtBot, window: MainWindow, gate: Gate
) -> None:
    session = window.session
    _unlock_to_the_glance(qtbot, window)
    assert window.lock_action.isEnabled()  # names are on screen: Ctrl+L works
    window.lock_action.trigger()
    assert window.stack.currentWidget() is window.unlock_view
    assert _overview_number(window, "contacts") == "–"
    # The unlock is still reading the records: the unlock screen waits for it, rather
    # than taking a passphrase it would drop.
    view = window.unlock_view
    assert not view.button.isEnabled() and not view.secret_edit.isEnabled()
    gate.open()
    qtbot.waitUntil(lambda: not session.unlocking, timeout=10_000)
    assert session.workspace is None and view.button.isEnabled()


def test_the_idle_lock_runs_while_the_glance_shows(
    qtbot: QtBot, window: MainWindow, gate: Gate
) -> None:
    # Names are on screen from the glance on: a window left alone while the records take
    # long to read locks as it would once they are read.
    session = window.session
    session.idle_seconds = 0.3
    locked: list[str] = []
    session.locked.connect(locked.append)
    _unlock_to_the_glance(qtbot, window)
    qtbot.waitUntil(lambda: bool(locked), timeout=5000)
    assert locked == ["idle"]
    assert window.stack.currentWidget() is window.unlock_view
    assert _overview_number(window, "contacts") == "–"
    gate.open()
    qtbot.waitUntil(lambda: not session.unlocking, timeout=10_000)
    # (the vault itself locks the moment its records are read, for the same reason)
    assert session.workspace is None and set(locked) == {"idle"}


def _type_passphrase(window: MainWindow) -> None:
    """Typed and Enter, as the guide unlocks (QTest types ASCII only: the ü is put in)."""
    edit = window.unlock_view.secret_edit
    QTest.keyClicks(edit, "Lindenbl")
    edit.insert("üte")
    QTest.keyClicks(edit, " 2026")
    QTest.keyClick(edit, Qt.Key.Key_Return)


def test_after_the_unlock_the_focus_is_in_the_window_not_the_hidden_passphrase_field(
    qtbot: QtBot, window: MainWindow, gate: Gate
) -> None:
    """QA pass: after an unlock that showed the glance the focus stayed in the hidden
    passphrase field, and what the guide typed next went there."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    _type_passphrase(window)
    qtbot.waitUntil(lambda: _glance_shows(window), timeout=10_000)
    gate.open()
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    assert QApplication.focusWidget() is window.nav
    # Later: back where the focus was when the window locked.
    QTest.keyClick(window.nav, Qt.Key.Key_Tab)
    on_the_page = QApplication.focusWidget()
    assert on_the_page is not None and window.page("overview").isAncestorOf(on_the_page)
    QTest.keyClick(on_the_page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session.workspace is None
    qtbot.waitUntil(lambda: window.unlock_view.secret_edit.isEnabled(), timeout=10_000)
    _type_passphrase(window)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    assert QApplication.focusWidget() is on_the_page
