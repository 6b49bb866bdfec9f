"""Backup files in a folder: their names, and what their clear part says, read without a
key and without trusting the file (a USB stick holds whatever someone put there).

``kisi-backup-YYYY-MM-DD-HHMMSS-xxxxxxxx[-n].kisibackup``: the local time the backup was
made, the first four bytes of the vault id (random: two vaults' backups on one stick stay
apart) and, for a second backup within the same second, a number.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kisi_desktop.core.store import vault_file

SUFFIX = ".kisibackup"
_NAME = re.compile(
    r"kisi-backup-(\d{4}-\d{2}-\d{2}-\d{6})-([0-9a-f]{8})(?:-(\d{1,3}))?\.kisibackup"
)
# The name without its suffix, inside a changed one ("… - Kopie", "Copy of …", "… (1)").
_NAME_INSIDE = re.compile(r"kisi-backup-\d{4}-\d{2}-\d{2}-\d{6}-[0-9a-f]{8}(?:-\d{1,3})?")
_STAMP = "%Y-%m-%d-%H%M%S"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """A backup file as found in a folder."""

    path: Path
    made: datetime
    vault_id: bytes
    audit_seq: int
    number: int = 1
    """The second, third... backup within the same second."""


def backup_name(made: datetime, vault_id: bytes, number: int = 1) -> str:
    """The file name of the ``number``-th backup made within the second ``made``."""
    extra = f"-{number}" if number > 1 else ""
    return f"kisi-backup-{made.strftime(_STAMP)}-{vault_id[:4].hex()}{extra}{SUFFIX}"


def free_name(folder: Path, made: datetime, vault_id: bytes) -> Path:
    """A backup name in ``folder`` that no file has yet (a second backup within the same
    second, or within the hour the clocks go back, gets a number)."""
    for number in range(1, 1000):
        path = folder / backup_name(made, vault_id, number)
        if not path.exists() and not path.with_name(path.name + ".part").exists():
            return path
    return folder / backup_name(made, vault_id, 999)


def read_info(path: Path) -> BackupInfo | None:
    """What the clear part of a backup says (vault id, audit entry; the date from its
    name); None for anything else, however it is made."""
    match = _NAME.fullmatch(path.name)
    if match is None or not path.is_file():
        return None
    try:
        made = datetime.strptime(match.group(1), _STAMP)
    except ValueError:
        return None
    row = _vault_meta(path)
    if row is None:
        return None
    if not row[0].hex().startswith(match.group(2)):
        return None  # renamed from another vault's backup: not what its name says
    return BackupInfo(path, made, row[0], row[1], int(match.group(3) or 1))


def _vault_meta(path: Path) -> tuple[bytes, int] | None:
    """The vault id and newest audit entry a vault-shaped file holds; None for any other."""
    try:
        conn = vault_file.open_untrusted(path)
        try:
            row = conn.execute("SELECT vault_id, audit_seq FROM vault_meta").fetchone()
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return None
    if row is None or not isinstance(row[0], bytes) or not isinstance(row[1], int):
        return None
    return row[0], row[1]


def renamed_backup(path: Path) -> bytes | None:
    """The vault id of a backup whose name was changed (a copy made in the file manager,
    "… - Kopie"; a name the guide gave it): a vault's file under a name that is not a
    backup's. None for a backup under its own name and for any other file."""
    if _NAME.fullmatch(path.name) is not None or not path.is_file():
        return None
    meta = _vault_meta(path)
    return None if meta is None else meta[0]


def name_before_renaming(path: Path) -> str | None:
    """The backup name inside the changed name of ``path``, if it still holds one whole
    ("kisi-backup-… - Kopie.kisibackup" → "kisi-backup-….kisibackup")."""
    for found in _NAME_INSIDE.finditer(path.name):
        name = found.group(0) + SUFFIX
        match = _NAME.fullmatch(name)
        if match is None:
            continue
        try:
            datetime.strptime(match.group(1), _STAMP)
        except ValueError:
            continue
        return name
    return None


def cut_short(path: Path) -> bool:
    """Whether ``path`` begins as an SQLite file does but is shorter than its header says
    (a copy to the stick cut off): then it is an incomplete file, not some other file.

    Only the header's page count when SQLite vouches for it (its change counter equals
    the "version valid for" field, SQLite file format 1.3.2 and 1.3.12)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
            size = path.stat().st_size
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    return header[24:28] == header[92:96] and pages > 0 and size < page_size * pages


def backups_in(folder: Path, vault_id: bytes | None = None) -> list[BackupInfo]:
    """The backups in ``folder`` (of one vault, if given), oldest first."""
    try:
        names = sorted(folder.glob("kisi-backup-*" + SUFFIX))
    except OSError:
        return []
    found = [info for name in names if (info := read_info(name)) is not None]
    if vault_id is not None:
        found = [info for info in found if info.vault_id == vault_id]
    return sorted(found, key=lambda info: (info.made, info.number, info.audit_seq))


def stale_parts(folder: Path, vault_id: bytes) -> list[Path]:
    """Files of this vault's backups that never finished (the app ended while writing)."""
    try:
        found = folder.glob(f"kisi-backup-*-{vault_id[:4].hex()}*{SUFFIX}.part*")
        return sorted(found)
    except OSError:
        return []
