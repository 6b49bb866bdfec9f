"""Pages are built when first opened, so start-up imports only what the Overview needs; the
Overview itself is built while the unlock screen waits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain import Contact, FollowUp, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.pages.deferred import DeferredPage
from kisi_desktop.ui.pages.overview_page import OverviewPage
from kisi_desktop.ui.pages.people import PeoplePage
from kisi_desktop.ui.pages.registry import this_month_at_unlock

from tests.support.app_process import app_environment, town_vault_with_a_note

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"
HEAVY = (
    "sqlite_utils",  # imported on the first write (and by migrations), not at start
    "reportlab",
    "openpyxl",
    "uharfbuzz",
    "PySide6.QtPdf",
    "kisi_desktop.bundles.export",
    "kisi_desktop.reports.facts",
    "kisi_desktop.ui.pages.sync.sync_page",
    "kisi_desktop.ui.pages.reports.reports_page",
    "kisi_desktop.ui.settings_dialog",
)


def _in_fresh_python(imports: str, answer: str) -> Any:
    """What ``answer`` (an expression) says after ``imports`` ran in a new interpreter."""
    probe = f"import json, sys; {imports}; print(json.dumps({answer}))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout)


def test_starting_the_app_imports_no_report_pdf_or_bundle_code() -> None:
    found = _in_fresh_python(
        "import kisi_desktop.ui.app", f"[m for m in {list(HEAVY)!r} if m in sys.modules]"
    )
    assert found == []


def test_the_reports_page_imports_no_pdf_spreadsheet_or_chart_drawing_code() -> None:
    # Opening the page should not cost 0.3 s of imports on the UI thread: ReportLab and
    # openpyxl are imported on the worker when a report is exported.
    heavy = ["reportlab", "openpyxl", "kisi_desktop.reports.chart_drawing"]
    found = _in_fresh_python(
        "import kisi_desktop.ui.app; import kisi_desktop.ui.pages.reports",
        f"[m for m in {heavy!r} if m in sys.modules]",
    )
    assert found == []


def test_the_app_and_the_overview_import_no_vault_code() -> None:
    # The window and its first page are built before the vault's code is imported (a
    # thread imports it once the unlock screen shows: ui/preload.py).
    vault_code = ["kisi_desktop.core.workspace", "kisi_desktop.core.domain", "kisi_desktop.reports"]
    found = _in_fresh_python(
        "import kisi_desktop.ui.app, kisi_desktop.ui.pages.overview_page",
        f"[m for m in {vault_code!r} if m in sys.modules]",
    )
    assert found == []


def test_a_page_is_built_when_opened_and_shows_what_was_written_meanwhile(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.lock()
    window = build_main_window(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    slots = {page.key: page for page in window.page_list}
    assert all(isinstance(slot, DeferredPage) for slot in slots.values())
    # Every page is in the navigation, with its title, before any is built.
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        slot.title() for slot in window.page_list
    ]
    window.session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    assert slots["overview"].built
    assert not slots["people"].built and not slots["reports"].built
    workspace = window.session.workspace
    assert workspace is not None
    workspace.add(Person(name="Amina Haidari", nationalities=("AF",)))
    window.page_list[0].changed.emit("person")  # as the page that wrote it would
    window.navigate("people")
    people = window.current_page()
    assert isinstance(people, PeoplePage) and slots["people"].built
    qtbot.waitUntil(lambda: people.list_view.model.rowCount() == 1, timeout=3000)
    window.session.lock("manual")
    qtbot.waitUntil(lambda: people.list_view.model.rowCount() == 0, timeout=3000)
    assert not slots["reports"].built


def test_the_first_page_is_built_while_the_unlock_screen_waits_and_holds_no_record(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # Built at unlock, the Overview took the turn that shows the unlocked window 45 ms
    # (10,000 people); built before, it must show nothing until the unlock hands it records.
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    amina = ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    day = today(ws.clock)
    ws.add(Contact(person_id=amina.id, contacted_on=day, duration_minutes=30, mode="office"))
    ws.add(FollowUp(person_id=amina.id, due_on=day, text="Kita-Antrag prüfen"))
    ws.lock()
    window = build_main_window(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    slot = window.page_list[0]
    assert isinstance(slot, DeferredPage)
    qtbot.waitUntil(lambda: slot.built, timeout=3000)  # once the unlock screen has painted
    overview = window.page("overview")
    assert isinstance(overview, OverviewPage)

    def shown() -> tuple[set[str], int]:
        return {t.number.text() for t in overview.tiles.values()}, overview.due_model.rowCount()

    assert overview.workspace is None and overview.figures is None
    assert shown() == ({"–"}, 0)
    # An unlock reads this month's figures for the page the window opens with, only.
    assert window._unlock_reads() == {"overview": this_month_at_unlock}
    at_unlock: list[tuple[str, int]] = []
    window.session.unlocked.connect(
        lambda: at_unlock.append(
            (overview.tiles["contacts"].number.text(), overview.due_model.rowCount())
        )
    )
    window.session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    assert at_unlock == [("1", 1)]  # the window opens with the figures in place
    window.navigate("people")
    assert window._unlock_reads() == {}
    window.session.lock("manual")
    assert overview.workspace is None and overview.figures is None
    assert shown() == ({"–"}, 0)


UNLOCKED_CHILD = """
import gc, json, sys
gc.disable()
from kisi_desktop.ui.qt_compat import keep_none_alive
keep_none_alive()
from kisi_desktop.ui.app import start
from PySide6.QtCore import QTimer
app, window = start(["--vault", sys.argv[1]])
def look():
    print(json.dumps({"forms": "kisi_desktop.ui.forms.field_widgets" in sys.modules,
                      "unlocked": window.session.workspace is not None}))
    app.quit()
window.session.checked.connect(lambda _problems: QTimer.singleShot(500, look))
app.exec()
window.session.shutdown()
"""


def test_an_unlock_with_no_form_kept_imports_no_form_code(tmp_path: Path) -> None:
    # Looking for a kept profile form after the unlock imported every form editor's Qt
    # classes (0.1-0.3 s on the UI thread, right after the window showed the records).
    vault = town_vault_with_a_note(tmp_path, PASS)
    done = subprocess.run(
        [sys.executable, "-c", UNLOCKED_CHILD, str(vault)],
        capture_output=True, text=True, timeout=120, check=False,
        env=app_environment(tmp_path, PASS),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"forms": False, "unlocked": True}
