"""Where the vault lives: ``--vault``, then ``KISI_VAULT``, then the platform's data folder.

Also where the bundled resources (fonts) are, which Qt and ReportLab both load.
"""

from __future__ import annotations

import os
from pathlib import Path

from kisi_desktop.core.app_dirs import user_data_path

APP_NAME = "KISI Desktop"
VAULT_FILE = "vault.kisi"


def default_vault_path() -> Path:
    """The vault in the user's data folder (e.g. %APPDATA%\\KISI Desktop on Windows)."""
    return user_data_path(APP_NAME) / VAULT_FILE


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
    return user_data_path(APP_NAME) / "demo" / VAULT_FILE


def fonts_dir() -> Path:
    """The folder of bundled fonts, ``resources/fonts`` beside the package.

    One place for both Qt (``ui/fonts.py``) and ReportLab to find the same files, so the
    screen and the PDFs use identical glyphs. A PyInstaller build gives modules a
    ``__file__`` below ``sys._MEIPASS``, so this also finds ``resources/`` copied to the
    bundle's top level (packaging/README.md; not yet tried with a real build).
    """
    return Path(__file__).resolve().parents[2] / "resources" / "fonts"


def user_handouts_dir() -> Path:
    """The guide's own handout folder: topics and languages that extend the shipped ones.

    Layered over ``resources/handouts`` (``handouts/catalog.py``); ``KISI_HANDOUTS`` points
    elsewhere, e.g. to a folder shared by the guides of one district.
    """
    env = os.environ.get("KISI_HANDOUTS")
    if env:
        return Path(env).expanduser()
    return user_data_path(APP_NAME) / "handouts"
