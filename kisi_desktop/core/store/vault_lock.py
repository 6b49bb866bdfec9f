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
POSIX lock the process holds on it (on NFS, ``flock`` is one of those).

The lock file is removed only by its holder, and only where no vault came to be beside it
(a set-up or restore that failed): :meth:`VaultLock.release_unused`. A process that
opened the old file just before it went would otherwise lock a file nobody else can find
while a third locks a new one of the same name; so :meth:`VaultLock.acquire` checks,
once it holds a lock, that the name still leads to the file it locked, and starts again
if not.
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

    def __init__(self, fd: int | None, vault_path: Path | None = None) -> None:
        self._fd = fd
        self._vault_path = vault_path

    @classmethod
    def acquire(cls, vault_path: Path) -> VaultLock:
        """Take the vault's lock without waiting.

        Raises:
            VaultInUse: another process, or another workspace of this one, has the vault
                open.
        """
        path = lock_path(vault_path)
        for _attempt in range(_REOPENS):
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
            except OSError as error:
                # A folder the app may not write to: SQLite refuses the vault itself
                # next, with its own message; the lock has nothing to add.
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
            if _still_named(fd, path):
                return cls(fd, vault_path)
            # Its holder removed it after we opened it (release_unused): that lock
            # guards nothing any more; the file now under the name is the one to take.
            _unlock(fd)
            os.close(fd)
        raise VaultInUse(in_use_message())

    @property
    def held(self) -> bool:
        """Whether this object holds the lock (False after release, or where the file
        system cannot lock)."""
        return self._fd is not None

    def release_unused(self) -> None:
        """Let go of the lock and remove its file, when no vault is beside it (a failed
        set-up or restore leaves nothing behind). Removed while still held, so no other
        process can be holding it; one that opened it meanwhile finds the name gone once
        it has the lock, and starts again (:meth:`acquire`)."""
        vault_path = self._vault_path
        if self._fd is not None and vault_path is not None and not vault_path.exists():
            try:
                lock_path(vault_path).unlink()
            except OSError as error:  # Windows: open elsewhere; an empty file does no harm
                log.info("vault lock file kept: %s", _errno_name(error))
        self.release()

    def release(self) -> None:
        """Let go of the lock; a second call does nothing."""
        fd, self._fd = self._fd, None
        if fd is not None:
            # Closing alone ends it too, but Windows asks for the unlock first.
            try:
                _unlock(fd)
            finally:
                os.close(fd)


# How often acquire() starts again when the file it locked was removed meanwhile: each
# time needs another process to make, lock and remove a new one in between.
_REOPENS = 5


def _still_named(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open at ``fd`` (on Windows an open file
    cannot be removed, so it always does)."""
    if sys.platform == "win32":
        return True
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


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
