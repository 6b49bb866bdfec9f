"""The People page: the list and a person's page in one stack, their forms, GDPR actions,
and the import of a spreadsheet list of people (``list_import.py``).

It wires the parts (list, person view, record dialogs, draft banner, GDPR dialogs) to the
workspace and owns what happens on lock: rows, person page and open dialogs are dropped
(a form's draft was sealed by the session's before-lock call already).

The list is read on a worker (:class:`BackgroundRead`): with 10,000 people the read takes
a quarter of a second, which froze the window at the page's first opening and at every
return to it after a write on another page. A person saved here changes only their own
line, read at once; while a read is under way, it starts again instead, so that the older
answer does not take the new line away.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QDialog, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Consent, Contact, Draft, FollowUp, Person, Referral
from kisi_desktop.core.domain.record import short
from kisi_desktop.core.domain.registry import Record
from kisi_desktop.core.errors import (
    KisiError,
    RecordNotFound,
    StillNeeded,
    UserError,
    ValidationError,
)
from kisi_desktop.core.files import why_not_written, write_private
from kisi_desktop.core.i18n import _, format_date, isolated, ngettext, ui_language
from kisi_desktop.core.namesakes import name_key, namesakes
from kisi_desktop.core.person_labels import person_labels
from kisi_desktop.core.workspace import ErasureSummary, Workspace

from kisi_desktop.ui.forms.list_filter import ListFilter
from kisi_desktop.ui.forms.long_lists import prepare_dialog
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.background_read import BackgroundRead
from kisi_desktop.ui.pages.base import Page, PageContext
from kisi_desktop.ui.pages.people.access_report import access_report, readable_path_beside
from kisi_desktop.ui.pages.people.birth_note import (
    DAY_FIELDS,
    BirthNote,
    EarlierRecordsNote,
    YearInDateNote,
)
from kisi_desktop.ui.pages.people.consent_note import ConsentNote
from kisi_desktop.ui.pages.people.draft_banner import DraftBanner
from kisi_desktop.ui.pages.people.gdpr_dialogs import (
    EraseDialog,
    export_file_dialog,
    kept_naming_text,
    mentions_not_exported_text,
)
from kisi_desktop.ui.pages.people.list_import import ListImport
from kisi_desktop.ui.pages.people.person_forms import (
    FORM_BY_NAME,
    FORMS,
    FormSpec,
    choices_for,
    form_title,
)
from kisi_desktop.ui.pages.people.person_list_view import PersonListView, SortBy
from kisi_desktop.ui.pages.people.person_page import PersonView
from kisi_desktop.ui.pages.people.person_table_model import (
    PersonRow,
    RowMaker,
    load_person_rows,
    sort_rows,
)
from kisi_desktop.ui.pages.people.timeline_model import KIND_NAMES
from kisi_desktop.ui.pages.project_period_note import ProjectPeriodNote
from kisi_desktop.ui.pages.registry import PEOPLE_DUE_FOR_DELETION
from kisi_desktop.ui.widgets.delete_question import ask_to_delete

log = logging.getLogger(__name__)


class PeoplePage(Page):
    """See the module docstring."""

    key = "people"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.list_view = PersonListView()
        self._person_view: PersonView | None = None
        self.banner = DraftBanner()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.dialog: QDialog | None = None  # the one open form or GDPR dialog
        # (name, birth) of new people whose likely namesake a form has named once: saved
        # again, they are added.
        self._namesakes_said: set[tuple[str, date | None, int | None]] = set()
        self.confirm_box: QMessageBox | None = None  # "delete this entry?"
        self.failure_box: QMessageBox | None = None  # "the export was not written"
        self.list_filters: dict[str, ListFilter] = {}  # filter fields of the open form
        self._drafts: list[Draft] = []
        self._stale = False
        self._task_running = False
        self.reader = BackgroundRead(context.runner, self)
        # "Reading" ends where the rows are shown (_rows_read, _rows_failed, a lock): the
        # list is not said to be empty for a moment before they are.
        self.reader.busy_changed.connect(self._reading_began)

        self.list_view.open_person.connect(self.open_person)
        self.list_view.new_person.connect(lambda: self.open_form("person"))
        self.list_import = ListImport(
            context.runner, lambda: self.workspace, self._show_dialog, parent=self
        )
        self.list_view.import_list.connect(lambda: self.import_list())
        self.list_import.status.connect(self.status)
        self.list_import.added.connect(self._list_added)
        self.banner.restore.connect(self.restore_draft)
        self.banner.discard.connect(self.discard_draft)
        # The person view is built in the turn after the page: it was a third of the
        # page's first opening, which the list had to wait for (see person_view).
        QTimer.singleShot(0, self, self._build_person_view)
        context.session.before_lock(self._finish_tasks)

    @property
    def person_view(self) -> PersonView:
        """The person's page: built in the turn after the list (``__init__``), or at once
        when something needs it before that turn came."""
        if self._person_view is None:
            self._build_person_view()
        return cast(PersonView, self._person_view)

    def _build_person_view(self) -> None:
        if self._person_view is not None:
            return
        self._person_view = view = PersonView()
        self.stack.addWidget(view)
        view.entry_activated.connect(self._edit_record)
        view.consent_activated.connect(self._edit_consent)
        handlers: dict[str, Any] = {
            "back": self.show_list,
            "edit_person": self._edit_person,
            "export": self.export_person,
            "erase": self.erase_person,
            "add_contact": lambda: self.open_form("contact"),
            "add_note": lambda: self.open_form("note"),
            "add_followup": lambda: self.open_form("followup"),
            "add_referral": lambda: self.open_form("referral"),
            "add_outcome": lambda: self.open_form("outcome"),
            "add_consent": lambda: self.open_form("consent"),
            "open_case": lambda: self.open_form("case"),
            "edit_case": self._edit_case,
            "edit_entry": self._edit_current_entry,
            "mark_done": self.mark_done,
            "delete_entry": self.delete_entry,
            "delete_notes": self.delete_notes,
        }
        for name, handler in handlers.items():
            view.commands[name].triggered.connect(lambda _c=False, h=handler: h())

    # ------------------------------------------------------------------ workspace
    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show the workspace's people, or drop everything on lock (see module docstring)."""
        self.workspace = workspace
        if workspace is None:
            self.reader.abandon()
            self.list_view.set_reading(False)
            self.list_import.abandon()
            self._close_dialog()
            for box in (self.confirm_box, self.failure_box):
                if box is not None:
                    box.close()
            self.confirm_box = self.failure_box = None
            self.banner.withdraw()
            self._drafts = []
            self._namesakes_said.clear()  # (names and births: nothing kept past a lock)
            self.list_view.reset_filters()
            self.list_view.model.clear()
            self.list_view.set_reference(None)
            if self._person_view is not None:
                self._person_view.clear()
            self.stack.setCurrentWidget(self.list_view)
            return
        self.list_view.set_reference(workspace.ref)
        self.refresh()
        self._drafts = [d for name in FORM_BY_NAME for d in workspace.drafts(name)]
        self._offer_next_draft()

    def refresh(self) -> None:
        """Read the list again (on a worker: the module docstring) and show the shown
        person again; a hidden page reads when it is shown, not at every unlock or write.

        The rows shown meanwhile stay until the new ones come.
        """
        workspace = self.workspace
        if workspace is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._read_rows(workspace)
        if self._person_view is not None and self._person_view.person_id is not None:
            self._show_person(self._person_view.person_id)

    def _read_rows(self, workspace: Workspace) -> None:
        maker = RowMaker(workspace.ref, ui_language())  # (labels in today's UI language)
        sort_by = self.list_view.sort_by()

        def read(copy: Workspace) -> list[PersonRow]:
            rows = load_person_rows(copy, maker=maker)
            sort_rows(rows, *sort_by)
            return rows

        self.reader.start(
            workspace, read, lambda rows: self._rows_read(rows, sort_by), self._rows_failed
        )

    def _reading_began(self, busy: bool) -> None:
        if busy:
            self.list_view.set_reading(True)

    def _rows_read(self, rows: list[PersonRow], sorted_by: SortBy) -> None:
        if self.workspace is not None:
            self.list_view.set_rows(rows, sorted_by)
        self.list_view.set_reading(False)

    def _rows_failed(self, error: BaseException) -> None:
        self.list_view.set_reading(False)
        if not isinstance(error, UserError | MemoryError):
            raise error  # a bug: the crash dialog, without personal data
        if self.workspace is None:
            return
        # No memory for the copy of the records: the rows shown stay, the list says why
        # it is empty if it is, and the page reads again when it is next shown.
        log.warning("reading the people list failed: %s", type(error).__name__)
        self._stale = True
        said = _("The list of people could not be read. Open another page and come back.")
        self.list_view.set_problem(said)
        self.status.emit(said)

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with an unlock or writes that happened while the page was hidden."""
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def retranslate_ui(self) -> None:
        """Texts in the current UI language; rows are rebuilt for their labels."""
        self.list_view.retranslate_ui()
        if self._person_view is not None:  # (built later in the language then set)
            self._person_view.retranslate_ui()
        self.banner.retranslate_ui()
        if self._drafts:  # its sentence and the form's title, not only its buttons
            self._offer_next_draft()
        if self.workspace is not None:
            self.list_view.set_reference(self.workspace.ref)
            self.refresh()

    def menu_actions(self) -> list[QAction | None]:
        """The person's commands while a person is shown, else "New person" and "Import
        from a list"."""
        if self._person_view is None or self.stack.currentWidget() is not self._person_view:
            return [self.list_view.new_action, self.list_view.import_action]
        commands = self.person_view.commands
        groups = (
            ("back", "edit_person", "export", "erase"),
            ("add_contact", "add_note", "add_followup", "add_referral", "add_outcome"),
            ("edit_entry", "mark_done", "delete_entry"),
            ("add_consent", "open_case", "edit_case"),
        )
        actions: list[QAction | None] = []
        for group in groups:
            actions += [None] if actions else []
            actions += [commands[name] for name in group]
        return actions

    def show_record(self, record_id: str) -> None:
        """Open the person ``record_id``, or the person a record belongs to; or the list
        of the people due for deletion (:data:`PEOPLE_DUE_FOR_DELETION`)."""
        if self.workspace is None:
            return
        if record_id == PEOPLE_DUE_FOR_DELETION:
            self.show_list()
            self.list_view.reset_filters()  # all of them, as many as the notice counts
            self.list_view.due_box.setChecked(True)
            return
        try:
            owner = self.workspace.meta(record_id).get("owner")
        except RecordNotFound:
            return
        if owner:
            self.open_person(owner)
            self.person_view.select_entry(record_id)

    def _today(self) -> date:
        assert self.workspace is not None  # noqa: S101 - callers check
        return today(self.workspace.clock)

    # ------------------------------------------------------------------ navigation
    def open_person(self, person_id: str) -> None:
        """Show the person page of ``person_id``."""
        if self._show_person(person_id):
            self.stack.setCurrentWidget(self.person_view)
            self.person_view.timeline.setFocus()

    def _show_person(self, person_id: str) -> bool:
        if self.workspace is None:
            return False
        try:
            person = self.workspace.get(Person, person_id)
        except RecordNotFound:
            self.person_view.clear()
            self.show_list()
            return False
        self.person_view.show_person(self.workspace, person, self._today())
        return True

    def show_list(self) -> None:
        """Back to the list, with the last person selected."""
        person_id = self.person_view.person_id
        self.stack.setCurrentWidget(self.list_view)
        if person_id is not None:
            self.list_view.select(person_id)
        self.list_view.table.setFocus()

    # ------------------------------------------------------------------ forms
    def open_form(
        self, kind: str, record: Record | None = None, draft: Draft | None = None, **preset: Any
    ) -> RecordDialog | None:
        """Open the form for ``kind`` (new, or editing ``record``, or restoring ``draft``)."""
        workspace = self.workspace
        if workspace is None or self.dialog is not None:
            return None
        spec = FORMS[kind]
        person_id = None if kind == "person" else self.person_view.person_id
        if draft is not None and draft.person_id and kind != "person":
            person_id = draft.person_id
        if kind != "person" and person_id is None:
            return None
        fixed = {**spec.defaults(person_id, self._today()), **preset}
        person_name = self.person_view.summary.name if self.person_view.summary else ""
        dialog = RecordDialog(
            self.context.session,
            workspace,
            spec.cls,
            spec.fields,
            form_name=spec.name,
            title=lambda: form_title(spec, new=record is None, person_name=person_name),
            choices=choices_for(workspace),
            store=lambda _ws, rec, new: self._save(spec, rec, new=new),
            beside=spec.beside,
            parent=self,
        )
        self.list_filters = prepare_dialog(dialog)
        if kind in (Contact.KIND, Referral.KIND) and person_id is not None:
            consents = workspace.list(Consent, owner=person_id)
            dialog.consent_note = ConsentNote(dialog, consents)  # type: ignore[attr-defined]
        if kind == Contact.KIND:
            # A contact typed as 2015 for 2025 was saved without a word and left out of
            # every report's figures.
            dialog.period_note = ProjectPeriodNote(dialog, "contacted_on", reports=True)  # type: ignore[attr-defined]
        if kind in DAY_FIELDS and person_id is not None:
            # A contact typed as 1985 for a person born in 1991 was saved without a word.
            with contextlib.suppress(RecordNotFound):
                person = workspace.get(Person, person_id)
                dialog.birth_note = BirthNote(dialog, person)  # type: ignore[attr-defined]
        if kind == Person.KIND:
            dialog.year_note = YearInDateNote(dialog)  # type: ignore[attr-defined]
        if isinstance(record, Person) and (dated := workspace.dated_records(record.id)):
            # A birth corrected to a later year saved without a word though contacts of
            # the person's then lay before it (the workspace refuses it now).
            dialog.birth_note = EarlierRecordsNote(dialog, record, dated)  # type: ignore[attr-defined]
        self._track(dialog)
        dialog.start(
            record,
            fixed=fixed,
            draft=draft,
            person_id=record.id if isinstance(record, Person) else person_id,
        )
        return dialog

    def _track(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))

    def _show_dialog(self, dialog: QDialog) -> None:
        self._track(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _close_dialog(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        if isinstance(dialog, RecordDialog):
            dialog.abandon()
        else:
            dialog.reject()
        self.dialog = None

    def _save(self, spec: FormSpec, record: Record, *, new: bool, said: str = "") -> None:
        """Store what a form (or a command) made; ``said``: what the status line says
        then, if more than "Saved."."""
        workspace = self.workspace
        if workspace is None:
            raise KisiError(_("The vault is locked."))
        if new or _met(spec, workspace.get(type(record), record.id)):
            # (a record stored without it, by `kisi` or before the rule, can still be
            # edited, e.g. its length corrected, without inventing a topic)
            spec.check(record)
        if isinstance(record, Person) and (new or _identity_changed(workspace, record)):
            # An edit too: a corrected birth year can make two records one person.
            self._ask_about_namesakes(workspace, record)
        if new:
            workspace.add(record)
        else:
            workspace.update(record)
        if isinstance(record, Person):
            self._namesakes_said.clear()  # (asked once for the one now saved)
            self._refresh_row(record.id)
            if new:
                self.list_view.select(record.id)
                # Where the focus goes once the form has closed: Enter then opens the
                # person, for their first contact (it went back to the filter or the
                # navigation, and Enter did nothing; QA pass, keyboard only).
                self.list_view.table.setFocus()
            else:
                self._show_person(record.id)
        else:
            person_id = self.person_view.person_id or ""
            self._refresh_row(person_id)  # a case or a note moves the deletion date
            self._show_person(person_id)
            self.person_view.select_entry(record.id)
        self.status.emit(said or _("Saved."))
        self.changed.emit(spec.cls.KIND)

    def _ask_about_namesakes(self, workspace: Workspace, person: Person) -> None:
        """Say under the name that this person seems to be in the vault already (counted
        twice, the figures for the ministry would be wrong); saving again adds them all
        the same: namesakes are common."""
        said = (name_key(person.name), person.birth_date, person.birth_year)
        if said in self._namesakes_said:
            return
        twins = namesakes(workspace, person)
        if not twins:
            return
        self._namesakes_said.add(said)
        labels = person_labels(workspace, [twin.id for twin in twins])
        raise ValidationError(
            "name",
            _(
                "Already in the vault: {people}. Open that person instead, or save again "
                "if this is someone else of the same or a similar name."
            ).format(people="; ".join(isolated(labels.get(t.id, t.name)) for t in twins)),
        )

    def _refresh_row(self, person_id: str) -> None:
        """The person's line in the list again (name, status, due for deletion)."""
        if self.workspace is None or not person_id:
            return
        if self.reader.busy:  # (see the module docstring)
            self._read_rows(self.workspace)
            return
        for row in load_person_rows(self.workspace, owner=person_id):
            self.list_view.model.upsert(row)

    def _edit_case(self) -> None:
        summary = self.person_view.summary
        if summary is not None and summary.case_id is not None:
            self._edit_record("case", summary.case_id)

    def _edit_person(self) -> None:
        if self.workspace is not None and self.person_view.person_id is not None:
            self.open_form("person", self.workspace.get(Person, self.person_view.person_id))

    def _edit_record(self, kind: str, record_id: str) -> None:
        if self.workspace is None or kind not in FORMS:
            return
        try:
            record = self.workspace.get(FORMS[kind].cls, record_id)
        except RecordNotFound:
            return
        self.open_form(kind, record)

    def _edit_current_entry(self) -> None:
        entry = self.person_view.current_entry()
        if entry is not None:
            self._edit_record(entry.kind, entry.id)

    def _edit_consent(self, purpose: str, consent_id: str) -> None:
        if consent_id:
            self._edit_record("consent", consent_id)
        else:
            self.open_form("consent", purpose=purpose)

    def mark_done(self) -> None:
        """Tick off the selected follow-up (done today) or a referral's follow-up day.

        A referral has no "done" of its own: its reminder ends when the day is emptied,
        which is what its form records when the guide clears "Follow up on" (and what
        deleting the notes does); its status stays as the guide last set it.
        """
        entry = self.person_view.current_entry()
        if self.workspace is None or entry is None or not entry.open:
            return
        # The status line says what was ticked off: "Saved." left the guide to look in
        # the timeline for what a key press did (QA pass).
        done: Record
        if entry.kind == FollowUp.KIND:
            task = self.workspace.get(FollowUp, entry.id)
            done = dataclasses.replace(task, done=True, done_on=self._today())
            said = _("Follow-up due {day} done: {text}").format(
                day=format_date(task.due_on), text=isolated(short(task.text))
            )
        elif entry.kind == Referral.KIND:
            referral = self.workspace.get(Referral, entry.id)
            if referral.follow_up_on is None:
                return
            done = dataclasses.replace(referral, follow_up_on=None)
            said = _("Follow-up of {day} done.").format(day=format_date(referral.follow_up_on))
        else:
            return
        self._save(FORMS[entry.kind], done, new=False, said=said)

    def delete_entry(self) -> QMessageBox | None:
        """Ask, then delete the selected timeline entry (a note written in error, a
        contact entered twice): what is wrong must go, not only be overwritten."""
        entry = self.person_view.current_entry()
        if self.workspace is None or entry is None:
            return None
        if self.confirm_box is not None:
            self.confirm_box.close()
        kind = _(KIND_NAMES[entry.kind]) if entry.kind in KIND_NAMES else entry.kind
        text = _("Delete this entry ({kind} of {day})? It cannot be brought back.").format(
            kind=kind, day=format_date(entry.day)
        )

        def delete(workspace: Workspace) -> str:
            workspace.delete(entry.kind, entry.id)
            return _("Deleted.")

        return self._ask_then(_("Delete entry"), text, delete, entry.kind)

    def delete_notes(self) -> QMessageBox | None:
        """Ask, then delete the person's notes, follow-ups and contact texts (their
        deletion date has come); the proof of participation stays."""
        person_id, summary = self.person_view.person_id, self.person_view.summary
        if self.workspace is None or person_id is None or summary is None:
            return None
        text = _(
            "The deletion date of {name}'s notes has come. Delete their notes and "
            "follow-ups, and the text of their contacts and referrals? The contacts, events "
            "and consents stay as proof of participation until their own date. This cannot "
            "be undone."
        ).format(name=isolated(summary.name))

        def delete(workspace: Workspace) -> str:
            count = workspace.delete_notes(person_id)
            return ngettext(
                "{n} entry deleted or emptied.", "{n} entries deleted or emptied.", count
            ).format(n=count)

        return self._ask_then(
            _("Delete notes"), text, delete, "note", delete_text=_("Delete &notes")
        )

    def _ask_then(
        self,
        title: str,
        text: str,
        delete: Callable[[Workspace], str],
        kind: str,
        *,
        delete_text: str | None = None,
    ) -> QMessageBox:
        """Ask (Keep is the default); on Delete run ``delete``, show the person again with
        their list line, and say its message in the status bar."""
        person_id = self.person_view.person_id or ""

        def answered(yes: bool) -> None:
            self.confirm_box = None
            workspace = self.workspace
            if not yes or workspace is None:
                return
            try:
                said = delete(workspace)
            except KisiError as error:
                self.status.emit(str(error))
                return
            self._refresh_row(person_id)
            self._show_person(person_id)
            self.status.emit(" ".join(filter(None, [said, workspace.erased_still_in_file()])))
            self.changed.emit(kind)

        self.confirm_box = ask_to_delete(self, title, text, answered, delete_text=delete_text)
        return self.confirm_box

    # ------------------------------------------------------------------ a list of people
    def import_list(self, path: Path | None = None) -> None:
        """Add the people of a spreadsheet list: ask for the file (unless ``path`` is
        given), show what it holds, add them all (``list_import.py``)."""
        if self.workspace is not None and self.dialog is None:
            self.list_import.start(path)

    def _list_added(self) -> None:
        self.refresh()
        self.changed.emit(Person.KIND)

    # ------------------------------------------------------------------ drafts
    def _offer_next_draft(self) -> None:
        workspace = self.workspace
        if workspace is None or not self._drafts:
            self.banner.withdraw()
            return
        draft = self._drafts[0]
        spec = FORM_BY_NAME[draft.form]
        what = form_title(spec, new=draft.record_id is None)
        if draft.person_id:
            try:
                what = _("{form} for {name}").format(
                    form=what, name=workspace.get(Person, draft.person_id).name
                )
            except RecordNotFound:
                pass
        self.banner.offer(what, len(self._drafts) - 1)

    def restore_draft(self) -> RecordDialog | None:
        """Reopen the form of the first kept draft with what was typed."""
        workspace = self.workspace
        if workspace is None or not self._drafts or self.dialog is not None:
            return None
        draft = self._drafts.pop(0)
        spec = FORM_BY_NAME[draft.form]
        record: Record | None = None
        if draft.record_id:
            try:
                record = workspace.get(spec.cls, draft.record_id)
            except RecordNotFound:
                record = None
        if spec.cls is not Person and draft.person_id:
            self.open_person(draft.person_id)
        dialog = self.open_form(spec.cls.KIND, record, draft)
        self._offer_next_draft()
        return dialog

    def discard_draft(self) -> None:
        """Delete the first kept draft."""
        if self.workspace is not None and self._drafts:
            draft = self._drafts.pop(0)
            try:
                self.workspace.delete("draft", draft.id)
            except RecordNotFound:
                pass
        self._offer_next_draft()

    # ------------------------------------------------------------------ GDPR
    def export_person(self) -> None:
        """Ask where to save the person's data (Art. 15), then write it on a worker."""
        summary, person_id = self.person_view.summary, self.person_view.person_id
        if self.workspace is None or summary is None or person_id is None or self.dialog:
            return
        suggested = str(Path.home() / f"kisi-export-{person_id[:8]}.json")
        dialog = export_file_dialog(self, suggested)
        dialog.fileSelected.connect(lambda path: self._write_export(person_id, Path(path)))
        self._show_dialog(dialog)

    def _write_export(self, person_id: str, path: Path) -> None:
        workspace = self.workspace
        if workspace is None:
            return

        # The vault's connections belong to the UI thread: read here (milliseconds), and
        # leave only the file writing (a slow USB stick) to the worker.
        text = json.dumps(workspace.export_person(person_id), ensure_ascii=False, indent=2)
        # Beside the JSON (for machines, Art. 20) the same in words, for the person.
        readable = access_report(workspace, person_id, self._today())
        readable_path = readable_path_beside(path)
        name = self.person_view.summary.name if self.person_view.summary else ""
        mentions = workspace.kept_records_naming(name, person_id) if name else []

        def work() -> Path:
            # A file that fails half-way removes itself (write_private); half an export is
            # still personal data on a stick, so the JSON goes too if the text fails. A
            # file that could not even be opened (read-only, say) is not touched.
            write_private(path, text + "\n")
            try:
                write_private(readable_path, readable)
            except OSError:
                path.unlink(missing_ok=True)
                raise
            return path

        def written(p: Path) -> None:
            self.status.emit(
                _("Exported to {path} and, readable, to {text}.").format(
                    path=p, text=readable_path.name
                )
            )
            self._say_review_before_handing_out(readable_path, mentions)

        self._run(work, written)

    def _say_review_before_handing_out(
        self, readable: Path, mentions: list[tuple[str, date | None]]
    ) -> None:
        """Notes and contact texts go out as written: they may name other people, whose
        rights Art. 15(4) GDPR protects. The guide reads the export before it goes.

        Records kept for others whose text names the person (a volunteer's deployment, an
        event's note, another person's note) are personal data of theirs too (Art. 15(1)),
        but they go out only after a person has read them: they are named by kind and day,
        for the guide to find with the search and copy what concerns the person.
        """
        said = _(
            "Before you hand the export out, read {text}: notes and contact texts are "
            "in it as they were written, and may say things about other people (family, "
            "neighbours, staff of other offices). Black those out (Art. 15(4) GDPR). "
            "Events the person took part in are listed by date and title only: who "
            "else took part and what was noted about the event are already left out."
        ).format(text=readable.name)
        if mentions:
            said += "\n\n" + mentions_not_exported_text(mentions)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Export data (Art. 15)"),
            said,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("exportReviewNote")
        self._show_dialog(box)  # (closed by a lock, as every dialog of the page)

    def erase_person(self) -> None:
        """Confirm (the name must be typed), then erase the person (Art. 17) on a worker."""
        workspace, person_id = self.workspace, self.person_view.person_id
        if workspace is None or person_id is None or self.dialog is not None:
            return
        try:
            workspace.refuse_if_held(person_id)
        except StillNeeded as held:
            # Said before the name is typed, not after: nothing will be erased.
            self._tell(_("Not erased"), str(held))
            return
        name = self.person_view.summary.name if self.person_view.summary else ""
        records = len(workspace.working_set.owned_by(person_id)) - 1
        kept = workspace.kept_records_naming(name, person_id) if name else []
        dialog = EraseDialog(name, max(records, 0), self, kept)
        dialog.accepted.connect(lambda: self._erase(person_id, name))
        self._show_dialog(dialog)

    def _erase(self, person_id: str, name: str) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        self.person_view.setEnabled(False)

        def done(summary: ErasureSummary) -> None:
            self.person_view.setEnabled(True)
            if self.reader.busy:  # (see the module docstring)
                self._read_rows(workspace)
            self.list_view.model.remove(person_id)
            if self.person_view.person_id == person_id:
                self.person_view.clear()
                self.show_list()
            # Not by name: what was erased should not linger on screen either.
            said = _("The person was erased.")
            if kept := (workspace.kept_records_naming(name, person_id) if name else []):
                # (by kind and date: the guide finds them with the search and edits them)
                said += " " + kept_naming_text(kept).replace("\n• ", " • ")
            self.status.emit(said)
            if still := workspace.erased_still_in_file():
                # A box, not the status line: a data protection officer wants to know.
                self._tell(_("Erased, not yet overwritten"), still)
            self.changed.emit("person")

        # On the UI thread: the workspace's connections must not be used from two threads
        # at once (a worker here deadlocked against draft saves), and erasure takes
        # milliseconds.
        try:
            summary = workspace.erase_person(person_id)
        except KisiError as error:
            self.person_view.setEnabled(True)
            self.status.emit(_("That did not work: {error}").format(error=error))
            return
        done(summary)

    def _run(self, work: Any, on_done: Any) -> None:
        self._task_running = True

        def finished(result: Any) -> None:
            self._task_running = False
            if self.workspace is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            self._task_running = False
            self.person_view.setEnabled(True)
            if self.workspace is None and isinstance(error, KisiError | OSError):
                return  # locked meanwhile: nothing opens over the unlock screen
            if isinstance(error, OSError):
                # A box, not the status bar: the person is waiting for their data.
                self._tell(
                    _("Not exported"),
                    _(
                        "The data export could not be written: {reason}. Choose another folder."
                    ).format(reason=why_not_written(error)),
                )
                return
            if not isinstance(error, KisiError):
                raise error
            self.status.emit(_("That did not work: {error}").format(error=error))

        self.context.runner.run(work, finished, failed)

    def _tell(self, title: str, text: str) -> None:
        """A warning box (closed at a lock, like the other boxes of this page)."""
        self.failure_box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        self.failure_box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.failure_box.finished.connect(lambda _r: setattr(self, "failure_box", None))
        self.failure_box.open()

    def _finish_tasks(self) -> None:
        """Before a lock: let a running export or erasure finish rather than cut it off."""
        if self._task_running:
            self.context.runner.wait(60_000)


def _met(spec: FormSpec, stored: Record) -> bool:
    """Whether the stored record meets the form's own rule (``FormSpec.check``)."""
    try:
        spec.check(stored)
    except ValidationError:
        return False
    return True


def _identity_changed(workspace: Workspace, person: Person) -> bool:
    """Whether an edit changes what tells people apart (name, birth date or year)."""
    stored = workspace.get(Person, person.id)
    return (stored.name, stored.birth_date, stored.birth_year) != (
        person.name,
        person.birth_date,
        person.birth_year,
    )
