"""Private files: exports are created 0600 and an existing file is narrowed to 0600."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
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


def test_a_write_that_fails_half_way_leaves_no_half_file(tmp_path: Path) -> None:
    # A file-size limit stands in for a full USB stick: the first kilobyte is written,
    # then the disk refuses (EFBIG), as it would with ENOSPC.
    out = tmp_path / "export.json"
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))\n"
        "from kisi_desktop.core.files import write_private\n"
        "try:\n"
        "    write_private(Path(sys.argv[1]), 'Wohnungssuche Kellerweg ' * 500)\n"
        "except OSError as error:\n"
        "    print(error.errno)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(out)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == str(errno.EFBIG)
    assert not out.exists()
