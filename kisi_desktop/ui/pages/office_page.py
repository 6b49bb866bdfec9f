"""What the office pages (activities, events, volunteers, partners) share beyond Page.

Each of them opens record dialogs, asks before deleting, and must drop everything on lock:
open dialogs are abandoned (their sealed drafts stay) and reopened from the drafts after
the next unlock. Confirmation boxes are opened non-modally-blocking (``open()``), never
with a nested event loop, so a lock can close them too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from kisi_desktop.core.domain import Draft, Municipality, Partner, Person, Record, Volunteer
from kisi_desktop.core.errors import KisiError, RecordNotFound
from kisi_desktop.core.i18n import _
from kisi_desktop.core.person_labels import person_choices
from kisi_desktop.core.record_text import code_label
from kisi_desktop.core.text_sort import sort_text
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.field_widgets import Choices, LineEditor
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.base import LazyPage, PageContext
from kisi_desktop.ui.tables.record_table import RecordTable
from kisi_desktop.ui.widgets.delete_question import ask_to_delete

Reopen = Callable[[Draft], None]
Store = Callable[[Workspace, Record, bool], None]
"""Stores a form's record: (workspace, record, new)."""


def show_where_municipalities_are(dialog: RecordDialog, field: str = "municipality_ags") -> None:
    """Under a form's municipality field, while the vault records none to choose from: how
    to name one (the profile in the File menu), and that its key may be typed meanwhile."""
    editor = dialog.form.editors.get(field)
    if editor is None:
        return
    if isinstance(editor, LineEditor):
        editor.edit.setPlaceholderText(_("8 digits, e.g. 06534011"))
        text = _(
            "No municipality is recorded in this vault yet: type its 8-digit key (AGS), or "
            "add it under File → Municipality profile… to choose it here by name."
        )
    else:
        text = _(
            "No municipality is recorded in this vault yet: add it under File → "
            "Municipality profile… to tick it here."
        )
    note = dialog.form.add_note(field)
    note.setObjectName("municipalityHint")
    note.setText(text)
    note.show()


class OfficePage(LazyPage):
    """Base of the office pages; see the module docstring."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.dialogs: list[RecordDialog] = []
        self.confirm_box: QMessageBox | None = None
        self.refusal_box: QMessageBox | None = None

    # ------------------------------------------------------------------ life cycle
    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show the workspace; on lock close dialogs and forget every record shown."""
        self.workspace = workspace
        if workspace is None:
            for dialog in list(self.dialogs):
                dialog.abandon()
            self.dialogs.clear()
            for box in (self.confirm_box, self.refusal_box):
                if box is not None:
                    box.close()
            self.confirm_box = self.refusal_box = None
            self.clear()
            return
        self.refresh()
        self._reopen_drafts(workspace)

    def clear(self) -> None:
        """Forget every record shown (lists, details, selections)."""
        raise NotImplementedError

    def draft_forms(self) -> Mapping[str, Reopen]:
        """Form names this page owns, each with the function that reopens its draft."""
        return {}

    @staticmethod
    def reopen_draft(
        draft: Draft, new: Callable[[Draft], None], edit: Callable[[str, Draft], None]
    ) -> None:
        """Open the form a draft came from: editing its record, or a new one."""
        if draft.record_id:
            edit(draft.record_id, draft)
        else:
            new(draft)

    def _reopen_drafts(self, workspace: Workspace) -> None:
        for name, reopen in self.draft_forms().items():
            drafts = workspace.drafts(name)
            if drafts:
                reopen(drafts[0])

    # ------------------------------------------------------------------ dialogs
    def open_dialog(
        self,
        cls: type[Record],
        fields: Sequence[str],
        *,
        form_name: str,
        title: str | Callable[[], str],
        record: Record | None = None,
        fixed: Mapping[str, Any] | None = None,
        draft: Draft | None = None,
        choices: Choices | None = None,
        on_saved: Callable[[Any], None] | None = None,
        prepare: Callable[[RecordDialog], object] | None = None,
        store: Store | None = None,
    ) -> RecordDialog | None:
        """Open a record dialog (tracked so a lock closes it); None while locked.
        ``store``: how Save stores the record (default: add or update)."""
        if self.workspace is None:
            return None
        dialog = RecordDialog(
            self.context.session,
            self.workspace,
            cls,
            fields,
            form_name=form_name,
            title=title,
            choices=choices,
            store=store,
            parent=self,
        )
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._forget(d))
        if on_saved is not None:
            dialog.saved.connect(on_saved)
        dialog.editing = record
        if prepare is not None:
            prepare(dialog)  # extra widgets go in before the dialog sizes itself
        dialog.start(record, fixed=fixed, draft=draft)
        return dialog

    def open_edit(
        self,
        cls: type[Record],
        record_id: str,
        fields: Sequence[str],
        *,
        form_name: str,
        title: str | Callable[[], str],
        draft: Draft | None = None,
        choices: Choices | None = None,
        on_saved: Callable[[Any], None] | None = None,
        prepare: Callable[[RecordDialog], object] | None = None,
        store: Store | None = None,
    ) -> RecordDialog | None:
        """Open the form for an existing record; if it is gone meanwhile, just refresh."""
        if self.workspace is None:
            return None
        try:
            record = self.workspace.get(cls, record_id)
        except RecordNotFound:
            self.refresh()
            return None
        return self.open_dialog(
            cls,
            fields,
            form_name=form_name,
            title=title,
            record=record,
            draft=draft,
            choices=choices,
            on_saved=on_saved,
            prepare=prepare,
            store=store,
        )

    def _forget(self, dialog: RecordDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)

    def menu_actions(self) -> list[QAction | None]:
        """Each shown list's New, Filter and Delete (the Volunteers page has two lists)."""
        actions: list[QAction | None] = []
        for table in self.findChildren(RecordTable):
            if table.isVisible():
                actions += [None] if actions else []
                actions += table.menu_actions()
        return actions

    def confirm(
        self, title: str, text: str, on_yes: Callable[[], None], *, yes_text: str | None = None
    ) -> QMessageBox:
        """Ask a yes/no question (No is the default); ``on_yes`` runs only on Yes, whose
        button says ``yes_text`` (default: Delete)."""
        if self.confirm_box is not None:
            self.confirm_box.close()

        def answered(yes: bool) -> None:
            self.confirm_box = None
            if yes and self.workspace is not None:
                on_yes()

        self.confirm_box = ask_to_delete(self, title, text, answered, delete_text=yes_text)
        return self.confirm_box

    def delete_record(self, kind: str, rid: str) -> bool:
        """Delete one record; report a failure in the status bar instead of raising."""
        if self.workspace is None:
            return False
        try:
            self.workspace.delete(kind, rid)
        except KisiError as error:
            self.status.emit(str(error))
            return False
        self.changed.emit(kind)
        return True

    # ------------------------------------------------------------------ shared look-ups
    def code_label(self, enum: str, code: str | None) -> str:
        """The label of a reference-data code in the UI language ("" if none or unknown)."""
        if self.workspace is None:
            return ""
        return code_label(self.workspace.ref, enum, code)

    def names(self, cls: type[Person | Partner | Volunteer]) -> list[tuple[str, str]]:
        """(id, name) of every record of ``cls``, sorted by name: choices for forms. People
        with their year of birth and nationality, which tell namesakes apart."""
        if self.workspace is None:
            return []
        if cls is Person:
            return person_choices(self.workspace)
        rows = self.workspace.rows(cls, ["name"])
        return sorted(((rid, name or "") for rid, name in rows), key=lambda r: sort_text(r[1]))

    def municipality_choices(self) -> list[tuple[str, str]]:
        """(AGS, "Name (AGS)") of every municipality recorded in the vault, by name: what a
        form offers for a municipality's key, which nobody should type from memory."""
        if self.workspace is None:
            return []
        rows = self.workspace.rows(Municipality, ["name", "ags"])
        return sorted(((str(ags), f"{name} ({ags})") for _rid, name, ags in rows if ags),
                      key=lambda c: sort_text(c[1]))  # fmt: skip

    def sole_ags(self) -> str:
        """The AGS of the one municipality recorded, the default of a new record's; "" with
        none or several (then the guide chooses: the first by name is no answer)."""
        offered = self.municipality_choices()
        return offered[0][0] if len(offered) == 1 else ""

    def refuse(self, title: str, text: str) -> QMessageBox:
        """Say why something cannot be done, in place of the question before it (a warning
        box with OK, window-modal, closed at a lock like the questions)."""
        if self.refusal_box is not None:
            self.refusal_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.setObjectName("refusalBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def closed(_result: int) -> None:
            if self.refusal_box is box:
                self.refusal_box = None

        box.finished.connect(closed)
        self.refusal_box = box
        box.open()
        return box
