"""The vault's code is imported on a thread while the guide types (ui/preload.py)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui import main_window
from kisi_desktop.ui import preload as preload_module
from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.preload import (
    PAGE_MODULES,
    UNLOCK_MODULES,
    finish,
    guide_busy,
    hurry,
    preload,
)
from kisi_desktop.ui.preload import running as preload_running

from tests.support.app_process import town_vault_with_a_note
from tests.support.windows import unlocked_window

PASS = "Lindenblüte 2026"


@pytest.mark.allow_log_warnings  # the module that fails to import is logged
def test_it_imports_each_module_and_goes_on_past_one_that_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("kisi_probe_first", "kisi_probe_last"):
        (tmp_path / f"{name}.py").write_text("LOADED = True\n", encoding="utf-8")
    (tmp_path / "kisi_probe_broken.py").write_text("raise ValueError('a bug')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("kisi_probe_first", "kisi_probe_broken", "kisi_probe_last"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    thread = preload(["kisi_probe_first", "kisi_probe_broken", "kisi_probe_last"])
    thread.join(30)
    assert not thread.is_alive() and thread.daemon  # (a window closed at once does not wait)
    assert sys.modules["kisi_probe_first"].LOADED and sys.modules["kisi_probe_last"].LOADED
    assert "kisi_probe_broken" not in sys.modules
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        "importing kisi_probe_broken ahead failed: ValueError"
    ]
    for name in ("kisi_probe_first", "kisi_probe_last"):
        monkeypatch.delitem(sys.modules, name)


PAGES_CHILD = """
import importlib, json, sys
from kisi_desktop.ui.preload import PAGE_MODULES, UNLOCK_MODULES
for name in UNLOCK_MODULES + PAGE_MODULES:
    importlib.import_module(name)
qt_before_pages = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6")))
from PySide6.QtWidgets import QApplication
app = QApplication([])
import kisi_desktop.ui.main_window
from kisi_desktop.ui.pages.registry import PAGES
left = {}
for spec in PAGES:
    before = set(sys.modules)
    importlib.import_module("kisi_desktop.ui.pages." + spec.module)
    new = set(sys.modules) - before
    core = sorted(
        m for m in new if m.startswith("kisi_desktop.") and not m.startswith("kisi_desktop.ui")
    )
    if core:
        left[spec.key] = core
print(json.dumps({"qt": qt_before_pages, "left": left}))
"""


def test_the_pages_find_their_qt_free_code_imported_ahead_and_none_of_it_needs_qt() -> None:
    # Opening Handouts for the first time froze the window 0.16 s while ReportLab and
    # HarfBuzz were imported on the UI thread; a page that gains a new core module must
    # add it to PAGE_MODULES, or its first opening imports it there again.
    done = subprocess.run(
        [sys.executable, "-c", PAGES_CHILD],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    # Imported on a thread: no Qt class may be defined or built there.
    assert seen["qt"] == []
    assert seen["left"] == {}
    assert not set(PAGE_MODULES) & set(UNLOCK_MODULES)


def test_it_stops_before_the_next_module_once_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A lock stops the pages' preload: the next unlock goes on from where it stopped.
    for name in ("kisi_probe_a", "kisi_probe_b"):
        (tmp_path / f"{name}.py").write_text("LOADED = True\n", encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    thread = preload(
        ["kisi_probe_a"],
        formatting=False,
        later=["kisi_probe_b"],
        until=lambda: "kisi_probe_a" in sys.modules,
    )
    thread.join(30)
    assert "kisi_probe_a" in sys.modules and "kisi_probe_b" not in sys.modules
    monkeypatch.delitem(sys.modules, "kisi_probe_a")


def test_what_the_typing_left_out_is_imported_after_the_unlock(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The preload begun at the unlock screen stops at Enter (the unlock needs the
    # interpreter); the rest of the pages' code follows once the records are checked.
    _gated_probes(tmp_path, monkeypatch, "")
    monkeypatch.setattr(main_window, "PAGE_MODULES", ("kisi_probe_slow", "kisi_probe_after"))
    monkeypatch.setattr(main_window, "PAGES_PRELOAD_DELAY_MS", 50)
    window = build_main_window(town_vault_with_a_note(tmp_path, PASS))
    qtbot.addWidget(window)
    window.show()
    # The unlock screen has painted: the preload waits inside the first page module.
    qtbot.waitUntil(lambda: hasattr(sys.modules.get("kisi_probe_gate"), "OPEN"), timeout=10_000)
    with qtbot.waitSignal(window.session.checked, timeout=10_000):
        window.unlock_view.secret_edit.setText(PASS)
        qtbot.mouseClick(window.unlock_view.button, Qt.MouseButton.LeftButton)
    sys.modules["kisi_probe_gate"].OPEN.set()
    # It stops there (Enter was pressed); the window's own round imports the rest.
    # (a module is in sys.modules from the moment its code begins: wait for its end)
    qtbot.waitUntil(
        lambda: getattr(sys.modules.get("kisi_probe_after"), "LOADED", False), timeout=10_000
    )
    qtbot.waitUntil(lambda: not preload_running(), timeout=10_000)
    window.session.shutdown()


def test_the_end_of_the_app_waits_for_the_import_under_way_and_starts_no_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An interpreter ending while the thread sets up an extension (the ciphers' Rust
    # module) could abort the process: the end of the app (app.main) waits for it.
    _gated_probes(tmp_path, monkeypatch, "2")
    thread = preload((), formatting=False, later=["kisi_probe_slow2", "kisi_probe_after2"])
    while "kisi_probe_gate2" not in sys.modules:
        thread.join(0.01)
    assert finish(0.05) is False  # still inside the import
    sys.modules["kisi_probe_gate2"].OPEN.set()
    assert finish(10) is True
    assert "kisi_probe_slow2" in sys.modules and "kisi_probe_after2" not in sys.modules
    # A window opened later in the same process preloads again.
    preload((), formatting=False, later=["kisi_probe_after2"]).join(10)
    assert "kisi_probe_after2" in sys.modules


def test_a_key_pressed_in_the_window_holds_the_imports_back_until_a_page_needs_them(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Typing a filter right after an unlock froze the list 0.3-0.6 s while the pages'
    # code was imported beside it (10,000 calls from Qt each waited for the interpreter).
    window = unlocked_window(qtbot, town_vault_with_a_note(tmp_path, PASS), PASS)
    qtbot.waitUntil(lambda: not preload_running(), timeout=20_000)  # (the window's own)
    (tmp_path / "kisi_probe_held.py").write_text("LOADED = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "kisi_probe_held", raising=False)
    monkeypatch.setattr(preload_module, "HOLD_S", 30.0)  # (a slow machine's pauses)
    window.navigate("people")
    edit = window.page("people").findChild(QLineEdit, "personFilter")
    qtbot.keyClicks(edit, "Am")
    thread = preload((), formatting=False, later=["kisi_probe_held"])
    thread.join(0.5)
    assert thread.is_alive() and "kisi_probe_held" not in sys.modules
    # A page opened for the first time lets it go on: its code may be what is held.
    window.navigate("handouts")
    thread.join(10)
    assert sys.modules["kisi_probe_held"].LOADED
    window.session.shutdown()


def test_the_hold_comes_between_submodules_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ReportLab is one entry in PAGE_MODULES but dozens of modules: the preload gives way
    # before each of them, not only between the entries.
    _gated_probes(tmp_path, monkeypatch, "3")
    package = tmp_path / "kisi_probe_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("import kisi_probe_slow3\nfrom . import part\n")
    (package / "part.py").write_text("LOADED = True\n", encoding="utf-8")
    for name in ("kisi_probe_pkg", "kisi_probe_pkg.part"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(preload_module, "HOLD_S", 30.0)
    thread = preload(["kisi_probe_pkg"], formatting=False)
    while "kisi_probe_gate3" not in sys.modules:
        thread.join(0.01)
    guide_busy()  # while the package's own code runs
    sys.modules["kisi_probe_gate3"].OPEN.set()
    thread.join(0.5)
    assert thread.is_alive() and "kisi_probe_pkg.part" not in sys.modules
    # Meanwhile the UI thread imports what it needs without waiting for the hold.
    (tmp_path / "kisi_probe_ui.py").write_text("LOADED = True\n", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "kisi_probe_ui", raising=False)
    assert importlib.import_module("kisi_probe_ui").LOADED
    assert thread.is_alive() and "kisi_probe_pkg.part" not in sys.modules
    hurry()
    thread.join(10)
    part = sys.modules["kisi_probe_pkg.part"]
    assert part.LOADED
    assert type(part.__loader__) is type(sys.modules["kisi_probe_ui"].__loader__)
    monkeypatch.delitem(sys.modules, "kisi_probe_ui")


def _gated_probes(folder: Path, monkeypatch: pytest.MonkeyPatch, tag: str) -> None:
    """Modules ``kisi_probe_slow<tag>``, whose import waits until
    ``kisi_probe_gate<tag>.OPEN`` is set, and ``kisi_probe_after<tag>``."""
    gate, slow, after = (f"kisi_probe_{name}{tag}" for name in ("gate", "slow", "after"))
    (folder / f"{gate}.py").write_text(
        "import threading\nOPEN = threading.Event()\n", encoding="utf-8"
    )
    (folder / f"{slow}.py").write_text(f"import {gate}\n{gate}.OPEN.wait(20)\n", encoding="utf-8")
    (folder / f"{after}.py").write_text("LOADED = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    for name in (gate, slow, after):
        monkeypatch.delitem(sys.modules, name, raising=False)


FIRST_WRITE_CHILD = """
import importlib, json, sys
from datetime import date
from pathlib import Path
from kisi_desktop.ui.preload import PAGE_MODULES, UNLOCK_MODULES
from kisi_desktop.core.domain import Note
from kisi_desktop.core.workspace import Workspace

for name in UNLOCK_MODULES + PAGE_MODULES:
    importlib.import_module(name)
ws = Workspace.open(Path(sys.argv[1]), passphrase="Sonnenblume am Fenster")
before = set(sys.modules)
ws.add(Note(written_on=date(2026, 3, 2), text="Teamsitzung"))
print(json.dumps(sorted(set(sys.modules) - before)))
ws.lock()
"""


def test_the_first_form_saved_after_the_unlock_imports_nothing(tmp_path: Path) -> None:
    # sqlite-utils (with click, dateutil, pluggy) was imported by the first write after
    # an unlock: 40 ms on the UI thread for the first saved form, 1 ms for the next.
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, "Sonnenblume am Fenster", kdf=TEST_PARAMS)
    ws.lock()
    done = subprocess.run(
        [sys.executable, "-c", FIRST_WRITE_CHILD, str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
