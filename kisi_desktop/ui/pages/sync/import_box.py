"""What the Sync page's import boxes share: a state line, an import button, a file to pick.

The provisioning box and the content-pack box each show what is installed above a button
that imports a new file from the ministry. Both read the workspace through the callable
they are given (so they follow lock and unlock wherever they sit), open the file dialog in
the folder used last, and close the message they opened when the vault locks. What they
show (:meth:`ImportBox.refresh`) and how they install a file (:meth:`ImportBox.install`)
is each box's own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import N_, _
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.pages.sync.messages import close_quietly


class ImportBox(QGroupBox):
    """See the module docstring. Subclasses lay out with :meth:`_lay_out`."""

    OPEN_TITLE = ""
    """The file dialog's title (a msgid)."""
    FILE_FILTER = N_("All files (*)")
    """The file dialog's filter (a msgid)."""

    def __init__(
        self, name: str, workspace: Callable[[], Workspace | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Box")
        self._workspace = workspace
        self.message: QMessageBox | None = None
        self._last_dir = Path.home()
        self.state = QLabel()
        self.state.setObjectName(f"{name}State")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.import_button = QPushButton()
        self.import_button.setObjectName(f"{name}Import")
        self.import_button.clicked.connect(lambda: self.import_file())

    def _lay_out(self, *middle: QWidget) -> None:
        """The state line on top, then ``middle``, then the button at the left."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        for widget in middle:
            layout.addWidget(widget)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)

    def refresh(self) -> None:
        """Show what is installed now (or nothing while locked)."""
        raise NotImplementedError

    def abandon(self) -> None:
        """Locked: close the open message and show nothing installed."""
        close_quietly(self.message)
        self.message = None
        self.refresh()

    def import_file(self, path: Path | None = None) -> None:
        """Ask for the file (unless given), then :meth:`install` it."""
        if self._workspace() is None:
            return
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, _(self.OPEN_TITLE), str(self._last_dir), _(self.FILE_FILTER)
            )
            if not chosen:
                return
            path = Path(chosen)
        self._last_dir = path.parent
        self.install(path)

    def install(self, path: Path) -> None:
        """Check the file at ``path`` and install it, telling the guide what came of it."""
        raise NotImplementedError
