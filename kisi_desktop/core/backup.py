"""Backups of the vault, and restoring one: nothing is lost with a broken or stolen laptop.

A backup is a consistent copy of the vault file (``kisi-backup-YYYY-MM-DD-HHMMSS.kisibackup``),
as sealed as the vault: every record under its keys, opened only with the passphrase of
the day it was made or the recovery code. It is written under a temporary name, flushed
to the medium and renamed, and then read back; a crash or a full USB stick leaves no file
under the final name.

Erasures (GDPR Art. 17) outlive a restore. An older backup still holds a person erased
since; restoring it replays every erasure recorded in the later backups of the same vault
found beside it (their audit chains, checked with the vault's keys), before the restored
vault is used. A backup folder keeps the last 90 days of backups (and always the newest
three): older ones of this vault are deleted when a new one is written. A copy of a
backup kept elsewhere stays readable with its passphrase; the DPO documentation says so.

A restored vault is a new device history for the ministry: its next bundle starts a new
epoch (bundles/keys.py), so bundles sent after the backup was made are not numbered twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import sqlite3
import sys
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kisi_desktop.core import crashpoints
from kisi_desktop.core.clock import Clock, SystemClock
from kisi_desktop.core.domain.signing_key import SigningKey
from kisi_desktop.core.errors import UserError, VaultCorrupt, VaultExists
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store import vault_file
from kisi_desktop.core.store.vault_file import APPLICATION_ID
from kisi_desktop.core.store.vault_lock import lock_path
from kisi_desktop.core.workspace import Workspace

SUFFIX = ".kisibackup"
_NAME = re.compile(r"kisi-backup-(\d{4}-\d{2}-\d{2}-\d{6})-[0-9a-f]{8}\.kisibackup")
_STAMP = "%Y-%m-%d-%H%M%S"
KEEP_DAYS = 90
KEEP_AT_LEAST = 3
# A signing key's machine tag that no computer has: the next bundle starts a new epoch.
RESTORED_TAG = "0" * 32

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BackupMade:
    """A backup written and read back, and the old ones of this vault it replaced."""

    path: Path
    size: int
    removed: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """A backup file as found in a folder, read without any key."""

    path: Path
    made: datetime
    vault_id: bytes
    audit_seq: int


@dataclass(frozen=True, slots=True)
class Restored:
    """A vault restored from a backup: where, and how many later erasures were replayed."""

    path: Path
    made: datetime
    erased: int
    later_backups: int


def backup_name(made: datetime, vault_id: bytes) -> str:
    """The file name of a backup made at ``made`` (local time, to the second); the tail
    (random, from the vault id) keeps two vaults' backups on one stick apart."""
    return f"kisi-backup-{made.strftime(_STAMP)}-{vault_id[:4].hex()}{SUFFIX}"


def read_info(path: Path) -> BackupInfo | None:
    """What the clear part of a backup says (vault id, audit entry, date from its name);
    None for anything that is not a KISI backup."""
    match = _NAME.fullmatch(path.name)
    if match is None or not path.is_file():
        return None
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return None
            row = conn.execute("SELECT vault_id, audit_seq FROM vault_meta").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], bytes) or not isinstance(row[1], int):
        return None
    return BackupInfo(path, datetime.strptime(match.group(1), _STAMP), row[0], row[1])


def backups_in(folder: Path, vault_id: bytes | None = None) -> list[BackupInfo]:
    """The backups in ``folder`` (of one vault, if given), oldest first."""
    try:
        names = sorted(folder.glob("kisi-backup-*" + SUFFIX))
    except OSError:
        return []
    found = [info for name in names if (info := read_info(name)) is not None]
    if vault_id is not None:
        found = [info for info in found if info.vault_id == vault_id]
    return sorted(found, key=lambda info: (info.made, info.audit_seq))


@dataclass(frozen=True, slots=True)
class BackupJob:
    """What writing a backup needs, as plain values: it runs on a worker, away from the
    workspace (only the UI thread touches the vault's connection)."""

    source: Path
    vault_id: bytes
    audit_seq: int
    target: Path
    made: datetime


def plan_backup(workspace: Workspace, folder: Path) -> BackupJob:
    """The backup of the unlocked ``workspace`` to write into ``folder`` now."""
    vault = workspace.vault
    # The guide's local time, as the file manager shows times beside the name.
    made = workspace.clock.now().astimezone().replace(microsecond=0, tzinfo=None)
    target = folder / backup_name(made, vault.vault_id)
    return BackupJob(vault.path, vault.vault_id, vault.audit_seq(), target, made)


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
        UserError: the folder cannot be written (full, read-only, removed); nothing
            under the backup's name is left behind.
    """
    final = job.target
    folder = final.parent
    part = final.with_name(final.name + ".part")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if final.exists():
            raise UserError(_("A backup of this second already exists: {path}").format(path=final))
        part.unlink(missing_ok=True)
        # Owner-only from the start, as the vault is (SQLite would take the umask's mode).
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        vault_file.copy_file(job.source, part, progress)
        crashpoints.reached("backup.copied")
        _flush(part)
        os.replace(part, final)
        _flush_folder(folder)
    except (OSError, sqlite3.Error) as error:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise UserError(
            _("The backup could not be written to {folder}: {reason}").format(
                folder=folder, reason=getattr(error, "strerror", None) or error
            )
        ) from error
    info = read_info(final)
    # (A save during the copy makes SQLite copy the newer state: later is fine.)
    if info is None or info.vault_id != job.vault_id or info.audit_seq < job.audit_seq:
        final.unlink(missing_ok=True)
        raise UserError(
            _("The backup in {folder} did not read back; it was removed.").format(folder=folder)
        )
    removed = _rotate(folder, job.vault_id, job.made, keep_days, keep_at_least)
    return BackupMade(final, final.stat().st_size, removed)


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


def restore_backup(
    source: Path,
    target: Path,
    *,
    passphrase: str | None = None,
    recovery_code: str | None = None,
    clock: Clock | None = None,
) -> Restored:
    """Make a new vault at ``target`` from the backup ``source``, with every erasure the
    later backups beside it recorded replayed. The backup itself is not changed.

    Raises:
        VaultExists: ``target`` exists (a restore never overwrites a vault).
        VaultCorrupt: ``source`` is no KISI backup, fails its check, or a later backup
            beside it belongs to the vault but was altered.
        WrongSecret: the passphrase (of the day the backup was made) or recovery code
            does not open it.
    """
    info = read_info(source)
    if info is None:
        raise VaultCorrupt(_("{path} is not a KISI backup.").format(path=source))
    if target.exists():
        raise VaultExists(
            _("A vault already exists at {path}; a restore does not replace it.").format(
                path=target
            )
        )
    later = [
        other
        for other in backups_in(source.parent, info.vault_id)
        if other.audit_seq > info.audit_seq and other.path != source
    ]
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    part = target.with_name(target.name + ".restoring")
    _remove_vault_files(part)
    try:
        _copy(source, part)
        workspace = Workspace.open(
            part,
            passphrase=passphrase,
            recovery_code=recovery_code,
            clock=clock or SystemClock(),
            # No snapshot beside the temporary name (it would stay behind at the rename);
            # the first unlock of the restored vault writes one where it belongs.
            snapshot_min_records=sys.maxsize,
        )
        try:
            if workspace.problems:
                raise VaultCorrupt(
                    _("The backup {path} failed its check: {problem}").format(
                        path=source, problem=workspace.problems[0]
                    )
                )
            erased = 0
            for other in later:
                for entry in workspace.vault.erasures_in(other.path, info.audit_seq):
                    erased += _replay(workspace, entry.changes)
            _new_epoch(workspace)
        finally:
            workspace.lock()
        crashpoints.reached("restore.replayed")
        os.replace(part, target)
        _flush_folder(target.parent)
    except BaseException:
        _remove_vault_files(part)
        raise
    finally:
        lock_path(part).unlink(missing_ok=True)
    return Restored(target, info.made, erased, len(later))


def _replay(workspace: Workspace, changes: Sequence[tuple[str, str, int, str | None]]) -> int:
    """Do again what one erasure did; returns how many people and volunteers it erased
    (0 when the restored vault no longer holds them)."""
    deleted = [(kind, rid) for kind, rid, _v, digest in changes if digest is None]
    erased = 0
    for kind, rid in deleted:
        if workspace.working_set.body(rid) is None:
            continue  # not in the backup, or already gone with its person
        if kind == "person":
            workspace.erase_person(rid)
            erased += 1
        elif kind == "volunteer":
            workspace.erase_volunteer(rid)
            erased += 1
    gone = {rid for _kind, rid in deleted}
    for kind, rid, _v, digest in changes:
        # A volunteer kept for the payments, with the contact details erased.
        if kind == "volunteer" and digest is not None and rid not in gone:
            if workspace.working_set.body(rid) is not None:
                workspace.remove_volunteer_contact(rid)
    # Notes and follow-ups deleted at the end of their retention period.
    owners = {
        workspace.meta(rid)["owner"]
        for _kind, rid in deleted
        if workspace.working_set.body(rid) is not None
    }
    for owner in sorted(owner for owner in owners if owner):
        workspace.delete_notes(owner)
    return erased


def _new_epoch(workspace: Workspace) -> None:
    for key in workspace.list(SigningKey):
        if key.machine_tag:  # (an empty tag: no bundle was ever sent from it)
            workspace.update(dataclasses.replace(key, machine_tag=RESTORED_TAG))


def _copy(source: Path, target: Path) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    with source.open("rb") as reader, os.fdopen(os.open(target, flags, 0o600), "wb") as writer:
        while chunk := reader.read(1 << 20):
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())


def _remove_vault_files(path: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + extra).unlink(missing_ok=True)


def _flush(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _flush_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # (Windows cannot open a folder to flush it; NTFS journals the rename)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
