"""Reading the vault's files ahead: every byte of the plain files, nothing else, and stops."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kisi_desktop.core.store.read_ahead import CHUNK, ReadAhead


def _file(path: Path, size: int) -> Path:
    path.write_bytes(os.urandom(size))
    return path


def test_every_byte_of_each_file_is_read_and_a_missing_one_is_skipped(tmp_path: Path) -> None:
    snapshot = _file(tmp_path / "vault.kisi.snapshot", 3 * CHUNK + 17)
    vault = _file(tmp_path / "vault.kisi", 5)
    ahead = ReadAhead([snapshot, tmp_path / "gone", vault])
    ahead.start()
    assert ahead.wait(10)
    assert ahead.bytes_read == 3 * CHUNK + 17 + 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_is_not_waited_on(tmp_path: Path) -> None:
    # A pipe in the vault's place would make a plain open wait for a writer forever.
    pipe = tmp_path / "vault.kisi.snapshot"
    os.mkfifo(pipe)
    vault = _file(tmp_path / "vault.kisi", 100)
    ahead = ReadAhead([pipe, vault])
    ahead.start()
    assert ahead.wait(10)
    assert ahead.bytes_read == 100


@pytest.mark.skipif(sys.platform == "win32", reason="a folder opens differently on Windows")
def test_a_folder_in_the_files_place_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "vault.kisi.snapshot"
    folder.mkdir()
    ahead = ReadAhead([folder, _file(tmp_path / "vault.kisi", 7)])
    ahead.start()
    assert ahead.wait(10) and ahead.bytes_read == 7


def test_stopped_before_it_began_it_reads_nothing(tmp_path: Path) -> None:
    ahead = ReadAhead([_file(tmp_path / "vault.kisi", CHUNK)])
    ahead.stop()
    ahead.start()
    assert ahead.wait(10)
    assert ahead.bytes_read == 0
