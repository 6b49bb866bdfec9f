"""The user's folders for the app's data, state and settings.

On Linux these are the XDG base directories (``$XDG_DATA_HOME`` or ``~/.local/share``,
``$XDG_STATE_HOME`` or ``~/.local/state``, ``$XDG_CONFIG_HOME`` or ``~/.config``; a
variable that is not an absolute path counts as unset, as the XDG Base Directory
Specification says), worked out here. platformdirs, which knows every platform, is
imported only on the others: on Linux its import (tempfile, shutil and their compressors)
was 5 ms of every start before the unlock screen showed. A test holds the two to the same
answers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_LINUX = sys.platform.startswith("linux")


def _xdg(variable: str, fallback: str, app: str) -> Path:
    value = os.environ.get(variable, "")
    base = Path(value) if os.path.isabs(value) else _home() / fallback
    return base / app


def _home() -> Path:
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return Path(home)
    import pwd  # (a HOME that is unset or relative: the account's own, as platformdirs does)

    return Path(pwd.getpwuid(os.getuid()).pw_dir)


def user_data_path(app: str, *, roaming: bool = False) -> Path:
    """The folder for the app's data (the vault, handouts)."""
    if _LINUX:
        return _xdg("XDG_DATA_HOME", ".local/share", app)
    import platformdirs

    return platformdirs.user_data_path(app, appauthor=False, roaming=roaming)


def user_state_path(app: str) -> Path:
    """The folder for what the app remembers between runs (the older-copy marks)."""
    if _LINUX:
        return _xdg("XDG_STATE_HOME", ".local/state", app)
    import platformdirs

    return platformdirs.user_state_path(app, appauthor=False)


def user_config_path(app: str) -> Path:
    """The folder for the settings."""
    if _LINUX:
        return _xdg("XDG_CONFIG_HOME", ".config", app)
    import platformdirs

    return platformdirs.user_config_path(app, appauthor=False)
