"""Opening the vault file and writing its key rows: the file-level half of the sealed store.

Kept apart from :mod:`sealed_store` (records, audit, snapshot) so each module has one job:
this one knows the pragmas, the file-type check and the rows that hold wrapped keys.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from kisi_desktop.core.errors import VaultCorrupt
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store.not_opened import not_opened
from kisi_desktop.core.vault import keys

FORMAT_VERSION = 1
# "KISI" in ASCII; lets tools and the app recognise the file type.
APPLICATION_ID = 0x4B495349
SCHEMA_VERSION = 3
"""How many of the migrations in migrations.py the file has had, kept in ``PRAGMA
user_version``: unlocking a current file then needs no sqlite-utils at all (0.05 s of
imports at every start). A new migration raises this number."""


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the file to the current schema; a no-op (one pragma) when it is current.

    A file from a newer app version (a higher number) is left as it is.
    """
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= SCHEMA_VERSION:
        return
    # Only here: sqlite-utils and the migration functions are needed once per file.
    from kisi_desktop.core.store.db import database
    from kisi_desktop.core.store.migrations import migrations

    migrations.apply(database(conn))
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def connect(path: Path, *, existing: bool = False) -> sqlite3.Connection:
    """Open the file with the vault's pragmas; ``existing`` checks the file type first."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        # Check the file type before any pragma that writes: switching to WAL would turn an
        # empty file or someone else's SQLite database into a modified file. (The read goes
        # through an existing WAL, so a vault whose header is still only in the WAL passes.)
        if existing and conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise VaultCorrupt(_("{path} is not a KISI vault.").format(path=path))
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA foreign_keys=ON")
    except VaultCorrupt:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise not_opened(path, exc) from exc
    return conn


def write_slot(conn: sqlite3.Connection, slot: keys.KeySlot) -> None:
    """Insert or replace a key slot (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO key_slot (slot_id, kind, kdf, salt, wrapped) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (slot_id) DO UPDATE SET kind = excluded.kind, kdf = excluded.kdf, "
        "salt = excluded.salt, wrapped = excluded.wrapped",
        (slot.slot_id, slot.kind, slot.kdf, slot.salt, slot.wrapped),
    )


def new_data_key(
    conn: sqlite3.Connection, vmk: bytes, vault_id: bytes, *, generation: int
) -> tuple[str, bytes]:
    """Create data key generation ``generation``; returns its reference and raw key."""
    key_ref = f"d{generation}-" + keys.new_key()[:6].hex()
    raw = keys.new_key()
    conn.execute(
        "INSERT INTO data_key (key_ref, generation, status, seal_count, wrapped) "
        "VALUES (?, ?, 'active', 0, ?)",
        (key_ref, generation, keys.wrap_key(vmk, raw, "data", key_ref, vault_id)),
    )
    return key_ref, raw


def is_vault_file(path: Path) -> bool:
    """Whether ``path`` is an SQLite file marked as a KISI vault, read from its header
    alone (the application id at offset 68), without opening it as a database."""
    try:
        with path.open("rb") as file:
            head = file.read(72)
    except OSError:
        return False
    return (
        len(head) == 72
        and head.startswith(b"SQLite format 3\x00")
        and int.from_bytes(head[68:72], "big") == APPLICATION_ID
    )


def read_header(conn: sqlite3.Connection, path: Path, slot_id: str) -> tuple[bytes, keys.KeySlot]:
    """The vault id and the wanted key slot, or VaultCorrupt for anything that is off."""
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise VaultCorrupt(_("{path} is not a KISI vault.").format(path=path))
        meta = conn.execute("SELECT format_version, vault_id FROM vault_meta").fetchone()
        row = conn.execute(
            "SELECT slot_id, kind, kdf, salt, wrapped FROM key_slot WHERE slot_id = ?", (slot_id,)
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise not_opened(path, exc) from exc
    if meta is None or row is None:
        raise VaultCorrupt(_("{path} is not a KISI vault or is damaged.").format(path=path))
    if meta[0] != FORMAT_VERSION:
        raise VaultCorrupt(_("{path} was made by a newer KISI Desktop.").format(path=path))
    slot = keys.KeySlot(*row)
    # SQLite does not enforce column types: a slot edited outside the app may hold text
    # where bytes belong (or the reverse); that is a damaged file, not a traceback.
    if (
        slot.kind != slot_id
        or not isinstance(slot.kdf, str)
        or not isinstance(slot.salt, bytes)
        or not isinstance(slot.wrapped, bytes)
        or not isinstance(meta[1], bytes)
    ):
        raise VaultCorrupt(_("The key slot of {path} is damaged.").format(path=path))
    return bytes(meta[1]), slot


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A second, read-only connection to the file (for checks on a thread of their own)."""
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def copy_file(path: Path, target: Path, progress: Callable[[int, int], None] | None = None) -> None:
    """Write a consistent copy of the vault file at ``path`` into ``target`` (an empty or
    new file): one database without a WAL beside it, as a backup needs. Only ciphertext
    is copied, so no key is needed; ``progress(done, total)`` counts pages.

    The copy is read through a connection of its own, a thousand pages at a time; a save
    in between makes SQLite start the copy again, so it never mixes two states of the file.
    """
    source = connect_read_only(path)
    try:
        dest = sqlite3.connect(target, isolation_level=None)
        try:

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            source.backup(dest, pages=1024, progress=step)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        source.close()


# A vault's schema: these tables, their indexes, nothing else (no views, triggers or
# virtual tables, whose SQL would run when a file from outside is read).
VAULT_TABLES = frozenset(
    {"_sqlite_migrations", "vault_meta", "key_slot", "data_key", "person_key", "record",
     "audit", "snapshot", "audit_key"}
)  # fmt: skip
# Checking a file's schema takes milliseconds; one made to keep SQLite busy is given up on.
CHECK_SECONDS = 5.0
# Taking the rows of a backup into a fresh file: linear in its size, seconds for 100 MB.
REBUILD_SECONDS = 600.0


def _time_limit(conn: sqlite3.Connection, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)


def open_untrusted(path: Path) -> sqlite3.Connection:
    """A read-only connection to a vault-shaped file from outside (a backup on a USB
    stick) that never writes to it: the file must have the vault's type and the vault's
    plain tables only (no views, triggers or virtual tables, whose SQL would run when it
    is read), checked within a few seconds. Reading plain tables then takes as long as
    their size: no statement of the file's own runs.

    Raises:
        sqlite3.DatabaseError: not a vault-shaped file (the caller says so in its words).
    """
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    _time_limit(conn, CHECK_SECONDS)
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise sqlite3.DatabaseError("not a vault")
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        tables = {name for kind, name, _sql in schema if kind == "table"}
        odd = [
            name
            for kind, name, sql in schema
            if kind not in ("table", "index")
            or (kind == "table" and name not in VAULT_TABLES)
            or (kind == "table" and str(sql).upper().startswith("CREATE VIRTUAL"))
        ]
        if odd or not {"vault_meta", "record", "audit"} <= tables:
            raise sqlite3.DatabaseError("not a plain vault schema")
    except BaseException:
        conn.close()
        raise
    conn.set_progress_handler(None, 0)
    return conn


def rebuild(source: Path, target: Path) -> None:
    """Make ``target`` (a new file) a vault with this app's own schema, holding the rows
    of the vault-shaped file ``source``: whatever else the source's tables declare
    (foreign keys, checks, defaults that would run on the next write) stays behind. The
    rows themselves are what the caller checks, against the audit chain.

    Raises:
        sqlite3.DatabaseError: the source is no vault-shaped file, or its rows do not fit.
    """
    open_untrusted(source).close()
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        migrate(conn)
        conn.execute("ATTACH DATABASE ? AS source", (
            "file:" + urllib.parse.quote(str(source.resolve())) + "?mode=ro&immutable=1",
        ))  # fmt: skip
        there = {
            row[0]
            for row in conn.execute("SELECT name FROM source.sqlite_master WHERE type='table'")
        }
        _time_limit(conn, REBUILD_SECONDS)
        conn.execute("BEGIN")
        for table in sorted(VAULT_TABLES - {"_sqlite_migrations"}):
            if table not in there:
                continue  # (an older schema: snapshot came with version 2, audit_key with 3)
            columns = ", ".join(
                f'"{row[1]}"' for row in conn.execute(f'PRAGMA main.table_info("{table}")')
            )
            conn.execute(
                f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM source."{table}"'  # noqa: S608 - our own table and column names
            )
        conn.execute("COMMIT")
        conn.set_progress_handler(None, 0)
        conn.execute("DETACH DATABASE source")
    finally:
        conn.close()


class QuickCheck:
    """``PRAGMA quick_check`` on its own read-only connection, in a background thread."""

    def __init__(self, path: Path) -> None:
        self._result = "not run"
        self._thread = threading.Thread(target=self._run, args=(path,), daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            conn = connect_read_only(path)
            try:
                self._result = str(conn.execute("PRAGMA quick_check").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error as exc:
            self._result = f"error: {exc}"

    def passed(self) -> bool:
        """Wait for the check; True when SQLite found the file in order."""
        self._thread.join()
        return self._result == "ok"
