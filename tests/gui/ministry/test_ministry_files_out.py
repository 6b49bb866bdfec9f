"""What the ministry sends out, made on the Distribute tab; and the view's models.

A provisioning file the app installs with the shown fingerprint, a content pack the app's
verifier accepts, and every table model through Qt's model tester.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from pytestqt.modeltest import ModelTester

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.content_packs import read_pack
from kisi_desktop.bundles.provisioning import read_provisioning

from tests.gui.ministry.conftest import (
    Desk,
)
from tests.gui.sync.conftest import pack_texts

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_ui_language("en")
    yield


# ---------------------------------------------------------------------------- files out


def test_the_provisioning_file_installs_in_the_app_and_bad_values_are_named(desk: Desk) -> None:
    desk.init()
    window = desk.window()
    window.tabs.setCurrentWidget(window.distribute)
    maker = window.distribute.provisioning
    target = desk.tmp / "out.provisioning"
    desk.answer_save(target)
    desk.qtbot.keyClicks(maker.url, "https://intake.example.org/kisi")
    maker.expires.edit.setText("31.02.2028")
    desk.click(maker.save_button)
    assert maker.error_text("expires") == "This date does not exist."
    assert not target.exists()
    maker.expires.edit.setText("2027-11-25")
    desk.click(maker.save_button)
    assert maker.error_text("expires") == ""
    assert "pin of the server" in maker.error_text("spki-pin")
    assert not target.exists()
    desk.qtbot.keyClicks(maker.pins, "ab" * 32)
    maker.participation.setChecked(True)
    maker.expires.set_day(maker.expires.required_day() - timedelta(days=100))
    desk.click(maker.save_button)
    assert target.is_file()
    assert "version 1" in maker.result.text()
    doc = read_provisioning(
        target.read_bytes(),
        confirmed_fingerprint=maker.fingerprint.text(),
        on=date(2026, 11, 25),
    )
    assert doc.participation_rows and doc.intake_url == "https://intake.example.org/kisi"
    assert doc.spki_pins == ("ab" * 32,)
    assert doc.expires == date(2027, 11, 25) - timedelta(days=100)
    with desk.open() as ministry:
        assert doc.age_recipients == (ministry.recipient,)


def test_a_content_pack_is_made_from_a_folder_and_verifies(desk: Desk) -> None:
    desk.init()
    window = desk.window()
    window.tabs.setCurrentWidget(window.distribute)
    maker = window.distribute.pack
    assert not maker.save_button.isEnabled()
    texts = pack_texts(desk.tmp / "texts")
    desk.answer_folder(texts)
    desk.click(maker.folder_button)
    assert maker.version.value() == 1
    target = desk.tmp / "pack.zip"
    desk.answer_save(target)
    desk.click(maker.save_button)
    desk.qtbot.waitUntil(lambda: not maker.running, timeout=10_000)
    assert target.is_file(), maker.error.text()
    with desk.open() as ministry:
        pack = read_pack(target.read_bytes(), [ministry.content.public])
    assert pack.info.version == 1
    assert "version 1 written" in maker.result.text()
    assert "(1 topic, languages ar, de;" in maker.result.text()  # QA 26b: not "1 topics"
    assert maker.version.value() == 2
    # Remembered: the next window suggests version 2 and the same folder.
    window.close()
    second = desk.window()
    second.tabs.setCurrentWidget(second.distribute)
    again = second.distribute.pack
    assert again.version.value() == 2 and again.folder.text() == str(texts)
    # A folder the app would refuse: said under the form, nothing written.
    broken = desk.tmp / "broken" / "welcome"
    broken.mkdir(parents=True)
    (broken / "xx.md").write_text("# no topic.toml here")
    desk.answer_folder(broken.parent)
    desk.click(again.folder_button)
    desk.answer_save(desk.tmp / "broken.zip")
    desk.click(again.save_button)
    desk.qtbot.waitUntil(lambda: not again.running, timeout=10_000)
    assert again.error.isVisible() and again.error.text()
    assert not (desk.tmp / "broken.zip").exists()
    # A day that does not exist is said before the file dialog, and nothing is written.
    again.expires.edit.setText("2027-02-30")
    desk.answer_save(desk.tmp / "late.zip")
    desk.click(again.save_button)
    assert again.error.text() == "This date does not exist."
    assert not again.running and not (desk.tmp / "late.zip").exists()
    again.expires.edit.setText("2020-01-01")  # passed: said before the file dialog too
    desk.click(again.save_button)
    assert again.error.text() == "The expiry date is in the past."
    assert not again.running and not (desk.tmp / "late.zip").exists()


# ---------------------------------------------------------------------------- models


def test_the_models_pass_the_model_tester(desk: Desk, qtmodeltester: ModelTester) -> None:
    desk.init()
    town = desk.town()
    desk.register(town)
    desk.provision(town)
    window = desk.window()
    desk.import_files(window, [town.export("PY1").path])
    window.tabs.setCurrentWidget(window.figures)
    desk.qtbot.waitUntil(lambda: window.figures.result is not None, timeout=10_000)
    for model in (window.towns.model, window.towns.held_model, window.intake.model,
                  window.figures.model):  # fmt: skip
        qtmodeltester.check(model)
