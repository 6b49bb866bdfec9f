"""Figures for the sealed store: write, unlock and search against plain SQLite and SQLCipher.

All three writers get the same rows (id, person, created, updated, text of ~700 bytes),
the same pragmas (WAL, synchronous=FULL) and the same transaction shape (batches of
1,000 rows, one transaction each), so the ratio shows what sealing costs.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlite_utils

from kisi_desktop.core.clock import SystemClock
from kisi_desktop.core.demo.texts import note_text
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.store.sealed_store import Put, Vault
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

BATCH = 1_000
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _rows(n: int) -> list[dict[str, Any]]:
    rng = random.Random(20251001)
    people = [secrets.token_hex(16) for _ in range(max(1, n // 15))]
    return [
        {
            "id": secrets.token_hex(16),
            "person_id": rng.choice(people),
            "created_at": "2026-03-01T09:30:00+00:00",
            "updated_at": "2026-03-01T09:30:00+00:00",
            "text": note_text(rng),
        }
        for _ in range(n)
    ]


def _envelope(row: dict[str, Any]) -> bytes:
    return _ENCODE(
        {
            "k": "note",
            "s": 1,
            "c": row["created_at"],
            "u": row["updated_at"],
            "a": "guide",
            "o": None,
            "d": {"id": row["id"], "person_id": row["person_id"], "text": row["text"]},
        }
    ).encode()


def _pragmas(conn: Any) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")


def _write_plain(path: Path, rows: list[dict[str, Any]], conn: Any) -> float:
    _pragmas(conn)
    db = sqlite_utils.Database(conn)
    started = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        with db.atomic():
            db["note"].insert_all(rows[i : i + BATCH], pk="id")
    return time.perf_counter() - started


def _sqlcipher_connect(path: Path) -> Any:
    from sqlcipher3 import dbapi2 as sqlcipher  # bench-only baseline

    conn = sqlcipher.connect(str(path), isolation_level=None)
    # A raw key skips SQLCipher's PBKDF2, as our figure skips Argon2id.
    conn.execute("PRAGMA key = \"x'" + "2b" * 32 + "'\"")
    return conn


def _check(workspace: Workspace, size: int) -> None:
    if workspace.problems or workspace.count() != size:
        raise SystemExit(f"unlock check failed: {workspace.problems[:3]}")


def run(size: int) -> list[dict[str, Any]]:
    """Measure the four store figures with ``size`` notes."""
    rows = _rows(size)
    envelopes = [_envelope(r) for r in rows]
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain_s = _write_plain(
            folder / "plain.db", rows, sqlite3.connect(folder / "plain.db", isolation_level=None)
        )
        cipher_conn = _sqlcipher_connect(folder / "cipher.db")
        cipher_s = _write_plain(folder / "cipher.db", rows, cipher_conn)
        cipher_conn.close()

        vault, _code = Vault.create(folder / "vault.kisi", "benchmark passphrase", kdf=TEST_PARAMS)
        started = time.perf_counter()
        for i in range(0, size, BATCH):
            vault.commit(
                "add",
                [
                    Put("note", r["id"], 1, None, env)
                    for r, env in zip(rows[i : i + BATCH], envelopes[i : i + BATCH], strict=True)
                ],
            )
        sealed_s = time.perf_counter() - started
        vault.close()
        figures.append(
            dict(
                name="store.write_vs_plain",
                value=sealed_s,
                unit="s",
                baseline="plain sqlite-utils insert_all",
                baseline_value=plain_s,
                goal="ratio <= 1.5",
            )
        )
        figures.append(
            dict(
                name="store.write_vs_sqlcipher",
                value=sealed_s,
                unit="s",
                baseline="SQLCipher via sqlite-utils",
                baseline_value=cipher_s,
                goal="ratio <= 0.8",
            )
        )

        # Unlock: open every record into the working set; key derivation excluded (the
        # vault's KDF cost is the test one, and Vault.open is outside the timed part).
        vault = Vault.open(folder / "vault.kisi", passphrase="benchmark passphrase")
        started = time.perf_counter()
        workspace = Workspace(vault, ReferenceData.load(), SystemClock())
        cold_s = time.perf_counter() - started
        _check(workspace, size)
        started = time.perf_counter()
        workspace.lock()  # writes the sealed snapshot (the vault is large)
        lock_s = time.perf_counter() - started
        vault = Vault.open(folder / "vault.kisi", passphrase="benchmark passphrase")
        started = time.perf_counter()
        workspace = Workspace(vault, ReferenceData.load(), SystemClock())
        unlock_s = time.perf_counter() - started
        _check(workspace, size)
        working = workspace.working_set
        cipher_conn = _sqlcipher_connect(folder / "cipher.db")
        started = time.perf_counter()
        all_rows = cipher_conn.execute("SELECT * FROM note").fetchall()
        cipher_read_s = time.perf_counter() - started
        cipher_conn.close()
        assert len(all_rows) == size
        figures.append(
            dict(
                name="store.unlock_vs_sqlcipher",
                value=unlock_s,
                unit="s",
                baseline="SQLCipher SELECT * (raw key)",
                baseline_value=cipher_read_s,
                goal="ratio <= 1.5 and value <= 2.0",
            )
        )
        figures.append(
            dict(
                name="store.unlock_cold_vs_sqlcipher",
                value=cold_s,
                unit="s",
                baseline="SQLCipher SELECT * (raw key)",
                baseline_value=cipher_read_s,
                goal="value <= 2.0",
            )
        )
        figures.append(
            dict(
                name="store.lock_with_snapshot",
                value=lock_s,
                unit="s",
                baseline="cold unlock",
                baseline_value=cold_s,
                goal="ratio <= 1.0",
            )
        )

        # Search: p95 over words a guide would type, vs. a scan of every note in memory.
        rng = random.Random(7)
        queries = [
            w
            for w in (
                "Jobcenter",
                "Anerkennung",
                "Kita",
                "Ausländerbehörde",
                "Kirchhain",
                "Wohnung",
                "Dolmetscher",
                "Integrationskurs",
                "Hausärztin",
                "Tigrinya",
                "Eschwege",
                "Elektriker",
                "Familiennachzug",
                "Nebenkosten",
                "Schulanmeldung",
                "Müller",
            )
        ]
        timings = []
        scan_timings = []
        texts = [r["text"] for r in rows]
        for _ in range(200):
            word = rng.choice(queries)[: rng.randint(4, 9)]
            started = time.perf_counter()
            working.search(word, limit=50)
            timings.append(time.perf_counter() - started)
            if len(scan_timings) < 20:
                started = time.perf_counter()
                low = word.lower()
                _hits = [t for t in texts if low in t.lower()][:50]
                scan_timings.append(time.perf_counter() - started)
        p95 = statistics.quantiles(timings, n=20)[-1] * 1000
        scan_p95 = statistics.quantiles(scan_timings, n=20)[-1] * 1000
        figures.append(
            dict(
                name="store.search_p95",
                value=p95,
                unit="ms",
                baseline="linear scan of all notes",
                baseline_value=scan_p95,
                goal="value <= 20",
            )
        )
        workspace.lock()

        # Renewing every key (a recovery sheet seen by others): every record opened and
        # sealed again in one transaction, vs the cold unlock that opens and indexes them.
        vault = Vault.open(folder / "vault.kisi", passphrase="benchmark passphrase")
        started = time.perf_counter()
        vault.renew_keys("benchmark passphrase", kdf=TEST_PARAMS)
        renew_s = time.perf_counter() - started
        vault.close()
        figures.append(
            dict(
                name="store.renew_keys_vs_cold_unlock",
                value=renew_s,
                unit="s",
                baseline="cold unlock",
                baseline_value=cold_s,
                goal="ratio <= 5.0",
            )
        )
        os.sync()
    return figures
