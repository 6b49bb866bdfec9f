"""R2: the process is killed (SIGKILL) at every labelled step; the vault stays whole.

Each run starts a child Python that opens the vault and does the operation with
``KISI_CRASH_AT=<label>:<n>``, so it kills itself the n-th time it reaches the label, as a
power cut or the task manager would. The parent then checks what a user would see: exactly
one of the old and new passphrases opens, the recovery code still opens, every record the
child confirmed is there, a half-done action left nothing behind, the audit log verifies and
SQLite's integrity check passes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kisi_desktop.core.errors import WrongSecret
from kisi_desktop.core.store.sealed_store import Vault

import kisi_desktop
from tests.support.vaults import PASSPHRASE, integrity, put_note, put_person, raw

MakeVault = Callable[..., tuple[Vault, str]]
RUNS_PER_LABEL = int(os.environ.get("KISI_CRASH_RUNS", "20"))
REPO = Path(kisi_desktop.__file__).resolve().parents[1]

PASSPHRASE_LABELS = {
    # label -> does the new passphrase hold after a kill there?
    "passphrase.derived": False,
    "passphrase.slot_written": False,
    "passphrase.audit_written": False,
    "passphrase.committed": True,
}
COMMIT_LABELS = {
    # label -> is the action's data in the file after a kill there?
    "commit.sealed": False,
    "commit.written": False,
    "commit.done": True,
}

# The children import only the store (the kdf module comes with it).
PASSPHRASE_CHILD = """
import os, sys
from kisi_desktop.core.store.sealed_store import Put, Vault
from kisi_desktop.core.vault.kdf import TEST_PARAMS
path, current, write_first, *new = sys.argv[1:]
vault = Vault.open(path, passphrase=current)
if write_first == "1":
    vault.commit("add", [Put("note", os.urandom(16).hex(), 1, None, b"{}")])
for passphrase in new:
    vault.change_passphrase(passphrase, kdf=TEST_PARAMS)
    print(passphrase, flush=True)
vault.close()
"""

COMMIT_CHILD = """
import os, sys
from kisi_desktop.core.store.sealed_store import Put, Vault
vault = Vault.open(sys.argv[1], passphrase=sys.argv[2])
for _n in range(int(sys.argv[3])):
    person, note, other = (os.urandom(16).hex() for _i in range(3))
    print("try", person, note, other, flush=True)
    vault.commit("add", [
        Put("person", person, 1, None, b'{"d":{"name":"Anna"}}'),
        Put("note", note, 1, person, b'{"d":{"text":"Termin"}}'),
        Put("note", other, 1, None, b'{"d":{"text":"Elterncafe"}}'),
    ])
    print("done", person, note, other, flush=True)
vault.close()
"""


def _run_child(code: str, args: list[str], crash_at: str) -> tuple[int, list[str]]:
    env = dict(os.environ)
    env["KISI_CRASH_AT"] = crash_at
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode in (0, -signal.SIGKILL), proc.stderr
    return proc.returncode, proc.stdout.splitlines()


def _opens(path: Path, passphrase: str) -> bool:
    try:
        Vault.open(path, passphrase=passphrase).close()
    except WrongSecret:
        return False
    return True


def _check_whole(path: Path, passphrase: str) -> set[str]:
    """Open, load and verify; return the ids present."""
    assert integrity(path) == "ok"
    vault = Vault.open(path, passphrase=passphrase)
    try:
        records, report = vault.load()
        assert report.ok, report.problems
        return {r.id for r in records}
    finally:
        vault.close()


def _passphrase_runs(label: str, path: Path, code: str, seed: int) -> list[str]:
    """RUNS_PER_LABEL kills at ``label``; returns a log line per run (for the failure text)."""
    rng = random.Random(seed)
    new_holds = PASSPHRASE_LABELS[label]
    current = PASSPHRASE
    log = []
    for run in range(RUNS_PER_LABEL):
        changes = rng.randint(1, 3)
        new = [f"Passphrase {run}.{i} ሰላም {rng.random():.6f}" for i in range(changes)]
        write_first = rng.choice("01")
        rc, done = _run_child(
            PASSPHRASE_CHILD, [str(path), current, write_first, *new], f"{label}:{changes}"
        )
        assert rc == -signal.SIGKILL, f"run {run}: the child was not killed at {label}"
        # Changes before the n-th completed and said so; the n-th was killed at the label.
        assert done == new[: changes - 1]
        before = new[changes - 2] if changes >= 2 else current
        after = new[changes - 1]
        expected, other = (after, before) if new_holds else (before, after)
        assert _opens(path, expected), f"run {run}: {label}: the expected passphrase fails"
        assert not _opens(path, other), f"run {run}: {label}: both passphrases open"
        assert Vault.open(path, recovery_code=code).close() is None
        _check_whole(path, expected)
        current = expected
        log.append(f"{label} run {run}: {changes} change(s), ok")
    return log


def test_passphrase_change_killed_at_every_step(make_vault: MakeVault) -> None:
    """4 labels × 20 kills: afterwards exactly one of old/new opens, and nothing is lost."""
    paths = {}
    codes = {}
    for label in PASSPHRASE_LABELS:
        vault, code = make_vault()
        vault.commit("add", [put_note(None, "vorher")])
        paths[label], codes[label] = vault.path, code
        vault.close()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            label: pool.submit(_passphrase_runs, label, paths[label], codes[label], n)
            for n, label in enumerate(PASSPHRASE_LABELS)
        }
        logs = {label: future.result() for label, future in futures.items()}
    for label, log in logs.items():
        assert len(log) == RUNS_PER_LABEL, label
        # The record written before all the kills is still there.
        conn = raw(paths[label])
        assert conn.execute("SELECT count(*) FROM record").fetchone()[0] >= 1
        conn.close()


def _commit_runs(label: str, path: Path, seed: int) -> int:
    rng = random.Random(seed)
    present_after = COMMIT_LABELS[label]
    confirmed: set[str] = set()
    for run in range(RUNS_PER_LABEL):
        commits = rng.randint(1, 4)
        rc, lines = _run_child(
            COMMIT_CHILD, [str(path), PASSPHRASE, str(commits)], f"{label}:{commits}"
        )
        assert rc == -signal.SIGKILL, f"run {run}: the child was not killed at {label}"
        done = [line.split()[1:] for line in lines if line.startswith("done ")]
        tried = [line.split()[1:] for line in lines if line.startswith("try ")]
        assert len(done) == commits - 1 and len(tried) == commits
        for ids in done:
            confirmed.update(ids)
        killed = set(tried[-1])
        present = _check_whole(path, PASSPHRASE)
        assert confirmed <= present, f"run {run}: confirmed records lost after {label}"
        if present_after:
            assert killed <= present, f"run {run}: a committed action vanished ({label})"
            confirmed |= killed
        else:
            assert not killed & present, f"run {run}: half an action survived ({label})"
        # No orphaned person key: exactly one per person present.
        conn = raw(path)
        persons = conn.execute("SELECT count(*) FROM record WHERE kind = 'person'").fetchone()[0]
        keys = conn.execute("SELECT count(*) FROM person_key").fetchone()[0]
        conn.close()
        assert persons == keys, f"run {run}: {keys} person keys for {persons} people"
    return len(confirmed)


def test_commit_killed_at_every_step(make_vault: MakeVault) -> None:
    """3 labels × 20 kills: an action is in the file iff the kill came after its commit."""
    paths = {}
    for label in COMMIT_LABELS:
        vault, _code = make_vault()
        paths[label] = vault.path
        vault.close()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(_commit_runs, label, paths[label], n)
            for n, label in enumerate(COMMIT_LABELS)
        ]
        totals = [future.result() for future in futures]
    assert all(total > 0 for total in totals)


def test_an_unset_or_foreign_crash_label_does_not_kill(make_vault: MakeVault) -> None:
    """The hook is inert unless it names this label; a bare label means its first visit."""
    vault, _code = make_vault()
    path = vault.path
    vault.close()
    rc, lines = _run_child(COMMIT_CHILD, [str(path), PASSPHRASE, "2"], "backup.written:1")
    assert rc == 0 and len([line for line in lines if line.startswith("done")]) == 2
    rc, lines = _run_child(COMMIT_CHILD, [str(path), PASSPHRASE, "2"], "commit.done")
    assert rc == -signal.SIGKILL
    assert len([line for line in lines if line.startswith("done")]) == 0
    assert len(_check_whole(path, PASSPHRASE)) == 9


@pytest.mark.parametrize("label", ["commit.sealed", "commit.written"])
def test_a_kill_inside_an_erasure_keeps_the_person_whole(make_vault: MakeVault, label: str) -> None:
    """Erasure killed halfway: the person, their records and their key are all still there."""
    vault, _code = make_vault()
    code = """
import sys
from kisi_desktop.core.store.sealed_store import Delete, Vault
vault = Vault.open(sys.argv[1], passphrase=sys.argv[2])
records, report = vault.load()
vault.commit("erase", deletes=[Delete(r.kind, r.id) for r in records])
"""
    anna = put_person("Anna")
    vault.commit("add", [anna, put_note(anna.id, "a"), put_note(anna.id, "b")])
    path = vault.path
    vault.close()
    rc, _lines = _run_child(code, [str(path), PASSPHRASE], f"{label}:1")
    assert rc == -signal.SIGKILL
    assert len(_check_whole(path, PASSPHRASE)) == 3
    conn = raw(path)
    assert conn.execute("SELECT count(*) FROM person_key").fetchone()[0] == 1
    conn.close()
    _run_child(code, [str(path), PASSPHRASE], "none:1")
    assert _check_whole(path, PASSPHRASE) == set()
