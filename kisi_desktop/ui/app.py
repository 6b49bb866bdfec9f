"""Start the desktop app: parse the command line, build and wire the objects, show the window.

This module (with ``cli/main.py``) is the one place that builds and wires objects
(STYLE.md rule 3): settings, translations, fonts, the session, the pages and the window.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# The Qt-free modules the start needs come before PySide6: PySide6 hands every module
# imported after it to an import hook that reads the module's whole source (looking for
# ``from __feature__ import``). The vault's code (workspace, domain, sealed store) is not
# among them: the unlock screen shows without it, and a thread imports it, hook and all,
# while the guide types the passphrase (ui/preload.py).
from kisi_desktop.core.errors import KisiError
from kisi_desktop.core.hardening import harden_process
from kisi_desktop.core.i18n import UI_LANGUAGES, _, set_ui_language
from kisi_desktop.core.older_copy import Marks
from kisi_desktop.core.paths import demo_vault_path, resolve_vault_path
from kisi_desktop.core.settings import Settings, load_settings

# isort: split
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.gc_guard import MainThreadCollector
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.registry import page_factories
from kisi_desktop.ui.preload import finish as finish_preload
from kisi_desktop.ui.qt_compat import keep_none_alive
from kisi_desktop.ui.qt_i18n import install_qt_translator
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner

WINDOW_TITLE = "KISI Desktop"  # the product name; not translated
# After a lock by hand or by idle time, the full collection that frees what cycles held of
# the records waits for the snapshot's thread (it held that up 20-70 ms), at most so long.
LOCK_COLLECT_WAIT_S = 5.0
LOCK_COLLECT_POLL_MS = 100
# How long the end of the app waits for the preload's import under way (one module).
PRELOAD_END_WAIT_S = 5.0
SWITCH_INTERVAL_S = 0.001  # (the interpreter's default: 0.005; see start())


def parse_args(argv: Sequence[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    """Split the command line into our options and the rest, which is left for Qt.

    Qt understands options of its own (``-platform offscreen``, ``-style fusion``); they must
    not make argparse fail.
    """
    parser = argparse.ArgumentParser(prog="kisi-desktop", description="KISI Desktop")
    parser.add_argument(
        "--vault",
        type=Path,
        metavar="PATH",
        help=_("vault file to open instead of the one in the user data folder"),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("open the demo vault with made-up people and figures"),
    )
    parser.add_argument(
        "--ministry",
        type=Path,
        metavar="DIR",
        help=_("open the ministry view on this ministry folder (offers to create one)"),
    )
    parser.add_argument(
        "--lang",
        choices=UI_LANGUAGES,
        default=None,
        help=_("language of the user interface (default: German)"),
    )
    return parser.parse_known_args(argv)


def build_main_window(
    vault_path: Path,
    *,
    demo: bool = False,
    settings: Settings | None = None,
    runner: TaskRunner | None = None,
) -> MainWindow:
    """The wired main window for ``vault_path`` (not shown); needs a QApplication."""
    settings = settings or Settings()
    runner = runner or TaskRunner()
    session = Session(
        vault_path,
        runner,
        demo=demo,
        idle_minutes=settings.idle_lock_minutes,
        marks=Marks.for_user(),
    )
    window = MainWindow(session, runner, page_factories())
    runner.setParent(window)
    session.setParent(window)
    return window


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C or a shutdown's SIGTERM end the event loop, so the vault is locked cleanly.

    Python handles signals only between bytecodes; a short timer gives it the chance while
    Qt's event loop runs in C++.
    """
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_args: app.quit())
    ticker = QTimer(app)
    ticker.setInterval(300)
    ticker.timeout.connect(lambda: None)
    ticker.start()


def _collect_after_lock(window: MainWindow, collector: MainThreadCollector, reason: str) -> None:
    """Free what reference cycles still hold of the records, on the UI thread, once the views
    have let go of them (the next turn). Before the computer sleeps or the screen locks, at
    once: the machine may be suspended (its memory written to disk when it hibernates) a
    moment later. Otherwise once the lock's thread has written the snapshot, or after
    :data:`LOCK_COLLECT_WAIT_S`."""
    if reason in ("sleep", "screen"):
        QTimer.singleShot(0, collector.collect)
        return
    deadline = time.monotonic() + LOCK_COLLECT_WAIT_S

    def when_written() -> None:
        if window.session.writing_snapshot and time.monotonic() < deadline:
            QTimer.singleShot(LOCK_COLLECT_POLL_MS, when_written)
        else:
            collector.collect()

    QTimer.singleShot(0, when_written)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app until its last window closes; return the process exit code."""
    started = start(argv)
    if isinstance(started, int):
        return started
    app, window = started
    _quit_on_signals(app)
    try:
        return app.exec()
    except KeyboardInterrupt:
        return 1
    finally:
        # Locks, if the window did not, and waits (a minute at most) for the snapshot.
        window.session.shutdown()
        # And for an import under way on the preload's thread (ui/preload.py).
        finish_preload(PRELOAD_END_WAIT_S)


def start(argv: Sequence[str] | None = None) -> tuple[QApplication, MainWindow] | int:
    """Everything before the guide's event loop: the shown window, unlocking when
    ``KISI_PASSPHRASE`` is set; or the exit code when the run already ended (the ministry
    view ran, the first-run wizard was cancelled, the demo vault could not be made).

    The start-up benchmark calls this too, so that it measures the start a guide gets.
    """
    harden_process()
    keep_none_alive()
    # The UI thread takes the interpreter lock back at every row SQLite hands it and at
    # every call from Qt into Python; while a worker runs Python (the row check after an
    # unlock, a list read), each time it waited up to the switch interval, 5 ms by
    # default: the People list opened during the row check stalled up to 100 ms where
    # its own work took 10. At 1 ms the workers lose a little throughput (more handovers).
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    settings = load_settings()
    set_ui_language(args.lang or settings.language)
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(WINDOW_TITLE)
    # Qt's own file dialogs, not the desktop's: they speak the app's language, close at a
    # lock like any other window (a desktop portal's dialog is another process), and keep
    # no recent-files list of their own (GTK's recently-used.xbel, Windows' Open/Save MRU)
    # where an export named after a client would stay in plain text.
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    register_fonts()
    collector = MainThreadCollector(app)  # owned by the app, lives as long as it
    install_qt_translator(app, args.lang or settings.language)
    if args.ministry is not None:
        return _run_ministry(app, args.ministry)
    if args.demo:
        vault_path = args.vault or demo_vault_path()
    else:
        vault_path = resolve_vault_path(args.vault)
    window = build_main_window(vault_path, demo=args.demo, settings=settings)
    window.session.locked.connect(lambda reason: _collect_after_lock(window, collector, reason))
    window.session.locked.connect(lambda _reason: collector.pace(unlocked=False))
    window.session.unlocked.connect(lambda: collector.pace(unlocked=True))
    if args.demo:
        try:
            # Only --demo needs the generator; importing it costs start-up time.
            from kisi_desktop.core.demo.vault import DEMO_PASSPHRASE, ensure_demo_vault

            from kisi_desktop.ministry.demo import ensure_demo_ministry

            from kisi_desktop.ui.demo_progress import build_demo_vault

            def make_demo(path: Path, progress: Callable[[int, int], None]) -> bool:
                # The demo town comes with a demo ministry beside it (Sync page, and
                # kisi-desktop --ministry <folder>), so the whole round can be tried.
                made = ensure_demo_vault(path, progress=progress)
                if made:
                    ensure_demo_ministry(path, DEMO_PASSPHRASE)
                return made

            build_demo_vault(vault_path, window.runner, make=make_demo)
        except (KisiError, OSError) as error:
            show_error(
                None, _("The demo vault could not be created: {reason}").format(reason=error)
            )
            return 1
    if not window.session.vault_exists():
        from kisi_desktop.ui.setup_wizard import SetupWizard

        wizard = SetupWizard(vault_path, window.runner)
        if not wizard.exec() or wizard.workspace is None:
            return 0
        # Restored with the recovery code: the window asks for a new passphrase at once.
        window.session.with_recovery_code = wizard.with_recovery_code
        window.session.adopt(wizard.workspace)
        if wizard.restored is not None:
            window.backups.tell_restored(wizard.restored)
    # Logging out or shutting down: lock first, so that open forms close keeping their
    # drafts instead of asking whether to discard them (which would hold up the logout).
    app.commitDataRequest.connect(lambda _manager: window.session.lock("manual"))
    window.show()
    passphrase = os.environ.get("KISI_PASSPHRASE")
    if passphrase and window.session.workspace is None:
        window.session.unlock(passphrase=passphrase)
    # Else the window reads the vault ahead once its unlock screen has painted.
    return app, window


def _run_ministry(app: QApplication, folder: Path) -> int:
    """The ministry view instead of the guides' window (issue 6): no vault is opened."""
    # Imported here: the guides' start-up does not pay for the ministry's modules.
    from kisi_desktop.ui.ministry import ministry_window

    window = ministry_window(folder)
    if window is None:
        return 0
    window.show()
    _quit_on_signals(app)
    try:
        return app.exec()
    except KeyboardInterrupt:
        return 1


def show_error(parent: object, message: str) -> None:
    """A plain error box (used where no page is there to show the message)."""
    QMessageBox.warning(parent, WINDOW_TITLE, message)  # type: ignore[arg-type]
