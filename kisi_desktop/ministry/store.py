"""The ministry's intake database: registry, anti-replay state, bundles, rows, receipts, log.

One SQLite file (``intake.sqlite`` in the ministry folder), opened with WAL and
``synchronous=FULL`` like the vault, so an import that returned has reached the disk and a
crash leaves the database as it was before or after the import, never half. Every import
is one ``BEGIN IMMEDIATE`` transaction: the anti-replay decision and the writes it leads to
happen under the write lock, so two imports running at once (the CLI beside the intake
server) cannot both accept the same sequence number.

What each table is for:

* ``municipalities``: the registry, one row per AGS with its minisign key and the crypto
  profile it must use (the registry fixes the profile: no negotiation, no downgrade);
  ``key_history`` keeps keys that were replaced or revoked.
* ``devices``: anti-replay state per (AGS, device, epoch): the last imported sequence
  number and manifest hash (SECURITY.md, "Anti-replay state").
* ``device_signers``: the key each device signs with, bound when its first bundle enters
  the books; a bundle of that device signed by another key is refused (``signers.py``).
* ``bundles``: every bundle the ministry accepted into its books, whatever became of it:
  ``imported``, ``held_gap`` (waiting for an earlier one), ``held_epoch`` (a new device
  epoch waiting for the operator) or ``quarantined_fork``. ``held_files`` keeps the
  encrypted file of held and quarantined bundles, so a held one can be verified again and
  imported once the missing bundle arrives, and a fork can be shown to whoever investigates.
* ``data_rows``: the JSON Lines of each imported bundle's data files, one row per line.
* ``receipts``: the signed receipt issued for each imported manifest, so a duplicate gets
  the very same receipt again.
* ``intake_chain``: a hash chain over everything the ministry did with a manifest
  (``head_i = SHA-256(head_{i-1} || manifest hash || status)``, 32 zero bytes before the
  first entry); receipts carry the head, so a municipality can later show what the ministry
  had acknowledged.
* ``rejections``: the only thing a refused file may write; written after the import
  transaction was rolled back, in a transaction of its own.
* ``content_packs``: every content pack made here (series, version, when, ``pack.json``
  hash), so the next one is made with a higher version, from the window or the CLI.
* ``dropped``: held bundles the operator removed for good (``held.drop_held``): who,
  when and why, and the bundle's place in its device's sequence, so the same bundle sent
  again gets the same answer and another one under its number is a fork. The bundle's
  row and file are gone; its receipt stays in ``receipts``.

Deleted content is overwritten (``secure_delete``, set here because not every SQLite
build has it on by default; Debian's has): a dropped or released bundle's file does not
linger in free pages of the database file.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store.db import database

from kisi_desktop.bundles.manifest import is_bundle_file_name

# "KISM" in ASCII: tells an intake database from a vault ("KISI") or someone else's file.
APPLICATION_ID = 0x4B49534D
GENESIS = "00" * 32

IMPORTED = "imported"
HELD_GAP = "held_gap"
HELD_EPOCH = "held_epoch"
QUARANTINED_FORK = "quarantined_fork"
BUNDLE_STATUSES = (IMPORTED, HELD_GAP, HELD_EPOCH, QUARANTINED_FORK)

DATA_TABLES = (
    "municipalities",
    "key_history",
    "device_keys",
    "device_signers",
    "devices",
    "bundles",
    "held_files",
    "data_rows",
    "receipts",
    "intake_chain",
    "ministry_meta",
    "dropped",
    "content_packs",
)
"""Every table but the rejection log: what a rejected file must leave exactly as it was."""

migrations = Migrations("kisi-ministry")


@migrations()
def m001_initial(db: Database) -> None:
    """Registry, anti-replay state, bundles, rows, receipts, intake chain, rejection log."""
    db.execute(
        """CREATE TABLE ministry_meta (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            intake_seq INTEGER NOT NULL,
            chain_head TEXT NOT NULL,
            provisioning_version INTEGER NOT NULL
        )"""
    )
    db.execute("INSERT INTO ministry_meta VALUES (1, 0, ?, 0)", [GENESIS])
    db.execute(
        """CREATE TABLE municipalities (
            ags TEXT PRIMARY KEY CHECK (length(ags) = 8),
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            key_id TEXT NOT NULL,
            profile TEXT NOT NULL DEFAULT 'p1',
            registered_at TEXT NOT NULL,
            revoked_at TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE key_history (
            id INTEGER PRIMARY KEY,
            ags TEXT NOT NULL,
            key TEXT NOT NULL,
            key_id TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            retired_at TEXT NOT NULL,
            why TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE devices (
            ags TEXT NOT NULL,
            device_id TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            last_manifest_sha256 TEXT NOT NULL,
            confirmed_at TEXT,
            confirmed_why TEXT,
            PRIMARY KEY (ags, device_id, epoch)
        )"""
    )
    db.execute(
        """CREATE TABLE bundles (
            id INTEGER PRIMARY KEY,
            manifest_sha256 TEXT NOT NULL UNIQUE,
            ags TEXT NOT NULL,
            device_id TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            prev_manifest_sha256 TEXT,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            received_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('imported', 'held_gap', 'held_epoch', 'quarantined_fork')),
            file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            records INTEGER NOT NULL,
            manifest TEXT NOT NULL,
            intake_seq INTEGER
        )"""
    )
    db.execute("CREATE INDEX bundles_device ON bundles (ags, device_id, epoch, seq)")
    db.execute(
        """CREATE TABLE held_files (
            bundle_id INTEGER PRIMARY KEY REFERENCES bundles (id),
            data BLOB NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE data_rows (
            bundle_id INTEGER NOT NULL REFERENCES bundles (id),
            file TEXT NOT NULL,
            line INTEGER NOT NULL,
            row TEXT NOT NULL,
            PRIMARY KEY (bundle_id, file, line)
        )"""
    )
    db.execute(
        """CREATE TABLE receipts (
            manifest_sha256 TEXT PRIMARY KEY,
            intake_seq INTEGER NOT NULL,
            status TEXT NOT NULL,
            receipt BLOB NOT NULL,
            receipt_sha256 TEXT NOT NULL UNIQUE,
            ags TEXT NOT NULL,
            device_id TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            issued_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE intake_chain (
            intake_seq INTEGER PRIMARY KEY,
            manifest_sha256 TEXT NOT NULL,
            status TEXT NOT NULL,
            head TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE rejections (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            reason_code TEXT NOT NULL,
            message TEXT NOT NULL,
            ags TEXT,
            manifest_sha256 TEXT
        )"""
    )


@migrations()
def m002_device_keys(db: Database) -> None:
    """Further devices of a registered municipality, each with its own signing key.

    Two guides of one municipality keep two vaults; each signs its bundles with its own
    key, and both count for the same AGS.
    """
    db.execute(
        """CREATE TABLE device_keys (
            key_id TEXT PRIMARY KEY,
            ags TEXT NOT NULL REFERENCES municipalities (ags),
            key TEXT NOT NULL UNIQUE,
            registered_at TEXT NOT NULL
        )"""
    )


@migrations()
def m003_device_key_revocation(db: Database) -> None:
    """One laptop's key can be revoked (stolen, retired) without stopping the others."""
    db.execute("ALTER TABLE device_keys ADD COLUMN revoked_at TEXT")


@migrations()
def m004_device_signers(db: Database) -> None:
    """The key each device signs with: one laptop's key must not sign as another laptop.

    Bound from the newest bundle already imported per device whose manifest names a key
    registered for the town today: a key replaced before this migration (``register
    --replace``) binds nothing, or the device would be refused for good. A device with no
    such bundle is bound by its next one.
    """
    db.execute(
        """CREATE TABLE device_signers (
            ags TEXT NOT NULL,
            device_id TEXT NOT NULL,
            key_id TEXT NOT NULL,
            bound_at TEXT NOT NULL,
            PRIMARY KEY (ags, device_id)
        )"""
    )
    current = {
        (str(ags), str(key_id))
        for ags, key_id in db.execute(
            "SELECT ags, key_id FROM municipalities WHERE revoked_at IS NULL "
            "UNION SELECT ags, key_id FROM device_keys WHERE revoked_at IS NULL"
        ).fetchall()
    }
    rows = db.execute(
        "SELECT ags, device_id, received_at, manifest FROM bundles WHERE status = 'imported' "
        "ORDER BY id DESC"
    ).fetchall()
    for ags, device_id, received_at, manifest in rows:
        key_id = json.loads(manifest)["signer_key_id"]
        if (ags, key_id) not in current:
            continue
        db.execute(
            "INSERT OR IGNORE INTO device_signers (ags, device_id, key_id, bound_at) "
            "VALUES (?, ?, ?, ?)",
            [ags, device_id, key_id, received_at],
        )


@migrations()
def m005_dropped(db: Database) -> None:
    """Held bundles the operator dropped: a log of who, when and why, kept for good.

    Not in ``devices.confirmed_why`` (where confirming an epoch and skipping a gap keep
    their reason): a bundle held for a new epoch has no device row yet, and writing one
    would let the epoch in; and a device epoch keeps one such reason, which the next
    override would replace.
    """
    db.execute(
        """CREATE TABLE dropped (
            manifest_sha256 TEXT PRIMARY KEY,
            ags TEXT NOT NULL,
            device_id TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            held_as TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            received_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            dropped_at TEXT NOT NULL,
            dropped_by TEXT NOT NULL,
            why TEXT NOT NULL,
            intake_seq INTEGER NOT NULL
        )"""
    )
    db.execute("CREATE INDEX dropped_device ON dropped (ags, device_id, epoch, seq)")


_FILE_NAME_TABLES = ("rejections", "bundles", "dropped")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def kept_file_name(name: str, file_sha256: str, size: int | None = None) -> str:
    """The name the ministry keeps, shows and names a receipt after, for a file it got.

    A bundle's own name (``KISI_<AGS>_<device>_<seq>_<date>.kisi``) says nothing about a
    person; any other name may (a clerk picks "Befund_Anna_Mueller.pdf" through "All
    files"), so it becomes its content's SHA-256 prefix, or, for a file not read, its size.
    """
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if is_bundle_file_name(base):
        return base
    if _HEX64.fullmatch(file_sha256):
        return f"sha256-{file_sha256[:16]}"
    return "unread-file" if size is None else f"unread-file-{size}-bytes"


@migrations()
def m006_neutral_file_names(db: Database) -> None:
    """File names kept before only bundle names were: any other becomes its hash label.

    The rejection log kept whatever name a file had, a person's name in a PDF's too.
    """
    for table in _FILE_NAME_TABLES:
        rows = db.execute(f"SELECT rowid, file_name, file_sha256 FROM {table}").fetchall()  # noqa: S608 - fixed table names
        for rowid, name, file_sha256 in rows:
            kept = kept_file_name(str(name), str(file_sha256))
            if kept != name:
                db.execute(
                    f"UPDATE {table} SET file_name = ? WHERE rowid = ?",  # noqa: S608 - fixed table names
                    [kept, rowid],
                )


@migrations()
def m007_content_packs(db: Database) -> None:
    """Every content pack made from this folder, by the window or ``kisi ministry
    content-pack``: the apps take only a higher version than the one installed, and the
    maker must know the last one whoever made it (the window kept it to itself before).
    """
    db.execute(
        """CREATE TABLE content_packs (
            id INTEGER PRIMARY KEY,
            pack_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            made_at TEXT NOT NULL,
            expires TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            UNIQUE (pack_id, version)
        )"""
    )


def chain_step(head: str, manifest_sha256: str, status: str) -> str:
    """The next intake chain head: SHA-256(previous head || manifest hash || status).

    Both hashes enter as their 32 raw bytes, the status as ASCII; the first two parts have a
    fixed length, so no two different entries hash the same input.
    """
    data = bytes.fromhex(head) + bytes.fromhex(manifest_sha256) + status.encode("ascii")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainEntry:
    """One step of the intake chain."""

    intake_seq: int
    manifest_sha256: str
    status: str
    head: str
    at: str


@dataclass(frozen=True, slots=True)
class Rejection:
    """One refused file, as the rejection log keeps it."""

    id: int
    at: str
    file_name: str
    file_sha256: str
    reason_code: str
    message: str
    ags: str | None
    manifest_sha256: str | None


class NotAnIntakeDatabase(UserError):
    """The file is not a KISI ministry intake database."""


class IntakeStore:
    """The intake database of one ministry folder.

    Reads are plain methods; anything that writes runs inside :meth:`transaction` (or, for
    the rejection log, in its own short transaction), so a failure leaves nothing behind.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.db = database(conn)

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path) -> IntakeStore:
        """A new, empty intake database at ``path`` (which must not exist)."""
        fd = path.open("xb")  # refuses an existing file
        fd.close()
        path.chmod(0o600)
        conn = _connect(path)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        migrations.apply(database(conn))
        return cls(conn)

    @classmethod
    def open(cls, path: Path) -> IntakeStore:
        """The existing intake database at ``path``, brought to the current schema."""
        if not path.is_file():
            raise NotAnIntakeDatabase(_("No intake database at {path}.").format(path=path))
        conn = _connect(path, existing=True)
        migrations.apply(database(conn))
        return cls(conn)

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close."""
        self.checkpoint()
        self.conn.close()

    def checkpoint(self) -> bool:
        """Copy the WAL into the main file and empty it; False when another connection
        kept it from finishing (then that one's last close does it later).

        After a delete, so that the old pages (a dropped bundle's file) leave the WAL too;
        the caller says so when they could not, as long as another process holds the
        database (``kisi ministry serve``).
        """
        try:
            row = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError:  # another process holds the database
            return False
        return row is not None and int(row[0]) == 0

    @contextmanager
    def transaction(self) -> Iterator[IntakeStore]:
        """One write transaction taken with the write lock (``BEGIN IMMEDIATE``).

        Immediate, not deferred: an import reads the anti-replay state and writes what it
        decided; holding the lock from the first read means a second importer waits instead
        of deciding on the same state.
        """
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    # -- generic reads ----------------------------------------------------------------------

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        """The first row of a query as a dict, or None."""
        cursor = self.conn.execute(sql, tuple(params))
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Every row of a query as dicts."""
        cursor = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- the intake chain -------------------------------------------------------------------

    def chain_head(self) -> tuple[int, str]:
        """The last intake sequence number and chain head (0 and 32 zero bytes at first)."""
        row = self.one("SELECT intake_seq, chain_head FROM ministry_meta WHERE id = 1")
        assert row is not None  # noqa: S101 - the first migration creates the row
        return int(row["intake_seq"]), str(row["chain_head"])

    def append_chain(self, manifest_sha256: str, status: str, at: str) -> tuple[int, str]:
        """Add one entry to the intake chain (inside a transaction); its seq and head."""
        seq, head = self.chain_head()
        seq += 1
        head = chain_step(head, manifest_sha256, status)
        self.conn.execute(
            "INSERT INTO intake_chain (intake_seq, manifest_sha256, status, head, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (seq, manifest_sha256, status, head, at),
        )
        self.conn.execute(
            "UPDATE ministry_meta SET intake_seq = ?, chain_head = ? WHERE id = 1", (seq, head)
        )
        return seq, head

    def chain(self) -> list[ChainEntry]:
        """Every entry of the intake chain, oldest first."""
        return [ChainEntry(**row) for row in self.all("SELECT * FROM intake_chain ORDER BY 1")]

    def verify_chain(self) -> int | None:
        """The intake_seq of the first entry that does not follow from its predecessor.

        None if the whole chain (and the head in ``ministry_meta``) is intact.
        """
        head = GENESIS
        last = 0
        for entry in self.chain():
            if entry.intake_seq != last + 1:
                return last + 1
            head = chain_step(head, entry.manifest_sha256, entry.status)
            if head != entry.head:
                return entry.intake_seq
            last = entry.intake_seq
        if self.chain_head() != (last, head):
            return last + 1
        return None

    # -- the rejection log ------------------------------------------------------------------

    def log_rejection(
        self,
        *,
        at: str,
        file_name: str,
        file_sha256: str,
        reason_code: str,
        message: str,
        ags: str | None = None,
        manifest_sha256: str | None = None,
    ) -> None:
        """Record a refused file, in a transaction of its own (never inside an import's)."""
        if self.conn.in_transaction:
            raise RuntimeError("the rejection log is written outside the import transaction")
        with self.transaction():
            self.conn.execute(
                "INSERT INTO rejections (at, file_name, file_sha256, reason_code, message, ags, "
                "manifest_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (at, file_name, file_sha256, reason_code, message, ags, manifest_sha256),
            )

    def rejections(self, limit: int | None = None) -> list[Rejection]:
        """The rejection log, newest first."""
        sql = "SELECT * FROM rejections ORDER BY id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [Rejection(**row) for row in self.all(sql)]

    # -- the provisioning counter -----------------------------------------------------------

    def next_provisioning_version(self, requested: int | None = None) -> int:
        """The version of the next provisioning document: ``requested``, or one more than
        the highest made so far; the counter never goes down."""
        with self.transaction():
            row = self.one("SELECT provisioning_version FROM ministry_meta WHERE id = 1")
            assert row is not None  # noqa: S101 - the first migration creates the row
            last = int(row["provisioning_version"])
            version = last + 1 if requested is None else requested
            self.conn.execute(
                "UPDATE ministry_meta SET provisioning_version = ? WHERE id = 1",
                (max(last, version),),
            )
        return version

    # -- for tests and the integrity check ----------------------------------------------------

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table except the rejection log (to show nothing changed)."""
        return {
            table: sorted(self.conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)  # noqa: S608 - fixed table names
            for table in DATA_TABLES
        }

    def integrity(self) -> str:
        """``PRAGMA integrity_check``: "ok" or SQLite's description of the damage."""
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])


def _connect(path: Path, *, existing: bool = False) -> sqlite3.Connection:
    """Open with WAL, synchronous=FULL and foreign keys; ``existing`` checks the file type."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    try:
        if existing and conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise NotAnIntakeDatabase(_("{path} is not a KISI intake database.").format(path=path))
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA secure_delete=ON")
    except NotAnIntakeDatabase:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise NotAnIntakeDatabase(
            _("{path} is not a KISI intake database or is damaged.").format(path=path)
        ) from exc
    return conn
