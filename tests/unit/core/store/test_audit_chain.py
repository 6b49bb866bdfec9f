"""S4: rollback, deletion and audit-log editing behind the app's back are detected at unlock."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kisi_desktop.core.i18n import _
from kisi_desktop.core.store.audit import AuditReport
from kisi_desktop.core.store.sealed_store import Delete, Vault

from tests.support.vaults import PASSPHRASE, put_note, put_person, raw

MakeVault = Callable[..., tuple[Vault, str]]


def _reopen(path: Path) -> Vault:
    return Vault.open(path, passphrase=PASSPHRASE)


def _history(make_vault: MakeVault) -> tuple[Path, list[str]]:
    """A closed vault with six user actions (adds, an update, a delete) and its note ids."""
    vault, _code = make_vault()
    notes = [put_note(None, f"Notiz {n}") for n in range(4)]
    anna = put_person("Anna")
    vault.commit("add", [anna, notes[0], notes[1]])
    vault.commit("add", [notes[2]])
    vault.commit("update", [put_note(None, "Notiz 0 neu", rid=notes[0].id)])
    vault.commit("add", [notes[3]])
    vault.commit("delete", deletes=[Delete("note", notes[1].id)])
    vault.commit("update", [put_note(anna.id, "Anna Notiz")])
    path = vault.path
    vault.close()
    return path, [n.id for n in notes]


def _report(path: Path) -> list[str]:
    vault = _reopen(path)
    try:
        return vault.verify_audit().problems
    finally:
        vault.close()


def test_an_untouched_history_verifies(make_vault: MakeVault) -> None:
    path, _ids = _history(make_vault)
    vault = _reopen(path)
    report = vault.verify_audit()
    assert report.ok, report.problems
    assert report.entries == 7  # init + six actions
    vault.close()


def test_a_row_restored_from_an_older_copy_of_the_file_is_detected(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    """Keep a copy, write more, put one row back from the copy: detected, not loaded."""
    vault, _code = make_vault()
    note, other = put_note(None, "Bescheid: abgelehnt"), put_note(None, "x")
    vault.commit("add", [note, other])
    path = vault.path
    vault.close()
    backup = tmp_path / "old-copy.vault"
    shutil.copy(path, backup)

    vault = _reopen(path)
    vault.load()
    vault.commit("update", [put_note(None, "Bescheid: bewilligt", rid=note.id)])
    vault.commit("add", [put_note(None, "more")])
    vault.close()

    conn = raw(path)
    conn.execute("ATTACH DATABASE ? AS old", (str(backup),))
    conn.execute(
        "UPDATE record SET version = o.version, blob = o.blob FROM old.record AS o "
        "WHERE o.id = record.id AND record.id = ?",
        (bytes.fromhex(note.id),),
    )
    conn.execute("DETACH DATABASE old")
    conn.close()

    vault = _reopen(path)
    records, report = vault.load()
    assert note.id not in {r.id for r in records}
    assert other.id in {r.id for r in records}
    expected = _("{kind} {id} does not match the audit log").format(kind="note", id=note.id)
    assert expected in report.problems, report.problems
    vault.close()


def test_a_deleted_record_put_back_from_a_copy_is_detected(
    make_vault: MakeVault, tmp_path: Path
) -> None:
    vault, _code = make_vault()
    note = put_note(None, "gelöscht auf Wunsch")
    vault.commit("add", [note])
    path = vault.path
    vault.close()
    backup = tmp_path / "old-copy.vault"
    shutil.copy(path, backup)
    vault = _reopen(path)
    vault.load()
    vault.commit("delete", deletes=[Delete("note", note.id)])
    vault.close()
    conn = raw(path)
    conn.execute("ATTACH DATABASE ? AS old", (str(backup),))
    conn.execute(
        "INSERT INTO record SELECT * FROM old.record WHERE id = ?", (bytes.fromhex(note.id),)
    )
    conn.execute("DETACH DATABASE old")
    conn.close()
    vault = _reopen(path)
    records, report = vault.load()
    assert records == []
    assert any(note.id in p for p in report.problems)
    vault.close()


def test_a_row_deleted_behind_the_apps_back_is_detected(make_vault: MakeVault) -> None:
    path, ids = _history(make_vault)
    conn = raw(path)
    conn.execute("DELETE FROM record WHERE id = ?", (bytes.fromhex(ids[2]),))
    conn.close()
    problems = _report(path)
    assert _("{kind} {id} is missing from the file").format(kind="note", id=ids[2]) in problems


def test_a_row_added_behind_the_apps_back_is_detected(make_vault: MakeVault) -> None:
    path, ids = _history(make_vault)
    conn = raw(path)
    conn.execute(
        "INSERT INTO record (id, kind, schema_v, version, key_ref, blob) "
        "SELECT x'00112233445566778899aabbccddeeff', kind, schema_v, version, key_ref, blob "
        "FROM record WHERE id = ?",
        (bytes.fromhex(ids[2]),),
    )
    conn.close()
    vault = _reopen(path)
    records, report = vault.load()
    assert "00112233445566778899aabbccddeeff" not in {r.id for r in records}
    assert any("00112233445566778899aabbccddeeff" in p for p in report.problems)
    vault.close()


def _audit_rows(path: Path) -> list[tuple[int, bytes, bytes]]:
    conn = raw(path)
    rows = conn.execute("SELECT seq, blob, chain_mac FROM audit ORDER BY seq").fetchall()
    conn.close()
    return rows


AUDIT_EDITS: dict[str, str] = {
    "delete a middle entry": "DELETE FROM audit WHERE seq = 4",
    "delete the first entry": "DELETE FROM audit WHERE seq = 1",
    "alter an entry": "UPDATE audit SET blob = zeroblob(length(blob)) WHERE seq = 3",
    "turn an entry into text": "UPDATE audit SET blob = 'kein Eintrag' WHERE seq = 3",
    "turn a mac into text": "UPDATE audit SET chain_mac = 'mac' WHERE seq = 3",
    "turn the head into text": "UPDATE vault_meta SET audit_head = 'head'",
    "alter a chain mac": "UPDATE audit SET chain_mac = zeroblob(32) WHERE seq = 5",
    "reorder two entries": "UPDATE audit SET seq = -3 WHERE seq = 3; "
    "UPDATE audit SET seq = 3 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -3;",
    "renumber an entry": "UPDATE audit SET seq = 100 WHERE seq = 7",
    "truncate the last entry": "DELETE FROM audit WHERE seq = 7",
    "truncate the last three entries": "DELETE FROM audit WHERE seq >= 6",
    "empty the log": "DELETE FROM audit",
    "move the head back": "UPDATE vault_meta SET audit_seq = audit_seq - 1",
    "forge the head": "UPDATE vault_meta SET audit_head = zeroblob(32)",
}


@pytest.mark.parametrize("sql", AUDIT_EDITS.values(), ids=AUDIT_EDITS.keys())
def test_editing_the_audit_log_is_detected(make_vault: MakeVault, sql: str) -> None:
    path, _ids = _history(make_vault)
    conn = raw(path)
    conn.executescript(sql)
    conn.close()
    assert _report(path), f"not detected: {sql}"


def test_swapping_two_audit_entries_with_their_macs_is_detected(make_vault: MakeVault) -> None:
    """Entries are sealed with their sequence number; moving them whole does not help."""
    path, _ids = _history(make_vault)
    rows = {seq: (blob, mac) for seq, blob, mac in _audit_rows(path)}
    conn = raw(path)
    for seq, other in ((3, 4), (4, 3)):
        conn.execute("UPDATE audit SET blob = ?, chain_mac = ? WHERE seq = ?", (*rows[other], seq))
    conn.close()
    problems = _report(path)
    assert any("3" in p for p in problems) and any("4" in p for p in problems), problems


def test_cutting_the_log_and_rewinding_the_head_still_shows_the_newer_rows(
    make_vault: MakeVault,
) -> None:
    """An attacker who also rewinds vault_meta leaves rows newer than the log: detected.

    (Cutting the log together with the rows it describes cannot be seen locally; that is
    what the audit head in every export bundle is for, SECURITY.md 6.1.6.)
    """
    path, _ids = _history(make_vault)
    rows = _audit_rows(path)
    conn = raw(path)
    conn.execute("DELETE FROM audit WHERE seq = ?", (rows[-1][0],))
    conn.execute("UPDATE vault_meta SET audit_seq = ?, audit_head = ?", (rows[-2][0], rows[-2][2]))
    conn.close()
    problems = _report(path)
    mismatch = _("{kind} {id} does not match the audit log").format(kind="", id="").strip()
    assert any(mismatch in p for p in problems), problems


def test_an_audit_entry_from_another_vault_is_refused(make_vault: MakeVault) -> None:
    path_a, _ids = _history(make_vault)
    path_b, _ids_b = _history(make_vault)
    foreign = _audit_rows(path_b)[2]
    conn = raw(path_a)
    conn.execute(
        "UPDATE audit SET blob = ?, chain_mac = ? WHERE seq = ?",
        (foreign[1], foreign[2], foreign[0]),
    )
    conn.close()
    assert _report(path_a)


def test_the_audit_log_holds_no_content(make_vault: MakeVault) -> None:
    """Entries are sealed, and even sealed they carry ids and hashes, never record text."""
    vault, _code = make_vault()
    marker = "ZQXAUDITMARKER"
    note = put_note(None, marker)
    vault.commit("add", [note])
    conn = vault.conn
    for (blob,) in conn.execute("SELECT blob FROM audit"):
        assert marker.encode() not in blob
    entries = list(vault._audit.entries(conn, vault.verify_audit()))
    assert entries[-1].action == "add"
    assert tuple(entries[-1].changes[0][:3]) == ("note", note.id, 1)
    assert marker not in repr(entries)


def _anchor_problems(path: Path, seq: int, mac: bytes) -> list[str]:
    vault = _reopen(path)
    try:
        report = AuditReport()
        vault.check_anchor(report, seq, mac, "KISI_1.kisi")
        return report.problems
    finally:
        vault.close()


def test_an_anchor_the_chain_still_holds_is_fine(make_vault: MakeVault) -> None:
    path, _ids = _history(make_vault)
    seq, _blob, mac = _audit_rows(path)[4]
    assert _anchor_problems(path, seq, mac) == []


ANCHOR_EDITS: dict[str, str] = {
    "cut-short": "DELETE FROM audit WHERE seq >= 5",
    "missing": "DELETE FROM audit WHERE seq = 5",
    "other-mac": "UPDATE audit SET chain_mac = zeroblob(32) WHERE seq = 5",
    "text-mac": "UPDATE audit SET chain_mac = 'mac' WHERE seq = 5",
}


@pytest.mark.parametrize("edit", ANCHOR_EDITS)
def test_an_anchor_the_chain_lost_is_reported(make_vault: MakeVault, edit: str) -> None:
    """SECURITY.md 6.1.6, S4: the head a bundle named (entry 5 here) must stay in the chain."""
    path, _ids = _history(make_vault)
    seq, _blob, mac = _audit_rows(path)[4]
    conn = raw(path)
    conn.executescript(ANCHOR_EDITS[edit])
    conn.close()
    bundle = "KISI_1.kisi"
    expected = {
        "cut-short": _(
            "the audit log ends at entry {last}, but bundle {bundle} was made at "
            "entry {seq}: entries were removed after it"
        ).format(last=4, bundle=bundle, seq=5),
        "missing": _("audit entry {seq}, named by bundle {bundle}, is missing").format(
            seq=5, bundle=bundle
        ),
    }.get(
        edit,
        _(
            "audit entry {seq} is not the one bundle {bundle} named: the audit log "
            "was rewritten after it"
        ).format(seq=5, bundle=bundle),
    )
    assert _anchor_problems(path, seq, mac) == [expected]
