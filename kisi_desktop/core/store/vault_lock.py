"""One open vault at a time: an exclusive lock beside the vault file, held while unlocked.

Two unlocked copies of one vault (the app started twice, or a ``kisi`` command while the
window is unlocked) each work from their own working set. A save in one overwrites what
the other saved to the same record minutes before, without either seeing it, and each
shows lists that miss the other's entries. SQLite serialises single writes, not sessions;
so the vault is opened by one process (and one workspace) at a time.

The lock is the operating system's (``flock`` on Linux and macOS, ``msvcrt.locking`` on
Windows): it ends with the process, so a crash leaves nothing to clear by hand. It is
taken on a file of its own (``<vault>.lock``, always empty) and not on the vault: SQLite
holds POSIX locks on the vault file, and closing any descriptor of a file drops every
POSIX lock the process holds on it (on NFS, ``flock`` is one of those). The lock file is
never removed: removing it would let a third process lock a new file of the same name
while the second still waits on the old one.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from pathlib import Path

from kisi_desktop.core.errors import VaultInUse
from kisi_desktop.core.i18n import _

log = logging.getLogger(__name__)

# errno values that mean "someone else holds it" (flock: EWOULDBLOCK; msvcrt: EACCES or
# EDEADLOCK); any other failure means the file system cannot lock (some network shares).
_HELD = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", -1)}


def lock_path(vault_path: Path) -> Path:
    """The lock file of the vault at ``vault_path``."""
    return vault_path.with_name(vault_path.name + ".lock")


class VaultLock:
    """The held lock of one vault; :meth:`release` (or the end of the process) lets go."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @classmethod
    def acquire(cls, vault_path: Path) -> VaultLock:
        """Take the vault's lock without waiting.

        Raises:
            VaultInUse: another process, or another workspace of this one, has the vault
                open.
        """
        path = lock_path(vault_path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as error:
            # A folder the app may not write to: SQLite refuses the vault itself next,
            # with its own message; the lock has nothing to add.
            log.warning("vault lock file not created: %s", _errno_name(error))
            return cls(None)
        try:
            _lock(fd)
        except OSError as error:
            os.close(fd)
            if error.errno in _HELD:
                raise VaultInUse(in_use_message()) from None
            # The file system has no locks (some network shares): open without one,
            # as before there were locks, and say so in the log.
            log.warning("vault lock not supported here: %s", _errno_name(error))
            return cls(None)
        return cls(fd)

    @property
    def held(self) -> bool:
        """Whether this object holds the lock (False after release, or where the file
        system cannot lock)."""
        return self._fd is not None

    def release(self) -> None:
        """Let go of the lock; a second call does nothing."""
        fd, self._fd = self._fd, None
        if fd is not None:
            # Closing alone ends it too, but Windows asks for the unlock first.
            try:
                _unlock(fd)
            finally:
                os.close(fd)


def in_use_message() -> str:
    """What the guide reads when the vault is open elsewhere (translated)."""
    return _(
        "This vault is already open: in another KISI Desktop window or a kisi command. "
        "Lock or close it there, then try again."
    )


def _errno_name(error: OSError) -> str:
    # The code's name only: the message may carry the path, and so a client's name.
    return errno.errorcode.get(error.errno or 0, "unknown")


def in_use(vault_path: Path) -> bool:
    """Whether another process or workspace has the vault open right now."""
    if not vault_path.is_file():
        return False
    try:
        VaultLock.acquire(vault_path).release()
    except VaultInUse:
        return True
    return False


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        # One byte at offset 0 (past the end of the empty file is allowed on Windows).
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
