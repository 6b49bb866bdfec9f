"""Private files: exports are created 0600 and an existing file is narrowed to 0600."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kisi_desktop.core.files import (
    is_drive_refusal,
    os_error_reason,
    read_limited,
    safe_file_name,
    write_private,
)
from kisi_desktop.core.i18n import set_ui_language


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


def test_an_outside_file_is_read_no_further_than_its_limit(tmp_path: Path) -> None:
    small = tmp_path / "receipt.sig"
    small.write_bytes(b"12345")
    assert read_limited(small, 5) == b"12345"
    # A file far over the limit (sparse: it takes no room) is not read to its end.
    large = tmp_path / "bundle.kisi"
    with large.open("wb") as out:
        out.truncate(1 << 30)
    assert len(read_limited(large, 1000)) == 1001


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev/zero are POSIX")
def test_a_device_or_a_named_pipe_is_refused_before_a_byte_is_read(tmp_path: Path) -> None:
    # /dev/zero says it is empty and never ends; opening a pipe with no writer would wait
    # forever. Neither is a file a ministry or a stick hands over.
    pipe = tmp_path / "receipt.sig"
    os.mkfifo(pipe)
    for path in (Path("/dev/zero"), pipe):
        with pytest.raises(OSError) as refused:
            read_limited(path, 1000)
        assert refused.value.strerror == "keine gewöhnliche Datei"
    with pytest.raises(FileNotFoundError):
        read_limited(tmp_path / "gone", 1000)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("KISI-Bericht_PY1", "KISI-Bericht_PY1"),
        ("KISI-Infoblätter_v2", "KISI-Infoblätter_v2"),
        ("ar_2 Themen", "ar_2-Themen"),
        ('a/b\\c:d*e?f"g<h>i|j', "a-b-c-d-e-f-g-h-i-j"),
        ("  report.  ", "report"),
    ],
)
def test_a_translated_name_is_made_fit_for_every_file_system(text: str, name: str) -> None:
    assert safe_file_name(text) == name


def test_sqlites_full_disk_is_said_in_words_not_as_its_class_name() -> None:
    """A backup onto a full stick was refused "because: OperationalError": SQLite's errors
    carry no errno, only their own code."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x BLOB)")
    conn.execute("PRAGMA max_page_count = 2")  # SQLite's own "database or disk is full"
    with pytest.raises(sqlite3.OperationalError) as full:
        conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
    assert os_error_reason(full.value) == "der Datenträger ist voll"
    set_ui_language("en")
    assert os_error_reason(full.value) == "the disk is full"
    assert is_drive_refusal(full.value)
    assert not is_drive_refusal(sqlite3.DatabaseError("file is not a database"))
