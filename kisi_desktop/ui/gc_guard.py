"""Python's cyclic garbage collector runs only on the UI thread while the app runs.

The collector starts whenever allocations pass a threshold, in whichever thread happens to
allocate. If it then frees a cycle that holds Qt widgets (an exception's traceback that
references a dialog, say) on a worker thread, Qt destroys widgets off the GUI thread and
the process crashes (seen here with the demo progress dialog). Automatic collection is
switched off and a timer collects on the UI thread instead (the approach Anki uses).
Reference counting still frees everything that is not in a cycle at once.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250
# Each tick collects the youngest generation, what was allocated since the tick before:
# nothing to speak of once the app has settled, 5-25 ms while an unlock or a page's first
# opening allocates (ticks a second apart took 20-40 ms then). Every MIDDLE_EVERY ticks
# (10 s) the middle generation as well; every FULL_EVERY ticks (a minute), and after every
# lock, all of them. A full collection walks every object the app holds: 15-25 ms with
# 10,000 people unlocked, 50-70 ms once every page was opened (their modules, ReportLab's
# among them). Run every 3 s, as it was before, it froze the window that long every 3 s;
# Python's own collector also runs the oldest generation only rarely.
MIDDLE_EVERY = 40
FULL_EVERY = 240
# While the vault is locked little is allocated: a round every 2 s (a laptop on battery
# need not wake the app four times a second for nothing); the middle and full rounds,
# counted in rounds, then come every 80 s and 8 minutes.
LOCKED_INTERVAL_MS = 2_000
# The first round waits until the window is up: everything allocated since automatic
# collection was switched off is young then (the window, the pages' code, the unlock's
# imports), and its round, 250 ms after the start, walked it for 14-16 ms just before the
# unlocked Overview painted.
FIRST_ROUND_MS = 2_000


class MainThreadCollector(QObject):
    """Owns the timer; keep it alive as long as the application."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setObjectName("collectorRounds")
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.tick)
        self._first_round = QTimer(self)
        self._first_round.setSingleShot(True)
        self._first_round.setInterval(FIRST_ROUND_MS)
        self._first_round.timeout.connect(self._timer.start)
        self._first_round.start()

    def tick(self) -> int:
        """One round of the timer: the young generations, now and then all; returns what
        was freed."""
        self._ticks += 1
        if self._ticks % FULL_EVERY == 0:
            return gc.collect(2)
        if self._ticks % MIDDLE_EVERY == 0:
            return gc.collect(1)
        return gc.collect(0)

    def pace(self, *, unlocked: bool) -> None:
        """Rounds every :data:`INTERVAL_MS` while the vault is unlocked, else every
        :data:`LOCKED_INTERVAL_MS`."""
        self._timer.setInterval(INTERVAL_MS if unlocked else LOCKED_INTERVAL_MS)

    def collect(self) -> int:
        """Collect every generation now, on the thread that owns this object (after a lock:
        cycles that held opened records go then, not with the minute's round); returns
        what was freed."""
        return gc.collect()

    def stop(self) -> None:
        """Give collection back to Python (tests, shutdown)."""
        self._first_round.stop()
        self._timer.stop()
        gc.enable()
