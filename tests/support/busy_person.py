"""A vault with one person the guide has seen very often: 500 contacts, 200 notes, 50
referrals with follow-ups, beside a few people with little recorded (the person page's
speed figure and its GUI test share it)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from kisi_desktop.core.clock import Clock
from kisi_desktop.core.domain import (
    Case,
    Contact,
    FollowUp,
    Note,
    Partner,
    Person,
    Referral,
)
from kisi_desktop.core.domain.registry import Record
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

BUSY_NAME = "Yasmin Haddad"
CONTACTS, NOTES, REFERRALS = 500, 200, 50
FIRST_DAY = date(2024, 1, 8)
TOPICS = ("housing", "language_course", "work", "health", "school")


def contact_day(i: int) -> date:
    """The day of contact ``i`` (0 the oldest): every second day, some days twice."""
    return FIRST_DAY + timedelta(days=(i * 3) // 2)


def busy_records(person_id: str, partner_id: str) -> list[Record]:
    """The busy person's case, contacts, notes, referrals and their follow-ups."""
    records: list[Record] = [
        Case(person_id=person_id, opened_on=FIRST_DAY, main_topics=("housing",)),
    ]
    for i in range(CONTACTS):
        records.append(
            Contact(
                person_id=person_id,
                contacted_on=contact_day(i),
                duration_minutes=15 + i % 60,
                mode=("office", "phone")[i % 2],
                topics=(TOPICS[i % len(TOPICS)],),
                note=f"Gespräch Nr. {i + 1}: Unterlagen für den Antrag durchgesehen.",
            )
        )
    for i in range(NOTES):
        records.append(
            Note(
                person_id=person_id,
                written_on=FIRST_DAY + timedelta(days=i * 3 + 1),
                text=f"Notiz {i + 1}: Rückruf der Ausländerbehörde abwarten.",
            )
        )
    for i in range(REFERRALS):
        referred = FIRST_DAY + timedelta(days=i * 14)
        records.append(
            Referral(
                person_id=person_id,
                referred_on=referred,
                target="jobcenter",
                partner_id=partner_id,
                status="appointment_made",
                follow_up_on=referred + timedelta(days=21),
            )
        )
        records.append(
            FollowUp(
                person_id=person_id,
                due_on=referred + timedelta(days=21),
                text=f"Termin beim Jobcenter Nr. {i + 1} nachfragen",
                done=i < REFERRALS - 5,
            )
        )
    return records


def busy_person_vault(path: Path, passphrase: str, clock: Clock) -> list[str]:
    """Create ``path`` (locked on return) with the busy person and three quiet ones with
    nothing recorded; the ids of all four, the busy person's first."""
    ws, _code = Workspace.create(path, passphrase, kdf=TEST_PARAMS, clock=clock)
    partner = ws.add(Partner(name="Jobcenter Marburg-Biedenkopf", partner_type="authority"))
    people = [
        Person(name=name, residence_status="refugee", nationalities=("SY",))
        for name in (BUSY_NAME, "Ahmad Karimi", "Selin Yılmaz", "Dawit Tesfaye")
    ]
    ws.save(people, "import")
    ws.save(busy_records(people[0].id, partner.id), "import")
    ws.lock()
    return [person.id for person in people]
