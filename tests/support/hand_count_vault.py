"""A small vault of 2026-Q1 whose every report figure is counted by hand, for QA of the
AMIF report in every format (tests/unit/reports/test_hand_count.py, the Reports page).

People (Kirchhain); "first" is the first support since the project began:

  Amina   SY  female  born 1990-03-15 refugee      contact 2026-01-01 (first day of Q1)
          office 60 min, 2 family members, topic language course, placed in a course;
          language level a1 -> a2 on 2026-03-20
  Bashir  AF  male    born 2008-02-15 subsidiary   contact 2026-01-01 phone 30 (17 years old),
          contact 2026-03-31 (last day, 18 by then) office 30 min, family reunification,
          information; he turns 18 inside the quarter
  Chadi   SY  male    born 1985-05-05 refugee      contact 2025-11-10 (Q4 2025: counted
          there, not in Q1), contact 2026-02-02 office 45 min, recognition, referral;
          applied for recognition 2026-03-01
  Clara   DE  female                  refugee      contact 2026-01-15 outreach 45 min: no TCN
  Dilan   TR  diverse born 1960       asylum pend. contact 2026-03-31 video 20 min,
          professional guidance
  Elif    IQ  female  born 2000       tolerated    civic orientation event 2026-02-20
  Farid   AF  male    born 1995-07-01 refugee      contact 2026-02-15 accompaniment 120 min,
          work, professional guidance
  Goli    IR  female  born 1999-01-01 refugee      contact 2026-01-20 messenger 15 min;
          consent to case documentation withdrawn 2026-03-01 (still counted: figures
          are anonymous)
  Hamid   AF  male    born 1980-01-01 refugee      contact 2026-02-01 office 30: erased
  Ilham   SO  female  born 1992-12-12 employment   contact 2026-03-10 office 45, 1 family
  Jana    UA  female  born 1988-08-08 temporary    contact 2026-01-05 office 30;
          feedback "helpful" 2026-03-25; contact 2026-04-01 (after Q1)
  Karim   SY  male    born 1975       unknown      contact 2025-12-31 phone 10, 2026-02-10
          phone 10: status unknown, not eligible
  Lena    PL  female                  employment   named at the civic orientation event
  Maryam  stateless female born 2001-04-04 refugee contact 2026-03-03 outreach 60, 3 family

2026-Q1 AMIF indicators (:data:`Q1_COUNTS`): O.2.3 9 (Amina, Bashir, Dilan, Elif, Farid,
Goli, Ilham, Jana, Maryam); genders female 6, male 2, non-binary 1; ages under 18 1
(Bashir), 18-60 7, over 60 1 (Dilan); nationality groups Afghanistan 2, Iraq, Iran,
Somalia, stateless, Syria, Turkey, Ukraine 1 each. O.2.3.1 1 (Amina), O.2.3.2 1 (Elif),
O.2.3.3 2 (Dilan, Farid), O.2.5 1 (Bashir, 18 on 2026-03-31), O.2.2 1, R.2.8 1 (Amina),
R.2.9 1 (Jana), R.2.10 1 (Chadi), R.2.11 0. Project year 1 adds Chadi: O.2.3 10.

KISI figures of Q1 (:data:`Q1_CONTACTS_BY_MODE` and below): 12 contacts in 8.50 hours
with 6 family members; referrals, volunteers, events, publications and needs as listed
beside their constants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import (
    Activity,
    BudgetPlan,
    Consent,
    Contact,
    Expense,
    Guide,
    Municipality,
    Need,
    OutcomeEvent,
    Partner,
    Person,
    Publication,
    Referral,
    Training,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

AGS = "06534011"
NOW = datetime(2026, 4, 15, 10, 0, tzinfo=UTC)
PASSPHRASE = "Handzählung 2026"

Q1_COUNTS = {
    "O.2.2": 1,
    "O.2.3": 9,
    "O.2.3.1": 1,
    "O.2.3.2": 1,
    "O.2.3.3": 2,
    "O.2.5": 1,
    "R.2.8": 1,
    "R.2.9": 1,
    "R.2.10": 1,
    "R.2.11": 0,
}
Q1_GENDER = {"female": 6, "male": 2, "non_binary": 1, "unknown": 0}
Q1_AGE = {"under_18": 1, "18_60": 7, "over_60": 1, "unknown": 0}
Q1_NATIONALITY = {
    "afghanistan": 2,
    "iraq": 1,
    "iran": 1,
    "somalia": 1,
    "stateless": 1,
    "syria": 1,
    "turkey": 1,
    "ukraine": 1,
}
PY1_O23 = 10
"""Project year 1 (2025-10-01 .. 2026-09-30, the clock on 2026-04-15): Q1's nine and Chadi."""

Q1_CONTACTS_BY_MODE = {
    # mode: (contacts, hours, family members)
    "office": (5, Decimal("3.50"), 3),
    "outreach": (2, Decimal("1.75"), 3),
    "phone": (2, Decimal("0.67"), 0),
    "video": (1, Decimal("0.33"), 0),
    "messenger_email": (1, Decimal("0.25"), 0),
    "accompaniment": (1, Decimal("2.00"), 0),
    "total": (12, Decimal("8.50"), 6),
}
Q1_REFERRALS = {
    # target: (referrals, status counted)
    "mbe": (1, "unknown"),
    "jobcenter": (1, "recommended"),
    "integration_course": (1, "attended"),
    "recognition_counselling": (1, "appointment_made"),
}
"""Four referrals in Q1 (Jana's of 2026-04-01 and the erased Hamid's are not)."""
Q1_VOLUNTEERS = {"recruited": 2, "trained": 2, "active": 2, "deployments": 3, "hours": 6}
Q1_EVENTS = {
    # type: (events, tcn, local, administration, volunteers, attendance)
    "information_event": (1, 12, 8, 0, 2, 22),
    "civic_orientation": (1, 8, 3, 0, 0, 11),
    "total": (2, 20, 11, 0, 2, 33),
}
"""The civic orientation event: headcount 6 TCN and 3 local, two named (Elif and Lena),
recorded total 11: the named join the 6 (6 + 2 + 3 = 11, not more than the total)."""
Q1_PUBLICATIONS = {"administration_guide": (1, 500), "flyer": (1, 200), "total": (2, 700)}
Q1_NEEDS = {
    # need: (respondents over all groups, score)
    "language_course_places": (10, 22),
    "housing": (9, 20),
    "intercultural_training": (5, 15),
    "childcare": (3, 6),
}
"""Needs of Q1: language course places tcn 6 high + local 4 low; housing tcn 2 high +
local 7 medium; intercultural training administration 5 high; childcare tcn 3 medium."""


@dataclass(frozen=True)
class HandCountVault:
    """The vault file, its clock, and the people's ids by first name."""

    path: Path
    clock: FixedClock
    ids: dict[str, str]


def build_hand_count_vault(folder: Path) -> HandCountVault:
    """Create the vault of the module docstring in ``folder`` (locked when it returns)."""
    clock = FixedClock(NOW)
    path = folder / "vault.kisi"
    ws, _code = Workspace.create(path, PASSPHRASE, kdf=TEST_PARAMS, clock=clock)
    ws.add(Municipality(ags=AGS, name="Kirchhain", district="Marburg-Biedenkopf"))
    ws.add(
        Guide(
            name="Greta Guide",
            fte=Decimal("1"),
            started_on=date(2025, 10, 1),
            municipality_ags=(AGS,),
        )
    )
    vhs = ws.add(Partner(name="VHS Marburg"))
    iq = ws.add(Partner(name="IQ Netzwerk Hessen"))
    caritas = ws.add(Partner(name="Caritas MBE"))

    def person(name: str, *nationalities: str, **more: object) -> Person:
        return ws.add(Person(name=name, nationalities=nationalities, **more))  # type: ignore[arg-type]

    amina = person(
        "Amina S", "SY", gender="female", birth_date=date(1990, 3, 15), residence_status="refugee"
    )
    bashir = person(
        "Bashir A",
        "AF",
        gender="male",
        birth_date=date(2008, 2, 15),
        residence_status="subsidiary_protection",
    )
    chadi = person(
        "Chadi M", "SY", gender="male", birth_date=date(1985, 5, 5), residence_status="refugee"
    )
    clara = person("Clara W", "DE", gender="female", residence_status="refugee")
    dilan = person(
        "Dilan K", "TR", gender="diverse", birth_year=1960, residence_status="asylum_pending"
    )
    elif_ = person("Elif Y", "IQ", gender="female", birth_year=2000, residence_status="tolerated")
    farid = person(
        "Farid N", "AF", gender="male", birth_date=date(1995, 7, 1), residence_status="refugee"
    )
    goli = person(
        "Goli R", "IR", gender="female", birth_date=date(1999, 1, 1), residence_status="refugee"
    )
    hamid = person(
        "Hamid Q", "AF", gender="male", birth_date=date(1980, 1, 1), residence_status="refugee"
    )
    ilham = person(
        "Ilham O",
        "SO",
        gender="female",
        birth_date=date(1992, 12, 12),
        residence_status="employment",
    )
    jana = person(
        "Jana P",
        "UA",
        gender="female",
        birth_date=date(1988, 8, 8),
        residence_status="temporary_protection",
    )
    karim = person("Karim B", "SY", gender="male", birth_year=1975)
    lena = person("Lena N", "PL", gender="female", residence_status="employment")
    maryam = ws.add(
        Person(
            name="Maryam T",
            stateless=True,
            gender="female",
            birth_date=date(2001, 4, 4),
            residence_status="refugee",
        )
    )

    def contact(who: Person, day: date, mode: str, minutes: int, **more: object) -> Contact:
        return ws.add(
            Contact(person_id=who.id, contacted_on=day, mode=mode, duration_minutes=minutes, **more)  # type: ignore[arg-type]
        )

    first = contact(
        amina,
        date(2026, 1, 1),
        "office",
        60,
        family_members=2,
        topics=("language_course",),
        actions=("language_course_placement",),
    )
    contact(bashir, date(2026, 1, 1), "phone", 30)
    contact(
        bashir,
        date(2026, 3, 31),
        "office",
        30,
        topics=("family_reunification",),
        actions=("information",),
    )
    contact(chadi, date(2025, 11, 10), "office", 30)
    chadi_q1 = contact(
        chadi, date(2026, 2, 2), "office", 45, topics=("recognition",), actions=("referral",)
    )
    contact(clara, date(2026, 1, 15), "outreach", 45)
    contact(dilan, date(2026, 3, 31), "video", 20, actions=("professional_guidance",))
    farid_q1 = contact(
        farid,
        date(2026, 2, 15),
        "accompaniment",
        120,
        topics=("work",),
        actions=("professional_guidance",),
    )
    contact(goli, date(2026, 1, 20), "messenger_email", 15)
    hamid_q1 = contact(hamid, date(2026, 2, 1), "office", 30, family_members=4)
    contact(ilham, date(2026, 3, 10), "office", 45, family_members=1)
    contact(jana, date(2026, 1, 5), "office", 30)
    jana_april = contact(jana, date(2026, 4, 1), "office", 30)
    contact(karim, date(2025, 12, 31), "phone", 10)
    contact(karim, date(2026, 2, 10), "phone", 10)
    contact(maryam, date(2026, 3, 3), "outreach", 60, family_members=3)

    def referral(
        who: Person, on: Contact, target: str, status: str, partner: Partner | None
    ) -> None:
        ws.add(
            Referral(
                person_id=who.id,
                contact_id=on.id,
                referred_on=on.contacted_on,
                target=target,
                status=status,
                partner_id=partner.id if partner else None,
            )
        )

    referral(amina, first, "integration_course", "attended", vhs)
    referral(chadi, chadi_q1, "recognition_counselling", "appointment_made", iq)
    referral(farid, farid_q1, "jobcenter", "recommended", None)
    goli_contact = ws.list(Contact, owner=goli.id)[0]
    ws.add(
        Referral(
            person_id=goli.id,
            referred_on=date(2026, 3, 31),
            target="mbe",
            status="unknown",
            partner_id=caritas.id,
            contact_id=goli_contact.id,
        )
    )
    referral(jana, jana_april, "jobcenter", "recommended", None)
    referral(hamid, hamid_q1, "housing", "recommended", None)

    ws.add(
        Consent(
            person_id=goli.id,
            purpose="case_documentation",
            form_version="2025-10",
            form_language="de",
            given_on=date(2026, 1, 20),
            withdrawn_on=date(2026, 3, 1),
        )
    )
    for who, day, kind, more in (
        (amina, date(2026, 3, 20), "language_level", {"level_before": "a1", "level_after": "a2"}),
        (jana, date(2026, 3, 25), "feedback_helpful", {"feedback": "yes"}),
        (chadi, date(2026, 3, 1), "applied_recognition", {}),
    ):
        ws.add(OutcomeEvent(person_id=who.id, occurred_on=day, kind=kind, **more))  # type: ignore[arg-type]

    ws.add(
        Activity(
            activity_type="civic_orientation",
            title="Grundgesetz im Alltag",
            starts_on=date(2026, 2, 20),
            municipality_ags=AGS,
            participant_ids=(elif_.id, lena.id),
            counts_by_target_group=(("tcn", 6), ("local", 3)),
            attendance_total=11,
            is_event=True,
        )
    )
    ws.add(
        Activity(
            activity_type="information_event",
            title="Willkommen in Kirchhain",
            starts_on=date(2026, 1, 1),
            municipality_ags=AGS,
            counts_by_target_group=(("tcn", 12), ("local", 8), ("volunteers", 2)),
            is_event=True,
        )
    )
    ws.add(
        Activity(
            activity_type="network_meeting",
            title="Runder Tisch Integration",
            starts_on=date(2026, 3, 12),
            municipality_ags=AGS,
            counts_by_target_group=(("administration", 7),),
            partner_ids=(vhs.id, caritas.id),
        )
    )
    ws.add(
        Activity(
            activity_type="encounter",
            title="Adventscafé",
            starts_on=date(2025, 12, 20),
            municipality_ags=AGS,
            counts_by_target_group=(("tcn", 9),),
            is_event=True,
        )
    )

    vera = ws.add(
        Volunteer(name="Vera L", started_on=date(2026, 1, 10), payment_regime="ehrenamtspauschale")
    )
    willi = ws.add(
        Volunteer(name="Willi F", started_on=date(2025, 10, 5), payment_regime="ehrenamtspauschale")
    )
    xenia = ws.add(Volunteer(name="Xenia D", started_on=date(2026, 3, 1)))
    for who, day, hours, kind, allowance in (
        (vera, date(2026, 1, 15), "2.5", "accompaniment", "25"),
        (vera, date(2026, 3, 31), "1.5", "interpreting", "15"),
        (willi, date(2026, 2, 1), "2", "language_cafe", "20"),
        (willi, date(2025, 12, 1), "3", "language_cafe", "30"),
    ):
        ws.add(
            VolunteerDeployment(
                volunteer_id=who.id,
                deployed_on=day,
                hours=Decimal(hours),
                kind=kind,
                allowance_paid=Decimal(allowance),
                paid_on=day,
            )
        )
    ws.add(
        Training(
            held_on=date(2026, 3, 5),
            topic="Rolle der Lotsen",
            attendee_ids=(vera.id, xenia.id),
            administration_attendees=4,
        )
    )

    ws.add(
        Publication(
            publication_type="administration_guide",
            title="Verwaltungswegweiser Kirchhain",
            published_on=date(2026, 2, 1),
            languages=("de", "ar", "fa"),
            print_run=500,
        )
    )
    ws.add(
        Publication(
            publication_type="flyer",
            title="Sprechstunde",
            published_on=date(2026, 3, 31),
            languages=("uk",),
            print_run=200,
        )
    )
    ws.add(
        Publication(
            publication_type="handout",
            title="Kita-Anmeldung",
            published_on=date(2025, 12, 1),
            print_run=100,
        )
    )

    for group, need, urgency, respondents, day in (
        ("tcn", "language_course_places", "high", 6, date(2026, 1, 12)),
        ("local", "language_course_places", "low", 4, date(2026, 2, 12)),
        ("tcn", "housing", "high", 2, date(2026, 1, 12)),
        ("local", "housing", "medium", 7, date(2026, 2, 12)),
        ("administration", "intercultural_training", "high", 5, date(2026, 3, 31)),
        ("tcn", "childcare", "medium", 3, date(2026, 1, 12)),
        ("tcn", "health", "high", 8, date(2026, 4, 2)),
    ):
        ws.add(
            Need(recorded_on=day, group=group, need=need, urgency=urgency, respondents=respondents)
        )

    for category, planned in (("volunteers", "2000"), ("fees", "3000"), ("other", "1500")):
        ws.add(BudgetPlan(category=category, project_year=1, planned=Decimal(planned)))
    for day, amount, category, eligibility in (
        (date(2026, 1, 31), "40", "volunteers", "eligible"),
        (date(2026, 2, 28), "20", "volunteers", "eligible"),
        (date(2026, 2, 20), "450", "fees", "eligible"),
        (date(2026, 3, 15), "300", "other", "eligible"),
        (date(2026, 3, 16), "80", "other", "ineligible"),
        (date(2026, 4, 10), "200", "fees", "eligible"),
    ):
        ws.add(
            Expense(
                spent_on=day,
                amount=Decimal(amount),
                payee="Zahlungsempfänger",
                category=category,
                eligibility=eligibility,
                paid_on=day,
            )
        )

    ws.erase_person(hamid.id)
    ids = {
        p.name.split()[0]: p.id
        for p in (
            amina,
            bashir,
            chadi,
            clara,
            dilan,
            elif_,
            farid,
            goli,
            ilham,
            jana,
            karim,
            lena,
            maryam,
        )
    }
    ws.lock()
    return HandCountVault(path, clock, ids)
