"""A person already in the vault is named under the name field before they are added twice
(counted twice, the AMIF figures would be wrong); saving again adds a namesake."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from kisi_desktop.core.domain import Person

from tests.gui.people.conftest import Harness

pytestmark = pytest.mark.gui


def test_the_form_names_a_likely_namesake_and_a_second_save_adds_all_the_same(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    h.ws.add(Person(name="Amina Haidari", birth_year=1991, nationalities=("AF",)))
    h.ws.add(Person(name="Amina Haidari", birth_year=1975))  # same name, other year
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    qtbot.keyClicks(dialog.form.editors["name"].widget, "amina  haidari")
    qtbot.keyClicks(dialog.form.editors["birth_year"].widget, "1991")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    said = dialog.form.error_text("name")
    assert said.startswith("Schon im Tresor: \u2068Amina Haidari") and "1975" not in said
    assert len(h.ws.list(Person)) == 2 and h.page.dialog is dialog
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # someone else after all
    assert h.page.dialog is None
    assert len(h.ws.list(Person)) == 3
