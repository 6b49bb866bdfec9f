"""Renewing every key of a vault (``Vault.renew_keys``): for a recovery sheet or passphrase
that someone else may have seen, with a copy of the file in their hands.

What a guide and a data protection officer would check: the records are all there, the
passphrase still opens (or the new one, and only it), the old recovery code no longer
does, the old master key opens nothing in the file any more, the audit log verifies and
goes on, a crash at any step leaves the old keys or the new and never a mix.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kisi_desktop.core.errors import SealBroken, VaultCorrupt, WrongSecret
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.vault import keys
from kisi_desktop.core.vault.kdf import TEST_PARAMS

import kisi_desktop
from tests.support.vaults import PASSPHRASE, integrity, put_note, put_person, raw

MakeVault = Callable[..., tuple[Vault, str]]
NEW_PASSPHRASE = "Neue Passphrase für Kirchhain 2026"
REPO = Path(kisi_desktop.__file__).resolve().parents[1]


def _filled(make_vault: MakeVault) -> tuple[Vault, str, dict[str, bytes]]:
    vault, code = make_vault()
    amina, yonas = put_person("Amina Haidari"), put_person("Yonas Tesfay")
    vault.commit("add", [amina, yonas, put_note(amina.id, "Kita-Platz beantragt")])
    vault.commit("add", [put_note(None, "Elterncafé im Bürgerhaus"), put_note(yonas.id, "B1")])
    records, report = vault.load()
    assert report.ok
    return vault, code, {r.id: r.plain for r in records}


def _contents(path: Path, **secret: str) -> dict[str, bytes]:
    vault = Vault.open(path, **secret)  # type: ignore[arg-type]
    try:
        records, report = vault.load()
        assert report.ok, report.problems
        return {r.id: r.plain for r in records}
    finally:
        vault.close()


def test_renewed_keys_keep_every_record_and_retire_the_old_recovery_code(
    make_vault: MakeVault,
) -> None:
    vault, old_code, before = _filled(make_vault)
    path = vault.path
    new_code = vault.renew_keys(PASSPHRASE, kdf=TEST_PARAMS)
    assert new_code != old_code
    # Saving goes on in the same session, under the new keys.
    vault.commit("add", [put_note(None, "nach der Erneuerung")])
    vault.close()
    after = _contents(path, passphrase=PASSPHRASE)
    assert {rid: after[rid] for rid in before} == before and len(after) == len(before) + 1
    assert _contents(path, recovery_code=new_code) == after
    with pytest.raises(WrongSecret):
        Vault.open(path, recovery_code=old_code)


def test_the_old_master_key_opens_nothing_in_the_renewed_file(make_vault: MakeVault) -> None:
    vault, _code, _before = _filled(make_vault)
    path, vault_id, old_vmk = vault.path, vault.vault_id, vault._vmk
    assert old_vmk is not None
    conn = raw(path)
    old_wrapped = [bytes(w) for (w,) in conn.execute("SELECT wrapped FROM person_key")]
    old_blobs = [bytes(b) for (b,) in conn.execute("SELECT blob FROM record")]
    conn.close()
    vault.renew_keys(PASSPHRASE, kdf=TEST_PARAMS)
    # Right after the renewal, with the vault still open (a copy taken now): neither the
    # old wrapped keys nor the old ciphertexts are in the file or its WAL.
    wal = path.with_name(path.name + "-wal")
    data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert not any(w in data for w in old_wrapped)
    assert not any(b[13:45] in data for b in old_blobs)
    vault.close()
    conn = raw(path)
    for table, role in (("data_key", "data"), ("person_key", "person")):
        for ref, wrapped in conn.execute(f"SELECT key_ref, wrapped FROM {table}"):  # noqa: S608
            with pytest.raises(SealBroken):
                keys.unwrap_key(old_vmk, wrapped, role, ref, vault_id)
    for from_seq, wrapped in conn.execute("SELECT from_seq, wrapped FROM audit_key"):
        with pytest.raises(SealBroken):
            keys.unwrap_key(old_vmk, wrapped, "audit", f"a{from_seq}", vault_id)
    conn.close()


def test_a_new_passphrase_replaces_the_old_one_in_the_same_step(make_vault: MakeVault) -> None:
    vault, _code, before = _filled(make_vault)
    path = vault.path
    vault.renew_keys(PASSPHRASE, new_passphrase=NEW_PASSPHRASE, kdf=TEST_PARAMS)
    vault.close()
    assert _contents(path, passphrase=NEW_PASSPHRASE) == before
    with pytest.raises(WrongSecret):
        Vault.open(path, passphrase=PASSPHRASE)


def test_a_wrong_current_passphrase_changes_nothing(make_vault: MakeVault) -> None:
    vault, code, before = _filled(make_vault)
    path = vault.path
    with pytest.raises(WrongSecret):
        vault.renew_keys("nicht die Passphrase der Guide", kdf=TEST_PARAMS)
    vault.close()
    assert _contents(path, recovery_code=code) == before


def test_a_vault_that_fails_its_check_is_not_renewed(make_vault: MakeVault) -> None:
    """A row put back from an older copy must not be blessed by the renewal's entry."""
    vault, code, _before = _filled(make_vault)
    path = vault.path
    person = put_person("Ilya Petrenko")
    vault.commit("add", [person])
    conn = raw(path)
    older = conn.execute("SELECT blob FROM record WHERE kind = 'person' LIMIT 1").fetchone()[0]
    vault.commit("save", [put_person("Ilya Petrenko (neu)", person.id)])
    conn.execute(
        "UPDATE record SET blob = ?, version = 1 WHERE id = ?", (older, bytes.fromhex(person.id))
    )
    conn.close()
    with pytest.raises(VaultCorrupt):
        vault.renew_keys(PASSPHRASE, kdf=TEST_PARAMS)
    vault.close()
    # Nothing changed: the old recovery code still opens, and the check still sees the row.
    reopened = Vault.open(path, recovery_code=code)
    try:
        _records, report = reopened.load()
        assert not report.ok
    finally:
        reopened.close()


def test_the_audit_log_verifies_and_goes_on_under_the_new_keys(make_vault: MakeVault) -> None:
    vault, _code, _before = _filled(make_vault)
    path = vault.path
    seq_before, mac_before = vault.audit_head()
    vault.renew_keys(PASSPHRASE, kdf=TEST_PARAMS)
    # The history before the renewal is the same chain: a bundle's anchor still holds.
    assert vault.audit_mac_at(seq_before) == mac_before
    assert vault.audit_seq() == seq_before + 1
    vault.commit("add", [put_note(None, "danach")])
    vault.close()
    reopened = Vault.open(path, passphrase=PASSPHRASE)
    try:
        assert reopened.verify_audit().ok
        assert reopened.audit_mac_at(seq_before) == mac_before
    finally:
        reopened.close()


def test_an_audit_entry_written_with_the_old_keys_after_the_renewal_is_found(
    make_vault: MakeVault,
) -> None:
    """Someone with the old master key appends an entry to a renewed file: the chain
    check refuses it (the new keys MAC everything after the renewal)."""
    from kisi_desktop.core.store.audit import AuditChain
    from kisi_desktop.core.vault import subkeys

    vault, _code, _before = _filled(make_vault)
    path, vault_id, old_vmk = vault.path, vault.vault_id, vault._vmk
    assert old_vmk is not None
    vault.renew_keys(PASSPHRASE, kdf=TEST_PARAMS)
    vault.close()
    forged = AuditChain(
        subkeys.derive_subkey(old_vmk, subkeys.AUDIT_MAC),
        subkeys.derive_subkey(old_vmk, subkeys.AUDIT_SEAL),
        vault_id,
    )
    conn = raw(path)
    conn.execute("BEGIN")
    forged.append(conn, ts="2026-03-02T10:00:00", actor="guide", action="delete", changes=[])
    conn.execute("COMMIT")
    conn.close()
    reopened = Vault.open(path, passphrase=PASSPHRASE)
    try:
        assert not reopened.verify_audit().ok
    finally:
        reopened.close()


RENEW_CHILD = """
import sys
from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.vault.kdf import TEST_PARAMS
vault = Vault.open(sys.argv[1], passphrase=sys.argv[2])
code = vault.renew_keys(sys.argv[2], new_passphrase=sys.argv[3], kdf=TEST_PARAMS)
print(code, flush=True)
vault.close()
"""
RUNS_PER_LABEL = int(os.environ.get("KISI_CRASH_RUNS", "20"))


@pytest.mark.parametrize(
    ("label", "renewed"),
    [
        ("renew.derived", False),
        ("renew.sealed", False),
        ("renew.written", False),
        ("renew.committed", True),
    ],
)
def test_a_renewal_killed_at_any_step_leaves_the_old_keys_or_the_new(
    make_vault: MakeVault, label: str, renewed: bool
) -> None:
    """SECURITY.md R2: killed (SIGKILL) at each step, 20 times in a row on one vault."""
    vault, code, before = _filled(make_vault)
    path = vault.path
    vault.close()
    env = dict(os.environ, KISI_CRASH_AT=f"{label}:1")
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    current = PASSPHRASE
    for run in range(RUNS_PER_LABEL):
        new = f"{NEW_PASSPHRASE} ሰላም {run}"
        child = subprocess.run(
            [sys.executable, "-c", RENEW_CHILD, str(path), current, new],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert child.returncode == -signal.SIGKILL, child.stderr
        assert child.stdout == ""  # (killed before the code could be shown)
        assert integrity(path) == "ok"
        holds, gone = (new, current) if renewed else (current, new)
        assert _contents(path, passphrase=holds) == before, f"run {run}"
        with pytest.raises(WrongSecret):
            Vault.open(path, passphrase=gone)
        if renewed:
            with pytest.raises(WrongSecret):
                Vault.open(path, recovery_code=code)
            # The code the kill kept from being shown is lost; the passphrase makes another.
            reopened = Vault.open(path, passphrase=holds)
            code = _new_code(reopened, holds)
            reopened.close()
        else:
            assert _contents(path, recovery_code=code) == before, f"run {run}"
        current = holds


def _new_code(vault: Vault, passphrase: str) -> str:
    slot, code = vault.plan_recovery(passphrase).derive()
    vault.write_recovery_slot(slot)
    return code


def _attacked(make_vault: MakeVault) -> tuple[Path, bytes, bytes, int]:
    """A renewed vault with a note saved after the renewal; the old master key kept."""
    vault, _code, _before = _filled(make_vault)
    path, vault_id, old_vmk = vault.path, vault.vault_id, vault._vmk
    assert old_vmk is not None
    renewal = vault.audit_seq() + 1
    vault.renew_keys(PASSPHRASE, kdf=TEST_PARAMS)
    vault.commit("add", [put_note(None, "nach der Erneuerung")])
    vault.close()
    return path, vault_id, old_vmk, renewal


def _forge_from(path: Path, vault_id: bytes, old_vmk: bytes, seq: int) -> None:
    """With the old keys: cut the chain back to before ``seq`` and append a forged entry."""
    from kisi_desktop.core.store.audit import AuditChain
    from kisi_desktop.core.vault import subkeys

    old = AuditChain(
        subkeys.derive_subkey(old_vmk, subkeys.AUDIT_MAC),
        subkeys.derive_subkey(old_vmk, subkeys.AUDIT_SEAL),
        vault_id,
    )
    conn = raw(path)
    conn.execute("BEGIN")
    conn.execute("DELETE FROM audit WHERE seq >= ?", (seq,))
    head = conn.execute("SELECT chain_mac FROM audit WHERE seq = ?", (seq - 1,)).fetchone()[0]
    conn.execute("UPDATE vault_meta SET audit_seq = ?, audit_head = ?", (seq - 1, head))
    old.append(conn, ts="2026-03-02T10:00:00", actor="guide", action="delete", changes=[])
    conn.execute("COMMIT")
    conn.close()


def _check_fails(path: Path) -> None:
    try:
        vault = Vault.open(path, passphrase=PASSPHRASE)
    except VaultCorrupt:
        return  # (refused outright: as good)
    try:
        assert not vault.verify_audit().ok
    finally:
        vault.close()


def test_the_old_keys_cannot_rewrite_the_chain_after_a_renewal(make_vault: MakeVault) -> None:
    """Whoever learnt the old master key rewrites the entries from the renewal on, with or
    without removing the renewal's audit keys: the check finds it either way."""
    path, vault_id, old_vmk, renewal = _attacked(make_vault)
    _forge_from(path, vault_id, old_vmk, renewal)
    _check_fails(path)
    conn = raw(path)
    conn.execute("DELETE FROM audit_key")  # as if the vault had never been renewed
    conn.commit()
    conn.close()
    _check_fails(path)


def test_a_chain_cut_back_to_before_the_renewal_is_found(make_vault: MakeVault) -> None:
    path, _vault_id, _old_vmk, renewal = _attacked(make_vault)
    conn = raw(path)
    conn.execute("DELETE FROM audit WHERE seq >= ?", (renewal,))
    head = conn.execute("SELECT chain_mac FROM audit WHERE seq = ?", (renewal - 1,)).fetchone()[0]
    conn.execute("UPDATE vault_meta SET audit_seq = ?, audit_head = ?", (renewal - 1, head))
    conn.commit()
    conn.close()
    vault = Vault.open(path, passphrase=PASSPHRASE)
    try:
        report = vault.verify_audit()
        assert any("Erneuerung" in p or "renewal" in p for p in report.problems), report.problems
    finally:
        vault.close()


def test_a_reader_holding_up_the_clean_up_is_reported(
    make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backup reading the file during the renewal keeps the old slots in the main file:
    the renewal says so (``checkpoint_owed``) instead of claiming they are gone."""
    from kisi_desktop.core.store import sealed_store

    monkeypatch.setattr(sealed_store, "RENEW_CHECKPOINT_MS", 100)
    vault, _code, _before = _filled(make_vault)
    reader = raw(vault.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM record").fetchone()  # a read transaction, as a backup
    vault.renew_keys(PASSPHRASE, kdf=TEST_PARAMS)
    assert vault.checkpoint_owed
    reader.execute("COMMIT")
    reader.close()
    vault.commit("add", [put_note(None, "danach")])  # the next save pays what is owed
    assert not vault.checkpoint_owed
    vault.close()
