"""Helpers for tests that work on a real vault file: ids, record bodies, raw SQLite access."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date
from pathlib import Path

from kisi_desktop.core.domain import Note
from kisi_desktop.core.store.sealed_store import Put
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

PASSPHRASE = "korrekt Pferd Batterie"
NEW_PASSPHRASE = "ሰላም neue Passphrase 2026"


def new_id() -> str:
    """A random 128-bit record id as 32 hex characters, like the app's."""
    return os.urandom(16).hex()


def envelope(kind: str, owner: str | None, **payload: object) -> bytes:
    """A record body as the app encodes it: ``{"k","o","c","u","d"}`` JSON, UTF-8."""
    return json.dumps(
        {
            "k": kind,
            "o": owner,
            "c": "2026-03-01T09:00:00+00:00",
            "u": "2026-03-01T09:00:00+00:00",
            "d": payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def raw(path: Path) -> sqlite3.Connection:
    """A plain SQLite connection to the vault file, as an attacker or a tool would use."""
    return sqlite3.connect(path, isolation_level=None)


def put_person(name: str, pid: str | None = None) -> Put:
    """A person record (sealed under a new person key of its own)."""
    pid = pid or new_id()
    return Put("person", pid, 1, None, envelope("person", pid, name=name))


def put_note(owner: str | None, text: str, rid: str | None = None) -> Put:
    """A note, owned by a person (sealed under their key) or by nobody (data key)."""
    return Put("note", rid or new_id(), 1, owner, envelope("note", owner, text=text))


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of the file, through its WAL."""
    conn = raw(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def vault_with_notes(path: Path, passphrase: str, n: int = 20) -> list[Note]:
    """A locked vault of ``n`` notes that keeps a snapshot however few records it has."""
    ws, _code = Workspace.create(path, passphrase, kdf=TEST_PARAMS, snapshot_min_records=1)
    notes = [
        Note(written_on=date(2026, 3, 2), text=f"Notiz Nummer {i} zum Sprachkurs") for i in range(n)
    ]
    ws.save(notes, "import")
    ws.lock()
    return notes


def stored_slot(path: Path, slot_id: str = "recovery") -> bytes:
    """A key slot's wrapped key as stored in the file (read beside an open vault, as a
    tool could): changes when a code or passphrase is replaced."""
    conn = raw(path)
    try:
        row = conn.execute("SELECT wrapped FROM key_slot WHERE slot_id = ?", (slot_id,)).fetchone()
    finally:
        conn.close()
    return bytes(row[0])
