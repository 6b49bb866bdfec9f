"""Screenshots of the first-run wizard, settings, About and demo progress in German and English.

Written to ``$KISI_SHOT_DIR`` when set (e.g. /tmp/shots), else to the test's tmp folder; the
test checks only that they render at a size that fits 1366x768; a person looks at them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.demo_progress import DemoProgressDialog
from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.qt_i18n import install_qt_translator
from kisi_desktop.ui.settings_dialog import SettingsDialog
from kisi_desktop.ui.setup_wizard import SetupWizard

from tests.support.clipping import clipped
from tests.support.qt_tasks import HeldRunner, flush_deletions

pytestmark = pytest.mark.gui

SCREEN = (1366, 768)


@pytest.fixture
def folder(tmp_path: Path, qapp: QApplication, language: str) -> Iterator[Path]:
    register_fonts()
    set_ui_language(language)
    install_qt_translator(qapp, language)
    path = Path(os.environ.get("KISI_SHOT_DIR", tmp_path))
    path.mkdir(parents=True, exist_ok=True)
    yield path
    install_qt_translator(qapp, "en")
    flush_deletions()


def _save(qtbot: QtBot, widget: QWidget, folder: Path, name: str) -> Path:
    qtbot.wait(50)  # let pending layout requests settle, as a real event loop would
    assert widget.width() <= SCREEN[0] and widget.height() <= SCREEN[1], widget.size()
    path = folder / f"setup_{name}.png"
    assert widget.grab().save(str(path))
    assert widget.isVisible()  # (a hidden widget would have nothing cut off)
    assert clipped(widget) == [], name
    return path


def _type(edit: QWidget, text: str) -> None:
    assert isinstance(edit, QLineEdit)
    edit.setText(text)


# A popped-up menu asks the offscreen platform plugin for things it cannot do (raise the
# window, grab the keyboard); the messages are about the plugin, not about our code.
@pytest.mark.qt_log_ignore(
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)
@pytest.mark.parametrize("language", ["de", "en"])
def test_setup_screenshots(qtbot: QtBot, folder: Path, tmp_path: Path, language: str) -> None:
    runner = HeldRunner()
    wizard = SetupWizard(tmp_path / "KISI" / "vault.kisi", runner, kdf=TEST_PARAMS)  # type: ignore[arg-type]
    wizard.confirm_cancel = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    shots = [_save(qtbot, wizard, folder, f"welcome_{language}")]
    wizard.next()
    page = wizard.passphrase_page
    _type(page.first, "passwort123")
    _type(page.second, "passwort12")
    shots.append(_save(qtbot, wizard, folder, f"passphrase_weak_{language}"))
    _type(page.first, "Tr0mpete-Gieskanne-77")
    _type(page.second, "Tr0mpete-Gieskanne-77")
    shots.append(_save(qtbot, wizard, folder, f"passphrase_good_{language}"))
    wizard.next()
    shots.append(_save(qtbot, wizard, folder, f"creating_{language}"))
    runner.release()
    assert wizard.currentPage() is wizard.recovery_page
    recovery = wizard.recovery_page
    groups = recovery.code.text().split("-")
    _type(recovery.group_edits[0], groups[recovery.check_groups[0]])
    _type(recovery.group_edits[1], "AAAA" if groups[recovery.check_groups[1]] != "AAAA" else "BBBB")
    shots.append(_save(qtbot, wizard, folder, f"recovery_{language}"))
    _type(recovery.group_edits[1], groups[recovery.check_groups[1]])
    wizard.next()
    form = wizard.municipality_page.form
    assert form is not None
    _type(form.editors["ags"].widget, "0653401")
    _type(form.editors["name"].widget, "Kirchhain")
    wizard.next()
    assert wizard.currentPage() is wizard.municipality_page
    shots.append(_save(qtbot, wizard, folder, f"municipality_{language}"))
    _type(form.editors["ags"].widget, "06534011")
    wizard.next()
    shots.append(_save(qtbot, wizard, folder, f"done_{language}"))
    workspace = wizard.workspace
    wizard.accept()
    assert workspace is not None

    window = build_main_window(tmp_path / "KISI" / "vault.kisi")
    qtbot.addWidget(window)
    window.show()
    window.session.adopt(workspace)
    qtbot.waitExposed(window)
    window.file_menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    qtbot.waitExposed(window.file_menu)
    shots.append(_save(qtbot, window.file_menu, folder, f"file_menu_{language}"))
    window.file_menu.hide()
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    shots.append(_save(qtbot, dialog, folder, f"settings_{language}"))
    dialog.reject()
    window.about_action.trigger()
    about = window.findChild(QMessageBox, "aboutBox")
    assert about is not None
    qtbot.waitExposed(about)
    shots.append(_save(qtbot, about, folder, f"about_{language}"))
    about.accept()
    window.session.lock("manual")

    progress = DemoProgressDialog()
    qtbot.addWidget(progress)
    progress.show()
    progress.show_progress(100, 300)
    qtbot.waitExposed(progress)
    shots.append(_save(qtbot, progress, folder, f"demo_progress_{language}"))
    progress.finish()
    assert all(p.stat().st_size > 2_000 for p in shots)  # small: menu, progress
