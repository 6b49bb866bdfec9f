"""R2 for sync: the process is killed (SIGKILL) at every labelled step of export, receipt
import and ministry intake; what is left is whole, and doing it again finishes the job.

Each run copies a prepared vault (or ministry folder) and starts a child process
(tests/support/sync_crash_child.py, forked from a preloaded forkserver) with
``KISI_CRASH_AT=<label>:<n>``, so it kills itself the n-th time it reaches the label, as a
power cut or the task manager would. The parent then checks what the guide or the ministry
would see:

* export: the vault opens and its audit log verifies; the ledger never holds two entries
  with the same (epoch, seq); no final-named file is a partial bundle (each decrypts and
  carries the manifest the ledger recorded); the next export writes the bundle that was
  prepared (resumed, same seq and manifest) instead of making a new one.
* receipt import: killed before or inside the vault write, the entry being confirmed is
  unchanged; killed after the commit, it is confirmed; importing the receipts again
  confirms every bundle and a second time changes nothing.
* ministry intake: the intake database is exactly as before the file or exactly as after
  it (compared row by row with a run that was not killed); importing the file again gives
  the same receipt, never a fork or a double count.

``KISI_CRASH_RUNS`` sets the runs per label (20 in CI, 200 nightly).
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.bundle_reader import open_bundle
from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.manifest import Manifest, sha256_hex
from kisi_desktop.bundles.minisign import PublicKey
from kisi_desktop.bundles.receipts import Receipt, apply_receipt, read_receipt, write_receipt
from kisi_desktop.ministry.intake import IntakeResult, import_bundle
from kisi_desktop.ministry.keys import load_ministry

from tests.support.intake import World, make_world, open_vault
from tests.support.sync import NOW, MinistryKeys, demo_workspace
from tests.support.sync_crash_child import run_killed

RUNS = int(os.environ.get("KISI_CRASH_RUNS", "20"))
PERIODS = ("2026-Q1", "2026-Q2", "2026-Q3")
EXPORT_LABELS = ("export.prepared", "export.written", "export.renamed")
RECEIPT_LABELS = {
    # label -> is the receipt's confirmation in the vault after a kill there?
    "receipt.apply": False,  # verified, before the vault write
    "commit.written": False,  # the vault write, before its commit
    "commit.done": True,  # after the commit
}
INTAKE_LABELS = {
    # label -> is the file's import in the database after a kill there?
    "ministry.import.rows": False,
    "ministry.import.committed": True,
}
PEOPLE = 20


def _in_parallel(work: Callable[[str, int], Any], labels: Iterable[str]) -> list[Any]:
    """One worker per label, two at a time (the runs of one label are sequential)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(work, label, n) for n, label in enumerate(labels)]
        return [future.result() for future in futures]


# -- export -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    """A provisioned demo vault (closed), the ministry's keys and the town's signing key."""

    vault: Path
    keys: MinistryKeys
    town_key: PublicKey


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Town:
    keys = MinistryKeys()
    path = tmp_path_factory.mktemp("town") / "vault.kisi"
    ws = demo_workspace(path, PEOPLE)
    try:
        keys.install(ws)
        town_key = signer(ws).public
    finally:
        ws.lock()
    return Town(path, keys, town_key)


def _manifest_of(town: Town, data: bytes) -> tuple[Manifest, str]:
    """Decrypt and verify a bundle file as the ministry would; its manifest and hash."""
    opened = open_bundle(
        data,
        identity=str(town.keys.identity),
        own_recipient=town.keys.recipient,
        key_for=lambda ags: town.town_key,
    )
    return opened.manifest, opened.manifest_sha256


def _ledger(ws: Workspace) -> list[BundleEntry]:
    entries = sorted(ws.list(BundleEntry), key=lambda e: (e.epoch, e.seq))
    keys = [(e.epoch, e.seq) for e in entries]
    assert len(keys) == len(set(keys)), f"two ledger entries share (epoch, seq): {keys}"
    return entries


def _export_runs(label: str, seed: int, town: Town, work: Path) -> None:
    rng = random.Random(seed)
    for run in range(RUNS):
        folder = work / label / str(run)
        out = folder / "out"
        out.mkdir(parents=True)
        vault = Path(shutil.copyfile(town.vault, folder / "vault.kisi"))
        n = rng.randint(1, len(PERIODS))
        done = run_killed("export", [vault, out, *PERIODS], f"{label}:{n}")
        where = f"{label}:{n} run {run}"
        assert [d[0] for d in done] == list(range(1, n)), where

        ws = open_vault(vault)
        try:
            report = ws.audit_verify()
            assert report.ok, (where, report.problems)
            entries = _ledger(ws)
            # Every export before the kill is in the ledger as written; the killed one is
            # there, prepared, because the kill came after its manifest was recorded.
            assert [e.seq for e in entries] == list(range(1, n + 1)), where
            assert [e.status for e in entries] == ["exported"] * (n - 1) + ["prepared"], where
            assert [e.manifest_sha256 for e in entries[:-1]] == [d[1] for d in done], where
            killed = entries[-1]

            # No final-named partial bundle: every final name decrypts to its ledger entry.
            by_name = {e.file_name: e for e in entries}
            finals = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
            for name in finals:
                _manifest, digest = _manifest_of(town, (out / name).read_bytes())
                assert digest == by_name[name].manifest_sha256, (where, name)
            expected = [e.file_name for e in entries[:-1]]
            if label == "export.renamed":
                expected.append(killed.file_name)
            assert finals == sorted(expected), where
            strays = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
            assert strays == ([f".{killed.file_name}.tmp"] if label == "export.written" else [])

            # The next export finishes the prepared bundle instead of making a new one.
            again = export_bundle(ws, out)
            assert again.resumed, where
            assert (again.entry.seq, again.entry.manifest_sha256) == (
                killed.seq,
                killed.manifest_sha256,
            ), where
            assert again.entry.status == "exported"
            assert _manifest_of(town, again.path.read_bytes())[1] == killed.manifest_sha256
            assert not [p for p in out.iterdir() if p.name.startswith(".")], where
            # ... and the one after it continues the chain from it.
            following = export_bundle(ws, out, period="2026-Q4")
            assert not following.resumed and following.entry.seq == n + 1, where
            manifest, _digest = _manifest_of(town, following.path.read_bytes())
            assert manifest.prev_manifest_sha256 == killed.manifest_sha256, where
            assert [e.seq for e in _ledger(ws)] == list(range(1, n + 2)), where
        finally:
            ws.lock()


def test_export_killed_at_every_step(town: Town, tmp_path: Path) -> None:
    """3 labels x RUNS kills, at the 1st, 2nd or 3rd export of a session."""
    _in_parallel(lambda label, n: _export_runs(label, n, town, tmp_path), EXPORT_LABELS)


# -- receipt import ----------------------------------------------------------------------


@dataclass(frozen=True)
class Receipts:
    """A vault with two exported bundles and the ministry's receipt for each."""

    vault: Path
    files: tuple[Path, ...]
    entries: tuple[BundleEntry, ...]


@pytest.fixture(scope="module")
def receipts(town: Town, tmp_path_factory: pytest.TempPathFactory) -> Receipts:
    folder = tmp_path_factory.mktemp("receipts")
    vault = Path(shutil.copyfile(town.vault, folder / "vault.kisi"))
    ws = open_vault(vault)
    try:
        for period in PERIODS[:2]:
            export_bundle(ws, folder, period=period)
        entries = tuple(_ledger(ws))
        files = []
        for entry in entries:
            receipt = Receipt(
                manifest_sha256=entry.manifest_sha256,
                ags="06534011",
                device_id=signer(ws).device_id,
                epoch=entry.epoch,
                seq=entry.seq,
                status="imported",
                reason_code=None,
                imported_at="2026-11-25T12:00:00Z",
                intake_seq=entry.seq,
                intake_chain_head=f"{entry.seq:02x}" * 32,
                records=10,
            )
            data = write_receipt(receipt, town.keys.receipt.private, town.keys.receipt.key_id)
            path = folder / f"{entry.seq}.receipt"
            path.write_bytes(data)
            files.append(path)
    finally:
        ws.lock()
    return Receipts(vault, tuple(files), entries)


def _receipt_runs(label: str, seed: int, receipts: Receipts, work: Path) -> None:
    rng = random.Random(seed)
    applied = RECEIPT_LABELS[label]
    for run in range(RUNS):
        vault = Path(shutil.copyfile(receipts.vault, work / f"{label}-{run}.kisi"))
        n = rng.randint(1, len(receipts.files))
        done = run_killed("receipts", [vault, *receipts.files], f"{label}:{n}")
        where = f"{label}:{n} run {run}"
        assert done == [(f.name, "confirmed") for f in receipts.files[: n - 1]], where
        confirmed = n if applied else n - 1
        ws = open_vault(vault)
        try:
            assert ws.audit_verify().ok, where
            entries = _ledger(ws)
            for entry, before, file in zip(entries, receipts.entries, receipts.files, strict=True):
                if entry.seq <= confirmed:
                    assert entry.status == "confirmed", where
                    assert entry.receipt_sha256 == sha256_hex(file.read_bytes()), where
                else:
                    assert entry == before, f"{where}: entry {entry.seq} changed"
            outcomes = [apply_receipt(ws, f.read_bytes(), f.name).status for f in receipts.files]
            expected = ["already"] * confirmed + ["confirmed"] * (len(outcomes) - confirmed)
            assert outcomes == expected, where
            assert {e.status for e in _ledger(ws)} == {"confirmed"}, where
            again = [apply_receipt(ws, f.read_bytes()).status for f in receipts.files]
            assert again == ["already"] * len(receipts.files), where
        finally:
            ws.lock()


def test_receipt_import_killed_at_every_step(receipts: Receipts, tmp_path: Path) -> None:
    """3 labels x RUNS kills at the 1st or 2nd receipt: before the vault write the entry is
    unchanged, after it confirmed; importing the receipts again confirms every bundle."""
    _in_parallel(lambda label, n: _receipt_runs(label, n, receipts, tmp_path), RECEIPT_LABELS)


# -- ministry intake -----------------------------------------------------------------------

Snapshot = Mapping[str, list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Intake:
    """A ministry with the town registered, three bundle files, and for every import order
    the database after each file and each file's result, from runs that were not killed."""

    world: World
    files: tuple[Path, ...]
    states: Mapping[tuple[int, ...], tuple[Snapshot, ...]]
    results: Mapping[tuple[int, ...], tuple[IntakeResult, ...]]


def _snapshot(ministry_dir: Path) -> Snapshot:
    with load_ministry(ministry_dir) as ministry:
        assert ministry.store.integrity() == "ok"
        assert ministry.store.verify_chain() is None
        return ministry.store.snapshot()


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Intake:
    folder = tmp_path_factory.mktemp("intake")
    world = make_world(folder / "world", bundles=3, people=PEOPLE)
    files = []
    for name, data in world.bundles:
        (folder / name).write_bytes(data)
        files.append(folder / name)
    states: dict[tuple[int, ...], tuple[Snapshot, ...]] = {}
    results: dict[tuple[int, ...], tuple[IntakeResult, ...]] = {}
    for order in itertools.permutations(range(len(files))):
        copy = Path(shutil.copytree(world.ministry_dir, folder / "ref" / "".join(map(str, order))))
        after = [_snapshot(copy)]
        done = []
        for i in order:
            with load_ministry(copy, clock=FixedClock(NOW)) as ministry:
                done.append(import_bundle(ministry, files[i].read_bytes(), files[i].name))
            after.append(_snapshot(copy))
        assert {r.outcome for top in done for r in top.all()} <= {"imported", "held"}
        states[order], results[order] = tuple(after), tuple(done)
    return Intake(world, tuple(files), states, results)


def _intake_runs(label: str, seed: int, intake: Intake, work: Path) -> None:
    rng = random.Random(seed)
    committed_survives = INTAKE_LABELS[label]
    orders = sorted(intake.states)
    for run in range(RUNS):
        folder = work / label / str(run)
        ministry_dir = Path(shutil.copytree(intake.world.ministry_dir, folder / "ministry"))
        out = folder / "receipts"
        out.mkdir()
        order = rng.choice(orders)
        n = rng.randint(1, len(order))
        files = [intake.files[i] for i in order]
        done = run_killed("intake", [ministry_dir, out, *files], f"{label}:{n}")
        where = f"{label}:{n} run {run}, order {order}"
        k = len(done)
        assert k < len(files), where
        reference = intake.results[order]
        assert done == [(f.name, r.outcome) for f, r in zip(files, reference, strict=True)][:k]

        # The file being imported is in the books entirely or not at all.
        state = _snapshot(ministry_dir)
        expected = intake.states[order][k + 1 if committed_survives else k]
        assert state == expected, f"{where}: the intake database is neither before nor after"
        # Receipts were written for the files that finished, and only for them.
        # (A bundle held and then released has one receipt file: "held", then "imported".)
        written = {p.name for p in out.iterdir()}
        assert written == {
            r.receipt_name for top in reference[:k] for r in top.all() if r.receipt is not None
        }, where

        # Importing the file again (and the rest) ends where a run without a kill ends.
        with load_ministry(ministry_dir, clock=FixedClock(NOW)) as ministry:
            receipt_key = ministry.receipt.public
            for position in range(k, len(files)):
                file, ref = files[position], reference[position]
                result = import_bundle(ministry, file.read_bytes(), file.name)
                assert result.receipt is not None, where
                receipt = read_receipt(result.receipt, [receipt_key])
                assert receipt.manifest_sha256 == ref.manifest_sha256, where
                if ref.outcome == "imported":
                    # Imported now, or a duplicate that gets the very receipt issued then.
                    again = "duplicate" if position == k and committed_survives else "imported"
                    assert result.outcome == again, where
                    assert result.receipt == ref.receipt, f"{where}: another receipt"
                    assert receipt.status == "imported"
                else:
                    assert (result.outcome, receipt.status) == ("held", "held"), where
        final = _snapshot(ministry_dir)
        assert final == intake.states[order][-1], f"{where}: a fork or a double count"


def test_ministry_import_killed_at_every_step(intake: Intake, tmp_path: Path) -> None:
    """2 labels x RUNS kills, in every import order (held bundles released by a later one)."""
    _in_parallel(lambda label, n: _intake_runs(label, n, intake, tmp_path), INTAKE_LABELS)


@pytest.fixture(autouse=True)
def _no_inherited_crash_label(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The parent itself must never die: only the children get a label."""
    monkeypatch.delenv("KISI_CRASH_AT", raising=False)
    yield
