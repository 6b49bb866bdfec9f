"""Closing a record form that holds typed input: the question that Esc or Cancel asks."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kisi_desktop.ui.forms.record_dialog import RecordDialog


def discard(qtbot: QtBot, dialog: RecordDialog) -> None:
    """Cancel the form and answer "Discard" to the question that follows."""
    dialog.reject()
    box = dialog.discard_question
    assert box is not None, "a form with typed input closed without asking"
    button = box.findChild(QPushButton, "confirmYes")
    assert isinstance(button, QPushButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
