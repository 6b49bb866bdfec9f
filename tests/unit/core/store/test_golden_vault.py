"""I3: the golden vaults of every format generation still open, check and take writes.

tests/golden/vault/<generation>/ holds a vault and a backup of it that an earlier release
wrote (see the README there), never regenerated. Today's code must open them with the
passphrase and with the recovery code, find every record and the audit chain intact, save
into a copy, and restore the backup. facts.json is pinned by hash here, and it pins the
other files, so a regenerated generation fails as loudly as a reader that lost the format.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.domain import Contact, Person
from kisi_desktop.core.errors import RecordNotFound
from kisi_desktop.core.restore import restore_backup
from kisi_desktop.core.workspace import Workspace

GOLDEN = Path(__file__).resolve().parents[3] / "golden" / "vault"
PINNED = {
    "v1": "d47ccac0c9a07fcb6b372d859a7f2de35433a6bdc9ba69f57c7ee7b330aadc5f",
}


def _facts(generation: str) -> dict[str, Any]:
    folder = GOLDEN / generation
    raw = (folder / "facts.json").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == PINNED[generation], "facts.json was changed"
    facts: dict[str, Any] = json.loads(raw)
    for name, digest in facts["sha256"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    return facts


def _copy(generation: str, tmp_path: Path) -> Path:
    """A copy to open: opening may migrate the file, and the golden one never changes."""
    target = tmp_path / "vault.kisi"
    shutil.copyfile(GOLDEN / generation / "vault.kisi", target)
    return target


def _kinds(ws: Workspace) -> dict[str, int]:
    rows = ws.working_set.conn.execute("SELECT kind FROM item").fetchall()
    return dict(sorted(Counter(str(kind) for (kind,) in rows).items()))


def test_every_generation_is_pinned() -> None:
    on_disk = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
    assert on_disk == sorted(PINNED)


@pytest.mark.parametrize("generation", sorted(PINNED))
def test_a_golden_vault_opens_whole_with_the_passphrase(generation: str, tmp_path: Path) -> None:
    facts = _facts(generation)
    ws = Workspace.open(_copy(generation, tmp_path), passphrase=facts["passphrase"])
    try:
        assert not ws.problems
        assert ws.audit_verify().ok
        assert ws.vault.audit_seq() == facts["audit_seq"]
        assert _kinds(ws) == facts["records"]
        keeper = ws.get(Person, facts["note_owner"])
        assert keeper.name == "Golden Keeper"
        assert [hit.owner for hit in ws.search("Sprachkurs B1 ab März")] == [keeper.id]
        with pytest.raises(RecordNotFound):
            ws.get(Person, facts["erased"])
        assert ws.search("erased with her") == []
    finally:
        ws.lock()


@pytest.mark.parametrize("generation", sorted(PINNED))
def test_a_golden_vault_opens_with_its_recovery_code_and_takes_a_save(
    generation: str, tmp_path: Path
) -> None:
    facts = _facts(generation)
    path = _copy(generation, tmp_path)
    ws = Workspace.open(path, recovery_code=facts["recovery_code"])
    try:
        contact = ws.add(
            Contact(
                person_id=facts["note_owner"],
                contacted_on=ws.clock.now().date(),
                duration_minutes=20,
                mode="phone",
                note="nach dem Update",
            )
        )
    finally:
        ws.lock()
    ws = Workspace.open(path, passphrase=facts["passphrase"])
    try:
        assert not ws.problems and ws.audit_verify().ok
        assert ws.get(Contact, contact.id).note == "nach dem Update"
        assert _kinds(ws)["contact"] == facts["records"]["contact"] + 1
    finally:
        ws.lock()


@pytest.mark.parametrize("generation", sorted(PINNED))
def test_a_golden_backup_restores(generation: str, tmp_path: Path) -> None:
    facts = _facts(generation)
    # Backups are found by their name, which ends in the vault's id (core/backup_files.py).
    conn = sqlite3.connect(GOLDEN / generation / "vault.kisibackup")
    try:
        vault_id = bytes(conn.execute("SELECT vault_id FROM vault_meta").fetchone()[0])
    finally:
        conn.close()
    source = tmp_path / "stick" / f"kisi-backup-2026-11-25-120000-{vault_id[:4].hex()}.kisibackup"
    source.parent.mkdir()
    shutil.copyfile(GOLDEN / generation / "vault.kisibackup", source)
    target = tmp_path / "new laptop" / "vault.kisi"
    target.parent.mkdir()
    restore_backup(source, target, passphrase=facts["passphrase"])
    ws = Workspace.open(target, passphrase=facts["passphrase"])
    try:
        assert not ws.problems
        assert _kinds(ws) == facts["records"]
    finally:
        ws.lock()
