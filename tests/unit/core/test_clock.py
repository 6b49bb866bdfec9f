"""The guide's calendar day: local, not UTC."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from kisi_desktop.core.clock import FixedClock, today


@pytest.fixture
def in_hessen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset exists on POSIX only")
@pytest.mark.usefixtures("in_hessen")
@pytest.mark.parametrize(
    ("utc", "day"),
    [
        (datetime(2026, 11, 26, 23, 30, tzinfo=UTC), date(2026, 11, 27)),  # 00:30 in winter
        (datetime(2026, 7, 1, 22, 15, tzinfo=UTC), date(2026, 7, 2)),  # 00:15 in summer
        (datetime(2026, 7, 1, 21, 45, tzinfo=UTC), date(2026, 7, 1)),  # 23:45
        (datetime(2026, 12, 31, 23, 5, tzinfo=UTC), date(2027, 1, 1)),  # a new year
    ],
)
def test_after_midnight_in_hessen_it_is_already_the_next_day(utc: datetime, day: date) -> None:
    assert today(FixedClock(utc)) == day
