"""A guide's day through the whole window, as the issue lists it.

Unlock with a wrong then the right passphrase; add a person, a contact with a note; search
finds the note; edit the person; idle time locks and clears every view; unlock again; erase
the person.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget

from kisi_desktop.core.domain import Municipality, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.people import PeoplePage
from kisi_desktop.ui.pages.people.gdpr_dialogs import EraseDialog

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


class WallClock:
    """Stands in for time.time(), moved by the test."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _unlock(qtbot: QtBot, window: MainWindow, secret: str) -> None:
    window.unlock_view.secret_edit.setText(secret)
    qtbot.keyClick(window.unlock_view.secret_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.unlocking, timeout=10_000)


def _people(window: MainWindow) -> PeoplePage:
    page = window.page("people")
    assert isinstance(page, PeoplePage)
    return page


def _dialog(page: PeoplePage) -> RecordDialog:
    assert isinstance(page.dialog, RecordDialog)
    return page.dialog


def _tick(view: QListWidget, key: str) -> None:
    for i in range(view.count()):
        if view.item(i).data(Qt.ItemDataRole.UserRole) == key:
            view.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(key)


def test_a_day_in_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    vault = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(vault, PASS, kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    ws.lock()
    clock = WallClock()
    window = build_main_window(vault)
    window.session._now = clock
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    _unlock(qtbot, window, "Lindenbluete 2026")
    assert window.unlock_view.error.text() == "Falsche Passphrase."
    _unlock(qtbot, window, PASS)
    assert window.windowTitle() == "KISI Desktop – Kirchhain"

    # People page by keyboard (Ctrl+2), a new person through the form.
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = _people(window)
    assert window.current_page() is page
    page.list_view.new_action.trigger()
    dialog = _dialog(page)
    name = dialog.form.editors["name"].widget
    assert isinstance(name, QLineEdit)
    qtbot.keyClicks(name, "Tesfay Gebremedhin")
    _tick(dialog.form.editors["nationalities"].widget, "ER")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    person = window.session.workspace.list(Person)[0]  # type: ignore[union-attr]

    # A contact with a note on the person's page.
    page.open_person(person.id)
    page.person_view.commands["add_contact"].trigger()
    dialog = _dialog(page)
    note = dialog.form.editors["note"].widget
    qtbot.keyClicks(note, "Termin bei der ")
    # QTest can only type ASCII; umlauts arrive as an input method would deliver them.
    note.insertPlainText("Ausländerbehörde vereinbart")  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page.dialog is None

    # Search (Ctrl+F) finds the note as the guide types, without umlauts.
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "auslanderbeh")
    qtbot.waitUntil(lambda: window.search_page.results.count() == 1, timeout=3000)
    assert "Ausländerbehörde" in window.search_page.results.item(0).text()
    qtbot.keyClick(window.search_page.results, Qt.Key.Key_Return)
    assert window.current_page() is page
    assert page.person_view.name_label.text() == "Tesfay Gebremedhin"

    # Edit the person.
    page.person_view.commands["edit_person"].trigger()
    dialog = _dialog(page)
    qtbot.keyClicks(dialog.form.editors["phone"].widget, "+49 6422 1234")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.session.workspace.get(Person, person.id).phone == "+49 6422 1234"  # type: ignore[union-attr]

    # Eleven minutes without input: locked, and nothing of the person is left on screen.
    clock.now += 11 * 60
    window.session.check_idle()
    assert window.session.workspace is None
    assert window.stack.currentWidget() is window.unlock_view
    assert page.list_view.model.rowCount() == 0
    assert page.person_view.name_label.text() == ""
    assert window.search.text() == ""

    # Unlock again and erase the person (Art. 17).
    _unlock(qtbot, window, PASS)
    page.open_person(person.id)
    page.person_view.commands["erase"].trigger()
    erase = page.dialog
    assert isinstance(erase, EraseDialog)
    qtbot.keyClicks(erase.name_edit, "Tesfay Gebremedhin")
    with qtbot.waitSignal(page.status, timeout=10_000):
        qtbot.mouseClick(erase.erase_button, Qt.MouseButton.LeftButton)
    workspace = window.session.workspace
    assert workspace is not None
    assert workspace.count(Person) == 0
    assert workspace.search("Ausländerbehörde") == []
    assert page.list_view.model.rowCount() == 0
