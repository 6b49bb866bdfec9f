"""Fill a workspace with realistic demo data for the KISI project years up to today.

Qt-free; the command line (``kisi demo``) and the GUI call :func:`generate`. Records are
committed in batches of a few hundred, each batch one ``ws.save`` (all or nothing), so 10,000
people take well under a minute. The same seed gives the same data, ids included.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from kisi_desktop.core.clock import Clock, today
from kisi_desktop.core.demo import office
from kisi_desktop.core.demo.people import PROJECT_END, PROJECT_START, PeopleMaker
from kisi_desktop.core.domain import BudgetPlan, Guide, Municipality, Partner, TimeSheet
from kisi_desktop.core.domain.registry import Record
from kisi_desktop.core.workspace import Workspace

BATCH = 500
ACTION = "demo"


@dataclass(slots=True)
class DemoSummary:
    """How many records of each kind were added."""

    counts: Counter[str] = field(default_factory=Counter)
    cancelled: bool = False

    @property
    def total(self) -> int:
        """All records added."""
        return sum(self.counts.values())


class _Batcher:
    """Collects records and saves them a batch at a time."""

    def __init__(self, ws: Workspace, summary: DemoSummary) -> None:
        self.ws = ws
        self.summary = summary
        self.pending: list[Record] = []

    def add(self, records: list[Record]) -> None:
        self.pending.extend(records)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.ws.save(self.pending, ACTION)
            self.summary.counts.update(r.KIND for r in self.pending)
            self.pending = []


def project_window(clock: Clock) -> tuple[date, date]:
    """First and last day of demo data: project start up to today (at most the project end)."""
    end = min(today(clock), PROJECT_END)
    return PROJECT_START, max(end, PROJECT_START + timedelta(days=60))


def generate(
    ws: Workspace,
    people: int,
    rng: random.Random,
    clock: Clock,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoSummary:
    """Add ``people`` demo people with their case work, plus the office's records.

    The municipality profile, guide and partners are added only if the vault has none yet,
    so running the demo twice adds people, not a second town. ``progress(done, total)`` is
    called after each batch; ``cancelled()`` stops between people (what is saved stays).
    """
    if people < 0:
        raise ValueError("people must not be negative")
    _start, end = project_window(clock)
    summary = DemoSummary()
    batch = _Batcher(ws, summary)

    profiles = ws.list(Municipality)
    if profiles:
        ags = profiles[0].ags
    else:
        municipality, guide = office.profile_records(rng)
        batch.add([municipality, guide])
        ags = municipality.ags
    partners = ws.list(Partner)
    targets: dict[str, str] = {}
    if not partners:
        partners, targets = office.partner_records(rng)
        batch.add(list(partners))
    batch.flush()

    maker = PeopleMaker(rng, end, office.TOWN, targets)
    first_seen: list[tuple[date, str]] = []
    for n in range(people):
        if cancelled is not None and cancelled():
            summary.cancelled = True
            break
        records = maker.person()
        first_seen.append((min(_days(records)), records[0].id))
        batch.add(records)
        if progress is not None and (n + 1) % 100 == 0:
            progress(n + 1, people)
    batch.flush()
    if summary.cancelled:
        return summary

    months = max(1, (end - PROJECT_START).days // 30)
    n_activities = min(600, 3 * months + people // 50)
    batch.add(
        list(office.activities(rng, end, ags, first_seen, [p.id for p in partners], n_activities))
    )
    # A town's guide coordinates a few dozen volunteers, however many people come.
    volunteering = office.volunteer_records(rng, end, max(6, min(40, people // 25)))
    batch.add(volunteering)
    batch.add(office.money_records(rng, end, office.quarterly_payouts(volunteering)))
    if not ws.list(BudgetPlan):
        batch.add(office.plan_records(rng))
    batch.add(office.need_records(rng, end))
    batch.add(office.publication_records(rng, end))
    guides = ws.list(Guide)
    if guides and not ws.list(TimeSheet):
        batch.add(office.time_sheet_records(guides[0], end))
    batch.flush()
    if progress is not None:
        progress(people, people)
    return summary


def _days(records: list[Record]) -> list[date]:
    """Contact days of a person's records (the first is when they were first seen)."""
    days = [getattr(r, "contacted_on", None) for r in records]
    return [d for d in days if d is not None] or [PROJECT_START]
