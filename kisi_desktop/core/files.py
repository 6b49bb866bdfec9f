"""Files the app writes for the guide that hold personal data (exports), private to the user;
and files from outside (a USB stick, a download) read without trusting their size.

A GDPR export (Art. 15) is plaintext by design; it must at least not be readable by other
accounts on a shared office laptop, so it is created with mode 0600 from the start (no
window between create and chmod) and an existing file is narrowed to 0600 too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from io import FileIO
from pathlib import Path

from kisi_desktop.core.i18n import _

# Characters Windows, macOS or Linux refuse in a file name, and white space (a suggested
# name is typed over, and a space in it is easily lost in a mail or a command line).
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\s]+')


def safe_file_name(text: str) -> str:
    """``text`` (a translated name such as "KISI-Bericht_PY1") fit for a file name on every
    system: what a file system refuses, and white space, becomes "-". Suggested names are
    in the UI language (QA 26b: "KISI-report_PY1.pdf" in a German window), and a
    translation must not be able to make one that cannot be saved."""
    return _NOT_IN_FILE_NAMES.sub("-", text).strip("-. ")


def read_limited(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the plain file at ``path``; more than ``limit`` back
    means the file is too large (the caller says so in its own words).

    The size is not trusted from ``stat``: a device such as ``/dev/zero`` says 0 and never
    ends, and a named pipe would make the open wait for a writer forever. Both are refused
    before a byte is read (the open does not wait), as is anything else but a plain file.

    Raises:
        OSError: cannot be opened or read, or not a plain file (``strerror`` says which).
    """
    with open_plain(path) as handle:
        return handle.read(limit + 1)


def open_plain(path: Path) -> FileIO:
    """``path`` opened for reading (unbuffered), if it is a plain file.

    The open does not wait (a named pipe would wait for a writer forever), and a device,
    pipe or folder is refused before a byte is read.

    Raises:
        OSError: cannot be opened, or not a plain file (``strerror`` says which).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    handle = os.fdopen(fd, "rb", buffering=0)
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode):
        # A folder named like a bundle on a stick: said as a folder, not "not plain".
        handle.close()
        raise IsADirectoryError(errno.EISDIR, _("it is a folder, not a file"), str(path))
    if not stat.S_ISREG(mode):
        handle.close()
        raise OSError(errno.EINVAL, _("not a plain file"), str(path))
    return handle


def write_private(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``, readable and writable by the owner only (0600).

    A write that fails half-way (a full USB stick) removes the file: half an export is
    still personal data, and nobody would look for it.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    written = os.fstat(fd)
    try:
        try:
            if hasattr(os, "fchmod") and stat.S_ISREG(written.st_mode):
                os.fchmod(fd, 0o600)  # an existing file keeps its mode otherwise
            with os.fdopen(fd, "wb", closefd=False) as out:
                out.write(text.encode("utf-8"))
        finally:
            os.close(fd)
    except BaseException:
        _remove_if_same(path, written)
        raise


def _remove_if_same(path: Path, written: os.stat_result) -> None:
    """Remove the half-written file, if ``path`` still names it and it is a plain file
    (not a device such as /dev/stdout, nor what a link was swapped for meanwhile)."""
    with contextlib.suppress(OSError):
        now = os.lstat(path)
        same = (now.st_dev, now.st_ino) == (written.st_dev, written.st_ino)
        if same and stat.S_ISREG(now.st_mode):
            path.unlink()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new, never half.

    For documents the guide prints or hands on (handouts): written to a temporary name in
    the same folder, flushed to disk, then renamed over the target. A crash or a pulled USB
    stick leaves at worst a stray ``.part`` file, never a truncated PDF under the real name.
    """
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with part.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def why_not_written(error: OSError) -> str:
    """Why a file could not be written, in the UI's language (the system's own text, such
    as "[Errno 2] No such file or directory", is in the system's language and names C)."""
    reasons = {
        errno.ENOENT: _("the folder does not exist (any more)"),
        errno.EACCES: _("there is no permission to write there"),
        errno.EPERM: _("there is no permission to write there"),
        errno.ENOSPC: _("the disk is full"),
        errno.EFBIG: _("the file is too large for this drive"),
        errno.EROFS: _("the drive is read-only"),
        errno.EIO: _("the drive reported an error (a USB stick pulled out?)"),
    }
    return reasons.get(error.errno or 0, error.strerror or type(error).__name__)


def fsync_file(path: Path) -> None:
    """Have the file's data on the medium, not only in the system's cache."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Have a folder's entries (a rename into it) on the medium (POSIX; Windows has no
    folder handles to flush, and NTFS journals the rename)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def os_error_reason(error: BaseException) -> str:
    """Why a file could not be read or written, in the user's language: the operating
    system's own text is English (and says nothing of which file)."""
    reasons = {
        errno.ENOENT: _("it does not exist"),
        errno.EISDIR: _("it is a folder, not a file"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.EEXIST: _("it exists already"),
        errno.EACCES: _("no permission"),
        errno.EPERM: _("no permission"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the disk is read-only"),
        errno.ENAMETOOLONG: _("the name is too long"),
    }
    code = getattr(error, "errno", None)
    if code in reasons:
        return reasons[code]
    sqlite_reason = _sqlite_reason(getattr(error, "sqlite_errorname", ""))
    if sqlite_reason:
        return sqlite_reason
    return str(getattr(error, "strerror", None) or type(error).__name__)


def _sqlite_reason(name: str) -> str | None:
    """SQLite's word for a drive's refusal (``SQLITE_FULL``, ``SQLITE_IOERR_WRITE``...) in
    the user's language; None for anything else. Without it a backup onto a full USB
    stick was refused "because: OperationalError"."""
    if name == "SQLITE_FULL":
        return _("the disk is full")
    if name.startswith("SQLITE_READONLY"):
        return _("the disk is read-only")
    if name.startswith("SQLITE_CANTOPEN"):
        return _("no permission")
    if name.startswith("SQLITE_IOERR"):
        return _("the drive reported an error (a USB stick pulled out?)")
    return None


def is_drive_refusal(error: BaseException) -> bool:
    """Whether an SQLite error is the drive's doing (full, read-only, gone), not a damaged
    file's."""
    return _sqlite_reason(getattr(error, "sqlite_errorname", "")) is not None


def os_error_message(error: OSError) -> str:
    """The file's path and :func:`os_error_reason`, e.g. "/media/stick/x: it does not exist"."""
    reason = os_error_reason(error)
    if error.filename is None:
        return reason
    return _("{path}: {reason}").format(path=error.filename, reason=reason)
