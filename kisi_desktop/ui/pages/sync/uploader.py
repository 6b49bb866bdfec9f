"""Uploading pending bundles from the Sync page, with the network on a worker.

:func:`kisi_desktop.bundles.upload.upload_pending` sends and records in one call; on a dead
line it waits up to ten seconds to connect and a minute per bundle, and it reads and
writes the vault, which may only happen on the UI thread. So the page splits it:

1. UI thread: the requests, every pending bundle encrypted afresh (plain bytes; as
   "Upload now" the guide pressed, the back-off schedule is ignored);
2. worker: send them one after another with the pinned HTTPS transport, stopping at the
   first bundle that got no answer, as ``upload_pending`` does; answers as plain values;
3. UI thread: ``upload_pending`` runs with a transport that hands back the recorded
   answers, so all ledger logic (receipts, duplicates, back-off, errors) stays in one
   place, and a bundle that was not sent is recorded as a failed attempt.

While it runs the window stays usable; the page disables its other sync actions. A lock
drops the answers unrecorded: the bundles stay pending and the next upload sends them again,
which the ministry answers with the first receipt (counted once). Answers that arrive while
a worker renews the keys (``Session.lend``) are recorded once it is back.

Signals:
    finished(): an upload round ended; the ledger may have changed.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _, ngettext
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.limits import MAX_UPLOAD_BODY
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.provisioning import current_provisioning
from kisi_desktop.bundles.receipt_reasons import ministry_reason
from kisi_desktop.bundles.upload import (
    NETWORK,
    Answer,
    Request,
    TransportError,
    UploadOutcome,
    endpoint_url,
    https_transport,
    is_due,
    pending_uploads,
    upload_pending,
)

from kisi_desktop.ui.pages.base import Page
from kisi_desktop.ui.pages.sync.messages import close_quietly, error_text, message_box

Results = dict[str, Answer | TransportError]
# How often answers that arrived while the keys were being renewed try to be recorded.
RECORD_RETRY_MS = 200
OUTCOME_LABELS = {
    "confirmed": N_("confirmed"),
    "rejected": N_("refused by the ministry"),
    "held": N_("held by the ministry"),
    "failed": N_("not delivered, tried again later"),
}


def requests_for(ws: Workspace, *, due_only: bool = False) -> list[Request]:
    """Every pending bundle as an upload request (UI thread); empty without an intake server.

    With ``due_only`` only the bundles whose back-off has run out (the automatic round).
    """
    doc = current_provisioning(ws)
    if doc is None or not doc.intake_url or not doc.spki_pins:
        return []
    url = endpoint_url(doc.intake_url)
    crypto = profile(doc.profile)
    return [
        Request(
            url,
            tuple(doc.spki_pins),
            crypto.encrypt(base64.b64decode(entry.payload_b64), doc.age_recipients),
            entry.file_name,
        )
        for entry in pending_uploads(ws)
        if not due_only or is_due(entry, ws.clock.now())
    ]


def send_all(requests: list[Request], transport: Callable[[Request], Answer]) -> Results:
    """Send ``requests`` in order (on a worker), up to the first that got no answer."""
    results: Results = {}
    for request in requests:
        if len(request.body) > MAX_UPLOAD_BODY:
            continue  # upload_pending records it as too large without sending
        try:
            results[request.file_name] = transport(request)
        except TransportError as error:
            results[request.file_name] = error
            break
    return results


def replay(results: Results) -> Callable[[Request], Answer]:
    """A transport that answers as the worker's round did."""

    def answer(request: Request) -> Answer:
        found = results.get(request.file_name)
        if found is None:
            raise TransportError(NETWORK, _("Not sent: the upload round stopped before it."))
        if isinstance(found, TransportError):
            raise found
        return found

    return answer


def outcome_line(outcome: UploadOutcome) -> str:
    """One bundle's result in words."""
    label = _(OUTCOME_LABELS.get(outcome.status, outcome.status))
    line = _("Bundle {seq}: {result}").format(seq=outcome.seq, result=label)
    # The ministry's own words when it gave them, else the reason in ours: never the bare
    # reason code ("revoked_key"), which a guide cannot act on.
    if outcome.message:
        line += " – " + outcome.message
    elif outcome.reason_code:
        line += " – " + ministry_reason(outcome.reason_code)
    return line


class Uploader(QObject):
    """See the module docstring."""

    finished = Signal()

    def __init__(
        self, page: Page, transport: Callable[[Request], Answer] = https_transport
    ) -> None:
        super().__init__(page)
        self.page = page
        self.transport = transport
        self.running = False
        self.message: QMessageBox | None = None
        self._generation = 0

    def available(self, ws: Workspace | None) -> bool:
        """Whether the provisioning names an intake server (else bundles travel as files)."""
        if ws is None:
            return False
        try:
            doc = current_provisioning(ws)
        except UserError:
            return False
        return doc is not None and bool(doc.intake_url)

    def upload(self, *, automatic: bool = False) -> None:
        """Send every pending bundle now; the results are recorded and shown when done.

        ``automatic`` is the page's timer: only bundles whose back-off has run out, and
        the result goes to the status bar, not into a dialog nobody asked for.
        """
        ws = self.page.workspace
        if self.running or ws is None:
            return
        try:
            requests = requests_for(ws, due_only=automatic)
        except UserError as error:
            if not automatic:
                self._show(QMessageBox.Icon.Warning, error_text(error), "uploadFailed")
            return
        if not requests:
            if not automatic:
                self._record({})  # says why: no provisioning, no server, or nothing pending
            return
        self.running = True
        self.page.status.emit(
            ngettext(
                "Uploading {n} bundle to the ministry…",
                "Uploading {n} bundles to the ministry…",
                len(requests),
            ).format(n=len(requests))
        )
        generation, transport = self._generation, self.transport

        def done(results: Any) -> None:
            self._record_when_free(generation, results, automatic)

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            self.running = False
            self.finished.emit()
            raise error  # the transport raises only TransportError, caught in send_all

        self.page.context.runner.run(lambda: send_all(requests, transport), done, failed)
        self.finished.emit()  # the page disables the other actions meanwhile

    def _record_when_free(self, generation: int, results: Results, automatic: bool) -> None:
        """Record the answers, once no worker holds the workspace (``Session.lend``: the
        keys are being renewed, and the vault is written on the worker's thread)."""
        if generation != self._generation:
            return  # locked meanwhile: sent again next time
        if self.page.context.session.lent:
            QTimer.singleShot(
                RECORD_RETRY_MS,
                self,
                lambda: self._record_when_free(generation, results, automatic),
            )
            return
        self.running = False
        self._record(results, automatic=automatic)

    def _record(self, results: Results, *, automatic: bool = False) -> None:
        ws = self.page.workspace
        if ws is None:
            return
        pending = bool(pending_uploads(ws))
        try:
            outcomes = upload_pending(ws, transport=replay(results), force=not automatic)
        except UserError as error:
            self.finished.emit()
            if not automatic:
                self._show(QMessageBox.Icon.Warning, error_text(error), "uploadFailed")
            return
        self.finished.emit()
        if automatic:
            confirmed = sum(o.status == "confirmed" for o in outcomes)
            self.page.status.emit(
                ngettext(
                    "Automatic upload: {done} of {n} bundle confirmed by the ministry.",
                    "Automatic upload: {done} of {n} bundles confirmed by the ministry.",
                    len(outcomes),
                ).format(done=confirmed, n=len(outcomes))
            )
            return
        if not outcomes:
            text = (
                _("Nothing was sent.")
                if pending
                else _("Nothing to upload: every bundle has the ministry's answer.")
            )
            self._show(QMessageBox.Icon.Information, text, "uploadDone")
            return
        delivered = all(o.status in ("confirmed", "rejected") for o in outcomes)
        self._show(
            QMessageBox.Icon.Information if delivered else QMessageBox.Icon.Warning,
            "\n".join(outcome_line(o) for o in outcomes),
            "uploadDone",
        )
        self.page.status.emit(_("Upload finished."))

    def _show(self, icon: QMessageBox.Icon, text: str, name: str) -> None:
        close_quietly(self.message)
        self.message = message_box(self.page, icon, _("Upload to the ministry"), text, name)

    def abandon(self) -> None:
        """Locked: answers still coming are dropped, unrecorded (sent again next time)."""
        self._generation += 1
        self.running = False
        close_quietly(self.message)
        self.message = None
