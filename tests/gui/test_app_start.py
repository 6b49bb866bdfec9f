"""The start the ``kisi-desktop`` command makes, in a process of its own (as a guide gets it).

The other GUI tests build the window inside pytest's QApplication; this one runs
``kisi_desktop.ui.app.start`` in a fresh interpreter, as the command and the start-up
benchmark do.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui import gc_guard

from tests.support.app_process import app_environment, town_vault

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"

CHILD = """
import gc, json, sys, weakref
from kisi_desktop.ui.app import start
from PySide6.QtCore import Qt, QTimer

app, window = start(["--vault", sys.argv[1]])
seen = {"gc_automatic": gc.isenabled()}
seen["native_dialogs"] = not app.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)

class Opened:  # stands for a record held in a reference cycle by a view
    pass

def rounds_ms():
    from kisi_desktop.ui.gc_guard import MainThreadCollector
    return app.findChild(MainThreadCollector).findChild(QTimer, "collectorRounds").interval()

def unlocked():
    seen["title"] = window.windowTitle()
    seen["page"] = window.current_page().key
    seen["collector_rounds_ms"] = [rounds_ms()]
    held = Opened()
    held.me = held
    gc.collect(1)  # old enough that the timer's young rounds pass it by
    gone = weakref.ref(held)
    del held
    reason = sys.argv[2] if len(sys.argv) > 2 else "manual"
    if reason == "sleep":  # a change since the unlock: the lock writes the snapshot again
        from kisi_desktop.core.domain import Person
        window.session.workspace.add(Person(name="Neu seit dem Entsperren"))
    window.session.lock(reason)
    seen["locked_page"] = window.stack.currentWidget() is window.unlock_view
    seen["collector_rounds_ms"].append(rounds_ms())
    if reason == "sleep":  # at once: the computer may be suspended a moment later
        QTimer.singleShot(20, lambda: after_lock(gone))
        seen["snapshot_being_written"] = window.session.writing_snapshot
    else:
        wait_written(gone)

def wait_written(gone):
    # The full collection follows the snapshot's thread (ui/app.py).
    if window.session.writing_snapshot:
        QTimer.singleShot(50, lambda: wait_written(gone))
    else:
        QTimer.singleShot(300, lambda: after_lock(gone))

def after_lock(gone):
    seen["cycle_freed_after_lock"] = gone() is None
    print(json.dumps(seen), flush=True)
    app.quit()

window.session.unlocked.connect(unlocked)
def failed(message):
    print(json.dumps({"failed": message}), flush=True)
    app.quit()

window.session.unlock_failed.connect(failed)
QTimer.singleShot(60_000, lambda: app.exit(3))
sys.exit(app.exec())
"""


def test_the_command_start_unlocks_with_the_passphrase_from_the_environment(
    tmp_path: Path,
) -> None:
    path = town_vault(tmp_path, PASS)
    env = app_environment(tmp_path, PASS)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        # The UI thread collects cycles on a timer (ui/gc_guard.py), never a worker.
        "gc_automatic": False,
        # Qt's own file dialogs: in the app's language, closed at a lock, and no desktop
        # recent-files list that would keep an export's name (ui/app.py).
        "native_dialogs": False,
        "title": "KISI Desktop – Kirchhain",
        "page": "overview",
        "locked_page": True,
        # A full collection follows every lock (once the snapshot is written): cycles
        # that held opened records go then, not with the timer's full round (a minute).
        "cycle_freed_after_lock": True,
        # The collector's rounds: every 250 ms unlocked, every 2 s locked (fewer wake-ups).
        "collector_rounds_ms": [250, 2000],
    }


# The vault's code and everything that needs it: the unlock screen shows without them.
VAULT_CODE = (
    "kisi_desktop.core.workspace",
    "kisi_desktop.core.domain",
    "kisi_desktop.core.store.sealed_store",
    "kisi_desktop.core.store.working_set",
    "kisi_desktop.core.store.audit",
    "kisi_desktop.core.demo",
    "kisi_desktop.reports",
    "kisi_desktop.handouts",
    "kisi_desktop.bundles",
    "kisi_desktop.ministry",
    # Babel and its locale data: the unlock screen shows no date or number.
    "babel",
)

LIGHT_START_CHILD = """
import json, sys, threading
first_import = {}

def note_import(event, args):
    if event == "import" and args[0] == "babel" and "babel" not in first_import:
        first_import["babel"] = threading.current_thread().name

sys.addaudithook(note_import)
from kisi_desktop.ui.app import start
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest

VAULT_CODE = tuple(json.loads(sys.argv[2]))
app, window = start(["--vault", sys.argv[1]])
seen = {}

def vault_code():
    return sorted(
        name for name in list(sys.modules)
        if any(name == m or name.startswith(m + ".") for m in VAULT_CODE)
    )

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "at_unlock_screen" not in seen:
            seen["at_unlock_screen"] = vault_code()
            seen["unlock_screen_shown"] = window.stack.currentWidget() is window.unlock_view
            seen["threads"] = sorted(t.name for t in threading.enumerate())
            QTimer.singleShot(300, type_passphrase)  # as a guide types, a moment later
        return False

painted = FirstPaint()
window.unlock_view.installEventFilter(painted)

def type_passphrase():
    seen["reading_ahead"] = window.session._read_ahead is not None
    edit = window.unlock_view.secret_edit
    edit.setFocus()
    edit.insert(sys.argv[3])  # (QTest types ASCII only)
    QTest.keyClick(edit, Qt.Key.Key_Return)

def unlocked():
    page = window.current_page()
    seen["page"] = page.key
    seen["contacts"] = page.tiles["contacts"].number.text()
    seen["heading"] = page.heading.text()
    seen["babel_imported_by"] = first_import.get("babel")
    print(json.dumps(seen), flush=True)
    app.quit()

def failed(message):
    print(json.dumps({"failed": message}), flush=True)
    app.quit()

window.session.unlocked.connect(unlocked)
window.session.unlock_failed.connect(failed)
QTimer.singleShot(60_000, lambda: app.exit(3))
code = app.exec()
window.session.shutdown()
sys.exit(code)
"""


def test_the_unlock_screen_shows_before_the_vault_code_is_imported_and_unlocks(
    tmp_path: Path,
) -> None:
    # About 0.2 s of imports (workspace, records, sealed store) that a guide waited for
    # before the window appeared; they now load while the passphrase is typed.
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    amina = ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    day = today(ws.clock)
    ws.add(Contact(person_id=amina.id, contacted_on=day, duration_minutes=30, mode="office"))
    ws.lock()
    env = app_environment(tmp_path, PASS)
    del env["KISI_PASSPHRASE"]  # the guide types it
    done = subprocess.run(
        [sys.executable, "-c", LIGHT_START_CHILD, str(path), json.dumps(VAULT_CODE), PASS],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["unlock_screen_shown"] is True
    assert seen["at_unlock_screen"] == []
    assert "kisi-preload" not in seen["threads"]  # (it begins after this paint)
    # Meanwhile the vault's files are read into the system's cache, as the guide types.
    assert seen["reading_ahead"] is True
    # Typed in, the passphrase opens the vault on the Overview, with this month's figures.
    assert (seen["page"], seen["contacts"]) == ("overview", "1")
    assert seen["heading"].startswith("<h2>Dieser Monat auf einen Blick: ")
    # Babel (15 ms, and 7 ms of German locale data) came on that thread too, not with the
    # Overview built while the guide typed.
    assert seen["babel_imported_by"] == "kisi-preload"


def test_before_the_computer_sleeps_the_cycles_that_held_records_are_freed_at_once(
    tmp_path: Path,
) -> None:
    # After a lock by hand the full collection waits for the snapshot's thread; before
    # sleep it does not (the memory may go to disk with a hibernation a moment later).
    path = town_vault(tmp_path, PASS)
    ws = Workspace.open(path, passphrase=PASS)
    ws.save([Person(name=f"Person {n}") for n in range(2500)], "import")  # (a snapshot)
    ws.lock()
    env = app_environment(tmp_path, PASS)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), "sleep"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["locked_page"] is True and seen["cycle_freed_after_lock"] is True
    assert seen["snapshot_being_written"] is True  # (so it was not waited for)


def test_the_timer_collects_young_cycles_each_round_and_old_ones_in_the_full_round(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full collection every 3 s froze the window 50-70 ms every 3 s once every page had
    # been opened: the rounds now walk the young generations, and all of them rarely.
    monkeypatch.setattr(gc_guard, "MIDDLE_EVERY", 3)
    monkeypatch.setattr(gc_guard, "FULL_EVERY", 6)
    collector = gc_guard.MainThreadCollector()
    try:
        collector._timer.stop()  # (rounds by hand)
        young = _cycle()
        collector.tick()  # round 1: the youngest generation
        assert young() is None
        old = _cycle(age=2)  # (survived into the oldest generation)
        for _round in range(2, 6):
            collector.tick()
            assert old() is not None  # rounds 2-5: young and middle generations only
        collector.tick()  # round 6: all of them
        assert old() is None
    finally:
        collector.stop()
        gc.disable()  # (as the tests run: tests/conftest.py)


def test_the_first_round_waits_until_the_window_is_up(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its round 250 ms after the start walked everything the start had made (14-16 ms),
    # just before the unlocked Overview painted.
    monkeypatch.setattr(gc_guard, "FIRST_ROUND_MS", 600)
    collector = gc_guard.MainThreadCollector()
    try:
        young = _cycle()
        qtbot.wait(gc_guard.INTERVAL_MS + 100)  # a round's time, and the next
        assert young() is not None
        qtbot.waitUntil(lambda: young() is None, timeout=3_000)
    finally:
        collector.stop()
        gc.disable()  # (as the tests run: tests/conftest.py)


class _Held:
    me: object = None


def _cycle(age: int = 0) -> weakref.ref[_Held]:
    """A reference cycle that is garbage once this returns, in generation ``age``."""
    held = _Held()
    held.me = held
    for generation in range(age):
        gc.collect(generation)  # survives (held), so it moves one generation up
    return weakref.ref(held)
