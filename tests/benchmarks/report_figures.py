"""Report figures: every AMIF indicator for a three-year vault, against hand-written SQL.

The vault: 2,000 people (most of them eligible), 30,000 contacts spread over the three
project years with topics and actions, 150 activities with participants, 3,000 outcomes.
The baseline asks the working set (in-memory SQLite with the records' JSON) the same
questions in SQL, written by hand per indicator, as someone without the reports module would.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Activity, Contact, Municipality, OutcomeEvent, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.facts import load_facts
from kisi_desktop.reports.indicators import compute
from kisi_desktop.reports.periods import PROJECT_START, whole_project

PEOPLE, CONTACTS, ACTIVITIES, OUTCOMES = 2_000, 30_000, 150, 3_000
AGS = "06534011"
NATIONS = ("SY", "AF", "TR", "UA", "ER", "SO", "IR", "IQ", "DE", "PL")
STATUSES = ("refugee", "subsidiary_protection", "temporary_protection", "unknown")
TOPICS = ("arrival", "language_course", "work", "housing", "family_reunification", "health")
ACTIONS = ("information", "referral", "professional_guidance", "language_course_placement")


def _vault(folder: Path) -> Workspace:
    rng = random.Random(7)
    # Entered as on the project's last day: the contacts spread over all three years, and a
    # date after the day of entry is refused (entry_dates.py) while the project still runs.
    at_the_end = FixedClock(datetime(2028, 9, 30, 16, 0, tzinfo=UTC))
    ws, _code = Workspace.create(
        folder / "vault.kisi", "benchmark passphrase", kdf=TEST_PARAMS, clock=at_the_end
    )
    ws.add(Municipality(ags=AGS, name="Kirchhain"))
    people = [
        Person(
            name=f"P{i}",
            nationalities=(rng.choice(NATIONS),),
            residence_status=rng.choice(STATUSES),
            gender=rng.choice(("female", "male", "diverse", "unspecified")),
            birth_year=rng.randint(1950, 2015),
        )
        for i in range(PEOPLE)
    ]
    ws.save(people, "add")
    day = lambda: PROJECT_START + timedelta(days=rng.randrange(3 * 365))  # noqa: E731
    for start in range(0, CONTACTS, 5_000):
        ws.save(
            [
                Contact(
                    person_id=rng.choice(people).id,
                    contacted_on=day(),
                    duration_minutes=30,
                    mode="office",
                    topics=tuple(rng.sample(TOPICS, rng.randint(0, 2))),
                    actions=tuple(rng.sample(ACTIONS, rng.randint(0, 2))),
                )
                for _ in range(start, min(start + 5_000, CONTACTS))
            ],
            "add",
        )
    ws.save(
        [
            Activity(
                activity_type=rng.choice(("civic_orientation", "information_event")),
                title=f"A{i}",
                starts_on=day(),
                municipality_ags=AGS,
                participant_ids=tuple(p.id for p in rng.sample(people, 12)),
            )
            for i in range(ACTIVITIES)
        ],
        "add",
    )
    ws.save(
        [
            OutcomeEvent(
                person_id=rng.choice(people).id,
                occurred_on=day(),
                kind="applied_recognition",
            )
            for _ in range(OUTCOMES)
        ],
        "add",
    )
    return ws


_ELIGIBLE = """
    SELECT p.id FROM item p
    WHERE p.kind = 'person'
      AND json_extract(p.body, '$.d.residence_status') != 'unknown'
      AND json_extract(p.body, '$.d.nationalities[0]') NOT IN ('DE', 'PL')
"""

_SUPPORTED = f"""
    SELECT COUNT(DISTINCT person) FROM (
      SELECT json_extract(c.body, '$.d.person_id') AS person, c.body AS body, 'c' AS src
      FROM item c WHERE c.kind = 'contact'
        AND json_extract(c.body, '$.d.contacted_on') BETWEEN :start AND :end
      UNION ALL
      SELECT j.value, a.body, 'a' FROM item a, json_each(a.body, '$.d.participant_ids') j
      WHERE a.kind = 'activity'
        AND json_extract(a.body, '$.d.starts_on') BETWEEN :start AND :end
    ) s WHERE person IN ({_ELIGIBLE}) AND ({{condition}})
"""
_QUERIES = {
    "O.2.3": "1",
    "O.2.3.1": "src = 'c' AND EXISTS (SELECT 1 FROM json_each(body, '$.d.actions') x "
    "WHERE x.value = 'language_course_placement')",
    "O.2.3.2": "src = 'a' AND json_extract(body, '$.d.activity_type') = 'civic_orientation'",
    "O.2.3.3": "src = 'c' AND EXISTS (SELECT 1 FROM json_each(body, '$.d.actions') x "
    "WHERE x.value = 'professional_guidance')",
    "O.2.5": "src = 'c' AND EXISTS (SELECT 1 FROM json_each(body, '$.d.topics') x "
    "WHERE x.value = 'family_reunification')",
}
_OUTCOMES = f"""
    SELECT json_extract(o.body, '$.d.kind'), COUNT(DISTINCT json_extract(o.body, '$.d.person_id'))
    FROM item o WHERE o.kind = 'outcome'
      AND json_extract(o.body, '$.d.occurred_on') BETWEEN :start AND :end
      AND json_extract(o.body, '$.d.person_id') IN ({_ELIGIBLE})
    GROUP BY 1
"""


def _sql(ws: Workspace, start: date, end: date) -> dict[str, int]:
    conn = ws.working_set.conn
    params = {"start": start.isoformat(), "end": end.isoformat()}
    counts = {
        code: conn.execute(_SUPPORTED.format(condition=cond), params).fetchone()[0]
        for code, cond in _QUERIES.items()
    }
    counts.update(dict(conn.execute(_OUTCOMES, params).fetchall()))
    return counts


def _best(fn: Any, runs: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - started)
    return best, value


def run(size: int) -> list[dict[str, Any]]:
    """``reports.all_indicators`` (``size`` is ignored: the vault is the issue's)."""
    with tempfile.TemporaryDirectory() as folder:
        ws = _vault(Path(folder))
        period = whole_project()
        ours, results = _best(lambda: compute(load_facts(ws), period, ws.ref), 3)
        sql, counts = _best(lambda: _sql(ws, period.start, period.end), 3)
        by_code = {r.code: r.count for r in results}
        if by_code["O.2.3"] != counts["O.2.3"] or by_code["O.2.5"] != counts["O.2.5"]:
            raise SystemExit(f"reports and SQL disagree: {by_code} vs {counts}")
        ws.lock()
    return [
        {
            "name": "reports.all_indicators",
            "value": ours,
            "unit": "s",
            "baseline": f"hand-written SQL on the working set ({PEOPLE} people, "
            f"{CONTACTS} contacts)",
            "baseline_value": sql,
            "goal": "value <= 0.5 and ratio <= 2",
        }
    ]
