"""A read-only copy of the open records, for counting on a worker thread.

Reports and the export preview read every contact of a year: half a second with 10,000
people. Run on the UI thread, that freezes the window; run on a worker over the live
workspace, they would share its SQLite connection with the guide's writes and could see
a save half done. A copy taken at one moment has neither problem.

Taking the copy (``ReadCopy(workspace)``) costs one in-memory image of the working set, made on
the thread that owns the workspace (35 ms for 10,000 people); turning the image back into
a database (another 35 ms) happens on first use, on the worker. The copy opens no vault
file and holds no key: whatever would write raises :class:`ReadOnlyCopy`.

A lock of the vault should not leave a copy's plaintext behind for long: :meth:`discard`,
safe to call from the owning thread while a worker reads, drops an image not yet loaded
and makes the worker's next read fail, so that it stops and closes the copy.
"""

from __future__ import annotations

import threading

from kisi_desktop.core.domain.registry import RECORD_TYPES
from kisi_desktop.core.errors import VaultLocked
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.store.working_set import WorkingSet
from kisi_desktop.core.workspace import Closing, Workspace, index_spec


class ReadOnlyCopy(RuntimeError):
    """Something tried to write through a read copy: a bug in the caller, not a user error."""


class ReadCopy(Workspace):
    """The records of a workspace as they were when the copy was taken; reads only.

    It is a :class:`Workspace` so that reports and previews take it unchanged. Close it
    with :meth:`lock` when done (on any thread, once its reader has finished).
    """

    def __init__(self, source: Workspace) -> None:
        # Workspace.__init__ is not called on purpose: it would open records from the vault.
        self._vault = None
        self.ref = source.ref
        self.clock = source.clock
        self.path = source.path
        self.findings = source.findings
        self._changed_since_snapshot = 0
        self._snapshot_min_records = source._snapshot_min_records
        self._ws = None
        self._image: bytes | None = source.working_set.serialize()
        self._closed = False
        self._guard = threading.Lock()

    @property
    def vault(self) -> Vault:
        """There is none: reading through it (keys, audit head) or writing is a bug."""
        raise ReadOnlyCopy("a read copy has no vault")

    @property
    def locked(self) -> bool:
        """True once :meth:`lock` closed the copy."""
        return self._closed

    @property
    def working_set(self) -> WorkingSet:
        """The copied records, loaded into their own database on first use."""
        with self._guard:
            if self._closed:
                raise VaultLocked(_("The vault is locked."))
            image, self._image = self._image, None
        if self._ws is None:
            if image is None:  # (only if loading failed before)
                raise VaultLocked(_("The vault is locked."))
            loaded = WorkingSet(index_spec(RECORD_TYPES), snapshot=image)
            if self._discarded():  # (discard() may have come while it loaded)
                loaded.close()
                raise VaultLocked(_("The vault is locked."))
            self._ws = loaded
        return self._ws

    def _discarded(self) -> bool:
        with self._guard:
            return self._closed

    def discard(self) -> None:
        """No longer wanted (the vault locked, or a newer read began): drop the image if it
        is not loaded yet, and refuse every further read. From any thread; the reader's
        own :meth:`lock` closes what it loaded."""
        with self._guard:
            self._closed = True
            self._image = None

    def lock(self) -> None:
        """Drop the copied records (on the thread that reads them)."""
        self.discard()
        if self._ws is not None:
            self._ws.close()
            self._ws = None

    def begin_lock(self) -> Closing:
        """A copy has no vault to hand over: call :meth:`lock`."""
        raise ReadOnlyCopy("a read copy is closed with lock(), not handed over")
