"""A spreadsheet list of people brought in through the People page (core/people_list.py,
ui/pages/people/list_import.py): checked first, added whole or not at all."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.people_list import FIRST_CONTACT_NOTE

from kisi_desktop.ui.pages.people.list_import import ListImportDialog

from tests.gui.people.conftest import Harness

pytestmark = pytest.mark.gui

HEADING = "Vorname;Nachname;Geburtsdatum;Staatsangehörigkeit;Erstkontakt;Bemerkung\r\n"
GOOD = HEADING + (
    "Amina;Haidari;03.05.1991;Afghanistan;04.11.2025;mit Tochter\r\n"
    "Yonas;Tesfay;12.12.1989;Eritrea;;\r\n"
    "Ирина;Ткаченко;1990-02-02;Ukraine;20.01.2026;\r\n"
)


def _opened(h: Harness, path: Path) -> ListImportDialog:
    dialog = h.page.import_list(path)
    assert isinstance(dialog, ListImportDialog)
    h.qtbot.waitUntil(lambda: dialog.listed is not None, timeout=5000)
    return dialog


def _shot(dialog: ListImportDialog, name: str) -> None:
    if os.environ.get("KISI_SHOT_DIR"):
        dialog.grab().save(str(Path(os.environ["KISI_SHOT_DIR"]) / name))


def test_a_list_with_a_bad_row_is_shown_and_nothing_is_added(
    harness: Harness, tmp_path: Path
) -> None:
    h = harness
    path = tmp_path / "liste.csv"
    bad = GOOD + "Farid;Ahmadi;31.02.1985;Atlantis;01.12.2025;\r\n"
    # As German Excel saves it (Windows-1252, which has no Cyrillic).
    path.write_bytes(bad.replace("Ирина;Ткаченко", "Irina;Tkachenko").encode("cp1252"))
    dialog = _opened(h, path)
    _shot(dialog, "list_import_problems_de.png")
    table = dialog.problems
    assert table.isVisible() and table.rowCount() == 2
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(2)]
    assert rows == [
        ["5", "Geburtsdatum", "„31.02.1985“ ist kein Datum (z. B. 03.11.2025)."],
        ["5", "Staatsangehörigkeit", "„Atlantis“ ist keiner der bekannten Werte."],
    ]
    assert not dialog.add_button.isEnabled()
    assert dialog.cancel_button.isDefault()  # Enter does not try to add
    assert "Nicht übernommene Spalten: Bemerkung" in dialog.summary.text()
    h.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert h.page.dialog is None
    assert h.ws.list(Person) == []


def test_a_good_list_is_added_whole_and_read_again_adds_nobody(
    harness: Harness, tmp_path: Path
) -> None:
    h = harness
    path = tmp_path / "liste.csv"
    path.write_bytes(GOOD.encode("utf-8-sig"))
    dialog = _opened(h, path)
    _shot(dialog, "list_import_de.png")
    assert dialog.summary.text().splitlines()[0] == "3 Personen anzulegen, davon 2 mit Erstkontakt."
    assert not dialog.problems.isVisible()
    # The guide sets the length of a first contact the list does not give: read again.
    dialog.minutes.setValue(45)
    dialog.minutes.editingFinished.emit()
    h.qtbot.waitUntil(lambda: dialog.add_button.isEnabled(), timeout=5000)
    assert dialog.add_button.text() == "3 Personen &anlegen"
    assert dialog.add_button.isDefault()
    h.qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert h.page.dialog is None

    people = {p.name: p for p in h.ws.list(Person)}
    assert sorted(people) == ["Amina Haidari", "Yonas Tesfay", "Ирина Ткаченко"]
    assert people["Amina Haidari"].birth_date == date(1991, 5, 3)
    contacts = {(c.person_id, c.contacted_on, c.duration_minutes) for c in h.ws.list(Contact)}
    assert contacts == {
        (people["Amina Haidari"].id, date(2025, 11, 4), 45),
        (people["Ирина Ткаченко"].id, date(2026, 1, 20), 45),
    }
    assert {c.note for c in h.ws.list(Contact)} == {FIRST_CONTACT_NOTE}
    assert h.page.list_view.model.rowCount() == 3

    again = _opened(h, path)
    assert "Schon im Tresor, nicht noch einmal angelegt: Amina Haidari" in again.summary.text()
    assert not again.add_button.isEnabled()
    again.reject()


def test_a_file_that_is_no_list_says_why_in_a_box(harness: Harness, tmp_path: Path) -> None:
    h = harness
    path = tmp_path / "fotos.xlsx"
    path.write_bytes(b"PK\x03\x04 no workbook inside")
    dialog = h.page.import_list(path)
    assert dialog is not None
    h.qtbot.waitUntil(lambda: h.page.failure_box is not None, timeout=5000)
    box = h.page.failure_box
    assert isinstance(box, QMessageBox)
    assert box.text().startswith("fotos.xlsx ist keine CSV- oder Excel-Liste")
    assert h.page.dialog is None
    box.close()


def test_a_lock_closes_the_list_dialog(harness: Harness, tmp_path: Path) -> None:
    h = harness
    path = tmp_path / "liste.csv"
    path.write_bytes(GOOD.encode("utf-8"))
    dialog = _opened(h, path)
    h.session.lock("idle")
    assert not dialog.isVisible() and h.page.dialog is None
