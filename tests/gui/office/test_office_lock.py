"""Locking clears every office page and closes their dialogs; the draft comes back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QLineEdit

from kisi_desktop.core.domain import Activity, Partner, Volunteer, VolunteerDeployment

from kisi_desktop.ui.pages.activities_page import ActivitiesPage
from kisi_desktop.ui.pages.events_page import EventsPage
from kisi_desktop.ui.pages.overview_page import OverviewPage
from kisi_desktop.ui.pages.partners_page import PartnersPage
from kisi_desktop.ui.pages.volunteers_page import VolunteersPage

from .conftest import AGS, Office

pytestmark = pytest.mark.gui


def _fill(office: Office) -> Volunteer:
    ws = office.ws
    ws.add(Partner(name="Caritas"))
    for is_event in (False, True):
        ws.add(
            Activity(
                activity_type="encounter",
                title="Begegnungsfest",
                starts_on=date(2026, 3, 7),
                municipality_ags=AGS,
                is_event=is_event,
                attendance_total=40 if is_event else None,
            )
        )
    vera = ws.add(Volunteer(name="Vera", payment_regime="ehrenamtspauschale"))
    ws.add(
        VolunteerDeployment(
            volunteer_id=vera.id,
            deployed_on=date(2026, 3, 1),
            hours=Decimal(2),
            kind="interpreting",
            allowance_paid=Decimal(10),
        )
    )
    return vera


def test_lock_clears_all_pages_and_unlock_reopens_the_draft(office: Office) -> None:
    vera = _fill(office)
    overview = office.page(OverviewPage)
    activities = office.page(ActivitiesPage)
    events = office.page(EventsPage)
    volunteers = office.page(VolunteersPage)
    partners = office.page(PartnersPage)
    volunteers.table.select(vera.id)
    assert volunteers.detail.deployments.model.rowCount() == 1
    assert overview.tiles["events"].number.text() == "1"
    partners.table.new_button.click()
    dialog = office.dialog(partners)
    name = dialog.form.editors["name"].widget
    assert isinstance(name, QLineEdit)
    office.qtbot.keyClicks(name, "Diakonie Halbfertig")
    office.qtbot.keyClicks(activities.table.filter_edit, "fest")
    activities.table.view.selectRow(0)
    activities.table.delete_button.click()
    box = activities.confirm_box
    assert box is not None and box.isVisible()

    office.session.lock("idle")

    assert activities.confirm_box is None and not box.isVisible()

    assert not dialog.isVisible() and partners.dialogs == []
    for page in (activities, events, partners, volunteers):
        assert page.table.model.rowCount() == 0
        assert page.table.filter_edit.text() == ""
    assert volunteers.detail.deployments.model.rowCount() == 0
    assert volunteers.detail.trainings_model.rowCount() == 0
    assert volunteers.detail.allowance_label.text() == ""
    assert volunteers.detail.name_label.text() == "<h3>Keine ehrenamtliche Person ausgewählt</h3>"
    assert overview.due_model.rowCount(QModelIndex()) == 0
    assert {tile.number.text() for tile in overview.tiles.values()} == {"–"}

    office.unlock()
    assert activities.table.model.rowCount() == 1
    reopened = office.dialog(partners)
    assert reopened is not dialog
    assert reopened.form.editors["name"].get() == "Diakonie Halbfertig"
    office.save(reopened)
    office.qtbot.waitUntil(lambda: not partners.dialogs)
    assert sorted(p.name for p in office.ws.list(Partner)) == ["Caritas", "Diakonie Halbfertig"]
    assert office.ws.count(Partner) == 2
