"""A line above the pages after an unlock: which pages hold forms that a lock or a crash
closed before they were saved.

Each page offers its own kept forms, but only once it is built, and pages are built the
first time the guide opens them. A contact typed on the People page before a crash would
otherwise wait there unseen while the guide works on the Overview. One button per page
goes there; a page drops out of the line once it has been shown, and the line goes when
none is left (or the guide closes it).

Signals:
    open_page(str): the guide wants the page with this key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from kisi_desktop.core.i18n import _

from kisi_desktop.ui.widgets.banner import style_as_banner


class WaitingDrafts(QFrame):
    """See the module docstring."""

    open_page = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_as_banner(self, "waitingDrafts")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("waitingDraftsClose")
        self.close_button.clicked.connect(self.clear)
        self.buttons: dict[str, QPushButton] = {}
        self._title: Callable[[str], str] = str
        self.row = QHBoxLayout(self)
        self.row.addWidget(self.message, 1)
        self.row.addWidget(self.close_button)
        self.retranslate_ui()
        self.hide()

    def retranslate_ui(self) -> None:
        """Texts in the current UI language."""
        self.message.setText(_("Unsaved input is waiting on these pages:"))
        self.close_button.setText(_("Hide"))
        self.close_button.setAccessibleName(_("Hide the note on unsaved input"))
        for key, button in self.buttons.items():
            self._label(key, button)

    def show_waiting(self, keys: Sequence[str], title: Callable[[str], str]) -> None:
        """One button per page key in ``keys``, named by ``title``; hidden when none."""
        self.clear()
        self._title = title
        for key in keys:
            button = QPushButton()
            button.setObjectName(f"waiting_{key}")
            button.clicked.connect(lambda _checked=False, k=key: self.open_page.emit(k))
            self._label(key, button)
            self.row.insertWidget(self.row.count() - 1, button)
            self.buttons[key] = button
        self.setVisible(bool(self.buttons))

    def page_shown(self, key: str) -> None:
        """The page ``key`` is on screen now and offers its forms itself."""
        button = self.buttons.pop(key, None)
        if button is not None:
            button.deleteLater()
        if not self.buttons:
            self.hide()

    def clear(self) -> None:
        """Drop every button and hide (on lock, or when the guide closes the line)."""
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons.clear()
        self.hide()

    def _label(self, key: str, button: QPushButton) -> None:
        button.setText(self._title(key))
        button.setAccessibleName(
            _("Go to {page}, where unsaved input is waiting").format(page=self._title(key))
        )
