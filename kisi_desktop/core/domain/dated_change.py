"""Dated changes: keep what a record held before a change that took effect on a later day.

A person's residence status and a team member's pay both change while the project runs, and
the days before the change must keep counting as they did: support before a settlement
permit counts under the refugee status held then, and hours worked before a raise are priced
at the gross cost of that time (Art. 55(2) Reg. (EU) 2021/1060 takes "the latest documented
annual gross employment costs"; that a claim prices each month at the costs documented for
it, not at today's, is the programme's reading here, to be confirmed with the ministry).
So an edit that changes the *terms* and names a later "since" day appends the old terms
to a history; the same edit without a later day is a correction of what was entered, and
replaces it.

The rules are the same for every such history, so they live here once; each record says
which fields are its terms, which field holds the day, and how an entry is made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _


class Entry(Protocol):
    """A history entry: the terms held from ``since`` (if known) until ``ended_on``, the day
    the next terms began."""

    @property
    def since(self) -> date | None: ...

    @property
    def ended_on(self) -> date: ...


R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class History(Generic[R]):
    """How one kind of record keeps its dated changes."""

    terms: Callable[[R], Hashable]
    """The fields whose change is a change in the person's life (or pay)."""
    since_field: str
    """The record's field with the day the current terms hold from."""
    history_field: str
    """The record's tuple of earlier entries, oldest first."""
    entry: Callable[[R, date], Any]
    """The entry keeping ``old``'s terms, ended on the given day."""
    most: int
    """Entries kept at most; a change beyond that is refused."""
    unknown: Callable[[R], bool] = lambda _record: False
    """Whether ``old``'s terms were not known yet (a gross cost never entered): filling
    them in is a correction, not a change with a history."""

    def since(self, record: R) -> date | None:
        """The day ``record``'s current terms hold from."""
        day: date | None = getattr(record, self.since_field)
        return day

    def earlier(self, record: R) -> tuple[Any, ...]:
        """``record``'s earlier entries, oldest first."""
        entries: tuple[Any, ...] = getattr(record, self.history_field)
        return entries

    def begins_too_early(self, record: R) -> date | None:
        """The day the last earlier entry began, when the record's current terms are said
        to begin on or before it (a typo that cannot be mended by moving the change day);
        else None."""
        before = self.earlier(record)
        last: Entry | None = before[-1] if before else None
        since = self.since(record)
        if last is None or since is None or last.since is None or since > last.since:
            return None
        return last.since

    def apply(self, old: R, new: R) -> R:
        """``new``, keeping ``old``'s terms as an earlier entry if this edit is a change.

        An edit that sets the history itself is taken as it is.
        """
        moved = self._moved_change_day(old, new)
        if moved is not None:
            return moved
        since, before = self.since(new), self.earlier(old)
        old_since = self.since(old)
        if (
            self.terms(old) == self.terms(new)
            or self.unknown(old)
            or self.earlier(new) != before
            or since is None
            or (old_since is not None and since <= old_since)
            or (before and since <= before[-1].ended_on)
        ):
            return new
        if len(before) >= self.most:
            raise ValidationError(
                self.since_field,
                _(
                    "At most {count} changes are kept: enter this one as a correction, "
                    "without a later day."
                ).format(count=self.most),
            )
        kept = self.entry(old, since)
        return dataclasses.replace(new, **{self.history_field: (*before, kept)})  # type: ignore[type-var]

    def _moved_change_day(self, old: R, new: R) -> R | None:
        """A typo in the day of the last change, corrected to another day: the earlier
        entry then ended on that day too. Earlier, still after it began; later, only with
        the terms unchanged (with new terms it is the next change). None if this is no such
        edit."""
        before = self.earlier(old)
        last: Entry | None = before[-1] if before else None
        since = self.since(new)
        if (
            last is None
            or self.earlier(new) != before
            or since is None
            or self.since(old) != last.ended_on
            or since == last.ended_on
            or (since > last.ended_on and self.terms(old) != self.terms(new))
            or (last.since is not None and since <= last.since)
        ):
            return None
        moved = dataclasses.replace(last, ended_on=since)  # type: ignore[type-var]
        return dataclasses.replace(new, **{self.history_field: (*before[:-1], moved)})  # type: ignore[type-var]


def in_order(entries: tuple[Entry, ...]) -> bool:
    """Whether the entries ended on strictly increasing days."""
    ends = [e.ended_on for e in entries]
    return ends == sorted(set(ends))


def held_on(entries: tuple[Entry, ...], day: date) -> Entry | None:
    """The earlier entry in force on ``day`` (the first that ended after it), or None when
    the current terms held that day. A day before the oldest entry began takes the oldest:
    nothing older is known."""
    for entry in entries:
        if day < entry.ended_on:
            return entry
    return None
