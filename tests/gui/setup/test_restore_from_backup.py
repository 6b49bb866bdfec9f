"""A new laptop: the first-run wizard restores the vault from the backup on the stick."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from kisi_desktop.core.backup import make_backup
from kisi_desktop.core.domain import Municipality, Note, Person
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.forms.access_keys import access_key
from kisi_desktop.ui.restore_dialog import RestoreDialog
from kisi_desktop.ui.setup_wizard import SetupWizard

from tests.support.access_keys import field_labels, keys_in
from tests.support.clipping import clipped
from tests.support.modal import FileDialogAnswers
from tests.support.wizards import wizard_for

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


@pytest.fixture
def stick(tmp_path: Path) -> tuple[Path, str]:
    """A backup of an old laptop's vault on a stick, and that vault's recovery code."""
    ws, code = Workspace.create(tmp_path / "old" / "vault.kisi", PASS, kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    person = ws.add(Person(name="Amina Haidari"))
    ws.add(Note(person_id=person.id, written_on=date(2026, 11, 2), text="Kitaplatz beantragt"))
    made = make_backup(ws, tmp_path / "stick")
    ws.lock()
    return made.path, code


@pytest.fixture
def wizard(qtbot: QtBot, tmp_path: Path) -> Iterator[SetupWizard]:
    with wizard_for(qtbot, tmp_path / "new" / "vault.kisi") as wiz:
        yield wiz


def _open_restore(qtbot: QtBot, wizard: SetupWizard) -> RestoreDialog:
    assert wizard.currentPage() is wizard.welcome_page
    qtbot.mouseClick(wizard.welcome_page.restore_button, Qt.MouseButton.LeftButton)
    dialog = wizard.findChild(RestoreDialog, "restoreDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def _restore(qtbot: QtBot, dialog: RestoreDialog, secret: str) -> None:
    dialog.secret.setFocus()
    for char in secret:  # typed one by one (QTest's key clicks take ASCII only)
        dialog.secret.insert(char)
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)


def test_a_wrong_passphrase_then_the_right_one_restores_and_finishes_set_up(
    qtbot: QtBot,
    wizard: SetupWizard,
    stick: tuple[Path, str],
    tmp_path: Path,
    file_dialogs: FileDialogAnswers,
) -> None:
    backup, _code = stick
    dialog = _open_restore(qtbot, wizard)
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert dialog.error.text() == "Bitte wählen Sie zuerst die Sicherung aus."
    file_dialogs.open(backup)
    qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton)
    assert dialog.file.text() == str(backup)
    _restore(qtbot, dialog, "Falsche Passphrase 1")
    assert dialog.error.text().startswith("Falsche Passphrase – oder die Sicherung ist beschädigt.")
    assert dialog.secret.text() == ""  # typed again, not kept
    assert not (tmp_path / "new" / "vault.kisi").exists()
    _restore(qtbot, dialog, PASS)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.workspace is not None
    assert [p.name for p in wizard.workspace.list(Person)] == ["Amina Haidari"]
    assert wizard.restored is not None and wizard.restored.made.date() == date.today()
    assert not wizard.with_recovery_code
    # The window takes it as app.start does, and says which day the vault is from.
    window = build_main_window(wizard.workspace.path)
    qtbot.addWidget(window)
    window.session.adopt(wizard.workspace)
    window.backups.tell_restored(wizard.restored)
    box = window.backups.message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "Was nach diesem Tag eingegeben oder geändert wurde, fehlt darin" in box.text()
    assert "noch einmal" in box.text()  # erasures after the newest backup: repeat them
    assert "neue Reihe" in box.text()
    box.accept()
    wizard.state.workspace = None
    window.session.shutdown()


def test_the_recovery_code_restores_and_the_window_then_asks_for_a_new_passphrase(
    qtbot: QtBot,
    wizard: SetupWizard,
    stick: tuple[Path, str],
    file_dialogs: FileDialogAnswers,
) -> None:
    backup, code = stick
    dialog = _open_restore(qtbot, wizard)
    file_dialogs.open(backup)
    qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton)
    dialog.recovery.setChecked(True)
    assert dialog.secret_label.text() == "Wiederherstellungs&code:"
    _restore(qtbot, dialog, code)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.with_recovery_code
    assert wizard.workspace is not None
    assert [n.text for n in wizard.workspace.list(Note)] == ["Kitaplatz beantragt"]


def test_cancel_restores_nothing_and_set_up_goes_on(
    qtbot: QtBot, wizard: SetupWizard, tmp_path: Path
) -> None:
    dialog = _open_restore(qtbot, wizard)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert wizard.isVisible() and wizard.workspace is None
    assert not (tmp_path / "new").exists() or not any((tmp_path / "new").iterdir())
    assert QApplication.activeModalWidget() in (None, wizard)


def test_the_dialog_grows_to_show_a_refusal_whole(
    qtbot: QtBot,
    wizard: SetupWizard,
    stick: tuple[Path, str],
    tmp_path: Path,
) -> None:
    """A long refusal under the field (a cut-off copy) must not squeeze the explanation above
    it or the passphrase field: the guide reads both to try again (QA: the intro was cut at
    the top and the field shrank to a line)."""
    backup, _code = stick
    cut = tmp_path / "cut" / backup.name
    cut.parent.mkdir()
    cut.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    dialog = _open_restore(qtbot, wizard)
    dialog.file.setText(str(cut))
    _restore(qtbot, dialog, PASS)
    assert "unvollständig" in dialog.error.text()
    assert clipped(dialog) == []
    assert dialog.secret.height() >= dialog.secret.sizeHint().height()


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_restore_label_has_its_own_access_key_also_for_the_recovery_code(
    qtbot: QtBot, wizard: SetupWizard, language: str
) -> None:
    """QA: "Wiederherstellungscode:" could not be reached with Alt and a letter."""
    set_ui_language(language)
    dialog = _open_restore(qtbot, wizard)
    _tick(qtbot, dialog)  # the recovery code instead
    assert dialog.recovery.isChecked()
    for with_code in (True, False):
        labels = field_labels(dialog)
        assert len(labels) == 2
        for label in labels:
            assert label.buddy() is not None, label.text()
            assert access_key(label.text()), f"{label.text()!r} has no access key"
        keys = keys_in(dialog)
        assert len(keys) == len(set(keys)), keys
        assert access_key(dialog.recovery.text())
        if with_code:  # Alt and the label's letter jumps to the code's field
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            dialog.choose.setFocus()
            key = access_key(dialog.secret_label.text())
            qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
            assert dialog.secret.hasFocus()
        _tick(qtbot, dialog)
    dialog.reject()


def _tick(qtbot: QtBot, dialog: RestoreDialog) -> None:
    box = dialog.recovery
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
