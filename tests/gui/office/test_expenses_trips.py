"""Project expenses and business trips are kept in the window: add, list, edit, delete,
found by search; a lock clears the lists and an unsaved form comes back after unlock."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from kisi_desktop.core.domain import Expense, Guide, Municipality, Trip
from kisi_desktop.core.domain.budget import trip_amount, trip_per_diem

from kisi_desktop.handouts.profile import profile_from_records
from kisi_desktop.reports.budget import BudgetRecords, budget_overview
from kisi_desktop.reports.money import format_eur

from kisi_desktop.ui.pages.expenses_page import ExpensesPage
from kisi_desktop.ui.pages.registry import EXPENSES_OF_CATEGORY, page_factories, page_of_form
from kisi_desktop.ui.pages.search_page import SearchPage
from kisi_desktop.ui.pages.team_page import TeamPage
from kisi_desktop.ui.pages.trips_page import TripsPage

from tests.gui.office.conftest import AGS, Office
from tests.support.clipping import clipped, cut_in_tables

pytestmark = pytest.mark.gui


def _cells(page: ExpensesPage | TripsPage, row: int = 0) -> list[str]:
    model = page.table.proxy
    return [model.index(row, c).data() for c in range(model.columnCount())]


def _type(office: Office, edit: object, text: str) -> None:
    assert isinstance(edit, QLineEdit)
    edit.clear()
    office.qtbot.keyClicks(edit, text)


def _spent(office: Office, category: str) -> Decimal:
    overview = budget_overview(BudgetRecords.of(office.ws), date(2026, 3, 18), office.ws.ref)
    return sum(
        (line.spent for line in overview.lines if line.category == category), start=Decimal(0)
    )


def test_an_expense_is_typed_in_listed_with_its_share_edited_and_deleted(
    office: Office, qtmodeltester: ModelTester
) -> None:
    page = office.page(ExpensesPage)
    assert page.heading.text() == "<h2>Projektausgaben</h2>"
    before = _spent(office, "fees")
    page.table.new_button.click()
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Neue Ausgabe"
    editors = dialog.form.editors
    _type(office, editors["payee"].widget, "Dolmetscherdienst Mittelhessen")
    _type(office, editors["amount"].widget, "1.234,50")  # typed as a guide types money
    editors["category"].set("fees")
    _type(office, editors["allocation_percent"].widget, "50")
    _type(office, editors["receipt_ref"].widget, "B-2026-0012")
    with office.qtbot.waitSignal(page.changed, timeout=2000) as told:
        office.save(dialog)
    assert told.args == ["expense"]  # the Budget page counts again
    office.qtbot.waitUntil(lambda: not page.dialogs)

    (saved,) = office.ws.list(Expense)
    assert (saved.amount, saved.allocation_percent, saved.spent_on) == (
        Decimal("1234.50"),
        Decimal(50),
        date(2026, 3, 18),  # today by the session clock
    )
    assert _spent(office, "fees") - before == Decimal("617.25")
    cells = _cells(page)
    assert cells[:5] == [
        "18.03.2026",
        "Dolmetscherdienst Mittelhessen",
        "Honorare",
        "1.234,50\xa0€",
        "617,25\xa0€",
    ]
    assert cells[6] == "B-2026-0012" and cells[7] == ""
    qtmodeltester.check(page.table.model)

    # Enter on the row opens it; the payment day is filled in later.
    page.table.select(saved.id)
    office.qtbot.keyClick(page.table.view, Qt.Key.Key_Return)
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Ausgabe bearbeiten"
    dialog.form.editors["paid_on"].set(date(2026, 3, 20))
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert office.ws.get(Expense, saved.id).paid_on == date(2026, 3, 20)
    assert _cells(page)[7] == "20.03.2026"

    page.table.select(saved.id)
    page.table.delete_button.click()
    office.qtbot.waitUntil(lambda: page.confirm_box is not None)
    assert page.confirm_box is not None
    assert "Dolmetscherdienst Mittelhessen" in page.confirm_box.text()
    office.confirm(page)
    assert office.ws.count(Expense) == 0 and page.table.model.rowCount() == 0


def test_an_empty_amount_is_required_and_a_typo_is_shown_how_to_type(office: Office) -> None:
    page = office.page(ExpensesPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    _type(office, dialog.form.editors["payee"].widget, "Dolmetscherdienst Mittelhessen")
    office.save(dialog)
    assert dialog.form.error_text("amount") == "Dieses Feld ist erforderlich."
    _type(office, dialog.form.editors["amount"].widget, "12 Euro")
    office.save(dialog)
    assert dialog.form.error_text("amount") == "Betrag eingeben, z. B. 12,50."
    assert office.ws.count(Expense) == 0
    dialog.reject()


def test_km_with_two_decimals_are_refused_in_good_german(office: Office) -> None:
    """km take one decimal place: the message said "Höchstens 1 Nachkommastellen"."""
    page = office.page(TripsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    _type(office, dialog.form.editors["km"].widget, "12,35")
    office.save(dialog)
    assert dialog.form.error_text("km") == "Höchstens eine Nachkommastelle."
    assert office.ws.count(Trip) == 0
    dialog.reject()


def test_a_trip_shows_what_the_travel_cost_rules_pay(office: Office) -> None:
    page = office.page(TripsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Neue Dienstfahrt"
    editors = dialog.form.editors
    _type(office, editors["purpose"].widget, "Termin beim Jobcenter")
    _type(office, editors["origin"].widget, "Rathaus Kirchhain")
    _type(office, editors["destination"].widget, "Marburg, Jobcenter")
    _type(office, editors["km"].widget, "45,5")
    editors["vehicle_type"].set("car")
    editors["passengers"].set(1)
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    (trip,) = office.ws.list(Trip)
    assert (trip.km, trip.passengers) == (Decimal("45.5"), 1)
    amount = trip_amount(trip, office.ws.ref)
    assert amount > 0
    cells = _cells(page)
    assert cells[:4] == [
        "18.03.2026",
        "Termin beim Jobcenter",
        "Rathaus Kirchhain – Marburg, Jobcenter",
        "45,5",
    ]
    # Kilometergeld, no Tagegeld (no hours entered: an empty cell), the sum, no claim yet.
    assert cells[5:] == [format_eur(amount, "de"), "", format_eur(amount, "de"), ""]


def test_the_trip_form_says_the_mileage_the_list_will_show(office: Office) -> None:
    """The form said the Tagegeld while it was typed, but not the Kilometergeld: 45,5 km
    by car are 9,56 € (0,21 € a km), with valid reasons 15,93 € (0,35 €), with a
    passenger 0,02 € a km more: 16,84 €, what the list then shows."""
    page = office.page(TripsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    editors = dialog.form.editors
    note = dialog.form.findChild(QLabel, "note_km")
    assert note is not None and not note.isVisible()  # nothing typed: nothing to say
    _type(office, editors["purpose"].widget, "Termin beim Jobcenter")
    _type(office, editors["origin"].widget, "Rathaus Kirchhain")
    _type(office, editors["destination"].widget, "Marburg, Jobcenter")
    _type(office, editors["km"].widget, "45,5")
    assert not note.isVisible()  # no vehicle chosen yet
    combo = editors["vehicle_type"].widget
    combo.setFocus()
    while combo.currentData() != "car":
        office.qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert note.isVisible()
    assert note.text() == "Kilometergeld: 9,56\xa0€ (0,21\xa0€ je km)."
    editors["valid_reasons"].widget.click()
    assert note.text() == "Kilometergeld: 15,93\xa0€ (0,35\xa0€ je km)."
    spin = editors["passengers"].widget
    spin.setFocus()
    office.qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert note.text() == (
        "Kilometergeld: 16,84\xa0€ (0,35\xa0€ je km, dazu 0,02\xa0€ je km und mitfahrender Person)."
    )
    km = editors["km"].widget
    km.selectAll()
    office.qtbot.keyClick(km, Qt.Key.Key_Backspace)
    assert not note.isVisible()  # no km: nothing to say
    _type(office, editors["km"].widget, "45,5")
    assert clipped(dialog) == []
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert _cells(page)[5] == "16,84\xa0€"


def test_a_bicycle_takes_no_passenger_and_no_valid_reasons(office: Office) -> None:
    """By bicycle with a passenger the form paid 0,02 € a km for them and saved it, and
    "Pkw nötig (triftige Gründe)" was taken without a word: HRKG § 6 pays passengers and
    the higher rate for motor vehicles only. Both are now said beside the field."""
    page = office.page(TripsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    editors = dialog.form.editors
    _type(office, editors["purpose"].widget, "Hausbesuch")
    _type(office, editors["origin"].widget, "Rathaus Kirchhain")
    _type(office, editors["destination"].widget, "Stadtallendorf")
    _type(office, editors["km"].widget, "20")
    combo = editors["vehicle_type"].widget
    combo.setFocus()
    while combo.currentData() != "bicycle":
        office.qtbot.keyClick(combo, Qt.Key.Key_Down)
    spin = editors["passengers"].widget
    spin.setFocus()
    office.qtbot.keyClick(spin, Qt.Key.Key_Up)
    editors["valid_reasons"].widget.click()
    note = dialog.form.findChild(QLabel, "note_km")
    assert note is not None
    assert note.text() == "Kilometergeld: 1,20\xa0€ (0,06\xa0€ je km)."  # the bicycle's only
    office.save(dialog)
    assert dialog.form.error_text("valid_reasons") == (
        "Nur für Kraftwagen und Motorrad: Für Fahrrad und E-Bike gilt ein fester Satz je km."
    )
    editors["valid_reasons"].widget.click()
    office.save(dialog)
    assert dialog.form.error_text("passengers") == (
        "Mitfahrende nur im Kraftwagen oder auf dem Motorrad."
    )
    assert office.ws.count(Trip) == 0
    spin.setFocus()
    office.qtbot.keyClick(spin, Qt.Key.Key_Down)
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert _cells(page)[5] == "1,20\xa0€"


def test_a_trip_to_the_next_day_says_whether_it_had_an_overnight_stay(office: Office) -> None:
    """10 to 11 March with "10" typed in the hours away (as a guide fills every field)
    gave "Tagegeld für einen Tag: 14,00 €" and was saved as a trip over midnight without
    an overnight stay, 14 € less than the two days the hotel night earns, and nothing
    said why or where the hotel bill goes. The note now says both."""
    page = office.page(TripsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    editors = dialog.form.editors
    _type(office, editors["travelled_on"].widget.edit, "10.3.2026")
    _type(office, editors["returned_on"].widget.edit, "11.3.2026")
    _type(office, editors["hours_away"].widget, "10")
    note = dialog.form.findChild(QLabel, "note_dinners_provided")
    assert note is not None and note.isVisible()
    assert note.text() == (
        "Tagegeld für einen Tag: 14,00\xa0€. Mit Stunden abwesend gilt die Reise als eine über "
        "Mitternacht ohne Übernachtung; bei einer Übernachtung „Stunden abwesend“ leer "
        "lassen."
    )
    hours = editors["hours_away"].widget
    hours.selectAll()
    office.qtbot.keyClick(hours, Qt.Key.Key_Backspace)
    assert note.text() == (
        "Tagegeld für 2 Tage: 28,00\xa0€. Die Hotelrechnung erfassen Sie als Projektausgabe "
        "unter Reisekosten."
    )
    assert clipped(dialog) == []
    dialog.reject()


def test_a_training_over_three_days_is_listed_with_its_tagegeld(
    office: Office, tmp_path: Path
) -> None:
    """Typed in as a guide types it: 2 to 4 March 2026 in Wiesbaden, 240 km by car, two
    breakfasts and a dinner served. Kilometergeld 240 x 0.21 = 50.40; Tagegeld
    14 + 28 + 14 = 56.00, less 2 x 5.60 + 11.20 = 22.40 for the meals: 33.60; in all
    84.00. Hours away are refused for a trip over several days."""
    page = office.page(TripsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    form = dialog.form
    editors = form.editors
    labels = [
        form.labels[n].text().replace("&", "")
        for n in ("returned_on", "hours_away", "lunches_provided")
    ]
    assert labels == [
        "Letzter Reisetag:",
        "Stunden abwesend (ohne Übernachtung):",
        "Gestellte Mittagessen:",
    ]
    assert editors["local_field_work"].widget.text().replace("&", "") == (
        "Am Dienst- oder Wohnort, im regelmäßigen Außendienst"
    )
    assert "HRKG § 10" in editors["breakfasts_provided"].widget.toolTip()
    _type(office, editors["travelled_on"].widget.edit, "2.3.2026")
    _type(office, editors["returned_on"].widget.edit, "4.3.2026")
    _type(office, editors["purpose"].widget, "Fortbildung Interkulturelle Öffnung")
    _type(office, editors["origin"].widget, "Rathaus Kirchhain")
    _type(office, editors["destination"].widget, "Wiesbaden, HMAIJS")
    _type(office, editors["km"].widget, "240")
    editors["vehicle_type"].set("car")
    _type(office, editors["hours_away"].widget, "10")
    office.save(dialog)
    assert form.error_text("hours_away") == (
        "Nur bei einer Reise ohne Übernachtung (an einem Tag oder über Mitternacht bis zum "
        "nächsten): Über mehrere Tage ergibt sich das Tagegeld aus den Tagen."
    )
    assert office.ws.count(Trip) == 0
    _type(office, editors["hours_away"].widget, "")
    note = form.findChild(QLabel, "note_dinners_provided")
    assert note is not None
    for name, clicks in (("breakfasts_provided", 2), ("dinners_provided", 1)):
        spin = editors[name].widget
        spin.setFocus()
        for _n in range(clicks):
            office.qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert note.isVisible()
    assert note.text() == (
        "Tagegeld für 3 Tage: 56,00\xa0€. Abzüglich 22,40\xa0€ für gestellte Mahlzeiten: "
        "33,60\xa0€. Die Hotelrechnung erfassen Sie als Projektausgabe unter Reisekosten."
    )
    office.qtbot.wait(50)  # the note's lines are laid out on the next turns of the loop
    out = Path(os.environ.get("KISI_SHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(out / "office_trip_dialog_de.png"))
    assert clipped(dialog) == []
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)

    (trip,) = office.ws.list(Trip)
    assert (trip.travelled_on, trip.returned_on, trip.hours_away) == (
        date(2026, 3, 2),
        date(2026, 3, 4),
        None,
    )
    assert (trip.breakfasts_provided, trip.lunches_provided, trip.dinners_provided) == (2, 0, 1)
    assert trip_per_diem(trip, office.ws.ref) == Decimal("33.60")
    headings = [page.table.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert headings[5:8] == ["Kilometergeld", "Tagegeld", "Insgesamt"]
    assert _cells(page) == [
        "02.03.2026 – 04.03.2026",
        "Fortbildung Interkulturelle Öffnung",
        "Rathaus Kirchhain – Wiesbaden, HMAIJS",
        "240,0",  # one decimal place, as "45,5" beside it (it read "240")
        "Kraftwagen",
        "50,40\xa0€",
        "33,60\xa0€",
        "84,00\xa0€",
        "",
    ]
    # Opened again, the form says the same before anything is typed.
    page.edit_record(trip.id)
    dialog = office.dialog(page)
    note = dialog.form.findChild(QLabel, "note_dinners_provided")
    office.qtbot.waitUntil(lambda: note.isVisible(), timeout=2000)
    assert "Mahlzeiten: 33,60\xa0€." in note.text()
    dialog.reject()


def test_a_day_trip_of_eight_hours_says_it_earns_no_tagegeld(office: Office) -> None:
    page = office.page(TripsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    editors = dialog.form.editors
    note = dialog.form.findChild(QLabel, "note_dinners_provided")
    assert note is not None and not note.isVisible()  # no hours typed: nothing to say
    _type(office, editors["hours_away"].widget, "8")
    assert note.text() == (
        "Kein Tagegeld: Eine Reise ohne Übernachtung erhält es erst bei mehr als acht Stunden "
        "Abwesenheit."
    )
    _type(office, editors["hours_away"].widget, "9,5")
    assert note.text() == "Tagegeld für einen Tag: 14,00\xa0€."
    editors["local_field_work"].widget.click()
    assert note.text() == "Tagegeld für einen Tag: 7,00\xa0€."  # half in one's own town
    editors["local_field_work"].widget.click()
    # Over midnight without an overnight stay: one day's Tagegeld, not two half days.
    _type(office, editors["travelled_on"].widget.edit, "2.3.2026")
    _type(office, editors["returned_on"].widget.edit, "3.3.2026")
    assert note.text().startswith("Tagegeld für einen Tag: 14,00\xa0€. Mit Stunden abwesend")
    dialog.reject()


def test_lock_clears_the_lists_and_unlock_reopens_the_trip_form(office: Office) -> None:
    office.ws.add(
        Expense(
            spent_on=date(2026, 3, 2),
            amount=Decimal("80"),
            payee="Bürgerhaus",
            category="room_rent",
        )
    )
    expenses = office.page(ExpensesPage)
    trips = office.page(TripsPage)
    assert expenses.table.model.rowCount() == 1
    trips.table.new_button.click()
    dialog = office.dialog(trips)
    _type(office, dialog.form.editors["purpose"].widget, "Netzwerktreffen")
    office.session.lock("idle")
    assert not dialog.isVisible() and trips.dialogs == []
    assert expenses.table.model.rowCount() == 0
    office.unlock()
    assert expenses.table.model.rowCount() == 1
    reopened = office.dialog(trips)
    assert reopened.form.editors["purpose"].get() == "Netzwerktreffen"


def test_search_opens_expenses_and_trips_on_their_pages(office: Office) -> None:
    expense = office.ws.add(
        Expense(
            spent_on=date(2026, 3, 2),
            amount=Decimal("80"),
            payee="Druckerei Quxmann",
            category="other",
        )
    )
    search = office.page(SearchPage)
    search.search("quxmann")
    item = search.results.item(0)
    search.results.itemActivated.emit(item)
    assert office.navigated == [("expenses", expense.id)]
    keys = [spec.key for spec in page_factories()]
    assert keys.index("expenses") == keys.index("budget") + 1
    assert keys.index("trips") == keys.index("expenses") + 1
    assert (page_of_form("expense_form"), page_of_form("trip_form")) == ("expenses", "trips")


def test_one_categorys_expenses_are_listed_for_the_budgets_warning(office: Office) -> None:
    for payee, category in (("Ehrenamtliche (Sammelauszahlung)", "volunteers"),
                            ("Stadtkasse Kirchhain", "staff")):  # fmt: skip
        office.ws.add(
            Expense(spent_on=date(2026, 3, 2), amount=Decimal("80"), payee=payee, category=category)
        )
    page = office.page(ExpensesPage)
    assert page.table.view.model().rowCount() == 2
    page.show_record(f"{EXPENSES_OF_CATEGORY}volunteers")
    assert page.table.filter_edit.text() == "Aufwendungen für Ehrenamtliche"
    model = page.table.view.model()
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == "Ehrenamtliche (Sammelauszahlung)"


def test_a_team_member_added_in_the_window_heads_the_handouts(office: Office) -> None:
    page = office.page(TeamPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Neues Teammitglied"
    editors = dialog.form.editors
    # A new member serves the profile's municipality, full time, from today.
    assert editors["municipality_ags"].get() == (AGS,)
    assert editors["fte"].get() == Decimal(1)
    _type(office, editors["name"].widget, "Katharina Weber")
    _type(office, editors["email"].widget, "k.weber@kirchhain.example")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    (guide,) = office.ws.list(Guide)
    assert (guide.started_on, guide.municipality_ags) == (date(2026, 3, 18), (AGS,))
    assert _cells(page)[:6] == ["Katharina Weber", "", "1", "18.03.2026", "", "Kirchhain"]
    (municipality,) = office.ws.list(Municipality)
    line = profile_from_records(municipality, office.ws.list(Guide)).contact_line()
    assert line == "Katharina Weber · k.weber@kirchhain.example"
    # A municipality that has no profile here stays with the guide through an edit.
    office.ws.update(dataclasses.replace(guide, municipality_ags=(AGS, "06534014")))
    page.refresh()
    page.edit_record(guide.id)
    dialog = office.dialog(page)
    assert dialog.form.editors["municipality_ags"].get() == (AGS, "06534014")
    view = dialog.form.editors["municipality_ags"].widget
    assert view.item(view.count() - 1).text() == "06534014 (nicht in diesem Tresor)"
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert office.ws.get(Guide, guide.id).municipality_ags == (AGS, "06534014")


def test_list_columns_fit_their_texts_within_the_page(office: Office) -> None:
    def expense(payee: str) -> Expense:
        return Expense(spent_on=date(2026, 3, 2), amount=Decimal("80"), payee=payee,
                       category="other", receipt_ref="B-2026-0001")  # fmt: skip

    office.ws.add(expense("VHS"))  # a new vault's first record: no measure for the rest
    page = office.page(ExpensesPage)
    view = page.table.view
    header = view.horizontalHeader()
    office.qtbot.waitUntil(lambda: header.sectionSize(1) != ExpensesPage.WIDTHS[1], timeout=2000)
    first = header.sectionSize(1)
    for payee in ("Dolmetscherdienst Mittelhessen gGmbH, Marburg", "Bürgerhaus"):
        office.ws.add(expense(payee))
    page.refresh()
    # Fitted again as the list grew: nothing to scroll sideways; the long payee gets more
    # room than the short one had; the date no more than it needs.
    office.qtbot.waitUntil(lambda: header.sectionSize(1) > first, timeout=2000)
    assert header.length() <= view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0
    assert header.sectionSize(0) <= view.fontMetrics().horizontalAdvance("00.00.00000") + 20
    assert cut_in_tables(page) == []
    # Fitted again to a narrower window, and when another column is sorted (its heading
    # then has the arrow beside it): headings whole, the table filled, nothing sideways.
    page.resize(760, 600)
    # (the scroll bar's range follows the header's length a layout pass later)
    office.qtbot.waitUntil(
        lambda: (
            header.length() == view.viewport().width() and view.horizontalScrollBar().maximum() == 0
        ),
        timeout=2000,
    )
    assert cut_in_tables(page) == []
    share = header.sectionSize(4)  # "Davon KISI" over "100 %": as wide as its heading
    view.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    office.qtbot.waitUntil(lambda: header.sectionSize(4) > share, timeout=2000)
    assert cut_in_tables(page) == []
    # A column the guide dragged stays as dragged.
    header.resizeSection(1, 150)
    for number in range(10):
        office.ws.add(expense(f"Stadtkasse Kirchhain, Kassenzeichen {number:04d}"))
    page.refresh()
    office.qtbot.wait(50)
    assert header.sectionSize(1) == 150


def test_a_burst_of_refits_fits_the_columns_once(office: Office) -> None:
    """Each fit measures the rows; resizes and a sort in one turn of the event loop (a
    layout settling) each asked for one, and they piled up on the UI thread."""
    office.ws.add(Expense(spent_on=date(2026, 3, 2), amount=Decimal("12.50"), payee="VHS",
                          category="fees"))  # fmt: skip
    page = office.page(ExpensesPage)
    table = page.table
    office.qtbot.waitUntil(lambda: not table._refit_timer.isActive(), timeout=2000)
    fits: list[int] = []
    table._refit_timer.timeout.connect(lambda: fits.append(1))
    for _n in range(10):
        table._refit()
    office.qtbot.waitUntil(lambda: fits != [], timeout=2000)
    office.qtbot.wait(20)
    assert fits == [1]


def test_an_empty_list_says_how_to_begin_and_a_filter_that_hides_all_says_so(
    office: Office,
) -> None:
    page = office.page(TripsPage)
    hint = page.table.empty_hint
    assert hint.isVisible()
    # (The key's name is Qt's: "Strg+N" once its German catalog is installed, as in the app.)
    assert re.fullmatch(r"Noch nichts erfasst: „Neu… \((Strg|Ctrl)\+N\)“ legt den ersten "
                        r"Eintrag an\.", hint.text())  # fmt: skip
    office.ws.add(
        Trip(
            travelled_on=date(2026, 3, 2),
            purpose="Netzwerktreffen",
            origin="Rathaus",
            destination="Marburg",
            km=Decimal("20"),
            vehicle_type="car",
        )
    )
    page.refresh()
    assert not hint.isVisible()
    office.qtbot.keyClicks(page.table.filter_edit, "Wiesbaden")
    assert hint.isVisible() and hint.text() == "Nichts passt zum Filter."


def test_tab_goes_round_the_trip_form_through_visible_stops_only(office: Office) -> None:
    """Each Tab lands on something the guide can see focused: no stop on the form's
    scroll area, where Enter would have pressed the dialog's default button unseen."""
    page = office.page(TripsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    office.activate(dialog)
    first = dialog.focusWidget()
    assert first is not None
    seen = []
    for _ in range(60):
        office.qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Tab)
        widget = dialog.focusWidget()
        assert widget is not None
        assert not isinstance(widget, QAbstractScrollArea) or isinstance(
            widget, QAbstractItemView | QPlainTextEdit
        ), f"an unseen Tab stop: {type(widget).__name__} {widget.objectName()!r}"
        seen.append(widget)
        if widget is first:
            break
    assert seen[-1] is first  # round the form and back to where it began
    assert dialog.cancel_button in seen and dialog.save_button in seen
    dialog.reject()


def test_a_trip_or_expense_outside_the_project_says_the_budget_leaves_it_out(
    office: Office,
) -> None:
    """A trip on 15.09.2025 was saved with "Tagegeld für einen Tag: 14,00 €" in the form,
    then listed with empty amounts and left out of the budget without a word."""
    page = office.page(TripsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    note = dialog.findChild(QLabel, "outsideProject")
    assert note is not None and not note.isVisibleTo(dialog)  # today, 18.03.2026
    dialog.form.editors["travelled_on"].set(date(2025, 9, 15))
    dialog.form.edited.emit()
    assert note.isVisibleTo(dialog)
    assert note.text() == (
        "Außerhalb des Projektzeitraums (01.10.2025 – 30.09.2028): wird im Budget nicht mitgezählt."
    )
    dialog.form.editors["travelled_on"].set(date(2025, 10, 1))
    dialog.form.edited.emit()
    assert not note.isVisibleTo(dialog)
    dialog.reject()

    expense = office.ws.add(Expense(spent_on=date(2025, 9, 30), amount=Decimal("80.00"),
                                    payee="Druckerei", category="other"))  # fmt: skip
    expenses = office.page(ExpensesPage)
    expenses.edit_record(expense.id)
    dialog = office.dialog(expenses)
    note = dialog.findChild(QLabel, "outsideProject")
    office.qtbot.waitUntil(lambda: note is not None and note.isVisibleTo(dialog))
    dialog.reject()
