"""What the Reports page shows, as frozen rows: indicators, breakdowns, people, records.

Built from :class:`IndicatorResult` values and the facts they came from, with every code
turned into words in the UI language; the table models only map these rows to roles
(STYLE.md rule 7). No Qt here: these are plain functions of the figures.

Names are looked up here because this page is the guide's own screen: the people behind a
figure are shown so the guide can check them. Nothing built here leaves the laptop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kisi_desktop.core.domain import Activity, Person
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import N_, _, ngettext
from kisi_desktop.core.text_sort import sort_text
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.facts import Facts, Outcome, Support
from kisi_desktop.reports.indicator_tables import (
    AGE_LABELS,
    GENDER_LABELS,
    PEOPLE_BASES,
    nationality_group_labels,
)
from kisi_desktop.reports.indicators import IndicatorResult

DIMENSIONS = (
    ("gender", N_("Gender")),
    ("age_group", N_("Age group")),
    ("nationality_group", N_("Nationality group")),
)
RECORD_KINDS = {
    "contact": N_("Contact"),
    "activity": N_("Activity"),
    "outcome": N_("Result"),
}
NAMES_SHOWN = 3  # a record with more people behind it names three, then "and n more"
NAMED_PEOPLE_LIMIT = NAMES_SHOWN + 1  # "A, B, C and 1 more" is no shorter than four names


# ---------------------------------------------------------------------- what was loaded
@dataclass(frozen=True, slots=True)
class Record:
    """A contact, activity or result that made someone count, as the drill-down lists it."""

    source: str
    """``kind:id`` as in :attr:`IndicatorResult.sources`."""
    kind: str
    record_id: str
    day: date
    people: frozenset[str]
    topics: frozenset[str] = frozenset()
    supports: frozenset[str] = frozenset()
    title: str = ""
    """An activity's title (and, below, its type code; worded when shown)."""
    activity_type: str = ""
    outcome: Outcome | None = None
    """A result's kind, levels and answer."""


@dataclass(frozen=True, slots=True)
class Behind:
    """Who and what stands behind the figures: names and records, keyed for lookup."""

    names: Mapping[str, str]
    records: Mapping[str, Record]
    group_labels: Mapping[str, tuple[str, str]]
    """Nationality group -> (German, English) label (``nationality_groups.json``)."""


def load_behind(ws: Workspace, facts: Facts) -> Behind:
    """Names and records of the open vault (on the UI thread, or on a worker over a copy)."""
    names = {str(pid): str(name or "") for pid, name in ws.rows(Person, ["name"])}
    activities = {
        str(aid): (str(title or ""), str(kind or ""))
        for aid, title, kind in ws.rows(Activity, ["title", "activity_type"])
    }
    # An activity is one record however many people took part: collect them all first.
    people: dict[str, set[str]] = defaultdict(set)
    firsts: dict[str, Support] = {}
    for s in facts.supports:
        people[s.source].add(s.person_id)
        firsts.setdefault(s.source, s)
    records: dict[str, Record] = {}
    for source, s in firsts.items():
        kind, rid = source.split(":", 1)
        title, activity_type = activities.get(rid, ("", ""))
        records[source] = Record(
            source,
            kind,
            rid,
            s.day,
            frozenset(people[source]),
            s.topics,
            s.supports,
            title,
            activity_type,
        )
    for o in facts.outcomes:
        rid = o.source.split(":", 1)[1]
        records[o.source] = Record(
            o.source, "outcome", rid, o.day, frozenset((o.person_id,)), outcome=o
        )
    return Behind(names, records, nationality_group_labels())


# ---------------------------------------------------------------------- the rule in words
def _label(ref: ReferenceData, enum: str, code: object, language: str) -> str:
    text = str(code)
    return ref.label(enum, text, language) if ref.has_code(enum, text) else text


def rule_text(result: IndicatorResult, ref: ReferenceData, language: str) -> str:
    """How the figure is counted, in words, from the indicator's rule (its data)."""
    rule = result.rule
    if result.basis == "municipalities_supported":
        return _("municipalities with at least one activity in the period")
    if result.basis == "unique_eligible_participants":
        if rule.get("support"):
            return _(
                "eligible people with a contact or activity whose support includes {support}"
            ).format(support=_label(ref, "amif_support", rule["support"], language))
        if rule.get("topic"):
            topic = _label(ref, "topics", rule["topic"], language)
            if rule.get("outcome"):
                return _(
                    "eligible people with a contact on the topic {topic} or the result “{outcome}”"
                ).format(
                    topic=topic, outcome=_label(ref, "outcome_kinds", rule["outcome"], language)
                )
            return _("eligible people with a contact on the topic {topic}").format(topic=topic)
        return _("eligible people with a contact or activity")
    if result.basis == "outcome":
        outcome = _label(ref, "outcome_kinds", rule.get("outcome"), language)
        if "min_levels_gained" in rule:
            n = int(rule["min_levels_gained"])
            text = ngettext(
                "eligible people whose language level rose by at least {n} CEFR level",
                "eligible people whose language level rose by at least {n} CEFR levels",
                n,
            ).format(n=n)
            if rule.get("support"):
                text += _(", supported with {support} by then").format(
                    support=_label(ref, "amif_support", rule["support"], language)
                )
            return text
        if "answer" in rule:
            return _("eligible people with the result “{outcome}”, answer “{answer}”").format(
                outcome=outcome, answer=_label(ref, "feedback_answers", rule["answer"], language)
            )
        return _("eligible people with the result “{outcome}”").format(outcome=outcome)
    return ", ".join(f"{k}={v}" for k, v in rule.items())


def mapping_text(result: IndicatorResult, ref: ReferenceData, language: str) -> str:
    """Which recorded entries carry the indicator's support code ("" if it has none)."""
    support = result.rule.get("support")
    if not support:
        return ""
    found = [
        _label(ref, enum, entry.code, language)
        for enum in ("topics", "actions", "activity_types")
        for entry in ref.enum(enum).values()
        if support in (entry.extra.get("amif_support") or ())
    ]
    if not found:
        return _("Counted where a contact or activity is marked with this support.")
    return _(
        "Counted from: {entries}, and wherever a contact or activity is marked with this support."
    ).format(entries=", ".join(found))


ELIGIBLE_HINT = N_(
    "Eligible: third-country nationals (or stateless people) with a residence status that "
    "the reference data marks as AMIF-eligible. Each person counts once per period."
)
UNVERIFIED_HINT = N_(
    "Wording not yet verified: reconstructed from Regulation (EU) 2021/1147, Annex VIII, "
    "and still to be checked against the annex."
)


# ---------------------------------------------------------------------- rows
@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One line of the indicator table."""

    id: str
    """The indicator code (O.2.3)."""
    definition: str
    count: int
    rule: str
    mapping: str
    verified: bool
    counts_people: bool
    result: IndicatorResult


def indicator_rows(
    results: Iterable[IndicatorResult], ref: ReferenceData, language: str
) -> list[IndicatorRow]:
    """Every indicator in the data's order, worded in ``language``."""
    return [
        IndicatorRow(
            id=r.code,
            definition=r.label_de if language == "de" else r.label_en,
            count=r.count,
            rule=rule_text(r, ref, language),
            mapping=mapping_text(r, ref, language),
            verified=r.verified,
            counts_people=r.basis in PEOPLE_BASES,
            result=r,
        )
        for r in results
    ]


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    """One cell of a breakdown: dimension (shown on its first row only), group, people."""

    id: str
    dimension: str
    group: str
    count: int
    first: bool


def _pick(labels: tuple[str, str], language: str) -> str:
    return labels[0] if language == "de" else labels[1]


def breakdown_rows(result: IndicatorResult, behind: Behind, language: str) -> list[BreakdownRow]:
    """Gender, age group and nationality group of the people counted (each adds up).

    Group labels are the report tables' own, so the screen and the exports name them alike.
    """
    rows = []
    for dimension, title in DIMENSIONS:
        cells = result.breakdowns.get(dimension) or {}
        for i, (code, count) in enumerate(cells.items()):
            known = {"gender": GENDER_LABELS, "age_group": AGE_LABELS}.get(
                dimension, behind.group_labels
            )
            label = _pick(known.get(code, (code, code)), language)
            rows.append(BreakdownRow(f"{dimension}:{code}", _(title), label, count, i == 0))
    return rows


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A person counted: name, first qualifying day in the period, how many records."""

    id: str
    name: str
    first_day: date | None
    records: int


@dataclass(frozen=True, slots=True)
class RecordRow:
    """A record behind the figure: when, what, whom it concerns, details."""

    id: str
    """The source (``contact:<id>``)."""
    record_id: str
    kind: str
    kind_label: str
    day: date
    people: str
    detail: str


def person_rows(result: IndicatorResult, behind: Behind) -> list[PersonRow]:
    """The people behind ``result``, by name."""
    firsts: dict[str, date] = {}
    counts: dict[str, int] = defaultdict(int)
    for source in result.sources:
        record = behind.records.get(source)
        if record is None:
            continue
        for pid in record.people & result.people:
            counts[pid] += 1
            if pid not in firsts or record.day < firsts[pid]:
                firsts[pid] = record.day
    rows = [
        PersonRow(pid, behind.names.get(pid, "") or "—", firsts.get(pid), counts[pid])
        for pid in result.people
    ]
    return sorted(rows, key=lambda r: (sort_text(r.name), r.id))


def _people_text(pids: Iterable[str], behind: Behind) -> str:
    names = sorted((behind.names.get(p, "") or "—" for p in pids), key=str.casefold)
    if len(names) <= NAMED_PEOPLE_LIMIT:
        return ", ".join(names)
    more = len(names) - NAMES_SHOWN
    return ngettext("{names} and {n} more", "{names} and {n} more", more).format(
        names=", ".join(names[:NAMES_SHOWN]), n=more
    )


def _detail(record: Record, ref: ReferenceData, language: str) -> str:
    if record.kind == "activity":
        kind = _label(ref, "activity_types", record.activity_type, language)
        return f"{record.title} ({kind})" if record.activity_type else record.title
    if record.outcome is not None:
        o = record.outcome
        if o.level_before or o.level_after:  # the levels say it all: "A1 → A2"
            before = _label(ref, "cefr_levels", o.level_before, language) if o.level_before else "?"
            after = _label(ref, "cefr_levels", o.level_after, language) if o.level_after else "?"
            return f"{before} → {after}"
        text = _label(ref, "outcome_kinds", o.kind, language)
        if o.feedback:
            text += f": {_label(ref, 'feedback_answers', o.feedback, language)}"
        return text
    parts = [_label(ref, "topics", t, language) for t in sorted(record.topics)]
    parts += [_label(ref, "amif_support", s, language) for s in sorted(record.supports)]
    return ", ".join(dict.fromkeys(parts))


def record_rows(
    result: IndicatorResult, behind: Behind, ref: ReferenceData, language: str
) -> list[RecordRow]:
    """The contacts, activities and results behind ``result``, oldest first."""
    rows = []
    for source in result.sources:
        record = behind.records.get(source)
        if record is None:
            continue
        rows.append(
            RecordRow(
                id=source,
                record_id=record.record_id,
                kind=record.kind,
                kind_label=_(RECORD_KINDS.get(record.kind, record.kind)),
                day=record.day,
                people=_people_text(record.people & result.people, behind),
                detail=_detail(record, ref, language),
            )
        )
    return sorted(rows, key=lambda r: (r.day, r.kind, r.id))
