"""What the sealed glance holds (core/store/glance.py): the Overview of this month and of
the next, and the names for the title bar, as JSON.

The figures of a month do not depend on the day within it, and nothing changes the records
between a lock and the next unlock without making the glance stale (its seal names the
newest audit entry). So the Overview counted at a lock holds for every later start in that
month, and the next month's, counted at the same lock, for the first start after the month
has turned (a lock on Friday the 30th, a start on Monday the 2nd). Only the follow-ups due
move with the day: each month keeps every open follow-up due by its last day plus the
Overview's horizon, and :func:`read_glance` picks those due by the day it is asked for.

The JSON is authenticated before it gets here, but it is read as outside data all the
same: anything but the expected shape gives None, never an exception.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kisi_desktop.core.month_glance import DUE_WITHIN_DAYS, DueFollowUp, Month, MonthOverview

FORMAT = 3  # (1: one month only; 2: without "people"; such a glance is not read, the next
# lock replaces it)
_COUNTS = (
    "contacts",
    "people_accompanied",
    "new_people",
    "activities",
    "events",
    "attendance",
    "people",
)


@dataclass(frozen=True, slots=True)
class Glance:
    """This month's Overview as of a day, and the municipalities the title bar names."""

    overview: MonthOverview
    municipalities: tuple[str, ...]


def glance_days(day: date) -> tuple[date, date]:
    """The days a lock on ``day`` counts the glance for, so that it serves every start in
    this month and the next: their last days (the follow-ups due by then plus the horizon
    are the most any day of the month needs)."""
    this = Month.of(day)
    return this.last, Month.of(this.last + timedelta(days=1)).last


def encode_glance(overviews: Sequence[MonthOverview], municipalities: tuple[str, ...]) -> bytes:
    """The glance of ``overviews`` (one per month, counted for :func:`glance_days`) as
    bytes to seal."""
    return json.dumps(
        {
            "format": FORMAT,
            "months": [
                {
                    "month": overview.month.first.isoformat(),
                    **{name: getattr(overview, name) for name in _COUNTS},
                    "due": [
                        [item.id, item.due_on.isoformat(), item.text, item.person_id,
                         item.person_name]
                        for item in overview.due
                    ],
                }
                for overview in overviews
            ],
            "municipalities": list(municipalities),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()  # fmt: skip


def read_glance(data: bytes, day: date) -> Glance | None:
    """The glance as of ``day``, or None: no month of ``day`` in it, another format, or
    not a glance."""
    try:
        raw = json.loads(data)
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return None
        month = Month.of(day)
        months = raw["months"]
        if not isinstance(months, list):
            return None
        entry = next(
            (
                m
                for m in months
                if isinstance(m, dict) and m.get("month") == month.first.isoformat()
            ),
            None,
        )
        if entry is None:
            return None
        counts = {name: entry[name] for name in _COUNTS}
        if not all(type(value) is int and value >= 0 for value in counts.values()):
            return None
        due = _due(entry["due"], day)
        names = raw["municipalities"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return None
    except (ValueError, KeyError, TypeError):
        return None
    overview = MonthOverview(month=month, today=day, due=due, **counts)
    return Glance(overview, tuple(names))


def _due(items: Any, day: date) -> tuple[DueFollowUp, ...]:
    """The follow-ups due by ``day`` plus the horizon, late ones marked, as the Overview
    sorts them. Raises ValueError or TypeError for anything malformed."""
    if not isinstance(items, list):
        raise TypeError("due is not a list")
    horizon = day + timedelta(days=DUE_WITHIN_DAYS)
    due = []
    for item in items:
        rid, due_on, text, person_id, person_name = item
        if not (
            isinstance(rid, str)
            and isinstance(text, str)
            and isinstance(person_name, str)
            and (person_id is None or isinstance(person_id, str))
        ):
            raise TypeError("a follow-up of the glance is malformed")
        when = date.fromisoformat(due_on)
        if when <= horizon:
            due.append(DueFollowUp(rid, when, text, person_id, person_name, when < day))
    due.sort(key=lambda item: (item.due_on, item.person_name, item.id))
    return tuple(due)
