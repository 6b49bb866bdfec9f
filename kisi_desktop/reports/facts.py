"""What the indicators are computed from: people, supports and outcomes, without names.

Read straight from the working set's rows (raw JSON values), not as domain objects: a
three-year vault has tens of thousands of contacts, and the reports need five fields of
each. Nothing here carries a name, a note or an address; only ids, days and codes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from kisi_desktop.core.domain import Activity, Contact, OutcomeEvent, Person
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.periods import Period

GROUPS_FILE = Path(__file__).resolve().parents[2] / "resources" / "data" / "nationality_groups.json"


@dataclass(frozen=True, slots=True)
class Participant:
    """One person as the reports see them."""

    id: str
    eligible: bool
    gender: str
    """The gender's export code (female, male, non_binary, unknown)."""
    birth_date: date | None
    birth_year: int | None
    nationality_group: str
    eligible_from: date | None = None
    """The day the person's current (eligible) residence status was granted, if recorded:
    support before it came while they held an earlier status, which may not have been
    eligible, so it does not count for AMIF. Unrecorded: the status counts throughout."""

    earlier: tuple[tuple[date | None, date, bool, str], ...] = ()
    """(since, ended on, eligible, nationality group) of each status held before the
    current one, oldest first (``Person.earlier``): a day before a change counts under
    the status held on it, so a refugee granted settlement or naturalised later stays in
    the figures of the periods they were supported in."""

    def eligible_on(self, day: date) -> bool:
        """Whether support on ``day`` counts for AMIF: under the status held that day, and
        not before a status's recorded grant (see :attr:`eligible_from`)."""
        for since, ended, eligible, _group in self.earlier:
            if day < ended:
                return eligible and (since is None or day >= since)
        return self.eligible and (self.eligible_from is None or day >= self.eligible_from)

    def group_on(self, day: date) -> str:
        """The nationality group on ``day`` (the breakdowns describe a person as they were
        when first counted)."""
        for _since, ended, _eligible, group in self.earlier:
            if day < ended:
                return group
        return self.nationality_group

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day`` (with only a year of birth: the age reached that year)."""
        if self.birth_date is not None:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        if self.birth_year is not None:
            return day.year - self.birth_year
        return None


@dataclass(frozen=True, slots=True)
class Support:
    """A person supported on a day (a contact, or taking part in an activity)."""

    person_id: str
    day: date
    supports: frozenset[str]
    """AMIF support codes (language_course, civic_orientation, professional_guidance)."""
    topics: frozenset[str]
    source: str
    """Record kind and id it comes from (``contact:<id>``), for drilling down."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """A result recorded for a person (language level, recognition applied for, ...)."""

    person_id: str
    day: date
    kind: str
    level_before: str | None
    level_after: str | None
    feedback: str | None
    source: str


@dataclass
class Facts:
    """Everything the indicators need, loaded once per report."""

    participants: dict[str, Participant] = field(default_factory=dict)
    supports: list[Support] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    activity_days: list[tuple[date, str]] = field(default_factory=list)
    """(day, municipality AGS) of every activity, for O.2.2."""
    earlier: list[Support] = field(default_factory=list)
    """Supports before the period of the people whose outcome an indicator counts only
    after a support (R.2.8: a level gained in a language course that began earlier)."""


@lru_cache(maxsize=4096)
def _codes(value: str | None) -> tuple[str, ...]:
    """A JSON list of codes as a tuple; the same few lists repeat thousands of times."""
    return tuple(json.loads(value)) if value else ()


def _list(value: Any) -> tuple[str, ...]:
    if value is None or isinstance(value, str):
        return _codes(value)
    return tuple(value)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


@lru_cache(maxsize=8192)
def _iso_day(value: str) -> date:
    return date.fromisoformat(value)


@lru_cache(maxsize=4096)
def _topic_set(value: str | None) -> frozenset[str]:
    return frozenset(_codes(value))


def nationality_groups() -> dict[str, str]:
    """ISO country code -> report group (``resources/data/nationality_groups.json``)."""
    data = json.loads(GROUPS_FILE.read_text(encoding="utf-8"))
    return dict(data["groups"])


def _support_map(ref: ReferenceData, enum: str) -> dict[str, tuple[str, ...]]:
    """Code -> the AMIF support codes it counts as (most codes: none)."""
    return {
        code: tuple(entry.extra.get("amif_support") or ()) for code, entry in ref.enum(enum).items()
    }


def _support_codes(ref: ReferenceData, enum: str, codes: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for code in codes:
        if ref.has_code(enum, code):
            found.update(ref.entry(enum, code).extra.get("amif_support") or ())
    return found


def load_facts(ws: Workspace, period: Period | None = None) -> Facts:
    """The facts of the open vault, or only those a report of ``period`` can count.

    About 0.2 s for 10,000 people and 30,000 contacts: repeated code lists and their AMIF
    support codes are worked out once per distinct list, not once per contact. With a
    period, supports and outcomes come from the working set's date index and only the
    people they name are read: the Overview's project-year tiles then cost a fraction.
    """
    ref = ws.ref

    by_topic = _support_map(ref, "topics")
    by_action = _support_map(ref, "actions")

    @lru_cache(maxsize=4096)
    def contact_support(
        topics: str | None, actions: str | None, explicit: str | None
    ) -> frozenset[str]:
        # Thousands of distinct topic and action lists: each code looked up in a dict.
        found = set(_codes(explicit))
        for code in _codes(topics):
            found.update(by_topic.get(code, ()))
        for code in _codes(actions):
            found.update(by_action.get(code, ()))
        return frozenset(found)

    @lru_cache(maxsize=4096)
    def activity_support(kind: str, explicit: str | None) -> frozenset[str]:
        # Once per distinct type and list: thousands of activities share a few dozen.
        return frozenset(set(_codes(explicit)) | _support_codes(ref, "activity_types", [kind]))

    groups = nationality_groups()
    facts = Facts()
    eligible_status = {
        e.code: bool(e.extra["amif_eligible"]) for e in ref.enum("residence_statuses").values()
    }
    genders = {e.code: str(e.extra["export"]) for e in ref.enum("genders").values()}
    stateless_tcn = bool(ref.stateless.extra["third_country_national"])
    fields = [
        "gender",
        "birth_date",
        "birth_year",
        "nationalities",
        "stateless",
        "residence_status",
        "residence_status_date",
        "earlier",
    ]
    days = (period.start, period.end) if period is not None else None
    contact_fields = ["person_id", "contacted_on", "topics", "actions", "amif_support"]
    contacts = ws.rows(Contact, contact_fields, days=days)
    activity_fields = [
        "starts_on",
        "activity_type",
        "participant_ids",
        "amif_support",
        "municipality_ags",
    ]
    activities = ws.rows(Activity, activity_fields, days=days)
    outcome_fields = ["person_id", "occurred_on", "kind", "level_before", "level_after", "feedback"]
    outcomes = ws.rows(OutcomeEvent, outcome_fields, days=days)
    named: set[str] | None = None
    if period is not None:
        named = {row[1] for row in contacts} | {row[1] for row in outcomes}
        for row in activities:
            named.update(_list(row[3]))

    def status(codes: tuple[str, ...], stateless: bool, status: str) -> tuple[bool, str]:
        """(eligible, nationality group) of one status and nationality."""
        if stateless:
            tcn, group = stateless_tcn, "stateless"
        elif not codes:
            tcn, group = False, "unknown"
        else:
            tcn = not any(ref.is_eu_eea_ch(c) for c in codes)
            group = groups.get(codes[0], "other")
        return tcn and eligible_status.get(status, False), group

    for (
        pid,
        gender,
        birth_date,
        birth_year,
        nationalities,
        stateless,
        code,
        since,
        earlier,
    ) in ws.rows(Person, fields, ids=named):
        eligible, group = status(_list(nationalities), bool(stateless), code)
        before = []
        for entry in json.loads(earlier) if isinstance(earlier, str) else earlier or ():
            held = status(
                tuple(entry["nationalities"]), entry["stateless"], entry["residence_status"]
            )
            before.append((_day(entry["since"]), _iso_day(entry["ended_on"]), *held))
        facts.participants[pid] = Participant(
            id=pid,
            eligible=eligible,
            gender=genders.get(gender, "unknown"),
            birth_date=_day(birth_date),
            birth_year=birth_year,
            nationality_group=group,
            eligible_from=_day(since) if eligible else None,
            earlier=tuple(before),
        )
    for cid, person_id, day, topics, actions, explicit in contacts:
        facts.supports.append(
            Support(
                person_id,
                _iso_day(day),
                contact_support(topics, actions, explicit),
                _topic_set(topics),
                f"contact:{cid}",
            )
        )
    for aid, day, kind, participants, explicit, ags in activities:
        start = date.fromisoformat(day)
        facts.activity_days.append((start, ags))
        supports = activity_support(kind, explicit)
        for person_id in _list(participants):
            facts.supports.append(
                Support(person_id, start, supports, frozenset(), f"activity:{aid}")
            )
    for oid, person_id, day, kind, before, after, feedback in outcomes:
        facts.outcomes.append(
            Outcome(
                person_id, date.fromisoformat(day), kind, before, after, feedback, f"outcome:{oid}"
            )
        )
    if period is not None:
        rules = _outcomes_after_a_support(ref)
        people = _supported_only_before(facts, rules)
        if people:
            _load_earlier(ws, facts, people, period.start, contact_support, activity_support)
    return facts


def _outcomes_after_a_support(ref: ReferenceData) -> set[tuple[str, str]]:
    """(outcome kind, support code) of the indicators that count an outcome only after a
    support (R.2.8: a language level, after a language course)."""
    return {
        (str(e.extra["outcome"]), str(e.extra["support"]))
        for e in ref.enum("indicators").values()
        if e.extra.get("basis") == "outcome" and e.extra.get("support") and e.extra.get("outcome")
    }


def _supported_only_before(facts: Facts, rules: set[tuple[str, str]]) -> set[str]:
    """People with such an outcome in the period but no such support in it by that day:
    only their earlier records can tell (most had their course in the period)."""
    people: set[str] = set()
    for kind, support in rules:
        first: dict[str, date] = {}
        for s in facts.supports:
            if support in s.supports and s.day < first.get(s.person_id, date.max):
                first[s.person_id] = s.day
        people.update(
            o.person_id
            for o in facts.outcomes
            if o.kind == kind and first.get(o.person_id, date.max) > o.day
        )
    return people


def _load_earlier(
    ws: Workspace,
    facts: Facts,
    people: set[str],
    start: date,
    contact_support: Callable[[str | None, str | None, str | None], frozenset[str]],
    activity_support: Callable[[str, str | None], frozenset[str]],
) -> None:
    """The supports before ``start`` of ``people`` (their contacts, and the activities
    they took part in)."""
    fields = ["person_id", "contacted_on", "topics", "actions", "amif_support"]
    # One query per person, through the owner index alone: faster here than one query
    # for all of them (which sorts) or with their dates (which takes the date index).
    rows = [row for pid in people for row in ws.rows(Contact, fields, owner=pid)]
    for cid, person_id, day, topics, actions, explicit in rows:
        if not day or _iso_day(day) >= start:
            continue
        facts.earlier.append(
            Support(
                person_id,
                _iso_day(day),
                contact_support(topics, actions, explicit),
                frozenset(),
                f"contact:{cid}",
            )
        )
    before = (None, start - timedelta(days=1))
    for aid, day, kind, participants, explicit in ws.rows(
        Activity, ["starts_on", "activity_type", "participant_ids", "amif_support"], days=before
    ):
        named = people.intersection(_list(participants))
        if named:
            found = activity_support(kind, explicit)
            for person_id in named:
                facts.earlier.append(
                    Support(person_id, _iso_day(day), found, frozenset(), f"activity:{aid}")
                )
