"""Erasure (GDPR Art. 17): after erasing a person, nothing of them is left in any file.

Records were encrypted anyway; erasure goes further: the person's key row is destroyed and
the old ciphertext bytes (current and earlier versions) are gone from the vault file, the
WAL and the shared-memory file, thanks to ``secure_delete`` and the WAL truncation.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kisi_desktop.core.store import sealed_store, vault_file
from kisi_desktop.core.store.sealed_store import Delete, Vault

from tests.support.marker_scan import scan, scan_bytes
from tests.support.vaults import PASSPHRASE, put_note, put_person, raw

MakeVault = Callable[..., tuple[Vault, str]]


def _blob(vault: Vault, rid: str) -> bytes:
    return bytes(
        vault.conn.execute(
            "SELECT blob FROM record WHERE id = ?", (bytes.fromhex(rid),)
        ).fetchone()[0]
    )


def _key_ref(vault: Vault, rid: str) -> str:
    return str(
        vault.conn.execute(
            "SELECT key_ref FROM record WHERE id = ?", (bytes.fromhex(rid),)
        ).fetchone()[0]
    )


def test_erasure_leaves_no_key_and_no_ciphertext_behind(make_vault: MakeVault) -> None:
    vault, _code = make_vault()
    folder = vault.path.parent
    amina, bilal = put_person("Amina ZQXERASEDNAME"), put_person("Bilal Haddad")
    amina_notes = [put_note(amina.id, f"Beratung {n} ZQXERASEDNOTE") for n in range(3)]
    bilal_note = put_note(bilal.id, "Sprachkurs")
    vault.commit("add", [amina, bilal, *amina_notes, bilal_note])
    old_version = _blob(vault, amina_notes[0].id)
    vault.commit("update", [put_note(amina.id, "geändert ZQXERASEDNOTE", rid=amina_notes[0].id)])
    vault.load()
    amina_ref, bilal_ref = _key_ref(vault, amina.id), _key_ref(vault, bilal.id)
    wrapped_key = bytes(
        vault.conn.execute(
            "SELECT wrapped FROM person_key WHERE key_ref = ?", (amina_ref,)
        ).fetchone()[0]
    )
    blobs = [old_version] + [_blob(vault, r.id) for r in (amina, *amina_notes)]
    vault.checkpoint()
    # Control: before erasure the current ciphertext and the wrapped key are in the file.
    assert scan_bytes([folder], [*blobs[1:], wrapped_key])

    owned = vault.records_sealed_with_person_key(amina.id)
    assert sorted(rid for _k, rid in owned) == sorted([amina.id, *(n.id for n in amina_notes)])
    vault.commit("erase", deletes=[Delete(kind, rid) for kind, rid in owned])
    vault.checkpoint()

    conn = vault.conn
    refs = {r for (r,) in conn.execute("SELECT key_ref FROM person_key")}
    assert amina_ref not in refs and bilal_ref in refs
    assert (
        conn.execute("SELECT count(*) FROM record WHERE key_ref = ?", (amina_ref,)).fetchone()[0]
        == 0
    )
    assert (folder / (vault.path.name + "-wal")).stat().st_size == 0

    leftovers = scan_bytes([folder], [*blobs, wrapped_key])
    assert not leftovers, f"erased ciphertext still in {leftovers}"
    assert not scan([folder], ["ZQXERASEDNAME", "ZQXERASEDNOTE", "Amina"])

    # Bilal is untouched, and the erasure is an audited action, not a "missing" record.
    records, report = vault.load()
    assert report.ok, report.problems
    assert {r.id for r in records} == {bilal.id, bilal_note.id}
    path = vault.path
    vault.close()
    assert not scan_bytes([folder], [*blobs, wrapped_key])
    reopened = Vault.open(path, passphrase=PASSPHRASE)
    records, report = reopened.load()
    assert report.ok and {r.id for r in records} == {bilal.id, bilal_note.id}
    reopened.close()


def test_a_restored_copy_of_an_erased_persons_rows_is_detected(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    """Putting the erased rows back from an older copy of the file does not bring them back."""
    vault, _code = make_vault()
    amina = put_person("Amina")
    note = put_note(amina.id, "Beratung")
    vault.commit("add", [amina, note])
    path = vault.path
    vault.close()
    copy = tmp_path / "copy.vault"
    copy.write_bytes(path.read_bytes())
    vault = Vault.open(path, passphrase=PASSPHRASE)
    vault.load()
    vault.commit("erase", deletes=[Delete("person", amina.id), Delete("note", note.id)])
    vault.close()
    conn = raw(path)
    conn.execute("ATTACH DATABASE ? AS old", (str(copy),))
    conn.execute("INSERT INTO record SELECT * FROM old.record")
    conn.execute("DETACH DATABASE old")
    conn.close()
    vault = Vault.open(path, passphrase=PASSPHRASE)
    records, report = vault.load()
    assert records == []
    assert len(report.problems) == 2
    vault.close()


def _erased_while_read(make_vault: MakeVault) -> tuple[Vault, sqlite3.Connection, list[bytes]]:
    """Erase Amina while another connection (``kisi backup`` copying the file from another
    process) holds a read of the state before: returns the vault, that reader (still
    reading) and the bytes that must leave the main file."""
    vault, _code = make_vault()
    amina, bilal = put_person("Amina"), put_person("Bilal")
    note = put_note(amina.id, "Beratung")
    vault.commit("add", [amina, bilal, note])
    vault.checkpoint()
    ref = _key_ref(vault, amina.id)
    wrapped = vault.conn.execute(
        "SELECT wrapped FROM person_key WHERE key_ref = ?", (ref,)
    ).fetchone()[0]
    gone = [bytes(wrapped), _blob(vault, amina.id), _blob(vault, note.id)]
    reader = vault_file.connect_read_only(vault.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM record").fetchone()
    vault.commit("erase", deletes=[Delete("person", amina.id), Delete("note", note.id)])
    return vault, reader, gone


@pytest.mark.allow_log_warnings
def test_an_erasure_held_up_by_a_reader_is_owed_and_paid_by_the_next_save(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A checkpoint a reader holds up copies nothing: the main file keeps the erased key
    and records, and a copy of that file alone would open them. The vault says so and
    pays the checkpoint with the next save once the reader is gone."""
    monkeypatch.setattr(sealed_store, "BUSY_MS", 50)
    vault, reader, gone = _erased_while_read(make_vault)
    assert vault.checkpoint() is False
    assert vault.checkpoint_owed
    assert "checkpoint owed" in caplog.text  # no name in it: only that the file was in use
    main = vault.path.read_bytes()
    assert all(piece in main for piece in gone)  # what the owed checkpoint is about

    reader.rollback()
    reader.close()
    vault.commit("add", [put_person("Chadi")])
    assert not vault.checkpoint_owed
    assert not scan_bytes([vault.path.parent], gone)


@pytest.mark.allow_log_warnings
def test_an_owed_checkpoint_is_paid_at_close(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sealed_store, "BUSY_MS", 50)
    vault, reader, gone = _erased_while_read(make_vault)
    assert vault.checkpoint() is False
    reader.close()
    vault.close()
    assert not scan_bytes([vault.path.parent], gone)


_CRASH_AFTER_ERASING = """
import os, sys
from pathlib import Path
from kisi_desktop.core.store import sealed_store
from kisi_desktop.core.store.sealed_store import Delete, Vault
sealed_store.BUSY_MS = 50
vault = Vault.open(Path(sys.argv[1]), passphrase=sys.argv[2])
records, _report = vault.load()
vault.commit("erase", deletes=[Delete(r.kind, r.id) for r in records if r.kind != "person"
                               or b"Amina" in r.plain])
print(vault.checkpoint() is False, flush=True)
os._exit(0)  # as a crash: no close, the WAL stays
"""


def test_a_checkpoint_owed_when_the_process_died_is_paid_at_the_next_open(
    make_vault: MakeVault,
) -> None:
    vault, _code = make_vault()
    amina, bilal = put_person("Amina"), put_person("Bilal")
    note = put_note(amina.id, "Beratung")
    vault.commit("add", [amina, bilal, note])
    vault.checkpoint()
    gone = [_blob(vault, amina.id), _blob(vault, note.id)]
    path = vault.path
    vault.close()
    reader = vault_file.connect_read_only(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM record").fetchone()
    child = subprocess.run(
        [sys.executable, "-c", _CRASH_AFTER_ERASING, str(path), PASSPHRASE],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert child.stdout.strip() == "True", child.stderr
    reader.close()  # read-only: it cannot checkpoint on its way out
    assert all(piece in path.read_bytes() for piece in gone)

    reopened = Vault.open(path, passphrase=PASSPHRASE)
    try:
        assert not any(piece in path.read_bytes() for piece in gone)
    finally:
        reopened.close()


@pytest.mark.allow_log_warnings
def test_an_owed_checkpoint_that_fails_does_not_fail_the_save(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save is committed before the owed checkpoint is tried: a full disk stopping the
    checkpoint must not make it look failed (a retry then met its own row)."""
    monkeypatch.setattr(sealed_store, "BUSY_MS", 50)
    vault, reader, _gone = _erased_while_read(make_vault)
    assert vault.checkpoint() is False
    reader.close()

    def full(_conn: sqlite3.Connection, _wait_ms: int) -> bool:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sealed_store, "_try_checkpoint", full)
    chadi = put_person("Chadi")
    vault.commit("add", [chadi])
    assert vault.checkpoint_owed  # still owed, tried again with the next save
    records, report = vault.load()
    assert report.ok and chadi.id in {r.id for r in records}
