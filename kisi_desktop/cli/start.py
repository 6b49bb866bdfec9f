"""The ``kisi`` console script: reads the command line's modules, then runs ``main``.

A guide who presses Ctrl+C at once (a wrong vault typed) may do so while those modules
are still being read, before ``main`` can catch it: on a slow or busy laptop that takes a
second, and Python printed a traceback of the import. This module imports nothing of its
own at the top, so the window for that is the interpreter's own start.
"""

from __future__ import annotations

import os
import sys

CANCELLED = 130  # as cli/main.py: 128 + SIGINT


def run() -> int:
    """The console script's entry point; returns the exit code."""
    try:
        from kisi_desktop.cli.main import main
    except KeyboardInterrupt:
        return _cancelled()
    return main()


def _cancelled() -> int:
    """ "Cancelled." in the language the command would have spoken (``--lang`` aside)."""
    said = "Cancelled."
    try:
        from kisi_desktop.core.i18n import UI_LANGUAGES, _, set_ui_language
        from kisi_desktop.core.settings import load_settings

        language = os.environ.get("KISI_LANG") or load_settings().language
        if language in UI_LANGUAGES:
            set_ui_language(language)
        said = _("Cancelled.")
    except (KeyboardInterrupt, OSError, ValueError):  # pressed twice, or no settings
        pass
    sys.stderr.write(said + "\n")
    return CANCELLED
