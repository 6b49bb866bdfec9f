"""Handout texts from the ministry (content packs): which pack is in use, importing a new one.

A pack is checked against the content keys of the installed provisioning
(:func:`kisi_desktop.bundles.content_packs.install_pack`: rollback, equivocation,
expiry...); a refusal names its reason code and leaves the pack in use as it was. A pack
that expired while the office was offline stays in use; the page's warning banner says so
(:func:`kisi_desktop.bundles.content_packs.pack_status`).

Signals:
    installed(): a pack was installed (the handouts use its texts from now on).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, format_date
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.content_packs import install_pack, pack_status
from kisi_desktop.bundles.limits import MAX_CONTENT_PACK_FILE
from kisi_desktop.bundles.provisioning import current_provisioning
from kisi_desktop.bundles.reasons import NOT_PROVISIONED, Rejected

from kisi_desktop.ui.pages.sync.messages import (
    close_quietly,
    error_text,
    message_box,
    read_outside,
)


class ContentPackBox(QGroupBox):
    """See the module docstring."""

    installed = Signal()

    def __init__(
        self, workspace: Callable[[], Workspace | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contentPackBox")
        self._workspace = workspace
        self.message: QMessageBox | None = None
        self.warning: str | None = None
        self._last_dir = Path.home()
        self.state = QLabel()
        self.state.setObjectName("contentPackState")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.import_button = QPushButton()
        self.import_button.setObjectName("contentPackImport")
        self.import_button.clicked.connect(lambda: self.import_file())
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the UI language."""
        self.setTitle(_("Handout texts from the ministry"))
        self.import_button.setText(_("Import content pac&k…"))
        self.import_button.setToolTip(
            _("Install a content pack of handout texts the ministry sent")
        )
        self.import_button.setAccessibleName(_("Import content pack"))
        self.refresh()

    def refresh(self) -> None:
        """Show the pack in use (or nothing while locked); keep its warning for the banner."""
        ws = self._workspace()
        self.import_button.setEnabled(ws is not None)
        self.warning = None
        if ws is None:
            self.state.clear()
            return
        status = pack_status(ws)
        if status is None:
            self.state.setText(
                _("No content pack: the handouts use the texts shipped with the app.")
            )
            return
        self.warning = status.warning
        self.state.setText(
            _("Content pack {pack} version {version}, made {made}, valid until {date}.").format(
                pack=status.pack_id,
                version=status.version,
                made=format_date(status.created.date()),
                date=format_date(status.expires),
            )
        )

    def abandon(self) -> None:
        """Locked: close an open message and show nothing."""
        close_quietly(self.message)
        self.message = None
        self.refresh()

    def import_file(self, path: Path | None = None) -> None:
        """Ask for the pack file (unless given), check it and use its texts."""
        if self._workspace() is None:
            return
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self,
                _("Import a content pack"),
                str(self._last_dir),
                _("Content packs (*.zip);;All files (*)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        self._last_dir = path.parent
        ws = self._workspace()
        if ws is None:
            return
        try:
            doc = current_provisioning(ws)
            if doc is None:
                raise Rejected(NOT_PROVISIONED, _("Import the ministry's provisioning file first."))
            result = install_pack(ws, read_outside(path, MAX_CONTENT_PACK_FILE), doc.content_keys)
        except UserError as error:
            self.message = message_box(
                self,
                QMessageBox.Icon.Warning,
                _("Content pack not installed"),
                error_text(error),
                "contentPackRefused",
            )
            return
        pack = result.pack
        if result.changed:
            text = _("Content pack {pack} version {version} installed; valid until {date}.").format(
                pack=pack.pack_id, version=pack.version, date=format_date(pack.expires)
            )
        else:
            text = _("Content pack {pack} version {version} is already installed.").format(
                pack=pack.pack_id, version=pack.version
            )
        self.refresh()
        if result.changed:
            self.installed.emit()
        self.message = message_box(
            self, QMessageBox.Icon.Information, _("Content pack"), text, "contentPackInstalled"
        )
