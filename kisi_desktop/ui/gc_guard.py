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

INTERVAL_MS = 3_000


class MainThreadCollector(QObject):
    """Owns the timer; keep it alive as long as the application."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> int:
        """Collect now, on the thread that owns this object; returns what was freed."""
        return gc.collect()

    def stop(self) -> None:
        """Give collection back to Python (tests, shutdown)."""
        self._timer.stop()
        gc.enable()
