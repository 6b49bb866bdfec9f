"""The demo generator: realistic, valid, reproducible data within the project years."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.demo.people import ORIGINS
from kisi_desktop.core.domain import (
    Activity,
    Case,
    Contact,
    Expense,
    Guide,
    Municipality,
    Person,
    TimeSheet,
    Trip,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.domain.budget import check_trip_vehicle, trip_per_diem
from kisi_desktop.core.domain.volunteer import allowance_paid_in_year, volunteer_allowance_cap
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

TODAY = date(2026, 6, 30)


def fresh(tmp_path: Path, name: str = "demo.kisi") -> Workspace:
    clock = FixedClock(datetime(2026, 6, 30, 12, tzinfo=UTC))
    ws, _code = Workspace.create(tmp_path / name, "demo passphrase", kdf=TEST_PARAMS, clock=clock)
    return ws


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A workspace with 80 demo people as of 30 June 2026."""
    workspace = fresh(tmp_path)
    generate(workspace, 80, random.Random(3), workspace.clock)
    yield workspace
    workspace.lock()


def test_people_come_from_the_main_countries_with_case_work(ws: Workspace) -> None:
    people = ws.list(Person)
    assert len(people) == 80
    assert {c for p in people for c in p.nationalities} <= set(ORIGINS)
    assert len({c for p in people for c in p.nationalities}) >= 4
    assert {p.gender for p in people} >= {"female", "male"}
    for person in people:
        assert ws.list(Contact, owner=person.id), person.name
        assert len(ws.list(Case, owner=person.id)) == 1


def test_every_date_lies_in_the_project_up_to_today(ws: Workspace) -> None:
    days = [c.contacted_on for c in ws.list(Contact)]
    days += [a.starts_on for a in ws.list(Activity)]
    days += [e.spent_on for e in ws.list(Expense)]
    assert min(days) >= date(2025, 10, 1)
    assert max(days) <= TODAY


def test_days_in_wiesbaden_earn_tagegeld(ws: Workspace) -> None:
    """A day at the ministry: 9.5 h away, 14.00; a training there over two days with a
    breakfast and a lunch served: 14 + 14 - 5.60 - 11.20 = 11.20; other trips none."""
    earned = Counter()
    for trip in ws.list(Trip):
        amount = trip_per_diem(trip, ws.ref)
        if not trip.destination.startswith("Wiesbaden"):
            assert amount == 0, trip
        elif trip.purpose == "Fortbildung":
            assert (trip.days(), amount) == (2, Decimal("11.20")), trip
        else:
            assert (trip.hours_away, amount) == (Decimal("9.5"), Decimal("14.00")), trip
        earned[amount] += 1
    assert earned[Decimal("14.00")] and earned[Decimal("11.20")]  # both kinds in this demo


def test_trips_by_bicycle_are_entered_as_the_form_takes_them(ws: Workspace) -> None:
    """No passenger and no valid reasons on a bicycle or e-bike: a demo trip opened in
    the form saves again as it is."""
    trips = ws.list(Trip)
    assert {t.vehicle_type for t in trips} >= {"car", "bicycle"}
    for trip in trips:
        check_trip_vehicle(trip, ws.ref)


def test_notes_are_german_and_searchable(ws: Workspace) -> None:
    assert ws.search("Integrationskurs", kinds=["contact"])
    assert all(c.note for c in ws.list(Contact))


def test_office_records_exist_and_participants_are_people(ws: Workspace) -> None:
    assert len(ws.list(Municipality)) == 1
    person_ids = {p.id for p in ws.list(Person)}
    activities = ws.list(Activity)
    assert activities
    assert any(a.is_event for a in activities)
    assert {pid for a in activities for pid in a.participant_ids} <= person_ids
    categories = {e.category for e in ws.list(Expense)}
    assert {"staff", "administrative", "acquisitions"} <= categories


def test_volunteer_allowances_stay_within_the_yearly_caps(ws: Workspace) -> None:
    deployments = ws.list(VolunteerDeployment)
    assert deployments
    for volunteer in ws.list(Volunteer):
        for year in (2025, 2026):
            cap = volunteer_allowance_cap(volunteer, year, ws.ref)
            paid = allowance_paid_in_year(deployments, volunteer.id, year)
            assert paid <= (cap if cap is not None else Decimal(0)) or paid == 0


def test_same_seed_same_data(tmp_path: Path) -> None:
    names = []
    for n in range(2):
        workspace = fresh(tmp_path, f"v{n}.kisi")
        generate(workspace, 15, random.Random(42), workspace.clock)
        names.append(sorted((p.id, p.name) for p in workspace.list(Person)))
        workspace.lock()
    assert names[0] == names[1]


def test_a_second_run_adds_people_but_no_second_town(ws: Workspace) -> None:
    summary = generate(ws, 5, random.Random(9), ws.clock)
    assert summary.counts["person"] == 5
    assert "municipality" not in summary.counts
    assert ws.count(Person) == 85


def test_cancel_stops_between_people(tmp_path: Path) -> None:
    workspace = fresh(tmp_path)
    calls = Counter[str]()

    def cancelled() -> bool:
        calls["asked"] += 1
        return calls["asked"] > 10

    summary = generate(workspace, 100, random.Random(1), workspace.clock, cancelled=cancelled)
    assert summary.cancelled
    assert workspace.count(Person) == 10
    workspace.lock()


def test_the_guide_has_a_time_sheet_for_every_month_ended(ws: Workspace) -> None:
    """Oct 2025 to May 2026 on 30 June 2026, so the Time sheets page and the team's hours
    are not empty in the demo; leave months have fewer hours."""
    (guide,) = ws.list(Guide)
    sheets = {s.month: s for s in ws.list(TimeSheet)}
    assert sorted(sheets) == [
        "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
    ]  # fmt: skip
    assert {s.guide_id for s in sheets.values()} == {guide.id}
    assert sheets["2025-12"].hours < sheets["2025-11"].hours <= 172
    again = generate(ws, 1, random.Random(4), ws.clock)  # a second run adds no second set
    assert "time_sheet" not in again.counts
