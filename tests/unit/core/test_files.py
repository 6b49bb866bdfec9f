"""Private files: exports are created 0600 and an existing file is narrowed to 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kisi_desktop.core.files import write_private


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_new_and_existing_files_end_up_private(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.json"
    write_private(fresh, '{"name": "Zainab"}')
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    old = tmp_path / "old.json"
    old.write_text("a much longer old content that must not survive")
    old.chmod(0o644)
    write_private(old, "ü")
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert old.read_bytes() == "ü".encode()
