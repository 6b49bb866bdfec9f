"""Is this vault file older than the one last locked on this computer?

A backup program, a sync folder or a guide copying from a USB stick can put an older copy
of the vault file back in place of the newer one. The older file is whole (its audit
chain checks out), so nothing inside it tells: what was entered since is simply gone, and
its next bundle repeats a number the ministry already has (a ``fork``, quarantined there).

So each lock leaves a mark outside the vault, in the user's state folder: the vault's id
and the newest entry of its audit chain (number, and a hash of its chain MAC; no
personal data). At the next unlock the file must reach that entry with the same MAC. A
file that ends before it, or names it with another MAC (a different history), is an
older copy. The window then asks the guide: lock and put the newer file back, or go on
with this one (:func:`accept_older_copy`), which starts a new series of bundles (a new
epoch, as a restore from a backup does) so that no number is sent twice. Until the guide
decides, the mark is kept as it was and no bundle is exported from the older file.

The mark guards against accidents, not an attacker: whoever can put back the vault file
can put back the mark too (SECURITY.md 6.1.6: the ministry's copy of the audit head is
the anchor the laptop cannot rewrite).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_state_path

from kisi_desktop.core.domain.signing_key import SigningKey
from kisi_desktop.core.i18n import _, format_date
from kisi_desktop.core.paths import APP_NAME

if TYPE_CHECKING:
    from kisi_desktop.core.store.sealed_store import Vault
    from kisi_desktop.core.workspace import Workspace

log = logging.getLogger(__name__)
MARKS_FILE = "vault-marks.json"
FORMAT = "kisi-vault-marks/1"
# A signing key's machine tag that no computer has: the next bundle starts a new epoch.
NEW_EPOCH_TAG = "0" * 32
# Vaults remembered at most (the oldest marks go first): a laptop opens a handful.
MAX_MARKS = 64


@dataclass(frozen=True, slots=True)
class OlderCopy:
    """What the unlock found: the file's newest entry, the entry locked here last, when."""

    file_seq: int
    marked_seq: int
    marked_at: datetime
    # True when the file goes past the marked entry with another history (an older copy
    # that was worked on elsewhere); False when it just ends before it.
    other_history: bool


class Marks:
    """The marks file: vault id -> the newest audit entry locked on this computer."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_user(cls) -> Marks:
        """The marks of this user account (``KISI_STATE_DIR`` points elsewhere)."""
        folder = os.environ.get("KISI_STATE_DIR")
        base = Path(folder) if folder else user_state_path(APP_NAME, appauthor=False)
        return cls(base / MARKS_FILE)

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            # A damaged marks file is no reason to keep a vault shut: it is written anew.
            log.warning("vault marks unreadable: %s", type(error).__name__)
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        vaults = data.get("vaults")
        if not isinstance(vaults, dict):
            return {}
        return {k: v for k, v in vaults.items() if isinstance(v, dict)}

    def older_copy(self, vault: Vault) -> OlderCopy | None:
        """Whether ``vault`` (unlocked) is older than the copy last locked here."""
        mark = _mark_of(self._read().get(vault.vault_id.hex()))
        if mark is None:
            return None
        seq, digest, marked_at = mark
        file_seq = vault.audit_seq()
        mac = vault.audit_mac_at(seq) if seq <= file_seq else None
        if mac is not None and _digest(mac) == digest:
            return None
        return OlderCopy(file_seq, seq, marked_at, other_history=file_seq >= seq)

    def remember(self, vault: Vault, at: datetime) -> None:
        """Mark ``vault``'s newest entry as locked here at ``at``. A failure is logged only:
        the mark is a safeguard, and the lock must go on."""
        seq, mac = vault.audit_head()
        try:
            marks = self._read()
            marks.pop(vault.vault_id.hex(), None)
            marks[vault.vault_id.hex()] = {"seq": seq, "mac": _digest(mac), "at": at.isoformat()}
            kept = dict(list(marks.items())[-MAX_MARKS:])  # (insertion order: newest last)
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            part = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"format": FORMAT, "vaults": kept}, out, indent=1)
            os.replace(part, self.path)
        except OSError as error:
            log.warning("vault mark not written: %s", type(error).__name__)


def _mark_of(entry: object) -> tuple[int, str, datetime] | None:
    """A mark as :meth:`Marks.remember` writes it, else None: a mark that is not (edited
    by hand, damaged) is as good as none, and the next lock writes it anew."""
    if not isinstance(entry, dict):
        return None
    seq, digest, at = entry.get("seq"), entry.get("mac"), entry.get("at")
    if type(seq) is not int or not 0 < seq < 2**62:
        return None
    if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{32}", digest):
        return None
    try:
        marked_at = datetime.fromisoformat(at) if isinstance(at, str) else None
    except ValueError:
        return None
    if marked_at is None or marked_at.utcoffset() != timedelta(0) or marked_at.year < 2000:
        return None  # (written in UTC, by an app that did not exist before)
    return seq, digest, marked_at


def _digest(mac: bytes) -> str:
    return hashlib.sha256(b"kisi-vault-mark|" + mac).hexdigest()[:32]


def start_new_epoch(workspace: Workspace) -> None:
    """The next bundle begins a new series (epoch) for the ministry: the vault's history
    went back (a restore, an older copy), so numbers already sent could come again."""
    for key in workspace.list(SigningKey):
        if key.machine_tag:  # (an empty tag: no bundle was ever sent from it)
            workspace.update(dataclasses.replace(key, machine_tag=NEW_EPOCH_TAG))


def accept_older_copy(workspace: Workspace) -> None:
    """The guide goes on with the older copy: new epoch, and the next lock marks it."""
    start_new_epoch(workspace)
    workspace.older_copy = None


def older_copy_message(found: OlderCopy) -> str:
    """What the guide is told, in the UI language (window and command line alike)."""
    local = found.marked_at.astimezone()  # (stored in UTC; said in the laptop's time)
    when = {"day": format_date(local.date()), "time": local.strftime("%H:%M")}
    if found.other_history:
        said = _(
            "This vault file is not the one locked on this computer on {day} at {time}: "
            "its history has gone another way since (an older copy, worked on elsewhere)."
        ).format(**when)
    else:
        said = _(
            "This vault file is older than the one locked on this computer on {day} at "
            "{time}: what was entered in between is missing from it (it ends at change "
            "{file_seq}; the file locked then had {marked_seq})."
        ).format(**when, file_seq=found.file_seq, marked_seq=found.marked_seq)
    return (
        said
        + " "
        + _(
            "Perhaps a backup or sync program put an older copy back. If the newer file "
            "is still there, lock the vault and put it back. If you go on with this file, "
            "the next bundle for the ministry starts a new series, so that no number is "
            "sent twice."
        )
    )
