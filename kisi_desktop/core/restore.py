"""Restoring a vault from a backup (a new laptop), without bringing back what was erased.

The backup's rows are taken into a file of the app's own schema beside the new vault's
place, which is unlocked and checked whole (every row against its audit chain; no
snapshot is trusted). An older backup still holds what was
deleted or erased since; so every later backup of the same vault in the backup's folder is
read (read-only, its chain checked with the vault's keys) and each deletion and erasure it
recorded after the restored state is carried out again, in the order it happened: people
and volunteers erased, volunteers' contact details cleared, notes deleted at the end of
their retention period, records deleted. Only then does the file get the vault's name; a
vault already there is never replaced.

What was entered or changed after the backup is not in it. Erasures made after the newest
backup, or recorded in backups kept elsewhere, cannot be known here; the guide is told to
repeat them. A restored vault is a new device history for the ministry: its next bundle
starts a new epoch (bundles/keys.py), so bundles sent after the backup are not numbered
twice.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kisi_desktop.core import crashpoints
from kisi_desktop.core.backup_files import (
    SUFFIX,
    BackupInfo,
    backups_in,
    cut_short,
    name_before_renaming,
    read_info,
    renamed_backup,
)
from kisi_desktop.core.clock import Clock, SystemClock, today
from kisi_desktop.core.errors import (
    KisiError,
    StillNeeded,
    UserError,
    VaultCorrupt,
    VaultExists,
    VaultNotFound,
    WrongSecret,
)
from kisi_desktop.core.files import fsync_folder
from kisi_desktop.core.i18n import _, format_date, ngettext
from kisi_desktop.core.older_copy import Marks, highest_epoch, start_new_epoch
from kisi_desktop.core.store import vault_file
from kisi_desktop.core.store.audit import AuditEntry
from kisi_desktop.core.store.sealed_store import remove_files
from kisi_desktop.core.store.vault_lock import VaultLock, lock_path
from kisi_desktop.core.vault.recovery import parse_code
from kisi_desktop.core.workspace import Workspace

log = logging.getLogger(__name__)
_SUBJECTS = ("person", "volunteer")
_ID = re.compile(r"[0-9a-f]{8,}")
DRAFT = "draft"


@dataclass(frozen=True, slots=True)
class Restored:
    """A vault restored from a backup, and what the later backups beside it changed."""

    path: Path
    made: datetime
    later_backups: int
    erased: int
    """People and volunteers erased again."""
    not_replayed: int
    """Recorded deletions that could not be carried out again (said to the guide)."""


def restore_report(restored: Restored) -> list[str]:
    """What the guide must know after a restore, one paragraph a line (window and
    command line say the same)."""
    day = format_date(restored.made.date())
    lines = [
        _(
            "The vault was restored from the backup of {day}. What was entered or changed "
            "after that day is not in it: please enter it again."
        ).format(day=day)
    ]
    if restored.later_backups:
        lines.append(
            ngettext(
                "Deletions and erasures recorded in {n} later backup were carried out "
                "again ({erased} people or volunteers erased).",
                "Deletions and erasures recorded in {n} later backups were carried out "
                "again ({erased} people or volunteers erased).",
                restored.later_backups,
            ).format(n=restored.later_backups, erased=restored.erased)
        )
    lines.append(
        _(
            "Whoever you erased after the newest backup in that folder is not known here: "
            "erase them again."
        )
    )
    if restored.not_replayed:
        lines.append(
            ngettext(
                "{n} recorded deletion could not be carried out again: please check the "
                "lists for entries that should be gone.",
                "{n} recorded deletions could not be carried out again: please check the "
                "lists for entries that should be gone.",
                restored.not_replayed,
            ).format(n=restored.not_replayed)
        )
    lines.append(
        _(
            "The next export for the ministry starts a new series (a new epoch), so "
            "bundles sent after the backup are not numbered twice."
        )
    )
    return lines


RESTORE_STEPS = 3
"""The steps :func:`restore_backup` counts in its ``progress``."""


def restore_backup(
    source: Path,
    target: Path,
    *,
    passphrase: str | None = None,
    recovery_code: str | None = None,
    clock: Clock | None = None,
    marks: Marks | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Restored:
    """Make a new vault at ``target`` from the backup ``source`` (see the module
    docstring). The backup itself is not changed. ``marks``: mark the restored vault as
    locked here, so that its next unlock does not take it for an older copy put back
    (core/older_copy.py): it is one, on purpose. ``progress(step, RESTORE_STEPS)`` after
    each step (copied, checked and erasures replayed, in place): seconds to minutes for a
    large vault.

    Raises:
        VaultExists: ``target`` exists (a restore never replaces a vault).
        VaultInUse: another restore or app has ``target`` open.
        VaultCorrupt: ``source`` is no KISI backup, fails its check, or a later backup
            beside it belongs to the vault but was altered.
        WrongSecret: the passphrase (of the day the backup was made) or recovery code
            does not open it, or its key slot is damaged (the two cannot be told apart).
    """

    def stepped(done: int) -> None:
        if progress is not None:
            progress(done, RESTORE_STEPS)

    info = read_info(source)
    if info is None and not source.exists():
        raise VaultNotFound(_("There is no file {path}.").format(path=source))
    if info is None and source.suffix == SUFFIX and cut_short(source):
        raise _incomplete(source)
    if info is None and (vault_id := renamed_backup(source)) is not None:
        raise _renamed(source, vault_id)
    if info is None:
        raise VaultCorrupt(_("{path} is not a KISI backup.").format(path=source))
    _refuse_unreadable_siblings(source, info)
    made_folders = _missing_folders(target.parent)
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Held to the end: a second restore, or a new vault made meanwhile, waits its turn.
        held = VaultLock.acquire(target)
    except OSError as error:
        _remove_empty(made_folders)
        raise _not_restored(target, error) from error
    except BaseException:
        _remove_empty(made_folders)
        raise
    try:
        if target.exists():
            raise _exists(target)
        later = [
            other
            for other in backups_in(source.parent, info.vault_id)
            if other.path != source and (other.audit_seq > info.audit_seq or other.made > info.made)
        ]
        part = target.with_name(target.name + ".restoring")
        try:
            remove_files(part)
            stepped(0)
            _rebuild(source, part)
            stepped(1)
            summary, head, epoch = _open_and_replay(
                part, source, info, later, passphrase, recovery_code, clock, marks
            )
            stepped(2)
            crashpoints.reached("restore.replayed")
            _publish(part, target)
            fsync_folder(target.parent)
            stepped(RESTORE_STEPS)
            if marks is not None:  # only once the vault has its name (a failure marks nothing)
                marks.remember(info.vault_id, head, today(clock or SystemClock()), epoch)
        except BaseException as error:
            remove_files(part)
            if isinstance(error, OSError):
                raise _not_restored(target, error) from error
            raise
        finally:
            lock_path(part).unlink(missing_ok=True)
    except BaseException:
        # A wrong passphrase is the usual cause: the guide tries again, perhaps into
        # another folder, and finds no empty folder or lock file from this attempt.
        held.release_unused()
        _remove_empty(made_folders)
        raise
    held.release()
    return dataclasses.replace(summary, path=target)


def _missing_folders(folder: Path) -> list[Path]:
    """The folders a restore to ``folder`` makes, innermost first."""
    missing: list[Path] = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders a failed restore made, innermost first, as long as they are
    empty (something another program put there meanwhile stays, with its folder)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _refuse_unreadable_siblings(source: Path, info: BackupInfo) -> None:
    """A file beside the backup named as one of this vault's that does not read may hold
    erasures to carry out again: the guide decides, by moving it away, to go without."""
    tail = info.vault_id[:4].hex()
    for path in sorted(source.parent.glob(f"kisi-backup-*-{tail}*{SUFFIX}")):
        if path != source and read_info(path) is None:
            raise VaultCorrupt(
                _(
                    "{path} is named as a backup of this vault but cannot be read. Move it "
                    "out of the folder and restore again; erasures it recorded must then "
                    "be repeated by hand."
                ).format(path=path)
            )


def _not_restored(target: Path, error: OSError) -> UserError:
    return UserError(
        _("The vault could not be restored to {path}: {reason}").format(
            path=target, reason=error.strerror or error
        )
    )


def _open_and_replay(
    part: Path,
    source: Path,
    info: BackupInfo,
    later: list[BackupInfo],
    passphrase: str | None,
    recovery_code: str | None,
    clock: Clock | None,
    marks: Marks | None,
) -> tuple[Restored, tuple[int, bytes], int]:
    """The restored vault's summary, newest audit entry and highest bundle epoch."""
    if recovery_code is not None:
        parse_code(recovery_code)  # a typing error is said as such, before the key slot
    try:
        workspace = Workspace.open(
            part,
            passphrase=passphrase,
            recovery_code=recovery_code,
            clock=clock or SystemClock(),
            # No snapshot beside the temporary name (it would stay behind at the rename);
            # the first unlock of the restored vault writes one where it belongs.
            snapshot_min_records=sys.maxsize,
        )
    except WrongSecret as refused:
        raise _refused(recovery_code is not None) from refused
    try:
        if workspace.problems:
            # The check's own words name record kinds and ids, in English: for the log
            # (ids left out, being a person's pseudonym), not for the guide.
            log.warning(
                "restore refused, the backup failed its check: %d problem(s), first %s",
                len(workspace.problems),
                _ID.sub("<id>", workspace.problems[0]),
            )
            raise _damaged(source)
        entries: dict[tuple[int, str], AuditEntry] = {}
        for other in _longest_histories(later):
            for entry in workspace.vault.removals_in(other.path, info.audit_seq):
                # The same entry in several later backups (one history) counts once.
                entries[(entry.seq, entry.ts)] = entry
        erased = failed = 0
        for _key, entry in sorted(entries.items()):
            done, skipped = _replay(workspace, entry)
            erased += done
            failed += skipped
        # Above any epoch this computer saw the vault use: a newer history of it may have
        # sent bundles the backup does not know of (core/older_copy.py).
        mark = marks.mark(info.vault_id) if marks is not None else None
        start_new_epoch(workspace, mark.epoch if mark is not None else 0)
        head, epoch = workspace.vault.audit_head(), highest_epoch(workspace)
    finally:
        workspace.lock()
    return Restored(part, info.made, len(later), erased, failed), head, epoch


def _refused(with_code: bool) -> WrongSecret:
    """The key slot did not open. Key derivation and authenticated decryption cannot tell
    a wrong secret from a slot damaged on the stick (one flipped byte): both fail the
    same check. So both are said, with what to try next."""
    if with_code:
        return WrongSecret(
            _(
                "This recovery code does not open the backup, or the backup is damaged. "
                "Check the code, or use the passphrase of the day the backup was made or "
                "another backup."
            )
        )
    return WrongSecret(
        _(
            "Wrong passphrase, or the backup is damaged. Check the passphrase of the day "
            "the backup was made, or use the recovery code or another backup."
        )
    )


def _longest_histories(later: list[BackupInfo]) -> list[BackupInfo]:
    """Of backups that follow one history, the newest holds every entry of the older ones
    (a chain only grows): only it needs reading, which keeps a restore's time from growing
    with every weekly backup in the folder. A backup is left out when a longer one holds
    its newest chain value at the same entry; its own chain is then a prefix of the longer
    one, which is checked in full when read."""
    kept: list[BackupInfo] = []
    for other in sorted(later, key=lambda info: info.audit_seq, reverse=True):
        head = _chain_value(other.path, other.audit_seq)
        if head is None or not any(
            _chain_value(longer.path, other.audit_seq) == head for longer in kept
        ):
            kept.append(other)
    return kept


def _chain_value(path: Path, seq: int) -> bytes | None:
    """The chain value stored after entry ``seq`` of a backup (unchecked: only compared)."""
    try:
        conn = vault_file.open_untrusted(path)
        try:
            row = conn.execute("SELECT chain_mac FROM audit WHERE seq = ?", (seq,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row is not None and isinstance(row[0], bytes) else None


def _replay(workspace: Workspace, entry: AuditEntry) -> tuple[int, int]:
    """Carry out again what one recorded deletion or erasure did, as far as the restored
    vault still holds it; (people and volunteers erased, steps that failed).

    What the entry did is read from what it changed: an erasure of a person or volunteer
    deletes them; clearing a volunteer's contact details rewrites the volunteer alone; a
    retention deletion deletes notes and clears contacts' and referrals' text; a plain
    deletion deletes one record.
    """
    present = workspace.working_set.body
    deleted = [(kind, rid) for kind, rid, _v, digest in entry.changes if digest is None]
    rewritten = [(kind, rid) for kind, rid, _v, digest in entry.changes if digest is not None]
    erased = failed = 0
    try:
        if entry.action.startswith("erase") and not any(k in _SUBJECTS for k, _ in deleted):
            if any(kind == "volunteer" for kind, _rid in rewritten):
                for kind, rid in rewritten:
                    if kind == "volunteer" and present(rid) is not None:
                        workspace.remove_volunteer_contact(rid)
            else:
                # A retention deletion: all of one person's notes, follow-ups and texts.
                owners = {
                    workspace.meta(rid)["owner"]
                    for _kind, rid in deleted + rewritten
                    if present(rid) is not None
                }
                for owner in sorted(owner for owner in owners if owner):
                    workspace.delete_notes(owner, despite_hold=True)
        # The person or volunteer first: their erasure takes what they own with it.
        for kind, rid in sorted(deleted, key=lambda found: found[0] not in _SUBJECTS):
            if present(rid) is None:
                continue  # not in the backup, or already gone with its person
            if kind == "person":
                workspace.erase_person(rid, despite_hold=True)
                erased += 1
            elif kind == "volunteer":
                try:
                    workspace.erase_volunteer(rid)
                    erased += 1
                except StillNeeded:
                    # Deployments that were moved to someone else since the backup still
                    # name them here: what can go goes, the payments stay provable.
                    workspace.remove_volunteer_contact(rid)
                    failed += 1
            elif kind == DRAFT and entry.action == "delete":
                # A draft that went because its form was saved: the saved record is not in
                # the backup, so the draft is what is left of the typing (and a draft that
                # names an erased person goes with that person's erasure).
                continue
            else:
                workspace.delete(kind, rid, despite_hold=True)
    except KisiError:
        failed += 1
    return erased, failed


def _rebuild(source: Path, part: Path) -> None:
    """The rows of the backup in a file of this app's own schema (vault_file.rebuild).

    Its clear part was read already (``read_info``: the vault's own tables, its id in
    the name), so a file that fails here is a backup, damaged or cut short."""
    try:
        vault_file.rebuild(source, part)
    except sqlite3.Error as exc:
        log.warning("restore refused, the backup does not read: %s", exc)
        raise (_incomplete(source) if cut_short(source) else _damaged(source)) from exc


def _damaged(source: Path) -> VaultCorrupt:
    return VaultCorrupt(
        _(
            "The backup {path} is damaged and cannot be restored. Choose another backup "
            "(an older one, say)."
        ).format(path=source)
    )


def _renamed(source: Path, vault_id: bytes) -> VaultCorrupt:
    """A backup under a changed name: the restore reads the backup's day from its name and
    finds the later backups beside it by their names, so it needs its own back."""
    name = name_before_renaming(source)
    if name is not None:
        return VaultCorrupt(
            _(
                "{path} is a KISI backup, but its name was changed (KISI reads the day of "
                "the backup from its name). Rename it back to {name} and choose it again."
            ).format(path=source, name=name)
        )
    return VaultCorrupt(
        _(
            "{path} is a KISI backup, but its name was changed (KISI reads the day of the "
            "backup from its name). Give it back the name it had: kisi-backup-, the day "
            "and time of the backup, then -{tail}.kisibackup, e.g. "
            "kisi-backup-2026-11-27-093000-{tail}.kisibackup."
        ).format(path=source, tail=vault_id[:4].hex())
    )


def _incomplete(source: Path) -> VaultCorrupt:
    return VaultCorrupt(
        _(
            "The backup {path} is incomplete: the file is shorter than it should be "
            "(copying it was perhaps cut off). Choose another backup."
        ).format(path=source)
    )


def _publish(part: Path, target: Path) -> None:
    """Give ``part`` the vault's name, never over a file already there."""
    try:
        os.link(part, target)  # fails if the name is taken, unlike a rename
    except FileExistsError as exc:
        raise _exists(target) from exc
    except OSError as exc:
        # No hard links here (FAT, exFAT, some shares; Windows says so in several ways):
        # the lock keeps the app's own writers out, so a check before the rename it is.
        if target.exists():
            raise _exists(target) from exc
        os.replace(part, target)
        return
    part.unlink()


def _exists(target: Path) -> VaultExists:
    return VaultExists(
        _("A vault already exists at {path}; a restore does not replace it.").format(path=target)
    )
