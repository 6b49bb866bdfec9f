"""A drive that refuses to grow a file (full disk, full USB stick) is said as such: not as a
damaged vault, not as "OperationalError", and nothing half-written stays behind.

The child process gets a file size limit (``RLIMIT_FSIZE``): the kernel then refuses to
grow any file past it, as a full disk would, without needing a disk to fill.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.domain import Note, Person
from kisi_desktop.core.workspace import Workspace

from .conftest import PASSPHRASE, kisi_command

resource = pytest.importorskip("resource")  # POSIX only
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="file size limits are POSIX"),
]


def _run_with_size_limit(env: Any, limit: int, *argv: str, lang: str = "de") -> tuple[int, str]:
    """``kisi ARGS`` whose files cannot grow past ``limit`` bytes; exit code and stderr."""

    def limit_file_size() -> None:
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [*kisi_command(), *argv],
        env={**env.vars, "KISI_LANG": lang},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        preexec_fn=limit_file_size,  # the child execs at once
    )
    return done.returncode, done.stderr


@pytest.fixture
def filled_vault(vault: Path) -> Path:
    """A vault larger than 64 KiB, so that a copy of it cannot fit under 40 KB."""
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    try:
        while vault.stat().st_size < 70_000:
            person = ws.add(Person(name="Amina Haidari"))
            ws.add(Note(person_id=person.id, written_on=date(2026, 3, 2), text="Kita " * 200))
    finally:
        ws.lock()
    return vault


def test_a_vault_on_a_disk_that_refuses_to_grow_files_is_not_called_damaged(
    env: Any, filled_vault: Path
) -> None:
    # 16 KB: SQLite cannot make the vault's 32 KiB shared memory file.
    code, err = _run_with_size_limit(env, 16_000, "person", "list")
    assert code == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "beschädigt" not in err, err
    assert f"{filled_vault} konnte nicht geöffnet werden" in err, err
    assert "Die Datei wurde nicht verändert" in err, err
    # Once the drive has room again, the same file opens: it was never damaged.
    code, _err = _run_with_size_limit(env, 1 << 30, "person", "list")
    assert code == 0, _err


def test_a_backup_onto_a_full_stick_says_the_disk_is_full_and_leaves_nothing(
    env: Any, filled_vault: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    code, err = _run_with_size_limit(env, 40_000, "backup", str(stick))
    assert code == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "OperationalError" not in err, err
    # (A file size limit is refused as a drive error; a full disk says "the disk is full":
    # tests/unit/core/test_files.py.)
    assert err.strip().endswith("das Laufwerk meldet einen Fehler (USB-Stick abgezogen?)"), err
    assert list(stick.iterdir()) == []  # no .part, no .part-journal on the stick
    code, err = _run_with_size_limit(env, 40_000, "backup", str(stick), lang="en")
    assert "the drive reported an error" in err, err
