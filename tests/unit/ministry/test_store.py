"""The intake database: durable settings, its file type, and a chain that shows any edit."""

from __future__ import annotations

import hashlib
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
    # The rule as bundles/FORMAT.md states it, worked out here with hashlib rather than the code's
    # own chain_step: SHA-256(32 zero bytes || manifest hash (32 bytes) || "imported").
    expected = hashlib.sha256(
        bytes(32) + bytes.fromhex(first.manifest_sha256) + b"imported"
    ).hexdigest()
    assert ministry.store.chain_head() == (1, expected)
    assert ministry.store.verify_chain() is None


def test_the_chain_rule_has_a_fixed_answer() -> None:
    # A known answer: a town and the ministry (or a later version of either) that differ
    # in the rule would disagree about every receipt's chain head.
    # SHA-256 of 32 zero bytes, 32 bytes 0x11 and "imported" (sha256sum gives the same).
    assert chain_step(GENESIS, "11" * 32, "imported") == (
        "b0facbf144f7f735096f711bb0bf19974828b68a8b1d5c521dbe4917163de9ff"
    )


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
