"""User settings (language, auto-lock time, where and when the last backup went): a small
JSON file with no personal data.

Kept outside the vault so the unlock screen can already speak the chosen language.
Unknown keys from a newer version are kept; broken files fall back to defaults.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from pathlib import Path

from kisi_desktop.core.app_dirs import user_config_path
from kisi_desktop.core.i18n import DEFAULT_LANGUAGE, UI_LANGUAGES

SETTINGS_FILE = "settings.json"
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 240
# The file holds four short values; anything far larger is not ours.
MAX_SETTINGS_BYTES = 64 * 1024
MAX_PATH_CHARS = 4096
MAX_UNCHECKED_VAULTS = 20
_VAULT_ID = re.compile(r"[0-9a-f]{32}")
MAX_LIST_SORTS = 40
_LIST_WORD = re.compile(r"[\w .,:/()&+-]{1,80}")


@dataclass(frozen=True, slots=True)
class Settings:
    """What the guide can set; defaults follow SECURITY.md (lock after 10 idle minutes)."""

    language: str = DEFAULT_LANGUAGE
    idle_lock_minutes: int = 10
    # File → Make a backup: the folder chosen last (a USB stick's mount point) and the
    # day of the last backup (ISO), for the reminder after unlocking.
    backup_folder: str = ""
    last_backup: str = ""
    # Vaults (their ids, hex) whose recovery code was never typed back: the set-up was
    # left on that page. The window reminds the guide at each unlock until a new code is
    # made; only this computer saw the code, so only this computer needs to know.
    unchecked_recovery: tuple[str, ...] = ()
    # How the guide last sorted each list: (list, column, descending). A list opens sorted
    # as it was left, also after a restart. The column by its heading's untranslated text,
    # not its place: a version that adds a column does not sort the old choice elsewhere.
    list_sorts: tuple[tuple[str, str, bool], ...] = ()

    def checked(self) -> Settings:
        """The same settings with every value forced into its allowed range."""
        language = self.language if self.language in UI_LANGUAGES else DEFAULT_LANGUAGE
        minutes = min(max(int(self.idle_lock_minutes), MIN_IDLE_MINUTES), MAX_IDLE_MINUTES)
        folder = self.backup_folder if isinstance(self.backup_folder, str) else ""
        return replace(
            self,
            language=language,
            idle_lock_minutes=minutes,
            backup_folder=folder if len(folder) <= MAX_PATH_CHARS else "",
            last_backup=_day_or_empty(self.last_backup),
            unchecked_recovery=_vault_ids(self.unchecked_recovery),
            list_sorts=_list_sorts(self.list_sorts),
        )

    def sort_of(self, list_name: str) -> tuple[str, bool] | None:
        """The column and order (descending?) the list ``list_name`` was last sorted by."""
        for name, column, descending in self.list_sorts:
            if name == list_name:
                return column, descending
        return None

    def last_backup_day(self) -> date | None:
        """The day of the last backup, if one was made here."""
        return date.fromisoformat(self.last_backup) if self.last_backup else None


def _vault_ids(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    ids = [v for v in value if isinstance(v, str) and _VAULT_ID.fullmatch(v)]
    return tuple(dict.fromkeys(ids))[-MAX_UNCHECKED_VAULTS:]


def _list_sorts(value: object) -> tuple[tuple[str, str, bool], ...]:
    if not isinstance(value, list | tuple):
        return ()
    kept: dict[str, tuple[str, str, bool]] = {}
    for entry in value:
        if not isinstance(entry, list | tuple) or len(entry) != 3:
            continue
        name, column, descending = entry
        if (
            isinstance(name, str)
            and isinstance(column, str)
            and isinstance(descending, bool)
            and _LIST_WORD.fullmatch(name)
            and _LIST_WORD.fullmatch(column)
        ):
            kept.pop(name, None)  # (the last choice for a list wins, and goes last)
            kept[name] = (name, column, descending)
    return tuple(kept.values())[-MAX_LIST_SORTS:]


def _day_or_empty(value: object) -> str:
    if not isinstance(value, str) or len(value) != len("2026-01-01"):
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return ""


def settings_path() -> Path:
    """Where settings live (the platform's config folder; KISI_CONFIG_DIR overrides)."""
    override = os.environ.get("KISI_CONFIG_DIR")
    base = Path(override) if override else user_config_path("KISI Desktop")
    return base / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing or damaged file gives the defaults.

    Read before the window opens, so nothing in the file may stop the app from starting:
    not a number too large for an int (``1e999``), nor nesting too deep for the parser.
    """
    path = path or settings_path()
    try:
        with path.open("rb") as file:
            data = file.read(MAX_SETTINGS_BYTES + 1)
        if len(data) > MAX_SETTINGS_BYTES:
            return Settings()
        raw = json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {k: raw[k] for k in (field.name for field in fields(Settings)) if k in raw}
    try:
        return Settings(**known).checked()
    except (TypeError, ValueError, OverflowError):
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write settings atomically (temporary file, then rename)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings.checked()), indent=2), encoding="utf-8")
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def remember_backup(folder: Path, day: date, path: Path | None = None) -> None:
    """Note that a backup went into ``folder`` on ``day`` (the next one starts there, and
    the reminder keeps quiet); a settings file that cannot be written loses only that."""
    try:
        save_settings(
            replace(load_settings(path), backup_folder=str(folder), last_backup=day.isoformat()),
            path,
        )
    except OSError:
        pass


def remember_sort(
    list_name: str, column: str, *, descending: bool, path: Path | None = None
) -> None:
    """Note how the guide sorted the list ``list_name`` (see :attr:`Settings.list_sorts`);
    a settings file that cannot be written loses only that."""
    settings = load_settings(path)
    if settings.sort_of(list_name) == (column, descending):
        return
    others = tuple(entry for entry in settings.list_sorts if entry[0] != list_name)
    try:
        save_settings(
            replace(settings, list_sorts=(*others, (list_name, column, descending))), path
        )
    except OSError:
        pass


def remember_recovery_check(vault_id: bytes, *, checked: bool, path: Path | None = None) -> None:
    """Note whether the recovery code of the vault ``vault_id`` was typed back (see
    :attr:`Settings.unchecked_recovery`); a settings file that cannot be written loses
    only the reminder."""
    settings = load_settings(path)
    others = tuple(v for v in settings.unchecked_recovery if v != vault_id.hex())
    try:
        save_settings(
            replace(settings, unchecked_recovery=others if checked else (*others, vault_id.hex())),
            path,
        )
    except OSError:
        pass
