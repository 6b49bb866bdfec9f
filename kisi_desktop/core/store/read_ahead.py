"""Reading the vault's files ahead while the guide types the passphrase.

Unlocking reads the sealed snapshot whole (about 100 MB with 10,000 people), and the row
check that follows reads the vault file. From a cold disk cache that is the slowest part
of an unlock on an older office laptop: a fifth of a second from a SATA SSD, a second or
more from a hard disk. The unlock screen waits for typing anyway, so a thread reads the
files meanwhile and the operating system keeps them in its cache.

Only ciphertext passes through, into one buffer used again for every chunk: nothing is
decrypted or kept. Reading stops as soon as the unlock begins (it then reads for itself),
and anything but a plain file is left alone (a named pipe would make the open wait).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from pathlib import Path

from kisi_desktop.core.files import open_plain

CHUNK = 1024 * 1024


class ReadAhead:
    """Reads ``paths`` in order on a daemon thread, until done or :meth:`stop`."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self.paths = tuple(paths)
        self.bytes_read = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kisi-read-ahead", daemon=True)

    def start(self) -> None:
        """Begin reading (once)."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the chunk being read; safe to call at any time, also before start."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        """True once :meth:`stop` was called."""
        return self._stop.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the thread ended; True if it did (tests, and the app's end)."""
        if self._thread.ident is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        buffer = memoryview(bytearray(CHUNK))
        for path in self.paths:
            if self._stop.is_set():
                return
            with contextlib.suppress(OSError):  # gone, locked, unreadable: nothing lost
                self._read(path, buffer)

    def _read(self, path: Path, buffer: memoryview) -> None:
        with open_plain(path) as handle:  # (not a plain file: OSError, left alone)
            while not self._stop.is_set():
                count = handle.readinto(buffer)
                if not count:
                    return
                self.bytes_read += count
