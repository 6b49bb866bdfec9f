"""The intake database: durable settings, its file type, and a chain that shows any edit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.store import GENESIS, IntakeStore, NotAnIntakeDatabase, chain_step

from .conftest import Device


def test_wal_and_full_sync(ministry: Ministry) -> None:
    conn = ministry.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert ministry.store.integrity() == "ok"


def test_a_vault_or_foreign_file_is_not_opened(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(NotAnIntakeDatabase):
        IntakeStore.open(other)
    with pytest.raises(NotAnIntakeDatabase):
        IntakeStore.open(tmp_path / "missing.sqlite")


def test_the_chain_starts_at_zero_and_follows_its_rule(ministry: Ministry, device: Device) -> None:
    assert ministry.store.chain_head() == (0, GENESIS)
    first = import_bundle(ministry, device.bundle([ministry.recipient]), "1")
    assert first.manifest_sha256 is not None
    expected = chain_step(GENESIS, first.manifest_sha256, "imported")
    assert ministry.store.chain_head() == (1, expected)
    assert ministry.store.verify_chain() is None


def test_an_edited_or_deleted_chain_entry_is_found(ministry: Ministry, device: Device) -> None:
    for name in "123":
        import_bundle(ministry, device.bundle([ministry.recipient]), name)
    conn = ministry.store.conn
    conn.execute("UPDATE intake_chain SET status = 'held_gap' WHERE intake_seq = 2")
    assert ministry.store.verify_chain() == 2
    conn.execute("UPDATE intake_chain SET status = 'imported' WHERE intake_seq = 2")
    conn.execute("DELETE FROM intake_chain WHERE intake_seq = 3")
    assert ministry.store.verify_chain() == 3


def test_a_failed_import_transaction_leaves_nothing(ministry: Ministry) -> None:
    before = ministry.store.snapshot()
    with pytest.raises(ZeroDivisionError), ministry.store.transaction():
        ministry.store.append_chain("00" * 32, "imported", "t")
        _ = 1 / 0
    assert ministry.store.snapshot() == before
