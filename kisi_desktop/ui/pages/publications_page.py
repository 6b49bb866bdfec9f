"""The Publications page: the guides, leaflets and flyers the project produced.

KISI reports "administration guides produced" with their languages and print runs; this
list is where they are kept (handouts printed from the app are counted as HandoutGiven).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kisi_desktop.core.domain import Draft, Publication
from kisi_desktop.core.i18n import N_, _, format_date, format_number

from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.office_page import OfficePage, Reopen
from kisi_desktop.ui.tables.record_table import RecordTable
from kisi_desktop.ui.tables.row_model import Column

FORM = "publication_form"
FIELDS = (  # the list shows every field the form edits
    "title",
    "publication_type",
    "published_on",
    "languages",
    "version",
    "print_run",
    "distribution",
)


@dataclass(frozen=True, slots=True)
class PublicationRow:
    """One line of the publication list (labels in the UI language)."""

    id: str
    title: str
    type_label: str
    published_on: str  # ISO or ""
    languages: str
    version: str
    print_run: int | None
    distribution: str


COLUMNS = [
    Column(N_("Title"), lambda r: r.title, tooltip=lambda r: r.title),
    Column(N_("Type"), lambda r: r.type_label, tooltip=lambda r: r.type_label),
    Column(
        N_("Published on"),
        lambda r: format_date(date.fromisoformat(r.published_on)) if r.published_on else "",
        sort=lambda r: r.published_on,
    ),
    Column(N_("Languages"), lambda r: r.languages, tooltip=lambda r: r.languages),
    Column(N_("Version"), lambda r: r.version),
    Column(
        N_("Copies printed"),
        lambda r: format_number(r.print_run) if r.print_run is not None else "",
        sort=lambda r: -1 if r.print_run is None else r.print_run,
        numeric=True,
    ),
    Column(N_("Where handed out"), lambda r: r.distribution, tooltip=lambda r: r.distribution),
]


class PublicationsPage(OfficePage):
    """See the module docstring."""

    key = "publications"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = QLabel()
        self.table = RecordTable(COLUMNS, name="publications")
        self.table.new_requested.connect(self.new_record)
        self.table.edit_requested.connect(self.edit_record)
        self.table.delete_requested.connect(self.ask_delete)
        self.table.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # newest first
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        header = self.table.view.horizontalHeader()
        for column, width in enumerate((250, 150, 110, 170, 70, 120)):
            header.resizeSection(column, width)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.heading.setText("<h2>" + _("Publications") + "</h2>")
        self.table.retranslate_ui(noun=_("Publications"))
        self.refresh()

    # ------------------------------------------------------------------ data
    def clear(self) -> None:
        """Forget the list."""
        self.table.clear()

    def reload(self) -> None:
        """Reload the list from the workspace."""
        if self.workspace is None:
            self.table.clear()
            return
        self.table.set_rows([self._row(r) for r in self.workspace.rows(Publication, FIELDS)])

    def _row(self, raw: tuple[object, ...]) -> PublicationRow:
        rid, title, kind, published_on, languages, version, print_run, distribution = raw
        return PublicationRow(
            id=str(rid),
            title=str(title or ""),
            type_label=self.code_label("publication_types", str(kind or "")),
            published_on=str(published_on or ""),
            languages=", ".join(self.code_label("languages", c) for c in _codes(languages)),
            version=str(version or ""),
            print_run=int(str(print_run)) if print_run is not None else None,
            distribution=str(distribution or "").replace("\n", " "),
        )

    def show_record(self, record_id: str) -> None:
        """Select the publication."""
        self.table.select(record_id)

    # ------------------------------------------------------------------ forms
    def new_record(self, draft: Draft | None = None) -> None:
        """Open the form for a new publication."""
        self.open_dialog(
            Publication,
            FIELDS,
            form_name=FORM,
            title=_("New publication"),
            draft=draft,
            on_saved=self._saved,
        )

    def edit_record(self, record_id: str, draft: Draft | None = None) -> None:
        """Open the form for a publication."""
        self.open_edit(
            Publication,
            record_id,
            FIELDS,
            form_name=FORM,
            title=_("Edit publication"),
            draft=draft,
            on_saved=self._saved,
        )

    def draft_forms(self) -> Mapping[str, Reopen]:
        """Reopen an unsaved publication form after unlock."""
        return {FORM: lambda d: self.reopen_draft(d, self.new_record, self.edit_record)}

    def _saved(self, record: Publication) -> None:
        self.refresh()
        self.table.select(record.id)
        self.changed.emit(Publication.KIND)
        self.status.emit(_("Saved: {title}").format(title=record.title))

    def ask_delete(self, record_id: str) -> None:
        """Ask, then delete the publication."""
        row = self.table.model.rows()[self.table.model.row_index(record_id)]
        text = _("Delete the publication “{title}”? This cannot be undone.").format(title=row.title)
        self.confirm(_("Delete"), text, lambda: self._delete(record_id, row.title))

    def _delete(self, record_id: str, title: str) -> None:
        if self.delete_record(Publication.KIND, record_id):
            self.table.model.remove(record_id)
            self.table.set_rows(self.table.model.rows())
            self.status.emit(_("Deleted: {title}").format(title=title))


def _codes(raw: object) -> list[str]:
    return [str(c) for c in json.loads(str(raw))] if raw else []
