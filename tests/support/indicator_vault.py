"""The small vault of the AMIF indicator tests, whose every figure is worked out by hand.

tests/unit/reports/test_indicators.py (people named P1 to P5) and the Reports page's GUI
tests (Amal, Bilal, Clara, Dawit, Emre) count the same five people, contacts, activity and
outcomes; their module docstrings give the figures. Only the names differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from kisi_desktop.core.domain import Activity, Contact, Municipality, OutcomeEvent, Person
from kisi_desktop.core.workspace import Workspace

R = TypeVar("R", Contact, OutcomeEvent)

AGS = "06534011"
PY1_COUNTS = {
    "O.2.2": 1,
    "O.2.3": 3,
    "O.2.3.1": 1,
    "O.2.3.2": 2,
    "O.2.3.3": 1,
    "O.2.5": 1,
    "R.2.8": 1,
    "R.2.9": 0,
    "R.2.10": 0,
    "R.2.11": 0,
}
"""Every indicator's count in project year 1, worked out by hand (see the test modules)."""


@dataclass(frozen=True)
class IndicatorRecords:
    """What :func:`add_indicator_records` added: the people in order, the activity, contacts."""

    people: tuple[Person, ...]
    activity: Activity
    contacts: dict[str, str]
    """``"<first name> <ISO day>"`` -> the contact's id."""


def add_indicator_records(ws: Workspace, names: Sequence[str]) -> IndicatorRecords:
    """Add the municipality and the five people (named ``names``) with their records.

    The records span the project, later than the tests' clocks say it is: they are
    stored as a seeded history (``save``), not as entries typed today, which may not lie
    ahead (core/domain/entry_dates.py).
    """
    ws.add(Municipality(ags=AGS, name="Kirchhain"))
    first, second, third, fourth, fifth = names
    p1 = ws.add(
        Person(
            name=first,
            nationalities=("SY",),
            gender="female",
            birth_year=1990,
            residence_status="refugee",
        )
    )
    p2 = ws.add(
        Person(
            name=second,
            nationalities=("AF",),
            gender="male",
            birth_date=date(2010, 5, 1),
            residence_status="subsidiary_protection",
        )
    )
    p3 = ws.add(
        Person(name=third, nationalities=("DE",), gender="female", residence_status="refugee")
    )
    p4 = ws.add(Person(name=fourth, nationalities=("ER",), residence_status="refugee"))
    p5 = ws.add(Person(name=fifth, nationalities=("TR",), gender="male"))
    contacts: dict[str, str] = {}

    def contact(person: Person, day: date, **more: Any) -> None:
        record = _seeded(
            ws,
            Contact(
                person_id=person.id, contacted_on=day, duration_minutes=30, mode="office", **more
            ),
        )
        contacts[f"{person.name.split()[0]} {day.isoformat()}"] = record.id

    contact(p1, date(2025, 11, 3))
    contact(p1, date(2026, 1, 10), actions=("professional_guidance", "language_course_placement"))
    contact(p2, date(2026, 9, 30), topics=("family_reunification",))
    contact(p2, date(2026, 10, 1))
    contact(p3, date(2026, 2, 2))
    contact(p5, date(2026, 2, 2))
    activity = ws.add(
        Activity(
            activity_type="civic_orientation",
            title="Grundgesetz",
            starts_on=date(2026, 3, 1),
            municipality_ags=AGS,
            participant_ids=(p1.id, p4.id),
        )
    )
    for person, before, after in ((p1, "a1", "a2"), (p4, "b1", "b1")):
        _seeded(
            ws,
            OutcomeEvent(
                person_id=person.id,
                occurred_on=date(2026, 6, 1),
                kind="language_level",
                level_before=before,
                level_after=after,
            ),
        )
    _seeded(
        ws, OutcomeEvent(person_id=p4.id, occurred_on=date(2026, 12, 1), kind="applied_recognition")
    )
    return IndicatorRecords((p1, p2, p3, p4, p5), activity, contacts)


def _seeded(ws: Workspace, record: R) -> R:
    ws.save([record])
    return record
