"""What a screen reader says for each control of the unlocked window, page by page.

Every control Tab can reach must have a name: its own accessible name, its text (buttons,
tabs), or the label it is the buddy of. Asked through Qt's accessibility interface, which is
what Orca or NVDA reads, so a buddy label in another parent (which Qt does not find) counts
as no name. After switching to English in the settings, no name may still be German.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.domain import Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.qt_i18n import install_qt_translator
from kisi_desktop.ui.settings_dialog import SettingsDialog

from tests.support.qt_tasks import flush_deletions

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"
GERMAN_CATALOG = Path(__file__).parents[2] / "translations" / "de" / "LC_MESSAGES" / "kisi.po"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, config_dir: Path) -> Iterator[MainWindow]:
    """The unlocked window over a vault with made-up people, in German with Qt's catalog."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    register_fonts()
    install_qt_translator(app, "de")
    vault = tmp_path / "vault.kisi"
    clock = FixedClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    ws, _code = Workspace.create(vault, PASS, kdf=TEST_PARAMS, clock=clock)
    generate(ws, 30, random.Random(5), clock)
    ws.lock()
    win = build_main_window(vault)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: win.session.workspace is not None, timeout=10_000)
    yield win
    win.session.lock("manual")
    install_qt_translator(app, "en")
    flush_deletions()


def _spoken_name(widget: QWidget) -> str:
    face = QAccessible.queryAccessibleInterface(widget)
    return face.text(QAccessible.Text.Name).strip() if face is not None else ""


def _reachable(window: MainWindow) -> list[QWidget]:
    """The controls on screen that Tab stops at."""
    return [
        w
        for w in window.findChildren(QWidget)
        if w.isVisibleTo(window)
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None  # (the proxy itself is among the controls)
    ]


def _views(qtbot: QtBot, window: MainWindow) -> Iterator[str]:
    """Show every page, a person's page and the search results in turn; yield their names."""
    for index, page in enumerate(window.page_list):
        window.nav.setCurrentRow(index)
        window.page(page.key)
        reader = getattr(window.page(page.key), "reader", None)
        if reader is not None:
            qtbot.waitUntil(lambda r=reader: not r.busy, timeout=10_000)
        qtbot.wait(30)
        yield page.key
    workspace = window.session.workspace
    assert workspace is not None
    person = workspace.list(Person)[0]
    window.navigate("people", person.id)
    qtbot.wait(30)
    yield "person"
    qtbot.keyClicks(window.search, "a")  # (QTest types ASCII only)
    qtbot.waitUntil(lambda: window.current_page() is window.search_page, timeout=5_000)
    qtbot.waitUntil(lambda: window.search_page.results.count() > 0, timeout=5_000)
    yield "search"
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)


def _unnamed(qtbot: QtBot, window: MainWindow) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for view in _views(qtbot, window):
        for widget in _reachable(window):
            if not _spoken_name(widget):
                found.setdefault(view, []).append(
                    f"{type(widget).__name__} {widget.objectName()!r}"
                )
    return found


def _german_only() -> set[str]:
    """German translations that are not also an English text (Name, Status, Team...)."""
    with GERMAN_CATALOG.open("rb") as file:
        catalog = read_po(file)
    english, german = set(), set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        english.update(i.replace("&", "") for i in ids if i)
        german.update(t.replace("&", "") for t in texts if t)
    return german - english


def _switch_to_english(qtbot: QtBot, window: MainWindow) -> None:
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is None)


def test_every_control_has_a_name_a_screen_reader_reads(qtbot: QtBot, window: MainWindow) -> None:
    assert _unnamed(qtbot, window) == {}


def test_after_switching_to_english_no_control_is_named_in_german(
    qtbot: QtBot, window: MainWindow
) -> None:
    list(_views(qtbot, window))  # every page built (and named) in German first
    _switch_to_english(qtbot, window)
    german = _german_only()
    still_german = {}
    for view in _views(qtbot, window):
        for widget in _reachable(window):
            name = _spoken_name(widget).replace("&", "")
            if name in german:
                still_german[f"{view}: {type(widget).__name__} {widget.objectName()!r}"] = name
    assert still_german == {}
    assert _unnamed(qtbot, window) == {}


def test_search_results_shown_during_a_switch_speak_the_new_language(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClicks(window.search, "a")
    results = window.search_page
    qtbot.waitUntil(lambda: window.current_page() is results and results.results.count() > 0)
    assert results.results.accessibleName() == "Suchergebnisse"
    assert results.heading.text().startswith("Die neuesten")
    _switch_to_english(qtbot, window)
    assert results.results.accessibleName() == "Search results"
    assert results.heading.text().startswith("The newest")
    assert window.current_page() is results
