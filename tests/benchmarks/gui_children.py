"""Child processes for the GUI figures: each prints seconds since the parent started it.

    python gui_children.py bare T0
    python gui_children.py floor T0 SEALED_IMAGE KEY_HEX
    python gui_children.py app T0 VAULT PASSPHRASE
    python gui_children.py unlock_screen T0 VAULT
    python gui_children.py filter T0 VAULT PASSPHRASE
    python gui_children.py pages T0 VAULT PASSPHRASE
    python gui_children.py lock T0 VAULT PASSPHRASE
    python gui_children.py early_people T0 VAULT PASSPHRASE
    python gui_children.py unlock T0 VAULT PASSPHRASE
    python gui_children.py cold T0 VAULT PASSPHRASE AHEAD
    python gui_children.py person T0 VAULT PASSPHRASE PERSON_ID

``T0`` is the parent's ``time.time()`` just before it started the process, so the figure
covers interpreter start, imports, window construction, unlocking (with a test-cost KDF,
i.e. key derivation excluded) and filling the Overview, the page shown after unlock (the
others are built when first opened).
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def bare(t0: float) -> None:
    """A bare PySide6 QMainWindow, shown: the baseline for start-up."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from kisi_desktop.ui.qt_compat import keep_none_alive

    keep_none_alive()
    app = QApplication([])
    window = QMainWindow()
    window.resize(1366, 768)
    window.show()

    def done() -> None:
        print(time.time() - t0, flush=True)
        app.quit()

    QTimer.singleShot(0, done)
    app.exec()


def floor(t0: float, sealed: Path, key_hex: str) -> None:
    """The least any start over the vault must do: a bare window, plus reading, decrypting
    (AES-GCM) and loading into SQLite a sealed image as large as the vault's snapshot."""
    import mmap
    import sqlite3

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from kisi_desktop.ui.qt_compat import keep_none_alive

    keep_none_alive()
    app = QApplication([])
    window = QMainWindow()
    window.resize(1366, 768)
    window.show()
    # The cheapest way known: decrypted straight from a pre-faulted mapping. The app streams
    # its snapshot through a 1 MB buffer instead (core/vault/seal.py, open_file), a few ms
    # slower: a mapped file that shrinks while it is read kills the process.
    populate = getattr(mmap, "MAP_POPULATE", None)
    with sealed.open("rb") as file:
        if populate is None:
            data: bytes | mmap.mmap = file.read()
        else:
            flags = mmap.MAP_SHARED | populate
            data = mmap.mmap(file.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
    with memoryview(data) as view:
        image = AESGCM(bytes.fromhex(key_hex)).decrypt(view[:12], view[12:], None)
    conn = sqlite3.connect(":memory:")
    conn.deserialize(image)
    rows = conn.execute("SELECT count(*) FROM item").fetchone()[0]

    def done() -> None:
        print(time.time() - t0 if rows else "failed", flush=True)
        app.quit()

    QTimer.singleShot(0, done)
    app.exec()


def _start_app(vault: Path, passphrase: str | None):  # type: ignore[no-untyped-def]
    """The start the ``kisi-desktop`` command makes (``KISI_PASSPHRASE`` unlocks; without
    a passphrase the window waits on its unlock screen)."""
    # First, as in the command: the app module imports its Qt-free modules before PySide6
    # (each child imports Qt only after this, for the same reason).
    from kisi_desktop.ui.app import start

    # isort: split
    from PySide6.QtCore import QTimer

    if passphrase is None:
        os.environ.pop("KISI_PASSPHRASE", None)
    else:
        os.environ["KISI_PASSPHRASE"] = passphrase
    # Default settings (German), not those of whoever runs the benchmark.
    os.environ["KISI_CONFIG_DIR"] = str(vault.parent / "benchmark-settings")
    started = start(["--vault", str(vault)])
    if isinstance(started, int):
        raise SystemExit(f"no window: exit code {started}")
    app, window = started
    # A figure that never arrives is a failure, not a hang.
    QTimer.singleShot(180_000, lambda: app.exit(3))
    return app, window


def _heartbeat(window: Any, beats: list[float]) -> Any:
    """A 5 ms timer (not started) that notes each beat in ``beats``: the gaps between them
    are the stalls of the UI thread."""
    from PySide6.QtCore import QTimer

    heart = QTimer(window)
    heart.setInterval(5)
    heart.timeout.connect(lambda: beats.append(time.perf_counter()))
    return heart


def _type_and_enter(window: Any, passphrase: str) -> None:
    """The passphrase typed into the unlock screen, then Enter, as a guide does it."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    edit = window.unlock_view.secret_edit
    edit.setText(passphrase)
    QTest.keyClick(edit, Qt.Key.Key_Return)


def _after_paint(parent: Any, then: Callable[[], None]) -> Any:
    """An event filter that, installed on a widget, calls ``then`` once that widget's next
    paint is done (and removes itself)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class AfterPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, then)  # once this paint is done
            return False

    return AfterPaint(parent)


def app(t0: float, vault: Path, passphrase: str) -> None:
    """KISI Desktop from process start to the unlocked main window showing this month's
    Overview (first line: from the glance the last lock sealed, or from the records when
    there is none), to the records read and every page reachable (second line), and to the
    end of the row check that follows on a worker (third line)."""
    qt_app, window = _start_app(vault, passphrase)
    from PySide6.QtCore import QTimer

    glimpsed: list[float] = []
    shown: list[float] = []

    def glimpse(_glance: object) -> None:
        # After the Overview showed the glance: the next turn of the event loop paints.
        QTimer.singleShot(0, lambda: glimpsed.append(time.time() - t0))

    def unlocked() -> None:
        # After the Overview filled itself: the next turn of the event loop paints.
        QTimer.singleShot(0, lambda: shown.append(time.time() - t0))

    def checked(problems: object) -> None:
        QTimer.singleShot(0, lambda: finish(problems))

    def finish(problems: object) -> None:
        if problems or not shown:
            print("failed", problems, flush=True)
            qt_app.exit(2)
            return
        print(glimpsed[0] if glimpsed else shown[0], flush=True)
        print(shown[0], flush=True)
        print(time.time() - t0, flush=True)
        qt_app.quit()

    window.session.glimpsed.connect(glimpse)
    window.session.unlocked.connect(unlocked)
    window.session.checked.connect(checked)
    window.session.unlock_failed.connect(lambda msg: (print("failed", msg), qt_app.exit(2)))
    qt_app.exec()


def unlock_screen(t0: float, vault: Path) -> None:
    """KISI Desktop from process start until its unlock screen has painted (no passphrase
    given): what a guide waits for before typing."""
    qt_app, window = _start_app(vault, None)

    from PySide6.QtCore import QTimer

    def done() -> None:
        print(time.time() - t0, flush=True)
        qt_app.quit()

    # The screen's own signal, not an event filter: a filter costs PySide 3-7 ms of event
    # types (ui/unlock_view.py) that the bare window does not pay either. Ahead of the
    # window's own slot, which builds the first page a turn after this paint: the screen is
    # up by then, and that build is the next figure's, not this one's.
    screen = window.unlock_view
    screen.painted.disconnect(window._unlock_screen_painted)
    screen.painted.connect(lambda: QTimer.singleShot(0, done))
    screen.painted.connect(window._unlock_screen_painted)
    qt_app.exec()
    window.session.shutdown()


def filter_stall(t0: float, vault: Path, passphrase: str) -> None:
    """Longest gap in a 5 ms heartbeat while a filter is typed into the People list, from
    the moment its rows are shown (opening the page is ``page_stalls``' figure)."""
    qt_app, window = _start_app(vault, passphrase)
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    beats: list[float] = []
    text = "Ahmad Moh"

    def open_page() -> None:
        window.navigate("people")
        QTimer.singleShot(0, start)

    def start() -> None:
        page = window.page("people")
        if page.reader.busy:  # (the rows are read on a worker)
            QTimer.singleShot(10, start)
            return
        edit = page.findChild(QLineEdit, "personFilter")
        edit.setFocus()
        heart = _heartbeat(window, beats)
        heart.start()
        # Key presses, as the guide types: each goes through the app's event filters.
        for i, char in enumerate(text):
            QTimer.singleShot(150 * (i + 1), lambda char=char: QTest.keyClicks(edit, char))
        QTimer.singleShot(150 * (len(text) + 4), finish)

    def finish() -> None:
        gaps = [b - a for a, b in itertools.pairwise(beats)]
        print(max(gaps) if gaps else 0.0, flush=True)
        qt_app.quit()

    window.session.unlocked.connect(lambda: QTimer.singleShot(200, open_page))
    qt_app.exec()


def page_stalls(t0: float, vault: Path, passphrase: str) -> None:
    """Longest gap in a 5 ms heartbeat from opening a page until its rows or figures are
    shown: People, Reports, Sync, then Handouts (one line each), each opened for the first
    time after an unlock with the passphrase typed a second after the window showed, as a
    guide unlocks (the window imports the pages' code meanwhile: ui/preload.py)."""
    qt_app, window = _start_app(vault, None)
    from PySide6.QtCore import QTimer

    beats: list[float] = []
    heart = _heartbeat(window, beats)
    keys = ["people", "reports", "sync", "handouts"]

    def press() -> None:
        _type_and_enter(window, passphrase)

    def open_next() -> None:
        if not keys:
            qt_app.quit()
            return
        key = keys.pop(0)
        beats.clear()
        beats.append(time.perf_counter())
        heart.start()
        window.navigate(key)
        QTimer.singleShot(0, lambda: settle(window.page(key)))

    def settle(page: object) -> None:
        reader = getattr(page, "reader", None)
        if reader is not None and reader.busy:
            QTimer.singleShot(10, lambda: settle(page))
            return
        beats.append(time.perf_counter())
        heart.stop()
        print(max(b - a for a, b in itertools.pairwise(beats)), flush=True)
        QTimer.singleShot(300, open_next)

    window.session.checked.connect(lambda _problems: QTimer.singleShot(300, open_next))
    window.session.unlock_failed.connect(lambda msg: (print("failed", msg), qt_app.exit(2)))
    QTimer.singleShot(1000, press)
    qt_app.exec()


def early_people(vault: Path, passphrase: str) -> None:
    """People opened 0.2 s after a typed unlock, while the row check still runs on its
    thread: the longest gap in a 5 ms heartbeat from the opening until the list's rows
    are shown and the check has ended (first line), and the time the window stood still
    in gaps of over 20 ms (second line)."""
    qt_app, window = _start_app(vault, None)
    from PySide6.QtCore import QTimer

    beats: list[float] = []
    heart = _heartbeat(window, beats)

    def press() -> None:
        _type_and_enter(window, passphrase)

    def open_people() -> None:
        if not window.session.workspace.checking:
            print("failed: the row check ended before People opened", flush=True)
            qt_app.exit(2)
            return
        beats.append(time.perf_counter())
        heart.start()
        window.navigate("people")
        QTimer.singleShot(0, settle)

    def settle() -> None:
        reader = window.page("people").reader
        if reader.busy or window.session.workspace.checking:
            QTimer.singleShot(10, settle)
            return
        beats.append(time.perf_counter())
        heart.stop()
        gaps = [b - a for a, b in itertools.pairwise(beats)]
        print(max(gaps), flush=True)
        print(sum(gap for gap in gaps if gap > 0.02), flush=True)
        qt_app.quit()

    window.session.unlocked.connect(lambda: QTimer.singleShot(200, open_people))
    window.session.unlock_failed.connect(lambda msg: (print("failed", msg), qt_app.exit(2)))
    QTimer.singleShot(1000, press)
    QTimer.singleShot(180_000, lambda: qt_app.exit(3))
    qt_app.exec()
    window.session.shutdown()


def lock_stall(t0: float, vault: Path, passphrase: str) -> None:
    """Longest gap in a 5 ms heartbeat from pressing Lock, one contact after the unlock,
    until the snapshot is written (the contact stays: run it after the other figures)."""
    from datetime import date

    from kisi_desktop.core.domain import Contact, Person

    qt_app, window = _start_app(vault, passphrase)
    from PySide6.QtCore import QTimer

    beats: list[float] = []
    heart = _heartbeat(window, beats)

    def write_then_lock() -> None:
        ws = window.session.workspace
        person_id = ws.rows(Person, ["name"])[0][0]
        ws.add(Contact(person_id=person_id, contacted_on=date.today(), duration_minutes=30,
                       mode="office", note="Termin Kita"))  # fmt: skip
        QTimer.singleShot(300, press_lock)

    def press_lock() -> None:
        beats.append(time.perf_counter())
        heart.start()
        window.lock_action.trigger()
        QTimer.singleShot(0, settle)

    def settle() -> None:
        if window.session.writing_snapshot:
            QTimer.singleShot(10, settle)
            return
        beats.append(time.perf_counter())
        heart.stop()
        print(max(b - a for a, b in itertools.pairwise(beats)), flush=True)
        qt_app.quit()

    window.session.checked.connect(lambda _problems: QTimer.singleShot(300, write_then_lock))
    qt_app.exec()


def unlock_stall(vault: Path, passphrase: str) -> None:
    """Longest gap in a 5 ms heartbeat from pressing Enter on the unlock screen (the
    passphrase typed a second after the window showed; key derivation at test cost) until
    the Overview has painted its figures."""
    qt_app, window = _start_app(vault, None)
    from PySide6.QtCore import QTimer

    beats: list[float] = []
    heart = _heartbeat(window, beats)

    painted = _after_paint(window, lambda: finish())

    def press() -> None:
        beats.append(time.perf_counter())
        heart.start()
        _type_and_enter(window, passphrase)

    def unlocked() -> None:
        # The tile that says this month's contacts: painted means the figures are shown.
        tile = window.page("overview").tiles["contacts"]  # type: ignore[attr-defined]
        tile.installEventFilter(painted)
        # (the glance may have shown the same figure already: a label set to the same
        # text does not paint again; the turn that took the records in is measured all
        # the same)
        tile.update()

    def finish() -> None:
        beats.append(time.perf_counter())
        heart.stop()
        print(max(b - a for a, b in itertools.pairwise(beats)), flush=True)
        qt_app.quit()

    window.session.unlocked.connect(unlocked)
    window.session.unlock_failed.connect(lambda msg: (print("failed", msg), qt_app.exit(2)))
    QTimer.singleShot(1000, press)
    qt_app.exec()
    window.session.shutdown()


def cold_unlock(vault: Path, passphrase: str, ahead: bool) -> None:
    """Seconds from pressing Unlock to the unlocked window, the vault's files evicted from
    the system's cache first (as after a reboot) and the passphrase typed 1.5 s after the
    window showed; ``ahead``: the unlock screen reads the files ahead meanwhile."""

    from kisi_desktop.core.store.snapshot import snapshot_path

    from kisi_desktop.ui.session import Session

    for path in (snapshot_path(vault), vault):
        with path.open("rb") as file:
            os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    if not ahead:
        Session.read_ahead = lambda self: None  # type: ignore[method-assign]
    qt_app, window = _start_app(vault, None)
    from PySide6.QtCore import QTimer

    pressed: list[float] = []

    def press() -> None:
        pressed.append(time.perf_counter())
        window.session.unlock(passphrase=passphrase)

    def unlocked() -> None:
        print(time.perf_counter() - pressed[0], flush=True)
        QTimer.singleShot(0, qt_app.quit)

    window.session.unlocked.connect(unlocked)
    window.session.unlock_failed.connect(lambda msg: (print("failed", msg), qt_app.exit(2)))
    QTimer.singleShot(1500, press)
    QTimer.singleShot(180_000, lambda: qt_app.exit(3))
    qt_app.exec()
    window.session.shutdown()


def person_open(vault: Path, passphrase: str, person_id: str) -> None:
    """Seconds from Enter on a person in the People list until the person page has
    painted its timeline (first line), and the longest gap in a 5 ms heartbeat meanwhile
    (second line); the list is opened once the row check has ended, as a guide's second
    minute is."""
    qt_app, window = _start_app(vault, passphrase)
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    beats: list[float] = []
    heart = _heartbeat(window, beats)
    pressed: list[float] = []

    def open_list() -> None:
        window.navigate("people")
        QTimer.singleShot(0, choose)

    def choose() -> None:
        page = window.page("people")
        if page.reader.busy:
            QTimer.singleShot(10, choose)
            return
        page.list_view.select(person_id)
        table = page.list_view.table
        table.setFocus()
        page.person_view.timeline.viewport().installEventFilter(painted)
        QTimer.singleShot(300, lambda: press(table))

    def press(table: Any) -> None:
        beats.append(time.perf_counter())
        pressed.append(time.perf_counter())
        heart.start()
        QTest.keyClick(table, Qt.Key.Key_Return)

    def finish() -> None:
        shown = time.perf_counter() - pressed[0]
        beats.append(time.perf_counter())
        heart.stop()
        if window.page("people").person_view.person_id != person_id:
            print("failed: another person shown", flush=True)
            qt_app.exit(2)
            return
        print(shown, flush=True)
        print(max(b - a for a, b in itertools.pairwise(beats)), flush=True)
        qt_app.quit()

    painted = _after_paint(window, finish)
    window.session.checked.connect(lambda _problems: QTimer.singleShot(300, open_list))
    window.session.unlock_failed.connect(lambda msg: (print("failed", msg), qt_app.exit(2)))
    qt_app.exec()
    window.session.shutdown()


if __name__ == "__main__":
    mode, t0 = sys.argv[1], float(sys.argv[2])
    if mode == "bare":
        bare(t0)
    elif mode == "app":
        app(t0, Path(sys.argv[3]), sys.argv[4])
    elif mode == "unlock_screen":
        unlock_screen(t0, Path(sys.argv[3]))
    elif mode == "floor":
        floor(t0, Path(sys.argv[3]), sys.argv[4])
    elif mode == "pages":
        page_stalls(t0, Path(sys.argv[3]), sys.argv[4])
    elif mode == "lock":
        lock_stall(t0, Path(sys.argv[3]), sys.argv[4])
    elif mode == "early_people":
        early_people(Path(sys.argv[3]), sys.argv[4])
    elif mode == "unlock":
        unlock_stall(Path(sys.argv[3]), sys.argv[4])
    elif mode == "person":
        person_open(Path(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif mode == "cold":
        cold_unlock(Path(sys.argv[3]), sys.argv[4], sys.argv[5] == "1")
    else:
        filter_stall(t0, Path(sys.argv[3]), sys.argv[4])
