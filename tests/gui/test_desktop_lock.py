"""The vault locks when the desktop locks the screen or the computer goes to sleep.

On Linux the app hears it on D-Bus. These tests run a private dbus-daemon as both the
session and the system bus, start ``kisi-desktop`` against it in a process of its own, and
send the signals a screen saver and logind send, from a process that owns their names (the
app only believes signals from the screen saver's or logind's name). On Windows the same
comes as window messages; those are read from a real ``MSG`` structure here.
"""

from __future__ import annotations

import ctypes
import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from ctypes import wintypes
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kisi_desktop.ui import desktop_lock
from kisi_desktop.ui.desktop_lock import DesktopLock, logind_session_path

from tests.support.app_process import app_environment, town_vault

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"
OWN_SESSION = "c7"

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

APP = """
import json, os, sys
from kisi_desktop.ui.app import start
from PySide6.QtCore import QTimer

app, window = start(["--vault", sys.argv[1]])
session = window.session

def report(**seen):
    print(json.dumps(seen), flush=True)

session.unlocked.connect(lambda: report(event="unlocked", watched=session.desktop.watched))

def locked(reason):
    report(
        event="locked",
        reason=reason,
        unlock_screen=window.stack.currentWidget() is window.unlock_view,
        status=window.statusBar().currentMessage(),
    )
    # Unlock again for the next signal (KISI_PASSPHRASE is the test's).
    QTimer.singleShot(0, lambda: session.unlock(passphrase=os.environ["KISI_PASSPHRASE"]))

session.locked.connect(locked)
QTimer.singleShot(90_000, lambda: app.exit(3))
sys.exit(app.exec())
"""

# Owns the screen savers' and logind's names and sends what the parent asks for, one
# signal a line: "<service> <path> <interface> <member> [true|false]".
DESKTOP = """
import sys
from PySide6.QtCore import QCoreApplication
from PySide6.QtDBus import QDBusConnection, QDBusMessage

app = QCoreApplication([])
bus = QDBusConnection.sessionBus()
for name in ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver", "org.freedesktop.login1"):
    assert bus.registerService(name), name
print("ready", flush=True)
for line in sys.stdin:
    path, interface, member, *flag = line.split()
    message = QDBusMessage.createSignal(path, interface, member)
    if flag:
        message.setArguments([flag[0] == "true"])
    assert bus.send(message)
    # A call after the signal returns once the bus has passed the signal on.
    bus.interface().isServiceRegistered("org.freedesktop.login1")
    print("sent", flush=True)
"""


class Lines:
    """A child's standard output, a line at a time, with a time limit."""

    def __init__(self, stream: object) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._reader.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self._lines.put(line)

    def next(self, timeout: float = 60) -> str:
        return self._lines.get(timeout=timeout).strip()

    def wait_ended(self) -> None:
        """Until the child's end closed the stream."""
        self._reader.join(10)

    def none_within(self, seconds: float) -> bool:
        try:
            self._lines.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[str]:
    """A private bus; its address."""
    folder = tmp_path / "bus"
    folder.mkdir()
    config = tmp_path / "bus.conf"
    config.write_text(BUS_CONFIG.format(folder=folder), encoding="utf-8")
    daemon = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    assert address.startswith("unix:"), address
    yield address
    daemon.terminate()
    daemon.wait(10)
    daemon.stdout.close()


def test_screen_saver_and_logind_signals_lock_the_vault(tmp_path: Path, bus: str) -> None:
    path = town_vault(tmp_path, PASS)
    env = app_environment(
        tmp_path,
        PASS,
        DBUS_SESSION_BUS_ADDRESS=bus,
        DBUS_SYSTEM_BUS_ADDRESS=bus,
        XDG_SESSION_ID=OWN_SESSION,
    )
    desktop = subprocess.Popen(
        [sys.executable, "-c", DESKTOP], env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    app_errors = tmp_path / "app-stderr.txt"
    with app_errors.open("w") as errors:
        app = subprocess.Popen(
            [sys.executable, "-c", APP, str(path)], env=env, text=True,
            stdout=subprocess.PIPE, stderr=errors,
        )  # fmt: skip
    said = Lines(desktop.stdout)
    seen = Lines(app.stdout)
    try:
        assert said.next() == "ready"

        def send(signal: str) -> None:
            assert desktop.stdin is not None
            desktop.stdin.write(signal + "\n")
            desktop.stdin.flush()
            assert said.next() == "sent"

        def event() -> dict[str, object]:
            try:
                line = seen.next()
            except queue.Empty:
                pytest.fail("the app said nothing: " + app_errors.read_text()[-2000:])
            return json.loads(line)  # type: ignore[no-any-return]

        first = event()
        assert first["event"] == "unlocked"
        assert sorted(first["watched"]) == [  # type: ignore[call-overload]
            "org.freedesktop.ScreenSaver",
            "org.freedesktop.login1.Manager",
            "org.freedesktop.login1.Session",
            "org.gnome.ScreenSaver",
        ]
        screen_locked = {
            "event": "locked",
            "reason": "screen",
            "unlock_screen": True,
            "status": "Gesperrt, weil der Bildschirm gesperrt wurde.",
        }

        # The screen saver going away again is no reason to lock.
        saver = "/org/freedesktop/ScreenSaver org.freedesktop.ScreenSaver ActiveChanged"
        send(saver + " false")
        assert seen.none_within(1.0)
        send(saver + " true")
        assert event() == screen_locked
        assert event()["event"] == "unlocked"

        send("/org/gnome/ScreenSaver org.gnome.ScreenSaver ActiveChanged true")
        assert event() == screen_locked
        assert event()["event"] == "unlocked"

        # Another login session's lock, or waking up, leaves this one open: the first lock
        # that follows is the one for going to sleep.
        manager = "/org/freedesktop/login1 org.freedesktop.login1.Manager PrepareForSleep"
        send(logind_session_path("c8") + " org.freedesktop.login1.Session Lock")
        send(manager + " false")
        send(manager + " true")
        assert event() == {
            "event": "locked",
            "reason": "sleep",
            "unlock_screen": True,
            "status": "Gesperrt, weil der Rechner in den Ruhezustand ging.",
        }
        assert event()["event"] == "unlocked"

        send(logind_session_path(OWN_SESSION) + " org.freedesktop.login1.Session Lock")
        assert event() == screen_locked
    finally:
        for child, lines in ((app, seen), (desktop, said)):
            child.kill()
            child.wait(10)
            lines.wait_ended()
            for stream in (child.stdin, child.stdout, child.stderr):
                if stream is not None:
                    stream.close()


def test_logind_session_paths_are_escaped_as_sd_bus_does() -> None:
    # Examples as logind names them: numeric ids (TTY and most desktop logins) get
    # their leading digit escaped, "c" ids (display managers) stay as they are.
    assert logind_session_path("2") == "/org/freedesktop/login1/session/_32"
    assert logind_session_path("15") == "/org/freedesktop/login1/session/_315"
    assert logind_session_path("c1") == "/org/freedesktop/login1/session/c1"
    assert logind_session_path("a-b") == "/org/freedesktop/login1/session/a_2db"


def _message(message: int, wparam: int) -> wintypes.MSG:
    msg = wintypes.MSG()
    msg.message = message
    msg.wParam = wparam
    return msg


@pytest.mark.parametrize(
    ("message", "wparam", "reason"),
    [
        (desktop_lock.WM_WTSSESSION_CHANGE, desktop_lock.WTS_SESSION_LOCK, "screen"),
        (desktop_lock.WM_WTSSESSION_CHANGE, desktop_lock.WTS_CONSOLE_DISCONNECT, "screen"),
        (desktop_lock.WM_WTSSESSION_CHANGE, desktop_lock.WTS_REMOTE_DISCONNECT, "screen"),
        (desktop_lock.WM_WTSSESSION_CHANGE, 0x8, None),  # WTS_SESSION_UNLOCK
        (desktop_lock.WM_WTSSESSION_CHANGE, 0x5, None),  # WTS_SESSION_LOGON
        (desktop_lock.WM_POWERBROADCAST, desktop_lock.PBT_APMSUSPEND, "sleep"),
        (desktop_lock.WM_POWERBROADCAST, 0x12, None),  # PBT_APMRESUMEAUTOMATIC
        (0x0200, desktop_lock.WTS_SESSION_LOCK, None),  # WM_MOUSEMOVE with the same wParam
    ],
)
def test_windows_session_and_power_messages_say_when_to_lock(
    qtbot: QtBot, message: int, wparam: int, reason: str | None
) -> None:
    watch = DesktopLock()
    reasons: list[str] = []
    watch.leaving.connect(reasons.append)
    messages = desktop_lock._WindowsMessages(watch)
    msg = _message(message, wparam)
    result = messages.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(msg))
    assert result == (False, 0)  # Qt and the window still get every message
    assert reasons == ([reason] if reason else [])
    # The same bytes under another platform's event type are not a Windows message.
    messages.nativeEventFilter(b"xcb_generic_event_t", ctypes.addressof(msg))
    assert reasons == ([reason] if reason else [])
