"""The session: which vault, whether it is unlocked, and when it locks itself.

Unlocking (Argon2id, opening every record) runs on a worker so the window keeps painting.
The same worker then reads what the page the window opens with shows first (the Overview's
figures: 45 ms with 10,000 people), while it still holds the workspace alone: the window
takes the answer instead of reading it on the UI thread (:meth:`Session.read_at_unlock`).
Auto-lock compares the wall clock with the last user input every second: a laptop that
slept for an hour is locked the moment it wakes, not ten minutes later (monotonic idle
timers miss sleep; wall-clock time does not).

Work that must write the live vault for seconds (renewing every key) borrows the workspace
for a worker (:meth:`Session.lend`): until it is back, a lock asked for by the idle timer,
the desktop or the guide waits, and follows the moment the worker returns.

Signals:
    unlocked(): a workspace is open (``session.workspace``).
    locked(str): the workspace was closed; the argument says why ("manual", "idle",
        "screen", "sleep"; ui/desktop_lock.py).
    glimpsed(object): the secret is right, and the Overview sealed at the last lock (a
        :class:`~kisi_desktop.core.overview_glance.Glance`, as of today) still matches
        the vault: the window may show it while the records are read. ``unlocked`` or
        ``unlock_failed`` follows, as after every unlock.
    unlock_failed(str): the passphrase or recovery code did not open the vault (message).
    busy(bool): a key derivation or unlock is running.
    checked(object): every row of the vault file was checked against the audit chain; the
        argument is the tuple of problems found (empty when all is well). After an unlock
        from a current snapshot the check runs on a worker after ``unlocked``: the window
        shows the records at once, and records that fail the check leave it when it ends.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kisi_desktop.core.errors import KisiError, UserError, VaultInUse
from kisi_desktop.core.i18n import _
from kisi_desktop.core.older_copy import Marks
from kisi_desktop.core.store.read_ahead import ReadAhead
from kisi_desktop.core.store.vault_lock import in_use, in_use_message

from kisi_desktop.ui.desktop_lock import DesktopLock
from kisi_desktop.ui.preload import guide_busy
from kisi_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    # The vault's code is imported on the unlock's worker (or by the window's preload,
    # ui/preload.py), not at start: the unlock screen shows without it (start-up time).
    from kisi_desktop.core.workspace import Closing, Workspace

log = logging.getLogger(__name__)
# After an unlock from a snapshot, the row check begins this long after the first paint.
CHECK_DELAY_MS = 50
# How long an unlock, or the end of the app, waits for a lock's snapshot to be written
# (about a second with 10,000 people; far longer only on a disk that hangs).
CLOSE_WAIT_S = 60.0

# A read the unlock's worker runs on the workspace it opened (see ``read_at_unlock``).
UnlockRead = Callable[["Workspace"], object]

# How long reading the records waits for the window to paint the glance, at most.
GLANCE_PAINT_WAIT_S = 0.5
# The map from record id to row, built in steps after an unlock (WorkingSet.map_ids): the
# time a step may take, read in pieces of so many rows, and the pause between steps, in
# which the window's events run. By time, not rows: 8,000 rows took 5 ms alone, but 25-70
# ms beside a worker reading (the people list, the row check), when every row fetched
# waits for the GIL; by rows, a smaller step would only have made the map take longer.
ID_MAP_STEP_S = 0.005
ID_MAP_PIECE_ROWS = 1000
ID_MAP_GAP_MS = 15

_ACTIVITY_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
# Input that makes the window work (filter, scroll, open): the pages' preload gives way to
# it (ui/preload.py). Not mouse movement alone: a hand resting on the mouse would hold the
# preload back for good.
_WORK_EVENTS = _ACTIVITY_EVENTS - {QEvent.Type.MouseMove}


class Session(QObject):
    """See the module docstring."""

    unlocked = Signal()
    glimpsed = Signal(object)
    locked = Signal(str)
    unlock_failed = Signal(str)
    busy = Signal(bool)
    checked = Signal(object)
    # From the unlock's worker to the UI thread (a queued connection).
    _glimpse_from_worker = Signal(object)

    def __init__(
        self,
        vault_path: Path,
        runner: TaskRunner,
        *,
        demo: bool = False,
        idle_minutes: float = 10,
        now: Callable[[], float] = time.time,
        open_workspace: Callable[..., Workspace] | None = None,
        marks: Marks | None = None,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault_path = vault_path
        self.demo = demo
        self._runner = runner
        self._now = now
        # None: Workspace.open, imported when the unlock's worker first opens the vault.
        self._open = open_workspace or _open_workspace
        # Where each lock marks the vault, to find an older copy put back (core/older_copy.py).
        self._marks = {"marks": marks} if marks is not None else {}
        self._workspace: Workspace | None = None
        self._last_input = now()
        self.idle_seconds = idle_minutes * 60
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check_idle)
        self._before_lock: list[Callable[[], None]] = []
        self._closings: list[threading.Thread] = []
        # The workspace while a worker holds it (``lend``), the event its worker sets when
        # done, and the reason of the first lock asked for meanwhile.
        self._lent: Workspace | None = None
        self._lent_back = threading.Event()
        self._lock_owed: str | None = None
        self.unlocking = False
        # The reason of a lock asked for while an unlock read the records.
        self._lock_at_unlock: str | None = None
        self._glancing = False  # the glance shows, the records are still being read
        self._today = today
        self._glimpse_from_worker.connect(self._pass_glimpse)
        self.with_recovery_code = False
        self._shutting_down = False
        self._read_ahead: ReadAhead | None = None
        self._unlock_reads: Callable[[], Mapping[str, UnlockRead]] = dict
        self._answers: Mapping[str, object] = {}
        # The desktop's screen lock and sleep lock the vault too.
        self.desktop = DesktopLock(self)
        self.desktop.leaving.connect(self.lock)
        # In the event loop's first turn, not on the way to the window's first paint: the
        # session bus and the system bus are each connected to and asked (9 ms here).
        QTimer.singleShot(0, self, self.desktop.watch_dbus)

    # ------------------------------------------------------------------ state
    @property
    def workspace(self) -> Workspace | None:
        """The open workspace, or None while locked."""
        return self._workspace

    @property
    def lent(self) -> bool:
        """True while a worker holds the workspace (:meth:`lend`)."""
        return self._lent is not None

    def vault_exists(self) -> bool:
        """False before the first-run wizard created the vault."""
        return self.vault_path.is_file()

    def adopt(self, workspace: Workspace) -> None:
        """Take a workspace opened elsewhere (the first-run wizard) as unlocked."""
        self._workspace = workspace
        self.touch()
        self._timer.start()
        self.unlocked.emit()
        if self._workspace is workspace:  # (a page could have locked it again)
            # After the pages filled themselves: their thousands of events pass unfiltered.
            self._watch_input(True)
        if workspace.checking:
            # Begun once the window has painted the records: the check's Python loop
            # would otherwise share the first paint's time.
            QTimer.singleShot(CHECK_DELAY_MS, lambda: self._start_check(workspace))
        else:
            self.checked.emit(workspace.problems)
        QTimer.singleShot(ID_MAP_GAP_MS, lambda: self._map_ids(workspace))

    def _map_ids(self, workspace: Workspace) -> None:
        """Build the working set's map from record id to row for up to
        :data:`ID_MAP_STEP_S` a turn, while the guide looks at the Overview: built at once
        by the first record opened, it held up that turn 65 ms (100,000 records)."""
        if self._workspace is not workspace:
            return  # locked meanwhile: the next unlock builds its own
        if self._lent is None:
            working = workspace.working_set
            ends = time.perf_counter() + ID_MAP_STEP_S
            while not working.map_ids(ID_MAP_PIECE_ROWS):
                if time.perf_counter() >= ends:
                    break
            else:
                return  # complete
        QTimer.singleShot(ID_MAP_GAP_MS, lambda: self._map_ids(workspace))

    def _start_check(self, workspace: Workspace) -> None:
        if workspace is not self._workspace:
            return
        workspace.start_check()
        self._runner.run(
            workspace.wait_check,
            lambda _done: self._settle_check(workspace),
            lambda _error: self._settle_check(workspace),
        )

    def _settle_check(self, workspace: Workspace) -> None:
        if workspace is not self._workspace:
            return  # locked (and maybe unlocked again) meanwhile
        try:
            problems = workspace.settle_check()
        except KisiError as error:
            # An altered key or an unreadable file: the vault is refused, as it would
            # have been had the check run before the window opened.
            log.error("row check refused the vault: %s", type(error).__name__)
            self.lock("refused")
            self.unlock_failed.emit(str(error))
            return
        self.checked.emit(problems)

    # ------------------------------------------------------------------ unlock / lock
    def open_elsewhere(self) -> str | None:
        """Why the vault cannot be unlocked here now (another window or a ``kisi``
        command has it open), else None. The unlock screen says so before the guide types
        a passphrase; only the first screen asks: after a lock of this window the vault
        stays held until its snapshot is written."""
        return in_use_message() if in_use(self.vault_path) else None

    def read_ahead(self) -> None:
        """While the unlock screen waits for the passphrase, have the vault's files read
        into the system's cache (:mod:`kisi_desktop.core.store.read_ahead`); the window
        asks once the unlock screen has painted."""
        if self.unlocking or self._workspace is not None or self._read_ahead is not None:
            return
        if not self.vault_exists():
            return
        # Imported here, once the unlock screen shows: it brings the vault's ciphers
        # (15 ms), which the unlock screen does without.
        from kisi_desktop.core.store.snapshot import snapshot_path

        self._read_ahead = ReadAhead([snapshot_path(self.vault_path), self.vault_path])
        self._read_ahead.start()

    def read_at_unlock(self, reads: Callable[[], Mapping[str, UnlockRead]]) -> None:
        """Have every unlock ask ``reads()`` (on the UI thread, as it begins) what to read
        for the window, key -> Qt-free function of the workspace; the unlock's worker runs
        them right after the vault opens, and :meth:`unlock_answer` hands the answers out.

        The worker holds the workspace alone until it delivers it (nothing else has it
        yet), so its SQLite connection is never used by two threads at once. A read costs
        the unlock its time: ``reads`` names only what the window shows first.
        """
        self._unlock_reads = reads

    def unlock_answer(self, key: str, workspace: Workspace) -> object | None:
        """What the unlock's worker read for ``key`` on ``workspace``; only while the
        pages take the new workspace (``unlocked`` is delivered), else None: after that a
        write may have changed what it counted."""
        return self._answers.get(key) if workspace is self._workspace else None

    def _stop_read_ahead(self) -> None:
        if self._read_ahead is not None:
            self._read_ahead.stop()

    def unlock(self, *, passphrase: str | None = None, recovery_code: str | None = None) -> None:
        """Open the vault on a worker; ``unlocked`` or ``unlock_failed`` follows."""
        if self.unlocking or self._workspace is not None:
            return
        # Asked here, on the UI thread (it looks at the window), and before anything
        # changes: should it fail, the session is not left waiting for an unlock.
        reads = dict(self._unlock_reads())
        self._stop_read_ahead()  # (the unlock reads for itself now)
        self.unlocking = True
        # After a recovery-code unlock the window asks for a new passphrase at once.
        self.with_recovery_code = recovery_code is not None
        self.busy.emit(True)
        path = self.vault_path
        glimpse = self._glimpse_from_worker.emit

        def work() -> tuple[Workspace, dict[str, object]]:
            workspace = open_vault()
            return workspace, _read_opened(workspace, reads)

        def open_vault() -> Workspace:
            # A lock may still be writing the snapshot this unlock is about to read. If
            # it hangs, the unlock goes on: a snapshot not fully written does not open,
            # and the records are then opened one by one.
            closed = self.wait_closed(CLOSE_WAIT_S)
            try:
                # Two steps: the file and its master key (the key derivation), then the
                # records. In between, the glance sealed at the last lock goes to the
                # window (queued to the UI thread, ahead of the unlock's own answer).
                # (imported here, on the worker: the vault's ciphers are not needed before)
                from kisi_desktop.core.store.opening import open_file

                if recovery_code is not None:
                    opened = open_file(path, recovery_code=recovery_code)
                else:
                    opened = open_file(path, passphrase=passphrase or "")
            except VaultInUse:
                if closed:
                    raise
                # Held by this window's own lock, still writing the snapshot (a disk that
                # hangs), not by another program: say that, not "open elsewhere".
                raise UserError(
                    _(
                        "The vault is still being locked: its working copy is being written. "
                        "Try again in a moment."
                    )
                ) from None
            try:
                # Imported here, on the worker: the unlock screen shows without it (5 ms).
                from kisi_desktop.core.overview_glance import read_glance

                data = opened.glance()
                seen = read_glance(data, self._today()) if data is not None else None
                if seen is not None:
                    # Reading the records waits until the window has painted the glance:
                    # both want the interpreter, and the glance is what the guide sees.
                    painted = threading.Event()
                    glimpse((seen, painted))
                    painted.wait(GLANCE_PAINT_WAIT_S)
                # The row check runs after the window shows the records (see ``checked``).
                return self._open(path, opened=opened, check_later=True, **self._marks)
            except BaseException:
                opened.close()  # (a second close does nothing: the vault took it over)
                raise

        self._runner.run(work, self._on_unlocked, self._on_unlock_error)

    def _pass_glimpse(self, sent: tuple[object, threading.Event]) -> None:
        """The glance from the unlock's worker, if that unlock still runs; the worker goes
        on once the window's next turn (its paint) is over."""
        glance, painted = sent
        if self.unlocking and not self._shutting_down and self._lock_at_unlock is None:
            # Names are on screen: the idle clock runs from now (not only once the records
            # are read), so that an unlock that takes long still locks a window left alone.
            self._glancing = True
            self.touch()
            self._timer.start()
            self.glimpsed.emit(glance)
            QTimer.singleShot(0, painted.set)
        else:
            painted.set()

    def _on_unlocked(self, opened: Any) -> None:
        workspace, answers = opened
        self.unlocking = False
        self._end_glance()
        self.busy.emit(False)
        if self._shutting_down:
            workspace.lock()  # the window closed while the keys were being derived
            return
        owed, self._lock_at_unlock = self._lock_at_unlock, None
        if owed is not None:
            # The screen locked (or the computer slept) while the records were read.
            self._workspace = workspace
            self.lock(owed)
            return
        self._answers = answers
        try:
            self.adopt(workspace)
        finally:
            self._answers = {}

    def shutdown(self, *, wait: bool = True) -> None:
        """The app is closing: lock now, and lock anything an unlock still delivers.

        ``wait``: return only once the snapshot is written. The window passes False as it
        closes, so it disappears at once; the app waits before the process ends.
        """
        self._shutting_down = True
        self._stop_read_ahead()
        if wait and not self._take_back(CLOSE_WAIT_S):
            # The worker still writes with the keys: a lock now would close the vault
            # under it. The transaction it is in ends with the process (rolled back).
            log.error("the vault was still being written when the app ended")
            return
        self.lock("manual")
        if wait and not self.wait_closed(CLOSE_WAIT_S):
            log.error("the snapshot was still being written when the app ended")

    def _on_unlock_error(self, error: BaseException) -> None:
        self.unlocking = False
        self._lock_at_unlock = None
        self._end_glance()
        self.busy.emit(False)
        if isinstance(error, UserError):
            self.unlock_failed.emit(str(error))
        else:
            # A bug or an unexpected file problem: say so on the unlock screen rather than
            # leave the guide looking at a spinner; details (no personal data) to the log.
            log.error("unlock failed: %s at %s", type(error).__name__, where(error))
            self.unlock_failed.emit(_("The vault could not be opened."))

    def before_lock(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` just before every lock (forms save their sealed drafts)."""
        self._before_lock.append(callback)

    def forget_before_lock(self, callback: Callable[[], None]) -> None:
        """Stop calling ``callback`` before locks (a form that was closed)."""
        if callback in self._before_lock:
            self._before_lock.remove(callback)

    def lock(self, reason: str = "manual") -> None:
        """Save drafts, drop the keys and every opened record, tell the views to clear.

        The views clear and the unlock screen shows at once. Writing the snapshot (up to
        a second with 10,000 people) happens on a thread; until it is written the keys
        live on there, as they did while the window froze for it before. An unlock waits
        for it (:meth:`wait_closed`), and so does the end of the app.
        """
        workspace = self._workspace
        if workspace is None:
            if self.unlocking and self._lock_at_unlock is None:
                # An unlock is reading the records, maybe with its glance on screen: the
                # window covers it now, and the vault locks the moment it is open.
                self._lock_at_unlock = reason
                self._end_glance()
                self.locked.emit(reason)
            return
        if self._lent is not None:
            # A worker holds the workspace (``lend``): drafts cannot be saved and the keys
            # not dropped under it. The lock follows the moment it is back.
            if self._lock_owed is None:
                self._lock_owed = reason
            return
        for callback in list(self._before_lock):
            # A draft that cannot be saved (disk full, file busy) must not stop the lock.
            try:
                callback()
            except Exception as error:
                log.error("before-lock step failed: %s", type(error).__name__)
        self._workspace = None
        self._timer.stop()
        self._watch_input(False)
        self.locked.emit(reason)
        closing = workspace.begin_lock()
        if not closing.takes_time:  # (a snapshot or the glance to write: on a thread)
            closing.finish()
            return
        # A daemon thread: should writing hang (a stalled disk), the end of the app waits
        # only so long (CLOSE_WAIT_S), and the keys end with the process.
        thread = threading.Thread(target=_finish, args=(closing,), name="kisi-lock", daemon=True)
        thread.start()
        self._closings = [t for t in self._closings if t.is_alive()] + [thread]

    @property
    def writing_snapshot(self) -> bool:
        """True while a lock still writes the snapshot on its thread."""
        return any(thread.is_alive() for thread in self._closings)

    def wait_closed(self, timeout: float | None = None) -> bool:
        """Block until every lock's snapshot is written, or ``timeout`` seconds have
        passed in all; safe on any thread. True if none is left writing."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._closings):
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not self.writing_snapshot

    # ------------------------------------------------------------------ lending
    def lend(
        self,
        work: Callable[[Workspace], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> bool:
        """Run ``work(workspace)`` on a worker, then ``on_done(result)`` or
        ``on_error(exc)`` here; False (and nothing runs) while locked or already lent.

        For work that must write the live vault and takes seconds
        (``Workspace.renew_keys_with`` seals every record again), where a plan worked out
        here and finished here (as for a new passphrase) does not fit. It is the one
        hand-over of the live workspace to a worker besides the unlock and the lock
        (CONTRIBUTING.md); the caller keeps the UI thread off it meanwhile (a modal dialog).

        Until the worker is back, :meth:`lock` only notes the first reason it was asked
        for (idle, screen, sleep, the end of the app), and the idle timer does not count:
        a lock would save drafts and drop the keys under the worker. The lock then follows
        before ``on_done`` runs, so that nothing the work made reaches a screen the guide
        has left; callers find ``self.workspace`` changed then. The idle clock starts
        again when the worker is back: the guide was watching it.
        """
        workspace = self._workspace
        if workspace is None or self._lent is not None or self._shutting_down:
            return False
        self._lent = workspace
        back = threading.Event()
        self._lent_back = back

        def run() -> Any:
            try:
                return work(workspace)
            finally:
                back.set()

        def done(result: Any) -> None:
            if self._returned(workspace):
                on_done(result)

        def failed(error: BaseException) -> None:
            if self._returned(workspace):
                on_error(error)

        self.touch()
        self._runner.run(run, done, failed)
        return True

    def _returned(self, workspace: Workspace) -> bool:
        """The lent workspace is back: a lock asked for meanwhile happens now. False when
        the end of the app took it back already: then nobody is told (the caller's
        dialog was closed by the lock that followed, and may be gone)."""
        if self._lent is not workspace:
            return False
        self._lent = None
        self.touch()
        owed, self._lock_owed = self._lock_owed, None
        if owed is not None:
            self.lock(owed)
        return True

    def _take_back(self, timeout: float) -> bool:
        """The app is ending: wait up to ``timeout`` seconds for a lent workspace to be
        back; False if the worker still holds it. The work has then ended, committed or
        rolled back, and the workspace in memory is as the work left it; only its answer
        is not delivered (the event loop has ended): the renewal of the keys, the one
        lender, has the guide type the new code back before it writes anything."""
        if self._lent is None:
            return True
        if not self._lent_back.wait(timeout):
            return False
        self._lent = None
        self._lock_owed = None  # (the lock follows at once)
        return True

    # ------------------------------------------------------------------ idle
    def touch(self) -> None:
        """Note user activity now."""
        self._last_input = self._now()

    def check_idle(self) -> None:
        """Lock if the wall clock says the guide has been away long enough (not while a
        worker holds the workspace: see :meth:`lend`), also while a glance shows."""
        if self._lent is not None:
            return
        shown = self._workspace is not None or self._glancing
        if shown and self._now() - self._last_input >= self.idle_seconds:
            self.lock("idle")

    def _end_glance(self) -> None:
        """The glance gave way to the records or to the unlock screen."""
        if self._glancing:
            self._glancing = False
            if self._workspace is None:
                self._timer.stop()

    def _watch_input(self, on: bool) -> None:
        """Track input only while unlocked: the filter sees every event of the app, each a
        call into Python (building the Overview at unlock sends about a thousand)."""
        app = QApplication.instance()
        if app is None:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Every key press or mouse movement anywhere in the app counts as activity."""
        kind = event.type()
        if kind in _ACTIVITY_EVENTS:
            self._last_input = self._now()
            if kind in _WORK_EVENTS:
                guide_busy()
        return False


def where(error: BaseException, frames: int = 4) -> str:
    """Where ``error`` was raised: file, line and function of its last frames, for a log
    line that lets a rare failure be found. Not the message, nor any variable: those can
    hold what the guide typed or what the vault holds."""
    stack = traceback.extract_tb(error.__traceback__)[-frames:]
    return " < ".join(
        f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" for frame in reversed(stack)
    )


def _open_workspace(*args: Any, **kwargs: Any) -> Workspace:
    """``Workspace.open``, imported by the thread that opens the vault (the unlock's
    worker), when it first does: the window shows the unlock screen without the vault's
    code (see the imports above)."""
    from kisi_desktop.core.workspace import Workspace

    return Workspace.open(*args, **kwargs)


def _read_opened(workspace: Workspace, reads: Mapping[str, UnlockRead]) -> dict[str, object]:
    """The unlock's worker: run ``reads`` on the workspace it opened. One that fails is
    left out (the page then reads for itself) and logged: it must not keep the vault shut."""
    answers: dict[str, object] = {}
    for key, read in reads.items():
        try:
            answers[key] = read(workspace)
        except Exception as error:
            log.error("reading %s at unlock failed: %s", key, type(error).__name__)
    return answers


def _finish(closing: Closing) -> None:
    """A lock's thread: write the snapshot and close (the snapshot is a cache: a failure
    to write it is logged, and the vault is closed all the same)."""
    try:
        closing.finish()
    except Exception as error:
        log.error("closing the vault failed: %s", type(error).__name__)
