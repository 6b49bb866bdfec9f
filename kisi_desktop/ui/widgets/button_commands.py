"""A page's buttons as entries of the window's Edit menu.

The Edit menu lists what the shown page does (``Page.menu_actions``), so that a guide who
works by keyboard, or hears the window through a screen reader, finds every command in
one place with its key. The list pages give their New, Filter and Delete actions; pages
whose commands are plain buttons (Budget, Reports, Handouts, Sync) had an Edit menu with
the search alone. Each entry here says what its button says and does what a click on it
does, enabled and shown as the button is at the moment the menu opens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QWidget


class ButtonCommands:
    """Edit-menu entries for ``buttons`` of ``page`` (one QAction each, kept for its life).

    ``keys`` names the shortcut a page gives a button's command elsewhere (Ctrl+P prints
    a handout): the entry shows it beside its text, and answers it only while the menu
    is open, so that the page's own shortcut stays the one outside it (two owners of one
    key make Qt ignore both).
    """

    def __init__(
        self,
        page: QWidget,
        buttons: Sequence[QAbstractButton],
        keys: Mapping[QAbstractButton, QKeySequence] | None = None,
    ) -> None:
        self._page = page
        self._entries: list[tuple[QAbstractButton, QAction]] = []
        for button in buttons:
            action = QAction(page)
            action.setObjectName(f"menu_{button.objectName()}")
            if keys and button in keys:
                action.setShortcut(keys[button])
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(button.click)
            self._entries.append((button, action))

    def actions(self) -> list[QAction]:
        """The entries of the buttons shown now, with their texts (mnemonic included) and
        whether they can be used."""
        shown: list[QAction] = []
        for button, action in self._entries:
            if not button.isVisibleTo(self._page):
                continue
            action.setText(button.text())
            action.setToolTip(button.toolTip() or button.text().replace("&", ""))
            action.setEnabled(button.isEnabled())
            shown.append(action)
        return shown
