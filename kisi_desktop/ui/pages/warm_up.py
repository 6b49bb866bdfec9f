"""The pages' own code, imported on the UI thread while the guide types the passphrase.

The preload (ui/preload.py) imports the pages' Qt-free code on a thread; their widgets'
modules define Qt classes and are imported here, on the UI thread, one page per turn of
the event loop with a pause between: the guide's key presses go in between. Otherwise a
page's first opening imports them while the guide waits: People 80 ms on a slow laptop,
more when it is opened at once after the unlock, while the row check shares the
interpreter. It stops at Enter (the unlock wants the interpreter); a page not imported by
then is imported when it first opens, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

PAUSE_MS = 40
"""Between two pages: room for the key presses and paints that came meanwhile."""


class PageCodeWarmUp(QObject):
    """Runs ``loads`` (each imports one page's module) one per turn, ``PAUSE_MS`` apart,
    until they are done or ``until()`` is true."""

    def __init__(
        self,
        loads: Sequence[Callable[[], object]],
        until: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._left = list(loads)
        self._until = until
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self._next)

    def start(self) -> None:
        """Begin (again) after a pause; a no-op once every page is imported."""
        if self._left:
            self._timer.start()

    @property
    def done(self) -> bool:
        """Whether every page's code is imported."""
        return not self._left

    def _next(self) -> None:
        if not self._left or self._until():
            return
        load = self._left.pop(0)
        try:
            load()
        except Exception as error:
            # The page's first opening meets the same error where the guide sees it.
            log.error("importing a page's code ahead failed: %s", type(error).__name__)
        self.start()
