"""A read-only copy of the open records, for counting on a worker thread.

Reports and the export preview read every contact of a year: half a second with 10,000
people. Run on the UI thread, that freezes the window; run on a worker over the live
workspace, they would share its SQLite connection with the guide's writes and could see
a save half done. A copy taken at one moment has neither problem.

The copy is taken on the worker, at its first read (``ReadCopy(workspace)`` itself only
notes the workspace): page by page from the working set, while the owning thread goes on,
and always between two saves, never in the middle of one (``WorkingSet(copy_of=...)``).
It then holds the records of that moment: a save that comes later is not in it. Taken as
an image on the owning thread instead, it froze the window 35-55 ms at every read (10,000
people). The copy opens no vault file and holds no key: whatever would write raises
:class:`ReadOnlyCopy`.

A lock of the vault should not leave a copy's plaintext behind for long: :meth:`discard`,
safe to call from the owning thread while a worker reads, stops a copy being taken, and
makes the worker's next read fail, so that it stops and closes the copy.
"""

from __future__ import annotations

import threading

from kisi_desktop.core.domain.registry import RECORD_TYPES
from kisi_desktop.core.errors import VaultLocked
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.store.working_set import CopyStopped, WorkingSet
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
        self._source: WorkingSet | None = source.working_set
        self._failure: BaseException | None = None
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
        """The copied records, copied into their own database on first use (on the worker)."""
        with self._guard:
            if self._closed:
                raise VaultLocked(_("The vault is locked."))
            source, self._source = self._source, None
        if self._ws is None:
            if self._failure is not None:
                raise self._failure
            if source is None:  # (never: only a discard takes it away)
                raise VaultLocked(_("The vault is locked."))
            try:
                copied = WorkingSet(
                    index_spec(RECORD_TYPES),
                    copy_of=source,
                    stop=self._discarded,
                )
            except CopyStopped:
                raise VaultLocked(_("The vault is locked.")) from None
            except BaseException as error:  # (no memory; a bug): said again at every read
                self._failure = error
                raise
            if self._discarded():  # (discard() may have come after the last step)
                copied.close()
                raise VaultLocked(_("The vault is locked."))
            self._ws = copied
        return self._ws

    def _discarded(self) -> bool:
        with self._guard:
            return self._closed

    def discard(self) -> None:
        """No longer wanted (the vault locked, or a newer read began): stop a copy being
        taken, forget the source if none began, and refuse every further read. From any
        thread; the reader's own :meth:`lock` closes what it copied."""
        with self._guard:
            self._closed = True
            self._source = None

    def lock(self) -> None:
        """Drop the copied records (on the thread that reads them)."""
        self.discard()
        if self._ws is not None:
            self._ws.close()
            self._ws = None

    def begin_lock(self) -> Closing:
        """A copy has no vault to hand over: call :meth:`lock`."""
        raise ReadOnlyCopy("a read copy is closed with lock(), not handed over")
