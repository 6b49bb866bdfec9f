"""Is this vault file older than the one last locked on this computer?

A backup program, a sync folder or a guide copying from a USB stick can put an older copy
of the vault file back in place of the newer one. The older file is whole (its audit
chain checks out), so nothing inside it tells: what was entered since is simply gone, and
its next bundle repeats a number the ministry already has (a ``fork``, quarantined there).

So each lock leaves a mark outside the vault, in a folder of the user's that is not the
vault's (a copy of the vault's folder put back must not bring back the mark with it): the
vault's id, the newest entry of its audit chain (number, and a hash of its chain MAC),
the day, and the highest bundle epoch the vault has used. No personal data, and no time
of day (when a guide locks is a fact about their working hours). At the next unlock the
file must reach that entry with the same MAC. A file that ends before it, or names it
with another MAC (a different history), is an older copy. The window then asks the
guide: lock and put the newer file back, or go on with this one
(:func:`accept_older_copy`), which starts a new series of bundles (a new epoch, as a
restore from a backup does) so that no number is sent twice: above every epoch this
computer has seen the vault use, since the older file may not know the newer one's
(the same copy put back twice, a restore in between). Until the guide decides, the
mark is kept as it was and no bundle is exported from the older file.

The mark guards against accidents, not an attacker: whoever can put back the vault file
can put back the mark too (SECURITY.md 6.1.6: the ministry's copy of the audit head is
the anchor the laptop cannot rewrite).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kisi_desktop.core.app_dirs import user_data_path, user_state_path
from kisi_desktop.core.files import read_limited
from kisi_desktop.core.i18n import _, format_date
from kisi_desktop.core.paths import APP_NAME

if TYPE_CHECKING:
    from kisi_desktop.core.store.sealed_store import Vault
    from kisi_desktop.core.workspace import Workspace

log = logging.getLogger(__name__)
MARKS_FILE = "vault-marks.json"
FORMAT = "kisi-vault-marks/2"
# A signing key's machine tag that no computer has: the next bundle starts a new epoch.
NEW_EPOCH_TAG = "0" * 32
# Vaults remembered at most (the oldest marks go first): a laptop opens a handful.
MAX_MARKS = 64
# The file is tiny (64 marks of about 150 bytes); anything much larger is not ours.
MAX_FILE = 64 * 1024


@dataclass(frozen=True, slots=True)
class Mark:
    """What the last lock on this computer left for one vault."""

    seq: int
    mac: str
    on: date
    epoch: int


@dataclass(frozen=True, slots=True)
class OlderCopy:
    """What the unlock found: the file's newest entry, the mark it falls short of."""

    file_seq: int
    mark: Mark
    # True when the file goes past the marked entry with another history (an older copy
    # that was worked on elsewhere); False when it just ends before it.
    other_history: bool


def marks_folder() -> Path:
    """Where the marks live: never the vault's folder (on Windows and macOS platformdirs
    gives the data and the state folder the same place). Windows: the roaming profile
    (%APPDATA%), the vault being in %LOCALAPPDATA%; macOS: ~/Library/Preferences; else
    the XDG state folder (~/.local/state). ``KISI_STATE_DIR`` points elsewhere."""
    folder = os.environ.get("KISI_STATE_DIR")
    if folder:
        return Path(folder)
    if sys.platform == "win32":
        return user_data_path(APP_NAME, roaming=True)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Preferences" / APP_NAME
    return user_state_path(APP_NAME)


class Marks:
    """The marks file: vault id -> :class:`Mark`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_user(cls) -> Marks:
        """The marks of this user account (see :func:`marks_folder`)."""
        return cls(marks_folder() / MARKS_FILE)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(read_limited(self.path, MAX_FILE)[: MAX_FILE + 1])
        except FileNotFoundError:
            return {}
        except (
            Exception
        ) as error:  # any damage (even nesting too deep): no reason to keep a vault shut
            log.warning("vault marks unreadable: %s", type(error).__name__)
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        vaults = data.get("vaults")
        return dict(vaults) if isinstance(vaults, dict) else {}

    def mark(self, vault_id: bytes) -> Mark | None:
        """The vault's mark, if there is one as :meth:`remember` writes it."""
        return _mark_of(self._read().get(vault_id.hex()))

    def older_copy(self, vault: Vault) -> OlderCopy | None:
        """Whether ``vault`` (unlocked) is older than the copy last locked here."""
        mark = self.mark(vault.vault_id)
        if mark is None:
            return None
        file_seq = vault.audit_seq()
        mac = vault.audit_mac_at(mark.seq) if mark.seq <= file_seq else None
        if mac is not None and hmac.compare_digest(_digest(mac), mark.mac):
            return None
        return OlderCopy(file_seq, mark, other_history=file_seq >= mark.seq)

    def remember(self, vault_id: bytes, head: tuple[int, bytes], on: date, epoch: int) -> None:
        """Mark the vault's newest entry ``head`` (number, chain MAC) as locked here on
        ``on``, with the highest epoch it has used (never lower than marked before). A
        failure is logged only: the mark is a safeguard, and the lock must go on."""
        seq, mac = head
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with _held(self.path):
                marks = self._read()
                earlier = _mark_of(marks.pop(vault_id.hex(), None))
                epoch = max(epoch, earlier.epoch if earlier else 0)
                marks[vault_id.hex()] = {
                    "seq": seq, "mac": _digest(mac), "on": on.isoformat(), "epoch": epoch,
                }  # fmt: skip
                kept = dict(list(marks.items())[-MAX_MARKS:])  # (insertion order: newest last)
                _write(self.path, json.dumps({"format": FORMAT, "vaults": kept}, indent=1))
        except OSError as error:
            log.warning("vault mark not written: %s", type(error).__name__)

    def remember_vault(self, vault: Vault, on: date, epoch: int) -> None:
        """:meth:`remember` the open ``vault``'s newest entry."""
        self.remember(vault.vault_id, vault.audit_head(), on, epoch)


@contextlib.contextmanager
def _held(path: Path) -> Iterator[None]:
    """Two apps locking at once (a real and the demo vault at the screen lock) must not
    each write the file from the same old copy: an exclusive lock on a file beside it."""
    try:
        import fcntl
    except ImportError:  # Windows: the moments two apps lock at once are rare
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write(path: Path, text: str) -> None:
    """Replace ``path`` whole and durably: a power cut leaves the old file or the new."""
    part = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # (not every system can open a folder)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _mark_of(entry: object) -> Mark | None:
    """A mark as :meth:`Marks.remember` writes it, else None: a mark that is not (edited
    by hand, damaged) is as good as none, and the next lock writes it anew."""
    if not isinstance(entry, dict):
        return None
    seq, digest, on, epoch = (entry.get(k) for k in ("seq", "mac", "on", "epoch"))
    if type(seq) is not int or not 0 < seq < 2**62:
        return None
    if type(epoch) is not int or not 0 <= epoch <= 10_000:
        return None
    if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{32}", digest):
        return None
    if not isinstance(on, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", on):
        return None
    try:
        day = date.fromisoformat(on)
    except ValueError:
        return None
    return Mark(seq, digest, day, epoch) if day.year >= 2000 else None


def _digest(mac: bytes) -> str:
    return hashlib.sha256(b"kisi-vault-mark|" + mac).hexdigest()[:32]


def highest_epoch(workspace: Workspace) -> int:
    """The highest bundle epoch the vault's signing keys have used (0: none yet)."""
    # Imported here, not with the module: the window's start needs Marks alone, and the
    # domain's records cost it 45 ms (they are loaded by the time a vault is open).
    from kisi_desktop.core.domain.signing_key import SigningKey

    return max((key.epoch for key in workspace.list(SigningKey)), default=0)


def start_new_epoch(workspace: Workspace, above: int = 0) -> None:
    """The next bundle begins a new series (epoch) for the ministry, above ``above``:
    the vault's history went back (a restore, an older copy), so numbers already sent
    could come again, under any epoch up to the highest this computer saw it use."""
    from kisi_desktop.core.domain.signing_key import SigningKey  # (see highest_epoch)

    for key in workspace.list(SigningKey):
        # An empty tag: no bundle was ever sent from this file; but one may have been
        # sent from a newer history of it, under an epoch up to ``above``.
        if key.machine_tag or (above and above >= key.epoch):
            raised = max(key.epoch, above)
            workspace.update(dataclasses.replace(key, machine_tag=NEW_EPOCH_TAG, epoch=raised))


def accept_older_copy(workspace: Workspace) -> None:
    """The guide goes on with the older copy: new epoch, and the next lock marks it."""
    found = workspace.older_copy
    start_new_epoch(workspace, found.mark.epoch if found is not None else 0)
    workspace.older_copy = None


def older_copy_message(found: OlderCopy) -> str:
    """What the guide is told, in the UI language (window and command line alike)."""
    day = format_date(found.mark.on)
    if found.other_history:
        said = _(
            "This vault file is not the one locked on this computer on {day}: its history "
            "has gone another way since (an older copy, worked on elsewhere)."
        ).format(day=day)
    else:
        said = _(
            "This vault file is older than the one locked on this computer on {day}: what "
            "was entered in between is missing from it (it ends at change {file_seq}; the "
            "file locked then had {marked_seq})."
        ).format(day=day, file_seq=found.file_seq, marked_seq=found.mark.seq)
    return (
        said
        + " "
        + _(
            "Perhaps a backup or sync program put an older copy back. Or a backup of this "
            "vault was restored elsewhere on this computer: the restored copy then counts "
            "as the newer file, and if that was only a test, go on with this file and "
            "delete the test copy. If the newer file is still there, lock the vault and "
            "put it back. If you go on with this file, the next bundle for the ministry "
            "starts a new series, so that no number is sent twice."
        )
    )
