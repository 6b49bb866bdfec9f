"""A page's place in the window until the guide first opens it.

The window lists every page at start-up, but most are not needed until someone clicks
them: the slot stands in the navigation and the page stack, remembers the workspace, and
builds the real page (importing its module) when it is first shown or asked for a
record, or when the window asks it to get ready (:meth:`DeferredPage.prepare`). From then
on it passes everything through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kisi_desktop.ui.pages.base import Page, PageContext
from kisi_desktop.ui.pages.registry import PageSpec
from kisi_desktop.ui.widgets.scroll import plain_scroll_area

if TYPE_CHECKING:
    # For the types only: the slots are built before the vault's code is imported.
    from kisi_desktop.core.workspace import Workspace

    from kisi_desktop.ui.session import UnlockRead


class DeferredPage(Page):
    """See the module docstring; :attr:`page` is the real page (built on first use)."""

    def __init__(self, context: PageContext, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.key = spec.key
        self.setObjectName(f"{spec.key}Slot")
        self._spec = spec
        self._page: Page | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        # The page scrolls as a whole when the window is smaller than it needs (a small
        # screen, 125 % scaling) instead of holding the window larger than the screen.
        self._scroll = plain_scroll_area(name=f"{spec.key}Scroll")
        self._layout.addWidget(self._scroll)

    @property
    def built(self) -> bool:
        """Whether the real page exists yet."""
        return self._page is not None

    @property
    def page(self) -> Page:
        """The real page, built now if it was not yet."""
        if self._page is None:
            page = self._spec(self.context)
            page.changed.connect(self.changed)
            page.status.connect(self.status)
            self._scroll.setWidget(page)
            self._page = page
            if self.isVisible():
                page.show()
            if self.workspace is not None:
                page.set_workspace(self.workspace)
        return self._page

    def load_code(self) -> None:
        """Import the page's module, without building the page (ui/pages/warm_up.py)."""
        self._spec.load()

    def prepare(self) -> None:
        """Build the real page now, before it is shown: the window's first page is built
        while the unlock screen waits, not in the turn that shows the unlocked window."""
        self.page  # noqa: B018 - building it is the point

    @property
    def unlock_read(self) -> UnlockRead | None:
        """What the page reads first (:attr:`PageSpec.unlock_read`), known unbuilt."""
        return self._spec.unlock_read

    def title(self) -> str:
        """The navigation title, known without building the page."""
        return self._spec.title()

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Remember the workspace; a built page gets it at once, a later one when built."""
        self.workspace = workspace
        if self._page is not None:
            self._page.set_workspace(workspace)

    def refresh(self) -> None:
        """A page not built yet has nothing to refresh: it reads fresh when built."""
        if self._page is not None:
            self._page.refresh()

    def changed_elsewhere(self, kind: str) -> None:
        """Passed to the built page; a page built later reads the change anyway."""
        if self._page is not None:
            self._page.changed_elsewhere(kind)

    def show_record(self, record_id: str) -> None:
        """Build the page if needed and let it show the record."""
        self.page.show_record(record_id)

    def menu_actions(self) -> list[QAction | None]:
        """The built page's (one not built yet is not shown either)."""
        return self._page.menu_actions() if self._page is not None else []

    def retranslate_ui(self) -> None:
        """A page built later is built in the current language."""
        if self._page is not None:
            self._page.retranslate_ui()

    def showEvent(self, event: QShowEvent) -> None:
        """First shown: build the real page."""
        self.page  # noqa: B018 - building it is the point
        super().showEvent(event)
