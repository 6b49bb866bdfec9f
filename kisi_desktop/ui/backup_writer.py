"""File → Make a backup…: the vault copied into a folder (a USB stick) on a worker.

The UI thread only reads what the copy needs (the vault's path, id and audit entry); the
worker copies ciphertext, page by page, with a progress bar the guide can watch on a slow
stick. The answer names the file, its size and the old backups it replaced, and says
what opens it. The folder and the day are remembered in the settings file: the next
backup starts in the same folder, and the window reminds the guide after a month without.

Signals:
    finished(): a backup ended (written or failed).
    status(str): a line for the window's status bar (where the backup went: it replaces
        the reminder that no backup was made, which the guide may have just followed).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from kisi_desktop.core.clock import today
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, format_number, ngettext
from kisi_desktop.core.settings import load_settings, remember_backup

from kisi_desktop.ui.session import Session
from kisi_desktop.ui.widgets.progress import close_progress, set_up_progress, show_progress
from kisi_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from kisi_desktop.core.backup import BackupJob, BackupMade
    from kisi_desktop.core.restore import Restored

# After this many days without a backup the window reminds the guide once per unlock.
REMIND_AFTER_DAYS = 30


class BackupWriter(QObject):
    """See the module docstring."""

    finished = Signal()
    status = Signal(str)
    _progressed = Signal(int, int)  # emitted on the worker, delivered here

    def __init__(self, parent: QWidget, session: Session, runner: TaskRunner) -> None:
        super().__init__(parent)
        self._parent = parent
        self._session = session
        self._runner = runner
        self.running = False
        self.progress: QProgressDialog | None = None
        self.message: QMessageBox | None = None
        self._progressed.connect(self._show_progress)

    def ask_and_write(self) -> None:
        """Ask for the folder (starting at the last one), then write the backup there."""
        if self.running or self._session.workspace is None:
            return
        start = load_settings().backup_folder or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(
            self._parent, _("Folder for the backup (a USB stick)"), start
        )
        if chosen:
            self.write(Path(chosen))

    def write(self, folder: Path) -> None:
        """Write a backup into ``folder`` on a worker, with a progress bar."""
        workspace = self._session.workspace
        if self.running or workspace is None:
            return
        # Imported on first use, not at every start (7 ms of the window's start-up).
        from kisi_desktop.core.backup import plan_backup, write_backup

        job = plan_backup(workspace, folder)
        day = today(workspace.clock)
        self.running = True
        self.progress = self._progress_dialog()
        self._runner.run(
            lambda: write_backup(job, progress=self._progressed.emit),
            lambda made: self._written(job, made, day),
            self._failed,
        )

    def _progress_dialog(self) -> QProgressDialog:
        dialog = QProgressDialog(self._parent)
        set_up_progress(dialog, "backupProgress", _("Backup"), _("Writing the backup…"))
        # No cancel: SQLite's copy runs to its end, and a half-written copy is removed
        # anyway; a slow stick shows how far it got.
        dialog.setCancelButton(None)
        dialog.show()
        return dialog

    def _show_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            show_progress(self.progress, done, total)

    def _written(self, job: BackupJob, made: BackupMade, day: date) -> None:
        self._stop()
        remember_backup(job.folder, day)
        self.status.emit(_("Backup written: {path}").format(path=made.path))
        lines = [
            # The path on a line of its own: it is long, and the guide looks for it.
            _("The backup was written ({size} MB):").format(
                size=format_number(round(made.size / 1e6, 1))
            )
            + f"\n{made.path}",
            _(
                "It opens only with today's passphrase or the recovery code. Keep the "
                "stick locked away, apart from the laptop."
            ),
        ]
        if made.removed:
            lines.append(
                ngettext(
                    "Removed {n} backup older than 90 days from this folder.",
                    "Removed {n} backups older than 90 days from this folder.",
                    len(made.removed),
                ).format(n=len(made.removed))
            )
        self._tell(QMessageBox.Icon.Information, "\n\n".join(lines))

    def tell_restored(self, restored: Restored) -> None:
        """Say, once the restored vault is open, which day it is from and what that means."""
        from kisi_desktop.core.restore import restore_report

        self._tell(QMessageBox.Icon.Information, "\n\n".join(restore_report(restored)))

    def _failed(self, error: BaseException) -> None:
        self._stop()
        if not isinstance(error, UserError):
            raise error
        self._tell(QMessageBox.Icon.Warning, str(error))

    def _stop(self) -> None:
        self.running = False
        close_progress(self.progress)
        self.progress = None

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(icon, _("Backup"), text, QMessageBox.StandardButton.Ok, self._parent)
        box.setObjectName("backupMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = box
        box.open()
        self.finished.emit()


def backup_reminder(last: date | None, now: date) -> str | None:
    """What the status bar says after unlocking when no backup was made for a month."""
    if last is None:
        return _("No backup has been made on this computer yet: File → Make a backup…")
    days = (now - last).days
    if days < REMIND_AFTER_DAYS:
        return None
    return _("The last backup is {n} days old: File → Make a backup…").format(n=days)
