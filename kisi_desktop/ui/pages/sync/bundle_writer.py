"""Exporting a bundle from the Sync page, and writing one again, without freezing the window.

The vault is only touched on the UI thread, so the work is cut in three:

1. here, on the UI thread: choose the period, compute the payload, sign it and record it in
   the ledger (:func:`kisi_desktop.bundles.export.prepare_bundle`, one vault write; about a
   second for a three-year vault of 2,000 people, behind a busy progress dialog);
2. on a worker, with plain bytes only: encrypt to the ministry's recipients and write the
   file - temporary name, fsync, rename, read back and compare
   (:func:`kisi_desktop.bundles.export.write_verified`; a slow USB stick takes its time
   here, and the window keeps painting);
3. back here: mark the ledger entry exported with the file's hash, as
   :func:`kisi_desktop.bundles.export.write_bundle` does.

Cancel stops before the next step. A bundle cancelled after step 1 keeps its sequence
number and is written first by the next export (the core's rule for a crash in between).
A lock abandons the run: its answer is not shown and the vault is not touched.

Signals:
    finished(): an export or re-write ended (written, refused or cancelled); the ledger
        may have changed.
"""

from __future__ import annotations

import base64
import dataclasses
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _, format_number
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import (
    Cancelled,
    choose_period,
    pending_prepared,
    prepare_bundle,
    write_verified,
)
from kisi_desktop.bundles.manifest import sha256_hex
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.provisioning import current_provisioning
from kisi_desktop.bundles.reasons import NOT_PROVISIONED, Rejected

from kisi_desktop.ui.pages.base import Page
from kisi_desktop.ui.pages.sync.messages import close_quietly, error_text, message_box
from kisi_desktop.ui.widgets.progress import set_up_progress


@dataclass(frozen=True, slots=True)
class WriteJob:
    """Everything the worker needs, as plain values: no workspace."""

    entry_id: str
    seq: int
    profile: str
    recipients: tuple[str, ...]
    plaintext: bytes
    path: Path
    resumed: bool
    again: bool


@dataclass(frozen=True, slots=True)
class Written:
    """A bundle file written and read back."""

    path: Path
    size: int
    sha256: str


def write_job(job: WriteJob, cancel: threading.Event) -> Written:
    """Encrypt and write ``job`` (on a worker); :class:`Cancelled` if asked to stop first."""
    if cancel.is_set():
        raise Cancelled(_("Export cancelled."))
    data = profile(job.profile).encrypt(job.plaintext, job.recipients)
    if cancel.is_set():
        raise Cancelled(_("Export cancelled."))
    write_verified(job.path, data)
    return Written(job.path, len(data), sha256_hex(data))


def make_job(
    ws: Workspace, entry: BundleEntry, out_dir: Path, *, resumed: bool, again: bool
) -> WriteJob:
    """The worker's job for ``entry`` (UI thread: reads the provisioning from the vault)."""
    if not out_dir.is_dir():
        raise UserError(_("{folder} is not a folder.").format(folder=out_dir))
    doc = current_provisioning(ws)
    if doc is None:
        raise Rejected(
            NOT_PROVISIONED,
            _("Import the ministry's provisioning file first."),
        )
    return WriteJob(
        entry_id=entry.id,
        seq=entry.seq,
        profile=doc.profile,
        recipients=tuple(doc.age_recipients),
        plaintext=base64.b64decode(entry.payload_b64),
        path=out_dir / entry.file_name,
        resumed=resumed,
        again=again,
    )


def mark_written(ws: Workspace, entry_id: str, written: Written) -> BundleEntry:
    """Record in the ledger that the bundle's file exists (UI thread), as ``write_bundle`` does."""
    entry = ws.get(BundleEntry, entry_id)
    status = "exported" if entry.status == "prepared" else entry.status
    return ws.update(dataclasses.replace(entry, status=status, file_sha256=written.sha256))


def size_text(size: int) -> str:
    """A file size in KB (or bytes when small), in the UI language."""
    if size < 10_000:
        return _("{n} bytes").format(n=format_number(size))
    return _("{n} KB").format(n=format_number(round(size / 1000)))


class BundleWriter(QObject):
    """See the module docstring."""

    finished = Signal()

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.page = page
        self.running = False
        self.progress: QProgressDialog | None = None
        self.message: QMessageBox | None = None
        self.written_entry: str | None = None
        """The ledger entry the last run wrote, for the page to choose (then None again)."""
        self._cancel = threading.Event()
        self._generation = 0

    # ------------------------------------------------------------------ starting
    def export(self, out_dir: Path, period: str | None) -> None:
        """Export the next bundle (``period`` None: since the last one) into ``out_dir``."""
        if self.running or self.page.workspace is None:
            return
        self._start(_("Computing the figures…"))
        generation = self._generation
        # Let the progress dialog paint before the UI thread computes for a second.
        QTimer.singleShot(50, self, lambda: self._prepare(generation, out_dir, period))

    def write_again(self, entry_id: str, out_dir: Path) -> None:
        """Write the ledger's bundle ``entry_id`` again into ``out_dir`` (fresh encryption)."""
        ws = self.page.workspace
        if self.running or ws is None:
            return
        self._start(_("Encrypting and writing…"))
        try:
            entry = ws.get(BundleEntry, entry_id)
            job = make_job(ws, entry, out_dir, resumed=False, again=True)
        except UserError as error:
            self._stop()
            self._fail(error)
            return
        self._write(job)

    def _start(self, text: str) -> None:
        self.running = True
        self._cancel = threading.Event()
        dialog = QProgressDialog(self.page.window())
        # Busy, not a percentage: the steps take what they take, and setValue() on a modal
        # progress dialog would run the event loop in the middle of a vault write.
        set_up_progress(dialog, "exportProgress", _("Export for the ministry"), text)
        dialog.setCancelButtonText(_("Cancel"))
        dialog.canceled.connect(self._cancelled)
        self.progress = dialog
        dialog.show()

    def _cancelled(self) -> None:
        self._cancel.set()
        if self.progress is not None:
            self.progress.setLabelText(_("Cancelling…"))

    # ------------------------------------------------------------------ the steps
    def _prepare(self, generation: int, out_dir: Path, period: str | None) -> None:
        ws = self.page.workspace
        if generation != self._generation or ws is None:
            return
        if self._cancel.is_set():
            self._stop()
            self._inform(_("Export cancelled; nothing was recorded."))
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            waiting = pending_prepared(ws)
            if waiting is not None:
                entry, resumed = waiting, True
            else:
                if not out_dir.is_dir():
                    raise UserError(_("{folder} is not a folder.").format(folder=out_dir))
                chosen = choose_period(ws, period=period, since_last=period is None)
                entry, resumed = prepare_bundle(ws, chosen, cancelled=self._cancel.is_set), False
            job = make_job(ws, entry, out_dir, resumed=resumed, again=False)
        except UserError as error:
            self._stop()
            self._fail(error)
            return
        finally:
            QApplication.restoreOverrideCursor()
        if self.progress is not None:
            self.progress.setLabelText(_("Encrypting and writing…"))
        self._write(job)

    def _write(self, job: WriteJob) -> None:
        generation, cancel = self._generation, self._cancel

        def done(written: Any) -> None:
            if generation != self._generation:
                return
            self._written(job, written)

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            self._stop()
            if isinstance(error, Cancelled):
                self._inform(
                    _("Writing cancelled; nothing was written.")
                    if job.again
                    else _(
                        "Export cancelled. Bundle {seq} is recorded and will be written "
                        "first at the next export."
                    ).format(seq=job.seq)
                )
            elif isinstance(error, UserError):
                self._fail(error)
            else:
                raise error

        self.page.context.runner.run(lambda: write_job(job, cancel), done, failed)

    def _written(self, job: WriteJob, written: Written) -> None:
        ws = self.page.workspace
        if ws is None:
            self._stop()
            return
        try:
            entry = mark_written(ws, job.entry_id, written)
        except UserError as error:
            self._stop()
            self._fail(error)
            return
        self.written_entry = entry.id
        self._stop()
        lines = []
        if job.resumed:
            lines.append(_("A bundle prepared earlier had not been written; it is written now."))
        lines.append(
            _("Bundle {seq} written: {file} ({size}), checked after writing.").format(
                seq=entry.seq, file=written.path, size=size_text(written.size)
            )
        )
        lines.append(
            _(
                "Take it to the ministry on a USB stick or send it as an e-mail attachment; "
                "only the ministry can open it."
            )
        )
        self.page.status.emit(lines[-2])
        self.message = message_box(
            self.page,
            QMessageBox.Icon.Information,
            _("Export for the ministry"),
            "\n\n".join(lines),
            "exportDone",
        )

    # ------------------------------------------------------------------ ending
    def _stop(self) -> None:
        self.running = False
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancelled)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.finished.emit()

    def _fail(self, error: BaseException) -> None:
        self.message = message_box(
            self.page,
            QMessageBox.Icon.Warning,
            _("Export for the ministry"),
            error_text(error),
            "exportFailed",
        )

    def _inform(self, text: str) -> None:
        self.message = message_box(
            self.page,
            QMessageBox.Icon.Information,
            _("Export for the ministry"),
            text,
            "exportCancelled",
        )

    def abandon(self) -> None:
        """Locked: a write still running finishes, but reports nothing and touches nothing."""
        self._generation += 1
        self._cancel.set()
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancelled)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        close_quietly(self.message)
        self.message = None
        self.running = False
