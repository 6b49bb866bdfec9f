"""Search results across people, notes and everything else, as the guide types.

Not in the navigation: the window shows it while the search field has text. Enter or a
double click opens the record on its own page (a note opens its person).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from kisi_desktop.core.i18n import _, ngettext

from kisi_desktop.ui.pages.base import Page, PageContext
from kisi_desktop.ui.widgets.even_rows import EvenRows

if TYPE_CHECKING:
    from kisi_desktop.core.workspace import Workspace

# Which page shows a record of each kind; person-owned records open their person.
_PAGE_OF_KIND = {
    "person": "people",
    "activity": "activities",
    "volunteer": "volunteers",
    "volunteer_deployment": "volunteers",
    "training": "volunteers",
    "partner": "partners",
    "publication": "publications",
    "need": "needs",
    "expense": "expenses",
    "trip": "trips",
    "guide": "team",
    "time_sheet": "time_sheets",
}
LIMIT = 100
# Between the fields of a record in a result ("Termin beim Jobcenter · Kirchhain · Marburg").
_FIELDS = " · "


class SearchPage(Page):
    """See the module docstring."""

    key = "search"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = QLabel()
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setWordWrap(True)
        # A name in Arabic script made its row taller than the others.
        self.results.setItemDelegate(EvenRows(self.results))
        self.results.itemActivated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.results, 1)
        self._text = ""
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """The list's name, and the results (kinds of record, the heading) run again."""
        self.results.setAccessibleName(_("Search results"))
        self.refresh()

    def title(self) -> str:
        """Not shown in the navigation."""
        return _("Search")

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Clear the results on lock."""
        self.workspace = workspace
        self._text = ""
        self.results.clear()
        self.heading.clear()

    def search(self, text: str) -> None:
        """Show the records matching ``text`` (newest first), each with whose it is."""
        self._text = text
        self.results.clear()
        if self.workspace is None:
            return
        # Imported at the first search, not at start: they pull in the domain's records,
        # and the window builds this page before the vault's code is imported.
        from kisi_desktop.core.person_labels import person_labels
        from kisi_desktop.core.record_text import kind_name

        hits = self.workspace.search(text, limit=LIMIT)
        # People by name, year of birth and nationality: namesakes are common.
        people = {hit.owner or hit.id for hit in hits if hit.owner or hit.kind == "person"}
        names = person_labels(self.workspace, people) if people else {}
        for hit in hits:
            kind = kind_name(hit.kind)
            if hit.kind == "person":
                line = f"{kind}: {names.get(hit.id, hit.label)}"
            elif hit.owner in names:
                line = f"{kind} – {names[hit.owner]}: {hit.marked('', '', _FIELDS)}"
            else:
                line = f"{kind}: {hit.marked('', '', _FIELDS)}"
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.UserRole, (hit.kind, hit.id))
            self.results.addItem(item)
        if len(hits) >= LIMIT:
            heading = _("The newest {n} results for “{text}”: type more to narrow them.")
        elif hits:
            heading = ngettext("{n} result for “{text}”", "{n} results for “{text}”", len(hits))
        else:
            heading = _("Nothing found for “{text}”.")
        self.heading.setText(heading.format(n=len(hits), text=text))
        if hits:
            self.results.setCurrentRow(0)

    def open_current(self) -> None:
        """Open the selected result (Enter in the search field)."""
        item = self.results.currentItem()
        if item is not None:
            self._open(item)

    def refresh(self) -> None:
        """Run the same search again after records changed."""
        if self._text:
            self.search(self._text)

    def _open(self, item: QListWidgetItem) -> None:
        if self.workspace is None:
            return
        kind, rid = item.data(Qt.ItemDataRole.UserRole)
        page = _PAGE_OF_KIND.get(kind)
        if page is not None:
            self.context.navigate(page, rid)
            return
        if self.workspace.meta(rid).get("owner"):
            # The record itself, not its owner: the person's page then selects the note
            # or contact in the timeline (its owner's id opened the page with none chosen).
            self.context.navigate("people", rid)
        elif kind == "municipality":
            self.status.emit(_("The municipality profile is in the File menu."))
        else:
            self.status.emit(_("This record has no page of its own in the window."))
