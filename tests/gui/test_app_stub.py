"""The placeholder main window: German by default, English on request, renders offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.app import build_main_window, parse_args

pytestmark = pytest.mark.gui


def test_window_speaks_german_by_default(qtbot: QtBot) -> None:
    window = build_main_window()
    qtbot.addWidget(window)
    assert window.windowTitle() == "KISI Desktop"
    assert window.message.text().startswith("KISI Desktop – die Oberfläche folgt in Kürze.")
    assert "„kisi“" in window.message.text()


def test_window_switches_to_english(qtbot: QtBot) -> None:
    window = build_main_window()
    qtbot.addWidget(window)
    set_ui_language("en")
    window.retranslate_ui()
    assert window.message.text().startswith("KISI Desktop – the window is not built yet.")


def test_window_renders_a_screenshot(qtbot: QtBot, tmp_path: Path) -> None:
    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    shot = tmp_path / "stub-window.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 0


def test_command_line_options_and_qt_options_coexist() -> None:
    args, rest = parse_args(
        ["--lang", "en", "--vault", "/tmp/x.kisi", "--demo", "-style", "fusion"]
    )
    assert args.lang == "en"
    assert args.demo is True
    assert args.vault == Path("/tmp/x.kisi")
    assert rest == ["-style", "fusion"]
