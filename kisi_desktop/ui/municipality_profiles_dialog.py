"""The municipality profiles of a vault that holds more than one: edit one, or remove one.

A guide who serves two municipalities keeps a profile for each (their names make the
title bar, their offices the handouts). A second profile can also be a mistake: ``kisi
municipality set`` with a mistyped key makes one, which then shows beside the right one.
The File menu's "Municipality profile…" edits the only profile at once; with several it
opens this list. Removing asks first, and the vault refuses a profile that activities,
cases or team members still name (core/municipality_use.py), saying how many.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.text_sort import sort_text

from kisi_desktop.ui.widgets.delete_question import ask_to_delete

if TYPE_CHECKING:
    from kisi_desktop.core.domain import Municipality
    from kisi_desktop.core.workspace import Workspace


class MunicipalityProfilesDialog(QDialog):
    """See the module docstring. ``edit`` is emitted with the profile to open in its form;
    ``removed`` after a profile was removed."""

    edit = Signal(object)
    removed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("municipalityProfiles")
        self.setWindowTitle(_("Municipality profiles"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.workspace = workspace
        self.question: QMessageBox | None = None
        layout = QVBoxLayout(self)
        hint = QLabel(
            _(
                "This vault keeps a profile for each of these municipalities. Open one to "
                "correct it; remove one only if it was made by mistake."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        self.list.setObjectName("profileList")
        self.list.setAccessibleName(_("Municipality profiles"))
        self.list.itemActivated.connect(lambda _item: self._edit_current())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.edit_button = QPushButton(_("&Open…"))
        self.edit_button.setObjectName("editProfile")
        self.remove_button = QPushButton(_("&Remove…"))
        self.remove_button.setObjectName("removeProfile")
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.edit_button.clicked.connect(self._edit_current)
        self.remove_button.clicked.connect(self.ask_remove)
        layout.addWidget(buttons)
        remove = QAction(self.list)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.ask_remove)
        self.list.addAction(remove)
        self.resize(max(self.sizeHint().width(), 460), self.sizeHint().height())
        self.reload()

    def reload(self) -> None:
        """List the vault's profiles by name, keeping the selection where it can."""
        from kisi_desktop.core.domain import Municipality

        chosen = self.current()
        self.list.clear()
        profiles = sorted(self.workspace.list(Municipality), key=lambda m: sort_text(m.name))
        for profile in profiles:
            item = QListWidgetItem(f"{profile.name} ({profile.ags})")
            item.setData(Qt.ItemDataRole.UserRole, profile)
            self.list.addItem(item)
            if chosen is not None and profile.id == chosen.id:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.edit_button.setEnabled(bool(profiles))
        # The last profile is corrected, not removed: the title bar and handouts need one.
        self.remove_button.setEnabled(len(profiles) > 1)

    def current(self) -> Municipality | None:
        """The profile selected in the list."""
        # The selected one, not merely the current: Ctrl+click leaves none selected.
        chosen = self.list.selectedItems()
        if not chosen:
            return None
        profile: Municipality = chosen[0].data(Qt.ItemDataRole.UserRole)
        return profile

    def _edit_current(self) -> None:
        profile = self.current()
        if profile is not None:
            self.edit.emit(profile)

    def ask_remove(self) -> None:
        """Ask before removing the selected profile (Keep is the default)."""
        profile = self.current()
        if profile is None or self.list.count() < 2:
            return
        text = _(
            "Remove the profile of {name} ({ags})? Records that name this municipality "
            "keep it: the vault then refuses."
        ).format(name=profile.name, ags=profile.ags)

        def answered(yes: bool) -> None:
            self.question = None
            if yes:
                self._remove(profile)

        self.question = ask_to_delete(
            self, _("Remove profile"), text, answered, delete_text=_("&Remove")
        )

    def _remove(self, profile: Municipality) -> None:
        try:
            self.workspace.delete(profile.KIND, profile.id)
        except KisiError as refused:
            box = QMessageBox(QMessageBox.Icon.Warning, _("Not removed"), str(refused), parent=self)
            box.setObjectName("refusalBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return
        self.reload()
        self.removed.emit()
