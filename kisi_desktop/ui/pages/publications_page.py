"""The Publications page: the guides, leaflets and flyers the project produced.

KISI reports "administration guides produced" with their languages and print runs; this
list is where they are kept (handouts printed from the app are counted as HandoutGiven).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from kisi_desktop.core.domain import Publication
from kisi_desktop.core.i18n import N_, format_date, format_number
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.project_period_note import ProjectPeriodNote
from kisi_desktop.ui.pages.record_list_page import RecordListPage
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


class PublicationsPage(RecordListPage):
    """See the module docstring."""

    key = "publications"
    RECORD = Publication
    FIELDS = FIELDS
    FORM = FORM
    COLUMNS = COLUMNS
    WIDTHS = (250, 150, 110, 170, 70, 120)
    SORT_COLUMN = 2  # published on
    NOUN = N_("Publications")
    NEW_TITLE = N_("New publication")
    EDIT_TITLE = N_("Edit publication")
    DELETE_QUESTION = N_("Delete the publication “{label}”? This cannot be undone.")

    def prepare(self, dialog: RecordDialog) -> None:
        """Warn under the date when it lies outside the project (no report counts it)."""
        dialog.period_note = ProjectPeriodNote(dialog, "published_on", reports=True)  # type: ignore[attr-defined]

    def rows(self, workspace: Workspace) -> list[PublicationRow]:
        """Every publication, from the working set's raw values."""
        return [self._row(r) for r in workspace.rows(Publication, FIELDS)]

    def row_label(self, row: PublicationRow) -> str:
        """The title."""
        return row.title

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


def _codes(raw: object) -> list[str]:
    return [str(c) for c in json.loads(str(raw))] if raw else []
