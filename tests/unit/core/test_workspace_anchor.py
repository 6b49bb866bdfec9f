"""S4 "truncation relative to last anchor": the unlock checks the chain against the audit
head the newest bundle took away (SECURITY.md 6.1.6).

Whoever holds the passphrase can rebuild the audit log without some of its entries and
record every row again: the chain walks, every row matches, and the row check alone sees
nothing. The bundle log keeps the head each bundle named; the chain must still hold it.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Note
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.i18n import _
from kisi_desktop.core.store.audit import AuditReport
from kisi_desktop.core.store.db import database
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

PASS = "Sonnenblume am Fenster"
DAY = date(2026, 3, 2)
FILE = "KISI_06534011_fedcba9876543210_000001_20260302.kisi"


def _entry(ws: Workspace, *, head: bool = True) -> BundleEntry:
    """A bundle log line as ``bundles.export.prepare_bundle`` writes it: the head is read
    first, the line itself is the next audit entry."""
    seq, mac = ws.vault.audit_head()
    return ws.add(
        BundleEntry(
            epoch=1,
            seq=1,
            bundle_id="0f8b6d4e-2c1a-4b7e-9d3f-5a6b7c8d9e0f",
            manifest_sha256="ab" * 32,
            file_name=FILE,
            period_start=date(2025, 10, 1),
            period_end=date(2026, 3, 1),
            created_at="2026-03-02T09:00:00Z",
            payload_b64="UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==",
            audit_seq=seq if head else None,
            audit_mac=mac.hex() if head else None,
        )
    )


def _exported(path: Path, *, head: bool = True) -> tuple[int, int]:
    """A vault whose history is init, a note written four times, an export, and two more
    actions after it; the head the bundle named and the newest entry."""
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    note = ws.add(Note(written_on=DAY, text="erste Fassung"))
    for n in range(2, 5):
        note = ws.update(dataclasses.replace(note, text=f"Fassung {n}"))
    entry = _entry(ws, head=head)
    ws.update(dataclasses.replace(entry, status="exported"))
    ws.add(Note(written_on=DAY, text="nach dem Export"))
    anchor = entry.audit_seq or 0
    last = ws.vault.audit_seq()
    ws.lock()
    return anchor, last


def _rebuild_log(path: Path, drop: set[int]) -> None:
    """Rewrite the audit log without the entries ``drop``, with the vault's own keys, as
    someone holding the passphrase could: every later entry is sealed and chained anew."""
    vault = Vault.open(path, passphrase=PASS)
    try:
        conn = vault.conn
        chain = vault._audit
        entries = list(chain.entries(conn, AuditReport()))
        with database(conn).atomic():
            conn.execute("DELETE FROM audit")
            conn.execute("DELETE FROM snapshot")
            conn.execute("UPDATE vault_meta SET audit_seq = 0, audit_head = ?", (chain.genesis(),))
            for e in entries:
                if e.seq not in drop:
                    chain.append(
                        conn, ts=e.ts, actor=e.actor, action=e.action, changes=list(e.changes)
                    )
    finally:
        vault.close()


def _unlock(path: Path, **options: object) -> Workspace:
    return Workspace.open(path, passphrase=PASS, snapshot_min_records=1, **options)  # type: ignore[arg-type]


def test_an_untouched_history_with_an_export_has_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    anchor, last = _exported(path)
    assert 0 < anchor < last
    ws = _unlock(path)
    assert ws.problems == ()
    assert ws.audit_verify().ok
    ws.lock()


def test_entries_dropped_before_the_anchor_so_that_the_log_ends_before_it(
    tmp_path: Path,
) -> None:
    """The chain is rebuilt without the init entry and three superseded versions of the
    note: it walks, every row matches, but it now ends before the head the bundle named."""
    path = tmp_path / "vault.kisi"
    anchor, last = _exported(path)
    _rebuild_log(path, drop={1, 2, 3, 4})
    left = last - 4
    assert left < anchor
    ws = _unlock(path)
    expected = _(
        "the audit log ends at entry {last}, but bundle {bundle} was made at "
        "entry {seq}: entries were removed after it"
    ).format(last=left, bundle=FILE, seq=anchor)
    assert ws.problems == (expected,)
    report = ws.audit_verify()
    assert report.problems == [expected]
    ws.lock()


def test_an_entry_dropped_before_the_anchor_changes_the_entry_it_names(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    anchor, _last = _exported(path)
    _rebuild_log(path, drop={1})
    expected = _(
        "audit entry {seq} is not the one bundle {bundle} named: the audit log "
        "was rewritten after it"
    ).format(seq=anchor, bundle=FILE)
    ws = _unlock(path)
    assert ws.problems == (expected,)
    ws.lock()


@pytest.mark.parametrize("check_later", [False, True], ids=["checked-first", "checked-later"])
def test_the_problem_stays_on_every_unlock_from_a_snapshot(
    tmp_path: Path, check_later: bool
) -> None:
    """After the first unlock the lock writes a snapshot of the rewritten history; the next
    unlocks start from it, and the full row check still reports the lost anchor."""
    path = tmp_path / "vault.kisi"
    _anchor, _last = _exported(path)
    _rebuild_log(path, drop={1})
    first = _unlock(path)
    assert len(first.problems) == 1
    first.lock()
    ws = _unlock(path, check_later=check_later)
    assert ws.vault.snapshot_seq() is not None  # (restored from the snapshot)
    assert ws.settle_check() == first.problems
    ws.lock()


def test_a_bundle_log_without_heads_is_not_checked(tmp_path: Path) -> None:
    """Bundle log lines from before the head was recorded name nothing to check."""
    path = tmp_path / "vault.kisi"
    _exported(path, head=False)
    _rebuild_log(path, drop={1})
    ws = _unlock(path)
    assert ws.problems == ()
    ws.lock()
