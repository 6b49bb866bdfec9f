"""Erasure (GDPR Art. 17): after erasing a person, nothing of them is left in any file.

Records were encrypted anyway; erasure goes further: the person's key row is destroyed and
the old ciphertext bytes (current and earlier versions) are gone from the vault file, the
WAL and the shared-memory file, thanks to ``secure_delete`` and the WAL truncation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
