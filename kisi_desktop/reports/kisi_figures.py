"""KISI's own figures for a period: contacts, referrals, volunteers, events, network, handouts.

The Sachbericht asks what the guide did (issue 5, "KISI's own figures"; DOMAIN.md 6.4 B),
not only whom the AMIF indicators count. Each section is a :class:`ReportTable` that may
leave the laptop: codes, labels of codes, partner organisations' names and numbers, never a
person's name or a note (the loader does not read those fields at all).

What is suppressed, and why:

* counts of **people** are suppressed when 1 to 4 (``indicators.suppressed``): family
  members advised alongside a client, volunteers recruited / trained / active, event
  attendance by group and in total, the participants and administration staff of
  administration and network work and of trainings;
* where such counts add up to a total shown beside them (family members by contact mode,
  attendance by group and type), a small one alone would be the total minus the others:
  a cell beside it is held back too, printed "x" (``reports.held_back``, :data:`SUMMED`);
* counts of **things** are not: contacts, hours, referrals, events and activities,
  deployments, partner organisations, handout copies. A count of sessions or of copies says
  how much work was done, not who came; who came is what the indicators count, as people.

Attendance rule (third-country nationals vs local residents): the one the Overview and
the Events list use too, :func:`~kisi_desktop.core.domain.activity.attendance_split`: the
named participants join the ``tcn`` headcount unless the recorded total says they were
counted in it already; the attendance is the recorded total, or the sum of the groups
where that is larger or none was recorded. Activities are counted on their first day, as
in the indicators.

Longer than the house's 400 lines (nearly 800, most of them one table cell per line as the
formatter lays them out): the sections share one loader and one attendance rule, and each
is one short function. If it grows, the loader and its fact classes move to their own
module first.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from kisi_desktop.core.domain import (
    Activity,
    Contact,
    HandoutGiven,
    Partner,
    Publication,
    Referral,
    Training,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.domain.activity import attendance_split
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import N_
from kisi_desktop.core.text_sort import sort_text
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.held_back import Sum, column_sum, protected_rows, row_sum
from kisi_desktop.reports.indicators import (
    ADDS_UP,
    AT_LEAST,
    AT_MOST,
    MAY_ADD_UP,
    SMALL_CELL,
    WITHHELD,
    Withheld,
    suppressed,
)
from kisi_desktop.reports.labels import code_label, in_ref_order, word
from kisi_desktop.reports.periods import Period
from kisi_desktop.reports.tables import (
    Kind,
    ReportTable,
    TableShape,
    label_column,
    translated_column,
    translated_shape,
    translated_table,
)

TOTAL = "total"
"""The code of a table's total row."""
NO_PARTNER = "none"
UNKNOWN_PARTNER = "unknown"
NETWORK_TYPES = ("administration_training", "network_meeting")
"""Activity types reported as administration and network work."""
TRAININGS = "training"
"""The row of the administration and network table for Training records."""
GROUPS = ("tcn", "local", "administration", "volunteers")


# ------------------------------------------------------------------------------ the facts


@dataclass(frozen=True, slots=True)
class ContactFact:
    """A contact as these figures see it: no person, no note."""

    day: date
    minutes: int
    mode: str
    topics: tuple[str, ...]
    actions: tuple[str, ...]
    family: int


@dataclass(frozen=True, slots=True)
class ReferralFact:
    """A referral: day, target type, partner organisation's id (if named), status."""

    day: date
    target: str
    partner_id: str | None
    status: str


@dataclass(frozen=True, slots=True)
class DeploymentFact:
    """Hours a volunteer gave on a day, of a kind."""

    volunteer_id: str
    day: date
    hours: Decimal
    kind: str


@dataclass(frozen=True, slots=True)
class TrainingFact:
    """A training: its day, the volunteers who attended, the administration headcount."""

    day: date
    volunteer_ids: tuple[str, ...]
    administration: int


@dataclass(frozen=True, slots=True)
class ActivityFact:
    """An activity: type, first day, event flag, named and anonymous attendance, partners."""

    day: date
    kind: str
    is_event: bool
    named: int
    headcounts: Mapping[str, int]
    attendance_total: int | None
    partner_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HandoutFact:
    """Copies of a handout topic in a language given on a day."""

    day: date
    topic: str
    language: str
    copies: int


@dataclass(frozen=True, slots=True)
class PublicationFact:
    """A guide or leaflet published on a day: its type, languages and print run."""

    day: date
    kind: str
    languages: tuple[str, ...]
    print_run: int


@dataclass
class KisiFacts:
    """Everything KISI's own figures need, loaded once per report."""

    contacts: list[ContactFact] = field(default_factory=list)
    referrals: list[ReferralFact] = field(default_factory=list)
    partners: dict[str, str] = field(default_factory=dict)
    """Partner organisation id -> name."""
    volunteer_starts: dict[str, date | None] = field(default_factory=dict)
    deployments: list[DeploymentFact] = field(default_factory=list)
    trainings: list[TrainingFact] = field(default_factory=list)
    activities: list[ActivityFact] = field(default_factory=list)
    handouts: list[HandoutFact] = field(default_factory=list)
    """HandoutGiven records, plus each handout listed on a contact as one copy."""
    publications: list[PublicationFact] = field(default_factory=list)


def _json(value: Any, empty: Any) -> Any:
    if value is None:
        return empty
    return json.loads(value) if isinstance(value, str) else value


@lru_cache(maxsize=4096)
def _codes(text: str) -> tuple[Any, ...]:
    return tuple(json.loads(text))


def _tuple(value: Any) -> tuple[Any, ...]:
    """A JSON list cell as a tuple; the same few code lists repeat on thousands of
    contacts, so each spelling is parsed once."""
    if value is None:
        return ()
    return _codes(value) if isinstance(value, str) else tuple(value)


def _day(value: str) -> date:
    return date.fromisoformat(value)


def load_kisi_facts(ws: Workspace) -> KisiFacts:
    """The facts of the open vault, from raw working-set rows (fields named, no notes)."""
    facts = KisiFacts()
    contact_fields = [
        "contacted_on",
        "duration_minutes",
        "mode",
        "topics",
        "actions",
        "family_members",
        "handouts",
    ]
    for _cid, day, minutes, mode, topics, actions, family, handouts in ws.rows(
        Contact, contact_fields
    ):
        when = _day(day)
        facts.contacts.append(
            ContactFact(
                when,
                int(minutes),
                mode,
                _tuple(topics),
                _tuple(actions),
                int(family or 0),
            )
        )
        for given in _json(handouts, []):
            facts.handouts.append(HandoutFact(when, given["topic"], given["language"], 1))
    for _rid, day, target, partner_id, status in ws.rows(
        Referral, ["referred_on", "target", "partner_id", "status"]
    ):
        facts.referrals.append(ReferralFact(_day(day), target, partner_id, status))
    facts.partners = {pid: name for pid, name in ws.rows(Partner, ["name"])}
    facts.volunteer_starts = {
        vid: _day(start) if start else None for vid, start in ws.rows(Volunteer, ["started_on"])
    }
    for _did, vid, day, hours, kind in ws.rows(
        VolunteerDeployment, ["volunteer_id", "deployed_on", "hours", "kind"]
    ):
        facts.deployments.append(DeploymentFact(vid, _day(day), Decimal(hours), kind))
    for _tid, day, attendees, administration in ws.rows(
        Training, ["held_on", "attendee_ids", "administration_attendees"]
    ):
        facts.trainings.append(TrainingFact(_day(day), _tuple(attendees), int(administration or 0)))
    activity_fields = [
        "starts_on",
        "activity_type",
        "is_event",
        "participant_ids",
        "counts_by_target_group",
        "attendance_total",
        "partner_ids",
    ]
    for _aid, day, kind, is_event, named, heads, total, partners in ws.rows(
        Activity, activity_fields
    ):
        facts.activities.append(
            ActivityFact(
                _day(day),
                kind,
                bool(is_event),
                len(_json(named, [])),
                {str(k): int(v) for k, v in _json(heads, {}).items()},
                None if total is None else int(total),
                _tuple(partners),
            )
        )
    for _hid, day, topic, language, copies in ws.rows(
        HandoutGiven, ["handed_out_on", "topic", "language", "copies"]
    ):
        facts.handouts.append(HandoutFact(_day(day), topic, language, int(copies)))
    for _pid, day, kind, languages, run in ws.rows(
        Publication, ["published_on", "publication_type", "languages", "print_run"]
    ):
        facts.publications.append(
            PublicationFact(_day(day), kind, _tuple(languages), int(run or 0))
        )
    return facts


# ------------------------------------------------------------------------------ rules


@dataclass(frozen=True, slots=True)
class Attendance:
    """Who came to one activity, by target group, and in total (see the module's rule)."""

    tcn: int
    local: int
    administration: int
    volunteers: int
    total: int


def attendance(activity: ActivityFact) -> Attendance:
    """The attendance of an activity under the rule in this module's docstring."""
    heads = activity.headcounts
    tcn, total = attendance_split(activity.attendance_total, heads, activity.named)
    return Attendance(
        tcn=tcn,
        local=heads.get("local", 0),
        administration=heads.get("administration", 0),
        volunteers=heads.get("volunteers", 0),
        total=total,
    )


def hours(minutes: int) -> Decimal:
    """Minutes as hours to two places, rounded half up (125 min -> 2.08 h)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _people(count: int) -> int | None:
    """A count of people as it may leave the laptop (1-4 -> None)."""
    return suppressed({"n": count})["n"]


# ------------------------------------------------------------------------------ presentation


SMALL_CELLS_NOTE = N_("<5: fewer than 5 people; the exact figure is withheld to protect them.")
"""The words of the indicator tables' note (``indicator_tables.SUPPRESSION_NOTE``): the
cells read "<5", and a reader of two tables should not wonder whether two marks differ."""
WITHHELD_NOTE = N_(
    "x: not shown, so that a figure below 5 in this row or column cannot be worked out "
    "from the total; it may be small or large."
)

HELD_IN_EVENTS_NOTE = N_(
    "x: not shown, because the events table holds back the same figure so that a figure "
    "below 5 there cannot be worked out; it may be small or large."
)

SUMMED: Mapping[str, tuple[tuple[str, ...], str]] = {
    "contacts_by_mode": (("family_members",), ADDS_UP),
    "contacts_by_topic": (("family_members",), MAY_ADD_UP),
    "contacts_by_action": (("family_members",), MAY_ADD_UP),
    "volunteer_deployments_by_kind": (("volunteers",), AT_LEAST),
    "events_by_type": ((*GROUPS, "attendance"), ADDS_UP),
}
"""Tables whose total row adds up the rows above it, in these columns of people: exactly
(a contact has one mode), to at least the total (a volunteer counts under each kind of
their deployments), or maybe (a contact with two topics counts under both, one without a
topic under none: held back only where they happen to add up)."""


def people_sums(table: str, rows: Sequence[Mapping[str, Any]]) -> list[Sum]:
    """How the counts of people of a section add up (``reports.held_back``): its columns
    over the rows to the total row, and in the events table each row's groups to its
    attendance, which is at least their sum (a recorded total may be larger). Nothing for
    a table without one total row."""
    if table not in SUMMED:
        return []
    totals = [n for n, row in enumerate(rows) if row.get("code") == TOTAL]
    if len(totals) != 1:
        return []
    parts = [n for n in range(len(rows)) if n != totals[0]]
    columns, relation = SUMMED[table]
    sums = [column_sum(parts, totals[0], column, relation) for column in columns]
    if table == "events_by_type":
        sums += [row_sum(n, GROUPS, "attendance", AT_MOST) for n in range(len(rows))]
    return sums


def _protected(
    table: str, rows: Sequence[Mapping[str, Any]], notes: Sequence[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """``rows`` with their counts of people suppressed beside their totals, and the notes
    with the one on held-back cells where one was held back."""
    columns = SUMMED[table][0]
    shown = protected_rows(rows, columns, people_sums(table, rows))
    held = any(row.get(c) is WITHHELD for row in shown for c in columns)
    return shown, [*notes, SMALL_CELLS_NOTE, *([WITHHELD_NOTE] if held else [])]


def figure_shapes(ref: ReferenceData) -> dict[str, TableShape]:
    """Title and columns of every section, by table key, in report order.

    The sections below make their tables from these; the ministry, which has the rows from
    bundles but no vault, heads them with the same. Referral statuses and target groups are
    columns of their own, named by the reference data.
    """
    code = translated_column("code", N_("Code"))
    kind = translated_column("label", N_("Kind"))
    hours = translated_column("hours", N_("Hours"), Kind.HOURS)
    deployments = translated_column("deployments", N_("Deployments"), Kind.COUNT)
    referrals = translated_column("referrals", N_("Referrals"), Kind.COUNT)
    contacts = (
        code,
        translated_column("label", N_("Name")),
        translated_column("contacts", N_("Contacts"), Kind.COUNT),
        hours,
        translated_column("family_members", N_("Family members advised alongside"), Kind.COUNT),
    )
    statuses = [
        label_column(f"status.{s}", e.de, e.en, Kind.COUNT)
        for s in ref.enum("referral_statuses")
        for e in (ref.entry("referral_statuses", s),)
    ]
    groups = [
        label_column(g, e.de, e.en, Kind.COUNT)
        for g in GROUPS
        for e in (ref.entry("target_groups", g),)
    ]
    copies = translated_column("copies", N_("Copies"), Kind.COUNT)
    shapes = (
        translated_shape("contacts_by_mode", N_("Contacts by mode"), contacts),
        translated_shape("contacts_by_topic", N_("Contacts by topic"), contacts),
        translated_shape("contacts_by_action", N_("Contacts by action"), contacts),
        translated_shape(
            "referrals_by_target",
            N_("Referrals by target and status"),
            (code, translated_column("label", N_("Target")), referrals, *statuses),
        ),
        translated_shape(
            "referrals_by_partner",
            N_("Referrals by partner organisation"),
            (translated_column("partner", N_("Partner organisation")), referrals),
        ),
        translated_shape(
            "volunteers",
            N_("Volunteers"),
            (
                translated_column("recruited", N_("Recruited"), Kind.COUNT),
                translated_column("trained", N_("Trained"), Kind.COUNT),
                translated_column("active", N_("Active"), Kind.COUNT),
                deployments,
                hours,
            ),
        ),
        translated_shape(
            "volunteer_deployments_by_kind",
            N_("Volunteer deployments by kind"),
            (
                code,
                kind,
                translated_column("volunteers", N_("Volunteers"), Kind.COUNT),
                deployments,
                hours,
            ),
        ),
        translated_shape(
            "events_by_type",
            N_("Events and attendance"),
            (
                code,
                translated_column("label", N_("Activity type")),
                translated_column("events", N_("Events"), Kind.COUNT),
                *groups,
                translated_column("attendance", N_("Attendance"), Kind.COUNT),
            ),
        ),
        translated_shape(
            "administration_network",
            N_("Administration and network work"),
            (
                code,
                kind,
                translated_column("activities", N_("Activities"), Kind.COUNT),
                translated_column("participants", N_("Participants"), Kind.COUNT),
                translated_column("administration_staff", N_("Administration staff"), Kind.COUNT),
                translated_column("partner_organisations", N_("Partner organisations"), Kind.COUNT),
            ),
        ),
        translated_shape(
            "handouts_by_language",
            N_("Handouts given by language"),
            (code, translated_column("label", N_("Language")), copies),
        ),
        translated_shape(
            "handouts_by_topic",
            N_("Handouts given by topic"),
            (code, translated_column("label", N_("Topic")), copies),
        ),
        translated_shape(
            "publications",
            N_("Guides and leaflets produced"),
            (
                code,
                kind,
                translated_column("publications", N_("Publications"), Kind.COUNT),
                translated_column("languages", N_("Languages")),
                translated_column("copies", N_("Copies printed"), Kind.COUNT),
            ),
        ),
    )
    return {shape.key: shape for shape in shapes}


# ------------------------------------------------------------------------------ sections


def _contacts_by(
    shape: TableShape,
    enum: str,
    codes_of: Callable[[ContactFact], Iterable[str]],
    contacts: Sequence[ContactFact],
    ref: ReferenceData,
    language: str,
    notes: Sequence[str],
) -> ReportTable:
    count: Counter[str] = Counter()
    minutes: Counter[str] = Counter()
    family: Counter[str] = Counter()
    for c in contacts:
        for code in set(codes_of(c)):
            count[code] += 1
            minutes[code] += c.minutes
            family[code] += c.family
    rows: list[dict[str, Any]] = [
        {
            "code": code,
            "label": code_label(ref, [enum], code, language),
            "contacts": count[code],
            "hours": hours(minutes[code]),
            "family_members": family[code],
        }
        for code in in_ref_order(ref, enum, count)
    ]
    rows.append(
        {
            "code": TOTAL,
            "label": word(N_("total"), language),
            "contacts": len(contacts),
            "hours": hours(sum(c.minutes for c in contacts)),
            "family_members": sum(c.family for c in contacts),
        }
    )
    shown, all_notes = _protected(shape.key, rows, notes)
    return translated_table(shape, shown, all_notes)


def contact_tables(
    facts: KisiFacts, period: Period, ref: ReferenceData, language: str = "de"
) -> list[ReportTable]:
    """Contacts, hours and family members advised alongside, by mode, topic and action."""
    inside = [c for c in facts.contacts if c.day in period]
    shapes = figure_shapes(ref)
    tables = [
        _contacts_by(
            shapes["contacts_by_mode"],
            "contact_modes",
            lambda c: (c.mode,),
            inside,
            ref,
            language,
            (),
        ),
        _contacts_by(
            shapes["contacts_by_topic"],
            "topics",
            lambda c: c.topics,
            inside,
            ref,
            language,
            (N_("A contact with several topics counts under each; the total counts it once."),),
        ),
        _contacts_by(
            shapes["contacts_by_action"],
            "actions",
            lambda c: c.actions,
            inside,
            ref,
            language,
            (N_("A contact with several actions counts under each; the total counts it once."),),
        ),
    ]
    return same_total(tables, "family_members")


def same_total(tables: Sequence[ReportTable], column: str) -> list[ReportTable]:
    """Tables that share one total (family members over all contacts): held back in one,
    it is held back in all, or another would show it."""
    if not any(
        r.get("code") == TOTAL and r.get(column) is WITHHELD for t in tables for r in t.rows
    ):
        return list(tables)
    return [
        replace(
            t,
            rows=tuple({**r, column: WITHHELD} if r.get("code") == TOTAL else r for r in t.rows),
        )
        for t in tables
    ]


def referral_tables(
    facts: KisiFacts, period: Period, ref: ReferenceData, language: str = "de"
) -> list[ReportTable]:
    """Referrals by target (with a column per status) and by partner organisation."""
    inside = [r for r in facts.referrals if r.day in period]
    statuses = list(ref.enum("referral_statuses"))
    by_target: dict[str, Counter[str]] = defaultdict(Counter)
    for r in inside:
        by_target[r.target][r.status] += 1

    def row(code: str, label: str, counts: Counter[str]) -> dict[str, Any]:
        cells: dict[str, Any] = {"code": code, "label": label, "referrals": counts.total()}
        cells.update({f"status.{s}": counts[s] for s in statuses})
        return cells

    target_rows = [
        row(code, code_label(ref, ["referral_targets"], code, language), by_target[code])
        for code in in_ref_order(ref, "referral_targets", by_target)
    ]
    target_rows.append(row(TOTAL, word(N_("total"), language), Counter(r.status for r in inside)))
    shapes = figure_shapes(ref)
    targets = translated_table(shapes["referrals_by_target"], target_rows)

    by_partner: Counter[str] = Counter()
    for r in inside:
        if r.partner_id is None:
            by_partner[NO_PARTNER] += 1
        else:
            by_partner[r.partner_id if r.partner_id in facts.partners else UNKNOWN_PARTNER] += 1
    named = sorted(
        (p for p in by_partner if p not in (NO_PARTNER, UNKNOWN_PARTNER)),
        key=lambda p: (sort_text(facts.partners[p]), p),
    )
    partner_rows = [{"partner": facts.partners[p], "referrals": by_partner[p]} for p in named]
    for code, msgid in (
        (UNKNOWN_PARTNER, N_("organisation no longer recorded")),
        (NO_PARTNER, N_("no organisation named")),
    ):
        if by_partner[code]:
            partner_rows.append({"partner": word(msgid, language), "referrals": by_partner[code]})
    partner_rows.append({"partner": word(N_("total"), language), "referrals": len(inside)})
    partners = translated_table(shapes["referrals_by_partner"], partner_rows)
    return [targets, partners]


def volunteer_tables(
    facts: KisiFacts, period: Period, ref: ReferenceData, language: str = "de"
) -> list[ReportTable]:
    """Volunteers recruited, trained and active with their hours; hours by deployment kind."""
    deployments = [d for d in facts.deployments if d.day in period]
    recruited = sum(1 for start in facts.volunteer_starts.values() if start in period)
    trained = {vid for t in facts.trainings if t.day in period for vid in t.volunteer_ids}
    active = {d.volunteer_id for d in deployments}
    total_hours = sum((d.hours for d in deployments), Decimal(0))
    shapes = figure_shapes(ref)
    summary = translated_table(
        shapes["volunteers"],
        [
            {
                "recruited": _people(recruited),
                "trained": _people(len(trained)),
                "active": _people(len(active)),
                "deployments": len(deployments),
                "hours": total_hours,
            }
        ],
        [
            N_(
                "Recruited: first day as a volunteer in the period (without a first day: not "
                "counted). Trained: attended a training held in the period. Active: at least "
                "one deployment in the period."
            ),
            SMALL_CELLS_NOTE,
        ],
    )
    people: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for d in deployments:
        people[d.kind].add(d.volunteer_id)
        count[d.kind] += 1
        spent[d.kind] += d.hours
    rows: list[dict[str, Any]] = [
        {
            "code": kind,
            "label": code_label(ref, ["deployment_kinds"], kind, language),
            "volunteers": len(people[kind]),
            "deployments": count[kind],
            "hours": spent[kind],
        }
        for kind in in_ref_order(ref, "deployment_kinds", count)
    ]
    rows.append(
        {
            "code": TOTAL,
            "label": word(N_("total"), language),
            "volunteers": len(active),
            "deployments": len(deployments),
            "hours": total_hours,
        }
    )
    shown, notes = _protected("volunteer_deployments_by_kind", rows, ())
    by_kind = translated_table(shapes["volunteer_deployments_by_kind"], shown, notes)
    if shown[-1]["volunteers"] is WITHHELD:
        # (the same figure as "active" above: held back there too)
        summary = replace(summary, rows=({**summary.rows[0], "active": WITHHELD},))
    return [summary, by_kind]


def _attendance_row(code: str, label: str, events: Sequence[ActivityFact]) -> dict[str, Any]:
    seen = [attendance(a) for a in events]
    return {
        "code": code,
        "label": label,
        "events": len(events),
        "tcn": sum(a.tcn for a in seen),
        "local": sum(a.local for a in seen),
        "administration": sum(a.administration for a in seen),
        "volunteers": sum(a.volunteers for a in seen),
        "attendance": sum(a.total for a in seen),
    }


def event_table(
    facts: KisiFacts, period: Period, ref: ReferenceData, language: str = "de"
) -> ReportTable:
    """Events by activity type with attendance by target group (third-country nationals...)."""
    events = [a for a in facts.activities if a.is_event and a.day in period]
    by_type: dict[str, list[ActivityFact]] = defaultdict(list)
    for a in events:
        by_type[a.kind].append(a)
    rows = [
        _attendance_row(kind, code_label(ref, ["activity_types"], kind, language), by_type[kind])
        for kind in in_ref_order(ref, "activity_types", by_type)
    ]
    rows.append(_attendance_row(TOTAL, word(N_("total"), language), events))
    shown, notes = _protected(
        "events_by_type",
        rows,
        [
            N_(
                "Named participants count as third-country nationals, added to the anonymous "
                "headcount unless the recorded total shows they were already in it."
            ),
            N_("Attendance: the recorded total, or the sum of the groups where that is larger."),
        ],
    )
    return translated_table(figure_shapes(ref)["events_by_type"], shown, notes)


def network_table(
    facts: KisiFacts, period: Period, ref: ReferenceData, language: str = "de"
) -> ReportTable:
    """Administration trainings, network meetings and trainings: how many, who took part."""
    rows: list[dict[str, Any]] = []
    for kind in NETWORK_TYPES:
        done = [a for a in facts.activities if a.kind == kind and a.day in period]
        seen = [attendance(a) for a in done]
        rows.append(
            {
                "code": kind,
                "label": code_label(ref, ["activity_types"], kind, language),
                "activities": len(done),
                **_participants(sum(a.total for a in seen), sum(a.administration for a in seen)),
                "partner_organisations": len({p for a in done for p in a.partner_ids}),
            }
        )
    trainings = [t for t in facts.trainings if t.day in period]
    admin = sum(t.administration for t in trainings)
    rows.append(
        {
            "code": TRAININGS,
            "label": word(N_("trainings (volunteers and administration staff)"), language),
            "activities": len(trainings),
            **_participants(sum(len(t.volunteer_ids) for t in trainings) + admin, admin),
            "partner_organisations": 0,
        }
    )
    notes = [SMALL_CELLS_NOTE]
    if any(row["participants"] is WITHHELD for row in rows):
        notes.append(PARTICIPANTS_WITHHELD_NOTE)
    return translated_table(figure_shapes(ref)["administration_network"], rows, notes)


PARTICIPANTS_WITHHELD_NOTE = N_(
    "x: not shown, because the participants minus the administration staff would give a "
    "figure below 5 (the volunteers trained, or anyone else); it may be small or large."
)


def _participants(participants: int, staff: int) -> dict[str, int | Withheld | None]:
    """The participants and administration staff of a row as they may leave the laptop.

    The participants are the staff plus everyone else (at a training: the volunteers, whom
    the volunteers table counts as trained). Where either part is 1 to 4 and the
    participants are 5 or more, the participants are held back: shown, they minus the
    other part gave the small one away (QA: 9 participants beside 6 volunteers trained
    read the staff's "<5" as 3).
    """
    rest = participants - staff
    small = any(0 < part < SMALL_CELL for part in (staff, rest))
    shown = _people(participants)
    return {
        "participants": WITHHELD if small and shown is not None else shown,
        "administration_staff": _people(staff),
    }


SAME_PEOPLE_AS_EVENTS = {"participants": "attendance", "administration_staff": "administration"}
"""Columns of the network table that count, for a network type held as events, the people
the events table counts in these columns (all of them where every such activity was an
event, else some)."""


def held_as_in_events(network: ReportTable, events: ReportTable) -> ReportTable:
    """``network`` with a network type's participants and administration staff held back
    ("x") where the events table holds back the same type's attendance or administration:
    shown here, they would give away what was held back there, and the small cell beside
    it (a network meeting's 7 staff, and so an information event's 9 - 7)."""
    held = {
        (row["code"], column)
        for row in events.rows
        if row.get("code") in NETWORK_TYPES
        for column, beside in SAME_PEOPLE_AS_EVENTS.items()
        if row.get(beside) is WITHHELD
    }
    if not held:
        return network
    rows = tuple(
        {**row, **{c: WITHHELD for c in SAME_PEOPLE_AS_EVENTS if (row.get("code"), c) in held}}
        for row in network.rows
    )
    return replace(
        network,
        rows=rows,
        notes_de=(*network.notes_de, word(HELD_IN_EVENTS_NOTE, "de")),
        notes_en=(*network.notes_en, word(HELD_IN_EVENTS_NOTE, "en")),
    )


def _copies_table(
    shape: TableShape,
    copies: Counter[str],
    label: Callable[[str], str],
    language: str,
) -> ReportTable:
    order = sorted(copies, key=lambda code: (-copies[code], code))
    rows: list[dict[str, Any]] = [
        {"code": code, "label": label(code), "copies": copies[code]} for code in order
    ]
    rows.append({"code": TOTAL, "label": word(N_("total"), language), "copies": copies.total()})
    return translated_table(
        shape,
        rows,
        [N_("Handouts recorded as given plus those listed on contacts (one copy each).")],
    )


def handout_tables(
    facts: KisiFacts, period: Period, ref: ReferenceData, language: str = "de"
) -> list[ReportTable]:
    """Handout copies given by language and by topic, most given first."""
    inside = [h for h in facts.handouts if h.day in period]
    by_language: Counter[str] = Counter()
    by_topic: Counter[str] = Counter()
    for h in inside:
        by_language[h.language] += h.copies
        by_topic[h.topic] += h.copies
    shapes = figure_shapes(ref)
    return [
        _copies_table(
            shapes["handouts_by_language"],
            by_language,
            lambda c: code_label(ref, ["handout_languages", "languages"], c, language),
            language,
        ),
        _copies_table(
            shapes["handouts_by_topic"],
            by_topic,
            lambda c: code_label(ref, ["handout_topics"], c, language),
            language,
        ),
    ]


def publication_table(
    facts: KisiFacts, period: Period, ref: ReferenceData, language: str = "de"
) -> ReportTable:
    """Guides produced (Verwaltungswegweiser and others) by type: how many, languages, copies.

    Documents, not people: nothing is suppressed.
    """
    inside = [p for p in facts.publications if p.day in period]
    rows: list[dict[str, Any]] = []
    for kind in in_ref_order(ref, "publication_types", {p.kind for p in inside}):
        same = [p for p in inside if p.kind == kind]
        languages = sorted({code for p in same for code in p.languages})
        rows.append(
            {
                "code": kind,
                "label": code_label(ref, ["publication_types"], kind, language),
                "publications": len(same),
                "languages": ", ".join(languages),
                "copies": sum(p.print_run for p in same),
            }
        )
    rows.append(
        {
            "code": TOTAL,
            "label": word(N_("total"), language),
            "publications": len(inside),
            "languages": ", ".join(sorted({c for p in inside for c in p.languages})),
            "copies": sum(p.print_run for p in inside),
        }
    )
    return translated_table(figure_shapes(ref)["publications"], rows)


def figure_tables(
    facts: KisiFacts, period: Period, ref: ReferenceData, language: str = "de"
) -> list[ReportTable]:
    """Every section of KISI's own figures for ``period``, in report order."""
    events = event_table(facts, period, ref, language)
    return [
        *contact_tables(facts, period, ref, language),
        *referral_tables(facts, period, ref, language),
        *volunteer_tables(facts, period, ref, language),
        events,
        held_as_in_events(network_table(facts, period, ref, language), events),
        *handout_tables(facts, period, ref, language),
        publication_table(facts, period, ref, language),
    ]


def kisi_figures(ws: Workspace, period: Period, language: str = "de") -> list[ReportTable]:
    """KISI's own figures of the open vault for ``period``."""
    return figure_tables(load_kisi_facts(ws), period, ws.ref, language)
