"""The Needs page (Bedarfsanalyse): record what each group needs, and see the needs ranked.

Above, the recorded needs (one Need record per group, need and urgency, with how many
respondents named it), added, edited and deleted through the usual record dialog with its
sealed drafts; below, the analysis of a period and a group: the ranked table and its bar
chart (:mod:`needs_analysis`). Stacked, not side by side, as on the Volunteers page: the
list's six columns and the ranking beside its chart each need the full width at 1366x768.

A Need is anonymous by design; only its note is free text, and it is shown in the list only.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Draft, Need
from kisi_desktop.core.i18n import _, format_number, ngettext

from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.needs.need_rows import ENTRY_COLUMNS, ROW_FIELDS, NeedRow, need_row
from kisi_desktop.ui.pages.needs.needs_analysis import NeedsAnalysis
from kisi_desktop.ui.pages.office_page import OfficePage, Reopen
from kisi_desktop.ui.tables.record_table import RecordTable

FORM = "need_form"
FORM_FIELDS = ROW_FIELDS


class NeedsPage(OfficePage):
    """See the module docstring."""

    key = "needs"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.table = RecordTable(ENTRY_COLUMNS, name="needs")
        self.table.new_requested.connect(self.new_record)
        self.table.edit_requested.connect(self.edit_record)
        self.table.delete_requested.connect(self.ask_delete)
        header = self.table.view.horizontalHeader()
        for column, width in enumerate((110, 190, 230, 90, 110)):
            header.resizeSection(column, width)
        self.analysis_heading = QLabel()
        self.analysis = NeedsAnalysis()
        bottom = QWidget()
        stack = QVBoxLayout(bottom)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.analysis_heading)
        stack.addWidget(self.analysis, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([240, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every text in the current language (labels, ranking and chart included)."""
        self.heading.setText("<h2>" + _("Needs analysis") + "</h2>")
        self.analysis_heading.setText("<h3>" + _("Needs ranked by score") + "</h3>")
        self.table.retranslate_ui(noun=_("Recorded needs"))
        self.analysis.retranslate_ui()
        self.refresh()

    # ------------------------------------------------------------------ data
    def clear(self) -> None:
        """Forget the records, the ranking and the chart."""
        self.table.clear()
        self.analysis.set_workspace(None)

    def reload(self) -> None:
        """Read the records and the ranking again."""
        if self.workspace is None:
            self.clear()
            return
        label = self.code_label
        self.table.set_rows([need_row(r, label) for r in self.workspace.rows(Need, ROW_FIELDS)])
        self.analysis.set_workspace(self.workspace)

    def show_record(self, record_id: str) -> None:
        """Select the recorded need."""
        self.table.select(record_id)

    # ------------------------------------------------------------------ forms
    def new_record(self, draft: Draft | None = None) -> None:
        """Open the form for a new need, dated today."""
        self.open_dialog(
            Need,
            FORM_FIELDS,
            form_name=FORM,
            title=_("New need"),
            fixed={"recorded_on": today(self.workspace.clock)} if self.workspace else None,
            draft=draft,
            on_saved=self._saved,
        )

    def edit_record(self, record_id: str, draft: Draft | None = None) -> None:
        """Open the form for a recorded need."""
        self.open_edit(
            Need,
            record_id,
            FORM_FIELDS,
            form_name=FORM,
            title=_("Edit need"),
            draft=draft,
            on_saved=self._saved,
        )

    def draft_forms(self) -> Mapping[str, Reopen]:
        """Reopen an unsaved need form after unlock."""
        return {FORM: lambda d: self.reopen_draft(d, self.new_record, self.edit_record)}

    def _saved(self, record: Need) -> None:
        self.refresh()
        self.table.select(record.id)
        self.changed.emit(Need.KIND)
        self.status.emit(_("Saved: {title}").format(title=self.code_label("needs", record.need)))

    def ask_delete(self, record_id: str) -> None:
        """Ask, then delete the recorded need."""
        row: NeedRow = self.table.model.rows()[self.table.model.row_index(record_id)]
        text = ngettext(
            "Delete the need “{need}” of {group} ({n} respondent)? This cannot be undone.",
            "Delete the need “{need}” of {group} ({n} respondents)? This cannot be undone.",
            row.respondents,
        ).format(need=row.need, group=row.group, n=format_number(row.respondents))
        self.confirm(_("Delete"), text, lambda: self._delete(record_id, row.need))

    def _delete(self, record_id: str, need: str) -> None:
        if self.delete_record(Need.KIND, record_id):
            self.table.remove(record_id)  # (the next need chosen, kept by the refresh)
            self.refresh()
            self.status.emit(_("Deleted: {title}").format(title=need))
