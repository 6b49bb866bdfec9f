"""Activities and events: create through the dialog, validation next to the field, delete."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QStyle,
    QStyleOptionComboBox,
)

from kisi_desktop.core.domain import Activity, Consent, Guide, Municipality, Partner, Person
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.ui.pages.activities_page import ActivitiesPage
from kisi_desktop.ui.pages.events_page import EventsPage
from kisi_desktop.ui.pages.publications_page import PublicationsPage
from kisi_desktop.ui.pages.team_page import TeamPage
from kisi_desktop.ui.tables.row_model import RowRole

from .conftest import AGS, Office

pytestmark = pytest.mark.gui


def _titles(page: ActivitiesPage | EventsPage) -> list[str]:
    model = page.table.proxy
    return [model.index(r, 2).data() for r in range(model.rowCount())]


def _type_title(office: Office, dialog, title: str) -> None:  # type: ignore[no-untyped-def]
    edit = dialog.form.editors["title"].widget
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    office.qtbot.keyClicks(edit, title)


def test_activity_created_in_the_dialog_appears_in_activities_only(office: Office) -> None:
    partner = office.ws.add(Partner(name="Caritas Marburg", partner_type="counselling_service"))
    activities = office.page(ActivitiesPage)
    events = office.page(EventsPage)
    office.activate(activities)
    office.qtbot.keyClick(activities.table.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = office.dialog(activities)
    assert dialog.windowTitle() == "Neue Aktivität"
    assert "participant_ids" not in dialog.form.editors  # only events have attendance
    assert dialog.form.editors["municipality_ags"].get() == AGS  # the profile's AGS
    _type_title(office, dialog, "Netzwerktreffen Integration")
    dialog.form.editors["activity_type"].set("network_meeting")
    dialog.form.editors["starts_on"].set(date(2026, 3, 12))
    partners = dialog.form.editors["partner_ids"].widget
    assert isinstance(partners, QListWidget)
    assert partners.item(0).text() == "Caritas Marburg"
    partners.item(0).setCheckState(Qt.CheckState.Checked)
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not activities.dialogs)
    assert _titles(activities) == ["Netzwerktreffen Integration"]
    assert activities.table.proxy.index(0, 0).data() == "12.03.2026"
    stored = office.ws.list(Activity)[0]
    assert stored.is_event is False and stored.partner_ids == (partner.id,)
    events.refresh()
    assert _titles(events) == []
    assert office.ws.drafts("activity_form") == []


def test_event_with_attendance_appears_in_events_only(office: Office) -> None:
    amina = office.ws.add(Person(name="Amina Haidari"))
    office.ws.add(Person(name="Omid Rahimi"))
    activities = office.page(ActivitiesPage)
    events = office.page(EventsPage)
    events.table.new_button.click()
    dialog = office.dialog(events)
    assert dialog.windowTitle() == "Neue Veranstaltung"
    _type_title(office, dialog, "Infoabend Kita")
    dialog.form.editors["activity_type"].set("information_event")
    total = dialog.form.editors["attendance_total"].widget
    assert isinstance(total, QLineEdit) and total.text() == ""  # may be left empty
    office.qtbot.keyClicks(total, "23")
    # The participant list is long: typing in its filter leaves only the matches.
    flt = events.participant_filter
    assert flt is not None
    # Tab reaches the filter just before its list, not after Cancel.
    chain, widget = [], dialog.form.editors["title"].widget
    for _step in range(300):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(dialog):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain[chain.index(flt.view) - 1] is flt.edit
    assert chain.index(flt.edit) < chain.index(dialog.cancel_button)
    office.qtbot.keyClicks(flt.edit, "ami")
    visible = [
        flt.view.item(i).text() for i in range(flt.view.count()) if not flt.view.item(i).isHidden()
    ]
    assert visible == ["Amina Haidari"]
    flt.view.item(0).setCheckState(Qt.CheckState.Checked)
    assert flt.chosen.text() == "1 von 2 ausgewählt"
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not events.dialogs)
    assert _titles(events) == ["Infoabend Kita"]
    assert events.table.proxy.index(0, 4).data() == "23"
    # The attendance column is whole, heading and all, without scrolling sideways.
    header = events.table.view.horizontalHeader()
    assert events.table.view.horizontalScrollBar().maximum() == 0
    assert header.sectionSize(4) >= header.sectionSizeFromContents(4).width()
    stored = office.ws.list(Activity)[0]
    assert stored.is_event is True and stored.participant_ids == (amina.id,)
    activities.refresh()
    assert _titles(activities) == []


def _press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, key, modifier)


def test_a_headcount_to_correct_gets_the_focus_and_what_is_typed(office: Office) -> None:
    """QA pass: after "more people by gender than attended" the focus went to the grid
    of numbers, which takes none: nothing was highlighted and the digits typed were lost."""
    events = office.page(EventsPage)
    office.activate(events)
    events.table.view.setFocus()
    _press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = office.dialog(events)
    office.qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    editors = dialog.form.editors
    by_gender = editors["counts_by_gender"]
    first = next(iter(by_gender.spins.values()))  # type: ignore[attr-defined]
    _press(Qt.Key.Key_Down)  # the type, in the first field
    for _step in range(20):  # Tab through the form, typing where the guide types
        focus = QApplication.focusWidget()
        assert focus is not None
        if focus is editors["title"].widget:
            QTest.keyClicks(focus, "Infoabend")
        elif focus is editors["attendance_total"].widget:
            QTest.keyClicks(focus, "5")
        elif focus is first:
            QTest.keyClicks(focus, "9")
            break
        _press(Qt.Key.Key_Tab)
    _press(Qt.Key.Key_Return)
    assert dialog.form.error_text("counts_by_gender").startswith("Nach Geschlecht sind mehr")
    assert QApplication.focusWidget() is first
    assert first.accessibleName() == "weiblich"  # its own name, not the grid's
    _press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(first, "4")
    _press(Qt.Key.Key_Return)
    office.qtbot.waitUntil(lambda: not events.dialogs, timeout=2000)
    (stored,) = office.ws.list(Activity)
    assert sum(n for _code, n in stored.counts_by_gender) == 4
    assert stored.attendance_total == 5


def test_a_form_starting_with_a_choice_box_shows_its_focus_at_once(office: Office) -> None:
    """QA pass: the event form opened with the focus in its type box but no focus frame
    until the first Tab (styles draw it only after the keyboard moved the focus)."""
    events = office.page(EventsPage)
    office.activate(events)
    events.table.view.setFocus()
    _press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = office.dialog(events)
    office.qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    box = dialog.form.editors["activity_type"].widget
    assert isinstance(box, QComboBox)
    assert QApplication.focusWidget() is box

    def drawn_with_focus() -> bool:
        option = QStyleOptionComboBox()
        option.initFrom(box)  # the state the style draws the box in
        wanted = QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_KeyboardFocusChange
        return (option.state & wanted) == wanted

    office.qtbot.waitUntil(drawn_with_focus, timeout=2000)
    dialog.reject()


def test_the_municipality_is_chosen_by_name_from_those_recorded(office: Office) -> None:
    """The form asked for the municipality as its raw 8-digit key (AGS), typed."""
    events = office.page(EventsPage)
    events.table.new_button.click()
    dialog = office.dialog(events)
    town = dialog.form.editors["municipality_ags"].widget
    assert isinstance(town, QComboBox)
    # The only one recorded is the default: its name is shown, its key is stored.
    assert town.currentText() == "Kirchhain (06534011)"
    assert dialog.form.editors["municipality_ags"].get() == AGS
    assert dialog.findChild(QLabel, "municipalityHint") is None
    dialog.reject()

    # With two, none is taken for the guide: the first by name is no answer.
    office.ws.add(Municipality(ags="06534014", name="Neustadt (Hessen)"))
    events.table.new_button.click()
    dialog = office.dialog(events)
    town = dialog.form.editors["municipality_ags"].widget
    assert isinstance(town, QComboBox) and town.currentIndex() == -1
    assert town.lineEdit().placeholderText() == "Bitte auswählen…"
    assert [town.itemText(i) for i in range(town.count())] == [
        "Kirchhain (06534011)",
        "Neustadt (Hessen) (06534014)",
    ]
    _type_title(office, dialog, "Infoabend Kita")
    dialog.form.editors["activity_type"].set("information_event")
    office.save(dialog)
    assert dialog.form.error_text("municipality_ags") == "Bitte einen Eintrag aus der Liste wählen."
    assert office.ws.list(Activity) == []
    town.setCurrentIndex(town.findData("06534014"))
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not events.dialogs)
    (saved,) = office.ws.list(Activity)
    assert saved.municipality_ags == "06534014"

    # A key with no profile in this vault (recorded elsewhere) stays through an edit.
    elsewhere = office.ws.add(
        Activity(
            activity_type="encounter",
            title="Sprachcafé",
            starts_on=date(2026, 3, 5),
            municipality_ags="06534999",
            is_event=True,
        )
    )
    events.refresh()
    events.edit_record(elsewhere.id)
    dialog = office.dialog(events)
    town = dialog.form.editors["municipality_ags"].widget
    assert town.currentText() == "06534999 (nicht in diesem Tresor)"
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not events.dialogs)
    assert office.ws.get(Activity, elsewhere.id).municipality_ags == "06534999"


def test_what_the_picker_shows_is_what_is_saved(office: Office) -> None:
    """Cleared text kept the earlier choice, and a name typed out in full was refused:
    the field showed one thing and saved another."""
    office.ws.add(Municipality(ags="06534014", name="Neustadt (Hessen)"))
    events = office.page(EventsPage)
    events.table.new_button.click()
    dialog = office.dialog(events)
    editor = dialog.form.editors["municipality_ags"]
    town = editor.widget
    assert isinstance(town, QComboBox)
    town.setCurrentIndex(town.findData(AGS))
    assert editor.get() == AGS
    town.lineEdit().clear()  # the guide deletes the name and leaves the field
    with pytest.raises(UnreadableInput):
        editor.get()
    assert editor.to_draft() is None
    office.qtbot.keyClicks(town.lineEdit(), "neustadt (hessen) (06534014)")
    assert editor.get() == "06534014" and editor.to_draft() == "06534014"
    town.lineEdit().setText("Marburg")  # names nothing in the list
    with pytest.raises(UnreadableInput):
        editor.get()
    dialog.reject()


def test_without_a_municipality_recorded_the_forms_say_where_to_add_one(office: Office) -> None:
    (town,) = office.ws.list(Municipality)
    office.ws.delete(Municipality.KIND, town.id)
    activities = office.page(ActivitiesPage)
    activities.table.new_button.click()
    dialog = office.dialog(activities)
    key = dialog.form.editors["municipality_ags"].widget
    assert isinstance(key, QLineEdit)  # typed, as there is nothing to choose from
    assert key.text() == "" and key.placeholderText() == "8 Ziffern, z. B. 06534011"
    hint = dialog.findChild(QLabel, "municipalityHint")
    assert hint is not None and hint.isVisible()
    assert "Datei → Profil der Kommune" in hint.text()
    _type_title(office, dialog, "Netzwerktreffen")
    dialog.form.editors["activity_type"].set("network_meeting")
    office.qtbot.keyClicks(key, AGS)
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not activities.dialogs)
    assert [a.municipality_ags for a in office.ws.list(Activity)] == [AGS]

    team = office.page(TeamPage)
    team.table.new_button.click()
    dialog = office.dialog(team)
    hint = dialog.findChild(QLabel, "municipalityHint")
    assert hint is not None and hint.isVisible()
    assert "Datei → Profil der Kommune" in hint.text()
    dialog.reject()
    assert office.ws.list(Guide) == []


def test_empty_title_and_end_before_start_show_under_the_field(office: Office) -> None:
    page = office.page(ActivitiesPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    office.save(dialog)
    assert dialog.isVisible()
    assert dialog.form.error_text("title") == "Dieses Feld ist erforderlich."
    # No type is taken from the top of the list: it is chosen, as the title is typed.
    assert dialog.form.error_text("activity_type") == "Bitte einen Eintrag aus der Liste wählen."
    _type_title(office, dialog, "Workshop")
    dialog.form.editors["activity_type"].set("administration_training")
    dialog.form.editors["starts_on"].set(date(2026, 3, 12))
    ends = dialog.form.editors["ends_on"].widget
    office.qtbot.keyClicks(ends.edit, "10.3.2026")
    office.save(dialog)
    assert dialog.isVisible()
    assert dialog.form.error_text("title") == ""
    assert dialog.form.error_text("ends_on") == "Endet, bevor es beginnt."
    assert office.ws.count(Activity) == 0
    ends.edit.clear()
    office.qtbot.keyClicks(ends.edit, "14.03.26")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert office.ws.count(Activity) == 1


def test_an_event_or_publication_dated_outside_the_project_says_no_report_counts_it(
    office: Office,
) -> None:
    """QA: an event typed as 01.01.2020 (for 2026) was saved without a word and then
    appeared in no report; so was a publication."""
    events = office.page(EventsPage)
    events.table.new_button.click()
    dialog = office.dialog(events)
    note = dialog.findChild(QLabel, "outsideProject")
    assert note is not None and not note.isVisibleTo(dialog)  # today, 18.03.2026
    day = dialog.form.editors["starts_on"].widget.edit
    day.selectAll()
    office.qtbot.keyClicks(day, "01.01.2020")
    assert note.isVisibleTo(dialog)
    assert note.text() == (
        "Außerhalb des Projektzeitraums (01.10.2025 – 30.09.2028): "
        "wird in den Berichten nicht mitgezählt."
    )
    day.selectAll()
    office.qtbot.keyClicks(day, "01.01.2026")
    assert not note.isVisibleTo(dialog)
    dialog.reject()
    publications = office.page(PublicationsPage)
    publications.table.new_button.click()
    dialog = office.dialog(publications)
    note = dialog.findChild(QLabel, "outsideProject")
    assert note is not None and not note.isVisibleTo(dialog)
    dialog.form.editors["published_on"].set(date(2028, 10, 1))
    dialog.form.edited.emit()
    assert note.isVisibleTo(dialog) and "Berichten" in note.text()
    dialog.reject()


def test_tab_into_the_list_chooses_a_row_and_down_the_next(office: Office) -> None:
    """Keyboard QA pass: Tab into the table only outlined the first row, so Edit stayed
    off, and Down went on to the second row."""
    for day, title in ((2, "Runder Tisch"), (3, "Elterncafe"), (4, "Sprachcafe")):
        office.ws.add(
            Activity(
                activity_type="network_meeting",
                title=title,
                starts_on=date(2026, 3, day),
                municipality_ags=AGS,
            )
        )
    page = office.page(ActivitiesPage)
    office.activate(page)
    page.table.filter_edit.setFocus()
    while QApplication.focusWidget() is not page.table.view:
        office.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    first = page.table.current_id()
    assert first and page.table.edit_button.isEnabled()
    assert office.ws.get(Activity, first).title == "Sprachcafe"  # the newest, on top
    office.qtbot.keyClick(page.table.view, Qt.Key.Key_Down)
    assert office.ws.get(Activity, page.table.current_id()).title == "Elterncafe"


def test_edit_with_enter_and_delete_with_confirmation(office: Office) -> None:
    record = office.ws.add(
        Activity(
            activity_type="network_meeting",
            title="Runder Tisch",
            starts_on=date(2026, 3, 2),
            municipality_ags=AGS,
        )
    )
    page = office.page(ActivitiesPage)
    page.table.view.setFocus()
    page.table.select(record.id)
    office.qtbot.keyClick(page.table.view, Qt.Key.Key_Return)
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Aktivität bearbeiten"
    title = dialog.form.editors["title"].widget
    assert isinstance(title, QLineEdit)
    title.selectAll()
    office.qtbot.keyClicks(title, "Runder Tisch Migration")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert _titles(page) == ["Runder Tisch Migration"]
    assert office.ws.get(Activity, record.id).title == "Runder Tisch Migration"

    page.table.select(record.id)
    page.table.delete_button.click()
    office.confirm(page, yes=False)
    assert office.ws.count(Activity) == 1
    office.activate(page)
    page.table.view.setFocus()
    office.qtbot.keyClick(page.table.view, Qt.Key.Key_Delete)
    assert "Runder Tisch Migration" in page.confirm_box.text()  # type: ignore[union-attr]
    office.confirm(page, yes=True)
    assert office.ws.count(Activity) == 0
    assert _titles(page) == []


def test_the_participant_filter_finds_names_typed_without_their_accents(
    office: Office,
) -> None:
    """A German keyboard at the sign-in list: "ozturk" and "Mueller" are what is typed."""
    for name in ("Ahmet Öztürk", "Hans Müller", "Omid Rahimi", "علي رحيمي"):
        office.ws.add(Person(name=name))
    events = office.page(EventsPage)
    events.table.new_button.click()
    dialog = office.dialog(events)
    flt = events.participant_filter
    assert flt is not None

    def visible() -> list[str]:
        view = flt.view
        return [view.item(i).text() for i in range(view.count()) if not view.item(i).isHidden()]

    office.qtbot.keyClicks(flt.edit, "ozturk")
    assert [text.split(" (")[0] for text in visible()] == ["Ahmet Öztürk"]
    flt.edit.setText("Mueller")
    assert [text.split(" (")[0] for text in visible()] == ["Hans Müller"]
    flt.edit.setText("علی")  # typed on a Persian keyboard
    assert [text.split(" (")[0] for text in visible()] == ["علي رحيمي"]
    dialog.reject()


def test_filter_and_show_record_hands_events_to_the_events_page(office: Office) -> None:
    for title, is_event in (("Sprachcafé", True), ("Pressearbeit", False), ("Elternabend", True)):
        office.ws.add(
            Activity(
                activity_type="information_event",
                title=title,
                starts_on=date(2026, 3, 5),
                municipality_ags=AGS,
                is_event=is_event,
                attendance_total=10 if is_event else None,
            )
        )
    events = office.page(EventsPage)
    activities = office.page(ActivitiesPage)
    office.qtbot.keyClicks(events.table.filter_edit, "sprach")
    assert _titles(events) == ["Sprachcafé"]
    assert events.table.count_label.text() == "1 von 2 angezeigt"
    event_id = events.table.model.rows()[0].id
    activities.show_record(event_id)
    assert office.navigated == [("events", event_id)]
    events.show_record(event_id)
    assert events.table.current_id() == event_id
    assert events.table.view.currentIndex().data(RowRole.ID) == event_id


def test_english_labels(office: Office, qtbot: QtBot) -> None:
    set_ui_language("en")
    page = office.page(EventsPage)
    page.retranslate_ui()
    headers = [page.table.model.headerData(i, Qt.Orientation.Horizontal) for i in range(5)]
    assert headers == ["Date", "Type", "Title", "Target groups", "Attendance"]
    assert page.table.new_button.text() == "&New… (Ctrl+N)"


def test_events_count_attendance_as_the_reports_do(office: Office) -> None:
    amina = office.ws.add(Person(name="Amina Haidari"))
    office.ws.add(
        Activity(
            activity_type="encounter",
            title="Sprachcafé",
            starts_on=date(2026, 3, 5),
            municipality_ags=AGS,
            is_event=True,
            counts_by_target_group={"tcn": 30, "local": 5},
            participant_ids=(amina.id,),
        )
    )
    events = office.page(EventsPage)
    assert events.table.proxy.index(0, 4).data() == "36"  # no total typed: 30 + 1 named + 5

    # A total smaller than the groups counted is said under the counts, and not saved.
    events.table.new_button.click()
    dialog = office.dialog(events)
    _type_title(office, dialog, "Infoabend Kita")
    dialog.form.editors["activity_type"].set("information_event")
    total = dialog.form.editors["attendance_total"].widget
    assert isinstance(total, QLineEdit)
    office.qtbot.keyClicks(total, "10")
    dialog.form.editors["counts_by_target_group"].set((("local", 50),))
    # A group with people counted is ticked among the target groups, as it was reached.
    assert "local" in dialog.form.editors["target_groups"].get()
    office.save(dialog)
    assert dialog.form.error_text("counts_by_target_group") == (
        "Nach Zielgruppe und namentlich sind mehr Personen erfasst (50), als teilgenommen haben."
    )
    assert len(office.ws.list(Activity)) == 1
    dialog.reject()


def test_named_participants_without_proof_consent_are_named_under_the_list(
    office: Office,
) -> None:
    amina = office.ws.add(Person(name="Amina Haidari"))
    omid = office.ws.add(Person(name="Omid Rahimi"))
    office.ws.add(
        Consent(
            person_id=omid.id,
            purpose="participation_proof",
            form_version="2025-10",
            form_language="de",
            given_on=date(2026, 1, 5),
        )
    )
    events = office.page(EventsPage)
    events.table.new_button.click()
    dialog = office.dialog(events)
    note = dialog.findChild(QLabel, "proofConsentNote")
    assert note is not None
    dialog.form.editors["participant_ids"].set((amina.id, omid.id))
    dialog.form.edited.emit()
    assert note.isVisible()
    # The name is isolated (UAX #9): an Arabic-script name keeps its place in the sentence.
    assert note.text() == "Ohne Einwilligung zum Teilnahmenachweis: \u2068Amina Haidari\u2069"
    dialog.form.editors["participant_ids"].set((omid.id,))
    dialog.form.edited.emit()
    assert note.isHidden()
    dialog.reject()
