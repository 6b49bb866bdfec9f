"""KISI's own figures on a small vault whose every figure is worked out by hand below.

The period is PY1 (2025-10-01 .. 2026-09-30); records dated 2025-09-30 and 2026-10-01 sit
just outside it. "None" is a suppressed count of 1-4 people; zero stays zero.

Contacts (minutes, mode, topics, actions, family members, handouts on the contact):
  C1 2025-10-01  45 office    housing+work          information          2  housing/ar
  C2 2026-01-15  30 office    housing               referral+forms_help  3
  C3 2026-09-30  50 phone     -                     information          0  work/prs, housing/ar
  C4 2025-09-30  60 office    housing               -                    9  housing/ar  (outside)
  C5 2026-10-01  20 video     -                     -                    1              (outside)
  C6 2026-03-03  90 outreach  family_reunification  accompaniment        1
  In PY1: 4 contacts, 45+30+50+90 = 215 min = 3.58 h, 2+3+0+1 = 6 family members.
  By mode:   office 2 / 75 min 1.25 h / 5;  outreach 1 / 1.50 h / 1 -> None;
             phone 1 / 50 min 0.83 h / 0.
  By topic:  work (C1) 1 / 0.75 h / 2 -> None;  housing (C1, C2) 2 / 1.25 h / 5;
             family_reunification (C6) 1 / 1.50 h / 1 -> None.
  By action: information (C1, C3) 2 / 95 min 1.58 h / 2 -> None;  referral (C2) 1 / 0.50 / None;
             accompaniment (C6) 1 / 1.50 / None;  forms_help (C2) 1 / 0.50 / None.

Referrals (partners A "Caritas Marburg", B "Ausländerbehörde Landkreis", C deleted):
  R1 2025-10-01 jobcenter A attended;   R2 2026-02-01 jobcenter - recommended;
  R3 2026-05-05 immigration_office B appointment_made;   R4 2026-06-06 jobcenter A attended;
  R6 2026-07-07 mbe C recommended;   outside: R5 2026-10-01 mbe A, R7 2025-09-30 jobcenter A.
  By target: mbe 1 (recommended 1); jobcenter 3 (recommended 1, attended 2);
             immigration_office 1 (appointment_made 1); total 5 (2 / 1 / 2 / 0 / 0).
  By partner: Ausländerbehörde Landkreis 1, Caritas Marburg 2, no longer recorded 1 (C),
              none named 1 (R2); total 5.

Volunteers (first day): V1 2025-10-01, V2 2025-09-30, V3 2026-09-30, V4 none, V5 2026-10-01,
  V6 V7 V8 2026-04-01 -> recruited V1 V3 V6 V7 V8 = 5.
  Trainings: T1 2026-03-01 V1 V2 + 3 administration; T2 2026-09-30 V2 V3; T3 2026-10-01 V4 V5
  + 10 administration (outside) -> trained {V1, V2, V3} = 3 -> None.
  Deployments: D1 V1 2026-01-10 2.5 h accompaniment; D2 V1 2026-02-10 1.5 h interpreting;
  D3 V2 2025-10-01 3 h accompaniment; D4 V3 2026-09-30 0.75 h language_cafe;
  D6 V6 2026-05-05 2 h accompaniment; D7 V7 2026-05-06 1 h accompaniment;
  outside: D5 V4 2025-09-30, D8 V8 2026-10-01.
  -> active {V1 V2 V3 V6 V7} = 5, 6 deployments, 2.5+1.5+3+0.75+2+1 = 10.75 h.
  By kind: accompaniment V1 V2 V6 V7 = 4 -> None, 4 deployments, 8.5 h;
           interpreting 1 -> None, 1, 1.5 h; language_cafe 1 -> None, 1, 0.75 h.

Activities (headcounts by group; named participants; recorded total):
  E1 event information_event 2026-01-20  tcn 6, local 4; 2 named; no total
     -> tcn 6+2 = 8, local 4, attendance 12
  E2 event information_event 2026-09-30  tcn 3; 2 named; total 3
     -> 3+2 = 5 > 3: the named were in the headcount: tcn max(3, 2) = 3, attendance 3
  E3 event encounter 2026-04-04  local 7, volunteers 2; total 12 -> attendance max(12, 9) = 12
  E6 event network_meeting 2026-06-01  administration 6; partners A B -> attendance 6
  A1 administration_training 2026-03-15 (not an event)  administration 4; partner A
  N2 network_meeting 2026-08-08 (not an event)  administration 2, local 3; partner B
  outside or not events: E4 encounter 2025-09-30 (tcn 50), E5 information_event 2026-02-02
  (not an event, tcn 20), A2 administration_training 2026-10-02 (administration 30).
  Events: information_event 2 events, tcn 8+3 = 11, local 4 -> None, attendance 15;
          encounter 1, tcn 0, local 7, volunteers 2 -> None, attendance 12;
          network_meeting 1, administration 6, attendance 6;
          total 4 events, tcn 11, local 11, administration 6, volunteers None, attendance 33.
  Administration and network work:
          administration_training: 1 activity, 4 participants -> None, 4 staff -> None, 1 partner;
          network_meeting: E6 + N2 = 2, participants 6+5 = 11, staff 6+2 = 8, partners {A, B} = 2;
          trainings T1 T2: 2, participants (2+3) + (2+0) = 7, staff 3 -> None, partners 0.
          Participants 11 and 7 are held back ("x"): 11 - 8 staff = 3 others, 7 - 4 volunteers
          = 3 staff (and in PY2 T3's 12 participants - 10 staff = the 2 volunteers trained).

Handouts: on contacts C1 housing/ar, C3 work/prs + housing/ar (C4 outside); recorded as given:
  H1 2026-02-01 housing/ar x5; H2 2026-02-01 welcome/uk x2; H4 2026-09-30 my_own_topic/de x1;
  outside: H3 2026-10-01 housing/ar x100, H5 2025-09-30 welcome/uk x50.
  By language: ar 1+1+5 = 7, uk 2, de 1, prs 1 (ties by code); total 11.
  By topic: housing 7, welcome 2, my_own_topic 1, work 1; total 11.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.domain import (
    Activity,
    Contact,
    Handout,
    HandoutGiven,
    Partner,
    Person,
    Referral,
    Training,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.indicators import WITHHELD
from kisi_desktop.reports.kisi_figures import (
    ActivityFact,
    KisiFacts,
    TrainingFact,
    attendance,
    figure_tables,
    hours,
    kisi_figures,
)
from kisi_desktop.reports.periods import project_year
from kisi_desktop.reports.tables import Kind, ReportTable

AGS = "06534011"
MARKER = "MARKER-9c1e"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    path: Path = tmp_path_factory.mktemp("kisi") / "vault.kisi"
    ws, _code = Workspace.create(path, "correct horse battery staple", kdf=TEST_PARAMS)
    p1 = ws.add(Person(name=f"{MARKER} Amal"))
    p2 = ws.add(Person(name=f"{MARKER} Bashir"))
    note = f"{MARKER} note about Amal"

    def contact(day: date, minutes: int, mode: str, family: int, **more: Any) -> Contact:
        return ws.add(
            Contact(
                person_id=p1.id,
                contacted_on=day,
                duration_minutes=minutes,
                mode=mode,
                family_members=family,
                note=note,
                **more,
            )
        )

    def handouts(*pairs: str) -> tuple[Handout, ...]:
        return tuple(Handout(topic=p.split("/")[0], language=p.split("/")[1]) for p in pairs)

    c1 = contact(
        date(2025, 10, 1),
        45,
        "office",
        2,
        topics=("housing", "work"),
        actions=("information",),
        handouts=handouts("housing/ar"),
    )
    contact(
        date(2026, 1, 15), 30, "office", 3, topics=("housing",), actions=("referral", "forms_help")
    )
    contact(
        date(2026, 9, 30),
        50,
        "phone",
        0,
        actions=("information",),
        handouts=handouts("work/prs", "housing/ar"),
    )
    contact(
        date(2025, 9, 30), 60, "office", 9, topics=("housing",), handouts=handouts("housing/ar")
    )
    contact(date(2026, 10, 1), 20, "video", 1)
    contact(
        date(2026, 3, 3),
        90,
        "outreach",
        1,
        topics=("family_reunification",),
        actions=("accompaniment",),
    )

    a = ws.add(Partner(name="Caritas Marburg"))
    b = ws.add(Partner(name="Ausländerbehörde Landkreis"))
    c = ws.add(Partner(name="Alte Beratungsstelle"))
    for day, target, partner, status in (
        (date(2025, 10, 1), "jobcenter", a, "attended"),
        (date(2026, 2, 1), "jobcenter", None, "recommended"),
        (date(2026, 5, 5), "immigration_office", b, "appointment_made"),
        (date(2026, 6, 6), "jobcenter", a, "attended"),
        (date(2026, 10, 1), "mbe", a, "closed"),
        (date(2026, 7, 7), "mbe", c, "recommended"),
        (date(2025, 9, 30), "jobcenter", a, "unknown"),
    ):
        ws.add(
            Referral(
                person_id=p1.id,
                contact_id=c1.id,
                referred_on=day,
                target=target,
                partner_id=partner.id if partner else None,
                status=status,
                note=note,
            )
        )
    ws.delete("partner", c.id)

    starts = {
        "V1": date(2025, 10, 1),
        "V2": date(2025, 9, 30),
        "V3": date(2026, 9, 30),
        "V4": None,
        "V5": date(2026, 10, 1),
        "V6": date(2026, 4, 1),
        "V7": date(2026, 4, 1),
        "V8": date(2026, 4, 1),
    }
    v = {
        key: ws.add(Volunteer(name=f"{MARKER} volunteer {key}", started_on=start))
        for key, start in starts.items()
    }
    for day, names, administration in (
        (date(2026, 3, 1), ("V1", "V2"), 3),
        (date(2026, 9, 30), ("V2", "V3"), 0),
        (date(2026, 10, 1), ("V4", "V5"), 10),
    ):
        ws.add(
            Training(
                held_on=day,
                topic=f"{MARKER} topic",
                trainer=f"{MARKER} trainer",
                attendee_ids=tuple(v[n].id for n in names),
                administration_attendees=administration,
            )
        )
    for key, day, spent, kind in (
        ("V1", date(2026, 1, 10), "2.5", "accompaniment"),
        ("V1", date(2026, 2, 10), "1.5", "interpreting"),
        ("V2", date(2025, 10, 1), "3", "accompaniment"),
        ("V3", date(2026, 9, 30), "0.75", "language_cafe"),
        ("V4", date(2025, 9, 30), "4", "accompaniment"),
        ("V6", date(2026, 5, 5), "2", "accompaniment"),
        ("V7", date(2026, 5, 6), "1", "accompaniment"),
        ("V8", date(2026, 10, 1), "5", "mentoring"),
    ):
        ws.add(
            VolunteerDeployment(
                volunteer_id=v[key].id,
                deployed_on=day,
                hours=Decimal(spent),
                kind=kind,
                note=note,
            )
        )

    def activity(kind: str, day: date, heads: dict[str, int], **more: Any) -> None:
        ws.add(
            Activity(
                activity_type=kind,
                title=f"{MARKER} title",
                starts_on=day,
                municipality_ags=AGS,
                counts_by_target_group=heads,
                note=note,
                **more,
            )
        )

    named = (p1.id, p2.id)
    activity(
        "information_event",
        date(2026, 1, 20),
        {"tcn": 6, "local": 4},
        participant_ids=named,
        is_event=True,
    )
    activity(
        "information_event",
        date(2026, 9, 30),
        {"tcn": 3},
        participant_ids=named,
        is_event=True,
        attendance_total=3,
    )
    activity(
        "encounter",
        date(2026, 4, 4),
        {"local": 7, "volunteers": 2},
        is_event=True,
        attendance_total=12,
    )
    activity("encounter", date(2025, 9, 30), {"tcn": 50}, is_event=True)
    activity("information_event", date(2026, 2, 2), {"tcn": 20})
    activity(
        "network_meeting",
        date(2026, 6, 1),
        {"administration": 6},
        is_event=True,
        partner_ids=(a.id, b.id),
    )
    activity(
        "administration_training", date(2026, 3, 15), {"administration": 4}, partner_ids=(a.id,)
    )
    activity("administration_training", date(2026, 10, 2), {"administration": 30})
    activity(
        "network_meeting", date(2026, 8, 8), {"administration": 2, "local": 3}, partner_ids=(b.id,)
    )

    for person, day, topic, language, copies in (
        (None, date(2026, 2, 1), "housing", "ar", 5),
        (p1.id, date(2026, 2, 1), "welcome", "uk", 2),
        (None, date(2026, 10, 1), "housing", "ar", 100),
        (None, date(2026, 9, 30), "my_own_topic", "de", 1),
        (p2.id, date(2025, 9, 30), "welcome", "uk", 50),
    ):
        ws.add(
            HandoutGiven(
                person_id=person,
                handed_out_on=day,
                topic=topic,
                language=language,
                copies=copies,
            )
        )
    return ws


@pytest.fixture(scope="module")
def tables(ws: Workspace) -> dict[str, ReportTable]:
    return {t.key: t for t in kisi_figures(ws, project_year(1), "en")}


def _cells(table: ReportTable, *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(row[k] for k in keys) for row in table.rows]


def test_every_section_in_report_order(tables: dict[str, ReportTable]) -> None:
    assert list(tables) == [
        "contacts_by_mode",
        "contacts_by_topic",
        "contacts_by_action",
        "referrals_by_target",
        "referrals_by_partner",
        "volunteers",
        "volunteer_deployments_by_kind",
        "events_by_type",
        "administration_network",
        "handouts_by_language",
        "handouts_by_topic",
        "publications",
    ]
    assert all(t.leaves_laptop for t in tables.values())


def test_contacts_by_mode(tables: dict[str, ReportTable]) -> None:
    table = tables["contacts_by_mode"]
    # Outreach's one family member was the total minus the office's 5 (a contact has one
    # mode): the office's 5 is held back with it, both "x", and the note says why.
    assert _cells(table, "code", "contacts", "hours", "family_members") == [
        ("office", 2, Decimal("1.25"), WITHHELD),
        ("outreach", 1, Decimal("1.50"), WITHHELD),
        ("phone", 1, Decimal("0.83"), 0),
        ("total", 4, Decimal("3.58"), 6),
    ]
    assert table.notes_en[-1].startswith("x: not shown, so that a figure below 5")
    assert table.rows[0]["label"] == "in person at the office"
    kinds = {c.key: c.kind for c in table.columns}
    assert kinds["hours"] is Kind.HOURS and kinds["contacts"] is Kind.COUNT


def test_contacts_by_topic_and_action(tables: dict[str, ReportTable]) -> None:
    assert _cells(tables["contacts_by_topic"], "code", "contacts", "hours", "family_members") == [
        ("work", 1, Decimal("0.75"), None),
        ("housing", 2, Decimal("1.25"), 5),
        ("family_reunification", 1, Decimal("1.50"), None),
        ("total", 4, Decimal("3.58"), 6),
    ]
    assert _cells(tables["contacts_by_action"], "code", "contacts", "hours", "family_members") == [
        ("information", 2, Decimal("1.58"), None),
        ("referral", 1, Decimal("0.50"), None),
        ("accompaniment", 1, Decimal("1.50"), None),
        ("forms_help", 1, Decimal("0.50"), None),
        ("total", 4, Decimal("3.58"), 6),
    ]


def test_referrals_by_target_and_status(tables: dict[str, ReportTable]) -> None:
    table = tables["referrals_by_target"]
    statuses = ["recommended", "appointment_made", "attended", "closed", "unknown"]
    keys = ["code", "referrals", *(f"status.{s}" for s in statuses)]
    assert _cells(table, *keys) == [
        ("mbe", 1, 1, 0, 0, 0, 0),
        ("jobcenter", 3, 1, 0, 2, 0, 0),
        ("immigration_office", 1, 0, 1, 0, 0, 0),
        ("total", 5, 2, 1, 2, 0, 0),
    ]
    # The status columns add up to the referrals in every row.
    for row in table.rows:
        assert sum(row[f"status.{s}"] for s in statuses) == row["referrals"]
    headings = {c.key: c.heading("de") for c in table.columns}
    assert headings["status.attended"] == "Wahrgenommen"


def test_referrals_by_partner(tables: dict[str, ReportTable]) -> None:
    assert _cells(tables["referrals_by_partner"], "partner", "referrals") == [
        ("Ausländerbehörde Landkreis", 1),
        ("Caritas Marburg", 2),
        ("organisation no longer recorded", 1),
        ("no organisation named", 1),
        ("total", 5),
    ]


def test_volunteers(tables: dict[str, ReportTable]) -> None:
    assert list(tables["volunteers"].rows) == [
        {
            "recruited": 5,
            "trained": None,
            "active": 5,
            "deployments": 6,
            "hours": Decimal("10.75"),
        }
    ]
    assert _cells(
        tables["volunteer_deployments_by_kind"], "code", "volunteers", "deployments", "hours"
    ) == [
        ("accompaniment", None, 4, Decimal("8.5")),
        ("interpreting", None, 1, Decimal("1.5")),
        ("language_cafe", None, 1, Decimal("0.75")),
        ("total", 5, 6, Decimal("10.75")),
    ]


def test_events_and_attendance(tables: dict[str, ReportTable]) -> None:
    keys = ("code", "events", "tcn", "local", "administration", "volunteers", "attendance")
    # The information events' 4 local residents were 15 - 11 (their attendance is the sum
    # of the groups) and 11 - 7 down the column: the encounter's 7 is held back with them.
    assert _cells(tables["events_by_type"], *keys) == [
        ("information_event", 2, 11, WITHHELD, 0, 0, 15),
        ("encounter", 1, 0, WITHHELD, 0, None, 12),
        ("network_meeting", 1, 0, 0, 6, 0, 6),
        ("total", 4, 11, 11, 6, None, 33),
    ]
    headings = {c.key: c.heading("en") for c in tables["events_by_type"].columns}
    assert headings["tcn"] == "Third-country nationals"
    assert headings["local"] == "Local population"


def test_administration_and_network_work(tables: dict[str, ReportTable]) -> None:
    keys = ("code", "activities", "participants", "administration_staff", "partner_organisations")
    assert _cells(tables["administration_network"], *keys) == [
        ("administration_training", 1, None, None, 1),
        ("network_meeting", 2, WITHHELD, 8, 2),
        ("training", 2, WITHHELD, None, 0),
    ]


def test_handouts_by_language_and_topic(tables: dict[str, ReportTable]) -> None:
    assert _cells(tables["handouts_by_language"], "code", "label", "copies") == [
        ("ar", "Arabic", 7),
        ("uk", "Ukrainian", 2),
        ("de", "German", 1),
        ("prs", "Dari", 1),
        ("total", "total", 11),
    ]
    assert _cells(tables["handouts_by_topic"], "code", "copies") == [
        ("housing", 7),
        ("welcome", 2),
        ("my_own_topic", 1),
        ("work", 1),
        ("total", 11),
    ]
    # A guide's own topic has no label in the reference data: its code stands in.
    assert tables["handouts_by_topic"].rows[2]["label"] == "my_own_topic"


def test_the_next_project_year_sees_only_its_own_records(ws: Workspace) -> None:
    # PY2 holds C5 (video, 20 min, 1 family member), R5, V5's start, T3, D8, A2, H3.
    py2 = {t.key: t for t in kisi_figures(ws, project_year(2), "en")}
    assert _cells(py2["contacts_by_mode"], "code", "contacts", "hours", "family_members") == [
        ("video", 1, Decimal("0.33"), None),
        ("total", 1, Decimal("0.33"), None),
    ]
    assert _cells(py2["referrals_by_partner"], "partner", "referrals") == [
        ("Caritas Marburg", 1),
        ("total", 1),
    ]
    assert py2["volunteers"].rows[0] == {
        "recruited": None,
        "trained": None,
        "active": None,
        "deployments": 1,
        "hours": Decimal("5"),
    }
    assert _cells(py2["events_by_type"], "code", "events") == [("total", 0)]
    assert _cells(py2["administration_network"], "code", "activities", "participants") == [
        ("administration_training", 1, 30),
        ("network_meeting", 0, 0),
        ("training", 1, WITHHELD),
    ]
    assert _cells(py2["handouts_by_language"], "code", "copies") == [("ar", 100), ("total", 100)]


def test_german_labels(ws: Workspace) -> None:
    german = {t.key: t for t in kisi_figures(ws, project_year(1), "de")}
    assert german["contacts_by_mode"].rows[0]["label"] == "persönlich im Büro"
    assert german["handouts_by_language"].rows[0]["label"] == "Arabisch"
    assert german["events_by_type"].rows[1]["label"] == "Begegnungs- / Dialogformat"


def test_no_name_note_or_title_in_any_table(ws: Workspace) -> None:
    for language in ("de", "en"):
        for table in kisi_figures(ws, project_year(1), language):
            text = json.dumps([dict(r) for r in table.rows], default=str, ensure_ascii=False)
            assert MARKER not in text, table.key
            assert "Amal" not in text and "Bashir" not in text


def _activity(
    heads: dict[str, int], named: int = 0, total: int | None = None, event: bool = True
) -> ActivityFact:
    return ActivityFact(date(2026, 1, 1), "information_event", event, named, heads, total, ())


def test_attendance_rule() -> None:
    # No total recorded: the named are added to the tcn headcount.
    assert attendance(_activity({"tcn": 6, "local": 4}, named=2)).tcn == 8
    # Total 20 >= 6+2+4: the named were not in the headcount either.
    seen = attendance(_activity({"tcn": 6, "local": 4}, named=2, total=20))
    assert (seen.tcn, seen.local, seen.total) == (8, 4, 20)
    # Total 10 < 6+2+4 = 12: the named were counted already; tcn stays 6.
    seen = attendance(_activity({"tcn": 6, "local": 4}, named=2, total=10))
    assert (seen.tcn, seen.total) == (6, 10)
    # More named than the headcount says: the named count (5), total max(6, 5+1) = 6.
    seen = attendance(_activity({"tcn": 2, "local": 1}, named=5, total=6))
    assert (seen.tcn, seen.total) == (5, 6)
    # Headcounts alone above the recorded total: the sum wins (8 + 3 = 11 > 9).
    seen = attendance(_activity({"tcn": 8, "administration": 3}, total=9))
    assert (seen.tcn, seen.administration, seen.total) == (8, 3, 11)


@pytest.mark.parametrize(
    ("volunteers", "staff", "trained", "shown_staff"),
    [
        # 6 volunteers trained (volunteers table) and 9 participants: staff 9 - 6 = 3.
        (6, 3, 6, None),
        # 5 staff shown and 7 participants: the "<5" volunteers trained were 7 - 5 = 2.
        (2, 5, None, 5),
    ],
)
def test_no_small_count_is_the_participants_of_a_training_minus_the_rest(
    volunteers: int, staff: int, trained: int | None, shown_staff: int | None
) -> None:
    """QA (hand count): one training in the period; its participants are the volunteers
    who attended plus the administration staff, and the volunteers table shows how many
    volunteers were trained. Shown beside either part of 1 to 4, the participants gave it
    away: they are held back ("x") then, with a note that says why."""
    ids = tuple(f"v{n}" for n in range(volunteers))
    facts = KisiFacts(trainings=[TrainingFact(date(2026, 3, 5), ids, staff)])
    tables = {t.key: t for t in figure_tables(facts, project_year(1), ReferenceData.load(), "en")}
    assert tables["volunteers"].rows[0]["trained"] == trained
    row = tables["administration_network"].rows[-1]
    assert row["code"] == "training"
    assert row["administration_staff"] == shown_staff
    assert row["participants"] is WITHHELD
    assert any(note.startswith("x: ") for note in tables["administration_network"].notes_en)


def test_participants_of_a_training_are_shown_where_no_part_is_small() -> None:
    ids = tuple(f"v{n}" for n in range(5))
    facts = KisiFacts(trainings=[TrainingFact(date(2026, 3, 5), ids, 0)])
    tables = {t.key: t for t in figure_tables(facts, project_year(1), ReferenceData.load(), "en")}
    row = tables["administration_network"].rows[-1]
    assert (row["participants"], row["administration_staff"]) == (5, 0)
    assert not any(note.startswith("x: ") for note in tables["administration_network"].notes_en)


def test_hours_round_half_up() -> None:
    # 125 min = 2.08333 h; 1 min = 0.01667 h; 3 min = 0.05 h; 0.5 min cannot happen.
    assert hours(125) == Decimal("2.08")
    assert hours(1) == Decimal("0.02")
    assert hours(3) == Decimal("0.05")
    assert hours(0) == Decimal("0.00")


def test_guides_produced_by_type_with_languages_and_copies(tmp_path: Path) -> None:
    from kisi_desktop.core.domain import Publication
    from kisi_desktop.core.vault.kdf import TEST_PARAMS
    from kisi_desktop.core.workspace import Workspace

    from kisi_desktop.reports.kisi_figures import kisi_figures
    from kisi_desktop.reports.periods import project_year

    ws, _code = Workspace.create(tmp_path / "v.kisi", "correct horse battery", kdf=TEST_PARAMS)
    # PY1: two administration guides (de+ar 500, de+uk 200) and a flyer (de 1000);
    # a guide of 1 October 2026 belongs to PY2.
    for kind, day, languages, run in (
        ("administration_guide", date(2025, 11, 1), ("de", "ar"), 500),
        ("administration_guide", date(2026, 9, 30), ("de", "uk"), 200),
        ("flyer", date(2026, 2, 1), ("de",), 1000),
        ("administration_guide", date(2026, 10, 1), ("de",), 50),
    ):
        ws.add(
            Publication(
                publication_type=kind,
                title="T",
                published_on=day,
                languages=languages,
                print_run=run,
            )
        )
    [table] = [t for t in kisi_figures(ws, project_year(1), "en") if t.key == "publications"]
    rows = {row["code"]: row for row in table.rows}
    assert (
        rows["administration_guide"]["publications"],
        rows["administration_guide"]["copies"],
    ) == (2, 700)
    assert rows["administration_guide"]["languages"] == "ar, de, uk"
    assert rows["flyer"]["copies"] == 1000
    assert (rows["total"]["publications"], rows["total"]["copies"]) == (3, 1700)
    ws.lock()
