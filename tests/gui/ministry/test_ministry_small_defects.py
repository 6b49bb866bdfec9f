"""Three things the ministry's staff met: an empty file from a stick said only "damaged",
each cancelled registration left its dialog behind in the window, and "Quit" had no key
on Windows (the guides' window has the same check)."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from kisi_desktop.ui.ministry.register_dialog import RegisterDialog
from kisi_desktop.ui.quit_keys import quit_keys

from tests.gui.ministry.conftest import Desk, results
from tests.support.qt_tasks import flush_deletions

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("in_german")]


def test_an_empty_file_from_the_stick_is_said_to_be_empty(desk: Desk) -> None:
    desk.init()
    town = desk.ready_town()
    window = desk.window()
    good = town.export("2025-10-01..2026-03-31").path
    empty = good.with_name(good.name.replace("_000001_", "_000002_"))
    empty.write_bytes(b"")  # what a copy cut off when the stick was pulled leaves
    assert desk.drop(window, [empty])
    desk.wait_idle(window)
    (row,) = results(window)
    model = window.intake.model
    assert [model.index(0, c).data() for c in range(3)] == [
        empty.name,
        "nicht gelesen",
        "leere Datei (0 Byte)",
    ]
    assert row.receipt is None  # no answer to a file that holds no bundle
    window.intake.view.setCurrentIndex(model.index(0, 0))
    detail = window.intake.detail.text()
    assert "beschädigt" not in detail
    assert "ist leer (0 Byte)" in detail
    assert "vom USB-Stick" in detail
    assert "noch einmal" in detail  # what to do
    with desk.open() as ministry:
        assert ministry.store.conn.execute("SELECT count(*) FROM bundles").fetchone() == (0,)


def test_cancelled_registrations_leave_no_dialog_behind(desk: Desk) -> None:
    desk.init()
    window = desk.window()
    window.tabs.setCurrentWidget(window.towns)
    for _round in range(5):
        desk.click(window.towns.register_button)
        dialog = desk.wait_for(lambda: window.towns.register_dialog)
        desk.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
        assert window.towns.register_dialog is None
    flush_deletions()
    assert window.findChildren(RegisterDialog) == []


def test_quit_has_ctrl_q_where_the_platform_names_no_key() -> None:
    ctrl_q = QKeySequence("Ctrl+Q")
    assert quit_keys([]) == [ctrl_q]  # Windows: QKeySequence.StandardKey.Quit is empty
    assert quit_keys([ctrl_q]) == [ctrl_q]  # Linux desktops: their own
    assert quit_keys([QKeySequence("Ctrl+Shift+Q")]) == [QKeySequence("Ctrl+Shift+Q")]


def test_the_ministry_window_quits_with_its_key(desk: Desk) -> None:
    desk.init()
    window = desk.window()
    assert window.quit_action.shortcuts() == quit_keys()
    assert window.quit_action.shortcut().toString() != ""
    window.activateWindow()  # (a window's shortcuts answer in the active window)
    desk.qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    desk.qtbot.keyClick(window.tabs, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(lambda: not window.isVisible())


def test_the_result_and_the_municipality_key_are_whole_on_a_laptop_screen(desk: Desk) -> None:
    # At 1366 pixels the Result column showed "importi…" and the AGS "0…": they kept the
    # width of the empty table while the Reason column took the rest.
    desk.init()
    town = desk.ready_town()
    window = desk.window()
    window.resize(1366, 768)
    good = town.export("2025-10-01..2026-03-31").path
    empty = good.with_name(good.name.replace("_000001_", "_000002_"))
    empty.write_bytes(b"")
    assert desk.drop(window, [good, empty])
    desk.wait_idle(window)
    view, model = window.intake.view, window.intake.model
    metrics = view.fontMetrics()
    for row in range(model.rowCount()):
        for column in (1, 3):  # Result, AGS
            text = model.index(row, column).data()
            needed = metrics.horizontalAdvance(text)
            assert view.columnWidth(column) > needed, (text, view.columnWidth(column), needed)
    assert [model.index(r, 1).data() for r in range(2)] == ["importiert", "nicht gelesen"]
    assert model.index(0, 3).data() == "06534011"
