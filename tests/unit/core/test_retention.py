"""Who is due for deletion: no case open or on hold, the notes' date (after the last
closing or contact) come; a hold also refuses erasure."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import (
    Case,
    Consent,
    Contact,
    Draft,
    FollowUp,
    Note,
    Person,
    Referral,
)
from kisi_desktop.core.errors import StillNeeded
from kisi_desktop.core.retention import counselling_ended, deletion_due
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace, _code = Workspace.create(
        tmp_path / "v.kisi", "Sonnenblume am Fenster", kdf=TEST_PARAMS
    )
    return workspace


def _person(ws: Workspace, name: str, *cases: tuple[date, date | None, bool]) -> str:
    person = ws.add(Person(name=name, nationalities=("SY",)))
    ws.add(Note(person_id=person.id, written_on=date(2025, 10, 2), text="Erstgespräch"))
    for opened, closed, hold in cases:
        status = "open" if closed is None else "closed"
        ws.add(
            Case(
                person_id=person.id,
                opened_on=opened,
                closed_on=closed,
                legal_hold=hold,
                status=status,
            )
        )
    return person.id


def test_only_people_with_every_case_closed_past_their_date_are_due(ws: Workspace) -> None:
    oct25, nov25, dec25 = date(2025, 10, 1), date(2025, 11, 15), date(2025, 12, 20)
    due = _person(ws, "Due", (oct25, nov25, False))
    two = _person(ws, "Two cases", (oct25, nov25, False), (nov25, dec25, False))
    held = _person(ws, "On hold", (oct25, nov25, True))
    still_open = _person(ws, "Open", (oct25, nov25, False), (dec25, None, False))
    _person(ws, "No case")
    # Notes are kept 12 months after closing (retention.json).
    assert deletion_due(ws, date(2026, 11, 14)) == {}
    assert deletion_due(ws, date(2026, 11, 15)) == {due: date(2026, 11, 15)}
    assert deletion_due(ws, date(2026, 12, 20)) == {
        due: date(2026, 11, 15),
        two: date(2026, 12, 20),  # the later of the two closings
    }
    assert held not in deletion_due(ws, date(2030, 1, 1))
    assert still_open not in deletion_due(ws, date(2030, 1, 1))
    assert deletion_due(ws, date(2030, 1, 1), owner=due) == {due: date(2026, 11, 15)}
    ws.lock()


def test_a_case_closed_before_the_first_period_keeps_the_first_periods_months(
    ws: Workspace,
) -> None:
    early = _person(ws, "Early", (date(2024, 1, 10), date(2024, 6, 30), False))
    assert deletion_due(ws, date(2025, 6, 30)) == {early: date(2025, 6, 30)}
    ws.lock()


def test_once_the_notes_are_deleted_the_person_is_no_longer_due(ws: Workspace) -> None:
    due = _person(ws, "Due", (date(2025, 10, 1), date(2025, 11, 15), False))
    day = date(2026, 12, 1)
    assert due in deletion_due(ws, day)
    for note in ws.list(Note, owner=due):
        ws.delete(Note.KIND, note.id)
    assert deletion_due(ws, day) == {}  # the case and the contacts stay, as proof
    ws.lock()


def test_deleting_the_notes_keeps_the_proof_of_participation(ws: Workspace) -> None:
    marker = "Quxwortnotiz"
    pid = _person(ws, "Due", (date(2025, 10, 1), date(2025, 11, 15), False))
    contact = ws.add(
        Contact(
            person_id=pid,
            contacted_on=date(2025, 10, 3),
            duration_minutes=30,
            mode="office",
            topics=("language_course",),
            note=f"{marker} im Kontakt",
        )
    )
    ws.add(FollowUp(person_id=pid, due_on=date(2025, 10, 20), text=f"{marker} nachfragen"))
    ws.add(Draft(form="people.note", record_kind="note", person_id=pid, values_json="{}"))
    kept = [r.id for r in ws.list(Case, owner=pid)] + [contact.id, pid]
    assert ws.search(marker) != []

    touched = ws.delete_notes(pid)

    assert touched == 4  # the note, the follow-up, the draft, the contact's text
    assert ws.list(Note, owner=pid) == [] and ws.list(FollowUp, owner=pid) == []
    assert ws.list(Draft, owner=pid) == []
    stayed = ws.get(Contact, contact.id)
    assert stayed.note == "" and stayed.topics == ("language_course",)
    assert all(ws.meta(rid) for rid in kept)
    assert ws.search(marker) == []
    assert deletion_due(ws, date(2027, 1, 1)) == {}
    assert ws.delete_notes(pid) == 0  # nothing left to delete
    path = ws.vault.path
    ws.lock()
    reopened = Workspace.open(path, passphrase="Sonnenblume am Fenster")
    assert reopened.audit_verify().ok and reopened.search(marker) == []
    reopened.lock()


@pytest.mark.parametrize("kind", ["contact", "referral", "draft"])
def test_text_left_only_in_a_contact_referral_or_form_keeps_the_person_due(
    ws: Workspace, kind: str
) -> None:
    person = ws.add(Person(name="Only contacts", nationalities=("AF",)))
    pid = person.id
    ws.add(Case(person_id=pid, opened_on=date(2025, 10, 1), closed_on=date(2025, 11, 15),
                status="closed"))  # fmt: skip
    # Contacts without text are proof of participation, nothing to delete.
    ws.add(Contact(person_id=pid, contacted_on=date(2025, 10, 3), duration_minutes=30,
                   mode="office", topics=("language_course",)))  # fmt: skip
    day = date(2027, 1, 1)
    assert deletion_due(ws, day) == {}
    if kind == "contact":
        ws.add(Contact(person_id=pid, contacted_on=date(2025, 10, 9), duration_minutes=20,
                       mode="phone", note="Wohnung in Aussicht"))  # fmt: skip
    elif kind == "referral":
        ws.add(Referral(person_id=pid, referred_on=date(2025, 10, 9), target="mbe",
                        note="Termin am Dienstag"))  # fmt: skip
    else:
        ws.add(Draft(form="people.note", record_kind="note", person_id=pid, values_json="{}"))
    assert deletion_due(ws, day) == {pid: date(2026, 11, 15)}
    assert ws.delete_notes(pid) == 1
    assert deletion_due(ws, day) == {}
    ws.lock()


def _contact(ws: Workspace, pid: str, day: date, note: str = "") -> None:
    ws.add(Contact(person_id=pid, contacted_on=day, duration_minutes=30, mode="office",
                   note=note))  # fmt: skip


def test_a_person_seen_without_a_case_is_due_a_year_after_the_last_contact(
    ws: Workspace,
) -> None:
    """Counselling without a case ends with the last contact (MBE: at the latest 12 months
    after counselling ends); before, such notes had no date and were kept for ever."""
    pid = ws.add(Person(name="Ohne Fall", nationalities=("SY",))).id
    _contact(ws, pid, date(2025, 11, 3), note="Beratung zur Wohnungssuche")
    assert deletion_due(ws, date(2026, 11, 2)) == {}
    assert deletion_due(ws, date(2026, 11, 3)) == {pid: date(2026, 11, 3)}
    _contact(ws, pid, date(2026, 2, 10))  # seen again: the clock starts again
    assert deletion_due(ws, date(2026, 11, 3)) == {}
    assert deletion_due(ws, date(2027, 2, 10), owner=pid) == {pid: date(2027, 2, 10)}
    assert counselling_ended(ws) == {pid: date(2026, 2, 10)}
    ws.lock()


def test_a_contact_after_the_case_closed_moves_the_date(ws: Workspace) -> None:
    pid = _person(ws, "Später", (date(2025, 10, 5), date(2025, 12, 1), False))
    _contact(ws, pid, date(2026, 6, 1), note="nach dem Abschluss")
    assert deletion_due(ws, date(2026, 12, 1)) == {}
    assert deletion_due(ws, date(2027, 6, 1)) == {pid: date(2027, 6, 1)}
    # A contact before the closing changes nothing: the closing is later.
    other = _person(ws, "Früher", (date(2025, 10, 5), date(2025, 12, 1), False))
    _contact(ws, other, date(2025, 11, 3))
    assert deletion_due(ws, date(2026, 12, 1)) == {other: date(2026, 12, 1)}
    ws.lock()


def test_an_open_case_or_a_hold_stops_the_clock_whatever_the_contacts(ws: Workspace) -> None:
    still_open = _person(ws, "Offen", (date(2025, 10, 5), None, False))
    held = _person(ws, "Gesperrt", (date(2025, 10, 5), date(2025, 11, 1), True))
    for pid in (still_open, held):
        _contact(ws, pid, date(2025, 10, 20), note="Gespräch")
    assert counselling_ended(ws) == {still_open: None, held: None}
    assert deletion_due(ws, date(2030, 1, 1)) == {}
    ws.lock()


def test_a_legal_hold_refuses_erasure_and_note_deletion_until_lifted(ws: Workspace) -> None:
    """Deleting too early can be unlawful too (DOMAIN.md): the hold is asked to be lifted
    first, in the case, where that edit is audited."""
    pid = _person(ws, "Gesperrt", (date(2025, 10, 5), date(2025, 11, 1), True))
    with pytest.raises(StillNeeded, match="Aufbewahrungspflicht"):
        ws.erase_person(pid)
    with pytest.raises(StillNeeded, match="Aufbewahrungspflicht"):
        ws.delete_notes(pid)
    [note] = ws.list(Note, owner=pid)
    with pytest.raises(StillNeeded, match="Aufbewahrungspflicht"):
        ws.delete(Note.KIND, note.id)  # one by one is no way around the hold
    draft = ws.add(Draft(form="people.note", record_kind="note", person_id=pid, values_json="{}"))
    ws.delete(Draft.KIND, draft.id)  # an unsaved form may always go
    assert ws.list(Note, owner=pid) != [] and ws.get(Person, pid).name == "Gesperrt"
    [case] = ws.list(Case, owner=pid)
    ws.update(dataclasses.replace(case, legal_hold=False))
    assert ws.delete_notes(pid) == 1
    assert ws.erase_person(pid).removed >= 2
    ws.lock()


def _documentation(ws: Workspace, pid: str, given: date, withdrawn: date | None) -> Consent:
    consent = Consent(person_id=pid, purpose="case_documentation", form_version="2025-10",
                      form_language="de", given_on=given, withdrawn_on=withdrawn)  # fmt: skip
    return ws.add(consent)


def test_consent_to_case_documentation_withdrawn_makes_the_notes_due_that_day(
    ws: Workspace,
) -> None:
    """Notes kept on the strength of a consent go when it is withdrawn (Art. 7(3),
    17(1)(b) GDPR), open case or not; the proof of participation keeps its own date."""
    still_open = _person(ws, "Offen", (date(2025, 10, 5), None, False))
    closed = _person(ws, "Geschlossen", (date(2025, 10, 5), date(2026, 1, 10), False))
    held = _person(ws, "Gesperrt", (date(2025, 10, 5), None, True))
    again = _person(ws, "Neu erteilt", (date(2025, 10, 5), None, False))
    for pid in (still_open, closed, held, again):
        _documentation(ws, pid, date(2025, 10, 5), date(2026, 3, 2))
    _documentation(ws, again, date(2026, 4, 1), None)  # given anew: notes may stay
    assert deletion_due(ws, date(2026, 3, 1)) == {}
    assert deletion_due(ws, date(2026, 3, 2)) == {
        still_open: date(2026, 3, 2),
        closed: date(2026, 3, 2),  # earlier than a year after the closing
        again: date(2026, 3, 2),  # not yet given anew
    }
    assert deletion_due(ws, date(2026, 5, 1), owner=again) == {}
    ws.delete_notes(still_open)
    assert still_open not in deletion_due(ws, date(2026, 3, 2))
    ws.lock()


def test_deleting_the_notes_ends_a_referrals_reminder_too(ws: Workspace) -> None:
    """The Overview still listed "Weitervermittlung nachfassen" with the person's name
    after their notes and follow-ups were deleted: a referral's follow-up day is a
    follow-up too. The referral stays, as proof."""
    from kisi_desktop.core.overview import month_overview

    pid = _person(ws, "Due", (date(2025, 10, 1), date(2025, 11, 15), False))
    referral = ws.add(Referral(person_id=pid, referred_on=date(2025, 11, 1), target="mbe",
                               follow_up_on=date(2025, 11, 20)))  # fmt: skip
    day = date(2026, 12, 1)
    for note in ws.list(Note, owner=pid):
        ws.delete(Note.KIND, note.id)
    assert deletion_due(ws, day) == {pid: date(2026, 11, 15)}  # the reminder is left
    assert [d.person_id for d in month_overview(ws, day).due] == [pid]

    ws.delete_notes(pid)

    assert ws.get(Referral, referral.id).follow_up_on is None
    assert ws.get(Referral, referral.id).target == "mbe"
    assert month_overview(ws, day).due == ()
    assert deletion_due(ws, day) == {}
    ws.lock()


def test_the_day_notes_were_deleted_stays_on_the_person_through_edits_and_a_lock(
    tmp_path: Path,
) -> None:
    """The person page tells "deleted on ..." from "nothing to delete" by this day alone."""
    clock = FixedClock(datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    path = tmp_path / "v.kisi"
    ws, _code = Workspace.create(path, "Sonnenblume am Fenster", kdf=TEST_PARAMS, clock=clock)
    pid = _person(ws, "Amina", (date(2025, 10, 1), date(2025, 11, 15), False))
    never = ws.add(Person(name="Yonas", nationalities=("ER",))).id
    assert ws.notes_deleted_on(pid) is None

    ws.delete_notes(pid)
    assert ws.delete_notes(never) == 0  # nothing to delete: nothing is recorded
    ws.update(dataclasses.replace(ws.get(Person, pid), phone="06421 1234"))

    assert ws.notes_deleted_on(pid) == date(2027, 1, 4)
    assert ws.notes_deleted_on(never) is None
    ws.lock()
    reopened = Workspace.open(path, passphrase="Sonnenblume am Fenster", clock=clock)
    assert reopened.notes_deleted_on(pid) == date(2027, 1, 4)
    assert reopened.get(Person, pid).phone == "06421 1234"
    assert reopened.audit_verify().ok
    reopened.lock()
