"""A language switch in the settings while a record form is open: the form speaks the new
language at once (labels with their access keys, lists, dates, its buttons and title), as
the pages already do, and keeps what was typed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QListWidget

from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.forms.access_keys import access_key
from kisi_desktop.ui.forms.labels import field_label
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.people.people_page import PeoplePage
from kisi_desktop.ui.qt_i18n import install_qt_translator
from kisi_desktop.ui.settings_dialog import apply_settings, current_settings

from tests.support.access_keys import keys_in
from tests.support.app_process import town_vault_with_a_note
from tests.support.windows import unlocked_window

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


def _contact_form(qtbot: QtBot, tmp_path: Path) -> tuple[MainWindow, RecordDialog]:
    window = unlocked_window(qtbot, town_vault_with_a_note(tmp_path, PASS), PASS)
    window.navigate("people")
    people = window.page("people")
    assert isinstance(people, PeoplePage)
    workspace = window.session.workspace
    assert workspace is not None
    people.open_person(workspace.list(Person)[0].id)
    dialog = people.open_form(Contact.KIND)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return window, dialog


def _switch(window: MainWindow, language: str) -> None:
    apply_settings(window, replace(current_settings(window), language=language))


@contextmanager
def _in_english(window: MainWindow) -> Iterator[None]:
    """Settings → English, and back to German afterwards (Qt's own words and locale too)."""
    locale = QLocale()
    try:
        _switch(window, "en")
        yield
    finally:
        _switch(window, "de")
        install_qt_translator(QApplication.instance(), "en")  # type: ignore[arg-type]
        set_ui_language("de")
        QLocale.setDefault(locale)


def test_an_open_form_speaks_english_after_the_switch_and_keeps_what_was_typed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, dialog = _contact_form(qtbot, tmp_path)
    form = dialog.form
    mode = form.editors["mode"].widget
    assert isinstance(mode, QComboBox)
    mode.setCurrentIndex(1)
    chosen = mode.currentData()
    form.editors["contacted_on"].set(None)  # today, written the German way
    typed_day = form.editors["contacted_on"].get()
    topics = form.editors["topics"].widget
    assert isinstance(topics, QListWidget)
    topics.item(0).setCheckState(Qt.CheckState.Checked)
    ticked = form.editors["topics"].get()
    german_title = dialog.windowTitle()
    with _in_english(window):
        ref = form.ref
        for name, label in form.labels.items():
            shown = label.text().replace("&", "")
            assert shown == field_label(Contact.KIND, name) + ":", name
            assert access_key(label.text()), shown  # still Alt and a letter
        shown_modes = [mode.itemText(i) for i in range(mode.count())]
        assert shown_modes == [entry.label("en") for entry in ref.enum("contact_modes").values()]
        assert mode.currentData() == chosen  # the choice stays
        topics = form.editors["topics"].widget
        assert isinstance(topics, QListWidget)
        assert topics.item(0).text() == next(iter(ref.enum("topics").values())).label("en")
        assert form.editors["topics"].get() == ticked
        assert form.editors["contacted_on"].get() == typed_day  # read in the new language's form
        assert dialog.save_button.text() == "&Save (Ctrl+S)"
        assert dialog.cancel_button.text() == "Cancel (Esc)"
        assert dialog.windowTitle() != german_title and "Kontakt" not in dialog.windowTitle()
        # Every access key of the window still does one thing.
        assert [k for k, n in Counter(keys_in(dialog)).items() if n > 1] == []
    assert form.labels["contacted_on"].text().replace("&", "") == "Datum:"
    dialog.reject()
    window.session.lock("manual")


def test_a_message_shown_under_a_field_speaks_the_new_language_after_the_switch(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """QA: after Settings → English the red line under the date stayed German."""
    window, dialog = _contact_form(qtbot, tmp_path)
    form = dialog.form
    day = form.editors["contacted_on"].widget
    day.edit.clear()
    qtbot.keyClicks(day.edit, "31.02.2026")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # not saved: the date does not exist
    assert form.error_text("contacted_on") == "Diesen Tag gibt es nicht."
    with _in_english(window):
        assert form.error_text("contacted_on") == "This date does not exist."
        assert day.edit.accessibleDescription() == "This date does not exist."
        assert day.edit.text() == "31.02.2026"  # what was typed stays
        assert dialog.isVisible()
    assert form.error_text("contacted_on") == "Diesen Tag gibt es nicht."
    dialog.reject()
    window.session.lock("manual")
