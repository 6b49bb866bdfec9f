"""The Overview page shows the month's figures and opens a due follow-up's person."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from PySide6.QtCore import QLocale, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from kisi_desktop.core.domain import Activity, Case, Contact, FollowUp, Note, Person
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports import overview_figures
from kisi_desktop.reports.overview_figures import OverviewFigures

from kisi_desktop.ui.pages.overview_page import OverviewPage
from kisi_desktop.ui.pages.registry import PEOPLE_DUE_FOR_DELETION, this_month_at_unlock
from kisi_desktop.ui.qt_i18n import install_qt_translator

from tests.support.clipping import cut_in_tables
from tests.support.qt_tasks import HeldRunner

from .conftest import AGS, Office

pytestmark = pytest.mark.gui


def _contact(person: Person, day: date) -> Contact:
    return Contact(person_id=person.id, contacted_on=day, duration_minutes=45, mode="office")


def test_tiles_match_records_with_known_dates(office: Office) -> None:
    ws = office.ws  # today is 18 March 2026 by the fixed clock
    # Amina is an eligible Afghan refugee; Omid's nationality is not recorded (not counted).
    amina = ws.add(Person(name="Amina Haidari", nationalities=("AF",), residence_status="refugee"))
    omid = ws.add(Person(name="Omid Rahimi"))
    ws.save(
        [
            _contact(amina, date(2026, 2, 20)),
            _contact(amina, date(2026, 3, 3)),
            _contact(omid, date(2026, 3, 9)),
            _contact(omid, date(2026, 3, 16)),
        ]
    )
    ws.save(
        [
            Activity(
                activity_type="public_relations",
                title="Presse",
                starts_on=date(2026, 3, 4),
                municipality_ags=AGS,
            ),
            Activity(
                activity_type="information_event",
                title="Infoabend",
                starts_on=date(2026, 3, 11),
                municipality_ags=AGS,
                is_event=True,
                attendance_total=31,
            ),
        ]
    )
    late = ws.add(FollowUp(person_id=omid.id, due_on=date(2026, 3, 10), text="Kita-Antrag prüfen"))
    ws.add(FollowUp(person_id=amina.id, due_on=date(2026, 3, 24), text="Termin\nAusländerbehörde"))
    ws.add(FollowUp(person_id=amina.id, due_on=date(2026, 4, 30), text="später"))
    page = office.page(OverviewPage)
    assert "März 2026" in page.heading.text()
    # The project year's AMIF figures (read from the project's start, each person once)
    # follow from a worker.
    office.qtbot.waitUntil(lambda: page.tiles["amif_participants"].number.text() != "–")
    assert not page.reader.busy
    numbers = {name: tile.number.text() for name, tile in page.tiles.items()}
    assert numbers == {
        "contacts": "3",
        "people": "2",
        "new_people": "1",
        "due": "2",
        "activities": "1",
        "events": "1",
        # Project year 1 (Oct 2025 - Sep 2026): Amina had contacts in February and March.
        "amif_participants": "1",
        "amif_language": "0",
        "amif_results": "0",
    }
    assert page.tiles["due"].extra.text() == "1 überfällig"
    due_line = page.tiles["due"].extra.grab().toImage()
    assert _has_pixel(due_line, lambda c: c.red() > 120 and c.green() < 60 and c.blue() < 60)
    assert page.tiles["events"].extra.text() == "31 Teilnehmende"
    view = page.due_view
    assert view.model().rowCount() == 2
    assert [view.model().index(0, c).data() for c in range(3)] == [
        "10.03.2026",
        "Omid Rahimi",
        "Kita-Antrag prüfen",
    ]
    assert view.model().index(1, 2).data() == "Termin Ausländerbehörde"
    assert view.model().index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # overdue

    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 1))
    office.qtbot.keyClick(view, Qt.Key.Key_Return)
    assert office.navigated == [("people", late.id)]  # opened with the follow-up chosen
    assert late.person_id == omid.id


def test_namesakes_with_follow_ups_due_are_told_apart(office: Office) -> None:
    """Two Amina Haidari with a follow-up each read the same in the due list; their year
    of birth and nationality tell them apart, as in the search and the pick lists."""
    ws = office.ws
    older = ws.add(Person(name="Amina Haidari", nationalities=("IR",), birth_year=1988))
    younger = ws.add(
        Person(name="Amina Haidari", nationalities=("AF",), birth_date=date(2001, 5, 3))
    )
    for person in (older, younger):
        ws.add(FollowUp(person_id=person.id, due_on=date(2026, 3, 20), text="Kita-Antrag"))
    page = office.page(OverviewPage)
    model = page.due_view.model()
    shown = sorted(model.index(row, 1).data() for row in range(model.rowCount()))
    assert shown == ["Amina Haidari (geb. 1988, Iran)", "Amina Haidari (geb. 2001, Afghanistan)"]


def test_a_person_with_a_long_country_name_is_read_whole_in_the_due_list(
    office: Office,
) -> None:
    """Countries are named in words now (they were codes: "AE"); at the page's size in a
    1366x768 window the person column holds the longest of them without a cut."""
    ws = office.ws
    for person in (
        Person(name="Khalid Al-Rashid", nationalities=("AE",), birth_year=1990),
        Person(name="Mirela Hadžić", nationalities=("BA",), birth_year=1995),
    ):
        ws.add(person)
        ws.add(FollowUp(person_id=person.id, due_on=date(2026, 3, 20), text="Kita-Antrag"))
    page = office.page(OverviewPage)
    model = page.due_view.model()
    assert "Khalid Al-Rashid (geb. 1990, Vereinigte Arabische Emirate)" in [
        model.index(row, 1).data() for row in range(model.rowCount())
    ]
    assert cut_in_tables(page) == []


def test_refresh_after_a_change_and_empty_state(office: Office) -> None:
    page = office.page(OverviewPage)
    assert page.tiles["contacts"].number.text() == "0"
    assert page.due_empty.isVisible() and not page.due_view.isVisible()
    person = office.ws.add(Person(name="Lena"))
    office.ws.add(_contact(person, date(2026, 3, 1)))
    page.refresh()  # after a write: counted on a worker, the old figures shown meanwhile
    assert page.reader.busy and page.tiles["contacts"].number.text() == "0"
    office.qtbot.waitUntil(lambda: not page.reader.busy, timeout=10_000)
    assert page.tiles["contacts"].number.text() == "1"
    assert page.tiles["new_people"].number.text() == "1"


def test_an_empty_vault_names_the_first_steps_with_their_keys_until_someone_is_in_it(
    office: Office,
) -> None:
    app, locale = QApplication.instance(), QLocale()
    assert app is not None
    install_qt_translator(app, "de")  # as the app does at start: Qt names the keys
    try:
        _first_steps(office)
    finally:
        install_qt_translator(app, "en")  # Qt's own texts back as the other tests expect
        QLocale.setDefault(locale)


def _first_steps(office: Office) -> None:
    page = office.page(OverviewPage)
    office.qtbot.waitExposed(page)
    assert page.first_steps.isVisible()
    text = page.first_steps_text.text()
    # The keys as the window binds them, as a German keyboard labels them.
    assert "„Personen“ (Strg+2)" in text and "„Neue Person“ (Strg+N)" in text
    set_ui_language("en")
    install_qt_translator(QApplication.instance(), "en")  # type: ignore[arg-type]
    try:
        page.retranslate_ui()
        assert "open People (Ctrl+2) and choose “New person” (Ctrl+N)" in (
            page.first_steps_text.text()
        )
    finally:
        set_ui_language("de")
    office.ws.add(Person(name="Lena"))  # no contact yet: the month's tiles stay at zero
    page.refresh()
    office.qtbot.waitUntil(lambda: not page.reader.busy, timeout=10_000)
    assert not page.first_steps.isVisible()


def test_the_project_year_is_counted_while_the_overview_is_shown(office: Office) -> None:
    person = office.ws.add(Person(name="Lena", nationalities=("SY",), residence_status="refugee"))
    office.ws.add(_contact(person, date(2026, 3, 1)))
    held = HeldRunner()
    page = OverviewPage(dataclasses.replace(office.context(), runner=held))  # type: ignore[arg-type]
    office.qtbot.addWidget(page)
    page.show()
    office.qtbot.waitExposed(page)
    page.set_workspace(office.ws)  # unlocked with the Overview on screen
    assert page.tiles["contacts"].number.text() == "1"  # this month's figures at once
    office.qtbot.waitUntil(lambda: held.busy())  # the project year follows on a worker
    assert page.reader.busy and page.tiles["amif_participants"].number.text() == "–"
    page.hide()  # the guide moved on: the count is dropped instead of sharing the interpreter
    assert not page.reader.busy
    held.release()  # the dropped copy refuses to be read: the worker stops at once
    assert page.tiles["amif_participants"].number.text() == "–"
    page.show()  # shown again: counted again, on the worker
    office.qtbot.waitUntil(lambda: held.busy())
    held.release()
    assert page.tiles["amif_participants"].number.text() == "1"
    assert page.tiles["contacts"].number.text() == "1"


def test_unlocked_while_another_page_is_shown_it_counts_on_a_worker_later(
    office: Office,
) -> None:
    person = office.ws.add(Person(name="Lena"))
    office.ws.add(_contact(person, date(2026, 3, 1)))
    page = OverviewPage(office.context())
    office.qtbot.addWidget(page)
    page.set_workspace(office.ws)  # unlocked while the guide looks at another page
    office.qtbot.wait(50)  # that turn of the event loop is over
    page.show()
    office.qtbot.waitExposed(page)
    # Shown now, long after the unlock: no stall on the UI thread, the count follows.
    assert page.reader.busy and page.tiles["contacts"].number.text() == "–"
    office.qtbot.waitUntil(lambda: not page.reader.busy, timeout=10_000)
    assert page.tiles["contacts"].number.text() == "1"


def test_people_due_for_deletion_are_named_a_moment_after_the_figures(office: Office) -> None:
    amina = office.ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    office.ws.add(Note(person_id=amina.id, written_on=date(2025, 10, 2), text="Erstgespräch"))
    office.ws.add(
        Case(
            person_id=amina.id,
            opened_on=date(2025, 10, 1),
            closed_on=date(2025, 11, 15),
            status="closed",
        )
    )
    page = office.page(OverviewPage)
    office.qtbot.waitUntil(lambda: not page.reader.busy)
    assert not page.deletion.isVisible()  # 18 March 2026: kept until 15 November 2026
    office.clock.advance(days=300)
    office.session.lock()
    office.unlock()
    # Counted on a worker with the project year's figures, after the month's figures.
    office.qtbot.waitUntil(page.deletion.isVisible, timeout=3000)
    # It moves no tile the guide may be about to click: the same places without it.
    office.qtbot.wait(50)
    tiles_at = [tile.mapTo(page, QPoint(0, 0)) for tile in page.tiles.values()]
    page.deletion.hide()
    office.qtbot.wait(50)
    assert [tile.mapTo(page, QPoint(0, 0)) for tile in page.tiles.values()] == tiles_at
    page.deletion.show()
    assert page.deletion.geometry().top() > page.due_view.geometry().top()
    assert page.deletion_text.text().startswith(
        "Bei 1 Person ist die Löschfrist der Notizen erreicht"
    )
    office.qtbot.mouseClick(page.deletion_button, Qt.MouseButton.LeftButton)
    assert office.navigated[-1] == ("people", PEOPLE_DUE_FOR_DELETION)
    office.session.lock()
    assert not page.deletion.isVisible()


def _has_pixel(image: QImage, wanted: Callable[[QColor], bool]) -> bool:
    return any(
        wanted(image.pixelColor(x, y)) for y in range(image.height()) for x in range(image.width())
    )


def test_tiles_are_reached_with_tab_and_open_their_page(office: Office) -> None:
    page = office.page(OverviewPage)
    contacts, events = page.tiles["contacts"], page.tiles["events"]
    assert contacts.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert contacts.accessibleName() == "Beratungskontakte in diesem Monat"
    office.activate(page)
    highlight = contacts.palette().color(QPalette.ColorRole.Highlight)
    left_edge = QRect(0, 0, 3, contacts.height())  # the card's frame, beside its text
    contacts.setFocus()
    # The focused tile's frame is drawn in the highlight colour: Tab shows where it is.
    assert _has_pixel(contacts.grab(left_edge).toImage(), lambda c: c == highlight)
    assert not _has_pixel(events.grab(left_edge).toImage(), lambda c: c == highlight)
    office.qtbot.keyClick(contacts, Qt.Key.Key_Return)
    assert office.navigated[-1] == ("people", None)
    office.qtbot.mouseClick(events, Qt.MouseButton.LeftButton)
    assert office.navigated[-1] == ("events", None)
    office.qtbot.keyClick(page.tiles["amif_language"], Qt.Key.Key_Space)
    assert office.navigated[-1] == ("reports", None)


def test_at_unlock_it_shows_the_months_figures_the_unlocks_worker_counted(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    amina = office.ws.add(Person(name="Amina Haidari"))
    office.ws.add(_contact(amina, date(2026, 3, 3)))
    office.ws.add(FollowUp(person_id=amina.id, due_on=date(2026, 3, 10), text="Kita-Antrag"))
    page = office.page(OverviewPage)
    office.qtbot.waitUntil(lambda: not page.reader.busy)
    # As the window asks when it opens on the Overview (PageSpec.unlock_read).
    office.session.read_at_unlock(lambda: {page.key: this_month_at_unlock})
    counted_on: list[bool] = []  # on the UI thread?
    count = overview_figures.overview_figures

    def counted_where(ws: Workspace, **kwargs: bool) -> OverviewFigures:
        counted_on.append(threading.current_thread() is threading.main_thread())
        return count(ws, **kwargs)

    monkeypatch.setattr(overview_figures, "overview_figures", counted_where)
    office.session.lock()
    assert page.tiles["contacts"].number.text() == "–" and page.due_model.rowCount() == 0
    at_unlock: list[tuple[str, str, int]] = []
    office.session.unlocked.connect(
        lambda: at_unlock.append(
            (page.heading.text(), page.tiles["contacts"].number.text(), page.due_model.rowCount())
        )
    )
    office.unlock()
    assert at_unlock == [("<h2>Dieser Monat auf einen Blick: März 2026</h2>", "1", 1)]
    assert counted_on == [False]  # counted once, by the unlock's worker, not the UI thread
    # After a write the page counts again, on a worker, as before.
    office.ws.add(_contact(amina, date(2026, 3, 16)))
    page.refresh()
    office.qtbot.waitUntil(lambda: page.tiles["contacts"].number.text() == "2", timeout=10_000)
    assert counted_on == [False, False]


# Not imported by the page until it counts from the records (the vault's code, reports).
VAULT_CODE = ("kisi_desktop.core.workspace", "kisi_desktop.core.domain", "kisi_desktop.reports")

MONTH_ALONE_CHILD = """
import json, sys
from datetime import date
from pathlib import Path

from kisi_desktop.ui.qt_compat import keep_none_alive

keep_none_alive()
from PySide6.QtWidgets import QApplication

from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.month_glance import DueFollowUp, Month, MonthOverview
from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.overview_page import OverviewPage
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner

app = QApplication([])
set_ui_language("de")
runner = TaskRunner()
session = Session(Path(sys.argv[1]), runner)
page = OverviewPage(PageContext(session, runner, navigate=lambda key, record: None))
page.show()
due = DueFollowUp("f1", date(2026, 3, 10), "Kita-Antrag", "p1", "Amina Haidari", overdue=True)
page.show_glance(MonthOverview(
    Month.of(date(2026, 3, 18)), date(2026, 3, 18), contacts=12, people_accompanied=7,
    new_people=2, activities=3, events=1, attendance=25, due=(due,), people=9,
))

def shown():
    return {
        "heading": page.heading.text(),
        "numbers": {key: tile.number.text() for key, tile in page.tiles.items()},
        "due": [page.due_model.index(0, c).data() for c in range(3)],
    }

seen = {"de": shown()}
set_ui_language("en")
page.retranslate_ui()
seen["en"] = shown()
seen["vault_code"] = sorted(
    name for name in list(sys.modules)
    if any(name == m or name.startswith(m + ".") for m in json.loads(sys.argv[2]))
)
print(json.dumps(seen), flush=True)
"""


def test_it_shows_a_month_counted_elsewhere_without_the_vault_code(tmp_path: Path) -> None:
    # Built while the unlock screen waits, the page is to show this month's figures from
    # a small summary before the records (and the code that reads them) are loaded.
    done = subprocess.run(
        [sys.executable, "-c", MONTH_ALONE_CHILD, str(tmp_path / "vault.kisi"),
         json.dumps(VAULT_CODE)],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["vault_code"] == []
    assert seen["de"] == {
        "heading": "<h2>Dieser Monat auf einen Blick: März 2026</h2>",
        "numbers": {
            "contacts": "12",
            "people": "7",
            "new_people": "2",
            "due": "1",
            "activities": "3",
            "events": "1",
            # The project year's figures need the records.
            "amif_participants": "–",
            "amif_language": "–",
            "amif_results": "–",
        },
        "due": ["10.03.2026", "Amina Haidari", "Kita-Antrag"],
    }
    # Worded again in another language, the same month stays.
    assert seen["en"]["heading"] == "<h2>This month at a glance: March 2026</h2>"
    assert seen["en"]["numbers"] == seen["de"]["numbers"]
