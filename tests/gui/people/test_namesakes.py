"""A person already in the vault is named under the name field before they are added twice
(counted twice, the AMIF figures would be wrong); saving again adds a namesake."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from kisi_desktop.core.domain import Person

from kisi_desktop.ui.forms.record_dialog import RecordDialog

from tests.gui.people.conftest import Harness

pytestmark = pytest.mark.gui


def _add_new(h: Harness, qtbot: QtBot, name: str, year: str) -> tuple[RecordDialog, str]:
    """A new person typed into the form and saved once: the form, and what it says under
    the name."""
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    qtbot.keyClicks(dialog.form.editors["name"].widget, name)
    qtbot.keyClicks(dialog.form.editors["birth_year"].widget, year)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return dialog, dialog.form.error_text("name")


def test_the_form_names_a_likely_namesake_and_a_second_save_adds_all_the_same(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    h.ws.add(Person(name="Amina Haidari", birth_year=1991, nationalities=("AF",)))
    h.ws.add(Person(name="Amina Haidari", birth_year=1975))  # same name, other year
    dialog, said = _add_new(h, qtbot, "amina  haidari", "1991")
    assert said.startswith("Schon im Tresor: \u2068Amina Haidari") and "1975" not in said
    assert len(h.ws.list(Person)) == 2 and h.page.dialog is dialog
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # someone else after all
    assert h.page.dialog is None
    assert len(h.ws.list(Person)) == 3


def test_an_edit_that_makes_a_person_a_namesake_is_asked_about_too(
    harness: Harness, qtbot: QtBot
) -> None:
    # QA: correcting a birth year so that name and birth matched someone already in the
    # vault saved without a word; the two were counted as two participants.
    h = harness
    h.ws.add(Person(name="Ahmad Karimi", birth_year=1990, nationalities=("AF",)))
    second = h.open_new_person("Ahmad Karimi", birth_year=1991)
    dialog = h.save_birth_year("1990")
    said = dialog.form.error_text("name")
    assert said.startswith("Schon im Tresor: \u2068Ahmad Karimi (geb. 1990, Afghanistan)"), said
    assert h.ws.get(Person, second.id).birth_year == 1991 and h.page.dialog is dialog
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # someone else after all
    assert h.page.dialog is None and h.ws.get(Person, second.id).birth_year == 1990
    # An edit that leaves name and birth alone asks nothing (the namesake is known by now).
    h.page.person_view.commands["edit_person"].trigger()
    dialog = h.dialog()
    qtbot.keyClicks(dialog.form.editors["phone"].widget, "06421 1234")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert h.page.dialog is None


def test_a_namesake_spelt_another_way_is_named_too(harness: Harness, qtbot: QtBot) -> None:
    # QA: "Karimi, Ahmed" was added beside "Ahmad Karimi" of the same year without a word.
    h = harness
    h.ws.add(Person(name="Ahmad Karimi", birth_year=1990, nationalities=("AF",)))
    dialog, said = _add_new(h, qtbot, "Karimi, Ahmed", "1990")
    assert said.startswith("Schon im Tresor: \u2068Ahmad Karimi (geb. 1990, Afghanistan)"), said
    assert len(h.ws.list(Person)) == 1 and h.page.dialog is dialog
