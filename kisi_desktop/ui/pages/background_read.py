"""Reading the records on a worker, so that a page that counts a year keeps painting.

The Reports page and the Sync page's preview read every contact of a period: half a
second with 10,000 people, which froze the window on the UI thread. A page hands the work
to :class:`BackgroundRead`; it runs over a :class:`ReadCopy` taken at the start, so the
guide can go on writing meanwhile, and only the newest answer reaches the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from kisi_desktop.core.read_copy import ReadCopy
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.workers import TaskRunner

T = TypeVar("T")


class BackgroundRead(QObject):
    """One page's reads on a worker: start one, and the older ones no longer count.

    Signals:
        busy_changed(bool): a read began (True) or its answer arrived or was dropped (False).
    """

    busy_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._generation = 0
        self._running = 0
        self._copy: ReadCopy | None = None

    @property
    def busy(self) -> bool:
        """True from :meth:`start` until the newest read's answer was handed over."""
        return self._running == self._generation and self._running > 0

    def start(
        self,
        workspace: Workspace,
        read: Callable[[Workspace], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Run ``read`` over a copy of ``workspace`` on a worker; then ``done(answer)`` or
        ``failed(error)`` here, unless another read started or :meth:`abandon` ran.

        If the copy cannot be taken (no memory for it), ``failed`` is called at once, and
        a read still under way is dropped too: it answers an older question.
        """
        try:
            copy = ReadCopy(workspace)
        except Exception as error:
            self.abandon()
            failed(error)
            return
        self._drop_copy()
        self._copy = copy
        self._generation += 1
        generation = self._running = self._generation

        def work() -> T:
            try:
                return read(copy)
            finally:
                copy.lock()  # the copied records leave memory with the answer

        def deliver(callback: Callable[[Any], None], value: Any) -> None:
            if generation != self._generation:
                return  # a newer read, or a lock, came meanwhile
            self._running = 0
            self._copy = None
            try:
                self.busy_changed.emit(False)
            except RuntimeError:  # the page, and this reader with it, went away meanwhile
                return
            callback(value)

        self.busy_changed.emit(True)
        self._runner.run(work, lambda answer: deliver(done, answer), lambda e: deliver(failed, e))

    def abandon(self) -> None:
        """Forget the read under way (the vault was locked): its answer is dropped, and its
        copy too as far as it can be from here (see :meth:`ReadCopy.discard`)."""
        was_busy = self.busy
        self._drop_copy()
        self._generation += 1
        self._running = 0
        if was_busy:
            self.busy_changed.emit(False)

    def _drop_copy(self) -> None:
        # An older read's copy: its worker stops at its next query and closes it.
        if self._copy is not None:
            self._copy.discard()
            self._copy = None
