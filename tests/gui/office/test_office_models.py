"""The office tables' models pass Qt's model tester, with rows, after changes and filtered."""

from __future__ import annotations

import random

import pytest
from pytestqt.modeltest import ModelTester

from kisi_desktop.core.demo.generator import generate

from kisi_desktop.ui.pages.activities_page import ActivitiesPage
from kisi_desktop.ui.pages.events_page import EventsPage
from kisi_desktop.ui.pages.overview_page import OverviewPage
from kisi_desktop.ui.pages.partners_page import PartnersPage
from kisi_desktop.ui.pages.volunteers_page import VolunteersPage
from kisi_desktop.ui.tables.row_model import RowRole

from .conftest import Office

pytestmark = pytest.mark.gui


def test_models_pass_the_model_tester(office: Office, qtmodeltester: ModelTester) -> None:
    generate(office.ws, 30, random.Random(1), office.clock)
    tables = []
    for cls in (ActivitiesPage, EventsPage, PartnersPage, VolunteersPage):
        page = office.page(cls)
        assert page.table.model.rowCount() > 0, cls
        tables.append(page.table)
        if isinstance(page, VolunteersPage):
            page.table.select(page.table.model.rows()[0].id)
            assert page.detail.deployments.model.rowCount() > 0
            tables.append(page.detail.deployments)
            qtmodeltester.check(page.detail.trainings_model)
    overview = office.page(OverviewPage)
    qtmodeltester.check(overview.due_model)
    for table in tables:
        qtmodeltester.check(table.model)
        table.filter_edit.setText("a")
        qtmodeltester.check(table.proxy)
        table.filter_edit.clear()
        # single changes go through begin/end insert/remove rows
        rows = table.model.rows()
        table.model.remove(rows[0].id)
        table.model.upsert(rows[0])
        table.model.upsert(rows[0])  # replace in place
        assert table.model.rowCount() == len(rows)
        assert table.model.index(len(rows) - 1, 0).data(RowRole.ID) == rows[0].id
        qtmodeltester.check(table.model)
