"""Importing the vault's code while the guide types the passphrase.

The unlock screen shows without the workspace, the domain's records, the sealed store or
the counting of the Overview: about 0.2 s of imports (more where PySide6's import hook
reads each module's source, as it does for every module imported after PySide6). The
guide needs a few seconds to type a passphrase, so once the unlock screen has painted a
daemon thread imports them; unlocking then finds them ready, as it did when the start
imported them before the window. Whatever is not imported yet when an unlock begins, the
unlock's worker imports itself (the import system makes the two wait for each other), and
the turn that shows the unlocked window finds what it needs.

Modules only, no Qt classes: widgets are defined and built on the UI thread (the pages'
widget modules are imported there meanwhile, between key presses: ui/pages/warm_up.py).

The imports give way to the guide. Two threads share one interpreter lock, and Qt calls
into Python once per row when the People list is filtered: with the pages' code (ReportLab,
HarfBuzz) importing beside it, each of those 10,000 calls waited its turn, and typing a
filter right after an unlock froze the list 0.3-0.6 s instead of 65 ms. So while the guide
presses keys, clicks or scrolls (the session reports it: :func:`guide_busy`), the preload's
thread waits before each module it imports, submodules too, until :data:`HOLD_S` after the
last such input; a page that needs a module at once says so (:func:`hurry`).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType

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
    "kisi_desktop.bundles.receipt_reasons",
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


HOLD_S = 0.4
"""How long after the guide's last key press, click or scroll the preload waits before
its next module: longer than the pause between two keys of someone typing a name."""
_POLL_S = 0.05

_running: list[threading.Thread] = []
_ending = threading.Event()
_held_until = 0.0  # time.monotonic() before which the preload imports nothing
_on_preload_thread = threading.local()


def guide_busy() -> None:
    """The guide just pressed a key, clicked or scrolled: the preload's next import waits
    until :data:`HOLD_S` after this (called from the UI thread for every such input)."""
    global _held_until
    _held_until = time.monotonic() + HOLD_S


def hurry() -> None:
    """The UI thread is about to import what the preload may be holding (a page's first
    opening): let the preload go on at once, so that the page does not wait for the hold."""
    global _held_until
    _held_until = 0.0


def _wait_out_the_hold() -> None:
    while not _ending.is_set() and (wait := _held_until - time.monotonic()) > 0:
        _ending.wait(min(wait, _POLL_S))


class _AfterTheHold:
    """A module's loader on the preload's thread until the module is made: waits out the
    hold there, then puts the real loader back in the spec and hands over to it.

    Not in the finder itself: the import system asks finders while holding its global
    lock, and a wait there would stop every import on the UI thread too. Here only the
    module's own lock is held (and its parents'): the UI thread waits only if it imports
    that very module, and a page that does calls :func:`hurry` first."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        _wait_out_the_hold()
        spec.loader = self._loader  # (the module's __loader__ is the real one)
        create = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def __getattr__(self, name: str) -> object:
        return getattr(self._loader, name)


class _GiveWay(importlib.abc.MetaPathFinder):
    """First on ``sys.meta_path``: on the preload's thread, asks the finders after it and
    gives the module :class:`_AfterTheHold` as its loader; elsewhere it finds nothing."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if not getattr(_on_preload_thread, "active", False):
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: importlib.machinery.ModuleSpec | None = find(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _AfterTheHold(spec.loader)  # type: ignore[assignment]
                return spec
        return None


_give_way = _GiveWay()


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
    if _give_way not in sys.meta_path:
        sys.meta_path.insert(0, _give_way)
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
    _on_preload_thread.active = True
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
