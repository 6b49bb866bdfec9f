"""Volunteers: deployments and the allowance paid this year against the annual cap."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from kisi_desktop.core.domain import Training, Volunteer, VolunteerDeployment
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.volunteer_detail import AllowanceState, allowance_state
from kisi_desktop.ui.pages.volunteers_page import VolunteersPage

from tests.support.clipping import clipped, cut_in_tables

from .conftest import Office

pytestmark = pytest.mark.gui


def _deployment(volunteer: Volunteer, day: date, paid: str) -> VolunteerDeployment:
    return VolunteerDeployment(
        volunteer_id=volunteer.id,
        deployed_on=day,
        hours=Decimal(3),
        kind="accompaniment",
        allowance_paid=Decimal(paid),
    )


def _volunteers_window(office: Office) -> tuple[MainWindow, VolunteersPage]:
    """The Volunteers page in a window at 1366x768, as the guide opens it."""
    window = MainWindow(office.session, office.runner, [VolunteersPage])
    office.qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    office.qtbot.waitExposed(window)
    window._on_unlocked()  # the session was unlocked before the window existed
    window.navigate("volunteers")
    page = window.page_list[0]
    assert isinstance(page, VolunteersPage)
    return window, page


def test_allowance_state_thresholds() -> None:
    cap = Decimal(960)
    assert allowance_state(Decimal("767.99"), cap) is AllowanceState.OK
    assert allowance_state(Decimal(768), cap) is AllowanceState.WARNING  # exactly 80 %
    assert allowance_state(cap, cap) is AllowanceState.WARNING
    assert allowance_state(Decimal("960.01"), cap) is AllowanceState.OVER
    assert allowance_state(Decimal(5), None) is AllowanceState.NO_CAP


def test_deployments_and_allowance_against_the_cap(office: Office) -> None:
    ws = office.ws
    vera = ws.add(
        Volunteer(
            name="Vera Schneider",
            languages=("de", "uk"),
            started_on=date(2025, 4, 1),
            payment_regime="ehrenamtspauschale",
        )
    )
    ws.save(
        [
            _deployment(vera, date(2026, 1, 10), "212.00"),
            _deployment(vera, date(2026, 2, 10), "100.00"),
            _deployment(vera, date(2025, 12, 10), "500.00"),  # last year: not counted
        ]
    )
    ws.add(
        Training(
            held_on=date(2026, 2, 1), topic="Traumasensible Begleitung", attendee_ids=(vera.id,)
        )
    )
    ws.add(Training(held_on=date(2026, 2, 2), topic="Nicht für Vera"))
    page = office.page(VolunteersPage)
    assert page.table.model.rowCount() == 1
    row = [page.table.model.index(0, c).data() for c in range(5)]
    assert row == [
        "Vera Schneider",
        "Deutsch, Ukrainisch",
        "01.04.2025",
        "ja",
        "Ehrenamtspauschale (§ 3 Nr. 26a EStG)",
    ]
    assert page.detail.allowance_label.text() == ""
    page.table.select(vera.id)
    detail = page.detail
    assert (
        detail.allowance_label.text() == "Aufwandsentschädigung: 312,00\xa0€ von 960,00\xa0€ (2026)"
    )
    assert detail.state is AllowanceState.OK
    assert detail.allowance_hint.isHidden()
    assert detail.deployments.model.rowCount() == 3
    assert detail.trainings_model.rowCount() == 1
    assert detail.trainings_model.index(0, 1).data() == "Traumasensible Begleitung"

    # A new deployment through the dialog takes her to 80 %: the line turns amber and says so.
    detail.deployments.new_button.click()
    dialog = office.dialog(page)
    volunteer_box = dialog.form.editors["volunteer_id"].widget
    assert isinstance(volunteer_box, QComboBox)
    assert volunteer_box.currentText() == "Vera Schneider" and not volunteer_box.isEnabled()
    dialog.form.editors["deployed_on"].set(date(2026, 3, 14))
    dialog.form.editors["kind"].set("accompaniment")
    hours = dialog.form.editors["hours"].widget
    paid = dialog.form.editors["allowance_paid"].widget
    assert isinstance(hours, QLineEdit) and isinstance(paid, QLineEdit)
    office.qtbot.keyClicks(hours, "2,5")
    office.qtbot.keyClicks(paid, "456,00")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert detail.deployments.model.rowCount() == 4
    assert (
        detail.allowance_label.text() == "Aufwandsentschädigung: 768,00\xa0€ von 960,00\xa0€ (2026)"
    )
    assert detail.state is AllowanceState.WARNING
    assert "#8a4b00" in detail.allowance_label.styleSheet()
    assert detail.allowance_hint.text() == (
        "80 % der steuerfreien Jahrespauschale sind ausgeschöpft; 192,00\xa0€ bleiben dieses Jahr."
    )
    assert detail.allowance_bar.value() == 80

    # Over the cap: red, and the amount over it in words.
    ws.add(_deployment(vera, date(2026, 3, 15), "200.00"))
    page.refresh()
    assert detail.state is AllowanceState.OVER
    assert "#b00020" in detail.allowance_label.styleSheet()
    assert detail.allowance_hint.text().startswith(
        "Über der steuerfreien Jahrespauschale um 8,00\xa0€"
    )


def test_volunteer_added_and_edited_through_the_dialog(office: Office) -> None:
    page = office.page(VolunteersPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    name = dialog.form.editors["name"].widget
    assert isinstance(name, QLineEdit)
    office.save(dialog)
    assert dialog.form.error_text("name") == "Dieses Feld ist erforderlich."
    office.qtbot.keyClicks(name, "Yusuf Demir")
    assert page.language_filter is not None
    page.language_filter.edit.setText("türki")  # QTest types ASCII only
    view = page.language_filter.view
    shown = [view.item(i) for i in range(view.count()) if not view.item(i).isHidden()]
    # (accents are not told apart, as in Ctrl+F: "türk" would find "Turkmenisch" too)
    assert [i.text() for i in shown] == ["Türkisch"]
    shown[0].setCheckState(Qt.CheckState.Checked)
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    stored = office.ws.list(Volunteer)[0]
    assert stored.name == "Yusuf Demir" and stored.languages == ("tr",)
    assert stored.started_on == date(2026, 3, 18)  # today by the workspace clock
    assert page.table.current_id() == stored.id
    assert page.detail.allowance_label.text() == (
        "Aufwandsentschädigung 2026: 0,00\xa0€ "
        "(keine steuerfreie Jahrespauschale für diese Regelung)"
    )

    page.detail.edit_volunteer_button.click()
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Ehrenamtliche Person bearbeiten"
    dialog.form.editors["payment_regime"].set("uebungsleiter")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert page.detail.allowance_label.text() == (
        "Aufwandsentschädigung: 0,00\xa0€ von 3.300,00\xa0€ (2026)"
    )


def test_training_added_with_the_selected_volunteer_ticked(office: Office) -> None:
    vera = office.ws.add(Volunteer(name="Vera Schneider"))
    page = office.page(VolunteersPage)
    page.table.select(vera.id)
    page.detail.training_button.click()
    dialog = office.dialog(page)
    assert dialog.form.editors["attendee_ids"].get() == (vera.id,)
    topic = dialog.form.editors["topic"].widget
    office.qtbot.keyClicks(topic, "Rolle und Grenzen im Ehrenamt")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert page.detail.trainings_model.index(0, 1).data() == "Rolle und Grenzen im Ehrenamt"


def _press_delete(office: Office, page: VolunteersPage, view: QTableView) -> None:
    office.activate(page)
    view.setFocus()
    office.qtbot.keyClick(view, Qt.Key.Key_Delete)


def _two_in_first_aid(ws: Workspace) -> tuple[Volunteer, Volunteer, Training]:
    vera = ws.add(Volunteer(name="Vera Schneider"))
    olga = ws.add(Volunteer(name="Olga Bondar"))
    training = ws.add(
        Training(held_on=date(2026, 2, 1), topic="Erste Hilfe", attendee_ids=(vera.id, olga.id))
    )
    return vera, olga, training


def test_volunteer_erased_with_del_and_taken_off_the_trainings(office: Office) -> None:
    ws = office.ws
    vera, olga, training = _two_in_first_aid(ws)
    page = office.page(VolunteersPage)
    page.table.select(vera.id)
    assert page.table.delete_button.isEnabled()
    _press_delete(office, page, page.table.view)
    office.qtbot.waitUntil(lambda: page.confirm_box is not None)
    assert "Vera Schneider" in page.confirm_box.text()
    office.confirm(page, yes=False)  # Keep: nothing happens
    assert page.table.model.rowCount() == 2

    _press_delete(office, page, page.table.view)
    office.confirm(page)
    office.qtbot.waitUntil(lambda: page.table.model.rowCount() == 1)
    assert page.table.model.index(0, 0).data() == "Olga Bondar"
    assert [v.name for v in ws.list(Volunteer)] == ["Olga Bondar"]
    assert ws.get(Training, training.id).attendee_ids == (olga.id,)
    assert page.detail.name_label.text() != "<h3>Vera Schneider</h3>"


def test_a_volunteer_with_deployments_loses_only_the_contact_details(office: Office) -> None:
    ws = office.ws
    vera = ws.add(
        Volunteer(
            name="Vera Schneider",
            phone="+49 6421 12345",
            email="vera@example.org",
            address="Lindenweg 3, Kirchhain",
            payment_regime="ehrenamtspauschale",
        )
    )
    ws.save(
        [
            _deployment(vera, date(2026, 1, 10), "40.00"),
            _deployment(vera, date(2026, 2, 3), "40.00"),
        ]
    )
    page = office.page(VolunteersPage)
    page.table.select(vera.id)
    page.table.delete_button.click()
    office.qtbot.waitUntil(lambda: page.confirm_box is not None)
    box = page.confirm_box
    assert box.text().startswith("\u2068Vera Schneider\u2069 hat 2 Einsätze, die als Nachweis")
    assert box.findChild(QPushButton, "confirmYes").text() == "Kontaktdaten &entfernen"
    office.confirm(page, yes=False)  # Keep: all stays
    assert ws.get(Volunteer, vera.id) == vera

    # A lock closes the question with everything else.
    page.table.delete_button.click()
    office.qtbot.waitUntil(lambda: page.confirm_box is not None)
    box = page.confirm_box
    office.session.lock()
    office.qtbot.waitUntil(lambda: page.confirm_box is None and not box.isVisible())
    office.unlock()
    ws = office.ws
    page.table.select(vera.id)
    page.table.delete_button.click()
    office.confirm(page)
    kept = ws.get(Volunteer, vera.id)
    assert (kept.name, kept.phone, kept.email, kept.address, kept.active) == (
        "Vera Schneider",
        "",
        "",
        "",
        False,
    )
    assert len(ws.list(VolunteerDeployment)) == 2
    assert page.table.model.rowCount() == 1
    assert page.table.model.index(0, 3).data() == "nein"  # not active any more


def test_training_deleted_for_every_attendee(office: Office) -> None:
    ws = office.ws
    vera, olga, first = _two_in_first_aid(ws)
    ws.add(Training(held_on=date(2026, 3, 1), topic="Rolle im Ehrenamt", attendee_ids=(vera.id,)))
    page = office.page(VolunteersPage)
    page.table.select(vera.id)
    trainings = page.detail.trainings
    assert trainings.model.rowCount() == 2
    assert trainings.select(first.id)
    _press_delete(office, page, trainings.view)
    office.qtbot.waitUntil(lambda: page.confirm_box is not None)
    assert page.confirm_box.text() == (
        "Die Schulung „\u2068Erste Hilfe\u2069“ vom 01.02.2026 löschen? Sie wird für alle "
        "2 Teilnehmenden entfernt. Das lässt sich nicht rückgängig machen."
    )
    office.confirm(page)
    office.qtbot.waitUntil(lambda: trainings.model.rowCount() == 1)
    assert [t.topic for t in ws.list(Training)] == ["Rolle im Ehrenamt"]
    page.table.select(olga.id)
    assert page.detail.trainings.model.rowCount() == 0


def test_tab_leaves_each_list_for_its_buttons(office: Office) -> None:
    vera = office.ws.add(Volunteer(name="Vera Schneider"))
    training = office.ws.add(
        Training(held_on=date(2026, 2, 1), topic="Erste Hilfe", attendee_ids=(vera.id,))
    )
    page = office.page(VolunteersPage)
    office.activate(page)
    page.table.select(vera.id)
    page.table.view.setFocus()
    office.qtbot.keyClick(page.table.view, Qt.Key.Key_Tab)
    # Not the next cell of the row: the list's first button.
    assert QApplication.focusWidget() is page.table.new_button
    detail = page.detail
    detail.training_button.setFocus()
    office.qtbot.keyClick(detail.training_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is detail.trainings.view
    assert detail.trainings.select(training.id)
    office.qtbot.keyClick(detail.trainings.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is detail.trainings.edit_button


def test_deployments_and_trainings_start_and_end_level_with_each_other(office: Office) -> None:
    """Side by side, the two lists of a volunteer have the same build: heading and New
    button above, the list, Edit and Delete below. The trainings sat 8 pixels lower
    when only their heading row had a button."""
    vera = office.ws.add(Volunteer(name="Vera Schneider"))
    office.ws.add(_deployment(vera, date(2026, 3, 2), "10.00"))
    office.ws.add(Training(held_on=date(2026, 2, 1), topic="Erste Hilfe", attendee_ids=(vera.id,)))
    page = office.page(VolunteersPage)
    page.resize(1146, 690)  # the page's room in the window at 1366x768
    page.table.select(vera.id)
    office.qtbot.wait(50)  # the layouts settle
    detail = page.detail

    def top(widget: QWidget) -> int:
        return widget.mapTo(page, QPoint(0, 0)).y()

    def bottom(widget: QWidget) -> int:
        return top(widget) + widget.height()

    deployments, trainings = detail.deployments, detail.trainings
    assert top(deployments.view) == top(trainings.view)
    assert bottom(deployments.view) == bottom(trainings.view)
    assert top(detail.deployments_heading) == top(detail.trainings_heading)
    assert top(detail.deployment_button) == top(detail.training_button)
    assert bottom(detail.deployment_button) < top(deployments.view)  # above its list
    assert top(deployments.edit_button) == top(trainings.edit_button)
    for button in (detail.deployment_button, detail.training_button):
        assert button.isEnabled() and button.width() >= button.sizeHint().width()
    # Tab goes from each New button into its list.
    office.activate(page)
    pairs = ((detail.deployment_button, deployments), (detail.training_button, trainings))
    for button, table in pairs:
        button.setFocus()
        office.qtbot.keyClick(button, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is table.view


def test_the_allowance_against_the_cap_is_shown_while_typing(office: Office) -> None:
    ws = office.ws
    vera = ws.add(Volunteer(name="Vera Schneider", payment_regime="ehrenamtspauschale"))
    earlier = ws.add(_deployment(vera, date(2026, 1, 10), "700.00"))
    ws.add(_deployment(vera, date(2025, 12, 10), "900.00"))  # another year
    page = office.page(VolunteersPage)
    page.table.select(vera.id)
    page.detail.deployments.new_button.click()
    dialog = office.dialog(page)
    note = dialog.findChild(QLabel, "note_allowance_paid")
    assert note is not None and note.isHidden()  # nothing typed, nothing to say
    paid = dialog.form.editors["allowance_paid"].widget
    assert isinstance(paid, QLineEdit)
    office.qtbot.keyClicks(paid, "100")
    assert note.text() == "Mit dieser Zahlung 800,00\xa0€ von 960,00\xa0€ in 2026."
    assert "#8a4b00" in note.styleSheet()  # 83 %: amber, as on the page
    office.qtbot.keyClicks(paid, "0")  # 1000
    assert note.text().startswith(
        "Mit dieser Zahlung 1.700,00\xa0€ von 960,00\xa0€ in 2026: 740,00\xa0€ über"
    )
    assert "#b00020" in note.styleSheet()
    dialog.form.editors["deployed_on"].widget.edit.setText("15.12.2025")  # type: ignore[attr-defined]
    dialog.form.edited.emit()
    assert note.text().startswith("Mit dieser Zahlung 1.900,00\xa0€ von 840,00\xa0€ in 2025")
    # Paid out in January: the cap of the year of payment.
    dialog.form.editors["paid_on"].widget.edit.setText("10.01.2026")  # type: ignore[attr-defined]
    dialog.form.edited.emit()
    assert note.text().startswith("Mit dieser Zahlung 1.700,00\xa0€ von 960,00\xa0€ in 2026")
    assert "Jahr der Zahlung" in dialog.form.editors["paid_on"].widget.toolTip()
    paid.setText("abc")
    dialog.form.edited.emit()
    assert note.isHidden()
    dialog.reject()

    # Editing a payment counts it once, with the amount as typed now.
    page.edit_deployment(earlier.id)
    dialog = office.dialog(page)
    note = dialog.findChild(QLabel, "note_allowance_paid")
    office.qtbot.waitUntil(lambda: note.text() != "")
    assert note.text() == "Mit dieser Zahlung 700,00\xa0€ von 960,00\xa0€ in 2026."
    assert note.styleSheet() == ""
    dialog.reject()


def test_a_wir_pilots_allowance_is_worked_out_from_the_hours(office: Office) -> None:
    """A WIR Integrationslotsin gets 5 EUR an hour from the Land's WIR funds: the form
    says what the hours give before an amount is typed, that it is not KISI's money, and
    warns when more is typed; the cap is the instructor allowance's (3,300 EUR)."""
    dilan = office.ws.add(Volunteer(name="Dilan Aras", payment_regime="wir_integrationslotsen"))
    page = office.page(VolunteersPage)
    page.table.select(dilan.id)
    page.detail.deployments.new_button.click()
    dialog = office.dialog(page)
    note = dialog.findChild(QLabel, "note_allowance_paid")
    hours = dialog.form.editors["hours"].widget
    assert isinstance(note, QLabel) and isinstance(hours, QLineEdit)
    office.qtbot.keyClicks(hours, "2,5")
    dialog.form.edited.emit()
    assert note.text() == (
        "5,00\xa0€ je Stunde: 12,50\xa0€ für 2,5 Stunden. Gezahlt aus dem Programm WIR: "
        "nicht im KISI-Budget buchen."
    )
    assert note.styleSheet() == ""
    paid = dialog.form.editors["allowance_paid"].widget
    assert isinstance(paid, QLineEdit)
    office.qtbot.keyClicks(paid, "20")
    first, second = note.text().split("\n")
    assert first.startswith("5,00\xa0€ je Stunde: 12,50\xa0€")
    assert second == "Mit dieser Zahlung 20,00\xa0€ von 3.300,00\xa0€ in 2026."
    assert "#8a4b00" in note.styleSheet()  # more than the hours give
    # Four lines of note in the room they need, between the fields, not cut to a guess.
    below = dialog.form.editors["paid_on"].widget

    def unclipped() -> bool:
        top = note.mapTo(dialog, QPoint(0, 0)).y()
        bottom = top + note.heightForWidth(note.width())
        above = paid.mapTo(dialog, QPoint(0, paid.height())).y()
        return above <= top and bottom <= below.mapTo(dialog, QPoint(0, 0)).y()

    office.qtbot.waitUntil(unclipped)
    dialog.reject()


def test_hours_and_money_say_what_kind_of_number_they_take(office: Office) -> None:
    vera = office.ws.add(Volunteer(name="Vera Schneider"))
    page = office.page(VolunteersPage)
    page.table.select(vera.id)
    page.detail.deployments.new_button.click()
    dialog = office.dialog(page)
    for field in ("hours", "km", "allowance_paid"):
        widget = dialog.form.editors[field].widget
        assert isinstance(widget, QLineEdit)
        widget.setText("zwei")
    office.save(dialog)
    assert dialog.form.error_text("hours") == "Eine Zahl eingeben, z. B. 2,5."
    assert dialog.form.error_text("km") == "Eine Zahl eingeben, z. B. 2,5."
    assert dialog.form.error_text("allowance_paid") == "Betrag eingeben, z. B. 12,50."
    assert office.ws.list(VolunteerDeployment) == []
    # Left empty, a required number says so, as every other required field does.
    for field in ("hours", "km", "allowance_paid"):
        dialog.form.editors[field].widget.clear()  # type: ignore[attr-defined]
    office.save(dialog)
    for field in ("hours", "km", "allowance_paid"):
        assert dialog.form.error_text(field) == "Dieses Feld ist erforderlich.", field
    assert office.ws.list(VolunteerDeployment) == []
    dialog.reject()


def test_an_empty_deployment_list_says_what_to_do_first(office: Office) -> None:
    vera = office.ws.add(Volunteer(name="Vera Schneider"))
    page = office.page(VolunteersPage)
    deployments = page.detail.deployments
    # No volunteer chosen: the New button is off, so the hint does not point at it.
    assert not deployments.new_button.isEnabled()
    assert deployments.empty_hint.isVisible()
    assert deployments.empty_hint.text() == (
        "Wählen Sie zuerst eine ehrenamtliche Person in der Liste aus."
    )
    page.table.select(vera.id)
    office.qtbot.waitUntil(lambda: deployments.new_button.isEnabled())
    hint = deployments.empty_hint.text()
    assert hint.startswith("Noch nichts erfasst: „Neuer Einsatz…"), hint


def test_the_edit_menu_offers_only_what_the_buttons_offer(office: Office) -> None:
    # With no volunteer chosen, the menu's "New deployment…" did nothing, silently, and
    # its "Delete…" items were on with no row chosen.
    vera = office.ws.add(Volunteer(name="Vera Schneider"))
    page = office.page(VolunteersPage)
    deployments = page.detail.deployments

    def menu() -> dict[str, bool]:
        items = [a for a in page.menu_actions() if a is not None]
        return {a.text(): a.isEnabled() for a in items}

    assert menu() == {
        "&Neu…": True,  # (a volunteer)
        "Filtern…": True,
        "&Löschen…": False,  # (nobody chosen)
        "Neuer Ein&satz…": False,
        "Einsatz l&öschen…": False,
        "Schulung er&fassen…": False,
        "Schulung lös&chen…": False,
    }
    page.table.select(vera.id)
    office.qtbot.waitUntil(lambda: deployments.new_button.isEnabled())
    shown = menu()
    assert shown["Neuer Ein&satz…"] and shown["Schulung er&fassen…"] and shown["&Löschen…"]
    assert not shown["Einsatz l&öschen…"]  # (no deployment chosen yet)


@pytest.mark.parametrize(
    ("regime", "label"), [("none", "keine Zahlung"), ("expenses_only", "nur Aufwandsersatz")]
)
def test_an_allowance_under_a_regime_without_one_is_questioned_while_typing(
    office: Office, tmp_path: Path, regime: str, label: str
) -> None:
    """Typed for a volunteer who gets no allowance, the amount went in without a word;
    only the Budget page asked later to check it. The form now says it, in the Budget
    page's words, with the year's total."""
    ws = office.ws
    omid = ws.add(Volunteer(name="Omid Rahimi", payment_regime=regime))
    ws.add(_deployment(omid, date(2026, 2, 3), "20.00"))
    page = office.page(VolunteersPage)
    page.table.select(omid.id)
    page.detail.deployments.new_button.click()
    dialog = office.dialog(page)
    note = dialog.findChild(QLabel, "note_allowance_paid")
    assert note is not None and note.isHidden()
    paid = dialog.form.editors["allowance_paid"].widget
    assert isinstance(paid, QLineEdit)
    paid.selectAll()  # over the "0" the form starts with
    office.qtbot.keyClicks(paid, "30")
    assert note.isVisible()
    assert note.text() == (
        "Omid Rahimi, 2026: Pauschalen von 50,00\xa0€ erfasst, aber die Zahlungsart ist "
        f"„{label}“, für die es keine steuerfreie Pauschale gibt. Prüfen Sie die "
        "Zahlungsart oder die Zahlungen."
    )
    assert "#8a4b00" in note.styleSheet()  # amber, as the Budget page's "to check"
    office.qtbot.wait(50)  # the note's lines are laid out on the next turns of the loop
    out = Path(os.environ.get("KISI_SHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(out / f"deployment_no_allowance_{regime}_de.png"))
    assert clipped(dialog) == []
    paid.selectAll()
    office.qtbot.keyClick(paid, Qt.Key.Key_Backspace)
    assert note.isHidden()  # no allowance typed: nothing to question
    dialog.reject()


def test_km_read_alike_in_the_deployment_list(office: Office) -> None:
    """31 km read "31" next to "31,2": every distance now has its one decimal place."""
    ws = office.ws
    vera = ws.add(Volunteer(name="Vera Schneider"))
    for day, km in ((date(2026, 3, 2), "31"), (date(2026, 3, 3), "31.2")):
        ws.add(dataclasses.replace(_deployment(vera, day, "0"), km=Decimal(km)))
    page = office.page(VolunteersPage)
    page.table.select(vera.id)
    model = page.detail.deployments.proxy
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "km"
    )
    shown = sorted(model.index(r, column).data() for r in range(model.rowCount()))
    assert shown == ["31,0", "31,2"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_trainings_pane_gives_its_room_to_the_topics(
    office: Office, tmp_path: Path, language: str
) -> None:
    """At 1366x768 the trainings pane cut the topics (and the trainers) while its date
    column kept 95 pixels for "13.03.2026": its columns are now fitted like every list."""
    register_fonts()
    set_ui_language(language)
    ws = office.ws
    vera = ws.add(Volunteer(name="Vera Schneider", payment_regime="ehrenamtspauschale"))
    for day, topic, trainer in (
        (date(2026, 3, 13), "Interkulturelle Kommunikation im Ehrenamt", "Netzwerk Ehrenamt"),
        (date(2026, 1, 3), "Erste Hilfe", "Katharina Weber"),
    ):
        ws.add(Training(held_on=day, topic=topic, trainer=trainer, attendee_ids=(vera.id,)))
    ws.add(_deployment(vera, date(2026, 3, 14), "5.00"))
    window, page = _volunteers_window(office)
    page.table.select(vera.id)
    office.qtbot.wait(50)
    out = Path(os.environ.get("KISI_SHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(out / f"volunteers_trainings_{language}.png"))
    assert cut_in_tables(page.detail) == []
    trainings = page.detail.trainings.view
    assert trainings.horizontalScrollBar().maximum() == 0


def test_a_deployment_paid_in_the_next_year_says_when_it_was_paid(
    office: Office, tmp_path: Path
) -> None:
    """A deployment of 20.12.2025 paid on 05.01.2026 counts against the 2026 cap (the
    year of payment), but the list showed only its 2025 date beside 900,00 €, so "900,00 €
    von 960,00 € (2026)" looked wrong. The list now says the day it was paid."""
    register_fonts()
    set_ui_language("de")
    ws = office.ws
    hans = ws.add(Volunteer(name="Hans Müller", payment_regime="ehrenamtspauschale"))
    late = dataclasses.replace(
        _deployment(hans, date(2025, 12, 20), "900.00"), paid_on=date(2026, 1, 5)
    )
    ws.save([late, _deployment(hans, date(2026, 2, 3), "0")])
    window, page = _volunteers_window(office)
    office.qtbot.wait(50)
    deployments = page.detail.deployments.view
    assert cut_in_tables(page.detail) == []  # no one chosen yet: the headings are whole
    assert deployments.horizontalScrollBar().maximum() == 0
    page.table.select(hans.id)
    office.qtbot.wait(50)
    assert page.detail.allowance_label.text().startswith("Aufwandsentschädigung: 900,00")
    model = page.detail.deployments.proxy
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    rows = {
        model.index(r, 0).data(): model.index(r, headings.index("Ausgezahlt am")).data()
        for r in range(model.rowCount())
    }
    assert rows == {"20.12.2025": "05.01.2026", "03.02.2026": ""}
    out = Path(os.environ.get("KISI_SHOT_DIR", tmp_path))
    assert window.grab().save(str(out / "volunteers_paid_on_de.png"))
    assert cut_in_tables(page.detail) == []
