"""The app's folders: on Linux worked out by the XDG rules, the same as platformdirs says."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from kisi_desktop.core import app_dirs

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="elsewhere app_dirs asks platformdirs itself"
)

APP = "KISI Desktop"
VARIABLES = ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME")


def _ours_and_theirs() -> list[tuple[Path, Path]]:
    return [
        (app_dirs.user_data_path(APP), platformdirs.user_data_path(APP, appauthor=False)),
        (app_dirs.user_state_path(APP), platformdirs.user_state_path(APP, appauthor=False)),
        (app_dirs.user_config_path(APP), platformdirs.user_config_path(APP, appauthor=False)),
    ]


@pytest.mark.parametrize(
    "value",
    [None, "", "relative/dir", "/srv/kisi/xdg", "/srv/kisi/xdg/"],
    ids=["unset", "empty", "relative", "absolute", "trailing-slash"],
)
def test_the_folders_are_those_platformdirs_gives(
    value: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in VARIABLES:
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    pairs = _ours_and_theirs()
    assert [ours for ours, _ in pairs] == [theirs for _, theirs in pairs]
    if value in (None, "", "relative/dir"):  # (not taken: the home's folders)
        assert pairs[0][0] == tmp_path / "home" / ".local" / "share" / APP


def test_without_a_usable_home_the_accounts_own_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for home in (None, "relative-home"):
        if home is None:
            monkeypatch.delenv("HOME", raising=False)
        else:
            monkeypatch.setenv("HOME", home)
        pairs = _ours_and_theirs()
        assert [ours for ours, _ in pairs] == [theirs for _, theirs in pairs]
        assert pairs[2][0].is_absolute()
