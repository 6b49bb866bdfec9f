"""Renewing every key from the File menu, in the order that never leaves the guide without a
code that opens the vault: the passphrase checked and the new keys made on a worker (a wrong
passphrase changes nothing), the new code shown and typed back while nothing is stored yet
(a Cancel or a lock there changes nothing), and only then the records sealed again with a
progress bar. Afterwards the old secrets open nothing; a lock or the end of the app asked
for during the sealing waits for it; a reader of the file that holds up the clean-up is
said; a sealing that fails leaves the old keys and says that the code shown is void.

The screenshots of every page land in ``$KISI_SHOT_DIR`` when set (else the test's tmp
folder), for a person to look at; the test checks that nothing is cut off at 1366x768.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget, QWizard

from kisi_desktop.core.domain import Draft, Note, Person
from kisi_desktop.core.errors import VaultCorrupt, WrongSecret
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.store import sealed_store
from kisi_desktop.core.store.sealed_store import RenewalPlan, RenewedKeys, Vault
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
CORRUPT = "Der Tresor hat seine Prüfung nicht bestanden."


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
    finally:
        conn.close()


def _closed(wizard: RenewKeysWizard) -> bool:
    """Closed, or already deleted (it deletes itself on close)."""
    return not shiboken6.isValid(wizard) or not wizard.isVisible()


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


def _make_keys(
    qtbot: QtBot, wizard: RenewKeysWizard, passphrase: str, new: str | None = None
) -> None:
    """The passphrase page: type, press "Show the new code", wait for the worker."""
    page = wizard.passphrase_page
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    page.current.setText(passphrase)  # (QTest types ASCII only)
    if new is not None:
        page.new_box.setChecked(True)
        assert not commit.isEnabled()  # the new one typed twice first
        page.fields.first.setText(new)
        page.fields.second.setText(new)
    assert commit.isEnabled()
    assert commit.text() == "Neuen &Code zeigen"
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy, timeout=10_000)


def _type_back(wizard: RenewKeysWizard) -> None:
    page = wizard.recovery_page
    for edit, group in zip(page.group_edits, page.expected(), strict=True):
        edit.setText(group)


def _seal(qtbot: QtBot, wizard: RenewKeysWizard) -> None:
    """The code page: type two groups back, press "Renew keys", wait for the end."""
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert wizard.currentPage() is wizard.recovery_page
    assert commit.text() == "Schlüssel &erneuern"
    assert not commit.isEnabled()  # the two groups are typed back first
    _type_back(wizard)
    assert commit.isEnabled()
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.seal_page
    qtbot.waitUntil(lambda: wizard.ended, timeout=10_000)


def _held(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str
) -> tuple[threading.Event, threading.Event]:
    """Hold ``owner.name`` on its worker until the returned gate is set."""
    started, gate = threading.Event(), threading.Event()
    real = getattr(owner, name)

    def held(self: Any, *args: Any, **kwargs: Any) -> Any:
        started.set()
        assert gate.wait(10)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return started, gate


def test_a_wrong_passphrase_is_said_beside_the_field_and_changes_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    before = _file_state(path)
    wizard = _open_wizard(window)
    page = wizard.passphrase_page
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()  # nothing typed
    _make_keys(qtbot, wizard, "falsch geraten", NEW_PASSPHRASE)
    assert wizard.currentPage() is page and wizard.keys is None and not wizard.renewed
    assert page.current_error.isVisible()
    assert page.current_error.text() == "Falsche Passphrase."
    assert page.current.isEnabled() and not page.progress.isVisible()
    assert wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    assert not window.session.lent
    assert _file_state(path) == before
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # nothing renewed: closes without asking
    assert not wizard.isVisible()
    assert window.renewed_box is None
    _lock(qtbot, window)
    assert _file_state(path)[0] == before[0]  # (the lock rewrites no key slot)
    assert _opens(path, recovery_code=old) and _opens(path, passphrase=PASSPHRASE)
    assert not _opens(path, passphrase=NEW_PASSPHRASE)


@pytest.mark.parametrize("how", ["cancel", "lock"])
def test_leaving_the_code_page_changes_nothing(qtbot: QtBot, window: MainWindow, how: str) -> None:
    """The new code is shown before anything is stored: a Cancel there, or a lock, leaves
    the old code and passphrase as they were, and the code shown opens nothing."""
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    before = _file_state(path)
    wizard = _open_wizard(window)
    ended: list[int] = []
    wizard.finished.connect(ended.append)
    _make_keys(qtbot, wizard, PASSPHRASE, NEW_PASSPHRASE)
    page = wizard.recovery_page
    assert wizard.currentPage() is page and isinstance(wizard.keys, RenewedKeys)
    shown = page.code.text()
    assert shown and shown != old and shown == wizard.keys.recovery_code
    assert wizard.passphrase_page.current.text() == ""  # off the screen
    assert page.not_yet.isVisible() and "Noch ist nichts erneuert" in page.not_yet.text()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled() or (
        not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    )
    assert not window.session.lent and _file_state(path) == before
    _type_back(wizard)  # (even typed back: nothing happens before "Renew keys")
    if how == "cancel":
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton
        )
        assert window.findChild(QMessageBox) is None  # a plain cancel, nothing asked
        assert window.renewed_box is None
        _lock(qtbot, window)
    else:
        _lock(qtbot, window)
        assert window.findChild(QMessageBox, "renewalFailedBox") is None
    assert ended == [QDialog.DialogCode.Rejected] and _closed(wizard)
    assert wizard.keys is None
    assert not shiboken6.isValid(page) or page.code.text() == ""
    assert _file_state(path)[0] == before[0]
    assert _opens(path, recovery_code=old) and _opens(path, passphrase=PASSPHRASE)
    assert not _opens(path, recovery_code=shown)
    assert not _opens(path, passphrase=NEW_PASSPHRASE)
    # Nothing is said after the next unlock either: nothing changed.
    _unlock(qtbot, window, PASSPHRASE)
    qtbot.wait(50)
    assert window.findChild(QMessageBox, "renewedBox") is None


def test_renewing_with_a_new_passphrase_shows_the_code_first_and_then_seals(
    qtbot: QtBot, window: MainWindow
) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    workspace = window.session.workspace
    assert workspace is not None
    count, names = workspace.count(), sorted(p.name for p in workspace.list(Person))
    before = _file_state(path)
    wizard = _open_wizard(window)
    _make_keys(qtbot, wizard, PASSPHRASE, NEW_PASSPHRASE)
    new = wizard.recovery_page.code.text()
    assert new and new != old
    assert _file_state(path) == before  # shown, not stored
    _seal(qtbot, wizard)
    page = wizard.seal_page

    # The progress bar reached the end, counting every record.
    assert page.progress.maximum() == count and page.progress.value() == count
    assert page.status.text().endswith(f"{count} von {count}")
    assert wizard.renewed and page.title() == "Die Schlüssel sind erneuert"
    assert page.result.isVisible() and not page.failure.isVisible()
    assert not page.owed.isVisible() and not wizard.checkpoint_owed
    assert wizard.recovery_page.code.text() == "" and wizard.keys is None  # done with
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
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


def test_a_lock_asked_for_while_sealing_waits_and_the_new_code_opens_the_vault(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    session = window.session
    workspace = session.workspace
    assert workspace is not None
    count = workspace.count()
    started, gate = _held(monkeypatch, Workspace, "renew_keys_with")
    wizard = _open_wizard(window)
    ended: list[int] = []
    wizard.finished.connect(ended.append)
    _make_keys(qtbot, wizard, PASSPHRASE, NEW_PASSPHRASE)
    shown = wizard.recovery_page.code.text()
    _type_back(wizard)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert started.wait(10)
    page = wizard.seal_page
    try:
        assert wizard.currentPage() is page
        assert wizard.busy and session.lent
        assert page.progress.isVisible()
        assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
        assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
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
    # ... the lock follows as soon as the worker is back.
    qtbot.waitUntil(lambda: session.workspace is None, timeout=10_000)
    assert ended == [QDialog.DialogCode.Rejected] and _closed(wizard)
    assert window.renewed_box is None
    assert session.wait_closed(10)
    assert not _opens(path, recovery_code=old)
    assert not _opens(path, passphrase=PASSPHRASE)
    assert _opens(path, recovery_code=shown)  # the code the guide typed back
    # Unlocked with the new passphrase, everything is there, and a backup is offered.
    session.idle_seconds = 600
    _unlock(qtbot, window, NEW_PASSPHRASE)
    workspace = session.workspace
    assert workspace is not None and workspace.count() == count
    assert workspace.audit_verify().ok
    qtbot.waitUntil(lambda: window.renewed_box is not None, timeout=3000)
    box = window.renewed_box
    assert isinstance(box, QMessageBox) and "erneuert" in box.text()
    box.reject()


def test_the_end_of_the_app_while_sealing_waits_for_the_sealing(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``app.main`` ends with ``Session.shutdown()``: it waits for the worker, then locks.
    The guide typed the code back before the sealing began, so the renewal is complete."""
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    session = window.session
    started, gate = _held(monkeypatch, Workspace, "renew_keys_with")
    wizard = _open_wizard(window)
    _make_keys(qtbot, wizard, PASSPHRASE)
    shown = wizard.recovery_page.code.text()
    _type_back(wizard)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert started.wait(10)
    opener = threading.Timer(0.3, gate.set)
    opener.start()
    session.shutdown()  # (what app.main does once the event loop has ended)
    opener.join()
    assert session.workspace is None and not session.lent and _closed(wizard)
    # The worker's answer still arrives through the event loop; nobody is told of it (the
    # wizard it was for was closed and deleted by the lock).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: not session._runner.busy(), timeout=5000)
    assert _closed(wizard)
    assert session.wait_closed(10)
    assert _opens(path, recovery_code=shown) and _opens(path, passphrase=PASSPHRASE)
    assert not _opens(path, recovery_code=old)


@pytest.mark.allow_log_warnings  # (the checkpoint owed is logged)
def test_a_reader_of_the_file_during_the_sealing_is_said_on_the_last_page(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Another program reading the vault file (a backup copying it) holds up the
    checkpoint: the old wrapped keys stay in the main file until the next save or the
    lock, and a copy taken now still opens with the old code. The last page says so."""
    monkeypatch.setattr(sealed_store, "BUSY_MS", 100)  # (how long it waits for the reader)
    monkeypatch.setattr(sealed_store, "RENEW_CHECKPOINT_MS", 100)
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    wizard = _open_wizard(window)
    _make_keys(qtbot, wizard, PASSPHRASE)
    shown = wizard.recovery_page.code.text()
    reader = raw(path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM record").fetchone()  # (a read, held open)
        _seal(qtbot, wizard)
        copy = tmp_path / "copy" / "vault.kisi"
        copy.parent.mkdir()
        shutil.copyfile(path, copy)  # (the main file alone, as a plain copy takes it)
    finally:
        reader.rollback()
        reader.close()
    page = wizard.seal_page
    assert wizard.renewed and wizard.checkpoint_owed
    assert page.owed.isVisible()
    assert "anderes Programm" in page.owed.text() and "Kopie" in page.owed.text()
    assert _opens(copy, recovery_code=old)  # what the page warns of is so
    wizard.button(QWizard.WizardButton.FinishButton).click()
    box = window.renewed_box
    assert isinstance(box, QMessageBox)
    box.reject()
    _lock(qtbot, window)  # (the lock finishes the clean-up, the reader being gone)
    assert not _opens(path, recovery_code=old) and _opens(path, recovery_code=shown)


def test_a_sealing_that_fails_leaves_the_old_keys_and_says_the_code_is_void(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, old = window.session.vault_path, window.old_code  # type: ignore[attr-defined]
    before = _file_state(path)

    def refused(self: Workspace, *args: Any, **kwargs: Any) -> None:
        raise VaultCorrupt(CORRUPT)

    monkeypatch.setattr(Workspace, "renew_keys_with", refused)
    wizard = _open_wizard(window)
    _make_keys(qtbot, wizard, PASSPHRASE, NEW_PASSPHRASE)
    shown = wizard.recovery_page.code.text()
    _seal(qtbot, wizard)
    page = wizard.seal_page
    assert not wizard.renewed and page.title() == "Die Schlüssel wurden nicht erneuert"
    assert page.failure.isVisible() and not page.result.isVisible()
    text = page.failure.text()
    assert text.startswith(CORRUPT) and "alte Blatt" in text
    assert not window.session.lent
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible() and window.renewed_box is None  # no backup offered
    _lock(qtbot, window)
    assert _file_state(path)[0] == before[0]
    assert _opens(path, recovery_code=old) and _opens(path, passphrase=PASSPHRASE)
    assert not _opens(path, recovery_code=shown)


def test_a_sealing_that_fails_while_a_lock_waits_is_said_after_the_unlock(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, gate = threading.Event(), threading.Event()

    def refused(self: Workspace, *args: Any, **kwargs: Any) -> None:
        started.set()
        assert gate.wait(10)
        raise VaultCorrupt(CORRUPT)

    monkeypatch.setattr(Workspace, "renew_keys_with", refused)
    wizard = _open_wizard(window)
    _make_keys(qtbot, wizard, PASSPHRASE)
    _type_back(wizard)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert started.wait(10)
    window.session.lock("idle")
    gate.set()
    qtbot.waitUntil(lambda: window.session.workspace is None, timeout=10_000)
    assert window.session.wait_closed(10)
    _unlock(qtbot, window, PASSPHRASE)  # the old passphrase: nothing was renewed

    def told() -> QMessageBox | None:
        box = window.findChild(QMessageBox, "renewalFailedBox")
        return box if box is not None and box.isVisible() else None

    qtbot.waitUntil(lambda: told() is not None, timeout=3000)
    box = told()
    assert box is not None and CORRUPT in box.text() and "alte Blatt" in box.text()
    assert window.renewed_box is None
    box.accept()


def test_a_renewal_right_after_unlock_waits_for_the_row_check(qtbot: QtBot, tmp_path: Path) -> None:
    """From a snapshot the rows are checked on a worker after the unlock; reading the file
    for the renewal would settle that check on the UI thread, so it waits for the
    session's."""
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
        wizard.next()  # Show the new code
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
        _seal(qtbot, wizard)
        assert wizard.renewed
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

    def open_wizard() -> RenewKeysWizard:
        window.renew_action.trigger()
        wizard = window.findChild(RenewKeysWizard)
        assert isinstance(wizard, RenewKeysWizard)
        wizard.kdf = TEST_PARAMS
        qtbot.waitExposed(wizard)
        return wizard

    try:
        deriving, derived = _held(monkeypatch, RenewalPlan, "derive")
        sealing, sealed = _held(monkeypatch, Workspace, "renew_keys_with")
        wizard = open_wizard()
        save(wizard, "01_intro")
        wizard.next()
        page = wizard.passphrase_page
        save(wizard, "02_passphrase")
        page.new_box.setChecked(True)
        page.fields.first.setText("passwort123")
        page.fields.second.setText("passwort12")
        save(wizard, "03_new_passphrase_weak")
        page.fields.first.setText(NEW_PASSPHRASE)
        page.fields.second.setText(NEW_PASSPHRASE)
        page.current.setText("falsch geraten")
        wizard.button(QWizard.WizardButton.CommitButton).click()
        assert deriving.wait(10)
        save(wizard, "04_checking")
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            assert not wizard.button(which).isEnabled()  # no way out while it runs
        wizard.reject()
        assert wizard.isVisible()
        derived.set()
        qtbot.waitUntil(lambda: not wizard.busy, timeout=10_000)
        assert page.current_error.isVisible()
        save(wizard, "05_wrong_passphrase")
        page.current.setText(PASSPHRASE)
        wizard.button(QWizard.WizardButton.CommitButton).click()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
        save(wizard, "06_code")
        _type_back(wizard)
        save(wizard, "07_code_typed_back")
        wizard.button(QWizard.WizardButton.CommitButton).click()
        assert sealing.wait(10)
        wizard.seal_page.show_progress(4096, 10_000)  # (as 10,000 people would show it)
        save(wizard, "08_sealing")
        sealed.set()
        qtbot.waitUntil(lambda: wizard.ended, timeout=10_000)
        save(wizard, "09_done")
        wizard.seal_page.show_done(True)  # (as when another program reads the file)
        save(wizard, "10_done_file_in_use")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        box = window.renewed_box
        assert isinstance(box, QMessageBox)
        qtbot.waitExposed(box)
        save(box, "11_renewed")
        box.reject()

        def refused(self: Workspace, *args: Any, **kwargs: Any) -> None:
            raise VaultCorrupt(CORRUPT if language == "de" else "The vault failed its check.")

        monkeypatch.setattr(Workspace, "renew_keys_with", refused)
        wizard = open_wizard()
        wizard.next()
        wizard.passphrase_page.current.setText(NEW_PASSPHRASE)
        wizard.button(QWizard.WizardButton.CommitButton).click()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
        _type_back(wizard)
        wizard.button(QWizard.WizardButton.CommitButton).click()
        qtbot.waitUntil(lambda: wizard.ended, timeout=10_000)
        save(wizard, "12_failed")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        window._renewal_after_lock = CORRUPT if language == "de" else "The vault failed its check."
        told = window._tell_renewal_after_lock()
        assert told is not None
        qtbot.waitExposed(told)
        save(told, "13_failed_after_lock")
        told.accept()
    finally:
        window.session.lock()
        window.session.wait_closed()
        install_qt_translator(qapp, "en")
        flush_deletions()
    assert all(p.stat().st_size > 2_000 for p in shots)
