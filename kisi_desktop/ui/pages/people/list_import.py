"""The People page's "Import from a list…": pick the file, read it, show it, add everyone.

Reading and checking a list of 5,000 rows takes a quarter of a second and more, so it
runs on a worker (:class:`~kisi_desktop.ui.pages.background_read.BackgroundRead`) over a
read copy of the vault, which also knows who is in it already; a file that is no list
says why in a box. The dialog (``people_list_dialog.py``) shows what the list holds; a
new length for the first contacts reads it again.

Adding runs on the UI thread: a workspace belongs to that thread, never to a worker
(CONTRIBUTING, "A workspace belongs to the UI thread"; an erasure on a worker once
deadlocked against draft saves), and the core stores the whole list in one transaction,
which cannot be cut into pieces with the window answering in between. 5,000 people with
their first contacts take about 0.7 s on a development laptop, so the dialog first shows
that it is adding (buttons off, a busy cursor, painted before the work begins) and the
window answers again as soon as they are stored.

Signals:
    status(str): a message for the window's status bar.
    added(): people were added: the page reloads its list and tells the other pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Person
from kisi_desktop.core.errors import KisiError, UserError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.people_list import PeopleList, add_people, added_message, read_people_list
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.pages.background_read import BackgroundRead
from kisi_desktop.ui.pages.people.people_list_dialog import DEFAULT_MINUTES, PeopleListDialog
from kisi_desktop.ui.workers import TaskRunner


class ListImport(QObject):
    """See the module docstring.

    Args:
        workspace: the open workspace now, or None while locked.
        show_dialog: opens the dialog as the page's one open dialog (closed at a lock).
    """

    status = Signal(str)
    added = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        workspace: Callable[[], Workspace | None],
        show_dialog: Callable[[QDialog], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._workspace = workspace
        self._show_dialog = show_dialog
        # (No page as parent: the page is shown already, and the first read need not
        # wait for a paint.)
        self.reader = BackgroundRead(runner, self)
        self.dialog: PeopleListDialog | None = None
        self.box: QMessageBox | None = None
        self.last_dir = Path.home()

    def start(self, path: Path | None = None) -> None:
        """Ask for the list (unless ``path`` is given), then read it and show the dialog."""
        if self._workspace() is None or self.reader.busy or self.dialog is not None:
            return
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self._parent,
                _("Import from a list"),
                str(self.last_dir),
                _("CSV or Excel lists (*.csv *.xlsx)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        self.last_dir = path.parent
        self.status.emit(_("Reading the list {name}…").format(name=path.name))
        self._read(path, DEFAULT_MINUTES, lambda listed: self._opened(path, listed))

    def abandon(self) -> None:
        """The vault locked: drop a read under way and close the box (the page closes the
        dialog as it closes its other dialogs)."""
        self.reader.abandon()
        self.dialog = None
        if self.box is not None and shiboken6.isValid(self.box):
            self.box.close()
        self.box = None

    # ------------------------------------------------------------------ reading
    def _read(self, path: Path, minutes: int, done: Callable[[PeopleList], None]) -> None:
        workspace = self._workspace()
        if workspace is None:
            return
        day = today(workspace.clock)

        def read(copy: Workspace) -> PeopleList:
            # On the worker, over the copy: the people in the vault as the list is read.
            return read_people_list(
                path, copy.ref, copy.list(Person), today=day, first_contact_minutes=minutes
            )

        self.reader.start(workspace, read, done, self._failed)

    def _opened(self, path: Path, listed: PeopleList) -> None:
        workspace = self._workspace()
        if workspace is None:
            return
        self.status.emit("")
        dialog = PeopleListDialog(path, DEFAULT_MINUTES, workspace.ref, self._parent)
        dialog.show_list(listed)
        dialog.minutes_changed.connect(lambda minutes: self._read_again(path, minutes))
        dialog.add_requested.connect(self._add)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        self._show_dialog(dialog)

    def _read_again(self, path: Path, minutes: int) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        dialog.set_reading()
        self._read(path, minutes, dialog.show_list)

    def _closed(self, dialog: PeopleListDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
            self.reader.abandon()  # (a read for the closed dialog answers nobody)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            raise error  # a bug: the crash dialog, without personal data
        if self._workspace() is None:
            return  # locked meanwhile: nothing opens over the unlock screen
        if self.dialog is not None:  # read again, and the file is gone or changed
            self.dialog.reject()
        self.status.emit("")
        self._tell(_("List not read"), str(error))

    # ------------------------------------------------------------------ adding
    def _add(self) -> None:
        dialog = self.dialog
        if dialog is None or dialog.listed is None or not dialog.listed.ready:
            return
        dialog.set_adding()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        # A turn of the event loop first, so that the dialog says it is adding before the
        # window stops answering for the write.
        QTimer.singleShot(0, self, lambda: self._add_now(dialog))

    def _add_now(self, dialog: PeopleListDialog) -> None:
        workspace = self._workspace()
        listed = dialog.listed if self.dialog is dialog else None
        if workspace is None or listed is None:
            QApplication.restoreOverrideCursor()
            return  # locked, or the dialog closed, in that turn: nothing is added
        try:
            count = add_people(workspace, listed)
        except KisiError as error:
            dialog.show_list(listed)
            self._tell(_("Not added"), _("That did not work: {error}").format(error=error))
            return
        finally:
            QApplication.restoreOverrideCursor()
        dialog.accept()
        self.added.emit()
        self.status.emit(added_message(count))

    def _tell(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.dialog or self._parent)
        box.setObjectName("peopleListMessage")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: setattr(self, "box", None))
        self.box = box
        box.open()
