"""A guide's spreadsheet list of people, brought in from the People page: checked, shown,
added whole or not at all (ui/pages/people/list_import.py, people_list_dialog.py)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.errors import VaultWriteFailed
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.people_list import FIRST_CONTACT_NOTE

from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.pages.people.people_list_dialog import PeopleListDialog

from tests.gui.people.conftest import Harness, add_person
from tests.support.clipping import clipped
from tests.support.full_disk import fill_the_disk, make_room
from tests.support.modal import FileDialogAnswers, type_file_name

pytestmark = pytest.mark.gui

HEADING = "Vorname;Nachname;Geburtsdatum;Staatsangehörigkeit;Erstkontakt\r\n"
# As German Excel saves "CSV (Trennzeichen-getrennt)": semicolons, Windows-1252.
GOOD = (
    HEADING
    + "Amina;Haidari;03.05.1991;Afghanistan;04.11.2025\r\n"
    + "Yonas;Tesfay;01.02.1990;Eritrea;12.01.2026\r\n"
    + "Ilya;Petrenko;1988-02-29;Ukraine;\r\n"
    + "Zahra;Hosseini;17.09.1993;Iran;05.11.2025\r\n"
).encode("cp1252")
BAD = (
    HEADING
    + "Amina;Haidari;03.05.1991;Afghanistan;04.11.2025\r\n"
    + "Yonas;Tesfay;31.02.1990;Eritrea;12.01.2026\r\n"
    + "Jürgen;Weiß;01.01.1980;Äthiopien;02.12.2025\r\n"
).encode("cp1252")


def _list(tmp_path: Path, data: bytes, name: str = "Teilnehmende 2025.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _opened(h: Harness, path: Path | None = None) -> PeopleListDialog:
    """Import ``path`` from the page and wait for the dialog with what it holds."""
    if path is not None:
        h.page.import_list(path)
    h.qtbot.waitUntil(lambda: h.page.list_import.dialog is not None, timeout=10_000)
    dialog = h.page.list_import.dialog
    assert dialog is not None and dialog.isVisible()
    assert h.page.dialog is dialog  # the page's one open dialog: closed at a lock
    return dialog


def _shot(h: Harness, dialog: QWidget, tmp_path: Path, name: str) -> None:
    """The dialog as the guide sees it, for a look by eye, and nothing cut off in it."""
    h.qtbot.wait(50)  # pending layout requests, as a real event loop would settle them
    folder = Path(os.environ.get("KISI_SHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(folder / f"{name}.png"))
    assert clipped(dialog) == []


def _table(view_model: object) -> list[list[str]]:
    model = view_model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]  # type: ignore[attr-defined]
        for r in range(model.rowCount())  # type: ignore[attr-defined]
    ]


def _names(h: Harness) -> list[str]:
    model = h.page.list_view.model
    return sorted(model.person_row(r).name for r in range(model.rowCount()))


def test_the_page_offers_the_import_beside_new_person_and_in_the_edit_menu(
    harness: Harness, tmp_path: Path, file_dialogs: FileDialogAnswers
) -> None:
    h = harness
    view = h.page.list_view
    assert view.import_button.text() == "Aus Liste &importieren…"
    assert view.import_button.accessibleName() == "Personen aus einer Liste importieren"
    assert view.import_action in h.page.menu_actions()
    # Its underlined letter is its own among the list's controls.
    bar = (view.filter_label, view.status_label, view.eligible_box, view.due_box)
    texts = [w.text() for w in bar] + [view.new_button.text(), view.import_button.text()]
    letters = [text[text.index("&") + 1].casefold() for text in texts]
    assert len(set(letters)) == len(letters), texts
    assert view.empty_hint.text() == (
        "Noch nichts erfasst: „Neue Person (Ctrl+N)“ legt den ersten Eintrag an, "
        "„Aus Liste importieren…“ eine ganze Liste."
    )
    path = _list(tmp_path, GOOD)
    asked: list[tuple[str, list[str]]] = []

    def choose(dialog: QFileDialog) -> None:  # Qt's own file dialog, as the app uses it
        asked.append((dialog.windowTitle(), dialog.nameFilters()))
        dialog.setDirectory(str(path.parent))
        type_file_name(dialog, path.name)
        dialog.accept()

    file_dialogs.answer_with(choose)
    h.qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    dialog = _opened(h)
    assert asked == [("Aus Liste importieren", ["CSV- oder Excel-Listen (*.csv *.xlsx)"])]
    assert dialog.file_label.text() == "Liste: Teilnehmende 2025.csv"
    dialog.reject()


def test_a_list_with_a_bad_row_names_the_row_and_heading_and_adds_nobody(
    harness: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    register_fonts()
    h = harness
    dialog = _opened(h, _list(tmp_path, BAD))
    assert _table(dialog.problem_model) == [
        ["3", "Geburtsdatum", "„31.02.1990“ ist kein Datum (z. B. 03.11.2025)."]
    ]
    assert dialog.problems_box.isVisible() and dialog.problems_box.title() == "1 Problem"
    assert not dialog.there_box.isVisible() and not dialog.add_box.isVisible()
    assert dialog.focusWidget() is dialog.problem_table
    assert dialog.summary.text().splitlines()[0] == "2 Personen anzulegen, davon 2 mit Erstkontakt."
    assert not dialog.add_button.isEnabled()
    assert dialog.add_button.text() == "2 Personen &anlegen"
    # Enter must not mean "go on" with a list that cannot be added: Cancel is the default.
    assert dialog.cancel_button.isDefault() and not dialog.add_button.isDefault()
    _shot(h, dialog, tmp_path, "list_dialog_problems_de")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert h.page.dialog is None and h.page.list_import.dialog is None
    assert h.ws.count(Person) == 0 and h.ws.count(Contact) == 0


def test_a_good_list_is_added_whole_and_read_again_everyone_is_there(
    harness: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    register_fonts()
    h = harness
    path = _list(tmp_path, GOOD)
    dialog = _opened(h, path)
    assert dialog.summary.text().splitlines() == [
        "4 Personen anzulegen, davon 3 mit Erstkontakt.",
        "Gelesene Spalten: Vorname, Nachname, Geburtsdatum, Staatsangehörigkeit, Erstkontakt",
    ]
    assert not dialog.problems_box.isVisible() and not dialog.there_box.isVisible()
    # Whom it adds, as the app read them: the guide sees a date or a country misread.
    assert _table(dialog.add_model) == [
        ["2", "Amina Haidari", "03.05.1991", "Afghanistan", "04.11.2025"],
        ["3", "Yonas Tesfay", "01.02.1990", "Eritrea", "12.01.2026"],
        ["4", "Ilya Petrenko", "29.02.1988", "Ukraine", ""],
        ["5", "Zahra Hosseini", "17.09.1993", "Iran", "05.11.2025"],
    ]
    assert dialog.add_table.hasFocus() or dialog.focusWidget() is dialog.add_table
    assert dialog.add_button.isEnabled() and dialog.add_button.isDefault()
    # No duration column: the guide says how long each first contact was.
    assert dialog.minutes_row.isVisible() and dialog.minutes.value() == 30
    dialog.minutes.setFocus()
    dialog.minutes.selectAll()
    qtbot.keyClicks(dialog.minutes, "45")
    qtbot.keyClick(dialog.minutes, Qt.Key.Key_Return)  # read again with that length
    assert dialog.isVisible() and h.ws.count(Person) == 0  # (Enter went no further)
    assert not dialog.add_button.isEnabled()
    qtbot.waitUntil(dialog.add_button.isEnabled, timeout=10_000)
    listed = dialog.listed
    assert listed is not None
    assert {p.first_contact.duration_minutes for p in listed.people if p.first_contact} == {45}
    _shot(h, dialog, tmp_path, "list_dialog_de")

    with qtbot.waitSignal(h.page.status, timeout=10_000) as said:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert said.args == [
        "4 Personen angelegt. Die Liste selbst ist nicht verschlüsselt: Löschen Sie sie "
        "jetzt und leeren Sie den Papierkorb."
    ]
    assert h.page.dialog is None and not dialog.isVisible()
    assert QApplication.overrideCursor() is None
    h.wait_for_list()
    assert _names(h) == ["Amina Haidari", "Ilya Petrenko", "Yonas Tesfay", "Zahra Hosseini"]
    people = {p.name: p for p in h.ws.list(Person)}
    assert people["Ilya Petrenko"].birth_date == date(1988, 2, 29)
    assert people["Yonas Tesfay"].nationalities == ("ER",)
    contacts = sorted(
        (c.contacted_on, c.person_id, c.duration_minutes, c.note) for c in h.ws.list(Contact)
    )
    assert contacts == [
        (date(2025, 11, 4), people["Amina Haidari"].id, 45, FIRST_CONTACT_NOTE),
        (date(2025, 11, 5), people["Zahra Hosseini"].id, 45, FIRST_CONTACT_NOTE),
        (date(2026, 1, 12), people["Yonas Tesfay"].id, 45, FIRST_CONTACT_NOTE),
    ]

    # The same list again: everyone is there, nobody can be added twice.
    again = _opened(h, path)
    assert _table(again.there_model) == [
        ["2", "Amina Haidari"],
        ["3", "Yonas Tesfay"],
        ["4", "Ilya Petrenko"],
        ["5", "Zahra Hosseini"],
    ]
    assert again.there_box.title() == "4 Personen schon im Tresor"
    assert not again.add_button.isEnabled() and again.cancel_button.isDefault()
    assert again.state.text() == "Alle Personen der Liste sind schon im Tresor."
    again.reject()
    assert h.ws.count(Person) == 4


def test_a_full_disk_keeps_the_dialog_open_says_why_and_adds_nobody(
    harness: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    h = harness
    dialog = _opened(h, _list(tmp_path, GOOD))
    fill_the_disk(h.ws.vault.conn)
    with pytest.raises(VaultWriteFailed):  # until the last page has no room for one more
        for i in range(100_000):
            add_person(h.ws, f"Filler {i:05d}")
    before = h.ws.count(Person), h.ws.count(Contact)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: h.page.list_import.box is not None, timeout=10_000)
    box = h.page.list_import.box
    assert box is not None and box.windowTitle() == "Nicht angelegt"
    assert box.text().startswith("Das hat nicht geklappt: Die Festplatte ist voll")
    assert (h.ws.count(Person), h.ws.count(Contact)) == before  # all or nothing
    assert dialog.isVisible() and dialog.add_button.isEnabled()  # to try again
    assert QApplication.overrideCursor() is None
    box.close()
    make_room(h.ws.vault.conn)
    with qtbot.waitSignal(h.page.status, timeout=10_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert h.ws.count(Person) == before[0] + 4


def test_a_file_that_is_no_list_says_why_in_a_box(harness: Harness, tmp_path: Path) -> None:
    h = harness
    h.page.import_list(_list(tmp_path, b"Datum;Betrag\n01.02.2026;12,50\n", "Kasse.csv"))
    h.qtbot.waitUntil(lambda: h.page.list_import.box is not None, timeout=10_000)
    box = h.page.list_import.box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == "Liste nicht gelesen"
    assert "Keine Spalte nennt die Personen" in box.text()
    assert h.page.list_import.dialog is None and h.page.dialog is None
    box.close()


def test_a_lock_closes_the_dialog_and_adds_nothing(
    harness: Harness, qtbot: QtBot, tmp_path: Path
) -> None:
    h = harness
    dialog = _opened(h, _list(tmp_path, GOOD))
    h.session.lock("idle")
    assert not dialog.isVisible()
    assert h.page.dialog is None and h.page.list_import.dialog is None
    h.unlock()
    assert h.ws.count(Person) == 0


@pytest.mark.parametrize("data", [BAD, GOOD], ids=["problems", "good"])
def test_the_dialog_is_whole_in_english_too(harness: Harness, tmp_path: Path, data: bytes) -> None:
    register_fonts()
    set_ui_language("en")  # (the test's fixture puts German back)
    dialog = _opened(harness, _list(tmp_path, data))
    assert dialog.windowTitle() == "Import from a list"
    name = "problems_" if data is BAD else ""
    _shot(harness, dialog, tmp_path, f"list_dialog_{name}en")
    dialog.reject()


def test_a_list_of_nobody_can_only_be_cancelled(harness: Harness, tmp_path: Path) -> None:
    dialog = _opened(harness, _list(tmp_path, (HEADING + ";;;;\r\n").encode("cp1252")))
    assert dialog.state.text() == "Die Liste nennt niemanden, der anzulegen wäre."
    assert not dialog.add_button.isEnabled() and dialog.cancel_button.isDefault()
    dialog.reject()
