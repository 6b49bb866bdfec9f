"""Long work shows how far it is on a terminal, and nothing when piped or with --json."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import kisi_command

pty = pytest.importorskip("pty")  # POSIX terminals
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX"),
]


def _stderr_on_a_terminal(env: Any, *argv: str) -> tuple[int, str]:
    """Run ``kisi ARGS`` with its standard error on a pseudo-terminal; what it showed."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [*kisi_command(), *argv],
            env={**env.vars, "KISI_LANG": "de"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
            check=False,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal is closed and read to its end
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    return done.returncode, shown.decode("utf-8")


def test_a_backup_shows_its_progress_on_a_terminal_and_ends_the_line(
    env: Any, vault: Path, tmp_path: Path
) -> None:
    code, shown = _stderr_on_a_terminal(env, "backup", str(tmp_path / "stick"))
    assert code == 0, shown
    assert "\rSicherung: 100 %" in shown, repr(shown)
    assert shown.endswith("\n"), repr(shown)


def test_a_backup_piped_or_with_json_writes_nothing_on_standard_error(
    kisi: Any, env: Any, vault: Path, tmp_path: Path
) -> None:
    piped = kisi("backup", str(tmp_path / "stick"))
    assert piped.code == 0 and piped.err == "", piped
    code, shown = _stderr_on_a_terminal(env, "backup", str(tmp_path / "stick"), "--json")
    assert code == 0 and shown == "", repr(shown)
