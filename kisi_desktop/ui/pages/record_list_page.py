"""An office page that is one list of one kind of record with its form: new, edit, delete.

Publications, expenses, business trips and the team all work alike: a filterable list
(:class:`~kisi_desktop.ui.tables.record_table.RecordTable`), one form for new and existing
records, a question before deleting, and the sealed draft of an open form reopened after
the next unlock. A subclass names its record class, form fields, columns and texts, and
turns records into rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kisi_desktop.core.domain import Draft, Record
from kisi_desktop.core.i18n import _
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.office_page import OfficePage, Reopen
from kisi_desktop.ui.tables.record_table import RecordTable
from kisi_desktop.ui.tables.row_model import Column


class RecordListPage(OfficePage):
    """See the module docstring. Texts are msgids (``N_``), translated when shown; the
    question and the status lines get the row's :meth:`row_label` as ``{label}``."""

    RECORD: ClassVar[type[Record]]
    FIELDS: ClassVar[tuple[str, ...]]
    """The form's fields, in order."""
    FORM: ClassVar[str]
    """The form's name (its drafts' ``form``; declared in the page registry too)."""
    COLUMNS: ClassVar[Sequence[Column]]
    WIDTHS: ClassVar[tuple[int, ...]] = ()
    """Starting widths of the columns but the last, which takes the rest."""
    SORT_COLUMN: ClassVar[int] = 0
    """Sorted by this column, descending (a date column: newest first)."""
    NOUN: ClassVar[str]
    NEW_TITLE: ClassVar[str]
    EDIT_TITLE: ClassVar[str]
    DELETE_QUESTION: ClassVar[str]

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = QLabel()
        self.table = RecordTable(
            self.COLUMNS, name=self.key, sort=(self.SORT_COLUMN, Qt.SortOrder.DescendingOrder)
        )
        self.table.new_requested.connect(self.new_record)
        self.table.edit_requested.connect(self.edit_record)
        self.table.delete_requested.connect(self.ask_delete)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        header = self.table.view.horizontalHeader()
        for column, width in enumerate(self.WIDTHS):
            header.resizeSection(column, width)
        self.retranslate_ui()

    # ------------------------------------------------------------------ subclass hooks
    def rows(self, workspace: Workspace) -> list[Any]:
        """The list's rows (objects with an ``id``), read from the open workspace."""
        raise NotImplementedError

    def row_label(self, row: Any) -> str:
        """How the status bar and the delete question name a row."""
        raise NotImplementedError

    def new_values(self) -> Mapping[str, Any]:
        """What a new record's form starts with besides the fields' defaults."""
        return {}

    def choices(self, field: str) -> Sequence[tuple[str, str]]:
        """(value, label) to pick from for a field that lists other records."""
        raise LookupError(field)

    def prepare(self, dialog: RecordDialog) -> None:
        """Add to a form before it opens (a hint under a field); nothing by default."""

    def check(self, workspace: Workspace, record: Record) -> None:
        """Refuse (raise a UserError) what one record cannot tell alone, as Save stores
        it: a clash with the other records. Nothing by default."""

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.heading.setText("<h2>" + _(self.NOUN) + "</h2>")
        self.table.retranslate_ui(noun=_(self.NOUN))
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
        self.table.set_rows(self.rows(self.workspace))

    def show_record(self, record_id: str) -> None:
        """Select the record (a search hit, a link from another page)."""
        self.table.select(record_id)

    # ------------------------------------------------------------------ forms
    def new_record(self, draft: Draft | None = None) -> None:
        """Open the form for a new record."""
        self.open_dialog(
            self.RECORD,
            self.FIELDS,
            form_name=self.FORM,
            title=lambda: _(self.NEW_TITLE),
            fixed=self.new_values(),
            draft=draft,
            choices=self.choices,
            on_saved=self._saved,
            prepare=self.prepare,
            store=self._store,
        )

    def edit_record(self, record_id: str, draft: Draft | None = None) -> None:
        """Open the form for an existing record."""
        self.open_edit(
            self.RECORD,
            record_id,
            self.FIELDS,
            form_name=self.FORM,
            title=lambda: _(self.EDIT_TITLE),
            draft=draft,
            choices=self.choices,
            on_saved=self._saved,
            prepare=self.prepare,
            store=self._store,
        )

    def draft_forms(self) -> Mapping[str, Reopen]:
        """Reopen an unsaved form after unlock."""
        return {self.FORM: lambda d: self.reopen_draft(d, self.new_record, self.edit_record)}

    def _store(self, workspace: Workspace, record: Record, new: bool) -> None:
        self.check(workspace, record)
        if new:
            workspace.add(record)
        else:
            workspace.update(record)

    def _saved(self, record: Record) -> None:
        self.refresh()
        self.changed.emit(self.RECORD.KIND)
        if self.table.select(record.id):
            label = self.row_label(self.table.current_row())
        else:  # (a hidden page reads its list when shown)
            label = record.label()
        self.status.emit(_("Saved: {title}").format(title=label))

    def ask_delete(self, record_id: str) -> None:
        """Ask, then delete the record."""
        row = self.table.model.rows()[self.table.model.row_index(record_id)]
        label = self.row_label(row)
        text = _(self.DELETE_QUESTION).format(label=label)
        self.confirm(_("Delete"), text, lambda: self._delete(record_id, label))

    def _delete(self, record_id: str, label: str) -> None:
        if self.delete_record(self.RECORD.KIND, record_id):
            self.table.remove(record_id)
            self.status.emit(_("Deleted: {title}").format(title=label))
