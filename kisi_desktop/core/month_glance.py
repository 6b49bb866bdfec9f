"""This month at a glance: the figures the Overview page shows, as plain values.

Apart from the counting (:mod:`kisi_desktop.core.overview`), which reads the workspace: the
window builds the Overview while the unlock screen waits, before the vault's code is
imported, and it is to show this month's figures from a small summary before the records
are loaded. Nothing here may import the workspace or the domain's records.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

DUE_WITHIN_DAYS = 7


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month as its first and last day."""

    first: date
    last: date

    @classmethod
    def of(cls, day: date) -> Month:
        """The calendar month containing ``day``."""
        last_day = calendar.monthrange(day.year, day.month)[1]
        return cls(day.replace(day=1), day.replace(day=last_day))

    def contains(self, iso_day: str | None) -> bool:
        """Whether an ISO date string lies in the month."""
        return iso_day is not None and self.first.isoformat() <= iso_day <= self.last.isoformat()

    def overlaps(self, iso_start: str | None, iso_end: str | None) -> bool:
        """Whether the range ``iso_start``..``iso_end`` (end may be None: one day) touches it."""
        if iso_start is None:
            return False
        end = iso_end or iso_start
        return iso_start <= self.last.isoformat() and end >= self.first.isoformat()


@dataclass(frozen=True, slots=True)
class DueFollowUp:
    """An open follow-up that is overdue or due soon, with the name of its person."""

    id: str
    due_on: date
    text: str
    person_id: str | None
    person_name: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class MonthOverview:
    """The figures of one month, as of ``today``."""

    month: Month
    today: date
    contacts: int
    people_accompanied: int
    new_people: int
    activities: int
    events: int
    attendance: int
    due: tuple[DueFollowUp, ...]
    people: int
    """How many people the vault holds (not only this month's): none, and the Overview
    names the first steps."""

    @property
    def overdue(self) -> int:
        """How many of the due follow-ups are already late."""
        return sum(1 for item in self.due if item.overdue)


def due_followups(
    day: date, followups: list[tuple[Any, ...]], names: dict[str, str]
) -> tuple[DueFollowUp, ...]:
    """Open follow-ups due by ``day`` + :data:`DUE_WITHIN_DAYS`, oldest due date first."""
    horizon = (day + timedelta(days=DUE_WITHIN_DAYS)).isoformat()
    today_iso = day.isoformat()
    due = [
        DueFollowUp(
            id=rid,
            due_on=date.fromisoformat(due_on),
            text=str(text or ""),
            person_id=person_id,
            person_name=names.get(person_id, "") if person_id else "",
            overdue=due_on < today_iso,
        )
        for rid, person_id, due_on, text, done in followups
        if not done and due_on is not None and due_on <= horizon
    ]
    due.sort(key=lambda item: (item.due_on, item.person_name, item.id))
    return tuple(due)
