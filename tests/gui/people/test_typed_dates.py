"""Dates typed into the People forms the way guides type them, and the calendar beside them.

The QDateEdit these fields used stored 1 November for "01.02.2027" typed with dots, and its
empty optional dates could not be typed over and kept the Tab key.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget, QTableView

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Contact, FollowUp, Person
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.forms.field_widgets import DateField
from kisi_desktop.ui.forms.record_dialog import RecordDialog

from tests.gui.people.conftest import Harness
from tests.support.qt_tasks import flush_deletions

pytestmark = pytest.mark.gui


def _date_field(dialog: RecordDialog, name: str) -> DateField:
    field = dialog.form.editors[name].widget
    assert isinstance(field, DateField)
    return field


def _save(h: Harness, dialog: RecordDialog) -> None:
    h.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def _new_followup(h: Harness) -> RecordDialog:
    h.open_new_person("Hodan Yuusuf", nationalities=("SO",))
    return _new_followup_for(h)


def _new_followup_for(h: Harness) -> RecordDialog:
    h.page.person_view.commands["add_followup"].trigger()
    dialog = h.dialog()
    h.qtbot.keyClicks(dialog.form.editors["text"].widget, "Anruf beim Jobcenter")
    return dialog


def test_an_optional_birth_date_is_typed_with_dots_and_tab_moves_on(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    qtbot.keyClicks(dialog.form.editors["name"].widget, "Yonas Tesfay")
    born = _date_field(dialog, "birth_date")
    assert born.edit.text() == "" and born.edit.placeholderText() == "TT.MM.JJJJ"
    born.setFocus()
    qtbot.waitUntil(born.edit.hasFocus)
    qtbot.keyClicks(born.edit, "15.3.1990")
    qtbot.keyClick(born.edit, Qt.Key.Key_Tab)
    assert not born.edit.hasFocus()  # Tab leaves the field
    assert born.edit.text() == "15.03.1990"  # and shows the date as it was read
    assert born.button.focusPolicy() == Qt.FocusPolicy.NoFocus  # and skips the button
    _save(h, dialog)
    assert h.page.dialog is None
    assert [p.birth_date for p in h.ws.list(Person)] == [date(1990, 3, 15)]


def test_a_date_that_does_not_exist_is_said_under_the_field_and_nothing_is_saved(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    dialog = _new_followup(h)
    due = _date_field(dialog, "due_on")
    assert due.edit.text() == "10.03.2026"  # a required date starts at today
    due.edit.clear()
    qtbot.keyClicks(due.edit, "31.02.2026")
    _save(h, dialog)
    assert dialog.form.error_text("due_on") == "Diesen Tag gibt es nicht."
    assert h.ws.count(FollowUp) == 0
    due.edit.clear()
    qtbot.keyClicks(due.edit, "0102 2027")
    _save(h, dialog)
    assert dialog.form.error_text("due_on") == ("Datum als TT.MM.JJJJ eingeben, z. B. 15.03.1990.")
    due.edit.clear()
    qtbot.keyClicks(due.edit, "01.02.2027")
    _save(h, dialog)
    assert h.page.dialog is None
    assert [f.due_on for f in h.ws.list(FollowUp)] == [date(2027, 2, 1)]


def test_a_required_date_left_empty_is_said_under_the_field(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    dialog = _new_followup(h)
    _date_field(dialog, "due_on").edit.clear()
    _save(h, dialog)
    assert dialog.form.error_text("due_on") == "Datum als TT.MM.JJJJ eingeben, z. B. 15.03.1990."
    assert h.ws.count(FollowUp) == 0


# The offscreen platform cannot raise a pop-up or give it the keyboard; it says so.
@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing the keyboard)")
def test_the_calendar_opens_with_alt_down_on_the_typed_day_and_enter_picks(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    dialog = _new_followup(h)
    due = _date_field(dialog, "due_on")
    due.edit.setText("20.3.2026")
    due.edit.setFocus()
    qtbot.keyClick(due.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = due.calendar
    assert calendar is not None
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.selectedDate().toPython() == date(2026, 3, 20)
    days = calendar.findChild(QTableView)  # the grid of days, which takes the keys
    assert days is not None
    qtbot.keyClick(days, Qt.Key.Key_Right)  # the next day
    qtbot.keyClick(days, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: due.calendar is None)
    assert due.edit.text() == "21.03.2026"
    flush_deletions()
    assert due.findChildren(QCalendarWidget) == []  # each opening's calendar is gone again
    _save(h, dialog)
    assert [f.due_on for f in h.ws.list(FollowUp)] == [date(2026, 3, 21)]


def test_in_english_dates_show_as_iso_and_dots_are_read_too(harness: Harness, qtbot: QtBot) -> None:
    set_ui_language("en")
    try:
        h = harness
        dialog = _new_followup(h)
        due = _date_field(dialog, "due_on")
        assert due.edit.text() == "2026-03-10"
        due.edit.clear()
        qtbot.keyClicks(due.edit, "2.4.2026")
        _save(h, dialog)
        assert [f.due_on for f in h.ws.list(FollowUp)] == [date(2026, 4, 2)]
    finally:
        set_ui_language("de")
        QApplication.processEvents()


def test_a_language_switch_renames_the_calendar_button(harness: Harness) -> None:
    field = DateField()
    assert field.button.toolTip() == "Im Kalender wählen (Alt+Pfeil nach unten)"
    set_ui_language("en")
    try:
        field.set_language("en")
        assert field.button.toolTip() == "Choose from a calendar (Alt+Down)"
        assert field.button.accessibleName() == "Choose from a calendar"
    finally:
        set_ui_language("de")
        field.deleteLater()


def test_half_a_date_survives_in_the_draft_as_typed(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    dialog = _new_followup(h)
    editor = dialog.form.editors["due_on"]
    editor.widget.edit.clear()
    qtbot.keyClicks(editor.widget.edit, "15.03.")
    assert editor.to_draft() == "15.03."
    editor.from_draft("2026-04-30")  # as drafts written before this field held it
    assert editor.widget.edit.text() == "30.04.2026"
    editor.from_draft("15.03.")
    assert editor.widget.edit.text() == "15.03."
    dialog.reject()


def test_a_birth_year_typed_short_is_in_the_past_and_a_number_is_not_trimmed(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    qtbot.keyClicks(dialog.form.editors["name"].widget, "Ayaan Warsame")
    qtbot.keyClicks(_date_field(dialog, "birth_date").edit, "15.03.30")
    qtbot.keyClicks(dialog.form.editors["birth_year"].widget, "19,30")
    _save(h, dialog)
    assert dialog.form.error_text("birth_year") == "Eine ganze Zahl eingeben, z. B. 1985."
    dialog.form.editors["birth_year"].widget.clear()
    _save(h, dialog)
    assert [p.birth_date for p in h.ws.list(Person)] == [date(1930, 3, 15)]  # not 2030


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing the keyboard)")
def test_a_birth_or_contact_date_still_to_come_is_said_under_the_field(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    h.open_new_person("Hodan Yuusuf", nationalities=("SO",))
    h.page.person_view.commands["add_contact"].trigger()
    dialog = h.dialog()
    day = _date_field(dialog, "contacted_on")
    # "Today" is the session's: the vault's clock stands at 18 March 2026 here, months
    # before this computer's day, as a records' default date and the check must agree.
    clock_day = today(h.clock)
    assert clock_day < date.today()
    assert day.day() == clock_day
    day.show_calendar()
    assert day.calendar is not None
    assert day.calendar.maximumDate().toPython() == clock_day  # no coming day offered
    day.calendar.parentWidget().close()
    day.edit.setText((clock_day + timedelta(days=1)).isoformat())
    _save(h, dialog)
    assert dialog.form.error_text("contacted_on") == "Dieser Tag ist noch nicht gekommen."
    assert h.ws.count(Contact) == 0
    day.edit.setText(clock_day.isoformat())
    dialog.form.editors["note"].set("Termin vereinbart")
    _save(h, dialog)
    assert h.page.dialog is None and h.ws.count(Contact) == 1
    # A follow-up is due ahead: that is what it is for.
    dialog = _new_followup_for(h)
    _date_field(dialog, "due_on").edit.setText("01.01.2030")
    _save(h, dialog)
    assert [f.due_on for f in h.ws.list(FollowUp)] == [date(2030, 1, 1)]
