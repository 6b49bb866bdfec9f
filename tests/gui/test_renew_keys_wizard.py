"""Renewing every key from the File menu: the passphrase checked on the worker (a wrong one
changes nothing), the records sealed again with a progress bar, the new code shown once and
typed back; afterwards the old secrets open nothing, and a lock asked for meanwhile waits.

The screenshots of every page land in ``$KISI_SHOT_DIR`` when set (else the test's tmp
folder), for a person to look at; the test checks that nothing is cut off at 1366x768.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget, QWizard

from kisi_desktop.core.domain import Draft, Note, Person
from kisi_desktop.core.errors import WrongSecret
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.settings import mark_renewal, pending_renewal
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.qt_i18n import install_qt_translator
from kisi_desktop.ui.renew_keys_wizard import RenewKeysWizard

from tests.support.clipping import clipped
from tests.support.qt_tasks import flush_deletions
from tests.support.vaults import raw, vault_with_notes

pytestmark = pytest.mark.gui
PASSPHRASE = "Lindenblüte 2026"
NEW_PASSPHRASE = "Kranichflug über Kirchhain 77"
PEOPLE = 12
SCREEN = (1366, 768)


@pytest.fixture(autouse=True)
def _own_settings(config_dir: Path) -> Path:
    """The renewal notes itself in the settings file: each test has its own."""
    return config_dir


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    window = _unlocked_window(qtbot, tmp_path)
    yield window
    window.session.lock()
    window.session.wait_closed()
    flush_deletions()


def _unlocked_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "vault.kisi"
    ws, code = Workspace.create(path, PASSPHRASE, kdf=TEST_PARAMS)
    for i in range(PEOPLE):
        person = ws.add(Person(name=f"Person Nummer {i}"))
        ws.add(Note(person_id=person.id, written_on=date(2026, 3, 2), text=f"Notiz {i}"))
    ws.add(Note(written_on=date(2026, 3, 3), text="Teamsitzung ohne Personenbezug"))
    ws.lock()
    window = build_main_window(path)
    window.old_code = code  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    _unlock(qtbot, window, PASSPHRASE)
    return window


def _unlock(qtbot: QtBot, window: MainWindow, passphrase: str) -> None:
    window.session.unlock(passphrase=passphrase)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)


def _lock(qtbot: QtBot, window: MainWindow) -> None:
    window.session.lock()
    qtbot.waitUntil(lambda: window.session.workspace is None, timeout=10_000)
    assert window.session.wait_closed(10)


def _opens(path: Path, **secret: str) -> bool:
    try:
        Vault.open(path, **secret).close()
    except WrongSecret:
        return False
    return True


def _file_state(path: Path) -> list[Any]:
    """The key slots, keys and sealed records as stored (read beside the open vault)."""
    conn = raw(path)
    try:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608 - fixed names
            for table in ("key_slot", "data_key", "person_key", "record")
        ]
    except sqlite3.Error:
        raise
    finally:
        conn.close()


def _open_wizard(window: MainWindow) -> RenewKeysWizard:
    assert window.renew_action in window.file_menu.actions()
    assert window.renew_action.isEnabled()
    assert "Kopie der Tresordatei" in window.renew_action.statusTip() or (
        "copy of the vault file" in window.renew_action.statusTip()
    )
    window.renew_action.trigger()
    wizard = window.findChild(RenewKeysWizard)
    assert isinstance(wizard, RenewKeysWizard) and wizard.isVisible()
    wizard.kdf = TEST_PARAMS  # (the real key derivation is for guides, not for tests)
    assert wizard.currentPage() is wizard.intro_page
    wizard.next()
    assert wizard.currentPage() is wizard.passphrase_page
    return wizard


def _renew(qtbot: QtBot, wizard: RenewKeysWizard, passphrase: str, new: str | None = None) -> None:
    page = wizard.passphrase_page
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    page.current.setText(passphrase)  # (QTest types ASCII only)
    if new is not None:
        page.new_box.setChecked(True)
        assert not commit.isEnabled()  # the new one typed twice first
        page.fields.first.setText(new)
        page.fields.second.setText(new)
    assert commit.isEnabled()
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy, timeout=10_000)


def _type_back(wizard: RenewKeysWizard) -> None:
    page = wizard.recovery_page
    for edit, group in zip(page.group_edits, page.expected(), strict=True):
        edit.setText(group)


def test_a_wrong_passphrase_is_said_beside_the_field_and_changes_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    before = _file_state(path)
    wizard = _open_wizard(window)
    page = wizard.passphrase_page
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()  # nothing typed
    _renew(qtbot, wizard, "falsch geraten")
    assert wizard.currentPage() is page and not wizard.renewed
    assert page.current_error.isVisible()
    assert page.current_error.text() == "Falsche Passphrase."
    assert page.current.isEnabled() and not page.progress.isVisible()
    assert _file_state(path) == before
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # nothing renewed: closes without asking
    assert not wizard.isVisible()
    assert window.renewed_box is None
    _lock(qtbot, window)
    assert _opens(path, recovery_code=old) and _opens(path, passphrase=PASSPHRASE)


def test_renewing_with_a_new_passphrase_shows_the_new_code_and_the_old_secrets_stop_working(
    qtbot: QtBot, window: MainWindow
) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    workspace = window.session.workspace
    assert workspace is not None
    count, names = workspace.count(), sorted(p.name for p in workspace.list(Person))
    wizard = _open_wizard(window)
    page = wizard.passphrase_page
    _renew(qtbot, wizard, PASSPHRASE, NEW_PASSPHRASE)

    # The progress bar reached the end, counting every record.
    assert page.progress.maximum() == count and page.progress.value() == count
    assert page.status.text().endswith(f"{count} von {count}")
    assert wizard.currentPage() is wizard.recovery_page and wizard.renewed
    new = wizard.recovery_page.code.text()
    assert new and new != old
    assert page.current.text() == "" and page.fields.passphrase() == ""  # off the screen
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()  # the two groups are typed back first
    _type_back(wizard)
    assert finish.isEnabled()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible() and wizard.recovery_page.code.text() == ""
    # A new backup is offered: the old ones still open with the old secrets.
    box = window.renewed_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "Sicherung" in box.text()
    later = [b for b in box.buttons() if b.text() == "&Später"]
    qtbot.mouseClick(later[0], Qt.MouseButton.LeftButton)
    assert window.renewed_box is None

    # A lock asked for after the renewal happens at once, as always.
    window.session.lock()
    assert window.session.workspace is None
    assert window.session.wait_closed(10)
    assert not _opens(path, recovery_code=old)
    assert not _opens(path, passphrase=PASSPHRASE)
    assert _opens(path, recovery_code=new)
    reopened = Workspace.open(path, passphrase=NEW_PASSPHRASE)
    try:
        assert reopened.count() == count
        assert sorted(p.name for p in reopened.list(Person)) == names
        assert reopened.audit_verify().ok
    finally:
        reopened.lock()


def test_a_lock_asked_for_while_renewing_waits_and_the_unconfirmed_code_is_reported(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    started, gate = threading.Event(), threading.Event()
    renew = Workspace.renew_keys

    def held(self: Workspace, *args: Any, **kwargs: Any) -> str:
        started.set()
        assert gate.wait(10)
        return renew(self, *args, **kwargs)

    monkeypatch.setattr(Workspace, "renew_keys", held)
    wizard = _open_wizard(window)
    page = wizard.passphrase_page
    code_page = wizard.pageIds()[-1]
    pages: list[int] = []
    wizard.currentIdChanged.connect(pages.append)
    ended: list[int] = []
    wizard.finished.connect(ended.append)
    unconfirmed: list[bool] = []
    wizard.unconfirmed.connect(lambda: unconfirmed.append(True))
    page.current.setText(PASSPHRASE)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert started.wait(10)
    session = window.session
    try:
        assert wizard.busy and session.lent
        assert page.progress.isVisible() and not page.current.isEnabled()
        assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
        wizard.close()
        assert wizard.isVisible()  # neither Esc nor the title bar closes it
        window.close()
        assert window.isVisible()  # nor does the window go away under it
        # Neither the idle timer nor the screen lock locks under the worker...
        session.idle_seconds = 0
        session.check_idle()
        session.lock("screen")
        assert session.workspace is not None
    finally:
        gate.set()
    # ... the lock follows as soon as the worker is back, before the code is shown.
    qtbot.waitUntil(lambda: session.workspace is None, timeout=10_000)
    assert ended == [QDialog.DialogCode.Rejected] and unconfirmed == [True]
    assert code_page not in pages  # the code was never shown
    assert window.findChild(RenewKeysWizard) is None or not wizard.isVisible()
    assert window.renewed_box is None
    assert session.wait_closed(10)
    assert not _opens(path, recovery_code=old)
    # The passphrase (not changed) still opens it, and the guide is told to make a code.
    session.idle_seconds = 600
    _unlock(qtbot, window, PASSPHRASE)

    def told() -> QMessageBox | None:
        box = window.findChild(QMessageBox, "renewedUnconfirmedBox")
        return box if box is not None and box.isVisible() else None

    qtbot.waitUntil(lambda: told() is not None, timeout=3000)
    box = told()
    assert box is not None and "Wiederherstellungscode" in box.text()
    box.accept()


def test_leaving_the_code_page_early_is_asked_about(qtbot: QtBot, window: MainWindow) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    wizard = _open_wizard(window)
    _renew(qtbot, wizard, PASSPHRASE)
    shown = wizard.recovery_page.code.text()
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    question = wizard.leave_question
    assert isinstance(question, QMessageBox) and question.isVisible()
    assert "einzige" in question.text()
    assert question.defaultButton() is wizard.stay_button
    assert wizard.stay_button is not None
    wizard.stay_button.click()
    assert wizard.isVisible() and wizard.recovery_page.code.text() == shown
    assert wizard.leave_question is None
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    question = wizard.leave_question
    assert isinstance(question, QMessageBox)
    leave = [b for b in question.buttons() if b is not wizard.stay_button]
    leave[0].click()
    assert not wizard.isVisible() and wizard.recovery_page.code.text() == ""
    box = window.renewed_box
    assert isinstance(box, QMessageBox)
    box.reject()
    _lock(qtbot, window)
    assert _opens(path, recovery_code=shown) and not _opens(path, recovery_code=old)
    assert _opens(path, passphrase=PASSPHRASE)


def test_a_renewal_right_after_unlock_waits_for_the_row_check(qtbot: QtBot, tmp_path: Path) -> None:
    """From a snapshot the rows are checked on a worker after the unlock; the renewal
    would take that check over on its own thread, so it waits for the session's."""
    path = tmp_path / "vault.kisi"
    notes = vault_with_notes(path, PASSPHRASE)
    window = build_main_window(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    seen: list[tuple[bool, bool, bool]] = []
    wizards: list[RenewKeysWizard] = []

    def at_once() -> None:
        wizard = window.renew_keys()
        assert isinstance(wizard, RenewKeysWizard)
        wizard.kdf = TEST_PARAMS
        wizard.next()
        wizard.passphrase_page.current.setText(PASSPHRASE)
        wizard.next()  # Renew keys
        workspace = window.session.workspace
        assert workspace is not None
        seen.append((wizard.busy, workspace.checking, window.session.lent))
        wizards.append(wizard)

    window.session.unlocked.connect(at_once)
    try:
        _unlock(qtbot, window, PASSPHRASE)
        assert seen == [(True, True, False)]  # waiting, not yet lent
        wizard = wizards[0]
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
        workspace = window.session.workspace
        assert workspace is not None and not workspace.checking
        assert len(workspace.list(Note)) == len(notes)
        _type_back(wizard)
        wizard.button(QWizard.WizardButton.FinishButton).click()
    finally:
        window.session.unlocked.disconnect(at_once)
        window.session.lock()
        window.session.wait_closed()
        flush_deletions()


def test_a_forms_draft_waits_while_a_worker_holds_the_workspace(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The draft of a form typed in just before would otherwise be written on the UI
    thread into the vault the worker is renewing (``Session.lend``)."""
    dialog = window.edit_profile()
    assert dialog is not None
    qtbot.keyClicks(dialog.form.editors["office_hours"].widget, "Di 9-12 Uhr")
    workspace = window.session.workspace
    assert workspace is not None
    back = threading.Event()
    answers: list[object] = []
    assert window.session.lend(lambda _ws: back.wait(10), answers.append, answers.append)
    dialog.keeper.save_now()  # (what its timer does)
    assert workspace.list(Draft) == []
    back.set()
    qtbot.waitUntil(lambda: answers == [True], timeout=10_000)
    qtbot.waitUntil(lambda: len(workspace.list(Draft)) == 1, timeout=5000)  # its timer
    dialog.reject()


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_fits_1366x768_uncut(
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    register_fonts()
    set_ui_language(language)
    install_qt_translator(qapp, language)  # (Qt's own wizard buttons)
    folder = Path(os.environ.get("KISI_SHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    window = _unlocked_window(qtbot, tmp_path)
    window.resize(*SCREEN)
    shots: list[Path] = []

    def save(widget: QWidget, name: str) -> None:
        qtbot.wait(50)  # (pending layout requests settle, as in a real event loop)
        assert widget.isVisible(), name
        assert widget.width() <= SCREEN[0] and widget.height() <= SCREEN[1], (name, widget.size())
        path = folder / f"renew_{name}_{language}.png"
        assert widget.grab().save(str(path))
        assert clipped(widget) == [], name
        shots.append(path)

    try:
        started, gate = threading.Event(), threading.Event()
        renew = Workspace.renew_keys

        def held(self: Workspace, *args: Any, **kwargs: Any) -> str:
            started.set()
            assert gate.wait(10)
            return renew(self, *args, **kwargs)

        monkeypatch.setattr(Workspace, "renew_keys", held)
        window.renew_action.trigger()
        wizard = window.findChild(RenewKeysWizard)
        assert isinstance(wizard, RenewKeysWizard)
        wizard.kdf = TEST_PARAMS
        qtbot.waitExposed(wizard)
        save(wizard, "1_intro")
        wizard.next()
        page = wizard.passphrase_page
        save(wizard, "2_passphrase")
        page.new_box.setChecked(True)
        page.fields.first.setText("passwort123")
        page.fields.second.setText("passwort12")
        save(wizard, "3_new_passphrase_weak")
        page.fields.first.setText(NEW_PASSPHRASE)
        page.fields.second.setText(NEW_PASSPHRASE)
        page.current.setText("falsch geraten")
        wizard.button(QWizard.WizardButton.CommitButton).click()
        assert started.wait(10)
        save(wizard, "4_checking")
        gate.set()
        qtbot.waitUntil(lambda: not wizard.busy, timeout=10_000)
        assert page.current_error.isVisible()
        save(wizard, "5_wrong_passphrase")
        started.clear()
        gate.clear()
        page.current.setText(PASSPHRASE)
        wizard.button(QWizard.WizardButton.CommitButton).click()
        assert started.wait(10)
        page.show_progress(4096, 10_000)  # (as 10,000 people would show it)
        save(wizard, "6_sealing")
        gate.set()
        qtbot.waitUntil(lambda: not wizard.busy, timeout=10_000)
        assert wizard.currentPage() is wizard.recovery_page
        save(wizard, "7_code")
        wizard.reject()
        question = wizard.leave_question
        assert isinstance(question, QMessageBox)
        qtbot.waitExposed(question)
        save(question, "8_leave_question")
        assert wizard.stay_button is not None
        wizard.stay_button.click()
        _type_back(wizard)
        wizard.button(QWizard.WizardButton.FinishButton).click()
        box = window.renewed_box
        assert isinstance(box, QMessageBox)
        qtbot.waitExposed(box)
        save(box, "9_renewed")
        box.reject()
        told = window._tell_renewed_code_unconfirmed()
        qtbot.waitExposed(told)
        save(told, "10_unconfirmed")
        told.accept()
    finally:
        window.session.lock()
        window.session.wait_closed()
        install_qt_translator(qapp, "en")
        flush_deletions()
    assert all(p.stat().st_size > 2_000 for p in shots)


def test_an_app_ended_before_the_code_was_typed_back_says_so_at_the_next_start(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Renewed, the code on screen, and the app closed (or killed) before the two groups
    were typed back: the note outside the vault makes the next window say it."""
    path = window.session.vault_path
    wizard = _open_wizard(window)
    _renew(qtbot, wizard, PASSPHRASE)
    assert wizard.currentPage() is wizard.recovery_page  # the code is shown, not typed back
    assert pending_renewal(path) is not None
    window.session.shutdown()  # as the app ends: nothing more of this window runs

    later = build_main_window(path)
    qtbot.addWidget(later)
    later.show()
    _unlock(qtbot, later, PASSPHRASE)

    def told() -> QMessageBox | None:
        box = later.findChild(QMessageBox, "renewedUnconfirmedBox")
        return box if box is not None and box.isVisible() else None

    qtbot.waitUntil(lambda: told() is not None, timeout=3000)
    told().accept()  # type: ignore[union-attr]
    assert pending_renewal(path) is None  # said once
    later.session.shutdown()


def test_a_renewal_that_never_began_leaves_nothing_to_say(qtbot: QtBot, window: MainWindow) -> None:
    """The note is written before the renewal; a start that ends with the old keys (the
    app killed before the commit) clears it at the next unlock without a warning."""
    path = window.session.vault_path
    workspace = window.session.workspace
    assert workspace is not None
    mark_renewal(path, workspace.vault.audit_seq())  # as if killed before the commit
    _lock(qtbot, window)
    _unlock(qtbot, window, PASSPHRASE)
    qtbot.wait(50)
    assert window.findChild(QMessageBox, "renewedUnconfirmedBox") is None
    assert pending_renewal(path) is None
