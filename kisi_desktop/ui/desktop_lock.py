"""Tells the session when the desktop locks the screen or the computer goes to sleep.

A guide who presses Win+L or closes the lid has left the laptop: the vault locks with the
screen, not ten minutes later. What the desktop reports, and where:

- Linux, session bus: ``ActiveChanged(true)`` of the freedesktop screen saver (KDE, Xfce,
  and others) and of GNOME's.
- Linux, system bus (logind): ``Lock`` on this login session (``loginctl lock-session``,
  which desktops send on a lid close or a lock shortcut), and ``PrepareForSleep(true)``
  before a suspend or hibernation.
- Windows: ``WM_WTSSESSION_CHANGE`` for a lock or a disconnected session (after
  ``WTSRegisterSessionNotification`` on the main window), and ``WM_POWERBROADCAST`` with
  ``PBT_APMSUSPEND`` before a sleep.

Where none of these is available (no D-Bus, a desktop that reports nothing) the wall-clock
idle lock still holds (ui/session.py).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Mapping

from PySide6.QtCore import SLOT, QAbstractNativeEventFilter, QCoreApplication, QObject, Signal, Slot

log = logging.getLogger(__name__)

# Windows messages and their codes (WinUser.h, WtsApi32.h).
WM_WTSSESSION_CHANGE = 0x02B1
WTS_CONSOLE_DISCONNECT = 0x2
WTS_REMOTE_DISCONNECT = 0x4
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0
# A name rather than the test itself, so the type checker reads both branches everywhere.
ON_WINDOWS = sys.platform == "win32"

_SCREEN_SAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
)
_LOGIND = "org.freedesktop.login1"


def windows_lock_reason(message: int, wparam: int) -> str | None:
    """Why a Windows message means the guide left: "screen", "sleep", or None."""
    if message == WM_WTSSESSION_CHANGE and wparam in (
        WTS_SESSION_LOCK,
        WTS_CONSOLE_DISCONNECT,
        WTS_REMOTE_DISCONNECT,
    ):
        return "screen"
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return "sleep"
    return None


def logind_session_path(session_id: str) -> str:
    """logind's object path for a session id (``XDG_SESSION_ID``).

    sd-bus escapes every byte that is not an ASCII letter or digit, and a leading digit,
    as ``_`` and two hex digits: session "2" is ``/org/freedesktop/login1/session/_32``.
    """
    escaped = []
    for position, byte in enumerate(session_id.encode("utf-8")):
        char = chr(byte)
        if (char.isascii() and char.isalpha()) or (char.isdigit() and position > 0):
            escaped.append(char)
        else:
            escaped.append(f"_{byte:02x}")
    return "/org/freedesktop/login1/session/" + "".join(escaped)


class _WindowsMessages(QAbstractNativeEventFilter):
    """Reads the Windows messages that say the session locked or the machine sleeps."""

    def __init__(self, watch: DesktopLock) -> None:
        super().__init__()
        self._watch = watch

    def nativeEventFilter(self, event_type: object, message: int) -> object:
        if bytes(event_type) == b"windows_generic_MSG":  # type: ignore[call-overload]
            from ctypes import wintypes

            msg = wintypes.MSG.from_address(int(message))
            reason = windows_lock_reason(msg.message, msg.wParam or 0)
            if reason is not None:
                self._watch.report(reason)
        return False, 0


class DesktopLock(QObject):
    """Emits ``leaving(reason)`` ("screen" or "sleep") when the desktop says so."""

    leaving = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._windows: _WindowsMessages | None = None
        self._registered_window: int | None = None
        self.watched: list[str] = []

    def report(self, reason: str) -> None:
        """Say that the guide left (from a desktop message)."""
        self.leaving.emit(reason)

    # ------------------------------------------------------------------ Linux (D-Bus)
    def watch_dbus(self, environ: Mapping[str, str] | None = None) -> None:
        """Listen on the session and system bus, where they are reachable."""
        environ = os.environ if environ is None else environ
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # not in every Qt build
            return
        session_bus = QDBusConnection.sessionBus()
        if session_bus.isConnected():
            for service, path in _SCREEN_SAVERS:
                if session_bus.connect(  # type: ignore[call-overload]
                    service, path, service, "ActiveChanged", self, SLOT("_screen_saver(bool)")
                ):
                    self.watched.append(service)
        system_bus = QDBusConnection.systemBus()
        if not system_bus.isConnected():
            return
        session_id = environ.get("XDG_SESSION_ID", "")
        if session_id and system_bus.connect(  # type: ignore[call-overload]
            _LOGIND,
            logind_session_path(session_id),
            _LOGIND + ".Session",
            "Lock",
            self,
            SLOT("_session_lock()"),
        ):
            self.watched.append(_LOGIND + ".Session")
        if system_bus.connect(  # type: ignore[call-overload]
            _LOGIND,
            "/org/freedesktop/login1",
            _LOGIND + ".Manager",
            "PrepareForSleep",
            self,
            SLOT("_prepare_for_sleep(bool)"),
        ):
            self.watched.append(_LOGIND + ".Manager")

    @Slot(bool)
    def _screen_saver(self, active: bool) -> None:
        if active:
            self.report("screen")

    @Slot()
    def _session_lock(self) -> None:
        self.report("screen")

    @Slot(bool)
    def _prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.report("sleep")

    # ------------------------------------------------------------------ Windows
    def read_windows_messages(self, app: QCoreApplication) -> None:
        """Read the Windows messages above from the app's event loop.

        Only on Windows: elsewhere the filter would be a call into Python for each of the
        platform's events (every mouse move under X11) and would never find one.
        """
        if self._windows is None:
            self._windows = _WindowsMessages(self)
            app.installNativeEventFilter(self._windows)

    def watch_window(self, window_id: int) -> None:
        """Ask Windows to send session changes (lock, disconnect) to this window."""
        app = QCoreApplication.instance()
        if not ON_WINDOWS or app is None or self._registered_window is not None:
            return
        self.read_windows_messages(app)
        wtsapi32 = ctypes.WinDLL("wtsapi32", use_last_error=True)  # type: ignore[attr-defined]
        if wtsapi32.WTSRegisterSessionNotification(
            ctypes.c_void_p(window_id), NOTIFY_FOR_THIS_SESSION
        ):
            self._registered_window = window_id
            self.watched.append("WTSSessionNotification")
            app.aboutToQuit.connect(self._unregister_window)
        else:
            error = ctypes.get_last_error()  # type: ignore[attr-defined]
            log.warning("Windows refused session notifications (error %s)", error)

    def _unregister_window(self) -> None:
        if self._registered_window is not None:
            ctypes.WinDLL("wtsapi32").WTSUnRegisterSessionNotification(  # type: ignore[attr-defined]
                ctypes.c_void_p(self._registered_window)
            )
            self._registered_window = None
