"""The question after unlocking a vault file older than the one last locked here.

The guide decides (core/older_copy.py): lock, and put the newer file back, or go on with
this one, whose next bundle then starts a new series for the ministry. Locking is the
default and what Esc does: going on is the step that cannot be taken back. Until the
guide answers nothing is marked, so the question comes again at the next unlock. The box
opens with ``open()`` (window-modal, not blocking): auto-lock and workers go on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from kisi_desktop.core.i18n import _
from kisi_desktop.core.older_copy import OlderCopy, older_copy_message

OBJECT_NAME = "olderCopy"


def ask_about_older_copy(
    parent: QWidget, found: OlderCopy, lock: Callable[[], None], go_on: Callable[[], None]
) -> QMessageBox:
    """Open the question over ``parent``; ``lock`` or ``go_on`` runs with the answer."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Older copy of the vault"), "", parent=parent)
    box.setObjectName(OBJECT_NAME)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(older_copy_message(found))
    lock_button = box.addButton(_("&Lock the vault"), QMessageBox.ButtonRole.RejectRole)
    go_on_button = box.addButton(_("&Go on with this file"), QMessageBox.ButtonRole.AcceptRole)
    lock_button.setObjectName("olderCopyLock")
    go_on_button.setObjectName("olderCopyGoOn")
    box.setDefaultButton(lock_button)
    box.setEscapeButton(lock_button)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered() -> None:
        if box.clickedButton() is go_on_button:
            go_on()
        else:
            lock()

    box.finished.connect(answered)
    box.open()
    return box
