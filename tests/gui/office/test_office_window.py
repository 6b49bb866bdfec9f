"""The office pages inside the main window: Ctrl+N acts on the visible page only; lock clears."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from kisi_desktop.core.domain import Partner

from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.activities_page import ActivitiesPage
from kisi_desktop.ui.pages.events_page import EventsPage
from kisi_desktop.ui.pages.overview_page import OverviewPage
from kisi_desktop.ui.pages.partners_page import PartnersPage
from kisi_desktop.ui.pages.volunteers_page import VolunteersPage

from .conftest import Office

pytestmark = pytest.mark.gui


def test_ctrl_n_opens_the_form_of_the_visible_page(office: Office) -> None:
    office.ws.add(Partner(name="Caritas"))
    window = MainWindow(
        office.session,
        office.runner,
        [OverviewPage, ActivitiesPage, EventsPage, VolunteersPage, PartnersPage],
    )
    office.qtbot.addWidget(window)
    window.show()
    office.qtbot.waitExposed(window)
    window._on_unlocked()  # the session was unlocked before the window existed
    office.activate(window)
    pages = {page.key: page for page in window.page_list}
    window.navigate("events")
    office.qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = office.dialog(pages["events"])  # type: ignore[arg-type]
    assert dialog.windowTitle() == "Neue Veranstaltung"
    for key in ("activities", "volunteers", "partners"):
        assert pages[key].dialogs == [], key  # type: ignore[attr-defined]
    # Hidden pages read the workspace when they are shown, not on every write elsewhere.
    assert pages["partners"].table.model.rowCount() == 0  # type: ignore[attr-defined]
    dialog.reject()
    window.navigate("partners")
    assert pages["partners"].table.model.rowCount() == 1  # type: ignore[attr-defined]
    window.navigate("events")
    events = pages["events"]
    events.table.new_button.click()  # type: ignore[attr-defined]
    dialog = office.dialog(events)  # type: ignore[arg-type]

    window.lock_action.trigger()
    assert not dialog.isVisible()
    assert pages["events"].dialogs == []  # type: ignore[attr-defined]
    assert pages["partners"].table.model.rowCount() == 0  # type: ignore[attr-defined]
