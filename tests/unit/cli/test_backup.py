"""``kisi backup``: where the backup went and how large it is, in the user's language."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core import backup as core_backup

from .conftest import Kisi


@pytest.fixture(autouse=True)
def _settings(config_dir: Path) -> None:
    """The backup is remembered in settings of the test's own."""


def test_the_size_has_a_german_decimal_comma(
    kisi: Kisi, vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def nine_tenths_of_a_megabyte(*args: Any, **kwargs: Any) -> core_backup.BackupMade:
        made = core_backup.write_backup(*args, **kwargs)
        return dataclasses.replace(made, size=940_000)

    monkeypatch.setattr("kisi_desktop.cli.backup.write_backup", nine_tenths_of_a_megabyte)
    line = kisi("backup", str(tmp_path / "stick")).out.strip()
    assert re.fullmatch(r"Sicherung geschrieben: .+\.kisibackup \(0,9 MB\)\.", line), line
    english = kisi("--lang", "en", "backup", str(tmp_path / "stick")).out.strip()
    assert english.endswith(" (0.9 MB).")


def test_the_size_said_is_the_files(kisi: Kisi, vault: Path, tmp_path: Path) -> None:
    made = kisi("backup", str(tmp_path / "stick"), "--json").json()
    assert made["bytes"] == Path(made["backup"]).stat().st_size  # JSON: exact bytes
    line = kisi("backup", str(tmp_path / "stick2")).out
    assert re.search(r"\(\d+(,\d)? MB\)\.$", line.strip()), line
