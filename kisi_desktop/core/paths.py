"""Where the vault lives: ``--vault``, then ``KISI_VAULT``, then the platform's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "KISI Desktop"
VAULT_FILE = "vault.kisi"


def default_vault_path() -> Path:
    """The vault in the user's data folder (e.g. %APPDATA%\\KISI Desktop on Windows)."""
    return user_data_path(APP_NAME, appauthor=False) / VAULT_FILE


def resolve_vault_path(explicit: str | os.PathLike[str] | None) -> Path:
    """The vault path a command should use, by the documented order of precedence."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("KISI_VAULT")
    if env:
        return Path(env).expanduser()
    return default_vault_path()


def demo_vault_path() -> Path:
    """Where ``--demo`` keeps its demo vault, apart from real data."""
    return user_data_path(APP_NAME, appauthor=False) / "demo" / VAULT_FILE
