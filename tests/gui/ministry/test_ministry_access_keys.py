"""Alt and a letter reach every labelled field of the ministry window's tabs.

On the Distribute tab "Teilnahme:" (Participation) had no letter: the clerk making the
provisioning file for 42 municipalities had to Tab through the form to reach it.
"""

from __future__ import annotations

from collections import Counter

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.forms.access_keys import access_key

from tests.gui.ministry.conftest import Desk
from tests.support.access_keys import field_labels, keys_in

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_labelled_field_of_every_tab_has_a_letter_of_its_own(
    desk: Desk, language: str
) -> None:
    set_ui_language(language)
    desk.init()
    window = desk.window()
    window.retranslate_ui()
    for index in range(window.tabs.count()):
        tab = window.tabs.widget(index)
        window.tabs.setCurrentIndex(index)
        name = window.tabs.tabText(index)
        without = [
            label.text()
            for label in field_labels(tab)
            if label.buddy() is None or not access_key(label.text())
        ]
        assert without == [], (name, without)
        keys = keys_in(tab)
        assert [k for k, n in Counter(keys).items() if n > 1] == [], (name, keys)


@pytest.mark.parametrize(("language", "key"), [("de", Qt.Key.Key_T), ("en", Qt.Key.Key_R)])
def test_alt_and_the_participation_letter_ticks_the_box(
    desk: Desk, language: str, key: Qt.Key
) -> None:
    set_ui_language(language)
    desk.init()
    window = desk.window()
    window.retranslate_ui()
    window.tabs.setCurrentWidget(window.distribute)
    box = window.distribute.provisioning.participation
    assert not box.isChecked()
    window.activateWindow()
    desk.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    desk.qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(box.isChecked)
    assert box.hasFocus()
