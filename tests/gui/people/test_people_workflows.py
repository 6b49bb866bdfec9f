"""People workflows on a real vault: add, validate, timeline, edit, filter, export, erase, lock."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QWidget,
)

from kisi_desktop.core.domain import (
    Activity,
    Case,
    Consent,
    Contact,
    Draft,
    HandoutGiven,
    Note,
    OutcomeEvent,
    Partner,
    Person,
    Referral,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.domain.case import retention_due
from kisi_desktop.core.errors import VaultWriteFailed
from kisi_desktop.core.i18n import format_date, set_ui_language
from kisi_desktop.core.overview import month_overview
from kisi_desktop.core.store import sealed_store, vault_file

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.people import people_page as people_page_module
from kisi_desktop.ui.pages.people.access_report import access_report, readable_path_beside
from kisi_desktop.ui.pages.people.gdpr_dialogs import EraseDialog
from kisi_desktop.ui.pages.people.timeline_model import TimelineRole
from kisi_desktop.ui.pages.registry import PEOPLE_DUE_FOR_DELETION
from kisi_desktop.ui.qt_i18n import install_qt_translator

from tests.gui.people.conftest import Harness, add_person
from tests.support.clipping import clipped
from tests.support.discard import discard
from tests.support.full_disk import fill_the_disk, make_room
from tests.support.qt_tasks import flush_deletions

pytestmark = pytest.mark.gui


def _field(dialog: RecordDialog, name: str):
    return dialog.form.editors[name].widget


def _tick(view: QListWidget, key: str) -> None:
    for i in range(view.count()):
        if view.item(i).data(Qt.ItemDataRole.UserRole) == key:
            view.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(key)


def _save(h: Harness, dialog: RecordDialog) -> None:
    h.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def _names(h: Harness) -> list[str]:
    model = h.page.list_view.model
    return [model.person_row(r).name for r in range(model.rowCount())]


def _timeline(h: Harness) -> list[tuple[str, str]]:
    model = h.page.person_view.timeline_model
    return [(model.index(r, 1).data(), model.index(r, 2).data()) for r in range(model.rowCount())]


T = TypeVar("T")


def _person_command(h: Harness, person_id: str, command: str, kind: type[T]) -> T:
    """Open the person's page, trigger one of its commands and return the dialog it
    opened, of the kind it must be."""
    h.page.open_person(person_id)
    h.page.person_view.commands[command].trigger()
    dialog = h.page.dialog
    assert isinstance(dialog, kind)
    return dialog


def test_add_person_through_the_dialog(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    name = _field(dialog, "name")
    assert isinstance(name, QLineEdit)
    qtbot.keyClicks(name, "Amina Haidari")
    filter_edit = h.page.list_filters["nationalities"].edit
    qtbot.keyClicks(filter_edit, "afgh")
    nationalities = _field(dialog, "nationalities")
    visible = [
        nationalities.item(i).text()
        for i in range(nationalities.count())
        if not nationalities.item(i).isHidden()
    ]
    assert visible == ["Afghanistan"]
    _tick(nationalities, "AF")
    _save(h, dialog)
    assert h.page.dialog is None
    assert _names(h) == ["Amina Haidari"]
    stored = h.ws.list(Person)[0]
    assert stored.nationalities == ("AF",)
    assert h.page.list_view.count_label.text() == "1 Person"


def test_an_empty_list_says_how_to_begin_and_a_filter_without_hits_says_so(
    harness: Harness, qtbot: QtBot
) -> None:
    """As the office pages' lists do: a new vault's empty list is no dead end."""
    h = harness
    h.reload_list()
    view = h.page.list_view
    assert view.new_button.text() == "&Neue Person (Ctrl+N)"  # (Qt says Strg in the app)
    hint = view.empty_hint
    assert hint.isVisible()
    assert hint.text() == (
        "Noch nichts erfasst: „Neue Person (Ctrl+N)“ legt den ersten Eintrag an, "
        "„Aus Liste importieren…“ eine ganze Liste."
    )
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)  # the button still opens it
    h.dialog().reject()
    add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    h.reload_list()
    assert not hint.isVisible()
    qtbot.keyClicks(view.filter_edit, "zzz")
    assert hint.isVisible() and hint.text() == "Nichts passt zum Filter."
    assert view.count_label.text() == "0 von 1 Personen"
    view.filter_edit.clear()
    assert not hint.isVisible()


def test_invalid_input_is_shown_under_the_field_and_nothing_is_saved(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    _save(h, dialog)
    assert dialog.form.error_text("name") != ""
    assert h.page.dialog is dialog
    qtbot.keyClicks(_field(dialog, "name"), "Yonas Tesfay")
    qtbot.keyClicks(_field(dialog, "birth_year"), "1990")
    dialog.form.editors["birth_date"].set(date(1990, 5, 1))
    _save(h, dialog)
    assert dialog.form.error_text("name") == ""
    assert "nicht beides" in dialog.form.error_text("birth_year")
    assert h.ws.count(Person) == 0
    assert h.page.list_view.model.rowCount() == 0
    discard(qtbot, dialog)
    assert h.page.dialog is None


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing the keyboard)")
def test_esc_asks_before_typed_input_is_thrown_away(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    # Untouched, the form closes at once.
    h.page.list_view.new_action.trigger()
    untouched = h.dialog()
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert untouched.discard_question is None and h.page.dialog is None
    pid = add_person(h.ws, "Amina Haidari").id
    h.reload_list()
    h.page.list_view.select(pid)
    qtbot.keyClick(h.page.list_view.table, Qt.Key.Key_Return)
    h.page.person_view.commands["add_note"].trigger()
    dialog = h.dialog()
    text = _field(dialog, "text")
    qtbot.keyClicks(text, "Termin beim Jobcenter am Dienstag")
    qtbot.keyClick(text, Qt.Key.Key_Escape)
    box = dialog.discard_question
    assert box is not None and box.isVisible()
    keep = box.findChild(QPushButton, "confirmNo")
    assert keep.text() == "&Weiter bearbeiten"
    # Esc again (the reflex) answers "keep editing": the input stays.
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert dialog.isVisible() and h.page.dialog is dialog
    assert "Jobcenter" in dialog.form.editors["text"].get()
    discard(qtbot, dialog)
    assert h.page.dialog is None
    assert h.ws.list(Note, owner=pid) == [] and h.ws.list(Draft) == []
    # A lock while the question is open: both close, and the input is kept as a draft.
    h.page.person_view.commands["add_note"].trigger()
    dialog = h.dialog()
    qtbot.keyClicks(_field(dialog, "text"), "Termin beim Sozialamt")
    dialog.reject()
    question = dialog.discard_question
    assert question is not None and question.isVisible()
    h.session.lock("idle")
    assert not question.isVisible() and not dialog.isVisible()
    h.unlock()
    (kept,) = h.ws.list(Draft)
    assert "Sozialamt" in kept.values_json


def _press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the focus is, as the guide presses it."""
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, key, modifier)


def test_enter_saves_the_form_after_the_focus_passed_cancel(harness: Harness, qtbot: QtBot) -> None:
    """QA pass, keyboard only: once Tab had passed Cancel, Qt made it the default button
    and Enter in a field asked to discard the note instead of saving it."""
    h = harness
    person = h.open_new_person("Amina Haidari")
    h.page.window().activateWindow()
    qtbot.waitUntil(h.page.isActiveWindow, timeout=2000)
    _press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = h.dialog()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    _press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is _field(dialog, "text")
    QTest.keyClicks(QApplication.focusWidget(), "Termin")
    _press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    _press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is dialog.cancel_button
    _press(Qt.Key.Key_Tab)
    assert dialog.save_button.isDefault() and not dialog.cancel_button.isDefault()
    _press(Qt.Key.Key_Return)
    assert dialog.discard_question is None
    assert [note.text for note in h.ws.list(Note, owner=person.id)] == ["Termin"]
    assert h.page.dialog is None


def test_every_field_to_correct_is_shown_at_once(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    qtbot.keyClicks(_field(dialog, "phone"), "ruf mich an")
    qtbot.keyClicks(_field(dialog, "email"), "amina@")
    born = dialog.form.editors["birth_date"].widget.edit  # type: ignore[attr-defined]
    qtbot.keyClicks(born, "31.02.1990")
    _save(h, dialog)
    errors = {f: dialog.form.error_text(f) for f in ("name", "phone", "email", "birth_date")}
    assert errors["name"] == "Dieses Feld ist erforderlich."
    assert all(errors.values()), errors
    assert dialog.focusWidget() is _field(dialog, "name")  # the first, to start with
    # A screen reader reads each message with its field.
    assert _field(dialog, "phone").accessibleDescription() == errors["phone"]
    assert born.accessibleDescription() == errors["birth_date"]
    assert h.ws.count(Person) == 0
    # Corrected fields lose their message at the next try; the others keep theirs.
    qtbot.keyClicks(_field(dialog, "name"), "Amina Haidari")
    _field(dialog, "phone").clear()
    _save(h, dialog)
    assert dialog.form.error_text("name") == dialog.form.error_text("phone") == ""
    assert _field(dialog, "phone").accessibleDescription() == ""
    assert born.accessibleDescription() == errors["birth_date"]  # still wrong
    assert dialog.form.error_text("email") and dialog.form.error_text("birth_date")
    assert h.ws.count(Person) == 0
    dialog.reject()


def test_a_full_disk_keeps_the_form_open_with_the_input_and_says_why(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    qtbot.keyClicks(_field(dialog, "name"), "Yonas Tesfay")
    fill_the_disk(h.ws.vault.conn)
    with pytest.raises(VaultWriteFailed):  # until the last page has no room for one more
        for i in range(100_000):
            add_person(h.ws, f"Filler {i:05d}")  # as long as the name typed
    before = h.ws.count(Person)
    _save(h, dialog)
    assert h.page.dialog is dialog and dialog.isVisible()
    assert dialog.message.text().startswith("Die Festplatte ist voll")
    assert _field(dialog, "name").text() == "Yonas Tesfay"
    assert h.ws.count(Person) == before
    make_room(h.ws.vault.conn)
    _save(h, dialog)
    assert h.page.dialog is None
    assert h.ws.count(Person) == before + 1
    assert "Yonas Tesfay" in [p.name for p in h.ws.list(Person)]


def test_the_save_button_names_its_key_as_the_ui_language_does(harness: Harness) -> None:
    app = QApplication.instance()
    assert app is not None
    locale = QLocale()
    install_qt_translator(app, "de")  # as the app does at start
    try:
        harness.page.list_view.new_action.trigger()
        dialog = harness.dialog()
        assert dialog.save_button.text() == "&Speichern (Strg+S)"
        dialog.reject()
    finally:
        install_qt_translator(app, "en")  # Qt's own texts back as the other tests expect
        QLocale.setDefault(locale)


def test_an_untouched_contact_or_referral_form_stores_nothing(
    harness: Harness, qtbot: QtBot
) -> None:
    """Ctrl+S on a form as it opened stored a contact nobody described (45 min at the
    office) and a referral to the first target in the list; both counted in the figures."""
    h = harness
    h.open_new_person("Yonas Tesfay", nationalities=("ER",))
    h.page.person_view.commands["add_contact"].trigger()
    dialog = h.dialog()
    # The true defaults stay: today, 45 minutes, in person at the office.
    editors = dialog.form.editors
    assert (editors["duration_minutes"].get(), editors["mode"].get()) == (45, "office")
    _save(h, dialog)
    assert dialog.form.error_text("topics") == (
        "Worum ging es? Bitte ein Thema oder eine Maßnahme ankreuzen oder eine Notiz schreiben."
    )
    assert h.page.dialog is dialog and h.ws.count(Contact) == 0
    # Any one of the three will do: here the note alone.
    qtbot.keyClicks(_field(dialog, "note"), "Anruf wegen Termin")
    _save(h, dialog)
    assert h.page.dialog is None and h.ws.count(Contact) == 1

    h.page.person_view.commands["add_referral"].trigger()
    dialog = h.dialog()
    target = _field(dialog, "target")
    assert target.currentIndex() == -1 and target.placeholderText() == "Bitte auswählen…"
    assert dialog.form.editors["status"].get() == "recommended"  # a true default
    _save(h, dialog)
    assert dialog.form.error_text("target") == "Bitte einen Eintrag aus der Liste wählen."
    assert h.page.dialog is dialog and h.ws.count(Referral) == 0
    # Chosen, it is kept through a lock as any typed input is, and then saved.
    target.setFocus()
    qtbot.keyClicks(target, "Jobc")  # chosen by keyboard, as a guide does it
    assert target.currentData() == "jobcenter"
    h.session.lock("idle")
    h.unlock()
    qtbot.mouseClick(h.page.banner.restore_button, Qt.MouseButton.LeftButton)
    dialog = h.dialog()
    assert dialog.form.editors["target"].get() == "jobcenter"
    _save(h, dialog)
    assert h.page.dialog is None
    assert [r.target for r in h.ws.list(Referral)] == ["jobcenter"]


def test_a_referrals_follow_up_day_shows_in_the_timeline_until_it_is_settled(
    harness: Harness,
) -> None:
    """The referral form asks "Follow up on"; the timeline said nothing of it."""
    h = harness
    person = h.open_new_person("Omid Rahimi", nationalities=("AF",))
    referral = h.ws.add(
        Referral(
            person_id=person.id,
            referred_on=date(2026, 3, 2),
            target="jobcenter",
            follow_up_on=date(2026, 3, 9),  # the day before the harness's today
        )
    )
    h.page.open_person(person.id)
    model = h.page.person_view.timeline_model
    row = model.row_of(referral.id)
    assert row is not None
    line = model.index(row, 2).data()
    assert line.endswith("empfohlen – nachfassen am 09.03.2026")
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # overdue
    h.ws.update(dataclasses.replace(referral, status="attended"))
    h.page.open_person(person.id)
    line = model.index(model.row_of(referral.id), 2).data()
    assert "nachfassen" not in line
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is None


def test_ctrl_d_ticks_off_a_referrals_follow_up_day_as_editing_it_would(
    harness: Harness, qtbot: QtBot
) -> None:
    """The Overview lists a referral's follow-up day among the follow-ups due, but "Mark
    done" (Ctrl+D) did nothing on it: only the referral's form, with the day emptied,
    ended the reminder. Ctrl+D on the referral now records just that."""
    h = harness
    person = h.open_new_person("Omid Rahimi", nationalities=("AF",))

    def referral() -> Referral:
        return h.ws.add(Referral(person_id=person.id, referred_on=date(2026, 3, 2),
                                 target="jobcenter", status="appointment_made",
                                 follow_up_on=date(2026, 3, 9), note="Termin 12 Uhr"))  # fmt: skip

    by_key, by_form = referral(), referral()
    assert len(month_overview(h.ws).due) == 2
    h.page.open_person(person.id)
    view = h.page.person_view
    view.select_entry(by_key.id)
    assert view.commands["mark_done"].isEnabled()
    assert view.timeline.hasFocus()
    said: list[str] = []
    h.page.status.connect(said.append)
    qtbot.keyClick(view.timeline, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    # QA: the status line said only "Gespeichert." (saved what?).
    assert said == ["Nachfassen vom 09.03.2026 erledigt."]

    ticked = h.ws.get(Referral, by_key.id)
    assert ticked.follow_up_on is None
    assert len(month_overview(h.ws).due) == 1  # the Overview's count follows
    model = view.timeline_model
    line = model.index(model.row_of(by_key.id), 2).data()
    assert line == "Jobcenter – Termin vereinbart – Termin 12 Uhr"
    assert view.current_entry() is not None and view.current_entry().id == by_key.id
    assert not view.commands["mark_done"].isEnabled()  # nothing left to tick off
    assert view.timeline.hasFocus()

    view.select_entry(by_form.id)
    view.commands["edit_entry"].trigger()
    dialog = h.dialog()
    _field(dialog, "follow_up_on").edit.clear()
    _save(h, dialog)
    assert h.page.dialog is None
    edited = h.ws.get(Referral, by_form.id)
    assert dataclasses.replace(edited, id=ticked.id) == ticked
    assert month_overview(h.ws).due == ()


def test_a_referral_to_a_partner_named_like_its_target_reads_once(harness: Harness) -> None:
    """The line read "Migrationsberatung für Erwachsene (MBE) (Migrationsberatung für
    Erwachsene (MBE), Caritas)"; a partner named otherwise keeps the service before it."""
    h = harness
    person = h.open_new_person("Omid Rahimi", nationalities=("AF",))
    caritas = h.ws.add(
        Partner(
            name="Migrationsberatung für Erwachsene (MBE), Caritas",
            partner_type="counselling_service",
        )
    )
    vhs = h.ws.add(Partner(name="VHS Marburg", partner_type="education"))
    diakonie = h.ws.add(Partner(name="MBE der Diakonie", partner_type="counselling_service"))

    def referral(target: str, partner: Partner) -> Referral:
        day = date(2026, 3, 2)
        return h.ws.add(Referral(person_id=person.id, referred_on=day, target=target,
                                 partner_id=partner.id, status="attended"))  # fmt: skip

    mbe, short = referral("mbe", caritas), referral("mbe", diakonie)
    course = referral("integration_course", vhs)
    h.page.open_person(person.id)
    model = h.page.person_view.timeline_model
    assert model.index(model.row_of(mbe.id), 2).data() == (
        "Migrationsberatung für Erwachsene (MBE), Caritas – wahrgenommen"
    )
    assert model.index(model.row_of(short.id), 2).data() == "MBE der Diakonie – wahrgenommen"
    assert model.index(model.row_of(course.id), 2).data() == (
        "BAMF / Integrationskursträger (VHS Marburg) – wahrgenommen"
    )


def test_a_contact_or_referral_without_consent_is_said_but_saved(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    person = h.open_new_person("Ayşe Aydın", nationalities=("TR",))
    h.ws.add(
        Consent(
            person_id=person.id,
            purpose="contact_phone_messenger",
            form_version="2025-10",
            form_language="de",
            given_on=date(2026, 1, 5),
            withdrawn_on=date(2026, 2, 1),
        )
    )
    h.page.person_view.commands["add_contact"].trigger()
    dialog = h.dialog()
    note = dialog.findChild(QLabel, "consentNote")
    assert note is not None
    qtbot.wait(20)  # the note's first look, once the form has its values
    assert note.isHidden()  # "in person" needs no consent
    dialog.form.editors["mode"].set("messenger_email")
    dialog.form.edited.emit()
    assert note.isVisible()
    assert note.text() == (
        "Die Einwilligung „Kontakt per Telefon oder Messenger“ wurde am 01.02.2026 widerrufen."
    )
    dialog.form.editors["contacted_on"].set(date(2026, 1, 20))  # while it was given
    dialog.form.edited.emit()
    assert note.isHidden()
    dialog.form.editors["contacted_on"].set(date(2026, 3, 10))
    dialog.form.edited.emit()
    _tick(_field(dialog, "topics"), "housing")
    _save(h, dialog)  # documented all the same
    assert h.page.dialog is None and h.ws.count(Contact) == 1

    # A referral to a named partner needs "share with partner" for that partner.
    h.page.person_view.commands["add_referral"].trigger()
    dialog = h.dialog()
    partner = h.ws.list(Partner)[0]
    dialog.form.editors["partner_id"].set(partner.id)
    dialog.form.edited.emit()
    note = dialog.findChild(QLabel, "consentNote")
    assert note.isVisible()
    assert note.text() == (
        "Für diesen Tag ist keine Einwilligung „Weitergabe an benannten Partner“ erfasst."
    )
    dialog.reject()


def test_contact_and_note_appear_in_the_timeline(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    person = add_person(h.ws, "Hodan Yuusuf", nationalities=("SO",), residence_status="refugee")
    h.reload_list()
    h.page.list_view.select(person.id)
    qtbot.keyClick(h.page.list_view.table, Qt.Key.Key_Return)
    assert h.page.stack.currentWidget() is h.page.person_view
    assert h.page.person_view.name_label.text() == "Hodan Yuusuf"
    facts = dict(h.page.person_view.summary.facts)  # type: ignore[union-attr]
    assert facts["AMIF-förderfähig"] == "ja"

    h.page.person_view.commands["add_contact"].trigger()
    dialog = h.dialog()
    _tick(_field(dialog, "topics"), "housing")
    note = _field(dialog, "note")
    assert isinstance(note, QPlainTextEdit)
    qtbot.keyClicks(note, "Wohnungsbewerbung besprochen")
    _save(h, dialog)
    assert h.page.dialog is None

    h.page.person_view.commands["add_note"].trigger()
    dialog = h.dialog()
    qtbot.keyClicks(_field(dialog, "text"), "Unterlagen zur Kita mitbringen")
    _save(h, dialog)

    h.page.person_view.commands["add_followup"].trigger()
    dialog = h.dialog()
    due = _field(dialog, "due_on")
    due.edit.clear()
    qtbot.keyClicks(due.edit, "01.03.2026")  # typed with dots, as Germans write dates
    qtbot.keyClicks(_field(dialog, "text"), "Anruf beim Wohnungsamt")
    _save(h, dialog)

    lines = _timeline(h)
    assert (
        "Kontakt",
        "persönlich im Büro · 45 min – Wohnen – Wohnungsbewerbung besprochen",
    ) in lines
    assert ("Notiz", "Unterlagen zur Kita mitbringen") in lines
    assert ("Wiedervorlage", "[offen] Anruf beim Wohnungsamt") in lines
    assert lines[-1][0] == "Wiedervorlage"  # newest first: due on 1 March, before today
    assert h.ws.count(Contact) == 1 and h.ws.count(Note) == 1

    view = h.page.person_view
    view.select_entry(view.timeline_model.entry(len(lines) - 1).id)
    assert view.commands["mark_done"].isEnabled()
    said: list[str] = []
    h.page.status.connect(said.append)
    view.commands["mark_done"].trigger()
    assert ("Wiedervorlage", "[erledigt] Anruf beim Wohnungsamt") in _timeline(h)
    assert said == ["Wiedervorlage zum 01.03.2026 erledigt: \u2068Anruf beim Wohnungsamt\u2069"]


def test_a_contact_stored_bare_can_still_be_edited(harness: Harness, qtbot: QtBot) -> None:
    """`kisi contact add` stores day and length alone: correcting the length in the window
    must not ask for a topic the guide does not know."""
    h = harness
    person = h.open_new_person("Yonas Tesfay", nationalities=("ER",))
    bare = h.ws.add(Contact(person_id=person.id, contacted_on=date(2026, 3, 2),
                            duration_minutes=30, mode="office"))  # fmt: skip
    h.page.open_person(person.id)
    view = h.page.person_view
    view.select_entry(bare.id)
    view.commands["edit_entry"].trigger()
    dialog = h.dialog()
    minutes = _field(dialog, "duration_minutes")
    minutes.setValue(40)
    _save(h, dialog)
    assert h.page.dialog is None
    assert h.ws.get(Contact, bare.id).duration_minutes == 40


def test_edit_person_updates_list_and_page(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    person = h.open_new_person("Jawad Noori", nationalities=("AF",))
    h.page.person_view.commands["edit_person"].trigger()
    dialog = h.dialog()
    name = _field(dialog, "name")
    name.selectAll()
    qtbot.keyClicks(name, "Jawad Noori-Rahimi")
    qtbot.keyClicks(_field(dialog, "phone"), "+49 151 1234567")
    _save(h, dialog)
    assert h.page.dialog is None
    assert h.page.person_view.name_label.text() == "Jawad Noori-Rahimi"
    assert _names(h) == ["Jawad Noori-Rahimi"]
    assert h.ws.get(Person, person.id).phone == "+49 151 1234567"


def test_a_dated_status_change_keeps_the_earlier_status_on_the_page(
    harness: Harness, qtbot: QtBot
) -> None:
    """Settlement granted: the guide picks the new status and types the day; the page
    then names what the person held before (support before it keeps counting)."""
    h = harness
    person = h.open_new_person("Jawad Noori", nationalities=("AF",), residence_status="refugee",
                               residence_status_date=date(2025, 10, 1))  # fmt: skip
    h.page.person_view.commands["edit_person"].trigger()
    dialog = h.dialog()
    since = _field(dialog, "residence_status_date")
    assert "Tag der Änderung" in since.toolTip()
    dialog.form.editors["residence_status"].set("settlement")
    since.edit.selectAll()
    qtbot.keyClicks(since.edit, "15.02.2026")
    _save(h, dialog)
    assert [text for n in dialog.form.editors if (text := dialog.form.error_text(n))] == []
    assert h.page.dialog is None
    [earlier] = h.ws.get(Person, person.id).earlier
    assert (earlier.residence_status, earlier.ended_on) == ("refugee", date(2026, 2, 15))
    facts = dict(h.page.person_view.summary.facts)
    status = h.ws.ref.label("residence_statuses", "refugee", "de")
    assert facts["Früherer Status"] == f"{status} bis 14.02.2026"


def test_filter_narrows_a_list_of_1200_people(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    people = [Person(name=f"Person {n:04d}", nationalities=("SY",)) for n in range(1200)]
    people.append(Person(name="Mariia Tkachenko", nationalities=("UA",), phone="+49 160 555"))
    h.ws.save(people)
    h.reload_list()
    view = h.page.list_view
    assert view.proxy.rowCount() == 1201
    qtbot.keyClicks(view.filter_edit, "tkach")
    assert view.visible_ids() == [people[-1].id]
    assert view.count_label.text() == "1 von 1.201 Personen"
    view.filter_edit.clear()
    qtbot.keyClicks(view.filter_edit, "ukraine")
    assert view.proxy.rowCount() == 1
    view.filter_edit.clear()
    qtbot.keyClicks(view.filter_edit, "person 012")
    assert view.proxy.rowCount() == 12  # 0012, 0120-0129 and 1012
    view.filter_edit.clear()
    view.eligible_box.setChecked(True)  # status unknown: nobody counts
    assert view.proxy.rowCount() == 0


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("ozturk", {"Serkan Öztürk"}),  # a German keyboard, a Turkish name
        ("dogan", {"Ayşe Doğan"}),
        ("Mueller", {"Hans Müller", "Jana Mueller"}),  # umlaut written out
        ("müller", {"Hans Müller", "Jana Mueller"}),
        ("علی", {"علي رحيمي", "علی کریمی"}),  # Persian keyboard, a name typed on an Arabic one
        ("كريمي", {"علی کریمی"}),
        ("احمد", {"أحمد نوري"}),  # alef without its hamza
    ],
)
def test_the_list_filter_finds_names_typed_without_their_accents_or_letter_forms(
    harness: Harness, qtbot: QtBot, typed: str, found: set[str]
) -> None:
    """What Ctrl+F finds by these spellings, the People list's filter finds too."""
    h = harness
    names = ["Serkan Öztürk", "Ayşe Doğan", "Hans Müller", "Jana Mueller", "Rita Müll"]
    names += ["علي رحيمي", "علی کریمی", "أحمد نوري", "Ali Rahimi"]
    h.ws.save([Person(name=name) for name in names])
    h.reload_list()
    view = h.page.list_view
    view.filter_edit.setText(typed)  # (as an input method gives it: QTest types Latin only)
    shown = {view.proxy.index(row, 0).data() for row in range(view.proxy.rowCount())}
    assert shown == found


def test_export_writes_a_private_json_file_with_the_note(
    harness: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    h = harness
    person = add_person(h.ws, "Ayşe Aydın", nationalities=("TR",))
    h.ws.add(Note(person_id=person.id, written_on=date(2026, 3, 2), text="Sprachkurs B1 begonnen"))
    h.ws.add(
        Activity(
            activity_type="information_event",
            title="Infoabend Kita",
            starts_on=date(2026, 3, 4),
            municipality_ags="06534011",
            participant_ids=(person.id,),
        )
    )
    h.reload_list()
    dialog = _person_command(h, person.id, "export", QFileDialog)
    target = tmp_path / "auskunft.json"
    dialog.selectFile(str(target))
    with qtbot.waitSignal(h.page.status, timeout=10_000) as blocker:
        dialog.accept()
    readable = tmp_path / "auskunft.txt"
    assert blocker.args == [f"Exportiert nach {target} und lesbar nach auskunft.txt."]
    # Before it goes out, the guide is asked to read it for what it says of others.
    review = h.page.findChild(QMessageBox, "exportReviewNote")
    assert review is not None and review.isVisible()
    assert "auskunft.txt" in review.text() and "Art. 15 Abs. 4" in review.text()
    review.accept()
    data = json.loads(target.read_text(encoding="utf-8"))
    texts = [r["data"].get("text") for r in data["records"]]
    assert "Sprachkurs B1 begonnen" in texts
    # The same in words, with what Art. 15(1) asks besides the data.
    lines = readable.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Auskunft über die zu Ayşe Aydın gespeicherten Daten (Art. 15 DSGVO)"
    assert "  Staatsangehörigkeiten: Türkei" in lines
    assert "Notizen (1)" in lines
    assert "  Notiz: Sprachkurs B1 begonnen" in lines
    assert lines[-3:] == [
        "Teilnahme an Aktivitäten und Veranstaltungen",
        "-" * 44,
        "  04.03.2026: Infoabend Kita",
    ]
    assert "" in lines and "\n\n\n" not in readable.read_text(encoding="utf-8")
    assert "  Datum: 02.03.2026" in lines
    assert any(
        line.startswith("Aufbewahrung: Kein Fall und kein Kontakt erfasst") for line in lines
    )
    assert any("Beschwerde" in line and "Art. 77" in line for line in lines)
    assert not any("person_id" in line or person.id in line for line in lines)
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE(readable.stat().st_mode) == 0o600


def test_the_readable_export_lists_each_history_oldest_first_under_fitting_lines(
    harness: Harness,
) -> None:
    """QA: notes, referrals and consents came in the random order of their ids, and each
    section's dashes ran one past its heading."""
    h = harness
    person = add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    days = [date(2026, 1, 5), date(2025, 11, 3), date(2026, 2, 9)]
    for number, day in enumerate(days):  # ids in the opposite order to the days
        rid = f"{9 - number}" * 32
        h.ws.add(Note(id=rid, person_id=person.id, written_on=day, text=f"Notiz {day}"))
        h.ws.add(Referral(id=rid[:-1] + "a", person_id=person.id, referred_on=day,
                          target="jobcenter"))  # fmt: skip
        h.ws.add(Consent(id=rid[:-1] + "b", person_id=person.id, purpose="case_documentation",
                         form_version="2025-10", form_language="de", given_on=day))  # fmt: skip
    lines = access_report(h.ws, person.id, date(2026, 3, 10)).splitlines()
    for heading, label in (
        ("Notizen (3)", "Datum"),
        ("Weitervermittlungen (3)", "Vermittelt am"),
        ("Einwilligungen (3)", "Erteilt am"),
    ):
        at = lines.index(heading)
        assert lines[at + 1] == "-" * len(heading)
        section = lines[at + 2 :]
        shown = [
            line.removeprefix(f"  {label}: ") for line in section if line.startswith(f"  {label}: ")
        ][:3]
        assert shown == ["03.11.2025", "05.01.2026", "09.02.2026"], (heading, shown)


def test_the_art_15_text_names_handouts_by_topic_and_language(harness: Harness) -> None:
    # QA: the readable export listed handouts given as "Thema: welcome", "Sprache: ar": codes
    # a person asking what is held about them cannot read.
    h = harness
    person = add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    h.ws.add(HandoutGiven(person_id=person.id, handed_out_on=date(2025, 10, 2),
                          topic="welcome", language="ar"))  # fmt: skip
    h.ws.add(HandoutGiven(person_id=person.id, handed_out_on=date(2025, 10, 3),
                          topic="eigenes_thema", language="ar"))  # fmt: skip
    lines = access_report(h.ws, person.id, date(2026, 3, 10)).splitlines()
    at = lines.index("Ausgegebene Infoblätter (2)")
    assert lines[at + 2 : at + 11] == [
        "  Ausgegeben am: 02.10.2025",
        "  Thema: Willkommen – Ihr Integrationsguide",
        "  Sprache: Arabisch",
        "  Exemplare: 1",
        "",
        "  Ausgegeben am: 03.10.2025",
        "  Thema: eigenes_thema",  # a guide's own topic: as it was entered
        "  Sprache: Arabisch",
        "  Exemplare: 1",
    ]


def test_export_names_no_other_participant_in_either_file(
    harness: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    """QA: an event's note named another participant; the JSON carried it while the
    text left it out, and the review box said other participants were left out."""
    h = harness
    person = add_person(h.ws, "Zaytouna Qadri", nationalities=("SY",))
    other = add_person(h.ws, "Maryam Okonkwo", nationalities=("NG",))
    h.ws.add(
        Activity(
            activity_type="information_event",
            title="Sprachcafe Kirchhain",
            starts_on=date(2026, 11, 18),
            municipality_ags="06534011",
            participant_ids=(person.id, other.id),
            note="Maryam Okonkwo hat für die Gruppe übersetzt.",
        )
    )
    target = tmp_path / "auskunft.json"
    review = _export_and_review(h, qtbot, person.id, target)
    assert "nur mit Datum und" in review.text()
    review.accept()
    for written in (target, tmp_path / "auskunft.txt"):
        text = written.read_text(encoding="utf-8")
        assert "Sprachcafe Kirchhain" in text, written.name
        assert "Maryam" not in text and "Okonkwo" not in text, written.name
        assert other.id not in text and "übersetzt" not in text, written.name


def _export_and_review(h: Harness, qtbot: QtBot, person_id: str, target: Path) -> QMessageBox:
    """Export the person's data (Art. 15) to ``target`` as the guide does; the message
    asking to read it before it is handed out."""
    h.reload_list()
    dialog = _person_command(h, person_id, "export", QFileDialog)
    dialog.selectFile(str(target))
    with qtbot.waitSignal(h.page.status, timeout=10_000):
        dialog.accept()
    review = h.page.findChild(QMessageBox, "exportReviewNote")
    assert review is not None
    return review


def _deployment_naming(h: Harness, name: str, day: date) -> None:
    """A volunteer's deployment, kept as evidence of a payment, whose note names ``name``."""
    helper = h.ws.add(Volunteer(name="Amira Haddad"))
    h.ws.add(
        VolunteerDeployment(
            volunteer_id=helper.id,
            deployed_on=day,
            hours=Decimal(2),
            kind="interpreting",
            note=f"Begleitung {name} zum Sprachcafe",
        )
    )


def test_export_names_the_records_of_others_that_mention_the_person(
    harness: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    """Art. 15(1): a volunteer's deployment and another person's note name Zaytouna. The
    export leaves them out (they are others' records), and said nothing of them, so the
    person got less than the vault holds about her."""
    h = harness
    person = add_person(h.ws, "Zaytouna Qadri", nationalities=("SY",))
    other = add_person(h.ws, "Maryam Okonkwo", nationalities=("NG",))
    h.ws.add(Note(person_id=other.id, written_on=date(2026, 2, 4),
                  text="Wohnt bei Zaytouna Qadri zur Untermiete"))  # fmt: skip
    _deployment_naming(h, "Zaytouna Qadri", date(2026, 3, 5))
    target = tmp_path / "auskunft.json"
    review = _export_and_review(h, qtbot, person.id, target)
    text = review.text()
    assert "Nicht in der Auskunft: Diese 2 Einträge" in text
    lines = text.splitlines()
    assert lines[-2:] == ["• Notiz, 04.02.2026", "• Einsatz einer/eines Ehrenamtlichen, 05.03.2026"]
    assert "Untermiete" not in text and "Sprachcafe" not in text  # by kind and day only
    review.accept()
    for written in (target, tmp_path / "auskunft.txt"):
        assert "Untermiete" not in written.read_text(encoding="utf-8"), written.name
    # Nobody else named: the box says nothing of the kind.
    alone = add_person(h.ws, "Leyla Aksoy", nationalities=("TR",))
    review = _export_and_review(h, qtbot, alone.id, tmp_path / "leyla.json")
    assert "Nicht in der Auskunft" not in review.text()
    review.accept()


def test_erase_needs_the_typed_name_and_removes_the_person(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    person = add_person(h.ws, "Samuel Mehari", nationalities=("ER",))
    other = add_person(h.ws, "Winta Samuel", nationalities=("ER",))
    h.ws.add(Note(person_id=person.id, written_on=date(2026, 3, 2), text="Kindergeld"))
    h.reload_list()
    dialog = _person_command(h, person.id, "erase", EraseDialog)
    assert not dialog.erase_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "Samuel")
    assert not dialog.erase_button.isEnabled()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter must not bypass the check
    assert h.page.dialog is dialog
    qtbot.keyClicks(dialog.name_edit, " mehari")
    assert dialog.erase_button.isEnabled()
    with qtbot.waitSignal(h.page.status, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["Die Person wurde gelöscht."]  # not by name: nothing lingers
    assert h.page.stack.currentWidget() is h.page.list_view
    assert _names(h) == ["Winta Samuel"]
    # Not "1 von 2 Personen": no filter hides anyone, one person is left.
    assert h.page.list_view.count_label.text() == "1 Person"
    assert h.ws.search("Mehari") == []
    assert [hit.id for hit in h.ws.search("Samuel")] == [other.id]
    assert h.ws.search("Kindergeld") == []


def test_erasing_says_which_kept_records_still_name_the_person(
    harness: Harness, qtbot: QtBot
) -> None:
    """QA: after the erasure the search still found the name in a kept deployment's note,
    and nothing had said so. The text is not rewritten; the guide is told, before and
    after, by kind and date."""
    h = harness
    person = add_person(h.ws, "Zaytouna Qadri", nationalities=("SY",))
    _deployment_naming(h, "Zaytouna Qadri", date(2026, 11, 18))
    h.reload_list()
    dialog = _person_command(h, person.id, "erase", EraseDialog)
    kept = "Einsatz einer/eines Ehrenamtlichen, 18.11.2026"
    assert dialog.kept.isVisibleTo(dialog)
    assert f"• {kept}" in dialog.kept.text() and "nennt die Person noch" in dialog.kept.text()
    qtbot.keyClicks(dialog.name_edit, "Zaytouna Qadri")
    with qtbot.waitSignal(h.page.status, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    [said] = blocker.args
    assert said.startswith("Die Person wurde gelöscht. ") and f"• {kept}" in said
    assert "Zaytouna" not in said  # not by name
    [hit] = h.ws.search("Zaytouna")  # kept as written: the guide edits it
    assert hit.kind == "volunteer_deployment"


def test_the_erase_dialog_names_no_kept_records_when_none_name_the_person(
    harness: Harness,
) -> None:
    h = harness
    h.open_new_person("Samuel Mehari", nationalities=("ER",))
    h.page.person_view.commands["erase"].trigger()
    dialog = h.page.dialog
    assert isinstance(dialog, EraseDialog)
    assert not dialog.kept.isVisibleTo(dialog)


@pytest.mark.allow_log_warnings
def test_an_erasure_a_backup_holds_up_is_said_in_a_box(
    harness: Harness, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kisi backup` reading the file while the window erases: the erased data stay in the
    file until it is done, and the guide is told so where it cannot be missed."""
    monkeypatch.setattr(sealed_store, "BUSY_MS", 50)
    h = harness
    person = add_person(h.ws, "Samuel Mehari", nationalities=("ER",))
    h.reload_list()
    h.page.open_person(person.id)
    reader = vault_file.connect_read_only(h.ws.vault.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM record").fetchone()
    try:
        h.page.person_view.commands["erase"].trigger()
        dialog = h.page.dialog
        assert isinstance(dialog, EraseDialog)
        qtbot.keyClicks(dialog.name_edit, "Samuel Mehari")
        with qtbot.waitSignal(h.page.status, timeout=10_000):
            qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
        box = h.page.failure_box
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert "liest gerade die Tresordatei" in box.text()
        box.accept()
    finally:
        reader.close()


def test_erasing_a_person_on_legal_hold_is_refused_before_the_name_is_typed(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    person = add_person(h.ws, "Samuel Mehari", nationalities=("ER",))
    h.ws.add(Case(person_id=person.id, opened_on=date(2026, 1, 5), closed_on=date(2026, 2, 1),
                  status="closed", legal_hold=True))  # fmt: skip
    h.reload_list()
    h.page.open_person(person.id)
    h.page.person_view.commands["erase"].trigger()
    box = h.page.failure_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert h.page.dialog is None  # no name to type: nothing will be erased
    assert "Aufbewahrungspflicht" in box.text() and "Sperre" in box.text()
    box.accept()
    assert _names(h) == ["Samuel Mehari"]


def test_a_person_seen_without_a_case_shows_a_deletion_date(harness: Harness) -> None:
    """A year after the last contact (before, "no case recorded: no deletion date")."""
    h = harness
    person = add_person(h.ws, "Samuel Mehari", nationalities=("ER",))
    h.ws.add(Contact(person_id=person.id, contacted_on=date(2026, 2, 10), duration_minutes=30,
                     mode="office"))  # fmt: skip
    h.reload_list()
    h.page.open_person(person.id)
    summary = h.page.person_view.summary
    assert summary is not None
    assert summary.retention.startswith("Notizen zu löschen am 10.02.2027;"), summary.retention


def test_erasing_a_person_named_in_arabic_script(harness: Harness, qtbot: QtBot) -> None:
    """The German question stays left-to-right around the name, and the word LÖSCHEN
    confirms where the name cannot be typed on a German keyboard."""
    h = harness
    h.open_new_person("أمينة حيدري", nationalities=("SY",))
    h.page.person_view.commands["erase"].trigger()
    dialog = h.page.dialog
    assert isinstance(dialog, EraseDialog)
    question = dialog.text.text()
    assert "\u2068أمينة حيدري\u2069" in question  # the name isolated from the sentence
    assert dialog.text.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert not dialog.erase_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "LOESCHEN")
    assert not dialog.erase_button.isEnabled()
    dialog.name_edit.setText("")
    dialog.name_edit.insert("löschen")  # (QTest types ASCII only)
    assert dialog.erase_button.isEnabled()
    with qtbot.waitSignal(h.page.status, timeout=10_000):
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert h.ws.count(Person) == 0


def test_lock_clears_list_person_page_and_open_form(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    person = add_person(h.ws, "Narges Rezaei", nationalities=("IR",))
    h.ws.add(Note(person_id=person.id, written_on=date(2026, 3, 2), text="Termin"))
    h.reload_list()
    h.page.open_person(person.id)
    h.page.person_view.commands["add_note"].trigger()
    dialog = h.dialog()
    assert dialog.isVisible()
    h.session.lock("manual")
    assert h.page.list_view.model.rowCount() == 0
    assert h.page.list_view.proxy.rowCount() == 0
    assert h.page.dialog is None
    assert not dialog.isVisible()
    assert h.page.person_view.person_id is None
    assert h.page.person_view.name_label.text() == ""
    assert h.page.person_view.timeline_model.rowCount() == 0
    assert h.page.stack.currentWidget() is h.page.list_view
    # Nothing the page still holds names her: not even what screen readers are told.
    flush_deletions()  # (the closed form goes with the next turn of the event loop)
    said = [
        text
        for widget in h.page.findChildren(QWidget)
        for text in (
            widget.accessibleName(),
            widget.accessibleDescription(),
            widget.toolTip(),
            widget.windowTitle(),
            getattr(widget, "text", lambda: "")(),
        )
    ]
    assert not [text for text in said if "Narges" in str(text) or "Termin" in str(text)]


def test_contact_draft_survives_idle_lock_and_is_offered_after_unlock(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    person = h.open_new_person("سلمى العلي", nationalities=("SY",))
    h.page.person_view.commands["add_contact"].trigger()
    dialog = h.dialog()
    qtbot.keyClicks(_field(dialog, "note"), "Antrag auf Familiennachzug begonnen")
    _field(dialog, "duration_minutes").setValue(75)
    h.session.lock("idle")  # before the draft timer fired: the before-lock call seals it
    assert h.page.dialog is None
    assert not h.page.banner.isVisible()

    h.unlock()
    assert h.page.banner.isVisible()
    assert "Neuer Kontakt für سلمى العلي" in h.page.banner.message.text()
    qtbot.mouseClick(h.page.banner.restore_button, Qt.MouseButton.LeftButton)
    dialog = h.dialog()
    assert not h.page.banner.isVisible()
    assert h.page.person_view.person_id == person.id
    note = _field(dialog, "note")
    assert note.toPlainText() == "Antrag auf Familiennachzug begonnen"
    assert _field(dialog, "duration_minutes").value() == 75
    _save(h, dialog)
    assert h.ws.list(Contact, owner=person.id)[0].note.startswith("Antrag auf Familiennachzug")
    assert h.ws.list(Draft) == []


def test_the_draft_banner_follows_a_change_of_language(harness: Harness, qtbot: QtBot) -> None:
    """QA: after a switch in Settings the banner's sentence stayed in the old language
    beside buttons in the new one."""
    h = harness
    h.open_new_person("Maryam Okonkwo", nationalities=("NG",))
    h.page.person_view.commands["add_contact"].trigger()
    qtbot.keyClicks(_field(h.dialog(), "note"), "Halb getippt")
    h.session.lock("idle")
    h.unlock()
    assert h.page.banner.message.text() == (
        "Ein nicht gespeichertes Formular wurde aufbewahrt: Neuer Kontakt für Maryam Okonkwo."
    )
    set_ui_language("en")
    try:
        h.page.retranslate_ui()
        assert h.page.banner.message.text() == (
            "An unsaved form was kept: New contact for Maryam Okonkwo."
        )
        assert h.page.banner.restore_button.text() == "&Restore"
    finally:
        set_ui_language("de")
    h.page.retranslate_ui()
    assert "Neuer Kontakt" in h.page.banner.message.text()


def test_discarding_a_kept_draft_deletes_it(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    h.page.list_view.new_action.trigger()
    qtbot.keyClicks(_field(h.dialog(), "name"), "Halb getippt")
    h.session.lock("idle")
    h.unlock()
    assert "Neue Person" in h.page.banner.message.text()
    qtbot.mouseClick(h.page.banner.discard_button, Qt.MouseButton.LeftButton)
    assert not h.page.banner.isVisible()
    h.session.lock("manual")
    h.unlock()
    assert not h.page.banner.isVisible()


def test_timeline_entry_opens_its_form_with_enter(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    person = add_person(h.ws, "Ali Sultani", nationalities=("AF",))
    note = h.ws.add(Note(person_id=person.id, written_on=date(2026, 3, 2), text="Alt"))
    h.reload_list()
    h.page.show_record(note.id)
    view = h.page.person_view
    assert view.current_entry() is not None
    assert view.timeline.currentIndex().data(TimelineRole.ID) == note.id
    qtbot.keyClick(view.timeline, Qt.Key.Key_Return)
    dialog = h.dialog()
    text = _field(dialog, "text")
    text.selectAll()
    qtbot.keyClicks(text, "Neu")
    _save(h, dialog)
    assert h.ws.get(Note, note.id).text == "Neu"


def test_a_result_is_recorded_on_the_timeline_and_counts_for_r28(harness: Harness) -> None:
    h = harness
    person = h.open_new_person("Hodan Yuusuf", nationalities=("SO",), residence_status="refugee")
    h.page.person_view.commands["add_outcome"].trigger()
    dialog = h.dialog()
    dialog.form.editors["kind"].set("language_level")
    dialog.form.editors["level_before"].set("a2")
    dialog.form.editors["level_after"].set("b1")
    _save(h, dialog)
    assert ("Ergebnis", "Sprachniveau (vorher/nachher): A2 → B1") in _timeline(h)
    (result,) = h.ws.list(OutcomeEvent)
    assert (result.person_id, result.level_before, result.level_after) == (person.id, "a2", "b1")


def test_a_case_is_opened_closed_and_held_and_the_retention_date_follows(
    harness: Harness, qtbot: QtBot
) -> None:
    """Retention starts when a case closes (DOMAIN.md): the window must be able to do it."""
    h = harness
    h.open_new_person("Mehari Tesfay", nationalities=("ER",))
    view = h.page.person_view
    assert view.retention.text() == "Kein Fall und kein Kontakt erfasst: noch kein Löschdatum."
    assert view.commands["open_case"].isEnabled() and not view.commands["edit_case"].isEnabled()

    view.commands["open_case"].trigger()
    dialog = h.dialog()
    assert dialog.windowTitle() == "Fall eröffnen – Mehari Tesfay"
    _save(h, dialog)
    assert view.retention.text() == (
        "Ein Fall ist offen oder gesperrt (Aufbewahrungspflicht): noch kein Löschdatum."
    )
    assert not view.commands["open_case"].isEnabled()  # one open case at a time

    view.commands["edit_case"].trigger()
    dialog = h.dialog()
    dialog.form.editors["status"].set("closed")
    closed = _field(dialog, "closed_on")
    qtbot.keyClicks(closed.edit, "10.03.2026")  # the day it was opened
    _save(h, dialog)
    assert [text for n in dialog.form.editors if (text := dialog.form.error_text(n))] == []
    assert h.page.dialog is None
    [case] = h.ws.list(Case)
    due = retention_due(case, h.ws.ref)
    assert due.notes is not None and due.participation_proof is not None
    assert view.retention.text() == (
        f"Notizen zu löschen am {format_date(due.notes)}; "
        f"Teilnahmenachweis am {format_date(due.participation_proof)}."
    )
    assert view.commands["open_case"].isEnabled()  # a new case may begin later

    view.commands["edit_case"].trigger()
    dialog = h.dialog()
    _field(dialog, "legal_hold").setChecked(True)
    _save(h, dialog)
    assert (
        view.retention.text()
        == "Ein Fall ist offen oder gesperrt (Aufbewahrungspflicht): noch kein Löschdatum."
    )
    assert h.ws.list(Case)[0].legal_hold is True


def test_an_entry_written_in_error_is_deleted_after_asking(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    person = add_person(h.ws, "Farida Rahimi", nationalities=("AF",))
    wrong = h.ws.add(Note(person_id=person.id, written_on=date(2026, 3, 2), text="falsche Person"))
    h.ws.add(Note(person_id=person.id, written_on=date(2026, 3, 1), text="Kita angefragt"))
    h.reload_list()
    h.page.open_person(person.id)
    view = h.page.person_view
    view.select_entry(wrong.id)
    assert view.commands["delete_entry"].isEnabled()

    box = h.page.delete_entry()
    assert box is not None
    assert box.text() == (
        "Diesen Eintrag löschen (Notiz vom 02.03.2026)? Er lässt sich nicht wiederherstellen."
    )
    assert box.defaultButton() is box.findChild(QPushButton, "confirmNo")
    qtbot.mouseClick(box.findChild(QPushButton, "confirmNo"), Qt.MouseButton.LeftButton)
    assert h.ws.count(Note) == 2  # kept

    view.select_entry(wrong.id)
    view.commands["delete_entry"].trigger()
    box = h.page.confirm_box
    assert box is not None
    qtbot.mouseClick(box.findChild(QPushButton, "confirmYes"), Qt.MouseButton.LeftButton)
    assert [n.text for n in h.ws.list(Note)] == ["Kita angefragt"]
    assert ("Notiz", "Kita angefragt") in _timeline(h)
    assert ("Notiz", "falsche Person") not in _timeline(h)

    # Closed by its title bar: as Keep, and the page forgets it (a lock after it must
    # still clear the page: the box itself is gone by then).
    view.select_entry(h.ws.list(Note)[0].id)
    box = h.page.delete_entry()
    box.close()
    flush_deletions()
    assert h.page.confirm_box is None and h.ws.count(Note) == 1

    # Del asks only with the focus in the timeline, not on the consents beside it.
    view.consents.setFocus()
    qtbot.keyClick(view.consents, Qt.Key.Key_Delete)
    assert h.page.confirm_box is None
    view.timeline.setFocus()
    qtbot.keyClick(view.timeline, Qt.Key.Key_Delete)
    assert h.page.confirm_box is not None

    box = h.page.confirm_box
    h.session.lock("idle")  # the question goes with the lock, and nothing is deleted
    assert h.page.confirm_box is None and not box.isVisible()
    assert h.page.person_view.person_id is None
    h.unlock()
    assert h.ws.count(Note) == 1


def _choose_export_file(h: Harness, person_id: str, target: Path) -> None:
    """Export the person's data as the guide does: the command, then a file in the dialog
    (which does not check that the folder exists: a stick pulled meanwhile)."""
    dialog = _person_command(h, person_id, "export", QFileDialog)
    dialog.fileSelected.emit(str(target))
    dialog.reject()


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing the keyboard)")
def test_an_export_that_cannot_be_written_says_why_in_a_box(
    harness: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    h = harness
    person = h.open_new_person("Ayşe Aydın", nationalities=("TR",))
    _choose_export_file(h, person.id, tmp_path / "gone" / "auskunft.json")
    qtbot.waitUntil(lambda: h.page.failure_box is not None, timeout=10_000)
    box = h.page.failure_box
    assert box.text() == (
        "Der Datenexport konnte nicht geschrieben werden: der Ordner existiert nicht (mehr). "
        "Bitte einen anderen Ordner wählen."
    )
    assert h.page.person_view.isEnabled()
    h.session.lock("manual")  # a lock closes it with everything else
    assert h.page.failure_box is None and not box.isVisible()


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing the keyboard)")
def test_half_an_export_is_not_left_behind(
    harness: Harness, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    person = h.open_new_person("Ayşe Aydın", nationalities=("TR",))
    target = tmp_path / "auskunft.json"
    real = people_page_module.write_private

    def full_after_the_json(path: Path, text: str) -> None:
        if path.suffix == ".txt":  # the stick is full once the JSON is on it
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, text)

    monkeypatch.setattr(people_page_module, "write_private", full_after_the_json)
    _choose_export_file(h, person.id, target)
    qtbot.waitUntil(lambda: h.page.failure_box is not None, timeout=10_000)
    assert not target.exists()  # the JSON written first is gone again
    assert "der Datenträger ist voll" in h.page.failure_box.text()
    h.page.failure_box.close()


def test_the_readable_export_never_lands_on_the_json_or_another_file(tmp_path: Path) -> None:
    assert readable_path_beside(tmp_path / "auskunft.json") == tmp_path / "auskunft.txt"
    (tmp_path / "auskunft.txt").write_text("schon da", encoding="utf-8")
    assert readable_path_beside(tmp_path / "auskunft.json") == tmp_path / "auskunft-2.txt"
    assert readable_path_beside(tmp_path / "auskunft.txt") == tmp_path / "auskunft-2.txt"


def test_tab_reaches_each_list_filter_just_before_its_list(harness: Harness) -> None:
    h = harness
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    order = []
    widget = dialog.form.editors["name"].widget
    for _step in range(400):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(dialog):
            order.append(widget.objectName())
        widget = widget.nextInFocusChain()
    nationalities = order.index("field_nationalities")
    assert order[nationalities - 1] == "field_nationalities_filter"
    assert order.index("field_nationalities_filter") < order.index("cancelButton")
    assert order.index("field_languages_filter") < order.index("field_languages")
    dialog.reject()


def test_space_after_filtering_ticks_the_entry_the_guide_sees(
    harness: Harness, qtbot: QtBot
) -> None:
    # A guide ticks two topics by keyboard: types "Wohn" over the contact's topics, Tab,
    # Space; back (Shift+Tab), types "Arbeit" instead, Tab, Space. The second Space
    # unticked "Wohnen" (kept in view because ticked, and still the list's current
    # entry) instead of ticking the work topic the filter had just found.
    h = harness
    person = h.open_new_person("Tesfay Gebremedhin")
    h.page.person_view.commands["add_contact"].trigger()
    dialog = h.dialog()
    topics = dialog.form.editors["topics"].widget
    assert isinstance(topics, QListWidget)
    search = dialog.findChild(QLineEdit, "field_topics_filter")
    assert search is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton)
    for typed in ("Wohn", "Arbeit"):
        search.selectAll()
        qtbot.keyClicks(search, typed)
        qtbot.keyClick(search, Qt.Key.Key_Tab)
        assert topics.hasFocus()
        qtbot.keyClick(topics, Qt.Key.Key_Space)
        qtbot.keyClick(topics, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert search.hasFocus()
    ticked = [
        topics.item(i).text()
        for i in range(topics.count())
        if topics.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert ticked == ["Arbeit / Jobcenter / Agentur für Arbeit", "Wohnen"]
    qtbot.keyClick(search, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: h.page.dialog is None)
    (contact,) = h.ws.list(Contact)
    assert contact.person_id == person.id
    assert set(contact.topics) == {"work", "housing"}


def test_tab_leaves_the_people_list(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    for name in ("Amina Haidari", "Yonas Haile"):
        add_person(h.ws, name, nationalities=("AF",))
    h.reload_list()
    h.page.window().activateWindow()
    qtbot.waitUntil(lambda: h.page.isActiveWindow(), timeout=2000)
    table = h.page.list_view.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is table


def test_the_list_shows_who_is_due_for_deletion(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    for name, closed in (("Amina Haidari", date(2025, 11, 15)), ("Omid Rahimi", None)):
        person = add_person(h.ws, name, nationalities=("AF",))
        h.ws.add(Note(person_id=person.id, written_on=date(2025, 10, 2), text="Erstgespräch"))
        h.ws.add(
            Case(
                person_id=person.id,
                opened_on=date(2025, 10, 1),
                closed_on=closed,
                status="closed" if closed else "open",
            )
        )
    add_person(h.ws, "Leyla Aksoy", nationalities=("TR",))
    h.clock.advance(days=365)  # a year on: Amina's notes are due (12 months after closing)
    h.reload_list()
    box = h.page.list_view.due_box
    assert box.text() == "&Löschfrist erreicht"
    h.page.show_record(PEOPLE_DUE_FOR_DELETION)  # as the Overview's notice opens the list
    assert box.isChecked()
    proxy = h.page.list_view.proxy
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Amina Haidari"]
    assert h.page.list_view.count_label.text() == "1 von 3 Personen"
    # Her notes deleted on her page: she leaves the list (the proof of participation stays).
    amina = next(p for p in h.ws.list(Person) if p.name == "Amina Haidari")
    [note] = h.ws.list(Note, owner=amina.id)
    h.page.open_person(amina.id)
    h.page.person_view.select_entry(note.id)
    h.page.person_view.commands["delete_entry"].trigger()
    qtbot.mouseClick(
        h.page.confirm_box.findChild(QPushButton, "confirmYes"), Qt.MouseButton.LeftButton
    )
    h.page.show_list()
    assert proxy.rowCount() == 0
    box.setChecked(False)
    assert proxy.rowCount() == 3


def test_notes_due_for_deletion_are_deleted_from_the_persons_page(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    person = add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    h.ws.add(
        Case(
            person_id=person.id,
            opened_on=date(2025, 10, 1),
            closed_on=date(2025, 11, 15),
            status="closed",
        )
    )
    h.ws.add(Note(person_id=person.id, written_on=date(2025, 10, 2), text="Erstgespräch"))
    contact = h.ws.add(
        Contact(
            person_id=person.id,
            contacted_on=date(2025, 10, 2),
            duration_minutes=30,
            mode="office",
            note="Wohnungssuche besprochen",
        )
    )
    h.reload_list()
    h.page.open_person(person.id)
    view = h.page.person_view
    assert view.delete_notes_button.isHidden()  # 10 March 2026: kept until 15 November
    h.clock.advance(days=300)
    h.page.open_person(person.id)
    assert not view.delete_notes_button.isHidden()
    view.commands["delete_notes"].trigger()
    box = h.page.confirm_box
    assert box is not None
    assert box.findChild(QPushButton, "confirmYes").text() == "&Notizen löschen"
    qtbot.mouseClick(box.findChild(QPushButton, "confirmYes"), Qt.MouseButton.LeftButton)
    assert h.ws.list(Note, owner=person.id) == []
    assert h.ws.get(Contact, contact.id).note == ""  # the contact stays, as proof
    assert view.delete_notes_button.isHidden()
    assert not h.page.list_view.model.rows()[0].deletion_due
    # QA: the page went on saying the notes were due for deletion after they were deleted.
    shown = view.retention.text()
    assert shown.startswith("Notizen am 04.01.2027 gelöscht (fällig am 15.11.2026); "), shown


def _delete_notes_on_the_page(h: Harness, qtbot: QtBot, person_id: str) -> None:
    """Open the person and delete their notes as the guide does: button, then Yes."""
    h.reload_list()
    h.page.open_person(person_id)
    h.page.person_view.commands["delete_notes"].trigger()
    box = h.page.confirm_box
    assert box is not None
    qtbot.mouseClick(box.findChild(QPushButton, "confirmYes"), Qt.MouseButton.LeftButton)


def test_a_person_who_never_had_notes_is_not_told_they_were_deleted(
    harness: Harness, qtbot: QtBot
) -> None:
    # QA: once the notes' date had come, a person seen once without a word written down
    # read "Notizen gelöscht (fällig am …)" on their page though nothing was ever deleted.
    h = harness
    person = add_person(h.ws, "Yonas Tesfay", nationalities=("ER",))
    h.ws.add(Contact(person_id=person.id, contacted_on=date(2025, 10, 2),
                     duration_minutes=30, mode="office"))  # fmt: skip
    h.clock.advance(days=300)  # 4 January 2027: the notes' date (2 October 2026) has come
    h.reload_list()
    h.page.open_person(person.id)
    view = h.page.person_view
    assert view.delete_notes_button.isHidden()
    assert view.retention.text() == (
        "Keine Notizen (mehr) zu löschen; Teilnahmenachweis am 01.01.2034."
    )
    assert "gelöscht" not in view.retention.text()


def _delete_notes_as_before_the_day_was_kept(h: Harness, person_id: str) -> None:
    """What "Delete notes" did before it noted the day on the person's record (vaults
    from before the rework): the notes go, in one erasure, and nothing says when."""
    ws = h.ws
    going = [
        sealed_store.Delete(kind, rid)
        for kind, rid in ws.working_set.owned_by(person_id)
        if kind in {"note", "followup", "draft"}
    ]
    assert going
    ws.vault.commit("erase", [], going, erasing=True)
    with ws.working_set.batch():
        for delete in going:
            ws.working_set.remove(delete.id)


def test_notes_deleted_before_the_day_was_kept_are_not_said_never_to_have_been_there(
    harness: Harness, qtbot: QtBot
) -> None:
    # QA: a guide who had deleted the notes read "Keine Notizen zu löschen", as if there had
    # never been any. The day is not known for those, so the page says only what is true
    # of both: nothing is left to delete.
    h = harness
    person = add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    h.ws.add(Contact(person_id=person.id, contacted_on=date(2025, 10, 2),
                     duration_minutes=30, mode="office"))  # fmt: skip
    h.ws.add(Note(person_id=person.id, written_on=date(2025, 10, 2), text="Wohnungssuche"))
    h.clock.advance(days=300)
    _delete_notes_as_before_the_day_was_kept(h, person.id)
    h.session.lock("manual")
    h.unlock()
    h.page.open_person(person.id)
    view = h.page.person_view
    assert view.delete_notes_button.isHidden()
    assert view.retention.text() == (
        "Keine Notizen (mehr) zu löschen; Teilnahmenachweis am 01.01.2034."
    )
    set_ui_language("en")
    try:
        h.page.open_person(person.id)
        assert view.retention.text().startswith("No notes left to delete; ")
    finally:
        set_ui_language("de")


def test_the_page_names_the_day_the_notes_were_deleted(harness: Harness, qtbot: QtBot) -> None:
    h = harness
    person = add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    h.ws.add(Contact(person_id=person.id, contacted_on=date(2025, 10, 2),
                     duration_minutes=30, mode="office", note="Wohnungssuche"))  # fmt: skip
    h.clock.advance(days=300)
    _delete_notes_on_the_page(h, qtbot, person.id)
    h.clock.advance(days=5)  # seen again days later, after a lock
    h.session.lock("manual")
    h.unlock()
    h.page.open_person(person.id)
    assert h.page.person_view.retention.text() == (
        "Notizen am 04.01.2027 gelöscht (fällig am 02.10.2026); Teilnahmenachweis am 01.01.2034."
    )


def test_withdrawn_consent_without_notes_says_none_were_kept(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    person = add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    h.ws.add(Case(person_id=person.id, opened_on=date(2025, 10, 1), status="open"))
    h.ws.add(Consent(person_id=person.id, purpose="case_documentation", form_version="2025-10",
                     form_language="de", given_on=date(2025, 10, 1),
                     withdrawn_on=date(2026, 3, 2)))  # fmt: skip
    h.reload_list()
    h.page.open_person(person.id)
    assert h.page.person_view.retention.text() == (
        "Einwilligung „Falldokumentation“ am 02.03.2026 widerrufen: keine Notizen (mehr) zu "
        "löschen; Teilnahmenachweis: noch kein Datum, solange ein Fall offen ist."
    )


def _open_case_with_consent_withdrawn(h: Harness) -> Person:
    """Amina, an open case with a note, her consent to case documentation withdrawn on
    02.03.2026."""
    person = add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    h.ws.add(Case(person_id=person.id, opened_on=date(2025, 10, 1), status="open"))
    h.ws.add(Note(person_id=person.id, written_on=date(2025, 10, 2), text="Erstgespräch"))
    h.ws.add(Consent(person_id=person.id, purpose="case_documentation", form_version="2025-10",
                     form_language="de", given_on=date(2025, 10, 1),
                     withdrawn_on=date(2026, 3, 2)))  # fmt: skip
    return person


def test_notes_deleted_after_consent_was_withdrawn_are_said_to_be_deleted(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    person = _open_case_with_consent_withdrawn(h)
    _delete_notes_on_the_page(h, qtbot, person.id)
    assert h.page.person_view.retention.text() == (
        "Einwilligung „Falldokumentation“ am 02.03.2026 widerrufen: Notizen am 10.03.2026 "
        "gelöscht; "
        "Teilnahmenachweis: noch kein Datum, solange ein Fall offen ist."
    )


def test_consent_to_documentation_withdrawn_makes_the_notes_due_on_the_page_and_list(
    harness: Harness,
) -> None:
    """An open case kept the notes without a date ("Ein Fall ist offen") after the person
    withdrew consent to case documentation; they are due from the day of withdrawal."""
    h = harness
    person = _open_case_with_consent_withdrawn(h)
    h.reload_list()
    h.page.open_person(person.id)
    view = h.page.person_view
    assert view.retention.text() == (
        "Einwilligung „Falldokumentation“ am 02.03.2026 widerrufen: Notizen zu löschen "
        "seit diesem Tag; Teilnahmenachweis: noch kein Datum, solange ein Fall offen ist."
    )
    assert not view.delete_notes_button.isHidden()
    assert h.page.list_view.model.rows()[0].deletion_due


def _consent_rows(tree: QTreeWidget) -> list[tuple[str, ...]]:
    """Every row of the consent panel as (purpose, state), a partner's as ("", name, state)."""
    rows: list[tuple[str, ...]] = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        rows.append((item.text(0), item.text(1)))
        for j in range(item.childCount()):
            child = item.child(j)
            assert not child.isHidden() and item.isExpanded()
            rows.append(("", child.text(0), child.text(1)))
    return rows


def test_the_consent_panel_names_the_partners_data_may_be_shared_with(
    harness: Harness, qtbot: QtBot
) -> None:
    # QA: "Weitergabe an benannten Partner – erteilt am …" did not say to whom: the guide
    # about to refer someone had to open the consent to see whether it covers the partner.
    h = harness
    person = add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    jobcenter = h.ws.list(Partner)[0]
    caritas = h.ws.add(
        Partner(name="Caritas Migrationsberatung", partner_type="counselling_service")
    )
    given = {"person_id": person.id, "purpose": "share_with_partner", "form_version": "2025-10",
             "form_language": "de"}  # fmt: skip
    h.ws.add(Consent(**given, given_on=date(2025, 10, 6), partner_id=jobcenter.id))
    withdrawn = h.ws.add(Consent(**given, given_on=date(2025, 10, 1), partner_id=caritas.id,
                                 withdrawn_on=date(2026, 1, 12)))  # fmt: skip
    h.reload_list()
    h.page.open_person(person.id)
    tree = h.page.person_view.consents
    rows = _consent_rows(tree)
    at = rows.index(("Weitergabe an benannten Partner", "für 1 Partner erteilt"))
    assert rows[at + 1 : at + 3] == [
        ("", "Caritas Migrationsberatung", "widerrufen 12.01.2026"),
        ("", "Jobcenter Marburg-Biedenkopf", "erteilt 06.10.2025"),
    ]
    # Every row shows: the panel is as tall as its rows.
    last = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert tree.visualItemRect(last).bottom() <= tree.viewport().height()
    # A partner's row opens that partner's consent.
    [item] = tree.findItems("Weitergabe an benannten Partner", Qt.MatchFlag.MatchExactly)
    tree.itemActivated.emit(item.child(0), 0)
    assert h.dialog().form.record == withdrawn


def test_a_person_without_sharing_consent_has_one_line_for_it(harness: Harness) -> None:
    h = harness
    person = h.open_new_person("Amina Haidari", nationalities=("AF",))
    rows = _consent_rows(h.page.person_view.consents)
    assert ("Weitergabe an benannten Partner", "keine") in rows
    assert not [r for r in rows if len(r) == 3], person


def test_withdrawn_consents_leave_every_purpose_whole(harness: Harness) -> None:
    """German purposes are long; the dates beside them must not cut them short."""
    h = harness
    person = add_person(h.ws, "Amina Haidari", nationalities=("AF",))
    partner = h.ws.list(Partner)[0]
    for purpose in h.ws.ref.enum("consent_purposes"):
        h.ws.add(
            Consent(
                person_id=person.id,
                purpose=purpose,
                form_version="1",
                form_language="de",
                given_on=date(2025, 11, 2),
                withdrawn_on=date(2025, 12, 2),
                partner_id=partner.id if purpose == "share_with_partner" else None,
            )
        )
    h.reload_list()
    h.page.open_person(person.id)
    tree = h.page.person_view.consents
    metrics = tree.fontMetrics()
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        assert item.text(1) == "widerrufen 02.12.2025"
        assert tree.columnWidth(0) >= metrics.horizontalAdvance(item.text(0)) + 6, item.text(0)


def test_a_very_long_name_wraps_instead_of_widening_the_page(harness: Harness) -> None:
    # QA: a name of 200 characters (three double-barrelled names typed in one field) made
    # the person page 2,450 pixels wide: on a 1366 screen the buttons beside it and the
    # right half of the timeline were off the window.
    h = harness
    name = ("Wolfgang-Maximilian von Hohenzollern-Sigmaringen-Lindenberg " * 4)[:200].strip()
    h.open_new_person(name)
    view = h.page.person_view
    assert view.name_label.text() == name  # all of it, on more than one line
    assert h.page.minimumSizeHint().width() <= 1366
    h.page.resize(1366, 768)
    erase = view.findChild(QWidget, "button_erase")
    assert erase.geometry().right() <= view.width()


def test_a_contact_dated_before_the_project_is_pointed_out_while_typed(
    harness: Harness, qtbot: QtBot
) -> None:
    # QA: a contact's date changed to 02.10.2015 (for 2025) was saved without a word, and
    # the contact then counted in no report.
    h = harness
    person = h.open_new_person("Amina Haidari", nationalities=("AF",))
    contact = h.ws.add(Contact(person_id=person.id, contacted_on=date(2025, 11, 3),
                               duration_minutes=30, mode="office"))  # fmt: skip
    h.page.open_person(person.id)
    dialog, note = _contact_form_note(h, "outsideProject", contact)
    _retype(qtbot, dialog, "02.10.2015")
    assert note.isVisibleTo(dialog)
    assert note.text() == (
        "Außerhalb des Projektzeitraums (01.10.2025 – 30.09.2028): wird in den Berichten nicht "
        "mitgezählt."
    )
    _retype(qtbot, dialog, "02.10.2025")
    assert not note.isVisibleTo(dialog)
    dialog.reject()


def test_the_longest_residence_status_stays_whole_on_a_1280_screen(harness: Harness) -> None:
    # On a 1280x720 laptop (or 1920x1080 at 150 %) the page gets about 1,045 pixels:
    # "Niederlassungserlaubnis / Daueraufenthalt-EU" was cut with "…" while the Name
    # column beside it kept 137 pixels it did not need (both stretched alike).
    h = harness
    add_person(h.ws, "Ahmad Hamdan", residence_status="settlement")
    h.page.resize(1045, 640)
    h.reload_list()
    h.qtbot.wait(50)  # the columns are laid out on the next turn of the loop
    assert clipped(h.page.list_view) == []


def _contact_form_note(
    h: Harness, name: str, contact: Contact | None = None
) -> tuple[RecordDialog, QLabel]:
    """The contact form of the person shown, and its note ``name`` (hidden at first)."""
    dialog = h.page.open_form("contact", contact)
    assert dialog is not None
    note = dialog.findChild(QLabel, name)
    assert note is not None and not note.isVisibleTo(dialog)
    return dialog, note


def _retype(qtbot: QtBot, dialog: RecordDialog, day: str) -> None:
    edit = dialog.form.editors["contacted_on"].widget.edit
    edit.clear()
    qtbot.keyClicks(edit, day)


def test_a_contact_dated_before_the_persons_birth_is_pointed_out_and_refused(
    harness: Harness, qtbot: QtBot
) -> None:
    # QA: a contact typed as 03.11.1985 for a person born in 1991 was saved without a word.
    h = harness
    person = h.open_new_person("Amina Haidari", birth_year=1991, nationalities=("AF",))
    dialog, note = _contact_form_note(h, "beforeBirth")
    _retype(qtbot, dialog, "03.11.1985")
    assert note.isVisibleTo(dialog)
    assert note.text() == "Vor der Geburt der Person (1991): Bitte das Datum prüfen."
    qtbot.keyClicks(dialog.form.editors["note"].widget, "Bewerbung besprochen")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.form.error_text("contacted_on") == "Liegt vor der Geburt der Person (1991)."
    assert h.ws.list(Contact, owner=person.id) == [] and h.page.dialog is dialog
    _retype(qtbot, dialog, "03.11.2025")
    assert not note.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert h.page.dialog is None and len(h.ws.list(Contact, owner=person.id)) == 1


def test_a_later_birth_is_refused_naming_the_records_it_would_put_before_it(
    harness: Harness, qtbot: QtBot
) -> None:
    # QA: a year of birth corrected from 1981 to 1991 saved without a word, though a
    # contact of the person's was dated 03.11.1985.
    h = harness
    person = h.open_new_person("Amina Haidari", birth_year=1981, nationalities=("AF",))
    h.ws.add(Contact(person_id=person.id, contacted_on=date(1985, 11, 3), duration_minutes=30,
                     mode="office"))  # fmt: skip
    dialog = h.save_birth_year("1991")
    assert dialog.form.error_text("birth_year") == (
        "Ein Eintrag läge vor dieser Geburt: Kontakt vom 03.11.1985. Bitte die Geburt oder "
        "das Datum des Eintrags prüfen."
    )
    assert h.ws.get(Person, person.id).birth_year == 1981 and h.page.dialog is dialog
    # Marked as an estimate, the form asks under the year, and saving goes through.
    note = dialog.findChild(QLabel, "recordsBeforeBirth")
    assert not note.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.form.editors["birth_estimated"].widget, Qt.MouseButton.LeftButton)
    assert note.isVisibleTo(dialog) and note.text() == (
        "Vor dieser geschätzten Geburt liegt ein Eintrag: Kontakt vom 03.11.1985. "
        "Stimmt die Schätzung?"
    )
    assert dialog.form.error_text("birth_year") == ""  # (the refusal no longer holds)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert h.page.dialog is None and h.ws.get(Person, person.id).birth_year == 1991


def test_a_person_added_with_the_keyboard_is_opened_with_enter(
    harness: Harness, qtbot: QtBot
) -> None:
    """QA pass, keyboard only: after Ctrl+N, the name and Ctrl+S the new person was the
    list's current row, but the focus went back to where it had been (the filter), and
    Enter opened nothing: the guide reached for the mouse to add the first contact."""
    h = harness
    h.page.window().activateWindow()
    qtbot.waitUntil(h.page.isActiveWindow, timeout=2000)
    h.page.list_view.filter_edit.setFocus()
    _press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = h.dialog()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    QTest.keyClicks(QApplication.focusWidget(), "Tewodros Yared")
    _press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: h.page.dialog is None, timeout=2000)
    h.page.window().activateWindow()  # (as the window manager does when a dialog closes)
    qtbot.waitUntil(h.page.isActiveWindow, timeout=2000)
    assert QApplication.focusWidget() is h.page.list_view.table
    _press(Qt.Key.Key_Return)
    (added,) = h.ws.list(Person)
    assert h.page.person_view.person_id == added.id


def test_a_year_typed_as_the_date_of_birth_points_to_the_year_field(
    harness: Harness, qtbot: QtBot
) -> None:
    """QA pass, keyboard only: "1983" typed into Date of birth (the field Tab reaches
    first) was refused at saving with how to write a whole date; most guides know only
    the year. The form says where a year goes while it is typed."""
    h = harness
    h.page.list_view.new_action.trigger()
    dialog = h.dialog()
    note = dialog.findChild(QLabel, "yearInDate")
    born = dialog.form.editors["birth_date"].widget.edit  # type: ignore[attr-defined]
    qtbot.keyClicks(born, "1983")
    assert note.isVisibleTo(dialog)
    assert note.text() == "Nur das Jahr bekannt? Dann bitte unter „Geburtsjahr“ eintragen."
    qtbot.keyClicks(born, "-05-03")  # (a date written another way is still a date)
    assert not note.isVisibleTo(dialog)
