"""The partner directory: add, edit, filter, delete."""

from __future__ import annotations

from datetime import date

import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListWidget

from kisi_desktop.core.domain import Partner, Person, Referral

from kisi_desktop.ui.pages.partners_page import PartnersPage

from tests.support.discard import discard

from .conftest import Office

pytestmark = pytest.mark.gui


def _cells(page: PartnersPage, row: int = 0) -> list[str]:
    return [page.table.proxy.index(row, c).data() for c in range(8)]


def test_partner_add_edit_delete(office: Office) -> None:
    page = office.page(PartnersPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Neuer Partner"
    name = dialog.form.editors["name"].widget
    email = dialog.form.editors["email"].widget
    assert isinstance(name, QLineEdit) and isinstance(email, QLineEdit)
    office.qtbot.keyClicks(name, "Jobcenter Marburg-Biedenkopf")
    dialog.form.editors["partner_type"].set("employment")
    dialog.form.editors["services"].set(("work",))
    office.qtbot.keyClicks(email, "kein-mail")
    phone = dialog.form.editors["phone"].widget
    website = dialog.form.editors["website"].widget
    assert isinstance(phone, QLineEdit) and isinstance(website, QLineEdit)
    office.qtbot.keyClicks(phone, "ruf an")
    office.qtbot.keyClicks(website, "www.jobcenter.example")
    office.save(dialog)
    # What each field expects, and the form scrolled to the first one to correct.
    assert dialog.form.error_text("email") == "Eine E-Mail-Adresse, z. B. name@example.org."
    assert dialog.form.error_text("phone").startswith("Zuerst + oder eine Ziffer")
    assert dialog.form.error_text("website") == ""  # "https://" is added, as a browser would
    assert dialog.focusWidget() is phone
    area = dialog.scroll_area
    top = phone.mapTo(area.widget(), phone.rect().topLeft()).y()
    assert (
        area.verticalScrollBar().value()
        <= top
        < area.verticalScrollBar().value() + area.viewport().height()
    )
    # The language list is long: it has a filter, as in the People forms.
    assert dialog.findChild(QLineEdit, "field_languages_filter") is not None
    email.clear()
    office.qtbot.keyClicks(email, "info@jobcenter.example")
    phone.clear()
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert _cells(page)[:3] == [
        "Jobcenter Marburg-Biedenkopf",
        "Arbeitsmarkt / Jobcenter",
        "Arbeit / Jobcenter / Agentur für Arbeit",
    ]
    assert _cells(page)[6] == "info@jobcenter.example"
    partner = office.ws.list(Partner)[0]
    assert partner.website == "https://www.jobcenter.example"

    cell = page.table.view.visualRect(page.table.proxy.index(0, 0)).center()
    viewport = page.table.view.viewport()
    office.qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=cell)  # Qt 6: press first
    office.qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=cell)
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Partner bearbeiten"
    person = dialog.form.editors["contact_person"].widget
    office.qtbot.keyClicks(person, "Frau Yilmaz")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert _cells(page)[4] == "Frau Yilmaz"
    assert office.ws.get(Partner, partner.id).contact_person == "Frau Yilmaz"

    amina = office.ws.add(Person(name="Amina"))
    office.ws.add(
        Referral(
            person_id=amina.id,
            referred_on=date(2026, 3, 2),
            target="jobcenter",
            partner_id=partner.id,
        )
    )
    page.table.select(partner.id)
    page.table.delete_button.click()
    office.qtbot.waitUntil(lambda: page.confirm_box is not None)
    assert "in 1 Vermittlung oder Aktivität genannt" in page.confirm_box.text()  # type: ignore[union-attr]
    office.confirm(page)
    assert office.ws.count(Partner) == 0
    assert page.table.model.rowCount() == 0


def _press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, key, modifier)


def test_the_language_filter_of_the_form_filters_and_counts(office: Office) -> None:
    """QA pass: typing "Deu" in the Sprachen filter left all 68 languages listed, and the
    counter stayed at 0 after one was ticked (the filter had been dropped)."""
    page = office.page(PartnersPage)
    office.activate(page)
    page.table.view.setFocus()
    _press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = office.dialog(page)
    office.qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    for _step in range(10):  # Tab to the filter, as the guide does
        focus = QApplication.focusWidget()
        if focus is not None and focus.objectName() == "field_languages_filter":
            break
        _press(Qt.Key.Key_Tab)
    languages = dialog.form.editors["languages"].widget
    assert isinstance(languages, QListWidget)
    filter_edit = dialog.form.findChild(QLineEdit, "field_languages_filter")
    assert QApplication.focusWidget() is filter_edit
    QTest.keyClicks(filter_edit, "Deu")
    shown = [
        languages.item(i).text()
        for i in range(languages.count())
        if not languages.item(i).isHidden()
    ]
    assert shown == ["Deutsch"]
    _press(Qt.Key.Key_Tab)  # to the list, on the one language shown
    assert QApplication.focusWidget() is languages
    _press(Qt.Key.Key_Space)
    assert dialog.form.editors["languages"].get() == ("de",)
    assert any(
        label.text() == f"1 von {languages.count()} ausgewählt"
        for label in dialog.form.findChildren(QLabel)
    )
    discard(office.qtbot, dialog)


def test_filter_finds_partners_by_any_column(office: Office) -> None:
    office.ws.add(Partner(name="Caritas", partner_type="counselling_service", languages=("ar",)))
    office.ws.add(Partner(name="VHS Marburg", partner_type="education", contact_person="Herr Kaya"))
    page = office.page(PartnersPage)
    assert [c[0] for c in (_cells(page, 0), _cells(page, 1))] == ["Caritas", "VHS Marburg"]
    office.qtbot.keyClicks(page.table.filter_edit, "arab")
    assert page.table.proxy.rowCount() == 1 and _cells(page)[0] == "Caritas"
    page.table.filter_edit.clear()
    office.qtbot.keyClicks(page.table.filter_edit, "kaya vhs")
    assert page.table.proxy.rowCount() == 1 and _cells(page)[0] == "VHS Marburg"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("www.vhs-marburg.de", "https://www.vhs-marburg.de"),
        ("vhs-marburg.de/kurse", "https://vhs-marburg.de/kurse"),
        ("http://vhs-marburg.de", "http://vhs-marburg.de"),
        ("info@vhs-marburg.de", None),  # an e-mail address in the wrong field: said
        ("http:/vhs-marburg.de", None),  # a typo: said, not hidden behind https://
    ],
)
def test_a_web_address_gets_https_only_when_it_is_a_host_name(
    office: Office, typed: str, stored: str | None
) -> None:
    page = office.page(PartnersPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    name = dialog.form.editors["name"].widget
    website = dialog.form.editors["website"].widget
    assert isinstance(name, QLineEdit) and isinstance(website, QLineEdit)
    office.qtbot.keyClicks(name, "VHS Marburg")
    website.setText(typed)
    office.save(dialog)
    if stored is None:
        assert dialog.form.error_text("website").startswith("Eine Webadresse")
        dialog.reject()
    else:
        office.qtbot.waitUntil(lambda: not page.dialogs)
        assert office.ws.list(Partner)[0].website == stored
