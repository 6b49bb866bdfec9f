"""Backups of the vault: nothing is lost with a broken or stolen laptop.

A backup is a consistent copy of the vault file (names: :mod:`backup_files`), as sealed as
the vault: every record under its keys, opened only with the passphrase of the day it was
made or the recovery code. It is written under a temporary name, flushed to the medium,
renamed, then read back from the medium and checked; a crash or a full USB stick leaves no
file under a backup's name, and the next backup removes what it left.

A backup folder keeps this vault's backups of the last 90 days (and always the newest
three): older ones are deleted when a new one is written. Restoring one: :mod:`restore`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kisi_desktop.core import crashpoints
from kisi_desktop.core.backup_files import backups_in, free_name, read_info, stale_parts
from kisi_desktop.core.errors import UserError, VaultCorrupt, VaultNotFound
from kisi_desktop.core.files import fsync_file, fsync_folder, os_error_reason
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store import vault_file
from kisi_desktop.core.store.not_opened import not_opened
from kisi_desktop.core.workspace import Workspace

KEEP_DAYS = 90
KEEP_AT_LEAST = 3

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BackupMade:
    """A backup written and read back, and the old ones of this vault it replaced."""

    path: Path
    size: int
    removed: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class BackupJob:
    """What writing a backup needs, as plain values: it runs on a worker, away from the
    workspace (only the UI thread touches the vault's connection)."""

    source: Path
    vault_id: bytes
    audit_seq: int
    folder: Path
    made: datetime


def plan_backup(workspace: Workspace, folder: Path) -> BackupJob:
    """The backup of the unlocked ``workspace`` to write into ``folder`` now."""
    vault = workspace.vault
    # The guide's local time, as the file manager shows times beside the name.
    made = workspace.clock.now().astimezone().replace(microsecond=0, tzinfo=None)
    return BackupJob(vault.path, vault.vault_id, vault.audit_seq(), folder, made)


def plan_backup_of_file(vault_path: Path, folder: Path) -> BackupJob:
    """The backup of the vault file at ``vault_path``, locked or open elsewhere, to write
    into ``folder`` now. A backup copies ciphertext only, so it needs no passphrase: the
    town's IT can schedule one, and the guide can make one while the window is open.

    Raises:
        VaultNotFound: no vault at ``vault_path``.
        VaultCorrupt: the file is not a KISI vault.
    """
    if not vault_path.is_file():
        raise VaultNotFound(_("No vault found at {path}.").format(path=vault_path))
    try:
        conn = vault_file.connect_read_only(vault_path)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != vault_file.APPLICATION_ID:
                raise sqlite3.DatabaseError("not a vault")
            vault_id, audit_seq = conn.execute(
                "SELECT vault_id, audit_seq FROM vault_meta"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise not_opened(vault_path, exc) from exc
    except TypeError as exc:  # vault_meta without its row
        raise VaultCorrupt(
            _("{path} is not a KISI vault or is damaged.").format(path=vault_path)
        ) from exc
    made = datetime.now().astimezone().replace(microsecond=0, tzinfo=None)
    return BackupJob(vault_path, bytes(vault_id), int(audit_seq), folder, made)


def make_backup(
    workspace: Workspace,
    folder: Path,
    *,
    progress: Progress | None = None,
) -> BackupMade:
    """Write a backup of the unlocked ``workspace`` into ``folder`` (see write_backup)."""
    return write_backup(plan_backup(workspace, folder), progress=progress)


def write_backup(
    job: BackupJob,
    *,
    progress: Progress | None = None,
    keep_days: int = KEEP_DAYS,
    keep_at_least: int = KEEP_AT_LEAST,
) -> BackupMade:
    """Write the backup ``job`` names; then delete this vault's backups in its folder older
    than ``keep_days``, keeping at least ``keep_at_least``. Files only: any thread.

    Raises:
        UserError: the folder cannot be written (full, read-only, removed), or the copy
            did not read back whole; nothing under a backup's name is left behind.
    """
    folder = job.folder
    if not folder.parent.exists():
        # A mistyped stick (/media/anna/STIK/kisi) must not become folders on the laptop,
        # where the guide would believe the backup safe on the stick: only the last
        # folder of the path is made.
        raise UserError(
            _(
                "The folder {folder} does not exist: is the USB stick plugged in? Choose "
                "an existing folder (the backup makes one folder in it at most)."
            ).format(folder=folder.parent)
        )
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        for stale in stale_parts(folder, job.vault_id):
            stale.unlink(missing_ok=True)
        final = free_name(folder, job.made, job.vault_id)
        part = final.with_name(final.name + ".part")
        # Owner-only from the start, as the vault is (SQLite would take the umask's mode).
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise _not_written(folder, error) from error
    try:
        vault_file.copy_file(job.source, part, progress)
        crashpoints.reached("backup.copied")
        fsync_file(part)
        os.replace(part, final)
        fsync_folder(folder)
    except BaseException as error:
        # Ctrl+C or a full stick: neither the copy nor SQLite's journal of it stays.
        for left in (part, part.with_name(part.name + "-journal")):
            with contextlib.suppress(OSError):
                left.unlink(missing_ok=True)
        if isinstance(error, (OSError, sqlite3.Error)):
            raise _not_written(folder, error) from error
        raise
    info = read_info(final)
    # (A save during the copy makes SQLite copy the newer state: later is fine.)
    if (
        info is None
        or info.vault_id != job.vault_id
        or info.audit_seq < job.audit_seq
        or not _reads_back(final)
    ):
        with contextlib.suppress(OSError):
            final.unlink(missing_ok=True)
        raise UserError(
            _("The backup in {folder} did not read back whole; it was removed.").format(
                folder=folder
            )
        )
    removed = _rotate(folder, job.vault_id, job.made, keep_days, keep_at_least)
    return BackupMade(final, final.stat().st_size, removed)


def _not_written(folder: Path, error: BaseException) -> UserError:
    return UserError(
        _("The backup could not be written to {folder}: {reason}").format(
            folder=folder, reason=os_error_reason(error)
        )
    )


def _reads_back(path: Path) -> bool:
    """Whether the written file reads back whole from the medium and SQLite finds every
    page in order. The system's cached copy is dropped first (Linux), and the file is
    read from start to end before the check (in order: ten times faster than the check's
    own jumps on a disk), so a stick that lost what it was given is caught now, not on
    the day the backup is needed."""
    try:
        with path.open("rb") as handle:
            with contextlib.suppress(OSError, AttributeError):
                os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
            while handle.read(1 << 20):
                pass
        conn = vault_file.open_untrusted(path)
        try:
            return bool(conn.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False


def _rotate(
    folder: Path, vault_id: bytes, now: datetime, keep_days: int, keep_at_least: int
) -> tuple[Path, ...]:
    ours = backups_in(folder, vault_id)
    too_old = now - timedelta(days=keep_days)
    removable = ours[: max(len(ours) - keep_at_least, 0)]
    removed = []
    for info in removable:
        if info.made < too_old:
            try:
                info.path.unlink()
            except OSError:
                continue  # (said nowhere else: the next backup tries again)
            removed.append(info.path)
    return tuple(removed)
