"""Labelled crash points for the kill-at-every-step tests (SECURITY.md, R2).

Multi-step operations call :func:`reached` at each step. Only when the environment
variable ``KISI_CRASH_AT`` is set to ``<label>:<n>`` does the process kill itself, hard
(SIGKILL), the n-th time that label is reached: the same way a power cut or task-manager
kill would end it. Unset, a call costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

_ENV = "KISI_CRASH_AT"
_counts: dict[str, int] = {}


def reached(label: str) -> None:
    """Note that ``label`` was reached; die here if the crash test asked for it."""
    target = os.environ.get(_ENV)
    if not target:
        return
    want_label, sep, count = target.rpartition(":")
    if not sep:
        # "<label>" alone means the first time, rather than silently never.
        want_label, count = target, "1"
    if want_label != label:
        return
    _counts[label] = _counts.get(label, 0) + 1
    if _counts[label] >= int(count or "1"):
        os.kill(os.getpid(), signal.SIGKILL)
