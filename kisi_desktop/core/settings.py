"""User settings (language, auto-lock time): a small JSON file with no personal data.

Kept outside the vault so the unlock screen can already speak the chosen language.
Unknown keys from a newer version are kept; broken files fall back to defaults.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from platformdirs import user_config_path

from kisi_desktop.core.i18n import DEFAULT_LANGUAGE, UI_LANGUAGES

SETTINGS_FILE = "settings.json"
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 240
# The file holds two values; anything far larger is not ours.
MAX_SETTINGS_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """What the guide can set; defaults follow SECURITY.md (lock after 10 idle minutes)."""

    language: str = DEFAULT_LANGUAGE
    idle_lock_minutes: int = 10

    def checked(self) -> Settings:
        """The same settings with every value forced into its allowed range."""
        language = self.language if self.language in UI_LANGUAGES else DEFAULT_LANGUAGE
        minutes = min(max(int(self.idle_lock_minutes), MIN_IDLE_MINUTES), MAX_IDLE_MINUTES)
        return replace(self, language=language, idle_lock_minutes=minutes)


def settings_path() -> Path:
    """Where settings live (the platform's config folder; KISI_CONFIG_DIR overrides)."""
    override = os.environ.get("KISI_CONFIG_DIR")
    base = Path(override) if override else user_config_path("KISI Desktop", appauthor=False)
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
    known = {k: raw[k] for k in ("language", "idle_lock_minutes") if k in raw}
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
