"""Screenshots of the office pages at 1366x768 in German and English, with demo data.

Saved to ``$KISI_SHOT_DIR`` (e.g. /tmp/shots) when set, else to the test's tmp folder; the
test also checks what would show as clipping: tiles and buttons at least as large as
their contents need.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from PySide6.QtWidgets import QLabel, QPushButton

from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.activities_page import ActivitiesPage
from kisi_desktop.ui.pages.events_page import EventsPage
from kisi_desktop.ui.pages.overview_page import OverviewPage
from kisi_desktop.ui.pages.partners_page import PartnersPage
from kisi_desktop.ui.pages.volunteers_page import VolunteersPage

from .conftest import Office

pytestmark = pytest.mark.gui
FACTORIES = [OverviewPage, ActivitiesPage, EventsPage, VolunteersPage, PartnersPage]


def _unclipped(widget: object) -> list[str]:
    """Buttons and one-line labels narrower than their text needs."""
    problems = []
    for child in widget.findChildren(QPushButton) + widget.findChildren(QLabel):  # type: ignore[attr-defined]
        if not child.isVisible() or (isinstance(child, QLabel) and child.wordWrap()):
            continue
        if child.width() < child.minimumSizeHint().width() - 1:
            problems.append(f"{type(child).__name__} {child.text()!r}")
    return problems


@pytest.mark.parametrize("language", ["de", "en"])
def test_office_pages_at_1366x768(office: Office, tmp_path: Path, language: str) -> None:
    register_fonts()
    set_ui_language(language)
    generate(office.ws, 80, random.Random(1), office.clock)
    out = Path(os.environ.get("KISI_SHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    window = MainWindow(office.session, office.runner, list(FACTORIES))
    office.qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    office.qtbot.waitExposed(window)
    window._on_unlocked()  # the session was unlocked before the window existed
    clipped = {}
    for page in window.page_list:
        window.navigate(page.key)
        if isinstance(page, VolunteersPage):  # someone paid under a capped regime
            capped = [r for r in page.table.model.rows() if "26a" in r.regime]
            page.table.select(capped[0].id)
        office.qtbot.wait(50)  # let the layouts settle as the event loop would
        assert window.grab().save(str(out / f"office_{page.key}_{language}.png"))
        clipped[page.key] = _unclipped(page)
    assert clipped == {page.key: [] for page in window.page_list}
    events = window.page_list[2]
    assert isinstance(events, EventsPage)
    events.table.view.selectRow(0)
    events.table.edit_button.click()
    dialog = office.dialog(events)
    available = dialog.screen().availableGeometry().height()
    assert dialog.height() <= available * 0.85 + 1  # longer forms scroll inside the dialog
    dialog.resize(dialog.width(), min(dialog.height(), 650))  # as on a 768-pixel screen
    assert dialog.grab().save(str(out / f"office_event_dialog_{language}.png"))
    dialog.reject()
