"""The ministry folder and its registry: the offer to create one, opening, registering, revoking.

``kisi-desktop --ministry DIR`` opens the folder, or offers to create one with a warning
about the private keys it will hold; a folder with other files is never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ministry import registry

from kisi_desktop.ui.app import parse_args
from kisi_desktop.ui.ministry import launch
from kisi_desktop.ui.ministry.init_dialog import (
    MINISTRY,
    MISSING,
    OTHER,
    InitMinistryDialog,
    folder_state,
)

from tests.gui.ministry.conftest import (
    Desk,
    cell,
    results,
    signer_key_id,
    town_row,
)

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_ui_language("en")
    yield


# ---------------------------------------------------------------------------- the folder


def test_the_offer_to_create_a_folder_warns_about_the_keys_and_creates_it(desk: Desk) -> None:
    assert folder_state(desk.path) == MISSING
    dialog = InitMinistryDialog(desk.path, desk.clock)
    desk.qtbot.addWidget(dialog)
    dialog.show()
    assert "private keys" in dialog.warning.text()
    assert "back it up" in dialog.warning.text()
    desk.click(dialog.create_button)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.ministry is not None and not dialog.ministry.demo
    dialog.ministry.close()
    assert folder_state(desk.path) == MINISTRY
    assert (desk.path / "keys" / "identity.txt").stat().st_mode & 0o077 == 0


def test_a_folder_holding_other_files_is_not_touched(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.path.mkdir()
    (desk.path / "notes.txt").write_text("not a ministry")
    assert folder_state(desk.path) == OTHER
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *_a: said.append(text))
    )
    assert launch.ministry_window(desk.path, desk.clock) is None
    assert said and "not a ministry folder" in said[0]
    assert sorted(p.name for p in desk.path.iterdir()) == ["notes.txt"]


def test_an_existing_folder_opens_with_its_name_in_the_title(desk: Desk) -> None:
    desk.init(demo=True)
    window = desk.window()
    assert window.windowTitle().startswith("KISI – Ministry – ")
    assert str(desk.path) in window.windowTitle() and "DEMO" in window.windowTitle()
    assert window.demo_label.isVisible()
    assert [window.tabs.tabText(i) for i in range(4)] == [
        "Municipalities", "Intake", "Figures", "Distribute",
    ]  # fmt: skip


def test_the_app_takes_a_ministry_folder_on_the_command_line(tmp_path: Path) -> None:
    args, rest = parse_args(["--ministry", str(tmp_path / "m"), "-platform", "offscreen"])
    assert args.ministry == tmp_path / "m" and rest == ["-platform", "offscreen"]
    assert parse_args([])[0].ministry is None


# ---------------------------------------------------------------------------- registry


def test_registration_says_what_is_wrong_beside_each_field(desk: Desk) -> None:
    desk.init()
    town = desk.town()
    window = desk.window()
    desk.click(window.towns.register_button)
    dialog = desk.wait_for(lambda: window.towns.register_dialog)
    desk.qtbot.keyClicks(dialog.ags, "1234")
    desk.qtbot.keyClicks(dialog.key, "RWQ not a key")
    desk.click(dialog.ok)
    assert dialog.isVisible()
    assert dialog.error_text("municipality") == "This field is required."
    assert "eight digits" in dialog.error_text("ags")
    assert dialog.error_text("key")
    assert not dialog.key_info.isVisible()
    dialog.key.clear()
    desk.qtbot.keyClicks(dialog.key, town.key_line)
    key_id = signer_key_id(town)
    assert dialog.key_info.isVisible() and key_id in dialog.key_info.text()
    assert not dialog.error_text("key")
    dialog.ags.clear()
    desk.qtbot.keyClicks(dialog.ags, town.ags)
    desk.qtbot.keyClicks(dialog.name, "Kirchhain")
    desk.click(dialog.ok)
    desk.qtbot.waitUntil(lambda: window.towns.register_dialog is None)
    row = town_row(window, town.ags)
    assert (row.name, row.key_id) == ("Kirchhain", key_id)
    assert cell(window, town.ags, "Status") == "no bundle yet"
    assert "Registered Kirchhain" in window.statusBar().currentMessage()
    # The same AGS again needs the box ticked; the same key for another AGS is refused.
    desk.click(window.towns.register_button)
    dialog = desk.wait_for(lambda: window.towns.register_dialog)
    desk.qtbot.keyClicks(dialog.name, "Other")
    desk.qtbot.keyClicks(dialog.ags, town.ags)
    assert dialog.replace.isVisible()
    desk.qtbot.keyClicks(dialog.key, town.key_line)
    desk.click(dialog.ok)
    assert "registered already" in dialog.error_text("ags")
    dialog.ags.clear()
    desk.qtbot.keyClicks(dialog.ags, "06534999")
    desk.click(dialog.ok)
    assert "registered for Kirchhain" in dialog.error_text("key")
    dialog.reject()
    with desk.open() as ministry:
        assert [m.ags for m in registry.municipalities(ministry)] == [town.ags]


def test_revoking_a_key_refuses_its_next_bundle(desk: Desk) -> None:
    desk.init()
    town = desk.town()
    desk.register(town)
    desk.provision(town)
    window = desk.window()
    window.towns.select_town(town.ags)
    desk.click(window.towns.revoke_button)
    box = desk.wait_for(lambda: window.towns.question)
    assert town.ags in box.text()
    revoke = next(b for b in box.buttons() if b.text() == "Re&voke")
    desk.qtbot.mouseClick(revoke, Qt.MouseButton.LeftButton)
    desk.qtbot.waitUntil(lambda: town_row(window, town.ags).revoked)
    assert cell(window, town.ags, "Status") == "key revoked"
    assert not window.towns.revoke_button.isEnabled()
    bundle = town.export("PY1")
    desk.import_files(window, [bundle.path])
    row = results(window)[0]
    assert (row.outcome, row.reason_code) == ("rejected", "revoked_key")
