"""First run: the wizard creates the vault, checks the recovery code, saves the municipality."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
    QWizard,
)

from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.domain.signing_key import SigningKey
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.keys import signer

from kisi_desktop.ui.forms.access_keys import access_key
from kisi_desktop.ui.setup_profile_page import WIZARD_BUTTONS
from kisi_desktop.ui.setup_wizard import SetupWizard

from tests.support.modal import answer_next_modal
from tests.support.qt_tasks import HeldRunner
from tests.support.wizards import shown, wizard_for

pytestmark = pytest.mark.gui

GOOD = "Tr0mpete-Gieskanne-77"
CODE_RE = re.compile(r"^([A-Z2-7]{4}-){8}[A-Z2-7]$")


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "vault.kisi"


@pytest.fixture
def wizard(qtbot: QtBot, vault_path: Path) -> Iterator[SetupWizard]:
    with wizard_for(qtbot, vault_path) as wiz:
        yield wiz


def _button(wiz: QWizard, which: QWizard.WizardButton) -> Any:
    return wiz.button(which)


NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton
FINISH = QWizard.WizardButton.FinishButton


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def _to_passphrase(qtbot: QtBot, wiz: SetupWizard) -> None:
    assert wiz.currentPage() is wiz.welcome_page
    assert "verschlüsselt" in wiz.welcome_page.where.text()
    assert "Festplattenverschlüsselung" in wiz.welcome_page.disk.text()
    qtbot.mouseClick(_button(wiz, NEXT), _left())
    assert wiz.currentPage() is wiz.passphrase_page


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def _create(qtbot: QtBot, wiz: SetupWizard, passphrase: str = GOOD) -> str:
    """Walk to the recovery page; return the code shown there."""
    _to_passphrase(qtbot, wiz)
    page = wiz.passphrase_page
    _type(qtbot, page.first, passphrase)
    _type(qtbot, page.second, passphrase)
    qtbot.mouseClick(_button(wiz, COMMIT), _left())
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.recovery_page, timeout=10_000)
    return wiz.recovery_page.code.text()


def _confirm_code(qtbot: QtBot, wiz: SetupWizard, code: str) -> None:
    groups = code.split("-")
    for edit, index in zip(
        wiz.recovery_page.group_edits, wiz.recovery_page.check_groups, strict=True
    ):
        # Case does not matter, nor a digit typed for the letter it looks like (as at
        # the unlock screen): OAOM may be typed "0a0m", IBIG "1b19".
        typed = groups[index].lower().translate(str.maketrans("oibg", "0189"))
        _type(qtbot, edit, typed)
    qtbot.mouseClick(_button(wiz, NEXT), _left())
    assert wiz.currentPage() is wiz.municipality_page


def test_weak_or_mismatched_passphrase_keeps_create_disabled(
    qtbot: QtBot, wizard: SetupWizard
) -> None:
    _to_passphrase(qtbot, wizard)
    page = wizard.passphrase_page
    create = _button(wizard, COMMIT)
    assert create.text() == "Tresor &anlegen"

    _type(qtbot, page.first, "kurz")
    assert not create.isEnabled()
    assert page.level_label.text() == "Stärke: Zu kurz"
    assert "Mindestens 10 Zeichen (noch 6)." in page.hints.text()

    _type(qtbot, page.first, "passwort123")
    _type(qtbot, page.second, "passwort123")
    assert not create.isEnabled()
    assert page.level_label.text() == "Stärke: Sehr schwach"
    assert "„passwort“" in page.hints.text()
    assert page.meter.value() == 1

    _type(qtbot, page.first, GOOD)
    _type(qtbot, page.second, GOOD + "!")
    assert not create.isEnabled()
    assert page.mismatch.isVisible()
    assert page.mismatch.text() == "Die beiden Eingaben stimmen nicht überein."

    _type(qtbot, page.second, GOOD)
    assert create.isEnabled()
    assert not page.mismatch.isVisible()
    assert page.level_label.text() == "Stärke: Stark"
    assert page.first.echoMode() == QLineEdit.EchoMode.Password
    page.show_box.click()
    assert page.first.echoMode() == QLineEdit.EchoMode.Normal


def test_the_code_is_typed_back_from_group_to_group_and_a_pasted_code_fills_both(
    qtbot: QtBot, wizard: SetupWizard, tmp_path: Path
) -> None:
    """The 4th character moves on, Backspace in an empty group goes back, and a whole
    code pasted into the first group fills both (QA pass: the focus stayed put)."""
    code = _create(qtbot, wizard)
    page = wizard.recovery_page
    groups = code.split("-")
    want = [groups[i] for i in page.check_groups]
    first, second = page.group_edits
    wizard.activateWindow()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)

    def typed(text: str) -> None:
        qtbot.keyClicks(QApplication.focusWidget(), text)

    typed(want[0].lower())
    assert second.hasFocus() and first.text() == want[0].lower()
    typed(want[1][:2])
    assert second.text() == want[1][:2]
    out = Path(os.environ.get("KISI_SHOT_DIR") or tmp_path)
    assert wizard.grab().save(str(out / "recovery_check_typing.png"))
    for _ in range(3):  # two letters out, then back into the first group
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace)
    assert second.text() == "" and first.hasFocus() and first.text() == want[0].lower()
    qtbot.keyClick(first, Qt.Key.Key_Backspace)  # corrects the first group's last letter
    assert first.text() == want[0].lower()[:3]
    assert not _button(wizard, NEXT).isEnabled()

    first.setText("")
    QApplication.clipboard().setText(code)
    qtbot.keyClick(first, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QApplication.clipboard().clear()
    assert (first.text(), second.text()) == tuple(want)
    assert second.hasFocus() and _button(wizard, NEXT).isEnabled()


def test_whole_walk_through_gives_an_open_workspace_with_the_municipality(
    qtbot: QtBot, wizard: SetupWizard, vault_path: Path
) -> None:
    code = _create(qtbot, wizard)
    assert CODE_RE.match(code)
    assert vault_path.is_file()
    # The passphrase does not stay on screen once the vault exists, and there is no way back.
    assert wizard.passphrase_page.first.text() == ""
    assert (
        not _button(wizard, QWizard.WizardButton.BackButton).isVisible()
        or not _button(wizard, QWizard.WizardButton.BackButton).isEnabled()
    )

    page = wizard.recovery_page
    first, second = page.check_groups
    assert page.group_labels[0].text() == f"Gruppe &{first + 1}:"  # Alt+digit: its field
    assert page.group_labels[1].text() == f"Gruppe &{second + 1}:"
    groups = code.split("-")
    _type(qtbot, page.group_edits[0], groups[first])
    wrong = "AAAA" if groups[second] != "AAAA" else "BBBB"
    _type(qtbot, page.group_edits[1], wrong)
    assert not _button(wizard, NEXT).isEnabled()
    assert page.mismatch.isVisible()
    qtbot.mouseClick(_button(wizard, NEXT), _left())
    assert wizard.currentPage() is page
    _confirm_code(qtbot, wizard, code)

    form = wizard.municipality_page.form
    assert form is not None
    # Each label jumps to its field with Alt and a letter of its own, none a button's.
    buttons = [wizard.button(b).text() for b in WIZARD_BUTTONS]
    keys = [access_key(text) for text in [*buttons, *(w.text() for w in form.labels.values())]]
    assert all(keys[len(buttons) :]) and len(set(filter(None, keys))) == len(
        list(filter(None, keys))
    )
    _type(qtbot, form.editors["ags"].widget, "0653401")  # type: ignore[arg-type]
    _type(qtbot, form.editors["name"].widget, "Kirchhain")  # type: ignore[arg-type]
    qtbot.mouseClick(_button(wizard, NEXT), _left())
    assert wizard.currentPage() is wizard.municipality_page
    assert form.error_text("ags") == "Der Gemeindeschlüssel (AGS) hat 8 Ziffern, z. B. 06534011."
    assert form.errors["ags"].isVisible()

    _type(qtbot, form.editors["ags"].widget, "06534011")  # type: ignore[arg-type]
    _type(qtbot, form.editors["email"].widget, "kein-at-zeichen")  # type: ignore[arg-type]
    qtbot.mouseClick(_button(wizard, NEXT), _left())
    assert wizard.currentPage() is wizard.municipality_page
    assert form.error_text("email")
    _type(qtbot, form.editors["email"].widget, "integration@kirchhain.de")  # type: ignore[arg-type]
    qtbot.mouseClick(_button(wizard, NEXT), _left())
    assert wizard.currentPage() is wizard.done_page

    # Back and forth edits the same profile instead of adding a second one.
    wizard.back()
    _type(qtbot, form.editors["district"].widget, "Marburg-Biedenkopf")  # type: ignore[arg-type]
    qtbot.mouseClick(_button(wizard, NEXT), _left())
    qtbot.mouseClick(_button(wizard, FINISH), _left())
    assert wizard.result() == QDialog.DialogCode.Accepted

    workspace = wizard.workspace
    assert workspace is not None and not workspace.locked
    (profile,) = workspace.list(Municipality)
    assert (profile.ags, profile.name, profile.district) == (
        "06534011",
        "Kirchhain",
        "Marburg-Biedenkopf",
    )
    assert profile.email == "integration@kirchhain.de"
    assert wizard.recovery_page.code.text() == ""  # off the screen after Finish
    workspace.lock()

    for secret in ({"passphrase": GOOD}, {"recovery_code": code}):
        reopened = Workspace.open(vault_path, **secret)  # type: ignore[arg-type]
        try:
            assert [m.name for m in reopened.list(Municipality)] == ["Kirchhain"]
        finally:
            reopened.lock()


def test_the_end_of_set_up_creates_the_signing_key_and_says_where_it_is(
    qtbot: QtBot, wizard: SetupWizard, vault_path: Path
) -> None:
    code = _create(qtbot, wizard)
    _confirm_code(qtbot, wizard, code)
    workspace = wizard.workspace
    assert workspace is not None and workspace.list(SigningKey) == []
    form = wizard.municipality_page.form
    assert form is not None
    _type(qtbot, form.editors["ags"].widget, "06534011")  # type: ignore[arg-type]
    _type(qtbot, form.editors["name"].widget, "Kirchhain")  # type: ignore[arg-type]
    qtbot.mouseClick(_button(wizard, NEXT), _left())
    assert wizard.currentPage() is wizard.done_page
    (key,) = workspace.list(SigningKey)
    assert wizard.done_page.key_note.isVisible()
    set_ui_language("en")
    wizard.retranslate_ui()
    assert "Sync page" in wizard.done_page.key_note.text()
    # Back and forth keeps the one key: it is what the ministry registers.
    wizard.back()
    qtbot.mouseClick(_button(wizard, NEXT), _left())
    qtbot.mouseClick(_button(wizard, FINISH), _left())
    assert workspace.list(SigningKey) == [key]
    public = signer(workspace).public
    workspace.lock()
    reopened = Workspace.open(vault_path, passphrase=GOOD)
    try:
        assert signer(reopened).public == public  # sealed in the vault, not made anew
    finally:
        reopened.lock()


def test_cancel_before_the_vault_exists_leaves_nothing(
    qtbot: QtBot, wizard: SetupWizard, vault_path: Path
) -> None:
    _to_passphrase(qtbot, wizard)
    wizard.reject()
    assert wizard.result() == QDialog.DialogCode.Rejected
    assert wizard.workspace is None
    assert not vault_path.exists()


def test_cancel_after_creating_asks_then_locks_and_keeps_the_vault(
    qtbot: QtBot, wizard: SetupWizard, vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _create(qtbot, wizard)
    answers = iter([False, True])
    asked: list[bool] = []

    def confirm() -> bool:
        asked.append(True)
        return next(answers)

    monkeypatch.setattr(wizard, "confirm_cancel", confirm)
    workspace = wizard.workspace
    assert workspace is not None
    wizard.reject()  # "No": stays
    assert wizard.isVisible() and wizard.workspace is workspace
    wizard.reject()  # "Yes"
    assert len(asked) == 2
    assert not wizard.isVisible()
    assert wizard.workspace is None
    assert workspace.locked
    assert vault_path.is_file()
    reopened = Workspace.open(vault_path, recovery_code=code)
    reopened.lock()


def test_esc_on_the_profile_page_asks_and_on_the_last_page_finishes(
    qtbot: QtBot, wizard: SetupWizard, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _create(qtbot, wizard)
    _confirm_code(qtbot, wizard, code)
    asked: list[bool] = []
    monkeypatch.setattr(wizard, "confirm_without_profile", lambda: asked.append(True) or False)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # "No": the profile page stays
    assert asked == [True]
    assert wizard.isVisible() and wizard.currentPage() is wizard.municipality_page
    assert _button(wizard, QWizard.WizardButton.CancelButton).isVisible()
    form = wizard.municipality_page.form
    assert form is not None
    _type(qtbot, form.editors["ags"].widget, "06534011")  # type: ignore[arg-type]
    _type(qtbot, form.editors["name"].widget, "Kirchhain")  # type: ignore[arg-type]
    qtbot.mouseClick(_button(wizard, NEXT), _left())
    assert wizard.currentPage() is wizard.done_page
    # Nothing left to cancel: no Cancel button, and Esc finishes with the vault open.
    assert not _button(wizard, QWizard.WizardButton.CancelButton).isVisible()
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert asked == [True]
    workspace = wizard.workspace
    assert workspace is not None and not workspace.locked
    assert [m.name for m in workspace.list(Municipality)] == ["Kirchhain"]


def test_cancel_is_refused_while_the_vault_is_written(qtbot: QtBot, vault_path: Path) -> None:
    runner = HeldRunner()
    wiz = shown(qtbot, SetupWizard(vault_path, runner, kdf=TEST_PARAMS))  # type: ignore[arg-type]
    _to_passphrase(qtbot, wiz)
    _type(qtbot, wiz.passphrase_page.first, GOOD)
    _type(qtbot, wiz.passphrase_page.second, GOOD)
    qtbot.mouseClick(_button(wiz, COMMIT), _left())
    assert wiz.currentPage() is wiz.create_page
    assert wiz.create_page.busy.isVisible()
    assert not _button(wiz, COMMIT).isEnabled()
    assert not _button(wiz, QWizard.WizardButton.CancelButton).isEnabled()
    wiz.reject()  # Escape or the window's close button
    assert wiz.isVisible()
    runner.release()
    assert _button(wiz, QWizard.WizardButton.CancelButton).isEnabled()
    assert wiz.currentPage() is wiz.recovery_page
    assert wiz.workspace is not None


def test_a_failure_while_creating_is_shown_with_try_again(qtbot: QtBot, vault_path: Path) -> None:
    runner = HeldRunner()
    wiz = shown(qtbot, SetupWizard(vault_path, runner, kdf=TEST_PARAMS))  # type: ignore[arg-type]
    _to_passphrase(qtbot, wiz)
    _type(qtbot, wiz.passphrase_page.first, GOOD)
    _type(qtbot, wiz.passphrase_page.second, GOOD)
    qtbot.mouseClick(_button(wiz, COMMIT), _left())
    vault_path.parent.mkdir(parents=True)
    vault_path.write_bytes(b"someone else's file")  # appears while keys derive
    runner.release()
    page = wiz.create_page
    assert wiz.currentPage() is page
    assert page.error.isVisible()
    assert page.error.text().startswith("Der Tresor konnte nicht angelegt werden:")
    assert page.retry.isVisible()
    vault_path.unlink()
    qtbot.mouseClick(page.retry, _left())
    runner.release()
    assert wiz.currentPage() is wiz.recovery_page
    assert wiz.workspace is not None


def _pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_print_and_save_as_pdf_put_the_code_on_paper(
    qtbot: QtBot, wizard: SetupWizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _create(qtbot, wizard)
    printed = tmp_path / "printed.pdf"

    def choose_printer(printer: QPrinter) -> bool:
        # Stands in for the print dialog: the "printer" writes a PDF.
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(wizard, "ask_printer", choose_printer)
    qtbot.mouseClick(wizard.recovery_page.print_button, _left())
    saved = tmp_path / "saved.pdf"
    monkeypatch.setattr(wizard, "ask_pdf_path", lambda: saved)
    qtbot.mouseClick(wizard.recovery_page.pdf_button, _left())
    for pdf in (printed, saved):
        text = _pdf_text(pdf)
        assert code in text
        assert "Wiederherstellungscode" in text
        assert "vault.kisi" in text


def test_the_cancel_question_defaults_to_no_and_yes_ends_set_up(
    qtbot: QtBot, wizard: SetupWizard
) -> None:
    """The real question box: Enter (its default button) keeps the wizard open."""
    _create(qtbot, wizard)
    del wizard.confirm_cancel  # the real question again (the fixture answers it for teardown)

    asked = []

    def press_enter(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    seen = answer_next_modal(press_enter)
    assert wizard.confirm_cancel() is False
    assert len(seen) == 1
    [text] = asked
    assert "nicht geprüft" in text
    # QA: it said nothing of the vault staying nor of where a new code is made.
    assert "Der Tresor wurde angelegt und bleibt." in text
    assert "Datei > Neuer Wiederherstellungscode…" in text
    seen = answer_next_modal(
        lambda box: box.button(QMessageBox.StandardButton.Yes).click()  # type: ignore[attr-defined]
    )
    assert wizard.confirm_cancel() is True
    assert len(seen) == 1
    wizard.confirm_cancel = lambda: True  # type: ignore[method-assign]


def test_the_recovery_pdf_gets_its_suffix_when_the_name_is_typed_without(
    qtbot: QtBot, wizard: SetupWizard, tmp_path: Path
) -> None:
    _create(qtbot, wizard)

    def type_a_name(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.setDirectory(str(tmp_path))
        dialog.selectFile("Notfallcode Kirchhain")
        dialog.accept()

    seen = answer_next_modal(type_a_name)
    assert wizard.ask_pdf_path() == tmp_path / "Notfallcode Kirchhain.pdf"
    assert len(seen) == 1
    answer_next_modal(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    assert wizard.ask_pdf_path() is None
