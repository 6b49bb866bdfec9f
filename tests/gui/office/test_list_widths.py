"""A list's columns fit its table: no horizontal scroll bar under a list that fits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kisi_desktop.core.domain import Guide

from kisi_desktop.ui.pages.team_page import TeamPage

from tests.gui.office.conftest import Office

pytestmark = pytest.mark.gui


def test_the_team_list_of_one_row_needs_no_horizontal_scroll_bar(
    office: Office, app_fonts: None
) -> None:
    """The demo's team at 1366x768 (a table 1,120 pixels wide) in German: the empty "Bis"
    column was fitted narrower than Qt draws a column, which then widened it, and the
    columns came to 9 pixels more than the table."""
    office.ws.add(
        Guide(
            name="Katharina Weber",
            role="Integrationsguide",
            fte=Decimal(1),
            started_on=date(2025, 10, 1),
            email="k.weber@kirchhain.example",
        )
    )
    page = office.page(TeamPage)
    table = page.table
    view, header = table.view, table.view.horizontalHeader()
    office.qtbot.waitUntil(lambda: table.model.rowCount() == 1)
    for width in range(900, 1400, 23):  # the window at 1366, and narrower and wider
        page.resize(width, 700)
        office.qtbot.waitUntil(lambda: not table._refit_timer.isActive())  # (fitted)
        office.qtbot.wait(10)
        room = view.viewport().width()
        assert header.length() <= room, (width, room, header.length())
        assert view.horizontalScrollBar().maximum() == 0, width
    assert header.sectionSize(4) >= header.minimumSectionSize()  # "Bis", empty: its heading
