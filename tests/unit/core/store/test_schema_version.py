"""The schema number in ``PRAGMA user_version`` says which migrations a vault file has had.

Unlocking a current file skips sqlite-utils' migration machinery, so the number must agree
with the migrations, must be brought up on files from before it existed, and must never
be lowered on a file from a newer app version.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kisi_desktop.core.store.vault_file import SCHEMA_VERSION
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

PASS = "Sonnenblume am Fenster"


def _pragma(path: Path, sql: str) -> object:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None
    finally:
        conn.commit()
        conn.close()


def _vault(tmp_path: Path) -> Path:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.lock()
    return path


def test_the_number_counts_the_migrations_the_file_has_had(tmp_path: Path) -> None:
    path = _vault(tmp_path)
    applied = _pragma(path, "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'kisi'")
    assert applied == SCHEMA_VERSION
    assert _pragma(path, "PRAGMA user_version") == SCHEMA_VERSION


def test_a_file_from_before_the_number_is_brought_up_and_opens(tmp_path: Path) -> None:
    path = _vault(tmp_path)
    _pragma(path, "PRAGMA user_version = 0")  # as files written before it existed
    ws = Workspace.open(path, passphrase=PASS)
    assert ws.problems == ()
    ws.lock()
    assert _pragma(path, "PRAGMA user_version") == SCHEMA_VERSION


def test_a_file_from_a_newer_version_keeps_its_number(tmp_path: Path) -> None:
    path = _vault(tmp_path)
    _pragma(path, f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    ws = Workspace.open(path, passphrase=PASS)
    ws.lock()
    assert _pragma(path, "PRAGMA user_version") == SCHEMA_VERSION + 5
