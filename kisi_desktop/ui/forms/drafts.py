"""Sealed drafts for open forms: typed input survives auto-lock and crashes, never in plaintext.

While a form is open, every edit (after a short pause) is saved as a :class:`Draft` record,
sealed like everything else (under the person's key when the form belongs to a person).
Saving or discarding the form deletes the draft. Before every lock the session asks the
keeper to save at once, so an auto-lock in the middle of typing loses nothing; after the
next unlock the page finds the draft (:meth:`Workspace.drafts`) and reopens the form.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3

from PySide6.QtCore import QObject, QTimer

from kisi_desktop.core.domain import Draft
from kisi_desktop.core.errors import KisiError

from kisi_desktop.ui.forms.record_form import RecordForm
from kisi_desktop.ui.session import Session

SAVE_AFTER_MS = 1500


class DraftKeeper(QObject):
    """Keeps one form's draft; see the module docstring."""

    def __init__(
        self, session: Session, form: RecordForm, form_name: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._form = form
        self._name = form_name
        self._draft: Draft | None = None
        self._record_id: str | None = None
        self._person_id: str | None = None
        self._active = False
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.save_now)
        form.edited.connect(self._edited)
        session.before_lock(self.save_now)
        # A keeper lives as long as its form; once the form is gone, stop being asked.
        form.destroyed.connect(lambda *_args: session.forget_before_lock(self.save_now))

    def start(
        self, *, record_id: str | None, person_id: str | None, draft: Draft | None = None
    ) -> None:
        """The form was opened for ``record_id`` (None: new record); ``draft`` if restored."""
        self._record_id = record_id
        self._person_id = person_id
        self._draft = draft
        self._active = True
        self._dirty = False

    def _edited(self) -> None:
        if self._active:
            self._dirty = True
            self._timer.start()

    def save_now(self) -> None:
        """Seal what is typed now (no-op when nothing changed since the last save)."""
        if not self._active:
            return  # the form may be gone by now (its dialog was closed)
        if self._session.lent:
            # A worker writes the vault (``Session.lend``: the keys are being renewed);
            # saved once it is back. (Before a lock it is back: the lock waits for it.)
            self._timer.start()
            return
        self._timer.stop()
        workspace = self._session.workspace
        if not self._dirty or workspace is None:
            return
        values = json.dumps(self._form.draft(), ensure_ascii=False, default=str)
        draft = Draft(
            form=self._name,
            record_kind=self._form.cls.KIND,
            record_id=self._record_id,
            person_id=self._person_id,
            values_json=values,
        )
        if self._draft is not None:
            draft = dataclasses.replace(draft, id=self._draft.id)
        try:
            workspace.save([draft], "draft")
        except (KisiError, sqlite3.Error):
            return  # a draft is a convenience; the form itself still holds the input
        self._draft = draft
        self._dirty = False

    def finish(self) -> None:
        """The form was saved or discarded: delete its draft."""
        self._timer.stop()
        self._active = False
        self._dirty = False
        workspace = self._session.workspace
        if self._draft is not None and workspace is not None:
            with contextlib.suppress(KisiError):
                workspace.delete("draft", self._draft.id)
        self._draft = None
