"""The Publications page: add, list, edit, delete; lock clears it and the draft comes back."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.modeltest import ModelTester

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from kisi_desktop.core.domain import Publication
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.forms.labels import field_label
from kisi_desktop.ui.pages.publications_page import PublicationsPage
from kisi_desktop.ui.pages.registry import page_factories
from kisi_desktop.ui.pages.search_page import SearchPage

from tests.gui.office import conftest as office_setup
from tests.gui.office.conftest import Office

pytestmark = pytest.mark.gui
office = office_setup.office  # the Office fixture (a real vault, unlocked), shared here


def _cells(page: PublicationsPage, row: int = 0) -> list[str]:
    return [page.table.proxy.index(row, c).data() for c in range(7)]


def _guide() -> Publication:
    return Publication(
        publication_type="administration_guide",
        title="Wegweiser durch das Rathaus",
        published_on=date(2026, 4, 1),
        languages=("de", "ar", "uk"),
        version="1.0",
        print_run=500,
        distribution="Bürgerbüro, Caritas",
    )


def test_publication_add_edit_delete(office: Office, qtmodeltester: ModelTester) -> None:
    set_ui_language("en")
    page = office.page(PublicationsPage)
    assert page.title() == "Publications"
    page.table.new_button.click()
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "New publication"
    labels = {name: field_label("publication", name) for name in dialog.form.editors}
    assert labels == {
        "title": "Title",
        "publication_type": "Type",
        "published_on": "Published on",
        "languages": "Languages",
        "version": "Version",
        "print_run": "Copies printed",
        "distribution": "Where handed out",
    }
    title = dialog.form.editors["title"].widget
    assert isinstance(title, QLineEdit)
    office.qtbot.keyClicks(title, "Wegweiser durch das Rathaus")
    editors = dialog.form.editors
    editors["publication_type"].set("administration_guide")
    editors["published_on"].set(date(2026, 4, 1))
    editors["languages"].set(("de", "ar"))
    editors["version"].set("1.0")
    editors["print_run"].set(500)
    editors["distribution"].set("Town hall, Caritas")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)

    (saved,) = office.ws.list(Publication)
    assert (saved.title, saved.published_on, saved.languages, saved.print_run) == (
        "Wegweiser durch das Rathaus",
        date(2026, 4, 1),
        ("de", "ar"),
        500,
    )
    assert _cells(page) == [
        "Wegweiser durch das Rathaus",
        "administration guide",
        "Apr 1, 2026",
        "German, Arabic",
        "1.0",
        "500",
        "Town hall, Caritas",
    ]
    assert [page.table.model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)] == [
        "Title",
        "Type",
        "Published on",
        "Languages",
        "Version",
        "Copies printed",
        "Where handed out",
    ]
    qtmodeltester.check(page.table.model)

    cell = page.table.view.visualRect(page.table.proxy.index(0, 0)).center()
    viewport = page.table.view.viewport()
    office.qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=cell)  # Qt 6: press first
    office.qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=cell)
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Edit publication"
    assert dialog.form.editors["print_run"].get() == 500
    dialog.form.editors["print_run"].set(1200)
    dialog.form.editors["version"].set("2.0")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert _cells(page)[4:6] == ["2.0", "1,200"]
    edited = office.ws.get(Publication, saved.id)
    assert (edited.version, edited.print_run) == ("2.0", 1200)

    page.table.select(saved.id)
    page.table.delete_button.click()
    office.qtbot.waitUntil(lambda: page.confirm_box is not None)
    assert page.confirm_box is not None
    assert "Wegweiser durch das Rathaus" in page.confirm_box.text()
    office.confirm(page, yes=False)
    assert office.ws.count(Publication) == 1
    page.table.delete_button.click()
    office.confirm(page)
    assert office.ws.count(Publication) == 0
    assert page.table.model.rowCount() == 0


def test_lock_clears_the_list_and_unlock_reopens_the_draft(office: Office) -> None:
    set_ui_language("en")
    office.ws.add(_guide())
    page = office.page(PublicationsPage)
    assert page.table.model.rowCount() == 1
    office.qtbot.keyClicks(page.table.filter_edit, "rathaus")
    page.table.new_button.click()
    dialog = office.dialog(page)
    title = dialog.form.editors["title"].widget
    assert isinstance(title, QLineEdit)
    office.qtbot.keyClicks(title, "Flyer Sprachcafe")

    office.session.lock("idle")

    assert not dialog.isVisible() and page.dialogs == []
    assert page.table.model.rowCount() == 0
    assert page.table.filter_edit.text() == ""

    office.unlock()
    assert page.table.model.rowCount() == 1
    reopened = office.dialog(page)
    assert reopened.form.editors["title"].get() == "Flyer Sprachcafe"
    reopened.form.editors["publication_type"].set("flyer")
    office.save(reopened)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert sorted(p.title for p in office.ws.list(Publication)) == [
        "Flyer Sprachcafe",
        "Wegweiser durch das Rathaus",
    ]


def test_search_opens_a_publication_on_its_page(office: Office) -> None:
    set_ui_language("en")
    guide = office.ws.add(_guide())
    search = office.page(SearchPage)
    search.search("rathaus")
    item = search.results.item(0)
    assert item.text().startswith("Publication: ")
    search.results.itemActivated.emit(item)
    assert office.navigated == [("publications", guide.id)]


def test_the_page_comes_right_after_partners() -> None:
    keys = [factory.key for factory in page_factories()]  # type: ignore[attr-defined]
    assert keys.index("publications") == keys.index("partners") + 1
