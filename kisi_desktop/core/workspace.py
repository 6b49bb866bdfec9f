"""Workspace: the one façade the ``kisi`` command line and the GUI call.

It ties the sealed vault file to the domain model and the in-memory working set: records
are validated, wrapped in an envelope (kind, schema, timestamps, actor, owner), sealed and
committed in one transaction per user action, then mirrored into the working set that
serves lists and search. Locking drops the keys and the working set.
"""

from __future__ import annotations

import builtins
import dataclasses
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, cast

from kisi_desktop.core.clock import Clock, SystemClock, today
from kisi_desktop.core.domain.activity import Activity
from kisi_desktop.core.domain.before_birth import (
    check_after_birth,
    check_records_after_birth,
    first_day,
)
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.domain.case import Case
from kisi_desktop.core.domain.draft import Draft
from kisi_desktop.core.domain.entry_dates import check_entry_dates
from kisi_desktop.core.domain.field_groups import Many, Maybe, Nested
from kisi_desktop.core.domain.fields import Code, Day, Id, Spec, Text
from kisi_desktop.core.domain.municipality import Guide, Municipality, with_pay_change
from kisi_desktop.core.domain.person import Person, with_status_change
from kisi_desktop.core.domain.record import field_specs
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.registry import RECORD_TYPES, Record
from kisi_desktop.core.domain.time_sheet import TimeSheet
from kisi_desktop.core.domain.volunteer import Volunteer
from kisi_desktop.core.errors import (
    KisiError,
    RecordNotFound,
    StillNeeded,
    VaultLocked,
)
from kisi_desktop.core.i18n import _, ngettext
from kisi_desktop.core.municipality_use import refuse_if_in_use
from kisi_desktop.core.older_copy import Marks, OlderCopy, highest_epoch
from kisi_desktop.core.overview import count_month
from kisi_desktop.core.overview_glance import encode_glance, glance_days, read_glance
from kisi_desktop.core.store.audit import AuditReport, Findings
from kisi_desktop.core.store.not_opened import not_opened
from kisi_desktop.core.store.opening import OpenedFile
from kisi_desktop.core.store.sealed_store import (
    Delete,
    LoadedRecord,
    PassphrasePlan,
    Put,
    RecoveryPlan,
    RenewalPlan,
    RenewedKeys,
    Vault,
)
from kisi_desktop.core.store.working_set import Hit, IndexSpec, WorkingSet
from kisi_desktop.core.team import refuse_if_time_sheets
from kisi_desktop.core.vault.kdf import KdfParams
from kisi_desktop.core.vault.keys import KeySlot

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Record)
# Below this many records a cold unlock takes well under 0.2 s: no snapshot is kept.
SNAPSHOT_MIN_RECORDS = 2_000
ENTRY_ACTIONS = frozenset({"add", "update"})
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def index_spec(types: Mapping[str, type[Any]]) -> dict[str, IndexSpec]:
    """Search fields per kind as the record classes declare them; the label is the first."""
    spec = {}
    for kind, cls in types.items():
        search = tuple(getattr(cls, "SEARCH_FIELDS", ()))
        label = tuple(getattr(cls, "LABEL_FIELDS", ())) or search[:1]
        spec[kind] = IndexSpec(label=label, search=search, day=getattr(cls, "DAY_FIELD", None))
    return spec


@dataclass(frozen=True, slots=True)
class ErasureSummary:
    """What an erasure removed and changed (``subject_id``: the person or volunteer)."""

    subject_id: str
    removed: int
    updated: int


class Closing:
    """The rest of a lock (:meth:`Workspace.begin_lock`): refresh the sealed snapshot if
    due, then drop the working set and the keys.

    Large vaults keep a snapshot so they unlock without re-indexing; small ones unlock
    fast without and keep none. The snapshot is rewritten whenever anything changed since
    it was made, so deleted or edited content does not linger in it beyond the session.
    :meth:`finish` may run on another thread than the one that used the workspace (the
    GUI's lock thread); after the first call it has nothing left to do.
    """

    def __init__(
        self,
        vault: Vault | None,
        working: WorkingSet | None,
        changed: int,
        min_records: int,
        mark: Callable[[Vault], None] | None = None,
        glance_day: date | None = None,
    ) -> None:
        self._vault = vault
        self._working = working
        self._changed = changed
        self._min_records = min_records
        self._mark = mark
        # The day whose month the glance is sealed for (core/store/glance.py); None: none.
        self._glance_day = glance_day
        # Whether the glance there is current, once looked at (read and opened once).
        self._glance_current: bool | None = None

    @property
    def writes_snapshot(self) -> bool:
        """Whether :meth:`finish` has a snapshot to write (then it takes up to a second
        with 10,000 people; otherwise milliseconds)."""
        if self._vault is None or self._working is None:
            return False
        try:
            return self._due(self._vault, self._working) == "write"
        except (KisiError, OSError, sqlite3.Error):
            return False  # finish() meets the same error, says so, and closes

    @property
    def takes_time(self) -> bool:
        """Whether :meth:`finish` has more than milliseconds of work: a snapshot to write,
        or the glance of this month and the next to count and seal (45 ms each with 10,000
        people)."""
        if self.writes_snapshot:
            return True
        if self._vault is None or self._working is None:
            return False
        try:
            return self._glance_due(self._vault, write_snapshot=False)
        except (KisiError, OSError, sqlite3.Error):
            return False

    def _glance_due(self, vault: Vault, *, write_snapshot: bool) -> bool:
        """Whether to seal a glance now: the snapshot reflects the newest entry (it is the
        glance's root) and the glance there is not of this state and month already."""
        day = self._glance_day
        if day is None or vault.snapshot_seq() != vault.audit_seq():
            return False
        if write_snapshot:
            return True  # (the new snapshot key makes the old glance unreadable)
        if self._glance_current is None:
            data = vault.read_glance()
            self._glance_current = data is not None and all(
                read_glance(data, last) is not None for last in glance_days(day)
            )
        return not self._glance_current

    def _due(self, vault: Vault, working: WorkingSet) -> str | None:
        """What a lock has to do: write the snapshot, drop it (the vault shrank below the
        size that keeps one), or nothing (None)."""
        if vault.checking:
            # While the unlock's row check runs nothing changed since the snapshot (every
            # write settles the check first), and a lock must stop the check, not run it.
            return None
        if working.count() < self._min_records:
            return "drop" if vault.snapshot_seq() is not None else None
        if (
            vault.snapshot_seq() == vault.audit_seq()
            and not self._changed
            and not working.owner_index_built  # (restored from a snapshot made without it)
        ):
            return None
        return "write"

    def _refresh(self, vault: Vault, working: WorkingSet) -> None:
        try:
            due = self._due(vault, working)
            if due == "drop":
                vault.drop_snapshot()
            elif due == "write":
                working.owner_index()
                # Deleted and edited text lingers in the full-text index's old segments
                # and in free pages; rebuild and vacuum so the snapshot holds only what
                # is there now (GDPR Art. 16/17).
                working.compact()
                vault.write_snapshot(working.serialize())
        except (KisiError, OSError, sqlite3.Error) as error:
            # The next unlock opens every record instead: slower, not wrong. Said, so
            # that a disk that stays full does not go unnoticed.
            log.warning("snapshot not written: %s", type(error).__name__)
            return
        try:
            day = self._glance_day
            if day is not None and self._glance_due(vault, write_snapshot=due == "write"):
                vault.write_glance(_glance_of(working, day))
        except (KisiError, OSError, sqlite3.Error) as error:
            # The next unlock shows the Overview once the records are read, as before.
            log.warning("glance not written: %s", type(error).__name__)

    def finish(self) -> None:
        """Write the snapshot if due, then close the working set and the vault.

        The snapshot is a cache: if writing it fails (disk full), the vault still closes.
        """
        vault, working = self._vault, self._working
        self._vault = self._working = None
        try:
            if vault is not None and working is not None:
                self._refresh(vault, working)
            if vault is not None and self._mark is not None:
                self._mark(vault)  # (core/older_copy.py)
        finally:
            if working is not None:
                working.close()
            if vault is not None:
                vault.close()


def _glance_of(working: WorkingSet, day: date) -> bytes:
    """The Overview of this month and the next and the municipalities' names, counted from
    the records a lock holds, as the glance's bytes (core/overview_glance.py)."""
    records = _LockedRecords(working)
    counted = [count_month(records, last) for last in glance_days(day)]
    names = sorted(str(name) for _id, name in working.rows(Municipality.KIND, ["name"]) if name)
    return encode_glance(counted, tuple(names))


class _LockedRecords:
    """The records a lock still holds, read as :func:`month_overview` reads a workspace."""

    def __init__(self, working: WorkingSet) -> None:
        self.working_set = working

    def rows(self, cls: type[Any], fields: Sequence[str], **narrow: Any) -> list[tuple[Any, ...]]:
        return _rows(self.working_set, cls, fields, **narrow)

    def count_first_days(self, cls: type[Any], first: date, last: date) -> int:
        return self.working_set.count_first_days(cls.KIND, first.isoformat(), last.isoformat())

    def count(self, cls: type[Any] | None = None) -> int:
        return self.working_set.count(cls.KIND if cls is not None else None)


def _rows(
    working: WorkingSet,
    cls: type[Any],
    fields: Sequence[str],
    *,
    owner: str | None = None,
    days: tuple[date | None, date | None] | None = None,
    ids: Iterable[str] | None = None,
    until: tuple[str, date] | None = None,
    excluding: tuple[str, Sequence[str]] | None = None,
) -> list[tuple[Any, ...]]:
    """See :meth:`Workspace.rows`."""
    span = None
    if days is not None:
        if getattr(cls, "DAY_FIELD", None) is None:
            raise ValueError(f"{cls.__name__} records have no date to narrow by")
        span = tuple(d.isoformat() if d is not None else None for d in days)
    owners = None
    if ids is not None and cls is Person:
        # A person is their own owner: the owner index finds them without reading
        # every person (the Overview's names of the people with follow-ups due).
        owners, ids = ids, None
    return working.rows(
        cls.KIND,
        fields,
        owner=owner,
        days=span,  # type: ignore[arg-type]
        ids=ids,
        owners=owners,
        until=(until[0], until[1].isoformat()) if until is not None else None,
        excluding=excluding,
    )


class Workspace:
    """An unlocked vault with its working set. Build with :meth:`create` or :meth:`open`."""

    def __init__(
        self,
        vault: Vault,
        ref: ReferenceData,
        clock: Clock,
        *,
        snapshot_min_records: int = SNAPSHOT_MIN_RECORDS,
        check_later: bool = False,
    ) -> None:
        self._vault: Vault | None = vault
        self.ref = ref
        self.clock = clock
        self.path = vault.path
        self._snapshot_min_records = snapshot_min_records
        # Set by :meth:`open` with ``marks``: the file is older than the one last locked
        # on this computer (core/older_copy.py); None when it is not, or not asked.
        self.older_copy: OlderCopy | None = None
        self._marks: Marks | None = None
        self._ws: WorkingSet | None = None
        self._ws = self._open_records(vault, check_later=check_later)

    def _open_records(self, vault: Vault, *, check_later: bool) -> WorkingSet:
        """Fill the working set: from the sealed snapshot plus what changed since, else cold.

        Either way every row in the file is checked against the audit chain; the
        snapshot only saves decrypting and re-indexing records that did not change. With
        ``check_later`` and a snapshot of the newest entry, that check runs on a thread
        while the caller shows the records (see :meth:`settle_check`).
        """
        spec = index_spec(RECORD_TYPES)
        restored = vault.read_snapshot()
        if restored is not None:
            seq, data = restored
            try:
                working = WorkingSet(spec, snapshot=data)
            except ValueError:
                restored = None
            else:
                if check_later and seq == vault.audit_seq():
                    vault.check_later(after_seq=seq)
                    self.findings = Findings()
                    self._changed_since_snapshot = 0
                    return working
                changed: list[LoadedRecord] = []
                _none, report = vault.load(changed.extend, after_seq=seq)
                for rid in report.dropped_ids:
                    working.remove(rid)
                for record in changed:
                    working.upsert(record.id, record.kind, record.version, record.plain.decode())
                _check_anchor(vault, working, report)
                self.findings = Findings.of(report)
                self._changed_since_snapshot = len(changed) + len(report.dropped_ids)
                return working
        working = WorkingSet(spec)
        loader = working.loader()
        try:
            _none, report = vault.load(
                lambda chunk: loader.add([(r.id, r.kind, r.version, r.plain) for r in chunk])
            )
        finally:
            loader.finish()
        _check_anchor(vault, working, report)
        self.findings = Findings.of(report)
        self._changed_since_snapshot = working.count()
        return working

    @property
    def problems(self) -> tuple[str, ...]:
        """What the unlock's check found wrong, one line each (empty when all is well)."""
        return self.findings.problems

    # ------------------------------------------------------------------ life cycle
    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        clock: Clock | None = None,
        ref: ReferenceData | None = None,
        actor: str = "guide",
        snapshot_min_records: int = SNAPSHOT_MIN_RECORDS,
    ) -> tuple[Workspace, str]:
        """A new vault at ``path``; returns the workspace and the recovery code to show once."""
        clock = clock or SystemClock()
        vault, code = Vault.create(Path(path), passphrase, kdf=kdf, clock=clock, actor=actor)
        try:
            workspace = cls(
                vault, ref or ReferenceData.load(), clock, snapshot_min_records=snapshot_min_records
            )
        except BaseException:
            vault.discard()  # its recovery code was never shown: nobody could open it
            raise
        return workspace, code

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        passphrase: str | None = None,
        recovery_code: str | None = None,
        clock: Clock | None = None,
        ref: ReferenceData | None = None,
        actor: str = "guide",
        snapshot_min_records: int = SNAPSHOT_MIN_RECORDS,
        check_later: bool = False,
        marks: Marks | None = None,
        opened: OpenedFile | None = None,
    ) -> Workspace:
        """Unlock the vault at ``path`` and open every record into the working set.

        ``check_later``: let the check of every row against the audit chain run on a
        thread when the records come from a current snapshot (the GUI shows them
        meanwhile); the command line checks before it returns.
        ``marks``: compare the file with the copy last locked on this computer
        (:attr:`older_copy`), and mark it at every lock while it is not older.
        ``opened``: the unlock's first step already done (``opening.open_file``, whose
        master key also opens the glance); the secrets are then not needed.
        """
        clock = clock or SystemClock()
        vault = Vault.open(
            Path(path),
            passphrase=passphrase,
            recovery_code=recovery_code,
            clock=clock,
            actor=actor,
            lazy_keys=check_later,
            opened=opened,
        )
        try:
            workspace = cls(
                vault,
                ref or ReferenceData.load(),
                clock,
                snapshot_min_records=snapshot_min_records,
                check_later=check_later,
            )
            if marks is not None:
                workspace._marks = marks
                workspace.older_copy = marks.older_copy(vault)
            return workspace
        except sqlite3.DatabaseError as exc:
            vault.close()
            raise not_opened(path, exc) from exc
        except BaseException:
            vault.close()
            raise

    @property
    def locked(self) -> bool:
        """True once :meth:`lock` (or :meth:`begin_lock`) ran."""
        return self._vault is None

    def lock(self) -> None:
        """Drop the keys and every opened record (after refreshing the snapshot if due).

        The snapshot is a cache: if writing it fails (disk full), the vault still locks.
        """
        self.begin_lock().finish()

    def begin_lock(self) -> Closing:
        """Lock now, and hand over what is left to do: the GUI writes the snapshot on a
        thread, so that a lock does not freeze the window (0.24-0.51 s after one saved
        contact with 10,000 people; after an edit the full-text rebuild adds 0.45 s).

        From this call on the workspace behaves as locked (every access raises
        :class:`VaultLocked`); the keys and records live on only in the returned
        :class:`Closing` until its :meth:`~Closing.finish` ran.
        """
        mark = None
        if self._marks is not None and self.older_copy is None:
            # Not while the file is an older copy the guide has not decided on: the next
            # unlock must ask again (core/older_copy.py).
            marks, day, epoch = self._marks, today(self.clock), highest_epoch(self)
            mark = lambda vault: marks.remember_vault(vault, day, epoch)  # noqa: E731
        closing = Closing(
            self._vault,
            self._ws,
            self._changed_since_snapshot,
            self._snapshot_min_records,
            mark,
            glance_day=today(self.clock),
        )
        self._vault = None
        self._ws = None
        return closing

    @property
    def vault(self) -> Vault:
        """The open vault; raises VaultLocked after :meth:`lock`.

        Everything that writes goes through here, so a row check still running from the
        unlock is settled first (:meth:`settle_check`).
        """
        if self._vault is None:
            raise VaultLocked(_("The vault is locked."))
        if self._vault.checking:
            self.settle_check()
        return self._vault

    @property
    def vault_id(self) -> bytes:
        """The vault's id, without waiting for a row check still running (unlike
        :attr:`vault`): the window reads it right after the unlock."""
        if self._vault is None:
            raise VaultLocked(_("The vault is locked."))
        return self._vault.vault_id

    def erased_still_in_file(self) -> str | None:
        """After an erasure: a sentence for the guide if what was erased is still in the
        vault file, because another program was reading it (a backup copying it); the
        file is overwritten with the next save or at the lock (:meth:`Vault.checkpoint`).
        A data protection officer wants to know that a copy taken now would still hold it.
        """
        if self._vault is None or not self._vault.checkpoint_owed:
            return None
        return _(
            "Another program (a backup, for example) is reading the vault file right now. "
            "What was erased stays in the file until it is done, and is overwritten with "
            "the next save or when the vault is locked."
        )

    @property
    def checking(self) -> bool:
        """True while the unlock's row check runs on its thread (``check_later``)."""
        return self._vault is not None and self._vault.checking

    def start_check(self) -> None:
        """Begin the row check that ``check_later`` put off (it also begins when waited for)."""
        if self._vault is not None:
            self._vault.start_check()

    def wait_check(self, timeout: float | None = None) -> bool:
        """Block until the unlock's row check is done; safe on any thread (the GUI waits
        on a worker, then calls :meth:`settle_check` on its own thread)."""
        return self._vault.wait_check(timeout) if self._vault is not None else True

    def settle_check(self) -> tuple[str, ...]:
        """Take over the unlock's row check: records that failed it leave the working set.

        Returns the problems found (also in :attr:`problems`); call it on the thread
        that owns the workspace.
        """
        if self._vault is None:
            return self.problems
        report = self._vault.settle_check()
        if report is not None:
            working = self.working_set
            with working.batch():
                for rid in report.dropped_ids:
                    working.remove(rid)
            _check_anchor(self._vault, working, report)
            self.findings = Findings.of(report)
            self._changed_since_snapshot += len(report.dropped_ids)
        return self.problems

    @property
    def working_set(self) -> WorkingSet:
        """The in-memory records; raises VaultLocked after :meth:`lock`."""
        if self._ws is None:
            raise VaultLocked(_("The vault is locked."))
        return self._ws

    # ------------------------------------------------------------------ records
    def _envelope(
        self, record: Record, created_at: str | None, *, notes_deleted_on: str | None = None
    ) -> str:
        now = self.clock.now().isoformat()
        envelope = {
            "k": record.KIND,
            "s": record.SCHEMA_VERSION,
            "c": created_at or now,
            "u": now,
            "a": self.vault.actor,
            "o": record.owner_person_id() if record.KIND != "person" else record.id,
            "d": record.to_payload(),
        }
        if record.KIND == "person":
            # The day the person's notes were last deleted outlives every edit of theirs.
            kept = notes_deleted_on or self.notes_deleted_on(record.id)
            if kept is not None:
                envelope["n"] = str(kept)
        return _ENCODE(envelope)

    def notes_deleted_on(self, person_id: str) -> date | None:
        """The day :meth:`delete_notes` last deleted something of the person's, kept on
        their record (envelope key ``n``): after it nothing tells a person whose notes were
        deleted from one who never had any, and the page must not say the one of the other."""
        found = self.working_set.body(person_id)
        day = json.loads(found[1]).get("n") if found else None
        return date.fromisoformat(day) if isinstance(day, str) else None

    def _created_at(self, rid: str) -> str | None:
        found = self.working_set.body(rid)
        return json.loads(found[1])["c"] if found else None

    def save(self, records: Sequence[Record], action: str = "save") -> None:
        """Validate and store records as one user action (all or nothing); what is added
        or updated by hand also meets the rules for new entries (``entry_check``)."""
        puts: builtins.list[Put] = []
        bodies: builtins.list[str] = []
        for record in records:
            record.validate(self.ref)
            if action in ENTRY_ACTIONS:
                record.entry_check()
                check_entry_dates(record, today(self.clock))
                if (person := self._person_of(record, records)) is not None:
                    check_after_birth(record, person)
                if isinstance(record, Person) and self._birth_changed(record):
                    check_records_after_birth(record, self.dated_records(record.id))
            body = self._envelope(record, self._created_at(record.id))
            bodies.append(body)
            puts.append(
                Put(
                    kind=record.KIND,
                    id=record.id,
                    schema_v=record.SCHEMA_VERSION,
                    owner=record.owner_person_id() if record.KIND != "person" else None,
                    plain=body.encode("utf-8"),
                )
            )
        versions = self.vault.commit(action, puts)
        with self.working_set.batch():
            for record, body, version in zip(records, bodies, versions, strict=True):
                self.working_set.upsert(record.id, record.KIND, version, body)
        self._changed_since_snapshot += len(records)

    def _birth_changed(self, person: Person) -> bool:
        """Is ``person`` stored already, with another birth (or one not an estimate)?"""
        found = self.working_set.body(person.id)
        if found is None:
            return False
        stored = Person.from_payload(json.loads(found[1])["d"])
        return (stored.birth_date, stored.birth_year, stored.birth_estimated) != (
            person.birth_date,
            person.birth_year,
            person.birth_estimated,
        )

    def dated_records(self, person_id: str) -> builtins.list[tuple[str, date]]:
        """(kind, earliest date) of each of the person's records that has a date (not
        their own record, nor a form's draft): what a new birth is checked against."""
        dated = []
        for kind, rid in self.vault.records_sealed_with_person_key(person_id):
            if kind in (Person.KIND, Draft.KIND) or (found := self.working_set.body(rid)) is None:
                continue
            record = RECORD_TYPES[kind].from_payload(json.loads(found[1])["d"])
            if (day := first_day(record)) is not None:
                dated.append((kind, day))
        return dated

    def _person_of(self, record: Record, saved_with: Sequence[Record]) -> Person | None:
        """The person ``record`` is about (the one saved with it, else the stored one), or
        None for a person's own record or one about nobody."""
        owner = record.owner_person_id() if record.KIND != Person.KIND else None
        if owner is None:
            return None
        for other in saved_with:
            if isinstance(other, Person) and other.id == owner:
                return other
        found = self.working_set.body(owner)
        if found is None or found[0] != Person.KIND:
            return None
        return Person.from_payload(json.loads(found[1])["d"])

    def add(self, record: R) -> R:
        """Store a new record."""
        if self.working_set.body(record.id) is not None:
            raise ValueError("record already exists")
        self.save([record], "add")
        return record

    def update(self, record: R) -> R:
        """Store a new version of an existing record; returns what was stored (a person
        whose status changed keeps the earlier one: :func:`with_status_change`; a team
        member whose pay changed keeps the earlier pay: :func:`with_pay_change`)."""
        found = self.working_set.body(record.id)
        if found is None or found[0] != record.KIND:
            raise RecordNotFound(_("No such record: {id}").format(id=record.id))
        if isinstance(record, Person):
            old = Person.from_payload(json.loads(found[1])["d"])
            record = cast(R, with_status_change(old, record))
        elif isinstance(record, Guide):
            before = Guide.from_payload(json.loads(found[1])["d"])
            record = cast(R, with_pay_change(before, record))
        self.save([record], "update")
        return record

    def delete(self, kind: str, rid: str, *, despite_hold: bool = False) -> None:
        """Remove one record that is not a person or volunteer (those are erased, see
        erase_person and erase_volunteer). A person's record is refused while a case of
        theirs is on legal hold, as :meth:`delete_notes` is (one by one is no way around
        the hold); an unsaved form (draft) may always go. A team member is refused while
        time sheets of theirs count in the budget (:class:`~kisi_desktop.core.team.HasTimeSheets`).
        ``despite_hold``: a restore repeating a deletion the original vault made (it made
        it under the rules of its day, so neither refusal applies)."""
        if kind in ("person", "volunteer"):
            raise ValueError(f"use erase_{kind}: an erasure also clears the mentions")
        found = self.working_set.body(rid)
        if found is None or found[0] != kind:
            raise RecordNotFound(_("No such record: {id}").format(id=rid))
        envelope = json.loads(found[1])
        owner = envelope["o"]
        if owner and kind != Draft.KIND and not despite_hold:
            self.refuse_if_held(owner)
        if kind == Guide.KIND and not despite_hold:
            refuse_if_time_sheets(Guide.from_payload(envelope["d"]), self.list(TimeSheet))
        if kind == Municipality.KIND and not despite_hold:
            refuse_if_in_use(
                Municipality.from_payload(envelope["d"]),
                (key for _id, key in self.rows(Activity, ["municipality_ags"])),
                (key for _id, key in self.rows(Case, ["municipality_ags"])),
                (guide.municipality_ags for guide in self.list(Guide)),
            )
        self.vault.commit("delete", deletes=[Delete(kind, rid)])
        self.working_set.remove(rid)

    def get(self, cls: type[R], rid: str) -> R:
        """One record by id, as its domain class."""
        found = self.working_set.body(rid)
        if found is None or found[0] != cls.KIND:
            raise RecordNotFound(_("No such record: {id}").format(id=rid))
        return cls.from_payload(json.loads(found[1])["d"])

    def meta(self, rid: str) -> dict[str, Any]:
        """Envelope facts of a record: created/updated time, actor, owner."""
        found = self.working_set.body(rid)
        if found is None:
            raise RecordNotFound(_("No such record: {id}").format(id=rid))
        env = json.loads(found[1])
        return {
            "created_at": env["c"],
            "updated_at": env["u"],
            "actor": env["a"],
            "owner": env["o"],
        }

    def list(self, cls: type[R], *, owner: str | None = None) -> builtins.list[R]:
        """Every record of a class (newest first), optionally only one person's."""
        return [
            cls.from_payload(json.loads(body)["d"])
            for _rid, body in self.working_set.bodies(cls.KIND, owner=owner)
        ]

    def drafts(self, form_name: str) -> builtins.list[Draft]:
        """Drafts kept of the form called ``form_name`` (newest first): what a form closed
        by a lock or a crash left, for the window to offer back after the unlock."""
        return [d for d in self.list(Draft) if d.form == form_name]

    def rows(
        self,
        cls: type[Any],
        fields: Sequence[str],
        *,
        owner: str | None = None,
        days: tuple[date | None, date | None] | None = None,
        ids: Iterable[str] | None = None,
        until: tuple[str, date] | None = None,
        excluding: tuple[str, Sequence[str]] | None = None,
    ) -> builtins.list[tuple[Any, ...]]:
        """``(id, *fields)`` of every record of a class, straight from the working set.

        Raw JSON values (dates as ISO text, lists as JSON text), no domain objects: what a
        list of 10,000 people needs to fill its model in milliseconds. ``days`` keeps the
        records whose date (the class's ``DAY_FIELD``) lies in ``first``..``last``;
        ``ids`` keeps the records with those ids; ``until`` = (field, day) those whose
        date ``field`` is set and at most ``day``; ``excluding`` = (field, values) drops
        those whose ``field`` is one of ``values``.
        """
        return _rows(
            self.working_set,
            cls,
            fields,
            owner=owner,
            days=days,
            ids=ids,
            until=until,
            excluding=excluding,
        )

    def person_rows(
        self, cls: type[Any], person_id: str, fields: Sequence[str]
    ) -> builtins.list[builtins.list[Any]]:
        """``[id, *fields]`` of one person's records of a class, in no set order: JSON
        values (dates as ISO text, lists as lists), no domain objects, read as one value
        (``WorkingSet.owner_rows``), so a person page with 800 entries fills in
        milliseconds even while a worker reads beside it."""
        return self.working_set.owner_rows(cls.KIND, person_id, fields)

    def owners(self, cls: type[Any]) -> set[str]:
        """The people who have at least one record of a class."""
        return self.working_set.owners(cls.KIND)

    def owners_with_text(self, cls: type[Any], field: str, among: Iterable[str]) -> set[str]:
        """Those of ``among`` with a record of a class whose ``field`` is not empty."""
        return self.working_set.owners_with_text(cls.KIND, field, among)

    def first_days(self, cls: type[Any]) -> dict[str, date]:
        """Owner -> the earliest date (``DAY_FIELD``) among that owner's records of a class."""
        return {
            owner: date.fromisoformat(day)
            for owner, day in self.working_set.first_days(cls.KIND).items()
        }

    def last_days(self, cls: type[Any], *, owner: str | None = None) -> dict[str, date]:
        """Owner -> the latest date (``DAY_FIELD``) among that owner's records of a class."""
        return {
            who: date.fromisoformat(day)
            for who, day in self.working_set.last_days(cls.KIND, owner).items()
        }

    def count_first_days(self, cls: type[Any], first: date, last: date) -> int:
        """How many owners have their earliest record of a class in ``first``..``last``."""
        return self.working_set.count_first_days(cls.KIND, first.isoformat(), last.isoformat())

    def count(self, cls: type[Any] | None = None) -> int:
        """How many records (of a class) the vault holds."""
        return self.working_set.count(cls.KIND if cls is not None else None)

    def search(
        self, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> builtins.list[Hit]:
        """Full-text search across names, notes and other text, newest first."""
        return self.working_set.search(text, kinds=kinds, limit=limit)

    # ------------------------------------------------------------------ GDPR
    def _records_of(
        self, person_id: str
    ) -> tuple[builtins.list[tuple[str, str]], builtins.list[Record]]:
        """Records sealed under the person's key, and other records that mention them."""
        owned = self.vault.records_sealed_with_person_key(person_id)
        return owned, self._mentions(person_id, {rid for _kind, rid in owned})

    def export_person(self, person_id: str) -> dict[str, Any]:
        """Everything held on one person (GDPR Art. 15), as a JSON-safe dict."""
        owned, mentioning = self._records_of(person_id)
        records = []
        for kind, rid in sorted(owned):
            found = self.working_set.body(rid)
            if found is None:
                continue
            env = json.loads(found[1])
            records.append(
                {
                    "kind": kind,
                    "id": rid,
                    "created_at": env["c"],
                    "updated_at": env["u"],
                    "data": env["d"],
                }
            )
        return {
            "format": "kisi-person-export/1",
            "exported_at": self.clock.now().isoformat(),
            "person_id": person_id,
            "records": records,
            # Not other forms' unsaved drafts: they hold what was typed about others too.
            "mentioned_in": [_mention_of(r, person_id) for r in mentioning if r.KIND != "draft"],
        }

    def erase_person(self, person_id: str, *, despite_hold: bool = False) -> ErasureSummary:
        """Erase a person (GDPR Art. 17): their records, their key, their mentions elsewhere.

        Records sealed under the person's key are deleted and the key row destroyed; other
        records that name the person (e.g. as an activity participant) are rewritten without
        them, in the same transaction. The WAL is then checkpointed and truncated.

        Refused with :class:`StillNeeded` while a case of the person is on legal hold:
        deleting too early can be unlawful too (Art. 17(3)(b) GDPR). Lifting the hold is
        an edit of the case, audited like any other. ``despite_hold``: a restore repeats
        an erasure made later in the original vault, after the hold was lifted there.
        """
        if not despite_hold:
            self.refuse_if_held(person_id)
        owned, mentioning = self._records_of(person_id)
        # A draft may hold the person inside its typed values (a name, a picked id):
        # delete it rather than try to edit free-form input.
        drafts = [(r.KIND, r.id) for r in mentioning if r.KIND == "draft"]
        others = [r for r in mentioning if r.KIND != "draft"]
        return self._erase(person_id, [*owned, *drafts], others)

    def kept_records_naming(
        self, name: str, person_id: str
    ) -> builtins.list[tuple[str, date | None]]:
        """(kind, day) of the records an erasure of ``person_id`` keeps (or kept) whose
        text still names ``name``, as the full-text search finds them, oldest first.

        An erasure deletes the person's own records and takes their id out of the records
        that hold it, but text written into a record kept for others (a volunteer's
        deployment, evidence of a payment) stays as written: rewriting it unasked could
        spoil the evidence. The guide is told which records these are, to edit them.
        """
        found: builtins.list[tuple[str, date | None]] = []
        for hit in self.search(name, limit=500):
            if hit.id == person_id or hit.owner == person_id:
                continue  # the person's own: erased with them
            body = self.working_set.body(hit.id)
            day = _day_of(hit.kind, json.loads(body[1])["d"]) if body else None
            found.append((hit.kind, day))
        return sorted(found, key=lambda kept: (kept[1] or date.min, kept[0]))

    def erase_volunteer(self, volunteer_id: str) -> ErasureSummary:
        """Erase a volunteer (GDPR Art. 17): the record, the drafts naming them, and their
        place in training attendance lists; the WAL is then checkpointed and truncated.

        Refused with :class:`StillNeeded` while deployments of the volunteer exist: those
        carry the allowances and expenses paid, which the budget and the ministry's audit
        rely on. The guide deletes wrong deployments first, or removes only the contact
        details (:meth:`remove_volunteer_contact`).

        Only records that hold the id as a value count: an id pasted into a note is text.
        """
        self._volunteer_or_fail(volunteer_id)
        deployments = self.volunteer_deployments(volunteer_id)
        if deployments:
            raise StillNeeded(
                ngettext(
                    "This volunteer has {count} deployment. It records what was paid and "
                    "stays as evidence for the budget. Delete it first if it was entered by "
                    "mistake, or remove only the contact details.",
                    "This volunteer has {count} deployments. They record what was paid and "
                    "stay as evidence for the budget. Delete them first if they were entered "
                    "by mistake, or remove only the contact details.",
                    deployments,
                ).format(count=deployments)
            )
        mentioning = self._mentions(volunteer_id, set())
        drafts = [
            (r.KIND, r.id) for r in mentioning if r.KIND == "draft" and _holds(r, volunteer_id)
        ]
        others = [r for r in mentioning if r.KIND != "draft"]
        return self._erase(volunteer_id, [("volunteer", volunteer_id), *drafts], others)

    def volunteer_deployments(self, volunteer_id: str) -> int:
        """How many deployments record hours of (and payments to) the volunteer."""
        rows = self.working_set.conn.execute(
            "SELECT count(*) FROM item WHERE kind = 'volunteer_deployment' "
            "AND json_extract(body, '$.d.volunteer_id') = ?",
            (volunteer_id,),
        ).fetchone()
        return int(rows[0])

    def remove_volunteer_contact(self, volunteer_id: str) -> Volunteer:
        """Erase what is not needed as evidence of payments (GDPR Art. 17 as far as it
        goes): phone, e-mail and address go, the volunteer is marked not active, and the
        drafts of their form (which may hold typed details) are deleted. The name stays
        with the deployments. The WAL is checkpointed as after an erasure."""
        volunteer = self._volunteer_or_fail(volunteer_id)
        kept = dataclasses.replace(volunteer, phone="", email="", address="", active=False)
        kept.validate(self.ref)
        drafts = [
            Delete("draft", r.id)
            for r in self._mentions(volunteer_id, set())
            if r.KIND == "draft" and _holds(r, volunteer_id)
        ]
        body = self._envelope(kept, self._created_at(volunteer_id))
        put = Put(kept.KIND, kept.id, kept.SCHEMA_VERSION, None, body.encode("utf-8"))
        [version] = self.vault.commit("erase", [put], drafts, erasing=True)
        self.vault.checkpoint()
        with self.working_set.batch():
            for delete in drafts:
                self.working_set.remove(delete.id)
            self.working_set.upsert(kept.id, kept.KIND, version, body)
        return kept

    def delete_notes(self, person_id: str, *, despite_hold: bool = False) -> int:
        """Delete what the notes' retention period covers (case notes, DOMAIN.md): the
        person's notes, follow-ups and unsaved drafts, the free text of their contacts
        and referrals, and the referrals' follow-up days. What proves participation
        stays until its own date: the person, the contacts and referrals themselves,
        cases, consents, events, results. One transaction, then the WAL is checkpointed;
        returns how many records it touched. Refused on legal hold, as
        :meth:`erase_person` is."""
        if not despite_hold:
            self.refuse_if_held(person_id)
        going = {"note", "followup", "draft"}
        deletes = [
            Delete(kind, rid) for kind, rid in self.working_set.owned_by(person_id) if kind in going
        ]
        cleared: builtins.list[Record] = []
        for cls in (RECORD_TYPES["contact"], RECORD_TYPES["referral"]):
            for record in self.list(cls, owner=person_id):
                # A referral's follow-up day is a follow-up too: left, it kept the person
                # named in the Overview's due list after everything else had gone.
                emptied: dict[str, str | None] = {}
                if getattr(record, "follow_up_on", None) is not None:
                    emptied["follow_up_on"] = None
                if getattr(record, "note", ""):
                    emptied["note"] = ""
                if emptied:
                    payload = {**record.to_payload(), **emptied}
                    cleared.append(type(record).from_payload(payload))
        puts, bodies = [], []
        for record in cleared:
            body = self._envelope(record, self._created_at(record.id))
            bodies.append(body)
            puts.append(
                Put(record.KIND, record.id, record.SCHEMA_VERSION, person_id, body.encode("utf-8"))
            )
        if not deletes and not puts:
            return 0
        touched = len(deletes) + len(cleared)
        # The person's record notes the day, in the same erasure (see notes_deleted_on).
        person = self.get(Person, person_id)
        day = today(self.clock).isoformat()
        body = self._envelope(person, self._created_at(person_id), notes_deleted_on=day)
        cleared.append(person)
        bodies.append(body)
        puts.append(Put(person.KIND, person.id, person.SCHEMA_VERSION, None, body.encode("utf-8")))
        versions = self.vault.commit("erase", puts, deletes, erasing=True)
        self.vault.checkpoint()
        with self.working_set.batch():
            for delete in deletes:
                self.working_set.remove(delete.id)
            for record, body, version in zip(cleared, bodies, versions, strict=True):
                self.working_set.upsert(record.id, record.KIND, version, body)
        return touched

    def on_legal_hold(self, person_id: str) -> bool:
        """Whether a case of the person is on legal hold (their data must stay for now)."""
        return any(hold for _cid, hold in self.rows(Case, ["legal_hold"], owner=person_id))

    def refuse_if_held(self, person_id: str) -> None:
        """Raise :class:`StillNeeded` (saying what to do) if the person is on legal hold."""
        if self.on_legal_hold(person_id):
            raise StillNeeded(
                _(
                    "A case of this person is on legal hold: their data must be kept for "
                    "now. If deleting is lawful, lift the hold in the case first."
                )
            )

    def _volunteer_or_fail(self, volunteer_id: str) -> Volunteer:
        found = self.working_set.body(volunteer_id)
        if found is None or found[0] != Volunteer.KIND:
            raise RecordNotFound(_("No such record: {id}").format(id=volunteer_id))
        return Volunteer.from_payload(json.loads(found[1])["d"])

    def _mentions(self, rid: str, skip: set[str]) -> builtins.list[Record]:
        """Records (other than those in ``skip`` and ``rid`` itself) whose body names ``rid``."""
        rows: builtins.list[tuple[str, str, str]] = self.working_set.conn.execute(
            "SELECT id, kind, body FROM item WHERE instr(body, ?) > 0", (rid,)
        ).fetchall()
        return [
            RECORD_TYPES[kind].from_payload(json.loads(body)["d"])
            for found, kind, body in rows
            if found not in skip and found != rid
        ]

    def _erase(
        self,
        subject_id: str,
        deletes: builtins.list[tuple[str, str]],
        mentioning: builtins.list[Record],
    ) -> ErasureSummary:
        """Delete ``deletes`` and rewrite ``mentioning`` without ``subject_id``, in one
        transaction, then checkpoint so no old page keeps what was erased."""
        # Only records that change: one that names the id in free text only stays as it is.
        rewritten = [w for r in mentioning if (w := _without(r, subject_id)) != r]
        puts: builtins.list[Put] = []
        bodies: builtins.list[str] = []
        for record in rewritten:
            record.validate(self.ref)
            body = self._envelope(record, self._created_at(record.id))
            bodies.append(body)
            puts.append(
                Put(
                    record.KIND,
                    record.id,
                    record.SCHEMA_VERSION,
                    record.owner_person_id(),
                    body.encode("utf-8"),
                )
            )
        versions = self.vault.commit(
            "erase", puts, [Delete(k, rid) for k, rid in deletes], erasing=True
        )
        self.vault.checkpoint()
        with self.working_set.batch():
            for _kind, rid in deletes:
                self.working_set.remove(rid)
            for record, body, version in zip(rewritten, bodies, versions, strict=True):
                self.working_set.upsert(record.id, record.KIND, version, body)
        return ErasureSummary(subject_id, removed=len(deletes), updated=len(rewritten))

    # ------------------------------------------------------------------ secrets and audit
    def change_passphrase(self, new_passphrase: str, *, kdf: KdfParams | None = None) -> None:
        """Rewrap the master key under a new passphrase (one transaction)."""
        self.vault.change_passphrase(new_passphrase, kdf=kdf)

    def plan_passphrase(
        self, new_passphrase: str, *, current: str | None = None, kdf: KdfParams | None = None
    ) -> PassphrasePlan:
        """A passphrase change in three steps for the GUI: read here, derive the keys on a
        worker (:meth:`PassphrasePlan.derive`, a second or two), store the slot here
        (:meth:`finish_passphrase`). ``current``: checked before anything changes."""
        return self.vault.plan_passphrase(new_passphrase, current=current, kdf=kdf)

    def finish_passphrase(self, slot: KeySlot) -> None:
        """Store the slot a :class:`PassphrasePlan` derived."""
        self.vault.write_passphrase_slot(slot)

    def plan_recovery(self, passphrase: str) -> RecoveryPlan:
        """A new recovery code in three steps, as :meth:`plan_passphrase`: read here,
        derive on a worker (:meth:`RecoveryPlan.derive` checks ``passphrase``), store
        here (:meth:`finish_recovery`)."""
        return self.vault.plan_recovery(passphrase)

    def finish_recovery(self, slot: KeySlot) -> None:
        """Store the slot a :class:`RecoveryPlan` derived: the old code stops working."""
        self.vault.write_recovery_slot(slot)

    def replace_recovery_code(self, passphrase: str) -> str:
        """All three steps at once (the command line); returns the new code to show once."""
        slot, code = self.plan_recovery(passphrase).derive()
        self.finish_recovery(slot)
        return code

    def renew_keys(
        self,
        current: str,
        *,
        new_passphrase: str | None = None,
        kdf: KdfParams | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> str:
        """Renew every key and seal every record again (``Vault.renew_keys``): for a
        recovery sheet or passphrase someone else may know. Returns the new recovery code
        to show once; the old code, and the old passphrase if ``new_passphrase`` is
        given, stop opening this file. The records and what the window shows stay as
        they are; a lock writes a new snapshot."""
        renewed = self.plan_renewal(current, new_passphrase=new_passphrase, kdf=kdf).derive()
        self.renew_keys_with(renewed, progress=progress)
        return renewed.recovery_code

    def plan_renewal(
        self, current: str, *, new_passphrase: str | None = None, kdf: KdfParams | None = None
    ) -> RenewalPlan:
        """A renewal in three steps for the window: read here; derive the new keys and
        recovery code on a worker (:meth:`RenewalPlan.derive` checks ``current``); show
        the code and have it written down; then :meth:`renew_keys_with` on a worker."""
        return self.vault.plan_renewal(current, new_passphrase=new_passphrase, kdf=kdf)

    def renew_keys_with(
        self, renewed: RenewedKeys, *, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Seal every record again under the keys of ``renewed`` (seconds with 10,000
        people; ``progress(done, total)``); a lock then writes a new snapshot."""
        self.vault.renew_keys_with(renewed, progress=progress)
        self._changed_since_snapshot = max(self._changed_since_snapshot, self.count())
        if self._marks is not None and self.older_copy is None:
            # Marked now, not only at the lock: a copy of the file from before the renewal
            # (its old keys) put back after a crash is then taken for what it is.
            self._marks.remember_vault(self.vault, today(self.clock), highest_epoch(self))

    def audit_verify(self) -> AuditReport:
        """Check the audit chain and every row in the file against it, and that the chain
        still holds the head of the newest bundle exported."""
        report = self.vault.verify_audit()
        _check_anchor(self.vault, self.working_set, report)
        return report


def _check_anchor(vault: Vault, working: WorkingSet, report: AuditReport) -> None:
    """Add to ``report`` if the chain lost the audit head of the newest bundle in the bundle
    log (SECURITY.md 6.1.6, test plan S4); part of every full check at unlock.

    The row check proves each row against the chain, but whoever holds the passphrase can
    cut entries off the log or rebuild it and record the rows again. A bundle took the
    head it was made at to the ministry, and the bundle log keeps a copy: the chain must
    still hold that entry, unchanged. The highest head recorded is the one checked (the
    chain links every earlier entry to it); bundle log entries from before heads were
    recorded carry none. Read after the row check, so a bundle log entry that failed it
    (and left the working set) names nothing.

    This detects audit entries removed or rewritten after an export, not a rollback of
    the whole file to a copy from before it: the bundle log rolls back with the file (the
    ministry sees that one: the next bundle repeats a sequence number, ``fork``, or names
    an earlier head, ``audit_rollback``).
    """
    newest: tuple[int, str, str] | None = None
    for _rid, seq, mac, name in working.rows(
        BundleEntry.KIND, ("audit_seq", "audit_mac", "file_name")
    ):
        if isinstance(seq, int) and isinstance(mac, str) and (newest is None or seq > newest[0]):
            newest = (seq, mac, str(name))
    if newest is not None:
        vault.check_anchor(report, newest[0], bytes.fromhex(newest[1]), newest[2])


def _holds(draft: Record, rid: str) -> bool:
    """Whether a draft is of ``rid``'s form or holds ``rid`` as a picked value."""
    if getattr(draft, "record_id", None) == rid:
        return True
    values = draft.values() if isinstance(draft, Draft) else {}
    return any(v == rid or (isinstance(v, list) and rid in v) for v in values.values())


def _mention_of(record: Record, rid: str) -> dict[str, Any]:
    """A record that names ``rid`` (an event it attended), as the person's export shows it.

    What it says about others is their data, not the person's (Art. 15(4) GDPR: the copy
    must not adversely affect the rights of others). So the copy keeps what concerns the
    person: the record's kind, its title (``LABEL_FIELDS``), dates, codes, flags and
    numbers, and ``rid`` in the fields that hold it. A list that holds ``rid`` keeps
    ``rid`` alone (``others_left_out`` says how many entries it had besides). Any other
    text is left out, free text above all (an event's note may well name another
    participant: ``text_left_out`` names such fields that had something), and so are
    other ids and nested entries.
    """
    payload = record.to_payload()
    titles = set(getattr(type(record), "LABEL_FIELDS", ()))
    kept: dict[str, Any] = {}
    left_out: dict[str, int] = {}
    text_left_out: builtins.list[str] = []
    for field, spec in field_specs(type(record)):
        name, value = field.name, payload.get(field.name)
        inner = _inner_spec(spec)
        if isinstance(value, list) and rid in value:
            kept[name] = [rid]
            if len(value) > 1:
                left_out[name] = len(value) - 1
        elif name == "id" or value == rid:
            kept[name] = value
        elif isinstance(inner, Text) and not isinstance(inner, Code):
            if name in titles and not inner.multiline:
                kept[name] = value
            elif value and inner.pattern is None:
                text_left_out.append(name)
            # (text of a fixed form, a phone number or municipality key: left out unsaid)
        elif not isinstance(inner, Id | Nested):
            kept[name] = value
    mention: dict[str, Any] = {"kind": record.KIND, "id": record.id, "data": kept}
    if left_out:
        mention["others_left_out"] = left_out
    if text_left_out:
        mention["text_left_out"] = text_left_out
    return mention


def _day_of(kind: str, data: Mapping[str, Any]) -> date | None:
    """The day a record is about: its ``DAY_FIELD``, else its first date (a deployment's)."""
    cls = RECORD_TYPES.get(kind)
    if cls is None:
        return None
    days = [f.name for f, spec in field_specs(cls) if isinstance(_inner_spec(spec), Day)]
    name = getattr(cls, "DAY_FIELD", None) or (days[0] if days else None)
    value = data.get(name) if name else None
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _inner_spec(spec: Spec) -> Spec:
    """The kind of a field's values, through lists and optional values."""
    while isinstance(spec, Many | Maybe):
        spec = spec.item if isinstance(spec, Many) else spec.inner
    return spec


def _without(record: Record, rid: str) -> Record:
    """The record with every reference to ``rid`` removed (a field cleared or a list item)."""
    payload = record.to_payload()
    for key, value in list(payload.items()):
        if value == rid:
            payload[key] = None
        elif isinstance(value, list):
            payload[key] = [v for v in value if v != rid]
    return type(record).from_payload(payload)
