"""Schema of the vault file, one function per change; a released migration is never edited.

Adding one means raising ``vault_file.SCHEMA_VERSION`` too (a test checks they agree).

Only what carries no personal meaning is stored in the clear: random ids, record kind,
schema version, version counters, key references and sync bookkeeping (SECURITY.md 6.1.3).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("kisi")


@migrations()
def m001_initial(db: Database) -> None:
    """Vault metadata, key slots, wrapped keys, sealed records, sealed audit chain."""
    db.execute(
        """CREATE TABLE vault_meta (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            format_version INTEGER NOT NULL,
            vault_id BLOB NOT NULL,
            created_at TEXT NOT NULL,
            audit_seq INTEGER NOT NULL,
            audit_head BLOB NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE key_slot (
            slot_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            kdf TEXT NOT NULL,
            salt BLOB NOT NULL,
            wrapped BLOB NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE data_key (
            key_ref TEXT PRIMARY KEY,
            generation INTEGER NOT NULL UNIQUE,
            status TEXT NOT NULL,
            seal_count INTEGER NOT NULL,
            wrapped BLOB NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE person_key (
            key_ref TEXT PRIMARY KEY,
            seal_count INTEGER NOT NULL,
            wrapped BLOB NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE record (
            id BLOB PRIMARY KEY,
            kind TEXT NOT NULL,
            schema_v INTEGER NOT NULL,
            version INTEGER NOT NULL,
            key_ref TEXT NOT NULL,
            blob BLOB NOT NULL,
            exported_seq INTEGER
        )"""
    )
    db.execute("CREATE INDEX record_key_ref ON record (key_ref)")
    db.execute(
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            blob BLOB NOT NULL,
            chain_mac BLOB NOT NULL
        )"""
    )


@migrations()
def m002_snapshot(db: Database) -> None:
    """A sealed copy of the working set, so a large vault unlocks without re-indexing.

    The sealed copy itself is a file beside the vault (store/snapshot.py); this row holds
    its key, wrapped by the master key: deleting the row (as every erasure does) destroys
    the key.
    """
    db.execute(
        """CREATE TABLE snapshot (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            audit_seq INTEGER NOT NULL,
            wrapped_key BLOB NOT NULL
        )"""
    )


@migrations()
def m003_audit_keys(db: Database) -> None:
    """The audit chain's keys once the vault's keys were renewed (store/audit.py): from
    which entry on each pair holds, wrapped by the master key. Empty until then: the keys
    are derived from the master key."""
    db.execute(
        """CREATE TABLE audit_key (
            from_seq INTEGER PRIMARY KEY,
            wrapped BLOB NOT NULL
        )"""
    )
