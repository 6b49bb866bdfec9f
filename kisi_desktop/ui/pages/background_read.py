"""Reading the records on a worker, so that a page that counts a year keeps painting.

The Reports page and the Sync page's preview read every contact of a period: half a
second with 10,000 people, which froze the window on the UI thread. A page hands the work
to :class:`BackgroundRead`; it runs over a :class:`ReadCopy` that the worker takes at its
start, so the guide can go on writing meanwhile, and only the newest answer reaches the
page.

A page opened for the first time pays for its imports and widgets, so a read started
while the page is being shown waits until the page has painted once: the guide sees the
page at once, and the window answers between the pieces of work instead of after all of
them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kisi_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    # The Overview makes its reader while the unlock screen waits, before the vault's
    # code is imported: it is imported at the first read, with a workspace open.
    from kisi_desktop.core.read_copy import ReadCopy
    from kisi_desktop.core.workspace import Workspace

T = TypeVar("T")

PAINT_WAIT_MS = 100
"""How long a read waits for the page's first paint before it begins anyway (a page that
is shown but never painted: a minimised window)."""


class BackgroundRead(QObject):
    """One page's reads on a worker: start one, and the older ones no longer count.

    A ``parent`` widget is the page the answers are for: while it is shown but has not
    painted yet, a read begins after that paint (see the module docstring).

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
        self._waiting: Callable[[], None] | None = None
        self._page = parent if isinstance(parent, QWidget) else None
        # A page shown before its reader was made is not being opened any more.
        self._painted = self._page is not None and self._page.isVisible()
        self._paint_wait = QTimer(self)
        self._paint_wait.setSingleShot(True)
        self._paint_wait.setInterval(PAINT_WAIT_MS)
        self._paint_wait.timeout.connect(self._begin_waiting)
        if self._page is not None:
            self._page.installEventFilter(self)

    @property
    def busy(self) -> bool:
        """True from :meth:`start` until the newest read's answer was handed over."""
        return self._running == self._generation and self._running > 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Notes when the page is shown and when it has painted since."""
        if watched is self._page:
            kind = event.type()
            if kind in (QEvent.Type.Show, QEvent.Type.Hide):
                self._painted = False
            elif kind == QEvent.Type.Paint and not self._painted:
                self._painted = True
                if self._waiting is not None:  # begins once this paint is done
                    QTimer.singleShot(0, self, self._begin_waiting)
        return False

    def start(
        self,
        workspace: Workspace,
        read: Callable[[Workspace], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Run ``read`` over a copy of ``workspace`` on a worker; then ``done(answer)`` or
        ``failed(error)`` here, unless another read started or :meth:`abandon` ran.

        The read begins now, or after the page's first paint if it is being shown; its
        worker takes the copy. If the read cannot begin (the workspace was locked),
        ``failed`` is called then, and a read still under way is dropped too: it answers
        an older question.
        """
        self._drop_copy()
        self._generation += 1
        generation = self._running = self._generation
        self.busy_changed.emit(True)
        page = self._page
        if page is not None and page.isVisible() and not self._painted:
            self._waiting = lambda: self._begin(generation, workspace, read, done, failed)
            if not self._paint_wait.isActive():  # (a newer read does not wait longer)
                self._paint_wait.start()
            return
        self._waiting = None
        self._paint_wait.stop()
        self._begin(generation, workspace, read, done, failed)

    def _begin_waiting(self) -> None:
        self._paint_wait.stop()
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            waiting()

    def _begin(
        self,
        generation: int,
        workspace: Workspace,
        read: Callable[[Workspace], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        if generation != self._generation:
            return  # a newer read, or a lock, came while it waited
        from kisi_desktop.core.read_copy import ReadCopy  # (see the imports above)

        try:
            copy = ReadCopy(workspace)
        except Exception as error:
            self.abandon()
            failed(error)
            return
        self._copy = copy

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

        def run() -> None:
            if generation == self._generation:  # (else replaced or locked meanwhile)
                self._runner.run(
                    work, lambda answer: deliver(done, answer), lambda e: deliver(failed, e)
                )

        # A turn later: a read replaced in the same turn (a write that refreshes the page
        # right after it was shown) never reaches the worker.
        QTimer.singleShot(0, self, run)

    def abandon(self) -> None:
        """Forget the read under way (the vault was locked): its answer is dropped, and its
        copy too as far as it can be from here (see :meth:`ReadCopy.discard`)."""
        was_busy = self.busy
        self._waiting = None
        self._paint_wait.stop()
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
