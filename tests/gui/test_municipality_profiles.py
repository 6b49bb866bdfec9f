"""Several municipality profiles in the window: open the one to correct, remove a mistaken
one, and the vault keeps a profile that records name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from kisi_desktop.core.domain import Case, Draft, Municipality, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.municipality_profiles_dialog import MunicipalityProfilesDialog

from tests.support.windows import unlocked_window

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"
AGS = "06534011"
MISTYPED = "06534110"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """Kirchhain, named by a case, and the same town under a mistyped key, named by none
    (as ``kisi municipality set`` with a wrong key leaves it)."""
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.add(Municipality(ags=AGS, name="Kirchhain"))
    ws.add(Municipality(ags=MISTYPED, name="Kirchhain (Tippfehler)"))
    amina = ws.add(Person(name="Amina Haidari"))
    ws.add(Case(person_id=amina.id, opened_on=date(2026, 3, 2), municipality_ags=AGS))
    ws.lock()
    return path


def _chooser(qtbot: QtBot, window: MainWindow) -> MunicipalityProfilesDialog:
    window.profile_action.trigger()  # as from the File menu
    chooser = window.findChild(MunicipalityProfilesDialog)
    assert chooser is not None
    qtbot.waitUntil(chooser.isVisible, timeout=2000)
    return chooser


def _rows(chooser: MunicipalityProfilesDialog) -> list[str]:
    return [chooser.list.item(i).text() for i in range(chooser.list.count())]


def _select(chooser: MunicipalityProfilesDialog, text: str) -> None:
    chooser.list.setCurrentRow(_rows(chooser).index(text))


def _typing_in_the_mistyped_profile(
    qtbot: QtBot, vault: Path
) -> tuple[MainWindow, MunicipalityProfilesDialog, RecordDialog]:
    """The window unlocked, the mistyped profile opened from the list with Enter, and
    office hours typed into its form."""
    window = unlocked_window(qtbot, vault, PASS)
    chooser = _chooser(qtbot, window)
    _select(chooser, "Kirchhain (Tippfehler) (06534110)")
    chooser.list.setFocus()
    qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    form = next(d for d in window.findChildren(RecordDialog) if d.isVisible())
    assert form.form.editors["ags"].get() == MISTYPED
    qtbot.keyClicks(form.form.editors["office_hours"].widget, "Mo 9-12 Uhr")
    return window, chooser, form


def _answer(qtbot: QtBot, chooser: MunicipalityProfilesDialog, button: str) -> None:
    qtbot.waitUntil(lambda: chooser.question is not None, timeout=2000)
    box = chooser.question
    assert box is not None
    qtbot.mouseClick(box.findChild(QPushButton, button), Qt.MouseButton.LeftButton)


def test_a_mistaken_profile_is_removed_and_the_one_records_name_stays(
    qtbot: QtBot, vault: Path
) -> None:
    window = unlocked_window(qtbot, vault, PASS)
    assert window.windowTitle() == "KISI Desktop – Kirchhain / Kirchhain (Tippfehler)"
    chooser = _chooser(qtbot, window)
    assert _rows(chooser) == ["Kirchhain (06534011)", "Kirchhain (Tippfehler) (06534110)"]
    # The right one, with the Delete key: asked, then refused with the reason.
    _select(chooser, "Kirchhain (06534011)")
    chooser.activateWindow()
    qtbot.waitUntil(chooser.isActiveWindow, timeout=2000)
    chooser.list.setFocus()
    qtbot.keyClick(chooser.list, Qt.Key.Key_Delete)
    _answer(qtbot, chooser, "confirmYes")
    refusal = chooser.findChild(QMessageBox, "refusalBox")
    assert refusal is not None and refusal.isVisible()
    assert "Fälle: 1" in refusal.text() and "Kirchhain (06534011)" in refusal.text()
    refusal.close()
    # The mistyped one, with the button; Keep first leaves it.
    _select(chooser, "Kirchhain (Tippfehler) (06534110)")
    qtbot.mouseClick(chooser.remove_button, Qt.MouseButton.LeftButton)
    _answer(qtbot, chooser, "confirmNo")
    assert len(_rows(chooser)) == 2
    qtbot.mouseClick(chooser.remove_button, Qt.MouseButton.LeftButton)
    _answer(qtbot, chooser, "confirmYes")
    assert _rows(chooser) == ["Kirchhain (06534011)"]
    # The last profile is corrected, not removed.
    assert not chooser.remove_button.isEnabled()
    workspace = window.session.workspace
    assert workspace is not None
    assert [m.ags for m in workspace.list(Municipality)] == [AGS]
    assert window.windowTitle() == "KISI Desktop – Kirchhain"


def test_enter_opens_the_chosen_profile_and_a_lock_brings_back_that_one(
    qtbot: QtBot, vault: Path
) -> None:
    window, chooser, form = _typing_in_the_mistyped_profile(qtbot, vault)
    window.session.lock("idle")
    # Closed with the lock: the list, and the form as a sealed draft.
    qtbot.waitUntil(lambda: not chooser.isVisible() and not form.isVisible(), timeout=2000)
    window.unlock_view.secret_edit.setText(PASS)
    qtbot.mouseClick(window.unlock_view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in window.findChildren(RecordDialog)), timeout=10_000
    )
    again = next(d for d in window.findChildren(RecordDialog) if d.isVisible())
    # The profile the draft was typed for, not the first one.
    assert again.form.editors["ags"].get() == MISTYPED
    assert again.form.editors["office_hours"].get() == "Mo 9-12 Uhr"
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    workspace = window.session.workspace
    assert workspace is not None
    hours = {m.ags: m.office_hours for m in workspace.list(Municipality)}
    assert hours == {AGS: "", MISTYPED: "Mo 9-12 Uhr"}
    assert workspace.list(Draft) == []


def test_a_form_kept_for_a_profile_removed_meanwhile_does_not_bring_it_back(
    qtbot: QtBot, vault: Path
) -> None:
    window, _list, form = _typing_in_the_mistyped_profile(qtbot, vault)
    window.session.lock("idle")  # the form is kept as a sealed draft
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=2000)
    assert window.session.wait_closed(10)
    # Removed on the command line meanwhile (kisi municipality remove).
    ws = Workspace.open(vault, passphrase=PASS)
    mistyped = next(m for m in ws.list(Municipality) if m.ags == MISTYPED)
    ws.delete(Municipality.KIND, mistyped.id)
    ws.lock()
    window.unlock_view.secret_edit.setText(PASS)
    qtbot.mouseClick(window.unlock_view.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "entfernt" in window.statusBar().currentMessage(), timeout=10_000)
    assert not any(d.isVisible() for d in window.findChildren(RecordDialog))
    workspace = window.session.workspace
    assert workspace is not None
    assert [m.ags for m in workspace.list(Municipality)] == [AGS]
    assert workspace.list(Draft) == []


def test_with_no_profile_selected_delete_and_open_do_nothing(qtbot: QtBot, vault: Path) -> None:
    window = unlocked_window(qtbot, vault, PASS)
    chooser = _chooser(qtbot, window)
    _select(chooser, "Kirchhain (Tippfehler) (06534110)")
    chooser.list.clearSelection()  # (as Ctrl+click on the selected row leaves it)
    opened: list[object] = []
    chooser.edit.connect(opened.append)
    chooser.ask_remove()
    qtbot.mouseClick(chooser.edit_button, Qt.MouseButton.LeftButton)
    assert chooser.question is None and opened == []
    assert len(_rows(chooser)) == 2
