"""The pages of the main window, in navigation order (Ctrl+1, Ctrl+2, ... follow it)."""

from __future__ import annotations

from collections.abc import Callable

from kisi_desktop.ui.pages.activities_page import ActivitiesPage
from kisi_desktop.ui.pages.base import Page, PageContext
from kisi_desktop.ui.pages.budget import BudgetPage
from kisi_desktop.ui.pages.events_page import EventsPage
from kisi_desktop.ui.pages.handouts import HandoutsPage
from kisi_desktop.ui.pages.needs import NeedsPage
from kisi_desktop.ui.pages.overview_page import OverviewPage
from kisi_desktop.ui.pages.partners_page import PartnersPage
from kisi_desktop.ui.pages.people import PeoplePage
from kisi_desktop.ui.pages.publications_page import PublicationsPage
from kisi_desktop.ui.pages.reports import ReportsPage
from kisi_desktop.ui.pages.sync import SyncPage
from kisi_desktop.ui.pages.volunteers_page import VolunteersPage


def page_factories() -> list[Callable[[PageContext], Page]]:
    """One factory per page; imported here so the window does not know the page modules."""
    return [
        OverviewPage,
        PeoplePage,
        ActivitiesPage,
        EventsPage,
        VolunteersPage,
        PartnersPage,
        PublicationsPage,
        HandoutsPage,
        ReportsPage,
        BudgetPage,
        NeedsPage,
        SyncPage,
    ]
