"""The one way the app asks before deleting: Delete or Keep, with Keep the default.

Enter or Escape, pressed out of habit, keeps the record; only a deliberate click or
Alt+L (Alt+D in English) deletes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from kisi_desktop.core.i18n import _


def ask_to_delete(
    parent: QWidget,
    title: str,
    text: str,
    answered: Callable[[bool], None],
    *,
    delete_text: str | None = None,
    keep_text: str | None = None,
) -> QMessageBox:
    """Open the question (window-modal, deleted when closed); ``answered(True)`` on
    Delete, ``answered(False)`` on Keep, Escape, or the box closed any other way (its
    title bar, a lock): the caller always hears once, and can forget the box."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName("confirmBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    yes = box.addButton(delete_text or _("&Delete"), QMessageBox.ButtonRole.DestructiveRole)
    no = box.addButton(keep_text or _("&Keep"), QMessageBox.ButtonRole.RejectRole)
    yes.setObjectName("confirmYes")
    no.setObjectName("confirmNo")
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    heard: list[bool] = []

    def once(delete: bool) -> None:
        if not heard:
            heard.append(delete)
            answered(delete)

    box.buttonClicked.connect(lambda button: once(button is yes))
    box.finished.connect(lambda _result: once(False))
    box.open()
    return box
