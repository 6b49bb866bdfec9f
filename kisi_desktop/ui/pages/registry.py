"""The pages of the main window, in navigation order (Ctrl+1, Ctrl+2, ... follow it).

Pages are named here by module and class instead of being imported: a page's module is
imported the first time the guide opens it (:class:`~kisi_desktop.ui.pages.deferred.DeferredPage`).
Reports, Handouts and Sync pull in ReportLab, openpyxl and the bundle code, about 0.3 s of
imports that a start-up showing the Overview does not need.

The navigation titles live here too, so the window can list every page before any of
them is built; and what a page reads first, so that the unlock's worker can read it for the
page the window opens with (:attr:`PageSpec.unlock_read`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kisi_desktop.core.i18n import N_, _

from kisi_desktop.ui.preload import hurry

if TYPE_CHECKING:
    from kisi_desktop.core.workspace import Workspace

    from kisi_desktop.ui.pages.base import Page, PageContext

PACKAGE = "kisi_desktop.ui.pages"


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page as the navigation knows it: key, title and where its class lives."""

    key: str
    title_msgid: str
    module: str
    """Module path below ``kisi_desktop.ui.pages``."""
    class_name: str
    forms: tuple[str, ...] = ()
    """Names of the forms whose drafts this page reopens; one ending in "." stands for
    every form name that starts with it. The window tells the guide where unsaved input
    waits before the page is built (see :func:`page_of_form`)."""
    unlock_read: Callable[[Workspace], object] | None = None
    """What the page reads first, Qt-free: when the window opens on this page, the
    unlock's worker runs it right after the vault opens, and the page takes the answer
    (:meth:`~kisi_desktop.ui.session.Session.unlock_answer`) instead of reading on the UI
    thread while the guide waits for the window."""

    def owns_form(self, name: str) -> bool:
        """Whether a draft of the form called ``name`` comes back on this page."""
        return any(name == f or (f.endswith(".") and name.startswith(f)) for f in self.forms)

    def title(self) -> str:
        """The navigation title in the current UI language."""
        return _(self.title_msgid)

    def load(self) -> type[Page]:
        """Import the page's module (the first time) and return its class."""
        hurry()  # (its code may be what the preload holds back: ui/preload.py)
        module = importlib.import_module(f"{PACKAGE}.{self.module}")
        page_class: type[Page] = getattr(module, self.class_name)
        return page_class

    def __call__(self, context: PageContext) -> Page:
        """Build the page now (what the window's deferred slot does on first show)."""
        return self.load()(context)


def this_month_at_unlock(workspace: Workspace) -> object:
    """The Overview's first read: this month's figures, as the page shows them
    (:class:`~kisi_desktop.reports.overview_figures.OverviewFigures`, without the
    project year's).

    The counting's modules are imported here, on the unlock's worker: the window's start
    does without them, and the turn that shows the unlocked window finds them imported.
    """
    from kisi_desktop.reports.overview_figures import overview_figures

    return overview_figures(workspace, indicators=False)


PAGES = (
    PageSpec(
        "overview",
        N_("Overview"),
        "overview_page",
        "OverviewPage",
        unlock_read=this_month_at_unlock,
    ),
    PageSpec("people", N_("People"), "people.people_page", "PeoplePage", ("people.",)),
    PageSpec(
        "activities", N_("Activities"), "activities_page", "ActivitiesPage", ("activity_form",)
    ),
    PageSpec("events", N_("Events"), "events_page", "EventsPage", ("event_form",)),
    PageSpec(
        "volunteers",
        N_("Volunteers"),
        "volunteers_page",
        "VolunteersPage",
        ("volunteer_form", "deployment_form", "training_form"),
    ),
    PageSpec("partners", N_("Partners"), "partners_page", "PartnersPage", ("partner_form",)),
    PageSpec(
        "publications",
        N_("Publications"),
        "publications_page",
        "PublicationsPage",
        ("publication_form",),
    ),
    PageSpec("handouts", N_("Handouts"), "handouts.handouts_page", "HandoutsPage"),
    PageSpec("reports", N_("Reports"), "reports.reports_page", "ReportsPage"),
    PageSpec("budget", N_("Budget"), "budget.budget_page", "BudgetPage", ("budget_plan_form",)),
    PageSpec(
        "expenses", N_("Project expenses"), "expenses_page", "ExpensesPage", ("expense_form",)
    ),
    PageSpec("trips", N_("Business trips"), "trips_page", "TripsPage", ("trip_form",)),
    PageSpec("team", N_("Team"), "team_page", "TeamPage", ("guide_form",)),
    PageSpec(
        "time_sheets", N_("Time sheets"), "time_sheets_page", "TimeSheetsPage", ("time_sheet_form",)
    ),
    PageSpec("needs", N_("Needs analysis"), "needs.needs_page", "NeedsPage", ("need_form",)),
    PageSpec("sync", N_("Sync"), "sync.sync_page", "SyncPage"),
)
_BY_KEY = {spec.key: spec for spec in PAGES}


def page_factories() -> list[PageSpec]:
    """Every page of the guide's window, in navigation order."""
    return list(PAGES)


PEOPLE_DUE_FOR_DELETION = "deletion-due"
"""What ``navigate("people", ...)`` takes to show the people due for deletion."""

EXPENSES_OF_CATEGORY = "category:"
"""``navigate("expenses", EXPENSES_OF_CATEGORY + code)`` lists one budget category's
expenses."""


def page_of_form(name: str) -> str | None:
    """The key of the page that reopens drafts of the form called ``name`` (None: none)."""
    return next((spec.key for spec in PAGES if spec.owns_form(name)), None)


def page_index(key: str) -> int:
    """Where the page called ``key`` stands in the navigation (its Ctrl+digit follows)."""
    return PAGES.index(_BY_KEY[key])


def page_title(key: str) -> str:
    """The navigation title of the page called ``key``, translated."""
    return _BY_KEY[key].title()
