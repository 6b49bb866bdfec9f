"""This month at a glance, counted from raw rows: the figures the Overview page shows.

The figures themselves are plain values in :mod:`kisi_desktop.core.month_glance`; this
module counts them from the workspace.

Counting runs over :meth:`Workspace.rows` (ISO date strings straight from the working set,
no domain object per record), so the page stays instant with 10,000 people. ISO dates
compare correctly as text, which is what the month and due-date tests below rely on.

Definitions (what a guide means by the words on the tiles):

* contacts this month: counselling contacts dated in the calendar month of "today";
* people accompanied: distinct people with at least one of those contacts;
* new people: people whose *first* contact ever falls in this month (the record's
  creation time is not used: an import or the demo generator creates records in bulk);
* follow-ups due: open follow-ups that are overdue or due within :data:`DUE_WITHIN_DAYS`,
  and referrals whose "follow up on" day is, unless attended or closed (the referral form
  asks for that day, and nothing else reminded of it);
* activities / events: records with ``is_event`` false / true whose date range overlaps
  the month; attendance sums the events' attendance as the reports count it (the recorded
  total, or the headcounts and named participants where they say more).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Activity, Contact, FollowUp, Person, Referral
from kisi_desktop.core.domain.activity import attendance_of_row
from kisi_desktop.core.domain.referral import SETTLED_REFERRALS
from kisi_desktop.core.i18n import _
from kisi_desktop.core.month_glance import (
    DUE_WITHIN_DAYS,
    DueFollowUp,
    Month,
    MonthOverview,
    due_followups,
)
from kisi_desktop.core.person_labels import FIELDS as PERSON_LABEL_FIELDS
from kisi_desktop.core.person_labels import person_label

if TYPE_CHECKING:  # (the workspace imports this module for the glance it seals)
    from kisi_desktop.core.workspace import Workspace

# The plain values live in month_glance (the Overview shows them before this module is
# imported); named here too, where the counting's callers have always found them.
__all__ = [
    "DUE_WITHIN_DAYS",
    "DueFollowUp",
    "Month",
    "MonthOverview",
    "count_month",
    "due_followups",
    "month_overview",
    "summarise",
]


class RecordRows(Protocol):
    """What counting a month reads: a workspace, or the records a lock still holds."""

    def rows(
        self,
        cls: type[Any],
        fields: Sequence[str],
        *,
        owner: str | None = None,
        days: tuple[date | None, date | None] | None = None,
        ids: Iterable[str] | None = None,
        until: tuple[str, date] | None = None,
        excluding: tuple[str, Sequence[str]] | None = None,
    ) -> list[tuple[Any, ...]]: ...

    def count_first_days(self, cls: type[Any], first: date, last: date) -> int: ...

    def count(self, cls: type[Any] | None = None) -> int: ...


def month_overview(ws: Workspace, day: date | None = None) -> MonthOverview:
    """The overview for the month of ``day`` (default: today by the workspace clock)."""
    return count_month(ws, day or today(ws.clock))


def count_month(ws: RecordRows, day: date) -> MonthOverview:
    """The overview for the month of ``day``.

    Only the month's contacts and the follow-ups due by the horizon are read; first
    contacts come from the working set's date index, so the figures cost milliseconds
    with 30,000 contacts, not a pass over all of them.
    """
    month = Month.of(day)
    horizon = day + timedelta(days=DUE_WITHIN_DAYS)
    followups = ws.rows(FollowUp, ["person_id", "due_on", "text", "done"], days=(None, horizon))
    followups += referrals_to_follow_up(
        # Only the open ones with a follow-up day by the horizon leave SQLite: a few of
        # 10,000 (reading them all made the count 30 ms slower).
        ws.rows(
            Referral,
            ["person_id", "follow_up_on", "status", "note"],
            until=("follow_up_on", horizon),
            excluding=("status", sorted(SETTLED_REFERRALS)),
        ),
        horizon,
    )
    return summarise(
        day,
        contacts=ws.rows(Contact, ["person_id", "contacted_on"], days=(month.first, month.last)),
        new_people=ws.count_first_days(Contact, month.first, month.last),
        followups=followups,
        # Names of the open ones only: most follow-ups by the horizon are done long ago.
        # With year of birth and nationality, as in the search: namesakes are common, and
        # two Amina Haidari with a follow-up each read the same by name alone.
        people=[
            (rid, person_label(*values))
            for rid, *values in ws.rows(
                Person,
                PERSON_LABEL_FIELDS,
                ids={row[1] for row in followups if row[1] and not row[4]},
            )
        ],
        activities=ws.rows(
            Activity,
            [
                "starts_on",
                "ends_on",
                "is_event",
                "attendance_total",
                "counts_by_target_group",
                "participant_ids",
            ],
            days=(None, month.last),
        ),
        people_in_vault=ws.count(Person),
    )


def referrals_to_follow_up(
    referrals: Iterable[tuple[Any, ...]], horizon: date
) -> list[tuple[Any, ...]]:
    """Referrals ``(id, person_id, follow_up_on, status, note)`` still to follow up by
    ``horizon``, as follow-up rows ``(id, person_id, due_on, text, done)``."""
    last = horizon.isoformat()
    found: list[tuple[Any, ...]] = []
    for rid, person_id, due_on, status, note in referrals:
        if due_on is None or due_on > last or status in SETTLED_REFERRALS:
            continue
        text = _("Follow up the referral")
        if note:
            text += f": {note}"
        found.append((rid, person_id, due_on, text, 0))
    return found


def summarise(
    day: date,
    *,
    contacts: list[tuple[Any, ...]],
    new_people: int,
    followups: list[tuple[Any, ...]],
    people: list[tuple[Any, ...]],
    activities: list[tuple[Any, ...]],
    people_in_vault: int,
) -> MonthOverview:
    """Count the month of ``day`` from raw rows (the shapes :func:`month_overview` asks for).

    Rows: contacts ``(id, person_id, contacted_on)`` (those of other months are skipped),
    follow-ups ``(id, person_id, due_on, text, done)``, people ``(id, name)``, activities
    ``(id, starts_on, ends_on, is_event, attendance_total, counts_by_target_group,
    participant_ids)``; dates are ISO strings, flags 0/1 and lists as SQLite's JSON gives
    them; attendance as the reports count it (:func:`attendance_of_row`). ``new_people``
    is the number of people whose first contact ever lies in the month, ``people_in_vault``
    how many people the vault holds.
    """
    month = Month.of(day)
    in_month = 0
    accompanied: set[str] = set()
    for _id, person_id, contacted_on in contacts:
        if contacted_on is None or person_id is None:
            continue
        if month.contains(contacted_on):
            in_month += 1
            accompanied.add(person_id)

    activities_n = events_n = attendance = 0
    for _id, starts_on, ends_on, is_event, total, heads, named in activities:
        if not month.overlaps(starts_on, ends_on):
            continue
        if is_event:
            events_n += 1
            attendance += attendance_of_row(total, heads, named)
        else:
            activities_n += 1

    return MonthOverview(
        month=month,
        today=day,
        contacts=in_month,
        people_accompanied=len(accompanied),
        new_people=new_people,
        activities=activities_n,
        events=events_n,
        attendance=attendance,
        due=due_followups(day, followups, dict(people)),
        people=people_in_vault,
    )
