"""The About box: version, licences, and which vault file this window works on."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from kisi_desktop.core.i18n import _

from kisi_desktop import __version__


def about_text(vault_path: Path) -> str:
    """The About text (Qt rich text), in the UI language."""
    parts = [
        f"<h3>KISI Desktop {html.escape(__version__)}</h3>",
        "<p>"
        + html.escape(
            _(
                "Offline case notes, multilingual handouts and AMIF reporting for the "
                "KISI Integrationsguides in Hessen."
            )
        )
        + "</p>",
        "<p>" + html.escape(_("Vault file: {path}").format(path=vault_path)) + "</p>",
        "<p>"
        + html.escape(
            _(
                "Licences: Qt for Python (PySide6) under the GNU LGPL v3; Noto fonts under "
                "the SIL Open Font License 1.1. The licence texts are shipped with the program."
            )
        )
        + "</p>",
    ]
    return "\n".join(parts)


def show_about(parent: QWidget, vault_path: Path) -> QMessageBox:
    """Show the About box (window-modal, not blocking) and return it."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(_("About KISI Desktop"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(vault_path))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
