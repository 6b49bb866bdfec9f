"""The Sync page's warning banner: what is overdue or missing, one sentence per line.

No bundle for weeks or a receipt missing (:func:`kisi_desktop.bundles.export.overdue`), no
provisioning file yet, demo keys, an expired provisioning file, and an installed content
pack that expired while the office was offline (still in use). Hidden when all is well.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from kisi_desktop.core.clock import today
from kisi_desktop.core.i18n import _, format_date
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import overdue
from kisi_desktop.bundles.provisioning import Provisioning

from kisi_desktop.ui.widgets.banner import style_as_banner


def sync_warnings(
    ws: Workspace, doc: Provisioning | None, content_warning: str | None
) -> list[str]:
    """Every warning for the Sync page, most pressing first."""
    lines = list(overdue(ws))
    if doc is None:
        lines.append(
            _(
                "The ministry's provisioning file is not installed yet: import it "
                "before the first export."
            )
        )
    else:
        if doc.demo:
            lines.append(_("DEMO keys: bundles made with them are for trying out only."))
        if doc.expires < today(ws.clock):
            lines.append(
                _("The provisioning file expired on {day}; ask the ministry for a new one.").format(
                    day=format_date(doc.expires)
                )
            )
    if content_warning:
        lines.append(content_warning)
    return lines


class WarningBanner(QFrame):
    """What is overdue or missing, one sentence per line; hidden when all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_as_banner(self, "syncWarnings")
        self.text = QLabel()
        self.text.setObjectName("syncWarningText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        self.lines: list[str] = []
        self.hide()

    def show_lines(self, lines: list[str]) -> None:
        """Show ``lines`` (or hide when there are none)."""
        self.lines = list(lines)
        self.text.setText("\n".join(f"⚠ {line}" for line in lines))
        self.setVisible(bool(lines))
