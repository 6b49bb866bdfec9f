"""P2 lock hygiene in the real window: after the idle lock nothing reachable holds a record
or the text typed into a note, the connections are closed and the app's copy is gone
from the clipboard (SECURITY.md test plan P2); and P1 for the window: no file the session
left in the vault's, temporary, cache, config, data or state folders holds the typed text.

The window is used as a guide would: a person added through the People page's form (a
marker in the name), a note typed into a person's page and saved (another marker), every
page opened once, the search for the note, a name copied from the list. Then the wall
clock moves on and the idle check locks (with a small vault, and with one whose lock
writes the snapshot on its thread). After that thread has finished and Qt has deleted
what it was asked to, a full collection must leave no object of any record class
(``RECORD_TYPES``) or ``LoadedRecord`` reachable that was not before the test began,
and no string or bytes object that a reachable Python object refers to may hold either
marker. Before the lock the same scan finds the note's text (in the person page's
timeline rows, for one); a record held on purpose is the negative control.

What this cannot see (tests/support/live_objects.py): ``str`` and ``bytes`` are not tracked
by the collector, so they are found through the tracked objects that refer to them; text
that only Qt's C++ objects hold (a QString in a widget), SQLite's own copies, and freed
memory not yet overwritten are out of its reach (core/store/FORMAT.md, "Known limits").
"""

from __future__ import annotations

import functools
import gc
import os
import tempfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from kisi_desktop.core.domain import Note, Person
from kisi_desktop.core.store.snapshot import snapshot_path
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.main_window import MainWindow

from tests.support.app_process import town_vault_with_a_note
from tests.support.hand_clock import HandClock
from tests.support.live_objects import Marker, RecordCensus, holders, open_connections
from tests.support.marker_scan import scan
from tests.support.qt_tasks import flush_deletions

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


def _unlocked_window(qtbot: QtBot, vault: Path, clock: HandClock, *, snapshot: bool) -> MainWindow:
    window = build_main_window(vault)
    qtbot.addWidget(window)
    window.session._now = clock  # the session reads the wall clock through this
    if snapshot:  # as a vault of 2,000 records and more: the lock writes it on a thread
        window.session._open = functools.partial(Workspace.open, snapshot_min_records=1)
    window.show()
    qtbot.waitExposed(window)
    window.unlock_view.secret_edit.setText(PASS)
    qtbot.mouseClick(window.unlock_view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    return window


def _type_a_person(qtbot: QtBot, window: MainWindow, marker: Marker) -> None:
    """Add a person through the People page's form, the marker typed into the name."""
    window.navigate("people")
    people = window.page("people")
    people.list_view.new_action.trigger()  # type: ignore[attr-defined]
    dialog = people.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, RecordDialog)
    qtbot.keyClicks(dialog.form.editors["name"].widget, f"Hodan {marker.text()}")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert people.dialog is None  # type: ignore[attr-defined]


def _visit_every_page(qtbot: QtBot, window: MainWindow) -> None:
    """Open each page once and let its background reads finish (lists, figures, labels)."""
    for page in window.page_list:
        window.navigate(page.key)
        qtbot.wait(20)
        assert window.runner.wait(10_000)
        qtbot.wait(20)


def _type_a_note(qtbot: QtBot, window: MainWindow, marker: Marker) -> str:
    """Open Amina's page, type a note holding the marker, save it; the note's id."""
    ws = window.session.workspace
    assert ws is not None
    (amina,) = [p for p in ws.list(Person) if p.name == "Amina Haidari"]
    window.navigate("people")
    people = window.page("people")
    people.open_person(amina.id)  # type: ignore[attr-defined]
    people.person_view.commands["add_note"].trigger()  # type: ignore[attr-defined]
    dialog = people.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, RecordDialog)
    qtbot.keyClicks(dialog.form.editors["text"].widget, f"Rueckruf {marker.text()} Kita")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert people.dialog is None  # type: ignore[attr-defined]
    (typed,) = [n for n in ws.list(Note) if not n.text.startswith("Kitaplatz")]
    return typed.id


def _isolate_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Point the temporary, cache, config, data and state folders (the app's, Qt's and
    Python's) into the test's folder, so the P1 scan sees every file the session wrote."""
    # Qt's QSettings keeps the config folder it found first in this process (an earlier
    # test's), so that one is scanned too.
    dirs = [Path(os.environ["XDG_CONFIG_HOME"])]
    for variable in ("TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                     "XDG_STATE_HOME"):  # fmt: skip
        folder = tmp_path / variable.lower()
        folder.mkdir()
        monkeypatch.setenv(variable, str(folder))
        dirs.append(folder)
    monkeypatch.setattr(tempfile, "tempdir", str(dirs[1]))
    return dirs


@pytest.mark.parametrize("snapshot", [False, True], ids=["small-vault", "with-snapshot"])
def test_after_the_idle_lock_nothing_reachable_holds_a_record_or_the_typed_note(
    qtbot: QtBot, tmp_path: Path, snapshot: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """P2, and P1 for the window: after the session no file in the vault's folder, the
    temporary folder or the user's cache, config, data and state folders holds either
    marker as plain text (the scanner finds a planted one: negative control)."""
    dirs = _isolate_files(monkeypatch, tmp_path)
    census = RecordCensus()  # (other tests' module-level records are not this lock's)
    clock = HandClock()
    marker, in_name = Marker.new(), Marker.new()
    vault = town_vault_with_a_note(tmp_path, PASS)
    window = _unlocked_window(qtbot, vault, clock, snapshot=snapshot)
    _type_a_person(qtbot, window, in_name)
    note_id = _type_a_note(qtbot, window, marker)
    _visit_every_page(qtbot, window)

    qtbot.keyClicks(window.search, marker.text())
    qtbot.waitUntil(lambda: window.search_page.results.count() == 1, timeout=3000)
    window.navigate("people")
    table = window.page("people").list_view.table  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=3000)
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == "Amina Haidari"

    ws = window.session.workspace
    assert ws is not None
    assert ws.wait_check(10)
    ws.settle_check()
    connections = [ws.working_set.conn, ws.vault.conn]
    # Negative control: while something holds a record, the scan finds it and its text.
    kept = ws.get(Note, note_id)
    assert "Note" in census.new()
    assert holders(marker)
    del kept, ws

    clock.now += 11 * 60  # away from the laptop for longer than the idle time
    window.session.check_idle()
    assert window.session.workspace is None
    assert window.session.wait_closed(10)
    if snapshot:
        assert snapshot_path(vault).is_file()  # (written by the lock's thread)
    flush_deletions()
    gc.collect()

    assert open_connections(connections) == []
    assert clipboard.text() == ""
    assert census.new() == []
    assert holders(marker) == []
    assert holders(in_name) == []

    words = [m.text() for m in (marker, in_name)]
    words += [w.lower() for w in words]  # (as a search index would keep them)
    places = [vault.parent, *dirs]
    assert scan(places, words) == []
    (dirs[2] / "planted.txt").write_text(f"x {words[0]} y", encoding="utf-16-be")
    assert {hit.marker for hit in scan(places, words)} == {words[0]}
