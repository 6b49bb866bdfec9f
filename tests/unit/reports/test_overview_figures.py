"""The Overview's figures without Qt: this month's, counted at unlock or by the page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.overview import month_overview
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.overview_figures import month_figures, overview_figures


def _ws(tmp_path: Path, now: datetime) -> Workspace:
    ws, _code = Workspace.create(
        tmp_path / "v.kisi", "Sonnenblume am Fenster", kdf=TEST_PARAMS, clock=FixedClock(now)
    )
    person = ws.add(Person(name="Lena"))
    ws.add(
        Contact(
            person_id=person.id, contacted_on=date(2026, 3, 2), duration_minutes=30, mode="office"
        )
    )
    return ws


def test_a_month_counted_at_unlock_gives_what_the_page_would_count(tmp_path: Path) -> None:
    # The unlock's worker counts the month (core); the page adds the project year.
    ws = _ws(tmp_path, datetime(2026, 3, 18, 10, 0, tzinfo=UTC))
    figures = month_figures(month_overview(ws))
    assert figures == overview_figures(ws, indicators=False)
    assert figures.month.contacts == 1
    assert figures.project_year == 1  # October 2025 - September 2026
    assert figures.indicators is None  # not counted yet: the page counts them on a worker
    assert figures.deletion_due is None


def test_the_project_year_is_that_of_the_months_day(tmp_path: Path) -> None:
    ws = _ws(tmp_path, datetime(2026, 10, 1, 10, 0, tzinfo=UTC))
    assert month_figures(month_overview(ws)).project_year == 2
    assert month_figures(month_overview(ws, date(2026, 9, 30))).project_year == 1
