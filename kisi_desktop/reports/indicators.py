"""The AMIF common indicators of the integration objective, computed from what was recorded.

Definitions are data (``resources/data/indicators.json``: each indicator's wording and its
*basis*); this module only knows the three bases:

* ``unique_eligible_participants``: AMIF-eligible people with at least one support in the
  period (a contact, or taking part in an activity), counted once however often they came;
  narrowed by a support code (O.2.3.x) or a contact topic / outcome (O.2.5);
* ``outcome``: eligible people with an outcome of the given kind in the period (R.2.x);
  a language level counts only when it rose by at least ``min_levels_gained`` levels, and
  with a ``support`` code only when the person had that support on or before the day of
  the outcome, in the period or earlier (R.2.8 counts participants in language courses);
* ``municipalities_supported``: municipalities with any activity in the period (O.2.2).

Breakdowns (gender, age group, nationality group) describe each counted person once, at
their first qualifying day in the period, so every breakdown adds up to the total.

The report and the Reports page count as AMIF does (DOMAIN.md: "counted once for the
project, in the period of first support"): someone supported in project year 1 and again in
year 2 is a participant of year 1 only, so the years add up to the project's figure, as the
bundles' figures do (``once_in_project``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from math import inf
from typing import Any, TypeVar

from kisi_desktop.core.domain.reference import ReferenceData

from kisi_desktop.reports.facts import Facts, Participant
from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START, Period

SMALL_CELL = 5
"""Cells below this many people are suppressed in anything that leaves the laptop."""

CEFR_ORDER = ("a1", "a2", "b1", "b2", "c1", "c2")
AGE_GROUPS = ("under_18", "18_60", "over_60", "unknown")
GENDERS = ("female", "male", "non_binary", "unknown")


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One indicator for one period: the count, who is behind it, and its breakdowns."""

    code: str
    label_de: str
    label_en: str
    basis: str
    rule: Mapping[str, Any]
    """The definition's parameters (support, topic, outcome...): shown next to the figure."""
    count: int
    people: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    """``kind:id`` of the records that made the people count (for drilling down)."""
    breakdowns: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    verified: bool = False


def age_group(age: int | None) -> str:
    """``under_18``, ``18_60``, ``over_60`` or ``unknown`` (the EU's bands)."""
    if age is None:
        return "unknown"
    if age < 18:
        return "under_18"
    return "18_60" if age <= 60 else "over_60"


def _breakdowns(
    firsts: Mapping[str, date], people: Mapping[str, Participant]
) -> dict[str, dict[str, int]]:
    gender: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    for pid, day in firsts.items():
        person = people[pid]
        gender[person.gender] += 1
        ages[age_group(person.age_on(day))] += 1
        groups[person.group_on(day)] += 1
    return {
        "gender": {g: gender[g] for g in GENDERS},
        "age_group": {a: ages[a] for a in AGE_GROUPS},
        "nationality_group": dict(sorted(groups.items())),
    }


def _note(
    firsts: dict[str, date], sources: list[tuple[str, str]], pid: str, day: date, source: str
) -> None:
    if pid not in firsts or day < firsts[pid]:
        firsts[pid] = day
    sources.append((pid, source))


def compute(
    facts: Facts,
    period: Period,
    ref: ReferenceData,
    *,
    already: Mapping[str, AbstractSet[str]] | None = None,
    breakdowns: bool = True,
    once_in_project: bool = False,
    late_people: bool = False,
) -> list[IndicatorResult]:
    """Every indicator of the reference data for ``period``, in the data's order.

    ``already`` maps an indicator code to the people an earlier bundle reported for it:
    they are left out, so that figures summed over bundles count each person once for the
    project, as AMIF counts participants. ``once_in_project`` does the same from the
    records themselves: a person counts in the period of their first qualifying day since
    the project began, so the three project years add up to the project (``facts`` must
    then reach back to the project's start). ``late_people`` (for bundles, with
    ``already``) counts here the people whose first day lies before the period but whom no
    bundle reported: recorded, or found eligible, after that period's bundle had gone.
    Support and outcomes count from the day a person's eligible residence status was
    granted, when that day is recorded (:meth:`Participant.eligible_on`).
    ``breakdowns=False`` leaves the breakdowns empty (the Overview shows counts only, and
    starts faster without them).
    """
    window = period
    if (once_in_project or late_people) and PROJECT_START < period.start:
        window = Period(PROJECT_START, period.end, period.key)
    people = facts.participants

    def counts(person_id: str, day: date) -> bool:
        # Eligible on the day: support before an eligible status was granted does not count;
        # nor does support outside the project (a calendar year 2025 report would count
        # September's contacts, and the years would add up to more than the project).
        who = people.get(person_id)
        return in_project(day) and who is not None and who.eligible_on(day)

    supports = [s for s in facts.supports if s.day in window and counts(s.person_id, s.day)]
    outcomes = [o for o in facts.outcomes if o.day in window and counts(o.person_id, o.day)]
    results = []
    for entry in ref.enum("indicators").values():
        rule = {k: v for k, v in entry.extra.items() if k != "verified"}
        basis = str(rule.get("basis"))
        firsts: dict[str, date] = {}
        sources: list[tuple[str, str]] = []
        count = 0
        if basis == "unique_eligible_participants":
            wanted_support = rule.get("support")
            wanted_topic = rule.get("topic")
            for s in supports:
                if wanted_support and wanted_support not in s.supports:
                    continue
                if wanted_topic and wanted_topic not in s.topics:
                    continue
                _note(firsts, sources, s.person_id, s.day, s.source)
            if rule.get("outcome") and wanted_topic:
                for o in outcomes:
                    if o.kind == rule["outcome"]:
                        _note(firsts, sources, o.person_id, o.day, o.source)
            count = len(firsts)
        elif basis == "outcome":
            wanted_support = rule.get("support")
            first_supported = _first_days(facts, wanted_support) if wanted_support else {}
            for o in outcomes:
                if o.kind != rule.get("outcome"):
                    continue
                first = first_supported.get(o.person_id)
                if wanted_support and (first is None or first > o.day):
                    continue
                if "min_levels_gained" in rule and not _gained(
                    o.level_before, o.level_after, int(rule["min_levels_gained"])
                ):
                    continue
                if "answer" in rule and o.feedback != rule["answer"]:
                    continue
                _note(firsts, sources, o.person_id, o.day, o.source)
            count = len(firsts)
        elif basis == "municipalities_supported":
            count = len(
                {ags for day, ags in facts.activity_days if day in period and in_project(day)}
            )
        if once_in_project and window is not period:
            # Counted in an earlier period already: their first day lies before this one.
            firsts = {pid: day for pid, day in firsts.items() if day >= period.start}
            count = len(firsts) if basis != "municipalities_supported" else count
        if already and already.get(entry.code):
            seen = already[entry.code]
            firsts = {pid: day for pid, day in firsts.items() if pid not in seen}
            if basis != "municipalities_supported":
                count = len(firsts)
        results.append(
            IndicatorResult(
                code=entry.code,
                label_de=entry.de,
                label_en=entry.en,
                basis=basis,
                rule=rule,
                count=count,
                people=frozenset(firsts),
                sources=tuple(sorted({source for pid, source in sources if pid in firsts})),
                breakdowns=(
                    _breakdowns(firsts, facts.participants) if firsts and breakdowns else {}
                ),
                verified=bool(entry.extra.get("verified", False)),
            )
        )
    return results


def in_project(day: date) -> bool:
    """Whether ``day`` lies in the project (1 Oct 2025 to 30 Sep 2028)."""
    return PROJECT_START <= day <= PROJECT_END


def _first_days(facts: Facts, support: str) -> dict[str, date]:
    """The first day each person had ``support``, in the period or before it."""
    first: dict[str, date] = {}
    people = facts.participants
    for s in (*facts.earlier, *facts.supports):
        who = people.get(s.person_id)
        if not in_project(s.day) or (who is not None and not who.eligible_on(s.day)):
            continue  # (outside the project, or before the eligible status)
        if support in s.supports and (s.person_id not in first or s.day < first[s.person_id]):
            first[s.person_id] = s.day
    return first


def _gained(before: str | None, after: str | None, levels: int) -> bool:
    if before not in CEFR_ORDER or after not in CEFR_ORDER:
        return False
    return CEFR_ORDER.index(after) - CEFR_ORDER.index(before) >= levels


class Withheld:
    """The mark of a cell held back only so that a small one beside it cannot be worked
    out from the total (:func:`suppressed_breakdown`). Printed "x"; a bundle writes it as
    its own mark (``bundles.manifest.WITHHELD_MARK``), never as null: null there means 1 to
    4, and the ministry must not read a held-back cell of 30 as "at most 4"."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "WITHHELD"


WITHHELD = Withheld()
WITHHELD_TEXT = "x"

K = TypeVar("K", str, tuple[int, str])
"""The key of a cell: a category of a breakdown, or (row, column) of a table."""

ADDS_UP = "="
"""The cells add up to the total beside them."""
AT_LEAST = ">="
"""The cells add up to at least the total: someone may count in several of them."""
AT_MOST = "<="
"""The cells add up to at most the total: some may be in none of them."""
MAY_ADD_UP = "~"
"""The cells may add up to the total, or to more or less: nothing a reader can use (contacts
by topic: one with two topics counts under both, one with none under none). Held back as
:data:`ADDS_UP` where they do add up, since a reader could guess that they do."""


def suppressed(counts: Mapping[K, int], threshold: int = SMALL_CELL) -> dict[K, int | None]:
    """Cells with 1 to ``threshold - 1`` people replaced by None ("fewer than 5").

    Zero stays zero: it reveals nobody. Used for everything that leaves the laptop.
    """
    return {k: (None if 0 < v < threshold else v) for k, v in counts.items()}


def suppressed_breakdown(
    counts: Mapping[K, int],
    total: int | None,
    threshold: int = SMALL_CELL,
    *,
    held: Collection[K] = (),
) -> dict[K, int | Withheld | None]:
    """:func:`suppressed` for cells that add up to a ``total`` shown beside them (None: the
    total is hidden itself, and the cells are only suppressed).

    Hiding the small cells alone is not enough there: a single hidden cell is the total
    minus the cells shown (the QA pass read "stateless: 1" off a report that way), and
    several can still be pinned down (two "<5" that add up to 2 are 1 each). Where that
    is so, the smallest cell of 5 or more is held back too, and every hidden cell of the
    row is marked "x" (:data:`WITHHELD`) instead of "<5": a reader then knows only that
    the hidden cells are at least 1 each and what they add up to, at least one more than
    there are of them, which leaves every one of them open. Where no cell of 5 or more
    is left to hold back, the row's zeros are marked "x" too.

    ``held`` are cells of the row held back already, for a sum across it (a column of a
    table whose rows add up too, ``reports.held_back``): they count as hidden here.
    """
    shown: dict[K, int | Withheld | None] = dict(suppressed(counts, threshold))
    shown.update(dict.fromkeys(held, WITHHELD))
    if total is None or total != sum(counts.values()):
        return shown
    hidden_keys = [k for k in counts if shown[k] is None or k in held]
    small = [counts[k] for k in hidden_keys]
    if not small or (not held and _open(sum(small), len(small), threshold)):
        return shown
    hidden = sum(small)
    candidates = sorted((v, k) for k, v in counts.items() if v >= threshold and k not in held)
    while (len(hidden_keys) < 2 or hidden < len(hidden_keys) + 1) and candidates:
        value, key = candidates.pop(0)
        hidden_keys.append(key)
        hidden += value
    if len(hidden_keys) < 2 or hidden < len(hidden_keys) + 1:
        # No cell of 5 or more to hold back: the zeros go too, so that a hidden cell may
        # be 0 as well. (A row of small cells only, none of them 0, whose total is shown
        # stays open to working out: its cells add up to a figure shown elsewhere.)
        hidden_keys.extend(k for k, v in counts.items() if v == 0)
    for key in hidden_keys:
        shown[key] = WITHHELD
    return shown


def worked_out(
    shown: Mapping[K, int | Withheld | None],
    total: int | None,
    threshold: int = SMALL_CELL,
    *,
    relation: str = ADDS_UP,
) -> list[K]:
    """The hidden cells of a row (None or :data:`WITHHELD`) that a reader can pin to one
    value, or to none, from the cells shown and the ``total`` beside them: the reverse of
    :func:`suppressed_breakdown`, for whoever receives such a row.

    The reader knows that the cells add up to ``total``, that "<5" is 1 to
    ``threshold - 1``, and that "x" is at least 0, or at least 1 where a 0 or a cell of
    ``threshold`` or more is shown (zeros are held back only when no larger cell is left
    to hold back, and then every zero is). Without a total nothing can be pinned.

    ``relation`` says what the reader knows of the sum: the cells add up to the total
    (:data:`ADDS_UP`), to at least it (:data:`AT_LEAST`: someone counts in several cells,
    contacts by topic), or to at most it (:data:`AT_MOST`: some are in no cell, an event's
    attendance beyond its groups).
    """
    if total is None:
        return []
    known = [v for v in shown.values() if isinstance(v, int)]
    hidden = total - sum(known)
    # What the hidden cells add up to, as far as the reader can tell.
    least = hidden if relation in (ADDS_UP, AT_LEAST) else 0
    most = hidden if relation in (ADDS_UP, AT_MOST) else inf
    x_low = 1 if any(v == 0 or v >= threshold for v in known) else 0
    bounds: dict[K, tuple[int, float]] = {
        k: (1, threshold - 1) if v is None else (x_low, max(most, x_low))
        for k, v in shown.items()
        if not isinstance(v, int)
    }
    pinned = []
    for key, (low, high) in bounds.items():
        # The others can add up to anything between their lows and their highs: this cell
        # is what is left of the hidden sum, within its own bounds.
        others_low = sum(b[0] for k, b in bounds.items() if k != key)
        others_high = sum(b[1] for k, b in bounds.items() if k != key)
        lowest = max(low, least - others_high)
        highest = min(high, most - others_low)
        if highest <= lowest:
            pinned.append(key)
    return pinned


def _open(hidden: int, cells: int, threshold: int) -> bool:
    """Whether ``cells`` cells of 1 to ``threshold - 1`` that add up to ``hidden`` leave each
    of them two or more possible values."""
    others = cells - 1
    lowest = max(1, hidden - others * (threshold - 1))
    highest = min(threshold - 1, hidden - others)
    return highest > lowest


def export_rows(
    results: Iterable[IndicatorResult], period: Period, *, groups: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """The bundle's indicator rows: totals and breakdowns as :func:`suppressed_breakdown`
    shows them beside their total, so that no small cell is the total minus the others.

    Every breakdown names all its categories, 0 included: the nationality groups as well
    (``groups``, the report's groups in order), so that a category's presence does not tell
    that it holds someone (five groups of one each, held back, would then be 1 each).
    """
    rows = []
    for r in results:
        people = r.basis != "municipalities_supported"
        total = suppressed({"total": r.count})["total"] if people else r.count
        row: dict[str, Any] = {
            "period": period.key,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "indicator": r.code,
            "label_de": r.label_de,
            "label_en": r.label_en,
            "count": total,
            "verified_wording": r.verified,
        }
        for name, cells in r.breakdowns.items():
            full = dict(cells)
            if name == "nationality_group":
                full = {g: cells.get(g, 0) for g in groups} | full
            for key, value in suppressed_breakdown(full, total).items():
                row[f"{name}.{key}"] = value
        rows.append(row)
    return rows
