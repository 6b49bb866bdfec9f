"""Helpers for GUI tests that run background tasks: hold a task back, flush deferred deletes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject

WAIT_FOR_TASK_S = 5.0


def flush_deletions() -> None:
    """Run pending ``deleteLater()`` calls now.

    Dialogs closed during a test are deleted later; ``processEvents()`` does not run
    deferred deletions, so tests flush them before they let go of the objects involved.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class HeldRunner(QObject):
    """A TaskRunner stand-in that keeps each task until the test calls :meth:`release`.

    Lets a test look at (or act on) the screen while a task is still "running".
    """

    def __init__(self) -> None:
        super().__init__()
        self.held: list[tuple[Callable[[], Any], Callable[[Any], None], Any]] = []

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Any) -> None:
        self.held.append((fn, on_done, on_error))

    def busy(self) -> bool:
        return bool(self.held)

    def release(self) -> None:
        """Run the oldest held task now, on this thread, and report as the runner would.

        A page may hand its task over a turn of the event loop later (a read begins after
        the page painted), so this waits for one to arrive, as a guide would.
        """
        deadline = time.monotonic() + WAIT_FOR_TASK_S
        while not self.held:
            if time.monotonic() > deadline:
                raise AssertionError("no background task was started")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            time.sleep(0.002)
        fn, on_done, on_error = self.held.pop(0)
        try:
            result = fn()
        except Exception as exc:
            on_error(exc)
        else:
            on_done(result)
