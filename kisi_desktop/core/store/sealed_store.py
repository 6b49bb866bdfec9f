"""The vault file: key slots, wrapped keys and sealed records in one SQLite database.

This module knows bytes, keys and transactions, not the domain: callers hand it
plaintext records (already encoded) and get plaintext back at unlock. Every write is one
``db.atomic()`` transaction that seals the records, writes them and appends one audit
entry, so a crash leaves either all of a user action or none of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kisi_desktop.core import crashpoints
from kisi_desktop.core.clock import Clock, SystemClock
from kisi_desktop.core.errors import (
    KisiError,
    RecordNotFound,
    SealBroken,
    UserError,
    VaultCorrupt,
    VaultExists,
    VaultLocked,
    VaultWriteFailed,
    WrongSecret,
)
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store import glance, snapshot, vault_file
from kisi_desktop.core.store.audit import AuditChain, AuditEntry, AuditKeys, AuditReport, Change
from kisi_desktop.core.store.db import database
from kisi_desktop.core.store.key_ring import KeyRing
from kisi_desktop.core.store.not_opened import not_opened
from kisi_desktop.core.store.opening import OpenedFile, open_file
from kisi_desktop.core.store.vault_file import APPLICATION_ID, FORMAT_VERSION
from kisi_desktop.core.store.vault_lock import VaultLock
from kisi_desktop.core.vault import keys, recovery, subkeys
from kisi_desktop.core.vault.encoding import length_prefixed, record_aad
from kisi_desktop.core.vault.kdf import KdfParams, calibrate
from kisi_desktop.core.vault.seal import SealingKey

# NIST SP 800-38D caps random-nonce GCM at 2^32 seals per key; rotate far earlier.
ROTATE_AFTER = 2**30
# How long a write waits for another connection to the file (sqlite3.connect's default).
BUSY_MS = 5000
# At close a checkpoint an erasure still owes waits longer: the window has already locked
# (this runs on the thread that writes the snapshot), and a backup's copy steps are short.
CLOSE_CHECKPOINT_MS = 30_000
# A renewal of the keys waits as long for its checkpoint: until it passes, a copy of the
# main file still opens with the old secrets.
RENEW_CHECKPOINT_MS = CLOSE_CHECKPOINT_MS
PERSON_KIND = "person"
# Records sealed again per statement while the keys are renewed.
RENEW_CHUNK = 2048
DRAFT_KIND = "draft"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Put:
    """Write a new version of a record (plaintext already encoded by the caller)."""

    kind: str
    id: str
    schema_v: int
    owner: str | None
    plain: bytes


@dataclass(frozen=True, slots=True)
class Delete:
    """Remove a record (its audit trail stays, without content)."""

    kind: str
    id: str


@dataclass(frozen=True, slots=True)
class LoadedRecord:
    """One record as opened at unlock."""

    kind: str
    id: str
    version: int
    plain: bytes


_Row = tuple[str, int, str]
"""(kind, version, key_ref) of a live record. A plain tuple, not a class: a vault holds
100,000 of them, and Python's collector stops tracking tuples of plain values, so a full
collection (on the UI thread, see ui/gc_guard.py) scans 60 % fewer objects."""
_KIND: Final = 0
_VERSION: Final = 1
_KEY_REF: Final = 2


@dataclass(slots=True)
class _Scan:
    """What one pass over the record table found (see :meth:`Vault.load`)."""

    loaded: list[LoadedRecord]
    report: AuditReport
    rows: dict[str, _Row]
    person_key_ref: dict[str, str]


@dataclass(frozen=True, slots=True)
class PassphrasePlan:
    """A passphrase change between reading the file and writing it (see
    :meth:`Vault.plan_passphrase`): holds the master key, so it lives only as long as
    the change."""

    secret: bytes
    current: bytes | None
    slot: keys.KeySlot
    params: KdfParams | None
    vmk: bytes
    vault_id: bytes

    def derive(self) -> keys.KeySlot:
        """Check the current passphrase (if one was given) and wrap the master key under
        the new one: Argon2id twice, so a second or two; touches no file."""
        if (
            self.current is not None
            and keys.open_slot(self.slot, self.current, self.vault_id) != self.vmk
        ):
            raise WrongSecret(_("Wrong passphrase."))
        params = self.params or calibrate()
        return keys.make_slot(
            "passphrase", "passphrase", self.secret, self.vmk, self.vault_id, params
        )


@dataclass(frozen=True, slots=True)
class RecoveryPlan:
    """A new recovery code between reading the file and writing it (see
    :meth:`Vault.plan_recovery`): holds the master key, so it lives only as long as that."""

    passphrase_slot: keys.KeySlot
    current: bytes
    vmk: bytes
    vault_id: bytes

    def derive(self) -> tuple[keys.KeySlot, str]:
        """Check the passphrase (Argon2id: a second, on any thread; the recovery code is
        no passphrase, so whoever sits at an unlocked laptop cannot make one to take
        away), then draw a new code and wrap the master key under it. Touches no file."""
        if keys.open_slot(self.passphrase_slot, self.current, self.vault_id) != self.vmk:
            raise WrongSecret(_("Wrong passphrase."))
        secret = recovery.generate()
        slot = keys.make_slot("recovery", "recovery", secret, self.vmk, self.vault_id, None)
        return slot, recovery.format_code(secret)


@dataclass(frozen=True, slots=True)
class RenewedKeys:
    """What a renewal of the keys writes, made before any record is touched: the new
    master key, both slots under it, and the new recovery code (the window shows the
    code, and has it written down, before :meth:`Vault.renew_keys_with` stores any of it,
    so that no crash can leave a vault whose only code nobody saw)."""

    vmk: bytes
    slots: tuple[keys.KeySlot, keys.KeySlot]
    recovery_code: str


@dataclass(frozen=True, slots=True)
class RenewalPlan:
    """A renewal of every key between reading the file and writing it (see
    :meth:`Vault.plan_renewal`)."""

    passphrase_slot: keys.KeySlot
    current: bytes
    new_secret: bytes | None
    params: KdfParams | None
    vmk: bytes
    vault_id: bytes

    def derive(self) -> RenewedKeys:
        """Check the current passphrase, draw the new master key and recovery code and
        wrap the key under the passphrase (or the new one) and the code: Argon2id twice,
        a second or two, on any thread; touches no file."""
        if keys.open_slot(self.passphrase_slot, self.current, self.vault_id) != self.vmk:
            raise WrongSecret(_("Wrong passphrase."))
        params = self.params or calibrate()
        vmk = keys.new_key()
        recovery_secret = recovery.generate()
        secret = self.new_secret if self.new_secret is not None else self.current
        slots = (
            keys.make_slot("passphrase", "passphrase", secret, vmk, self.vault_id, params),
            keys.make_slot("recovery", "recovery", recovery_secret, vmk, self.vault_id, None),
        )
        return RenewedKeys(vmk, slots, recovery.format_code(recovery_secret))


def _try_checkpoint(conn: sqlite3.Connection, wait_ms: int) -> bool:
    """Checkpoint and truncate the WAL, waiting up to ``wait_ms`` for readers of the file;
    whether every page reached the main file."""
    conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
    try:
        busy, _log, _moved = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    return bool(busy == 0)


def remove_files(path: Path) -> None:
    """Remove a vault file with the files SQLite keeps beside it (not the lock file)."""
    for extra in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + extra).unlink()


class Vault:
    """An unlocked vault file: build with create() or open(); close() drops the keys."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        vault_id: bytes,
        vmk: bytes,
        *,
        clock: Clock,
        actor: str,
        rotate_after: int = ROTATE_AFTER,
        lazy_keys: bool = False,
        lock: VaultLock | None = None,
    ) -> None:
        self.path = path
        # Held until close(): one open workspace per vault (core/store/vault_lock.py).
        self._lock = lock
        self.vault_id = vault_id
        self._conn: sqlite3.Connection | None = conn
        self._vmk: bytes | None = vmk
        self._clock = clock
        self.actor = actor
        self._rotate_after = rotate_after
        self._audit = _audit_chain(conn, path, vmk, vault_id)
        self._keys = KeyRing(self._unwrap_person_key)
        self._rows: dict[str, _Row] = {}
        self._person_key_ref: dict[str, str] = {}
        # A row check running on a thread (check_later): its result and its stop flag.
        self._pending: tuple[Future[_Scan], threading.Event] | None = None
        self._unclaimed: AuditReport | None = None
        self._refused: KisiError | None = None
        self._start_check: Callable[[], None] | None = None
        self._start_lock = threading.Lock()
        self._check_after = 0
        # An erasure's checkpoint that another reader of the file held up (checkpoint()).
        self._checkpoint_owed = False
        self._aad_prefix = length_prefixed("KISI-REC", FORMAT_VERSION, vault_id)
        self._load_keys(lazy=lazy_keys)

    # ----------------------------------------------------------------- life cycle
    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        clock: Clock | None = None,
        actor: str = "guide",
        rotate_after: int = ROTATE_AFTER,
    ) -> tuple[Vault, str]:
        """Make a new, empty vault; returns it unlocked with the recovery code to show once.

        ``kdf`` defaults to parameters calibrated on this machine; tests pass
        :data:`kisi_desktop.core.vault.kdf.TEST_PARAMS` explicitly.
        """
        clock = clock or SystemClock()
        secret = keys.check_passphrase(passphrase)
        path = Path(path)
        if path.exists():
            raise VaultExists(_("A vault already exists at {path}.").format(path=path))
        # Owner-only folder and file: the file holds only ciphertext, but nobody else on the
        # machine needs to read, copy or delete it (SQLite gives -wal/-shm the same mode).
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The lock first: a restore or another set-up making a vault at this path holds
        # it, and nothing (not even an empty file) is left behind by the one refused.
        lock = VaultLock.acquire(path)
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            lock.release()
            raise VaultExists(_("A vault already exists at {path}.").format(path=path)) from None
        except BaseException:
            lock.release_unused()
            raise
        try:
            return cls._create(path, secret, kdf, clock, actor, rotate_after, lock)
        except BaseException:
            # Nothing half-made stays (an empty file would read as a damaged vault and
            # stop the next set-up); removed while the lock still keeps others out.
            remove_files(path)
            lock.release_unused()
            raise

    @classmethod
    def _create(
        cls,
        path: Path,
        secret: bytes,
        kdf: KdfParams | None,
        clock: Clock,
        actor: str,
        rotate_after: int,
        lock: VaultLock,
    ) -> tuple[Vault, str]:
        params = kdf or calibrate()
        vault_id = keys.new_key()[:16]
        vmk = keys.new_key()
        recovery_secret = recovery.generate()
        conn = vault_file.connect(path)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        vault_file.migrate(conn)
        db = database(conn)
        audit = AuditChain(
            subkeys.derive_subkey(vmk, subkeys.AUDIT_MAC),
            subkeys.derive_subkey(vmk, subkeys.AUDIT_SEAL),
            vault_id,
        )
        with db.atomic():
            conn.execute(
                "INSERT INTO vault_meta VALUES (1, ?, ?, ?, 0, ?)",
                (FORMAT_VERSION, vault_id, clock.now().isoformat(), audit.genesis()),
            )
            for slot in (
                keys.make_slot("passphrase", "passphrase", secret, vmk, vault_id, params),
                keys.make_slot("recovery", "recovery", recovery_secret, vmk, vault_id, None),
            ):
                vault_file.write_slot(conn, slot)
            vault_file.new_data_key(conn, vmk, vault_id, generation=1)
            audit.append(conn, ts=clock.now().isoformat(), actor=actor, action="init", changes=[])
        vault = cls(
            path,
            conn,
            vault_id,
            vmk,
            clock=clock,
            actor=actor,
            rotate_after=rotate_after,
            lock=lock,
        )
        return vault, recovery.format_code(recovery_secret)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        passphrase: str | None = None,
        recovery_code: str | None = None,
        clock: Clock | None = None,
        actor: str = "guide",
        rotate_after: int = ROTATE_AFTER,
        lazy_keys: bool = False,
        opened: OpenedFile | None = None,
    ) -> Vault:
        """Unlock an existing vault; a wrong secret changes nothing and raises WrongSecret.

        ``lazy_keys``: leave person keys wrapped until used; the row check (:meth:`load`
        or :meth:`check_later`) unwraps the rest and refuses the vault if one was altered.
        ``opened``: the file already opened with its master key (``opening.open_file``,
        the unlock's first step); taken over, and closed should this fail. The secrets are
        then not needed.
        """
        if opened is None:
            opened = open_file(Path(path), passphrase=passphrase, recovery_code=recovery_code)
        path, conn = opened.path, opened.conn
        try:
            vault_file.migrate(conn)
            # A checkpoint owed when the last session ended (a crash while a backup read
            # the file) is paid now; the lock keeps other writers out, readers are not
            # waited for. Normally the WAL is empty here and this costs nothing.
            _try_checkpoint(conn, 0)
            # Inside the try: a data or person key that fails to unwrap (VaultCorrupt) must
            # not leave the file open.
            return cls(
                path,
                conn,
                opened.vault_id,
                opened.vmk,
                clock=clock or SystemClock(),
                actor=actor,
                rotate_after=rotate_after,
                lazy_keys=lazy_keys,
                lock=opened.lock,
            )
        except sqlite3.DatabaseError as exc:
            opened.close()
            raise not_opened(path, exc) from exc
        except BaseException:
            opened.close()
            raise

    def discard(self) -> None:
        """Close and remove a vault that was just made and never handed out (its
        recovery code never shown): set-up failed after the file was written."""
        lock, self._lock = self._lock, None
        self.close()
        remove_files(self.path)
        if lock is not None:
            lock.release()

    def close(self) -> None:
        """Drop keys and close the file (best effort: Python cannot wipe memory)."""
        pending, self._pending = self._pending, None
        with self._start_lock:
            self._start_check = None
        if pending is not None and not pending[0].cancel():
            # The check reads the keys: stop it and let it finish before they go.
            pending[1].set()
            with contextlib.suppress(BaseException):
                pending[0].exception()
        self._keys.clear()
        self._rows.clear()
        self._person_key_ref.clear()
        self._vmk = None
        self._audit.forget()
        if self._conn is not None:
            wait = CLOSE_CHECKPOINT_MS if self._checkpoint_owed else BUSY_MS
            with contextlib.suppress(sqlite3.Error):
                if not _try_checkpoint(self._conn, wait) and self._checkpoint_owed:
                    log.warning("vault closed with a checkpoint still owed (file in use)")
            self._conn.close()
            self._conn = None
        if self._lock is not None:
            self._lock.release()

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection; fails once the vault is closed."""
        if self._conn is None:
            raise VaultLocked(_("The vault is locked."))
        return self._conn

    # ----------------------------------------------------------------- keys
    def _vmk_or_fail(self) -> bytes:
        if self._vmk is None:
            raise VaultLocked(_("The vault is locked."))
        return self._vmk

    def _load_keys(self, *, lazy: bool) -> None:
        """Unwrap the data keys; person keys now, or (``lazy``) when first used and at the
        row check, which refuses the vault if one does not open (see key_ring.py)."""
        vmk = self._vmk_or_fail()
        try:
            for key_ref, wrapped in self.conn.execute("SELECT key_ref, wrapped FROM data_key"):
                raw = keys.unwrap_key(vmk, wrapped, "data", key_ref, self.vault_id)
                self._keys.add(SealingKey(raw, key_ref))
        except SealBroken as exc:
            raise VaultCorrupt(_("A key in {path} was altered.").format(path=self.path)) from exc
        for key_ref, wrapped in self.conn.execute("SELECT key_ref, wrapped FROM person_key"):
            self._keys.add_wrapped(key_ref, wrapped)
        if not lazy:
            self._verify_keys()

    def _unwrap_person_key(self, wrapped: bytes, key_ref: str) -> bytes:
        return keys.unwrap_key(self._vmk_or_fail(), wrapped, "person", key_ref, self.vault_id)

    def _verify_keys(self) -> None:
        if self._keys.verify():
            raise VaultCorrupt(_("A key in {path} was altered.").format(path=self.path))

    def _active_data_key(self, needed: int) -> str:
        row = self.conn.execute(
            "SELECT key_ref, generation, seal_count FROM data_key WHERE status = 'active' "
            "ORDER BY generation DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise VaultCorrupt(_("The keys of {path} are incomplete.").format(path=self.path))
        key_ref, generation, count = row
        if count + needed > self._rotate_after:
            self.conn.execute(
                "UPDATE data_key SET status = 'retired' WHERE key_ref = ?", (key_ref,)
            )
            key_ref, raw = vault_file.new_data_key(
                self.conn, self._vmk_or_fail(), self.vault_id, generation=generation + 1
            )
            self._keys.add(SealingKey(raw, key_ref))
        return str(key_ref)

    def data_key_generation(self) -> int:
        """Generation of the data key new non-personal records are sealed with."""
        return int(self.conn.execute("SELECT max(generation) FROM data_key").fetchone()[0])

    # ----------------------------------------------------------------- records
    def _aad(self, kind: str, rid: str, version: int, key_ref: str, schema_v: int) -> bytes:
        return record_aad(self._aad_prefix, kind, rid, version, key_ref, schema_v)

    def load(
        self,
        sink: Callable[[list[LoadedRecord]], None] | None = None,
        chunk: int = 4096,
        *,
        after_seq: int = 0,
    ) -> tuple[list[LoadedRecord], AuditReport]:
        """Open every record and check each live row against the audit chain.

        A row whose version or hash differs from the chain (rolled back to an older copy,
        altered) or a row the chain knows but the file lacks (deleted behind the app's
        back) is reported; such a record is not loaded. With ``sink``, opened records are
        handed over in chunks as they come and the returned list is empty.

        ``after_seq``: the caller already holds every record as of that audit entry (a
        restored snapshot). Rows last changed at or before it are still checked against
        the chain, but not decrypted; their ids of rows deleted after it, and of rows that
        fail, land in ``report.dropped_ids``.
        """
        self.settle_check()
        scan = self._scan(self.conn, sink, chunk, after_seq, threading.Event())
        self._rows, self._person_key_ref = scan.rows, scan.person_key_ref
        return scan.loaded, scan.report

    def check_later(self, after_seq: int) -> None:
        """Start the row check of :meth:`load` on a thread, with its own read-only connection.

        For an unlock from a snapshot that is current (``after_seq`` is the newest audit
        entry): nothing needs decrypting, only checking, and the window can show the
        snapshot's records meanwhile. Writes wait for the check (:meth:`settle_check`),
        which also hands over what it found.
        """
        self.settle_check()
        future: Future[_Scan] = Future()
        cancel = threading.Event()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return  # settled on the owning thread before it started
            try:
                conn = vault_file.connect_read_only(self.path)
                try:
                    future.set_result(self._scan(conn, None, 4096, after_seq, cancel))
                finally:
                    conn.close()
            except BaseException as exc:  # handed to whoever settles
                future.set_exception(exc)

        self._pending = (future, cancel)
        self._check_after = after_seq
        self._start_check = threading.Thread(target=run, name="kisi-row-check", daemon=True).start

    def start_check(self) -> None:
        """Let the check from :meth:`check_later` begin (the GUI: once the window is painted,
        so that the check's Python loop does not slow the first paint down)."""
        with self._start_lock:  # the UI thread and a waiting worker may both ask
            start, self._start_check = self._start_check, None
            if start is not None:
                start()

    @property
    def checking(self) -> bool:
        """True while a check started by :meth:`check_later` has not been settled, and
        for good once it refused the vault (every later settle raises again)."""
        return self._pending is not None or self._refused is not None

    def wait_check(self, timeout: float | None = None) -> bool:
        """Block until a background check is done (any thread); False on timeout."""
        pending = self._pending
        if pending is None:
            return True
        self.start_check()
        try:
            pending[0].exception(timeout)
        except TimeoutError:
            return False
        except CancelledError:
            pass  # settled on the owning thread, or the vault was locked
        return True

    def settle_check(self) -> AuditReport | None:
        """Wait for a background check and take over its result; its report, or None.

        Must run on the thread that owns the vault (every write calls it first). A check
        that refuses the vault (an altered key, an unreadable file) raises here, and again
        on every later call: nothing may be written to a vault that failed its check.
        """
        if self._refused is not None:
            raise self._refused
        pending, self._pending = self._pending, None
        if pending is None:
            report, self._unclaimed = self._unclaimed, None
            return report
        with self._start_lock:
            self._start_check = None
        try:
            if pending[0].cancel():
                # Never started: check here and now.
                scan = self._scan(self.conn, None, 4096, self._check_after, pending[1])
            else:
                scan = pending[0].result()
        except sqlite3.DatabaseError as exc:
            self._refused = VaultCorrupt(
                _("{path} is not a KISI vault or is damaged.").format(path=self.path)
            )
            raise self._refused from exc
        except KisiError as exc:
            self._refused = exc
            raise
        self._rows, self._person_key_ref = scan.rows, scan.person_key_ref
        return scan.report

    def _checked(self) -> None:
        """Settle a running check before anything that needs every row's version."""
        if self._pending is not None:
            self._unclaimed = self.settle_check()

    def _scan(
        self,
        conn: sqlite3.Connection,
        sink: Callable[[list[LoadedRecord]], None] | None,
        chunk: int,
        after_seq: int,
        cancel: threading.Event,
    ) -> _Scan:
        report = AuditReport()
        # Person keys left wrapped at unlock (lazy_keys) are proven here: an altered one
        # refuses the vault, as it does when every key is unwrapped at once.
        self._verify_keys()
        if cancel.is_set():
            raise VaultLocked(_("The vault is locked."))
        # SQLite's own check of the file runs on a second, read-only connection in a thread
        # (SQLite releases the GIL), overlapping with the audit check below.
        quick_check = vault_file.QuickCheck(self.path)
        expected = self._audit.expected_state(conn, report)
        if cancel.is_set():
            raise VaultLocked(_("The vault is locked."))
        loaded: list[LoadedRecord] = []
        rows: dict[str, _Row] = {}
        person_key_ref: dict[str, str] = {}
        keys_by_ref = self._keys
        aad_prefix = self._aad_prefix
        sha256 = hashlib.sha256
        # Plain dict and set lookups in the loop below (100,000 rows): the key ring's own
        # methods cost a Python call per row.
        known_refs = keys_by_ref.refs()
        openers: dict[str, SealingKey | None] = {}
        cursor = conn.execute("SELECT id, kind, schema_v, version, key_ref, blob FROM record")
        # In chunks, so that a lock (``cancel``) stops the check between them.
        while batch := cursor.fetchmany(chunk):
            if cancel.is_set():
                raise VaultLocked(_("The vault is locked."))
            for raw_id, kind, schema_v, version, key_ref, blob in batch:
                try:
                    rid = raw_id.hex()
                    want = expected.pop(rid, None)
                    digest = sha256(blob).hexdigest()
                except (AttributeError, TypeError):
                    # Column types are not enforced: text where bytes belong was written outside.
                    report.problems.append(_("a {kind} row is damaged").format(kind=kind))
                    report.changed += 1
                    continue
                if want is None or want[0] != kind or want[1] != version or want[2] != digest:
                    report.problems.append(
                        _("{kind} {id} does not match the audit log").format(kind=kind, id=rid)
                    )
                    report.changed += 1
                    report.dropped_ids.add(rid)
                    continue
                if want[3] <= after_seq:
                    # Authentic (its hash is in the MAC'd chain) and already in the snapshot;
                    # its key must still be there, or the record could never be edited again.
                    if key_ref not in known_refs:
                        report.problems.append(
                            _("{kind} {id} does not open").format(kind=kind, id=rid)
                        )
                        report.changed += 1
                        report.dropped_ids.add(rid)
                        continue
                    rows[rid] = (kind, version, key_ref)
                    if kind == PERSON_KIND:
                        person_key_ref[rid] = key_ref
                    continue
                try:
                    aad = record_aad(aad_prefix, kind, rid, version, key_ref, schema_v)
                except (AttributeError, TypeError, struct.error):
                    report.problems.append(_("{kind} {id} is damaged").format(kind=kind, id=rid))
                    report.changed += 1
                    report.dropped_ids.add(rid)
                    continue
                try:
                    key = openers.get(key_ref)
                    if key is None:  # looked up in the key ring once per key
                        key = openers[key_ref] = keys_by_ref.get(key_ref)
                    if key is None:
                        raise SealBroken()
                    plain = key.open(blob, aad)
                except SealBroken:
                    report.problems.append(_("{kind} {id} does not open").format(kind=kind, id=rid))
                    report.changed += 1
                    report.dropped_ids.add(rid)
                    continue
                rows[rid] = (kind, version, key_ref)
                if kind == PERSON_KIND:
                    person_key_ref[rid] = key_ref
                loaded.append(LoadedRecord(kind, rid, version, plain))
                if sink is not None and len(loaded) >= chunk:
                    sink(loaded)
                    loaded = []
        if sink is not None and loaded:
            sink(loaded)
            loaded = []
        if not quick_check.passed():
            report.problems.append(_("the database file failed its integrity check"))
        for rid, (kind, _version, last_digest, seq) in expected.items():
            if last_digest is not None:
                report.problems.append(
                    _("{kind} {id} is missing from the file").format(kind=kind, id=rid)
                )
                report.missing += 1
                report.dropped_ids.add(rid)
            elif seq > after_seq:
                report.dropped_ids.add(rid)
        return _Scan(loaded, report, rows, person_key_ref)

    # ----------------------------------------------------------------- backups
    def removals_in(self, other: Path, after_seq: int) -> list[AuditEntry]:
        """The deletions and erasures recorded after entry ``after_seq`` in ``other``: a
        later backup of this vault, opened read-only (``vault_file.open_untrusted``).

        Its chain is checked with this vault's keys: a file of another vault, one altered
        since, or one that is no vault at all is refused (VaultCorrupt).
        """
        refused = VaultCorrupt(
            _("{path} is not a backup of this vault or was altered.").format(path=other)
        )
        try:
            conn = vault_file.open_untrusted(other)
        except sqlite3.Error as exc:
            raise refused from exc
        try:
            meta = conn.execute("SELECT vault_id FROM vault_meta").fetchone()
            if meta is None or meta[0] != self.vault_id:
                raise refused
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "audit_key" in tables:
                renewed = conn.execute("SELECT max(from_seq) FROM audit_key").fetchone()[0]
                if isinstance(renewed, int) and renewed > self._audit.keys[-1].from_seq:
                    # Its entries after the renewal are sealed with keys this copy has not.
                    raise UserError(
                        _(
                            "{path} was made after the vault's keys were renewed: what it "
                            "recorded since cannot be read with this older backup. Restore "
                            "the newest backup instead."
                        ).format(path=other.name)
                    )
            # After a restore the old and the new history share the vault id: take what
            # the other file did since the two last agreed, not since ``after_seq``.
            shared = self._shared_history(conn, after_seq)
            report = AuditReport()
            found = [
                entry
                for entry in self._audit.entries(conn, report)
                if entry.seq > shared
                and (entry.action == "delete" or entry.action.startswith("erase"))
            ]
        except (sqlite3.Error, KeyError, TypeError, ValueError) as exc:
            raise refused from exc
        finally:
            conn.close()
        if report.problems:
            raise refused
        return found

    def _shared_history(self, other: sqlite3.Connection, upto: int) -> int:
        """The last audit entry (at most ``upto``) after which this vault and ``other``
        hold the same chain value: histories that agree once agree on everything before,
        so a binary search finds where they parted."""
        low, high = 0, upto
        while low < high:
            middle = (low + high + 1) // 2
            mine = self._audit.mac_at(self.conn, middle)
            row = other.execute("SELECT chain_mac FROM audit WHERE seq = ?", (middle,)).fetchone()
            # (Compared as stored: a file from outside may hold anything in that column.)
            if mine is not None and row is not None and row[0] == mine:
                low = middle
            else:
                high = middle - 1
        return low

    # ----------------------------------------------------------------- snapshot
    def read_snapshot(self) -> tuple[int, memoryview] | None:
        """The sealed working-set copy and the audit entry it reflects, if one opens."""
        row = self.conn.execute("SELECT audit_seq FROM snapshot").fetchone()
        if row is None:
            return None
        mac = self._audit.mac_at(self.conn, row[0])
        return snapshot.read(
            self.conn, self.path, self._vmk_or_fail(), self.vault_id,
            {row[0]: mac} if mac is not None else {},
        )  # fmt: skip

    def snapshot_seq(self) -> int | None:
        """Audit entry the stored snapshot reflects, or None without one."""
        row = self.conn.execute("SELECT audit_seq FROM snapshot").fetchone()
        return int(row[0]) if row else None

    def audit_seq(self) -> int:
        """Number of the newest audit entry."""
        return int(self.conn.execute("SELECT audit_seq FROM vault_meta").fetchone()[0])

    def audit_head(self) -> tuple[int, bytes]:
        """Newest audit entry and its chain MAC: a bundle names it so that the ministry can
        later ask the guide to show the audit trail up to exactly that point."""
        seq, head = self.conn.execute("SELECT audit_seq, audit_head FROM vault_meta").fetchone()
        return int(seq), bytes(head)

    def audit_mac_at(self, seq: int) -> bytes | None:
        """The chain MAC of audit entry ``seq``, or None when the file has no such entry."""
        return self._audit.mac_at(self.conn, seq)

    def write_snapshot(self, data: bytes) -> None:
        """Seal ``data`` (the serialised working set as of the newest entry) as the snapshot."""
        seq = self.audit_seq()
        mac = self._audit.mac_at(self.conn, seq)
        if mac is not None:
            snapshot.write(self.conn, self.path, self._vmk_or_fail(), self.vault_id, seq, mac, data)

    def write_glance(self, data: bytes) -> bool:
        """Seal ``data`` as the Overview's glance of the vault as it is now
        (core/store/glance.py); False (and no glance) unless the snapshot is current."""
        return glance.write(self.conn, self.path, self._vmk_or_fail(), self.vault_id, data)

    def read_glance(self) -> bytes | None:
        """The glance sealed for the vault as it is now, if any."""
        return glance.read(self.conn, self.path, self._vmk_or_fail(), self.vault_id)

    def drop_snapshot(self) -> None:
        """Destroy the snapshot's key and delete its file."""
        snapshot.forget_key(self.conn)
        snapshot.remove_file(self.path)

    def version_of(self, rid: str) -> int | None:
        """Current version of a live record, or None."""
        self._checked()
        row = self._rows.get(rid)
        return row[_VERSION] if row else None

    def commit(
        self,
        action: str,
        puts: Sequence[Put] = (),
        deletes: Sequence[Delete] = (),
        *,
        erasing: bool = False,
    ) -> list[int]:
        """Seal and write one user action in one transaction; returns the new versions.

        Person records come first so that records sealed under a new person's key in the
        same action find it. ``erasing``: the action removes personal data even where it
        deletes nothing (contact details cleared), so the snapshot's key goes as for a
        deletion.
        """
        self._checked()
        conn = self.conn
        vmk = self._vmk_or_fail()
        now = self._clock.now().isoformat()
        people_first = [i for i, put in enumerate(puts) if put.kind == PERSON_KIND]
        ordered = people_first + [i for i, put in enumerate(puts) if put.kind != PERSON_KIND]
        versions = [0] * len(puts)
        changes: list[Change] = []
        new_rows: dict[str, _Row] = {}
        new_person_refs: dict[str, str] = {}
        counts: dict[str, int] = {}
        rows_now, keys, aad_prefix, sha256 = (
            self._rows,
            self._keys,
            self._aad_prefix,
            hashlib.sha256,
        )
        # Fresh random 96-bit nonces, drawn in one call: the same CSPRNG, one system call
        # per action instead of one per record.
        nonces = os.urandom(12 * len(puts))
        with _refused_writes(), database(conn).atomic():
            data_ref = self._active_data_key(len(puts)) if puts else ""
            batch: list[tuple[bytes, str, int, int, str, bytes]] = []
            sealers: dict[str, SealingKey] = {}
            for i in ordered:
                put = puts[i]
                rid, kind = put.id, put.kind
                old = new_rows.get(rid) or rows_now.get(rid)
                if old is not None and old[_KIND] != kind:
                    raise ValueError("a record cannot change its kind")
                version = (old[_VERSION] if old else 0) + 1
                if put.owner is None and kind != PERSON_KIND:
                    key_ref = data_ref  # the common case, without the person-key lookup
                else:
                    key_ref = self._key_ref_for(put, vmk, new_person_refs, data_ref)
                at = 12 * len(batch)
                sealer = sealers.get(key_ref)
                if sealer is None:  # looked up in the key ring once per key and action
                    sealer = sealers[key_ref] = keys[key_ref]
                blob = sealer.seal(
                    put.plain,
                    record_aad(aad_prefix, kind, rid, version, key_ref, put.schema_v),
                    nonce=nonces[at : at + 12],
                )
                batch.append((bytes.fromhex(rid), kind, put.schema_v, version, key_ref, blob))
                counts[key_ref] = counts.get(key_ref, 0) + 1
                changes.append((kind, rid, version, sha256(blob).hexdigest()))
                new_rows[rid] = (kind, version, key_ref)
                versions[i] = version
            crashpoints.reached("commit.sealed")
            # New records take the plain INSERT path (measurably faster than an upsert);
            # a record written twice in one action keeps its last version.
            conn.executemany(
                "INSERT INTO record (id, kind, schema_v, version, key_ref, blob) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [row for row in batch if row[3] == 1],
            )
            conn.executemany(
                "INSERT INTO record (id, kind, schema_v, version, key_ref, blob) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "kind = excluded.kind, schema_v = excluded.schema_v, version = excluded.version, "
                "key_ref = excluded.key_ref, blob = excluded.blob",
                [row for row in batch if row[3] > 1],
            )
            deleted_refs: list[str] = []
            for delete in deletes:
                old = self._rows.get(delete.id)
                if old is None or old[_KIND] != delete.kind:
                    raise RecordNotFound(_("No such record: {id}").format(id=delete.id))
                conn.execute("DELETE FROM record WHERE id = ?", (bytes.fromhex(delete.id),))
                changes.append((delete.kind, delete.id, old[_VERSION] + 1, None))
                if delete.kind == PERSON_KIND:
                    deleted_refs.append(old[_KEY_REF])
            for key_ref, n in counts.items():
                table = "data_key" if key_ref.startswith("d") else "person_key"
                conn.execute(
                    f"UPDATE {table} SET seal_count = seal_count + ? WHERE key_ref = ?",  # noqa: S608 - table from a fixed pair
                    (n, key_ref),
                )
            if deleted_refs:
                self._check_nothing_left_under(deleted_refs, deletes, new_rows)
            for key_ref in deleted_refs:
                conn.execute("DELETE FROM person_key WHERE key_ref = ?", (key_ref,))
            if erasing or any(d.kind != DRAFT_KIND for d in deletes):
                # The snapshot still holds what was deleted (sealed under its own key);
                # destroying that key belongs to the same transaction. Discarded drafts
                # are the exception: they go with the snapshot rewritten at lock.
                snapshot.forget_key(conn)
            self._audit.append(conn, ts=now, actor=self.actor, action=action, changes=changes)
            crashpoints.reached("commit.written")
        crashpoints.reached("commit.done")
        if erasing or any(d.kind != DRAFT_KIND for d in deletes):
            snapshot.remove_file(self.path)
        self._rows.update(new_rows)
        self._person_key_ref.update(new_person_refs)
        for delete in deletes:
            self._rows.pop(delete.id, None)
            ref = self._person_key_ref.pop(delete.id, None)
            if ref is not None:
                self._keys.pop(ref)
        if self._checkpoint_owed:
            # After the bookkeeping, and never an error: the save is committed whatever
            # happens here (a full disk stops the checkpoint, which then stays owed).
            with contextlib.suppress(sqlite3.Error):
                self._checkpoint_owed = not _try_checkpoint(conn, 0)
        return versions

    def _check_nothing_left_under(
        self, doomed_refs: Sequence[str], deletes: Sequence[Delete], new_rows: dict[str, _Row]
    ) -> None:
        """Refuse to destroy a person key that still seals a record that stays.

        Such a record could never be opened again, and every later unlock would report it
        as damaged; erasure deletes the person and their records in one action.
        """
        doomed = set(doomed_refs)
        going = {delete.id for delete in deletes}
        for rid, row in (*self._rows.items(), *new_rows.items()):
            if row[_KEY_REF] in doomed and rid not in going:
                raise ValueError(
                    "a person can only be deleted together with every record sealed under their key"
                )

    def _key_ref_for(
        self, put: Put, vmk: bytes, new_person_refs: dict[str, str], data_ref: str
    ) -> str:
        if put.kind == PERSON_KIND:
            ref = self._person_key_ref.get(put.id) or new_person_refs.get(put.id)
            if ref is None:
                ref = "p" + keys.new_key()[:12].hex()
                raw = keys.new_key()
                self.conn.execute(
                    "INSERT INTO person_key (key_ref, seal_count, wrapped) VALUES (?, 0, ?)",
                    (ref, keys.wrap_key(vmk, raw, "person", ref, self.vault_id)),
                )
                self._keys.add(SealingKey(raw, ref))
                new_person_refs[put.id] = ref
            return ref
        if put.owner is not None:
            ref = self._person_key_ref.get(put.owner) or new_person_refs.get(put.owner)
            if ref is None:
                raise RecordNotFound(_("No such person: {id}").format(id=put.owner))
            return ref
        return data_ref

    def records_sealed_with_person_key(self, person_id: str) -> list[tuple[str, str]]:
        """(kind, id) of every live record sealed under that person's key."""
        self._checked()
        ref = self._person_key_ref.get(person_id)
        if ref is None:
            raise RecordNotFound(_("No such person: {id}").format(id=person_id))
        return [(row[_KIND], rid) for rid, row in self._rows.items() if row[_KEY_REF] == ref]

    def checkpoint(self) -> bool:
        """Move the WAL into the main file and truncate it, so deleted pages are gone.

        Until then the main file still holds the old pages (secure_delete zeroes freed
        pages in the WAL's new copies, not in the file), and a copy of the file alone
        would show what was erased. Another process that reads the file (``kisi backup``
        while the window is open) holds up the checkpoint; SQLite waits for it up to the
        busy timeout. Returns False if the checkpoint could not finish: it is then owed,
        every later save tries again without waiting, and :meth:`close` waits longer.
        """
        done = _try_checkpoint(self.conn, BUSY_MS)
        self._checkpoint_owed = not done
        if not done:
            log.warning("checkpoint owed: another program is reading the vault file")
        return done

    @property
    def checkpoint_owed(self) -> bool:
        """Whether what was last erased may still be in the main file (see checkpoint())."""
        return self._checkpoint_owed

    # ----------------------------------------------------------------- secrets
    def change_passphrase(self, new_passphrase: str, *, kdf: KdfParams | None = None) -> None:
        """Rewrap the master key under a new passphrase, in one transaction."""
        self.write_passphrase_slot(self.plan_passphrase(new_passphrase, kdf=kdf).derive())

    def plan_passphrase(
        self, new_passphrase: str, *, current: str | None = None, kdf: KdfParams | None = None
    ) -> PassphrasePlan:
        """Everything a passphrase change needs from the file, read now (milliseconds);
        the key derivations, a second or two, run in :meth:`PassphrasePlan.derive` on any
        thread, and :meth:`write_passphrase_slot` stores the result here."""
        secret = keys.check_passphrase(new_passphrase)
        _id, slot = vault_file.read_header(self.conn, self.path, "passphrase")
        stored = KdfParams.from_json(slot.kdf)
        # Calibrating runs Argon2id a few times: left to derive(), off the UI thread.
        params = kdf or (stored if stored.meets_floor() else None)
        return PassphrasePlan(
            secret=secret,
            current=None if current is None else keys.passphrase_bytes(current),
            slot=slot,
            params=params,
            vmk=self._vmk_or_fail(),
            vault_id=self.vault_id,
        )

    def write_passphrase_slot(self, slot: keys.KeySlot) -> None:
        """Store a slot :meth:`PassphrasePlan.derive` made (one transaction, audited)."""
        crashpoints.reached("passphrase.derived")
        with database(self.conn).atomic():
            vault_file.write_slot(self.conn, slot)
            crashpoints.reached("passphrase.slot_written")
            self._audit.append(
                self.conn,
                ts=self._clock.now().isoformat(),
                actor=self.actor,
                action="passphrase",
                changes=[],
            )
            crashpoints.reached("passphrase.audit_written")
        crashpoints.reached("passphrase.committed")
        # The old slot must not survive in the WAL for a copy of the main file to pick up.
        self.checkpoint()

    def plan_recovery(self, passphrase: str) -> RecoveryPlan:
        """A new recovery code (SECURITY.md 6.1.4: it replaces the recovery slot): read the
        file here, derive on any thread (:meth:`RecoveryPlan.derive`), then store the slot
        with :meth:`write_recovery_slot`. The old code stops opening this file; copies of
        the file made before (backups) keep the old slot, and the master key stays the
        same (FORMAT.md, "Recovery code")."""
        _id, slot = vault_file.read_header(self.conn, self.path, "passphrase")
        return RecoveryPlan(
            passphrase_slot=slot,
            current=keys.passphrase_bytes(passphrase),
            vmk=self._vmk_or_fail(),
            vault_id=self.vault_id,
        )

    def write_recovery_slot(self, slot: keys.KeySlot) -> None:
        """Store a slot :meth:`RecoveryPlan.derive` made, in one audited transaction; then
        checkpoint, so the old slot is not left in the WAL for a copy of the file."""
        if slot.slot_id != "recovery" or slot.kind != "recovery":
            raise ValueError("not a recovery slot")
        with database(self.conn).atomic():
            vault_file.write_slot(self.conn, slot)
            self._audit.append(
                self.conn,
                ts=self._clock.now().isoformat(),
                actor=self.actor,
                action="recovery",
                changes=[],
            )
        self.checkpoint()

    def renew_keys(
        self,
        current: str,
        *,
        new_passphrase: str | None = None,
        kdf: KdfParams | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> str:
        """All steps of a renewal at once (the command line, which prints the code the
        moment it is stored); returns the new recovery code. See :meth:`renew_keys_with`."""
        renewed = self.plan_renewal(current, new_passphrase=new_passphrase, kdf=kdf).derive()
        self.renew_keys_with(renewed, progress=progress)
        return renewed.recovery_code

    def plan_renewal(
        self, current: str, *, new_passphrase: str | None = None, kdf: KdfParams | None = None
    ) -> RenewalPlan:
        """Read what a renewal needs from the file (milliseconds); the key derivations run
        in :meth:`RenewalPlan.derive` on any thread, and :meth:`renew_keys_with` writes."""
        new_secret = keys.check_passphrase(new_passphrase) if new_passphrase else None
        _id, slot = vault_file.read_header(self.conn, self.path, "passphrase")
        stored = KdfParams.from_json(slot.kdf)
        return RenewalPlan(
            passphrase_slot=slot,
            current=keys.passphrase_bytes(current),
            new_secret=new_secret,
            params=kdf or (stored if stored.meets_floor() else None),
            vmk=self._vmk_or_fail(),
            vault_id=self.vault_id,
        )

    def renew_keys_with(
        self, renewed: RenewedKeys, *, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Renew every key of the vault and seal every record again.

        For when the master key may be known to someone: a recovery sheet or a passphrase
        seen, and a copy of the file in their hands. A new passphrase or recovery code
        alone would not help then (they rewrap the same master key, FORMAT.md). What is
        new: the master key, the data key, every person's key, both key slots (the
        passphrase, or ``new_passphrase``, and a new recovery code) and the audit chain's
        keys from the renewal on; every record is sealed again. The records, their ids and
        versions, the audit history, the bundle log and the signing key stay: the ministry
        sees the same device go on. The snapshot is dropped (a lock writes a new one).

        One transaction: a crash leaves the old keys or the new, never a mix. Then a
        checkpoint, so the old wrapped keys are in neither file. Copies made before
        (backups) keep the old keys. The keys and slots come from a :class:`RenewalPlan`
        (which checked the passphrase); the sealing takes seconds with 10,000 people: run
        it on a worker, with ``progress(done, total)`` counting records.
        """
        self._checked()
        conn = self.conn
        vmk, slots, vault_id = renewed.vmk, renewed.slots, self.vault_id
        crashpoints.reached("renew.derived")
        # Every row must match the chain first: sealing a row that was altered or put back
        # from an older copy again, and naming its hash in the new entry, would hide it.
        report = AuditReport()
        expected = self._audit.expected_state(conn, report)
        rows = conn.execute("SELECT id, kind, schema_v, version, key_ref FROM record").fetchall()
        total = len(rows)
        generation = self.data_key_generation() + 1
        data_ref = f"d{generation}-" + keys.new_key()[:6].hex()
        raw: dict[str, bytes] = {data_ref: keys.new_key()}
        renamed: dict[str, str] = {}  # old key ref -> new
        for _rid, _kind, _schema, _version, key_ref in rows:
            if key_ref not in renamed:
                if str(key_ref).startswith("d"):
                    renamed[key_ref] = data_ref
                else:
                    ref = "p" + keys.new_key()[:12].hex()
                    renamed[key_ref] = ref
                    raw[ref] = keys.new_key()
        # Person keys of people without a record left (none, normally) are not carried over.
        new_keys = {ref: SealingKey(key, ref) for ref, key in raw.items()}
        counts = dict.fromkeys(new_keys, 0)
        chain = self._audit.renewed(self.audit_seq() + 1)
        changes: list[Change] = []
        sha256, aad_prefix = hashlib.sha256, self._aad_prefix
        with _refused_writes(), database(conn).atomic():
            done = 0
            for start in range(0, total, RENEW_CHUNK):
                part = rows[start : start + RENEW_CHUNK]
                ids = [row[0] for row in part]
                marks = ",".join("?" * len(ids))
                blobs = dict(
                    conn.execute(f"SELECT id, blob FROM record WHERE id IN ({marks})", ids)  # noqa: S608 - placeholders only
                )
                updates = []
                for raw_id, kind, schema_v, version, key_ref in part:
                    rid = raw_id.hex()
                    old, want = blobs[raw_id], expected.pop(rid, None)
                    if want is None or want[:3] != (kind, version, sha256(old).hexdigest()):
                        report.problems.append(rid)
                        continue
                    try:
                        aad = record_aad(aad_prefix, kind, rid, version, key_ref, schema_v)
                        plain = self._keys[key_ref].open(old, aad)
                    except (KeyError, SealBroken):
                        report.problems.append(rid)
                        continue
                    ref = renamed[key_ref]
                    blob = new_keys[ref].seal(
                        plain, record_aad(aad_prefix, kind, rid, version, ref, schema_v)
                    )
                    counts[ref] += 1
                    updates.append((ref, blob, raw_id))
                    changes.append((kind, rid, version, sha256(blob).hexdigest()))
                conn.executemany("UPDATE record SET key_ref = ?, blob = ? WHERE id = ?", updates)
                done += len(part)
                if progress is not None:
                    progress(done, total)
            if report.problems or any(want[2] is not None for want in expected.values()):
                raise VaultCorrupt(
                    _(
                        "The vault failed its check, so its keys were not renewed (that would "
                        "hide what is wrong). Run “kisi audit verify” and restore a backup."
                    )
                )
            crashpoints.reached("renew.sealed")
            conn.execute("DELETE FROM data_key")
            conn.execute("DELETE FROM person_key")
            conn.execute(
                "INSERT INTO data_key (key_ref, generation, status, seal_count, wrapped) "
                "VALUES (?, ?, 'active', ?, ?)",
                (data_ref, generation, counts[data_ref],
                 keys.wrap_key(vmk, raw[data_ref], "data", data_ref, vault_id)),
            )  # fmt: skip
            conn.executemany(
                "INSERT INTO person_key (key_ref, seal_count, wrapped) VALUES (?, ?, ?)",
                [
                    (ref, counts[ref], keys.wrap_key(vmk, key, "person", ref, vault_id))
                    for ref, key in raw.items()
                    if ref != data_ref
                ],
            )
            for new_slot in slots:
                vault_file.write_slot(conn, new_slot)
            # Every epoch in one sealed blob: a row of one epoch could be deleted alone, and
            # the entries after the renewal would then be checked with the old keys.
            conn.execute("DELETE FROM audit_key")
            conn.execute(
                "INSERT INTO audit_key (from_seq, wrapped) VALUES (?, ?)",
                (
                    chain.keys[-1].from_seq,
                    keys.wrap_key(vmk, _epochs_blob(chain.keys), "audit", "epochs", vault_id),
                ),
            )
            snapshot.forget_key(conn)
            chain.append(
                conn, ts=self._clock.now().isoformat(), actor=self.actor, action="renew_keys",
                changes=changes,
            )  # fmt: skip
            crashpoints.reached("renew.written")
        crashpoints.reached("renew.committed")
        snapshot.remove_file(self.path)
        self._vmk = vmk
        self._audit = chain
        self._keys.clear()
        for key in new_keys.values():
            self._keys.add(key)
        self._rows = {
            rid: (kind, version, renamed.get(ref, ref))
            for rid, (kind, version, ref) in self._rows.items()
        }
        self._person_key_ref = {
            rid: renamed.get(ref, ref) for rid, ref in self._person_key_ref.items()
        }
        # The old slots and keys must not survive in the main file for a copy of it to
        # open with the old secrets: wait for a reader (a backup) as long as a close does.
        # Held up even so, it stays owed (``checkpoint_owed``) and the guide is told.
        self._checkpoint_owed = not _try_checkpoint(self.conn, RENEW_CHECKPOINT_MS)

    def passphrase_params(self) -> KdfParams:
        """The Argon2id parameters stored in the passphrase slot."""
        text = self.conn.execute("SELECT kdf FROM key_slot WHERE slot_id = 'passphrase'").fetchone()
        return KdfParams.from_json(text[0])

    def verify_audit(self) -> AuditReport:
        """Check the whole chain and every live row against it (no records are kept)."""
        _records, report = self.load()
        return report

    def check_anchor(self, report: AuditReport, seq: int, mac: bytes, named_by: str) -> None:
        """Add to ``report`` if the chain no longer holds the head ``(seq, mac)`` that an
        exported bundle named (see :meth:`AuditChain.check_anchor`); run it with the row
        check, which proves the rest of the chain."""
        self._audit.check_anchor(self.conn, seq, mac, named_by, report)


def _audit_chain(conn: sqlite3.Connection, path: Path, vmk: bytes, vault_id: bytes) -> AuditChain:
    """The audit chain's keys: derived from the master key, or (once the vault's keys were
    renewed) as stored, wrapped, in ``audit_key``: one row holding every epoch, whose
    ``from_seq`` is the newest epoch's (store/audit.py, FORMAT.md)."""
    rows = conn.execute("SELECT from_seq, wrapped FROM audit_key").fetchall()
    if not rows:
        return AuditChain(
            subkeys.derive_subkey(vmk, subkeys.AUDIT_MAC),
            subkeys.derive_subkey(vmk, subkeys.AUDIT_SEAL),
            vault_id,
        )
    altered = VaultCorrupt(_("A key in {path} was altered.").format(path=path))
    if len(rows) != 1 or not isinstance(rows[0][1], bytes):
        raise altered
    newest, wrapped = rows[0]
    try:
        epochs = _epochs_of(keys.unwrap_key(vmk, wrapped, "audit", "epochs", vault_id))
        if epochs[-1].from_seq != newest:
            raise altered
        first = epochs[0]
        return AuditChain(first.mac_key, first.material()[32:], vault_id, later=epochs[1:])
    except (SealBroken, ValueError) as exc:
        raise altered from exc


# One epoch in the audit_key blob: from_seq (8 bytes, big-endian) and the two keys.
_EPOCH = struct.Struct(">Q64s")


def _epochs_blob(epochs: Sequence[AuditKeys]) -> bytes:
    return b"".join(_EPOCH.pack(epoch.from_seq, epoch.material()) for epoch in epochs)


def _epochs_of(blob: bytes) -> list[AuditKeys]:
    """The epochs :func:`_epochs_blob` wrote; ValueError for anything else (the first must
    begin at entry 1, each later one after the one before: AuditChain checks the order)."""
    if not blob or len(blob) % _EPOCH.size:
        raise ValueError("audit key epochs damaged")
    epochs = [AuditKeys.of_material(seq, key) for seq, key in _EPOCH.iter_unpack(blob)]
    if epochs[0].from_seq != 1:
        raise ValueError("audit key epochs damaged")
    return epochs


@contextlib.contextmanager
def _refused_writes() -> Iterator[None]:
    """Say in the guide's words why SQLite refused a write (it has rolled back by then)."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        code = getattr(exc, "sqlite_errorname", "")
        if code == "SQLITE_FULL":
            message = _(
                "The disk is full: nothing of this was saved. Free some space, then save again."
            )
        elif code.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
            message = _(
                "The vault file cannot be written (it is read-only): nothing of this was saved."
            )
        elif code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            message = _(
                "Another program is using the vault file: nothing of this was saved. "
                "Close it, then save again."
            )
        else:
            message = _(
                "The vault file could not be written ({reason}): nothing of this was saved."
            ).format(reason=code or type(exc).__name__)
        raise VaultWriteFailed(message) from exc
