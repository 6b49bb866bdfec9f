"""What the tabs of the ministry view share: the folder, its database, the runner, the state.

Threads and SQLite: the UI thread keeps one connection to the intake database (``ministry``)
for what it shows and for the short writes of the registry (register, revoke: a few
milliseconds). Work that can take longer - importing files, confirming an epoch that
releases held bundles, adding up the figures - runs on a worker with a connection of its
own, opened and closed in that worker (:meth:`MinistryContext.open`); the database is in
WAL mode and every import takes the write lock, so the two connections never see half an
import. Measured (demo bundles of 30 to 1,000 people, 7 KB each): one import 4 to 20 ms;
42 files with their receipts (each fsynced) 0.15 s; the figures of 42 municipalities
0.12 s, their XLSX 0.9 s and their PDF (291 pages) 12 s. Imports would fit on the UI
thread, but a slow network share or USB stick makes the fsyncs slow, and the PDF does not
fit at all; so all of it runs on workers and the window keeps painting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kisi_desktop.core.clock import Clock

from kisi_desktop.ministry.keys import Ministry, load_ministry

from kisi_desktop.ui.ministry.view_state import ViewState, save_state
from kisi_desktop.ui.workers import TaskRunner


@dataclass
class MinistryContext:
    """See the module docstring."""

    path: Path
    ministry: Ministry
    """The UI thread's connection; never handed to a worker."""
    runner: TaskRunner
    state: ViewState
    clock: Clock | None = None

    def open(self) -> Ministry:
        """A new connection to the ministry folder, for the thread that calls this."""
        return load_ministry(self.path, clock=self.clock)

    def remember(self) -> None:
        """Write the view state after a choice changed."""
        save_state(self.path, self.state)

    def default_dir(self) -> Path:
        """Where save dialogs start: the last folder used, else the home folder."""
        last = Path(self.state.save_dir) if self.state.save_dir else None
        return last if last is not None and last.is_dir() else Path.home()
