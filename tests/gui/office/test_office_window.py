"""The office pages inside the main window: Ctrl+N acts on the visible page only; lock clears."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

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


def test_every_form_a_page_reopens_is_named_in_the_registry(office: Office) -> None:
    """The window names pages with waiting forms before building them, from the registry:
    a form a page reopens but the registry does not name would wait unannounced."""
    from kisi_desktop.ui.pages.people.person_forms import FORM_BY_NAME
    from kisi_desktop.ui.pages.registry import PAGES, page_of_form

    assert FORM_BY_NAME and all(page_of_form(name) == "people" for name in FORM_BY_NAME)
    for spec in PAGES:
        if spec.key == "people":
            continue
        page = office.page(spec.load())
        reopened = set(page.draft_forms()) if hasattr(page, "draft_forms") else set()
        assert {page_of_form(name) for name in reopened} <= {spec.key}, spec.key
        assert len(reopened) == len(spec.forms), spec.key
        page.set_workspace(None)


class _WindowsShown(QObject):
    """Notes every window that is shown while it listens."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            if watched.isWindow():
                self.names.append(watched.objectName() or type(watched).__name__)
        return False


def test_building_a_page_opens_no_window_of_its_own(office: Office) -> None:
    """A widget shown before it has a parent flashes up as a window and takes the focus
    from the main window (Tab then did nothing after Ctrl+3)."""
    from kisi_desktop.ui.pages.registry import PAGES

    spy = _WindowsShown()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(spy)
    try:
        for spec in PAGES:
            page = spec(office.context())
            office.qtbot.addWidget(page)
    finally:
        app.removeEventFilter(spy)
    assert spy.names == []
