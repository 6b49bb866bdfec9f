"""Screenshots of the People area at 1366x768 in German and English, for review by eye.

Written to ``$KISI_SHOT_DIR`` when set (e.g. /tmp/shots), else to the test's tmp folder; the
test checks only that they render, a person looks at them.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QWidget

from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.fonts import register_fonts

from tests.gui.people.conftest import Harness
from tests.support.clipping import clipped

pytestmark = pytest.mark.gui


def _save(widget: QWidget, folder: Path, name: str, qtbot: QtBot | None = None) -> Path:
    if qtbot is not None:
        qtbot.wait(50)  # let pending layout requests settle, as a real event loop would
    path = folder / f"people_{name}.png"
    assert widget.grab().save(str(path))
    assert widget.isVisible()  # (a hidden widget would have nothing cut off)
    assert clipped(widget) == [], name
    return path


@pytest.mark.parametrize("language", ["de", "en"])
def test_people_screenshots(harness: Harness, qtbot: QtBot, tmp_path: Path, language: str) -> None:
    register_fonts()
    set_ui_language(language)
    folder = Path(os.environ.get("KISI_SHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    generate(harness.ws, 50, random.Random(1), harness.clock)
    page = harness.page
    page.retranslate_ui()
    page.resize(1366, 768)
    page.set_workspace(harness.ws)
    harness.wait_for_list()
    assert page.list_view.model.rowCount() == 50
    shots = [_save(page, folder, f"list_{language}", qtbot)]

    def arabic_score(pid: str) -> int:
        return len(harness.ws.list(Contact, owner=pid))

    arabic = [
        p for p in harness.ws.list(Person) if any("\u0600" <= ch <= "\u06ff" for ch in p.name)
    ]
    person = max(arabic, key=lambda p: arabic_score(p.id))
    page.open_person(person.id)
    shots.append(_save(page, folder, f"person_{language}", qtbot))
    dialog = page.open_form("contact")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    shots.append(_save(dialog, folder, f"contact_form_{language}", qtbot))
    dialog.reject()
    dialog = page.open_form("person", harness.ws.get(Person, person.id))
    assert dialog is not None
    qtbot.waitExposed(dialog)
    shots.append(_save(dialog, folder, f"person_form_{language}", qtbot))
    dialog.reject()
    assert all(p.stat().st_size > 10_000 for p in shots)
