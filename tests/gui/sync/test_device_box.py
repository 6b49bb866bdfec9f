"""This device on the Sync page: the key the ministry registers, shown, copied and saved.

And the other direction: a content pack imported on the Sync page reaches the Handouts page
without a lock and unlock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from kisi_desktop.core.domain.signing_key import SigningKey
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.minisign import parse_public_key
from kisi_desktop.ministry.content_pack import make_content_pack

from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.handouts import HandoutsPage
from kisi_desktop.ui.pages.sync import SyncPage
from kisi_desktop.ui.pages.sync.device_box import PublicKeyDialog

from tests.gui.sync.conftest import Sync, pack_texts
from tests.support.modal import type_file_name

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_ui_language("en")
    yield


def _dialog(sync: Sync, page: SyncPage) -> PublicKeyDialog:
    sync.click(page.device.show_button)
    dialog: PublicKeyDialog = sync.wait_for(lambda: page.device.dialog)
    return dialog


def test_an_old_vault_gets_its_key_and_the_page_shows_what_the_ministry_asks(
    sync: Sync,
) -> None:
    assert sync.ws.list(SigningKey) == []  # a vault from before the set-up made the key
    page = sync.page()
    me = signer(sync.ws)
    assert len(sync.ws.list(SigningKey)) == 1  # made once, by the page
    box = page.device
    assert box.isVisible()
    assert box.title() == "This device"
    assert box.ags_value.text() == "06534011"
    assert box.device_value.text() == me.device_id
    assert box.epoch_value.text() == "1"
    assert box.key_value.text() == me.public.key_id_hex()
    assert box.show_button.isEnabled()
    assert box.show_button.accessibleName() == "Show the public signing key"


def test_the_public_key_is_shown_copied_and_saved_for_the_ministry(
    sync: Sync, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = sync.page()
    public = signer(sync.ws).public
    dialog = _dialog(sync, page)
    assert dialog.text.isReadOnly()
    assert dialog.text.toPlainText() + "\n" == public.text()
    assert public.key_id_hex() in dialog.key_id.text()
    assert dialog.text.font().fixedPitch() or dialog.text.fontInfo().fixedPitch()

    sync.click(dialog.copy_button)
    assert QGuiApplication.clipboard().text() == public.text()
    assert dialog.result_line.text() == "Copied to the clipboard."

    target = tmp_path / "for the ministry" / "key"
    target.parent.mkdir()
    sync.answer_save(target)  # typed without ".pub"
    sync.click(dialog.save_button)
    me = signer(sync.ws)
    assert sync.files.suggested == [f"06534011_{me.device_id}.pub"]
    saved = target.with_suffix(".pub")
    assert saved.read_text("utf-8") == public.text()  # minisign's two lines
    assert parse_public_key(saved.read_text("utf-8")) == public
    assert str(saved) in dialog.result_line.text()


def test_a_failed_save_says_why_and_cancel_writes_nothing(
    sync: Sync, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = sync.page()
    dialog = _dialog(sync, page)
    stick = tmp_path / "stick"
    stick.mkdir()

    def pull_the_stick(file_dialog: QFileDialog) -> None:
        file_dialog.setDirectory(str(stick))
        type_file_name(file_dialog, "key.pub")
        file_dialog.accept()
        stick.rmdir()  # gone before the file is written

    sync.files.answer_with(pull_the_stick)
    sync.click(dialog.save_button)
    assert "Could not save" in dialog.result_line.text()
    sync.files.cancel()
    sync.click(dialog.save_button)
    assert list(tmp_path.glob("**/*.pub")) == []
    assert len(sync.files.seen) == 2


def test_lock_closes_the_dialog_and_clears_the_box(sync: Sync) -> None:
    page = sync.page()
    dialog = _dialog(sync, page)
    assert dialog.isVisible()
    sync.session.lock()
    assert page.device.dialog is None
    assert not dialog.isVisible()
    box = page.device
    for label in (box.ags_value, box.device_value, box.epoch_value, box.key_value):
        assert label.text() == ""
    assert box.public is None and not box.show_button.isEnabled()
    sync.unlock()
    assert box.key_value.text() == signer(sync.ws).public.key_id_hex()


def _welcome_de(page: HandoutsPage) -> str:
    assert page.catalog is not None
    return repr(page.catalog.topics["welcome"].texts["de"].blocks)


def test_a_content_pack_imported_on_the_sync_page_reaches_the_handouts_page(
    sync: Sync, tmp_path: Path
) -> None:
    sync.keys.install(sync.ws)
    window = MainWindow(sync.session, sync.runner, [SyncPage, HandoutsPage])
    sync.qtbot.addWidget(window)
    window.show()
    sync.qtbot.waitExposed(window)
    window._on_unlocked()  # the session was unlocked before the window existed
    window.navigate("sync")
    sync_page, handouts = window.page_list
    assert isinstance(sync_page, SyncPage) and isinstance(handouts, HandoutsPage)
    before = handouts.catalog
    assert "Servus und willkommen" not in _welcome_de(handouts)
    pack = tmp_path / "pack.zip"
    pack.write_bytes(
        make_content_pack(
            sync.keys.content.private,
            sync.keys.content.key_id,
            pack_texts(tmp_path / "texts", greeting="Servus und willkommen"),
            1,
            date(2026, 12, 31),
            created=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        )
    )
    sync.answer_open(pack)
    sync.click(sync_page.content.import_button)
    message = sync.wait_for(lambda: sync_page.content.message)
    assert message.objectName() == "contentPackInstalled", message.text()
    message.close()
    sync.qtbot.waitUntil(lambda: handouts.catalog is not before)
    assert "Servus und willkommen" in _welcome_de(handouts)
    # The guide's choice survives the reload: the welcome topic is still the one shown.
    assert handouts.selected_topics()
