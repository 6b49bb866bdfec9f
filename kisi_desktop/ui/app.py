"""Start the desktop app: parse the command line, build the QApplication and show the window.

For now the window is a placeholder that points to the `kisi` command; the real main window
arrives with the UI issues. This module (with `cli/main.py`) is where objects get built and
wired (STYLE.md rule 3), so the parsing and the window factory stay separate from `main()` for
tests.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from kisi_desktop.core.hardening import harden_process
from kisi_desktop.core.i18n import UI_LANGUAGES, _, set_ui_language

WINDOW_TITLE = "KISI Desktop"  # the product name; not translated


def parse_args(argv: Sequence[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    """Split the command line into our options and the rest, which is left for Qt.

    Qt understands options of its own (``-platform offscreen``, ``-style fusion``); they must
    not make argparse fail.
    """
    parser = argparse.ArgumentParser(prog="kisi-desktop", description="KISI Desktop")
    parser.add_argument(
        "--vault",
        type=Path,
        metavar="PATH",
        help=_("vault file to open instead of the one in the user data folder"),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("open the demo vault with made-up people and figures"),
    )
    parser.add_argument(
        "--lang",
        choices=UI_LANGUAGES,
        default=None,
        help=_("language of the user interface (default: German)"),
    )
    return parser.parse_known_args(argv)


class StubMainWindow(QMainWindow):
    """Placeholder main window: a single centred label saying the GUI is on its way."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel(self)
        self.message.setObjectName("stubMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMargin(24)
        self.setCentralWidget(self.message)
        self.resize(720, 360)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setWindowTitle(WINDOW_TITLE)
        self.message.setText(
            _(
                "KISI Desktop – the window is not built yet. Until then, everything is "
                "available through the “kisi” command."
            )
        )


def build_main_window() -> StubMainWindow:
    """Build the main window without showing it; needs a QApplication to exist."""
    return StubMainWindow()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app until its last window closes; return the process exit code."""
    harden_process()
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.lang is not None:
        set_ui_language(args.lang)
    # --vault and --demo are accepted already so that launchers and the README stay
    # stable; the window that opens a vault comes with the UI issues.
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(WINDOW_TITLE)
    window = build_main_window()
    window.show()
    return app.exec()
