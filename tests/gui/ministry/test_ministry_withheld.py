"""The Figures tab shows a held-back cell as "x", apart from the "<5" cells, with no upper
bound, in German (QA: a bundle's lone "<5" beside its count could be worked out; the app
now holds a cell back beside it, and the ministry must not read that cell as 1 to 4).

The bundle is the app's real export of a demo vault: in project year 1 its 60 people leave
a lone small age group in O.2.3, so a cell beside it is held back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import Qt

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ministry.aggregate import figures

from tests.gui.ministry.conftest import Desk, results

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def german() -> Iterator[None]:
    set_ui_language("de")
    yield
    set_ui_language("en")


def test_the_figures_tab_shows_held_back_cells_as_x_with_no_upper_bound(desk: Desk) -> None:
    desk.init()
    town = desk.town()
    desk.register(town)
    desk.provision(town)
    bundle = town.export("PY1")
    window = desk.window()
    desk.import_files(window, [bundle.path])
    assert results(window)[0].outcome == "imported"
    with desk.open() as ministry:
        held = {
            key: count
            for key, count in figures(ministry).breakdowns[town.ags].items()
            if count.withheld
        }
    assert held, "the demo's export held nothing back: the test would show nothing"
    code, dimension, category = min(held)

    window.tabs.setCurrentWidget(window.figures)
    tab = window.figures
    desk.qtbot.waitUntil(lambda: tab.result is not None and not tab.loading, timeout=10_000)
    tab.choose_scope(town.ags)
    tab.choose_table("ministry_indicator_breakdowns")
    row = tab.model.row_where(indicator=code, dimension=dimension, category=category)
    assert row >= 0
    headers = [
        tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())
    ]

    def shown(heading: str) -> str:
        return str(tab.view.model().index(row, headers.index(heading)).data())

    # Counted apart from the "<5" cells; at least 0 more, at most: open.
    assert shown("Zellen x") == "1"
    assert shown("Höchstens") == "x"
    assert shown("Mindestens") == shown("Gezählt")
    assert "x: Zellen, die eine Kommune zurückgehalten hat" in tab.notes.toPlainText()

    out = Path(os.environ.get("KISI_SCREENSHOTS", desk.tmp))
    out.mkdir(parents=True, exist_ok=True)
    tab.view.scrollTo(tab.view.model().index(row, 0))
    assert window.grab().save(str(out / "ministry_figures_withheld_de.png"))
