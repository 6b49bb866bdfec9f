"""Where "now" comes from, so tests can pin time (Fernet's encrypt_at_time idea)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current UTC time."""

    def now(self) -> datetime:
        """Current time, timezone-aware in UTC."""
        ...


class SystemClock:
    """The real wall clock (UTC)."""

    def now(self) -> datetime:
        """Current time, timezone-aware in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move; for tests and known-answer vectors."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at

    def now(self) -> datetime:
        """The pinned time."""
        return self._at

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. ``advance(minutes=11)``."""
        from datetime import timedelta

        self._at = self._at + timedelta(**delta)


def today(clock: Clock) -> date:
    """The guide's calendar day: the clock's instant in the computer's time zone.

    Not the UTC date, which in Hessen is still yesterday until 01:00 (02:00 in summer):
    a contact written down at half past midnight belongs to the new day, and a date field
    that refuses days "still to come" must not refuse it.
    """
    return clock.now().astimezone().date()
