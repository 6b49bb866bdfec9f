"""Process settings that keep decrypted data from leaking through the operating system.

Python cannot lock or wipe memory (pyca/cryptography documents this), so the residual
risks are swap and hibernation files, which full-disk encryption must cover
(SECURITY.md, leakage channels). What the process itself can do is refuse core dumps,
which would otherwise write every opened record to disk after a crash.
"""

from __future__ import annotations

import contextlib
import faulthandler
import sys


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
