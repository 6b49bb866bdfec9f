"""Freed heap memory is overwritten (glibc): a closed record's long texts do not linger."""
# (A block is allocated and freed with the C library directly: what SQLite and Qt do with
# the pages and copies of a vault's records.)

from __future__ import annotations

import subprocess
import sys

import pytest

CHILD = r"""
import ctypes, sys
from kisi_desktop.core.hardening import harden_process
if sys.argv[1] == "on":
    harden_process()
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = (ctypes.c_size_t,)
libc.free.argtypes = (ctypes.c_void_p,)
# 4 KiB, as an SQLite page or a decrypted record is (glibc keeps blocks under 1 KiB in
# per-thread caches it does not overwrite: Python's short strings stay, FORMAT.md says so).
secret = b"Erstgespraech: Fluchtweg ueber Libyen, Bruder in Kassel. " * 72
block = libc.malloc(len(secret))
ctypes.memmove(block, secret, len(secret))
libc.free(block)
# The freed block's bytes after the allocator's own bookkeeping at its start.
left = ctypes.string_at(block + 64, 256)
print("kept" if left in secret else "gone")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_freed_text_is_overwritten_once_the_process_is_hardened() -> None:
    seen = {}
    for mode in ("off", "on"):
        done = subprocess.run(
            [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True
        )
        seen[mode] = done.stdout.strip()
    assert seen == {"off": "kept", "on": "gone"}
