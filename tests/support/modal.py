"""Answering the real modal dialog a click opens (a question, a save dialog), as a guide would.

Qt's static dialogs (``QMessageBox.question``, ``QFileDialog.getSaveFileName``) run an event
loop of their own until answered. :func:`answer_next_modal` schedules the answer before the
click: a timer in that loop finds the dialog and hands it to ``answer``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shiboken6 import isValid

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget


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


STUCK_MS = 2000


class FileDialogAnswers(QObject):
    """Answers every file dialog the window opens, with the choice a test set last.

    Each answer goes through Qt's own dialog (the app uses no native ones), so the app's
    title, folder, filters and suffix are all in play, as for a guide: the dialog is filled
    in and accepted as if the name had been typed. Without an answer set, or if the dialog
    refuses the answer and stays open, it is cancelled and the test fails at :meth:`check`.
    """

    def __init__(self) -> None:
        super().__init__()
        self._answer: Callable[[QFileDialog], None] | None = None
        self.seen: list[QFileDialog] = []
        self.suggested: list[str] = []
        """The file name each dialog offered before it was answered."""
        self.unanswered = 0
        self._open_after_answer = 0
        self._timer = QTimer(self)
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def stop(self) -> None:
        """No more answers (the test is over)."""
        self._timer.stop()

    def check(self) -> None:
        """Fail if a dialog came while no answer was set."""
        assert self.unanswered == 0, f"{self.unanswered} file dialog(s) unexpected or stuck"

    def folder(self, folder: Path) -> None:
        """Choose ``folder`` in the next folder dialogs."""

        def choose(dialog: QFileDialog) -> None:
            assert dialog.fileMode() == QFileDialog.FileMode.Directory, dialog.windowTitle()
            dialog.setDirectory(str(folder))
            type_file_name(dialog, "")  # (nothing typed: the folder shown is the one chosen)
            dialog.accept()

        self._answer = choose

    def open(self, *paths: Path) -> None:
        """Choose ``paths`` (one, or several in one folder) in the next open dialogs."""
        folders = {path.parent for path in paths}
        assert len(folders) == 1, "a file dialog chooses files from one folder"

        def choose(dialog: QFileDialog) -> None:
            mode = dialog.fileMode()
            many = QFileDialog.FileMode.ExistingFiles
            assert mode == many or (len(paths) == 1 and mode == QFileDialog.FileMode.ExistingFile)
            dialog.setDirectory(str(paths[0].parent))
            names = [path.name for path in paths]
            type_file_name(
                dialog, " ".join(f'"{n}"' for n in names) if len(names) > 1 else names[0]
            )
            dialog.accept()

        self._answer = choose

    def save(self, path: Path) -> None:
        """Type ``path`` into the next save dialogs."""

        def choose(dialog: QFileDialog) -> None:
            assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave, dialog.windowTitle()
            dialog.setDirectory(str(path.parent))
            type_file_name(dialog, path.name)
            dialog.accept()

        self._answer = choose

    def cancel(self) -> None:
        """Cancel the next file dialogs, as a guide who changed their mind."""
        self._answer = lambda dialog: dialog.reject()

    def answer_with(self, answer: Callable[[QFileDialog], None]) -> None:
        """Answer the next file dialogs with ``answer(dialog)``."""
        self._answer = answer

    def _look(self) -> None:
        if self._stuck():
            return
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog) or not dialog.isVisible() or dialog in self.seen:
            return
        self._open_after_answer = 0
        self.seen.append(dialog)
        offered = dialog.selectedFiles()
        self.suggested.append(Path(offered[0]).name if offered else "")
        if self._answer is None:
            self.unanswered += 1
            dialog.reject()
            return
        # Answered from a turn of its own: an answer the dialog refuses opens a warning
        # with its own event loop, in which this timer must go on looking.
        answer = self._answer
        QTimer.singleShot(0, self, lambda: answer(dialog))

    def _stuck(self) -> bool:
        """A dialog still open after its answer (a folder that does not exist, and Qt's
        warning about it on top): a guide would be stuck there too. After a while both are
        closed, and the test fails at :meth:`check`."""
        open_dialogs = [d for d in self.seen if isValid(d) and d.isVisible()]
        if not open_dialogs:
            self._open_after_answer = 0
            return False
        self._open_after_answer += 1
        if self._open_after_answer * self._timer.interval() < STUCK_MS:
            return True
        self._open_after_answer = 0
        self.unanswered += 1
        on_top = QApplication.activeModalWidget()
        if on_top is not None and on_top not in open_dialogs:
            on_top.close()
        for dialog in open_dialogs:
            dialog.reject()
        return True


def type_file_name(dialog: QFileDialog, text: str) -> None:
    """Type into the dialog's file name field, as a guide would."""
    field = dialog.findChild(QLineEdit, "fileNameEdit")
    assert field is not None, "Qt's own file dialog has a file name field"
    field.setText(text)
