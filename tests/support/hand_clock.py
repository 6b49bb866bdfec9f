"""A wall clock a test moves by hand: the session reads the time through it, so a test can
say "the laptop slept for eleven minutes" without waiting (session._now)."""

from __future__ import annotations


class HandClock:
    """Seconds since the epoch, as ``time.time`` gives them; move :attr:`now` forward."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now
