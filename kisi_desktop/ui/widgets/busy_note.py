"""A short note with a moving bar, shown while a page counts on a worker."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

# A read that ends sooner is not announced: in a vault of a few hundred people counting takes
# a few milliseconds, and a note that flashes for one frame looks like a fault.
SHOW_AFTER_MS = 150


class BusyNote(QWidget):
    """ "Counting…" beside an indeterminate bar, shown when a read takes a noticeable time.

    Hidden, it keeps no space, so the page does not jump when the figures arrive.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # indeterminate: the read takes about half a second
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(120)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addStretch(1)  # the bar beside its words, also in a wide column
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SHOW_AFTER_MS)
        self._delay.timeout.connect(self.show)
        self.hide()

    def set_text(self, text: str) -> None:
        """What is being done, in the UI language (also read out by screen readers)."""
        self.label.setText(text)
        self.bar.setAccessibleName(text)

    def set_busy(self, busy: bool) -> None:
        """Show the note once ``busy`` has lasted :data:`SHOW_AFTER_MS`; hide it at once."""
        if busy:
            if not self.isVisible() and not self._delay.isActive():
                self._delay.start()
        else:
            self._delay.stop()
            self.hide()
