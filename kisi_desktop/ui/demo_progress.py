"""Making the demo vault on first ``--demo`` start, on a worker, behind a small progress dialog.

Key derivation plus a few hundred made-up people take one to three seconds; done on the UI
thread the app would look frozen before its first window. The generator reports
``progress(done, total)`` from the worker thread; a signal carries it to the dialog, which
Qt queues onto the UI thread.

Signals (of the internal relay):
    progressed(int, int): people made so far, people in total.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from kisi_desktop.core.demo.vault import ensure_demo_vault
from kisi_desktop.core.demo.wording import MAKING_DEMO_VAULT
from kisi_desktop.core.i18n import _

from kisi_desktop.ui.widgets.progress import set_up_progress, show_progress
from kisi_desktop.ui.workers import TaskRunner

MakeDemo = Callable[..., bool]


class _ProgressRelay(QObject):
    progressed = Signal(int, int)


class DemoProgressDialog(QProgressDialog):
    """Busy until the first figures arrive, then people made / total; cannot be cancelled.

    Closing it half-way would leave a half-filled demo vault, so Esc and the close button
    are ignored while the worker runs.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_up_progress(
            self,
            "demoProgress",
            _("KISI Desktop demo"),
            _(MAKING_DEMO_VAULT),
            Qt.WindowModality.ApplicationModal,
        )
        self.setCancelButton(None)
        self.running = True

    def show_progress(self, done: int, total: int) -> None:
        """Switch from busy to a real bar once the generator reports."""
        show_progress(self, done, total)

    def reject(self) -> None:
        """Ignored while the demo vault is being made."""
        if not self.running:
            super().reject()

    def finish(self) -> None:
        """The worker is done: close the dialog."""
        self.running = False
        self.done(0)


def build_demo_vault(
    path: Path,
    runner: TaskRunner,
    *,
    make: MakeDemo = ensure_demo_vault,
    parent: QWidget | None = None,
) -> bool:
    """Make the demo vault at ``path`` unless it exists, showing progress; True if made now.

    Blocks the caller (start-up, before the main window shows) in the dialog's own event
    loop, so the window system keeps getting answers. Errors from the worker are raised
    here, on the UI thread.
    """
    if path.exists():
        return False
    dialog = DemoProgressDialog(parent)
    relay = _ProgressRelay(dialog)
    relay.progressed.connect(dialog.show_progress)
    outcome: dict[str, Any] = {}

    def done(made: Any) -> None:
        outcome["made"] = bool(made)
        dialog.finish()

    def failed(error: BaseException) -> None:
        outcome["error"] = error
        dialog.finish()

    runner.run(lambda: make(path, progress=relay.progressed.emit), done, failed)
    if runner.busy():
        dialog.exec()
    # Destroy the dialog (and the relay, its child) here, on the UI thread. Left to Python,
    # they may sit in a reference cycle (an error's traceback holds this frame) until the
    # cyclic garbage collector runs, which may happen on a worker thread: deleting a widget
    # there crashes Qt (seen in tests).
    shiboken6.delete(dialog)
    if "error" in outcome:
        raise outcome["error"]
    return bool(outcome.get("made"))
