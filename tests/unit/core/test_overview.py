"""This month at a glance: figures from records with known dates, on a real vault."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Activity, Contact, FollowUp, Person, Referral
from kisi_desktop.core.overview import Month, month_overview, summarise
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

NOW = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)
AGS = "06534011"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace, _code = Workspace.create(
        tmp_path / "v.kisi", "Sonnenblume am Fenster", kdf=TEST_PARAMS, clock=FixedClock(NOW)
    )
    return workspace


def _contact(person: Person, day: date) -> Contact:
    return Contact(person_id=person.id, contacted_on=day, duration_minutes=30, mode="office")


def _activity(
    day: date, *, event: bool = False, total: int | None = None, **kw: object
) -> Activity:
    return Activity(
        activity_type="information_event",
        title="Infoabend",
        starts_on=day,
        municipality_ags=AGS,
        is_event=event,
        attendance_total=total,
        **kw,  # type: ignore[arg-type]
    )


def test_month_bounds_cover_leap_february_and_december() -> None:
    assert Month.of(date(2028, 2, 10)) == Month(date(2028, 2, 1), date(2028, 2, 29))
    assert Month.of(date(2026, 12, 31)) == Month(date(2026, 12, 1), date(2026, 12, 31))
    march = Month.of(date(2026, 3, 5))
    assert march.contains("2026-03-01") and march.contains("2026-03-31")
    assert not march.contains("2026-02-28") and not march.contains("2026-04-01")
    assert march.overlaps("2026-02-20", "2026-03-01")
    assert not march.overlaps("2026-02-20", None)


def test_figures_match_records_with_known_dates(ws: Workspace) -> None:
    amina, omid, lena = (ws.add(Person(name=n)) for n in ("Amina", "Omid", "Lena"))
    ws.save(
        [
            # Amina: known since February, two contacts in March -> accompanied, not new.
            _contact(amina, date(2026, 2, 10)),
            _contact(amina, date(2026, 3, 2)),
            _contact(amina, date(2026, 3, 17)),
            # Omid: first contact in March -> new and accompanied.
            _contact(omid, date(2026, 3, 31)),
            # Lena: only in April and January -> neither (April is after the month).
            _contact(lena, date(2026, 1, 5)),
            _contact(lena, date(2026, 4, 1)),
        ]
    )
    ws.save(
        [
            _activity(date(2026, 3, 1)),
            _activity(date(2026, 2, 27), ends_on=date(2026, 3, 2)),  # overlaps the month
            _activity(date(2026, 2, 27)),  # February only
            _activity(date(2026, 3, 12), event=True, total=25),
            _activity(date(2026, 3, 30), event=True, total=7),
            _activity(date(2026, 4, 2), event=True, total=100),
            # No total recorded: the headcounts and the named say who came (as in reports).
            _activity(
                date(2026, 3, 20),
                event=True,
                counts_by_target_group={"tcn": 30, "local": 5},
                participant_ids=(amina.id, omid.id),
            ),
        ]
    )
    figures = month_overview(ws)
    assert figures.today == date(2026, 3, 18)
    assert figures.month == Month(date(2026, 3, 1), date(2026, 3, 31))
    assert figures.contacts == 3
    assert figures.people_accompanied == 2
    assert figures.new_people == 1
    assert figures.activities == 2
    assert figures.events == 3
    assert figures.attendance == 32 + 37


def test_due_followups_are_overdue_or_within_seven_days(ws: Workspace) -> None:
    amina = ws.add(Person(name="Amina Haidari"))
    late = ws.add(FollowUp(person_id=amina.id, due_on=date(2026, 3, 1), text="Jobcenter"))
    ws.add(FollowUp(person_id=amina.id, due_on=date(2026, 3, 2), text="erledigt", done=True))
    soon = ws.add(FollowUp(due_on=date(2026, 3, 25), text="Raum buchen"))  # today + 7
    ws.add(FollowUp(person_id=amina.id, due_on=date(2026, 3, 26), text="später"))
    today = ws.add(FollowUp(person_id=amina.id, due_on=date(2026, 3, 18), text="Kita"))
    due = month_overview(ws).due
    assert [item.id for item in due] == [late.id, today.id, soon.id]
    assert [item.overdue for item in due] == [True, False, False]
    assert due[0].person_name == "Amina Haidari" and due[0].person_id == amina.id
    assert due[2].person_id is None and due[2].person_name == ""
    assert month_overview(ws).overdue == 1


def test_a_referral_to_follow_up_is_due_like_a_follow_up_until_it_is_settled(
    ws: Workspace,
) -> None:
    """The referral form asks "Follow up on": that day comes up in the Overview's list
    (the guide set no follow-up of its own), until the referral was attended or closed."""
    amina = ws.add(Person(name="Amina Haidari"))

    def referral(follow_up_on: date, status: str = "recommended", note: str = "") -> Referral:
        return ws.add(
            Referral(
                person_id=amina.id,
                referred_on=date(2026, 3, 2),
                target="jobcenter",
                status=status,
                follow_up_on=follow_up_on,
                note=note,
            )
        )

    late = referral(date(2026, 3, 16), note="Termin bestätigt?")
    soon = referral(date(2026, 3, 20), status="appointment_made")
    referral(date(2026, 3, 17), status="attended")
    referral(date(2026, 3, 10), status="closed")
    referral(date(2026, 4, 1))  # beyond the seven days
    due = month_overview(ws).due
    assert [item.id for item in due] == [late.id, soon.id]
    assert due[0].text == "Weitervermittlung nachfassen: Termin bestätigt?"
    assert due[1].text == "Weitervermittlung nachfassen"
    assert due[0].overdue and not due[1].overdue
    assert due[0].person_name == "Amina Haidari"


def test_only_open_referrals_due_by_a_day_leave_the_working_set(ws: Workspace) -> None:
    """The Overview asks SQLite for the referrals to follow up, not for all 10,000: the
    narrowing must keep exactly those (a referral without a follow-up day, or settled, or
    due later, stays behind), or the guide's list misses one."""
    amina = ws.add(Person(name="Amina Haidari"))
    made = {
        key: ws.add(
            Referral(
                person_id=amina.id,
                referred_on=date(2026, 3, 2),
                target="jobcenter",
                status=status,
                follow_up_on=day,
            )
        )
        for key, day, status in (
            ("open", date(2026, 3, 16), "recommended"),
            ("on_the_day", date(2026, 3, 25), "unknown"),
            ("later", date(2026, 3, 26), "recommended"),
            ("attended", date(2026, 3, 10), "attended"),
            ("closed", date(2026, 3, 10), "closed"),
            ("no_day", None, "recommended"),
        )
    }
    rows = ws.rows(
        Referral,
        ["status"],
        until=("follow_up_on", date(2026, 3, 25)),
        excluding=("status", ["attended", "closed"]),
    )
    assert sorted(rid for rid, _status in rows) == sorted((made["open"].id, made["on_the_day"].id))


def test_an_empty_vault_counts_zero(ws: Workspace) -> None:
    figures = month_overview(ws, date(2026, 1, 15))
    assert (figures.contacts, figures.people_accompanied, figures.new_people) == (0, 0, 0)
    assert (figures.activities, figures.events, figures.attendance, figures.due) == (0, 0, 0, ())


def test_summarise_skips_rows_without_dates() -> None:
    figures = summarise(
        date(2026, 3, 18),
        contacts=[("c1", None, "2026-03-02"), ("c2", "p1", None)],
        new_people=0,
        followups=[("f1", None, None, "x", 0)],
        people=[],
        activities=[("a1", None, None, 1, 5, None, None)],
        people_in_vault=0,
    )
    assert (figures.contacts, figures.events, figures.due) == (0, 0, ())
