"""A dialog around one RecordForm: Save / Cancel, store the record, keep a sealed draft.

The owner builds it, may add widgets to ``dialog.form`` (e.g. a ListFilter), then calls
:meth:`RecordDialog.start` with the record to edit (or the fixed values of a new one, and
a draft to restore). Saving calls ``store(workspace, record, new)`` (default: ``add`` or
``update``); a ValidationError it raises is shown under its field, another KisiError above
the buttons, and the dialog stays open. ``start`` opens the dialog with
:meth:`QDialog.open` (window-modal, never a nested event loop) so a lock can close it at
any time: the session seals the draft first, then :meth:`RecordDialog.abandon` closes the
dialog without deleting that draft, and the page reopens it from
:meth:`~kisi_desktop.core.workspace.Workspace.drafts` after the next unlock.

Signals:
    saved(object): the record was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Draft, Record
from kisi_desktop.core.errors import KisiError, ValidationError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.drafts import DraftKeeper
from kisi_desktop.ui.forms.field_widgets import Choices
from kisi_desktop.ui.forms.form_buttons import form_button_keys, form_buttons, name_form_buttons
from kisi_desktop.ui.forms.list_filter import ListFilter
from kisi_desktop.ui.forms.record_form import ERROR_STYLE, RecordForm
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.widgets.delete_question import ask_to_delete
from kisi_desktop.ui.widgets.scroll import plain_scroll_area

# A long form (an event) scrolls inside the dialog rather than growing past a 768-px screen.
MAX_SCREEN_SHARE = 0.85


class RecordDialog(QDialog):
    """See the module docstring."""

    saved = Signal(object)

    def __init__(
        self,
        session: Session,
        workspace: Workspace,
        cls: type[Record],
        fields: Sequence[str],
        *,
        form_name: str,
        title: str | Callable[[], str],
        choices: Choices | None = None,
        store: Callable[[Workspace, Record, bool], None] | None = None,
        beside: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        """``title``: the window's title, or what words it in the current UI language
        (then it follows a language switch while the form is open). ``beside``: fields in
        a second column (see :class:`RecordForm`)."""
        super().__init__(parent)
        self.setObjectName(f"{form_name}Dialog")
        self._title = title
        self.workspace = workspace
        self.form_name = form_name
        self._store = store or _store
        self.form = RecordForm(
            cls,
            fields,
            workspace.ref,
            choices=choices,
            today=lambda: today(workspace.clock),
            keys_taken=form_button_keys(),
            beside=beside,
        )
        # No Qt parent: the session keeps the keeper's before-lock callback for its whole
        # life, so the keeper (and its timer) must outlive this dialog (it is inert then).
        self.keeper = DraftKeeper(session, self.form, form_name)
        self.message = QLabel()
        self.message.setObjectName("dialogMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.scroll_area = plain_scroll_area(self.form, "recordFormArea")
        buttons, self.save_button, self.cancel_button = form_buttons(self)
        self._name_title()
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._closed = False
        self._focus_to_show = False  # (see changeEvent)
        self._opened_with: dict[str, Any] = {}
        self.discard_question: QMessageBox | None = None
        self.editing: Record | None = None
        """The record this dialog opens on (None for a new one), known before :meth:`start`
        so that a page's ``prepare`` can add notes that depend on it."""

    def _name_title(self) -> None:
        self.setWindowTitle(self._title if isinstance(self._title, str) else self._title())

    def retranslate_ui(self) -> None:
        """After a language switch while the form is open (the window asks every open
        dialog): title, fields, list filters and buttons in the new language."""
        self._name_title()
        name_form_buttons(self.save_button, self.cancel_button)
        self.form.retranslate_ui(keys_taken=form_button_keys())
        for list_filter in self.form.findChildren(ListFilter):
            list_filter.retranslate_ui()

    def start(
        self,
        record: Record | None = None,
        *,
        fixed: Mapping[str, Any] | None = None,
        draft: Draft | None = None,
        person_id: str | None = None,
    ) -> None:
        """Fill the form (``record`` to edit, or a new one with ``fixed`` values) and open it."""
        self.form.load(record, **dict(fixed or {}))
        # What the form held when it opened: anything else (typed, or a draft brought
        # back) is asked about before Esc or Cancel throws it away.
        self._opened_with = self.form.draft()
        if draft is not None:
            self.form.restore(draft.values())
        self.keeper.start(
            record_id=record.id if record is not None else None, person_id=person_id, draft=draft
        )
        self.fit_to_screen()
        self._focus_to_show = True
        self.open()
        first = next(iter(self.form.editors.values()), None)
        if first is not None:
            first.widget.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        """Once the opened form is the active window: show where the focus is, as after a
        Tab. A form that starts with a choice box showed no focus until the first Tab (QA
        pass): styles draw a box's focus only in a window whose focus the keyboard moved,
        and Qt counts the focus the window gets as it becomes active as not so. (A reason
        given to ``setFocus`` in :meth:`start` does not help: the dialog is not active
        yet there, and Qt sets the focus again, with its own reason, once it is.)"""
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.ActivationChange
            and self._focus_to_show
            and self.isActiveWindow()
        ):
            self._focus_to_show = False
            # After this turn: Qt gives the focus to the field just after this event.
            QTimer.singleShot(0, self, self._show_focus)

    def _show_focus(self) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
        focused = self.focusWidget()
        if focused is not None:
            focused.update()

    def _show_first_error(self) -> None:
        """Scroll a long form to the field the cursor went to, with its message below."""
        field: QWidget | None = self.form.focusWidget()
        if field is None:
            return
        for label in self.form.errors.values():
            if label.isVisibleTo(self.form) and label.text():
                self.scroll_area.ensureWidgetVisible(label)
                break
        self.scroll_area.ensureWidgetVisible(field)

    def fit_to_screen(self) -> None:
        """Size to the form, at most :data:`MAX_SCREEN_SHARE` of the screen (then it scrolls).

        A note a page put under a field before the dialog was shown is not yet in the
        form's size (its layouts wait for the event loop); they are brought up to date
        first, or the rows were squeezed to make room for it. So are the sizes a column
        keeps of its fields (a list that got its filter field above it was counted
        without it, and the two-column contact form scrolled)."""
        for layout in self.form.findChildren(QLayout):
            layout.invalidate()
            owner = layout.parentWidget()
            if owner is not None:
                owner.updateGeometry()
        hint = self.form.sizeHint()
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        max_h = int(available.height() * MAX_SCREEN_SHARE) if available is not None else 650
        self.resize(max(560, hint.width() + 60), min(hint.height() + 110, max_h))

    # ------------------------------------------------------------------ closing
    def accept(self) -> None:
        """Build, validate and store the record; stay open with the message if that fails."""
        self.message.hide()
        record = self.form.build()
        if record is None:
            self._show_first_error()
            return
        try:
            self._store(self.workspace, record, self.form.record is None)
        except ValidationError as error:
            self.form.show_error(error.field, error.message)
            self._show_first_error()
            return
        except KisiError as error:
            self.message.setText(str(error))
            self.message.show()
            return
        self.keeper.finish()
        self._closed = True
        self.saved.emit(record)
        super().accept()

    def reject(self) -> None:
        """Cancel, Esc or the title bar's close: discard the input and its draft, after
        asking when something was typed (Esc is pressed out of habit; a lock keeps the
        input as a draft, so Esc must not be the one way to lose it unasked)."""
        if self.discard_question is not None:
            return  # already asking
        if not self._closed and self.form.draft() != self._opened_with:
            self.discard_question = ask_to_delete(
                self,
                _("Discard input?"),
                _("What you typed in this form has not been saved. Discard it?"),
                self._answered,
                delete_text=_("&Discard"),
                keep_text=_("&Keep editing"),
            )
            return
        self._discard()

    def _answered(self, discard: bool) -> None:
        self.discard_question = None
        if discard and not self._closed:
            self._discard()

    def _discard(self) -> None:
        if not self._closed:
            self.keeper.finish()
        self._closed = True
        super().reject()

    def _close_question(self) -> None:
        if self.discard_question is not None:
            question, self.discard_question = self.discard_question, None
            question.close()

    def abandon_for_lock(self, _reason: str = "") -> None:
        """Slot for ``Session.locked``: close, keeping the draft."""
        self.abandon()

    def abandon(self) -> None:
        """Close for a lock: the draft stays sealed in the vault, to be reopened later."""
        if self._closed:
            return
        self._close_question()  # (its answer no longer matters: the input is kept)
        self.keeper.save_now()
        self._closed = True
        super().reject()


def _store(workspace: Workspace, record: Record, new: bool) -> None:
    if new:
        workspace.add(record)
    else:
        workspace.update(record)
