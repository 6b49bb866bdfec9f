"""What every page of the main window has in common, and what it gets from the window.

A page shows one part of the guide's work (People, Activities...). It receives the
workspace when the vault is unlocked and ``None`` when it locks, and must then drop every
record it shows (lists, forms, selections): nothing opened may survive a lock.

Signals:
    changed(str): the page wrote records of that kind; the window tells the other pages
        (:meth:`Page.changed_elsewhere`, a refresh unless a page needs more).
    status(str): a short message for the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QWidget

from kisi_desktop.ui.pages.registry import page_title
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    # Named for the types only: pages are built before the vault's code is imported.
    from kisi_desktop.core.workspace import Workspace


@dataclass
class PageContext:
    """What pages share: the session, the task runner, and navigation between pages."""

    session: Session
    runner: TaskRunner
    # navigate(page_key, record_id): show that page and, if given, that record.
    navigate: Callable[[str, str | None], None]


class Page(QWidget):
    """Base of the main window's pages; see the module docstring."""

    changed = Signal(str)
    status = Signal(str)

    key = "page"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.workspace: Workspace | None = None

    def title(self) -> str:
        """The page's name in the navigation, translated (from the page registry)."""
        return page_title(self.key)

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show the unlocked workspace, or clear everything when it is None (locked)."""
        self.workspace = workspace
        self.refresh()

    def refresh(self) -> None:
        """Reload what the page shows from the workspace (or clear it when locked)."""

    def changed_elsewhere(self, kind: str) -> None:
        """Another page wrote records of ``kind`` (its ``changed`` signal): show them.

        By default :meth:`refresh`; a page that reads something only at unlock (the
        handouts' catalog) overrides this to read it again for the kinds that change it.
        """
        self.refresh()

    def show_record(self, record_id: str) -> None:
        """Bring one record into view (used by search and by links between pages)."""

    def retranslate_ui(self) -> None:
        """Set every visible text again after a language switch."""

    def menu_actions(self) -> list[QAction | None]:
        """What the page does, for the window's Edit menu while it is shown, so that its
        shortcuts can be found there (None: a separator)."""
        return []


class LazyPage(Page):
    """A page that reads the vault only while it is shown.

    Every write on any page refreshes all the others; a hidden page only notes it, so
    typing a contact on the People page does not re-read every activity meanwhile, and
    reads again when it is shown next. What it reads is :meth:`reload`.
    """

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._stale = False

    def refresh(self) -> None:
        """Reload now if the page is shown, else when it is shown next."""
        if self.workspace is not None and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self.reload()

    def reload(self) -> None:
        """Read what the page shows from the workspace (clear it when locked)."""
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with writes made while the page was hidden."""
        if self._stale:
            self._stale = False
            self.reload()
        super().showEvent(event)
