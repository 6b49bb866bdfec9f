"""Answering the real modal dialog a click opens (a question, a save dialog), as a guide would.

Qt's static dialogs (``QMessageBox.question``, ``QFileDialog.getSaveFileName``) run an event
loop of their own until answered. :func:`answer_next_modal` schedules the answer before the
click: a timer in that loop finds the dialog and hands it to ``answer``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def answer_next_modal(answer: Callable[[QWidget], None], *, within_ms: int = 5000) -> list[QWidget]:
    """Answer the next modal dialog with ``answer(dialog)``; the list gets the dialog seen."""
    seen: list[QWidget] = []
    waited = [0]

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            waited[0] += 20
            if waited[0] < within_ms:
                QTimer.singleShot(20, look)
            return
        seen.append(dialog)
        answer(dialog)

    QTimer.singleShot(0, look)
    return seen
