"""What to tell the guide when SQLite refuses to open a vault file: damaged, or only on a
drive that refuses (full, read-only, pulled out).

SQLite raises the same ``DatabaseError`` for both. On a full disk the vault's shared
memory file cannot grow, and the guide was told "is not a KISI vault or is damaged"
about a file that was whole: she would have restored an old backup instead of freeing
some space.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from kisi_desktop.core.errors import DriveRefused, UserError, VaultCorrupt
from kisi_desktop.core.files import is_drive_refusal, os_error_reason
from kisi_desktop.core.i18n import _

# Less free space than this beside the vault: an I/O error at opening is a full disk
# (SQLite says SQLITE_IOERR_SHMSIZE, not SQLITE_FULL, when the shared memory file
# cannot grow).
NEARLY_FULL = 1 << 20


def not_opened(path: Path, error: sqlite3.Error) -> UserError:
    """The error to raise for ``error`` met while opening the vault at ``path``."""
    if not is_drive_refusal(error):
        return VaultCorrupt(_("{path} is not a KISI vault or is damaged.").format(path=path))
    reason = _("the disk is full") if _nearly_full(path) else os_error_reason(error)
    return DriveRefused(
        _(
            "{path} could not be opened: {reason}. The file was not changed; try again "
            "once that is put right."
        ).format(path=path, reason=reason)
    )


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL
    except OSError:
        return False
