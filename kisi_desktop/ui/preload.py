"""Importing the vault's code while the guide types the passphrase.

The unlock screen shows without the workspace, the domain's records, the sealed store or
the counting of the Overview: about 0.2 s of imports (more where PySide6's import hook
reads each module's source, as it does for every module imported after PySide6). The
guide needs a few seconds to type a passphrase, so once the unlock screen has painted a
daemon thread imports them; unlocking then finds them ready, as it did when the start
imported them before the window. Whatever is not imported yet when an unlock begins, the
unlock's worker imports itself (the import system makes the two wait for each other), and
the turn that shows the unlocked window finds what it needs.

Modules only, no Qt classes: widgets are defined and built on the UI thread.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Iterable

log = logging.getLogger(__name__)

UNLOCK_MODULES = (
    # Opening the vault, on the unlock's worker.
    "kisi_desktop.core.workspace",
    # The Overview's first read at unlock (ui/pages/registry.py), and its later counts.
    "kisi_desktop.core.overview",
    "kisi_desktop.reports.overview_figures",
    # Its counts after writes, and the project year's, run over a read copy.
    "kisi_desktop.core.read_copy",
    # The search field, there as soon as the window is unlocked.
    "kisi_desktop.core.person_labels",
    "kisi_desktop.core.record_text",
)
"""In the order the unlock needs them; each one's own imports come with it."""


def preload(modules: Iterable[str] = UNLOCK_MODULES) -> threading.Thread:
    """Import ``modules`` on a daemon thread (started, returned for tests to join).

    A daemon: a window closed at once does not wait for it. A module that fails to import
    is logged and skipped; whoever needs it meets the same error where it counts.
    """
    thread = threading.Thread(
        target=_import_all, args=(tuple(modules),), name="kisi-preload", daemon=True
    )
    thread.start()
    return thread


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:
            log.error("importing %s ahead failed: %s", name, type(error).__name__)
