"""A People page on a real vault, wired to a real Session as the main window wires it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Partner, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.people import PeoplePage
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner

PASS = "Lindenblüte 2026"
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


@dataclass
class Harness:
    """The page under test and what it runs on."""

    page: PeoplePage
    session: Session
    runner: TaskRunner
    clock: FixedClock
    path: Path
    qtbot: QtBot

    @property
    def ws(self) -> Workspace:
        assert self.session.workspace is not None
        return self.session.workspace

    def dialog(self) -> RecordDialog:
        dialog = self.page.dialog
        assert isinstance(dialog, RecordDialog), dialog
        return dialog

    def open_new_person(self, name: str, **fields: Any) -> Person:
        """A person added to the vault and opened on the page, as after a click in the list."""
        person = add_person(self.ws, name, **fields)
        self.reload_list()
        self.page.open_person(person.id)
        return person

    def save_birth_year(self, year: str) -> RecordDialog:
        """The open person's form, their year of birth typed anew and Save clicked once."""
        self.page.person_view.commands["edit_person"].trigger()
        dialog = self.dialog()
        edit = dialog.form.editors["birth_year"].widget
        edit.clear()
        self.qtbot.keyClicks(edit, year)
        self.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog

    def reload_list(self) -> None:
        """Read the list again, and wait for its rows (they are read on a worker)."""
        self.page.refresh()
        self.wait_for_list()

    def wait_for_list(self) -> None:
        """Until the rows of the read under way are shown."""
        self.qtbot.waitUntil(lambda: not self.page.reader.busy, timeout=10_000)

    def unlock(self) -> None:
        self.session.unlock(passphrase=PASS)
        self.qtbot.waitUntil(lambda: self.session.workspace is not None, timeout=10_000)


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Iterator[Harness]:
    clock = FixedClock(NOW)
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, clock=clock)
    ws.add(Partner(name="Jobcenter Marburg-Biedenkopf", partner_type="authority"))
    runner = TaskRunner()

    def open_workspace(vault: Path, **kwargs: Any) -> Workspace:
        return Workspace.open(vault, clock=clock, **kwargs)

    session = Session(path, runner, open_workspace=open_workspace)
    page = PeoplePage(PageContext(session, runner, navigate=lambda _k, _i: None))
    session.unlocked.connect(lambda: page.set_workspace(session.workspace))
    session.locked.connect(lambda _reason: page.set_workspace(None))
    qtbot.addWidget(page)
    page.resize(1146, 680)
    page.show()
    qtbot.waitExposed(page)
    session.adopt(ws)
    harness = Harness(page, session, runner, clock, path, qtbot)
    harness.wait_for_list()
    yield harness
    session.lock("manual")
    runner.wait()


def add_person(ws: Workspace, name: str, **fields: Any) -> Person:
    """Store a person directly (set-up, not the workflow under test)."""
    return ws.add(Person(name=name, **fields))
