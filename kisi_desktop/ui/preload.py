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
import time
from collections.abc import Callable, Iterable

from kisi_desktop.core.i18n import load_formatting

log = logging.getLogger(__name__)

UNLOCK_MODULES = (
    # Opening the vault, on the unlock's worker: the glance first, then the records.
    "kisi_desktop.core.overview_glance",
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

PAGE_MODULES = (
    # The first write after the unlock (core/store/db.py): sqlite-utils and what it pulls
    # in (click, dateutil, pluggy) took the first saved form 40 ms, the next one 1 ms.
    "sqlite_utils",
    # People: its list, namesakes, the consent check.
    "kisi_desktop.core.people_list",
    "kisi_desktop.core.text_sort",
    "kisi_desktop.core.namesakes",
    "kisi_desktop.core.consent_check",
    # Reports and the budget: their tables, charts and CSV.
    "kisi_desktop.reports.tables",
    "kisi_desktop.reports.charts",
    "kisi_desktop.reports.indicator_tables",
    "kisi_desktop.reports.csv_export",
    "kisi_desktop.reports.budget_tables",
    "kisi_desktop.reports.budget_sheets",
    "kisi_desktop.reports.needs",
    # Sync: the bundle, its keys, receipts and upload.
    "kisi_desktop.bundles.export",
    "kisi_desktop.bundles.receipts",
    "kisi_desktop.bundles.provisioning",
    "kisi_desktop.bundles.upload",
    "kisi_desktop.bundles.ledger_table",
    # Handouts: the typesetting (ReportLab, HarfBuzz; the fonts load at the first print)
    # and the content packs.
    "kisi_desktop.handouts.render",
    "kisi_desktop.handouts.catalog",
    "kisi_desktop.bundles.content_packs",
)
"""The Qt-free code of the other pages: imported after :data:`UNLOCK_MODULES` while the
passphrase is typed, or, where an unlock cut that short, a moment after the records
are read and checked (not at once: the two would share the interpreter with what the
guide does first, and typing a filter stalled twice as long).

Their first opening imported it on the UI thread: Handouts froze the window 0.14-0.16 s
(ReportLab, HarfBuzz), Sync 0.09-0.15 s. A test keeps this list complete: no page imports
a Qt-free module that these do not."""


_running: list[threading.Thread] = []
_ending = threading.Event()


def preload(
    modules: Iterable[str] = UNLOCK_MODULES,
    *,
    formatting: bool = True,
    later: Iterable[str] = (),
    until: Callable[[], bool] = lambda: False,
) -> threading.Thread:
    """Import ``modules`` on a daemon thread (started, returned for tests to join), first
    Babel with the UI language's data if ``formatting``; then ``later``, one by one, as
    long as ``until()`` is false and the app is not ending (:func:`finish`).

    A daemon: a window closed at once does not wait for it. A module that fails to import
    is logged and skipped; whoever needs it meets the same error where it counts.
    """
    thread = threading.Thread(
        target=_import_all,
        args=(tuple(modules), formatting, tuple(later), until),
        name="kisi-preload",
        daemon=True,
    )
    _running[:] = [t for t in _running if t.is_alive()] + [thread]
    thread.start()
    return thread


def running() -> bool:
    """True while a preload thread still imports."""
    return any(thread.is_alive() for thread in _running)


def finish(timeout: float) -> bool:
    """The app is ending: import nothing more of ``later`` and wait up to ``timeout``
    seconds for an import under way. An interpreter that ends while a thread is inside an
    extension's set-up (the ciphers' Rust module) can abort the process instead of ending
    it. True if no preload is left running."""
    _ending.set()
    deadline = time.monotonic() + timeout
    for thread in list(_running):
        thread.join(max(0.0, deadline - time.monotonic()))
    if running():
        return False
    _ending.clear()  # (a later window in this process preloads again)
    return True


def _import_all(
    modules: tuple[str, ...],
    formatting: bool,
    later: tuple[str, ...],
    until: Callable[[], bool],
) -> None:
    if formatting:
        try:
            # First Babel and the UI language's locale data: the unlocked Overview's first
            # paint shows dates and numbers (core/i18n.py).
            load_formatting()
        except Exception as error:
            log.error("reading the locale data ahead failed: %s", type(error).__name__)
    for name in modules:
        if _ending.is_set():
            return
        _import(name)
    for name in later:
        if _ending.is_set() or until():
            return
        _import(name)


def _import(name: str) -> None:
    try:
        importlib.import_module(name)
    except Exception as error:
        log.error("importing %s ahead failed: %s", name, type(error).__name__)
