"""P1 for a window killed mid-session (SECURITY.md test plan), and what the guide gets back.

A ``kisi-desktop`` process (tests/support/killed_session.py) types five markers in Latin,
Arabic and Tigrinya script into the People page's forms of a vault large enough to keep
a snapshot: saved records before and after a lock and unlock, a search, and a note typed
but not saved, whose sealed draft is in the vault when the process is killed (SIGKILL: no
lock, no snapshot, no clean-up). Then no file in the vault's folder, the settings, the
temporary folder or the user's cache, config, data and state folders holds a marker as
plain text; and the window, started again, unlocks the vault the killed process held,
finds every saved record and the audit chain whole, and offers the unsaved note back
with what was typed in it. The scan runs again after that session, and finds a planted
marker (negative control).
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from kisi_desktop.core.clock import SystemClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.domain import Contact, Draft, Municipality, Note, Person
from kisi_desktop.core.store.snapshot import snapshot_path
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.record_dialog import RecordDialog

from tests.support.app_process import app_environment
from tests.support.marker_scan import random_markers, scan
from tests.support.windows import unlocked_window

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"
ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 150


def _large_vault(folder: Path) -> Path:
    """Kirchhain's vault with 220 made-up people (2,500 records): its lock keeps a snapshot."""
    path = folder / "vault" / "vault.kisi"
    path.parent.mkdir()
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    generate(ws, 220, random.Random(11), SystemClock())
    ws.lock()
    assert snapshot_path(path).is_file()
    return path


def _kill_mid_session(tmp_path: Path, vault: Path, markers: list[str]) -> dict[str, str]:
    """Run the session in its own process until its draft is sealed, then SIGKILL it;
    the ids it made."""
    places = {name: tmp_path / name for name in ("tmp", "cache", "config", "data", "state")}
    for folder in places.values():
        folder.mkdir()
    env = app_environment(
        tmp_path, PASS, TMPDIR=str(places["tmp"]),
        XDG_CACHE_HOME=str(places["cache"]), XDG_CONFIG_HOME=str(places["config"]),
        XDG_DATA_HOME=str(places["data"]), XDG_STATE_HOME=str(places["state"]),
    )  # fmt: skip
    # The child's messages (Qt's warnings) go to a file outside the scanned folders; a
    # pipe nobody reads would stop the child once full.
    errors = tempfile.TemporaryFile(mode="w+")
    with errors, subprocess.Popen(
        [sys.executable, "-m", "tests.support.killed_session", str(vault), *markers],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True,
    ) as child:  # fmt: skip
        assert child.stdout is not None
        # A child that hangs must fail the test, not the whole run.
        ready, _w, _x = select.select([child.stdout], [], [], READY_TIMEOUT_S)
        line = child.stdout.readline() if ready else ""
        said = json.loads(line or '{"failed": "no answer in time"}')
        if "ready" not in said:
            child.kill()
            errors.seek(0)
            pytest.fail(f"the session did not get to its end: {said} {errors.read()[-2000:]}")
        child.send_signal(signal.SIGKILL)
        assert child.wait(30) == -signal.SIGKILL
    return said["ready"]  # type: ignore[no-any-return]


def test_a_window_killed_mid_session_leaves_no_plaintext_and_gives_the_draft_back(
    qtbot: QtBot, tmp_path: Path
) -> None:
    markers = random_markers(5, seed=20260126)
    name, note, contact, later, unsaved = markers
    words = markers + [m.lower() for m in markers]  # (as a search index would keep them)
    vault = _large_vault(tmp_path)
    made = _kill_mid_session(tmp_path, vault, markers)
    assert scan([tmp_path], words) == []

    window = unlocked_window(qtbot, vault, PASS, timeout=20_000)
    ws = window.session.workspace
    assert ws is not None
    assert ws.wait_check(30)
    assert ws.settle_check() == ()  # the audit chain is whole and every row matches it

    # Saved before the snapshot, and after it: all there, nothing twice.
    assert ws.get(Person, made["person"]).name == f"Hodan {name}"
    notes = sorted(n.text for n in ws.list(Note) if n.person_id == made["person"])
    assert notes == [f"Nach dem Sperren: {later}", f"Rückruf wegen {note}"]
    contacts = [c.note for c in ws.list(Contact) if c.person_id == made["person"]]
    assert contacts == [f"Gespräch über {contact}"]
    assert len(ws.list(Draft)) == 1

    # The window says where a form waits, and the People page gives it back as typed.
    qtbot.waitUntil(lambda: window.waiting.isVisible(), timeout=5000)
    assert list(window.waiting.buttons) == ["people"]
    qtbot.mouseClick(window.waiting.buttons["people"], Qt.MouseButton.LeftButton)
    people = window.page("people")
    qtbot.waitUntil(lambda: people.banner.isVisible(), timeout=5000)  # type: ignore[attr-defined]
    assert f"Hodan {name}" in people.banner.message.text()  # type: ignore[attr-defined]
    qtbot.mouseClick(people.banner.restore_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    dialog = people.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, RecordDialog)
    assert dialog.form.editors["text"].get() == f"Entwurf {unsaved}"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert people.dialog is None  # type: ignore[attr-defined]
    assert ws.list(Draft) == []
    assert f"Entwurf {unsaved}" in [n.text for n in ws.list(Note)]

    window.session.lock("manual")
    assert window.session.wait_closed(30)
    # The window started again runs in this process: its folders are scanned too.
    own = [Path(os.environ[name]) for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                                "XDG_DATA_HOME", "XDG_STATE_HOME")]  # fmt: skip
    assert scan([tmp_path, *own], words) == []
    # Negative control: the same scan finds a marker planted in a plain file.
    (tmp_path / "tmp" / "planted.txt").write_text(f"x {unsaved} y", encoding="utf-16-le")
    assert {hit.marker for hit in scan([tmp_path], words)} == {unsaved}
