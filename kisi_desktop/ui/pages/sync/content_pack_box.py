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

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _, format_date
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.content_packs import install_pack, pack_status
from kisi_desktop.bundles.limits import MAX_CONTENT_PACK_FILE
from kisi_desktop.bundles.pack_changes import change_lines
from kisi_desktop.bundles.provisioning import current_provisioning
from kisi_desktop.bundles.reasons import NOT_PROVISIONED, Rejected

from kisi_desktop.ui.pages.sync.import_box import ImportBox
from kisi_desktop.ui.pages.sync.messages import error_text, message_box, read_outside


class ContentPackBox(ImportBox):
    """See the module docstring."""

    installed = Signal()
    OPEN_TITLE = N_("Import a content pack")
    FILE_FILTER = N_("Content packs (*.zip);;All files (*)")

    def __init__(
        self, workspace: Callable[[], Workspace | None], parent: QWidget | None = None
    ) -> None:
        super().__init__("contentPack", workspace, parent)
        self.warning: str | None = None
        self._lay_out()
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

    def install(self, path: Path) -> None:
        """Check the pack file and use its texts."""
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
            text = "\n\n".join([text, *change_lines(result)])
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
