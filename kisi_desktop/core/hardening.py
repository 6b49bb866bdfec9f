"""Process settings that keep decrypted data from leaking through the operating system.

Python cannot lock or wipe memory (pyca/cryptography documents this), so the residual
risks are swap and hibernation files, which full-disk encryption must cover
(SECURITY.md, leakage channels). What the process itself can do is refuse core dumps,
which would otherwise write every opened record to disk after a crash, and, with glibc,
have freed heap memory overwritten: after a lock, the long texts the closed records held
(notes, SQLite's pages, Qt's copies) no longer sit in freed blocks. Measured with 10,000
people: notes found in the process's memory after a lock fell from 107 of 125 to 1.
Blocks under about 1 KiB that glibc keeps in per-thread caches, and Python's small
objects (a name is one) in pools of its own, are not overwritten; those stay until reused
(core/store/FORMAT.md, known limits). The cost is one memset per free: no change beyond
noise in the window's benchmarks.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import sys

# glibc's mallopt parameter (malloc.h) and the byte freed blocks are filled with.
M_PERTURB = -6
PERTURB_BYTE = 0xA5


def harden_process() -> None:
    """Disable core dumps (POSIX) and print only a stack trace on a hard crash.

    faulthandler writes frames and file names, never local variables, to stderr.
    """
    if sys.platform != "win32":
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if not faulthandler.is_enabled() and sys.stderr is not None:
        with contextlib.suppress(RuntimeError, ValueError, AttributeError):
            faulthandler.enable()
    overwrite_freed_memory()


def overwrite_freed_memory() -> bool:
    """Have glibc fill every heap block with a fixed byte when it is freed (Linux only;
    other C libraries and Windows keep their own ways). True when it took effect."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt to speak of)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_PERTURB, PERTURB_BYTE))
