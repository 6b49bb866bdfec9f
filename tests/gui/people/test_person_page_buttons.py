"""The person page's buttons: their texts keep the mnemonic and the "…", Alt+letter works."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from kisi_desktop.ui.forms.record_dialog import RecordDialog

from tests.gui.people.conftest import Harness

pytestmark = pytest.mark.gui


def test_buttons_show_mnemonic_and_ellipsis_and_alt_letter_presses_them(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    h.open_new_person("Hodan Yuusuf", nationalities=("SO",))
    view = h.page.person_view
    buttons = {
        name: view.findChild(QToolButton, f"button_{name}")
        for name in ("add_contact", "edit_person", "add_consent", "export", "open_case")
    }
    shown = {name: button.text() for name, button in buttons.items()}
    assert shown == {
        "add_contact": "+ &Kontakt",
        "edit_person": "Person bearbei&ten",
        "add_consent": "Einwilligung e&rfassen…",
        "export": "Daten e&xportieren (Art. 15)…",
        "open_case": "Fa&ll eröffnen…",
    }
    # The shortcut is named in the tooltip (the buttons are too many to carry it in the text).
    assert buttons["add_contact"].toolTip() == "+ Kontakt (Ctrl+Shift+C)"

    h.page.window().activateWindow()
    qtbot.waitUntil(h.page.isActiveWindow, timeout=2000)
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(h.page.dialog, RecordDialog), timeout=2000)
    dialog = h.page.dialog
    assert isinstance(dialog, RecordDialog)
    assert dialog.windowTitle() == "Neuer Kontakt – Hodan Yuusuf"
    dialog.reject()  # untouched: closes without asking


def test_a_button_keeps_its_mnemonic_when_its_action_is_enabled(harness: Harness) -> None:
    h = harness
    h.open_new_person("Hodan Yuusuf")
    view = h.page.person_view
    action = view.commands["edit_entry"]
    button = view.findChild(QToolButton, "button_edit_entry")
    action.setEnabled(not action.isEnabled())  # Qt refills a tool button from its action here
    assert button.text() == "Eintrag bearbe&iten"
