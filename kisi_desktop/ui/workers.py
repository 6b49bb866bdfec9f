"""Background work for the GUI: run a plain function on a worker, report on the UI thread.

Key derivation, unlocking, demo generation and exports take from half a second to minutes;
the window must keep painting meanwhile. ``TaskRunner.run`` takes plain callables (the core
knows nothing of Qt) and delivers the result or the exception through one queued signal.

One relay object per runner, not one per task: creating and deleting a QObject per task
(``deleteLater``) crashed when a runner went away with deletions still pending.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Carries a task's outcome from the worker thread to the UI thread.

    Signals:
        finished(int, bool, object): task number, success, result or exception.
    """

    finished = Signal(int, bool, object)


class _Task(QRunnable):
    def __init__(self, number: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._number = number
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            outcome: tuple[bool, Any] = (True, self._fn())
        except BaseException as exc:  # handed to the UI thread, which decides
            outcome = (False, exc)
        try:
            self._relay.finished.emit(self._number, *outcome)
        except RuntimeError:
            # The runner (and its relay) went away while this ran: the app is closing and
            # nobody waits for the answer any more.
            return


class TaskRunner(QObject):
    """Runs functions off the UI thread and calls back on the thread that owns the runner."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._numbers = itertools.count(1)
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Call ``fn()`` on a worker, then ``on_done(result)`` or ``on_error(exc)`` here."""
        number = next(self._numbers)
        self._pending[number] = (on_done, on_error)
        self._pool.start(_Task(number, fn, self._relay))

    def _deliver(self, number: int, ok: bool, value: Any) -> None:
        callbacks = self._pending.pop(number, None)
        if callbacks is None:
            return
        on_done, on_error = callbacks
        if ok:
            on_done(value)
        else:
            on_error(value)

    def busy(self) -> bool:
        """True while a task has not reported back."""
        return bool(self._pending)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pool is idle (tests and shutdown only)."""
        return self._pool.waitForDone(msecs)
