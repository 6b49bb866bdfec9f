"""A line under one field of a record form that says, while the guide types, what the typed
values mean: the mileage a trip gives, the allowance against the annual cap, a date outside
the project, a consent that is missing.

Each such note reads the form's editors and shows or hides its line; what they share is
where the line sits and when it is worked out again: at every edit, and once when the
dialog has its record or draft (a form opened on a saved trip says its mileage at once).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Generic, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from kisi_desktop.core.errors import KisiError

from kisi_desktop.ui.forms.record_dialog import RecordDialog

Basis = TypeVar("Basis")


class LiveNote(ABC):
    """The note under ``field`` of ``dialog``; subclasses say what it says in :meth:`update`.

    A subclass sets what :meth:`update` reads before it calls this ``__init__``.
    """

    def __init__(
        self, dialog: RecordDialog, field: str, *, name: str = "", style: str = ""
    ) -> None:
        self.dialog = dialog
        self.label: QLabel = dialog.form.add_note(field)
        if name:
            self.label.setObjectName(name)
        if style:
            self.label.setStyleSheet(style)
        dialog.form.edited.connect(self.update)
        # Once the dialog has its record or draft; not at all if it is gone by then (a
        # form opened and the vault locked at once: the editors were deleted).
        QTimer.singleShot(0, self.label, self.update)

    @abstractmethod
    def update(self) -> None:
        """Show the line for what is typed now, or hide it."""


class ComputedNote(LiveNote, Generic[Basis]):
    """A note that works an amount out of what is typed by a core rule (the mileage, the
    Tagegeld): :meth:`basis` reads the editors, :meth:`describe` words the result. What
    cannot be read yet, or has no rate for its day, shows nothing: saving says what is
    wrong next to the field."""

    @abstractmethod
    def basis(self) -> Basis | None:
        """What the editors hold, or None while something is unreadable or missing."""

    @abstractmethod
    def describe(self, basis: Basis) -> str:
        """The note for ``basis`` ("" for nothing to say)."""

    def update(self) -> None:
        """Work it out again from the editors; hide the line when there is nothing to say."""
        basis = self.basis()
        text = ""
        if basis is not None:
            try:
                text = self.describe(basis)
            except KisiError:  # no rate for that day in the reference data, or locked
                text = ""
        self.label.setText(text)
        self.label.setVisible(bool(text))
