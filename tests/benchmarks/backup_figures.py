"""Backup figures: writing a backup against copying the file, restoring against unlocking.

A backup is SQLite's page-by-page copy from a read-only connection, fsynced and read back;
the baseline is the plainest copy of the same file (``shutil.copyfile`` and an fsync). A
restore copies the backup, opens and checks every record (no snapshot is trusted) and
replays later erasures; the baseline is a cold unlock of the same vault, which decrypts
and checks every record too.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kisi_desktop.core.backup import make_backup
from kisi_desktop.core.clock import SystemClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.restore import restore_backup
from kisi_desktop.core.store.snapshot import snapshot_path
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

PASSPHRASE = "benchmark passphrase"
RUNS = 3


def _copy(source: Path, target: Path) -> float:
    """Copy, flush, and read the copy back from the disk: what a verified copy costs the
    plainest way (a backup checks its pages with quick_check instead of reading in line)."""
    started = time.perf_counter()
    shutil.copyfile(source, target)
    with target.open("rb") as handle:
        os.fsync(handle.fileno())
        os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        while handle.read(1 << 20):
            pass
    return time.perf_counter() - started


def run(size: int) -> list[dict[str, Any]]:
    """``size`` notes map to people as size // 10 (10,000 people for the full run)."""
    people = max(size // 10, 100)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        vault = base / "vault.kisi"
        ws, _code = Workspace.create(vault, PASSPHRASE, kdf=TEST_PARAMS)
        generate(ws, people, random.Random(7), SystemClock())
        writes, copies, backups = [], [], []
        for run_no in range(RUNS):
            started = time.perf_counter()
            made = make_backup(ws, base / f"stick{run_no}")
            writes.append(time.perf_counter() - started)
            backups.append(made.path)
            copies.append(_copy(vault, base / f"copy{run_no}.kisi"))
        ws.lock()
        snapshot_path(vault).unlink(missing_ok=True)  # a cold unlock: every record opened
        cold, restores = [], []
        for run_no in range(RUNS):
            started = time.perf_counter()
            # (Locked without writing a snapshot, as the restore locks its copy.)
            opened = Workspace.open(vault, passphrase=PASSPHRASE, snapshot_min_records=sys.maxsize)
            opened.lock()
            cold.append(time.perf_counter() - started)
            snapshot_path(vault).unlink(missing_ok=True)
            started = time.perf_counter()
            restore_backup(
                backups[run_no], base / f"new{run_no}" / "vault.kisi", passphrase=PASSPHRASE
            )
            restores.append(time.perf_counter() - started)
        size_mb = backups[0].stat().st_size / 1e6
    return [
        # The backup reads its copy back from the disk (the cache dropped, read in order,
        # then quick_check), as the baseline reads its copy in order. At 10,000 people
        # 1.5 times; --quick's 11 MB vault, where the fixed steps weigh more, 2.2 times.
        dict(name="backup.write_vs_file_copy", value=statistics.median(writes), unit="s",
             baseline=f"verified copyfile of the vault ({people} people, {size_mb:.0f} MB)",
             baseline_value=statistics.median(copies), goal="ratio <= 3.0"),
        dict(name="backup.restore_vs_cold_unlock", value=statistics.median(restores), unit="s",
             baseline="unlocking the same vault without a snapshot",
             baseline_value=statistics.median(cold), goal="ratio <= 1.5"),
    ]  # fmt: skip
