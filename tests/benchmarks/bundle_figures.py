"""Bundle figures: exporting a three-year vault against zip, minisign and age on the command line.

The vault: the demo generator's 2,000 people over the whole project (1 Oct 2025 - 30 Sep
2028, clock at the project's end), topped up with plain contacts to the issue's 30,000
contacts (the generator itself makes about 7,000 for 2,000 people). The baseline is the
same payload - the manifest and data files our export put in the bundle, already on disk -
signed with ``minisign -S``, zipped with ``zip`` and encrypted with ``age -r``, three
processes, no fsync. Two figures, so the ratio is honest:

* ``bundle.export_vs_cli``: the whole export (``export_bundle``), which first computes the
  figures from the vault - work the baseline does not do at all;
* ``bundle.packaging_vs_cli``: the same export given the computed payload (manifest, sign,
  ZIP, encrypt, ledger entry in the vault, write with fsync, read back and compare);
* ``bundle.pipeline_vs_cli``: only what the three tools do, with the library calls the
  export makes (canonical JSON Lines, manifest, minisign, ZIP, age, write with fsync and
  read back) - no vault, no ledger.

Each timing is the best of a few runs on a fresh copy of the vault (an export takes the
next sequence number and changes what the next one counts).
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.domain import Activity, Contact, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import age, export, strict_json
from kisi_desktop.bundles.keys import Signer, signer
from kisi_desktop.bundles.manifest import (
    DATA_SCHEMAS,
    MANIFEST,
    SIGNATURE,
    FileEntry,
    Manifest,
    parse_manifest,
    sha256_hex,
)
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.safe_zip import read_zip, write_zip
from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START, whole_project

from tests.support.sync import MinistryKeys

PEOPLE, CONTACTS = 2_000, 30_000
PASSPHRASE = "benchmark passphrase"
CLOCK = FixedClock(datetime(2028, 9, 30, 12, 0, tzinfo=UTC))
PERIOD = f"{PROJECT_START.isoformat()}..{PROJECT_END.isoformat()}"
TOPICS = ("arrival", "language_course", "work", "housing", "family_reunification", "health")
ACTIONS = ("information", "referral", "professional_guidance", "language_course_placement")
RUNS = 5


@dataclass
class Vault:
    """The three-year vault (locked), its ministry and what the generator made."""

    folder: Path
    path: Path
    ministry: MinistryKeys
    counts: dict[str, int]

    def copy(self, name: str) -> Path:
        """A fresh copy of the locked vault file, to export from once."""
        target = self.folder / f"{name}.kisi"
        shutil.copyfile(self.path, target)
        return target

    def describe(self) -> str:
        c = self.counts
        return (
            f"{c['people']:,} people, {c['contacts']:,} contacts ({c['demo_contacts']:,} from "
            f"the demo generator), {c['activities']:,} activities"
        )


@contextmanager
def opened(path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(path, passphrase=PASSPHRASE, clock=CLOCK)
    try:
        yield ws
    finally:
        ws.lock()


@functools.cache
def three_year_vault() -> Vault:
    """Made once per run (the ministry suite uses it too); lives until the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="kisi-bundle-bench-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "vault.kisi"
    ws, _code = Workspace.create(path, PASSPHRASE, kdf=TEST_PARAMS, clock=CLOCK)
    rng = random.Random(7)
    generate(ws, PEOPLE, rng, CLOCK)
    people = ws.list(Person)
    demo_contacts = len(ws.list(Contact))
    days = (PROJECT_END - PROJECT_START).days + 1
    for start in range(demo_contacts, CONTACTS, 5_000):
        ws.save(
            [
                Contact(
                    person_id=rng.choice(people).id,
                    contacted_on=PROJECT_START + timedelta(days=rng.randrange(days)),
                    duration_minutes=30,
                    mode="office",
                    topics=tuple(rng.sample(TOPICS, rng.randint(0, 2))),
                    actions=tuple(rng.sample(ACTIONS, rng.randint(0, 2))),
                )
                for _ in range(start, min(start + 5_000, CONTACTS))
            ],
            "add",
        )
    ministry = MinistryKeys()
    ministry.install(ws)
    counts = {
        "people": len(people),
        "contacts": len(ws.list(Contact)),
        "demo_contacts": demo_contacts,
        "activities": len(ws.list(Activity)),
    }
    ws.lock()
    return Vault(folder, path, ministry, counts)


def _best(fn: Callable[[int], Any], runs: int = RUNS) -> tuple[float, Any]:
    best, value = float("inf"), None
    for run in range(runs):
        started = time.perf_counter()
        value = fn(run)
        best = min(best, time.perf_counter() - started)
    return best, value


def _export(vault: Vault, name: str, payload: export.Payload | None = None) -> float:
    """Seconds for one export from a fresh copy; with ``payload`` the figures are given."""
    out = vault.folder / f"{name}-out"
    out.mkdir()
    with opened(vault.copy(name)) as ws:
        original = export.build_payload
        if payload is not None:
            export.build_payload = lambda *args, **kwargs: payload
        try:
            started = time.perf_counter()
            export.export_bundle(ws, out, period=PERIOD)
            return time.perf_counter() - started
        finally:
            export.build_payload = original


def _pipeline(
    payload: export.Payload, me: Signer, template: Manifest, recipients: tuple[str, ...], out: Path
) -> float:
    """Seconds for the tools' share of an export, with the calls prepare/write_bundle make."""
    started = time.perf_counter()
    crypto = profile("p1")
    contents = {name: strict_json.dumps_lines(rows) for name, rows in payload.files.items()}
    manifest = dataclasses.replace(
        template,
        bundle_id=str(uuid.uuid4()),
        files=tuple(
            FileEntry(name, len(body), sha256_hex(body), len(payload.files[name]),
                      DATA_SCHEMAS[name])
            for name, body in contents.items()
        ),
    )  # fmt: skip
    body = manifest.encode()
    signature = crypto.sign(body, me.private, me.key_id, manifest.trusted_comment())
    plaintext = write_zip([(MANIFEST, body), (SIGNATURE, signature.encode()), *contents.items()])
    export.write_verified(out, crypto.encrypt(plaintext, recipients))
    return time.perf_counter() - started


def bundle_members(vault: Vault) -> dict[str, bytes]:
    """The decrypted members of one export of the vault."""
    out = vault.folder / "members-out"
    out.mkdir(exist_ok=True)
    with opened(vault.copy("members")) as ws:
        path = export.export_bundle(ws, out, period=PERIOD).path
    plaintext = age.decrypt(path.read_bytes(), vault.ministry.identity)
    return read_zip(plaintext, allowed=lambda n: True, what="bundle")


@dataclass
class Cli:
    """The command-line tools' keys and a folder holding the payload's files."""

    folder: Path
    secret: Path
    recipient: str
    comment: str
    names: list[str]

    def run(self, run: int) -> None:
        out = self.folder / f"run{run}"
        out.mkdir()
        zipped, encrypted = out / "bundle.zip", out / "bundle.kisi"
        _tool(["minisign", "-S", "-s", str(self.secret), "-m", MANIFEST, "-x", SIGNATURE,
               "-t", self.comment], self.folder)  # fmt: skip
        _tool(["zip", "-q", "-X", "-D", str(zipped), MANIFEST, SIGNATURE, *self.names],
              self.folder)  # fmt: skip
        _tool(["age", "-r", self.recipient, "-o", str(encrypted), str(zipped)], self.folder)


def _tool(argv: list[str], cwd: Path) -> None:
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True, timeout=60)


def cli_setup(vault: Vault, members: dict[str, bytes]) -> Cli:
    """The payload's files on disk and a minisign key made without a password (-W)."""
    folder = vault.folder / "cli"
    (folder / "data").mkdir(parents=True)
    names = [n for n in members if n not in (MANIFEST, SIGNATURE)]
    for name, body in members.items():
        if name != SIGNATURE:
            (folder / name).write_bytes(body)
    secret, public = vault.folder / "cli.key", vault.folder / "cli.pub"
    _tool(["minisign", "-G", "-W", "-f", "-p", str(public), "-s", str(secret)], vault.folder)
    comment = parse_manifest(members[MANIFEST]).trusted_comment()
    return Cli(folder, secret, vault.ministry.recipient, comment, names)


def run(size: int) -> list[dict[str, Any]]:
    """``bundle.export_vs_cli`` and ``bundle.packaging_vs_cli`` (``size`` is ignored)."""
    for tool in ("zip", "minisign", "age"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bundle figures need the {tool} tool on PATH")
    vault = three_year_vault()
    with opened(vault.copy("payload")) as ws:
        payload = export.build_payload(ws, whole_project())
        me = signer(ws)
    members = bundle_members(vault)
    template = parse_manifest(members[MANIFEST])
    recipients = (vault.ministry.recipient,)
    cli = cli_setup(vault, members)
    cli_seconds, _none = _best(cli.run)
    # Opening each fresh copy (unlock, working set) is not timed: _export times the export.
    whole = min(_export(vault, f"whole{run}") for run in range(RUNS))
    packaging = min(_export(vault, f"packaging{run}", payload) for run in range(RUNS))
    pipeline = min(
        _pipeline(payload, me, template, recipients, vault.folder / f"pipeline{run}.kisi")
        for run in range(RUNS)
    )
    size_kib = sum(len(b) for b in members.values()) / 1024
    baseline = (
        f"minisign -S + zip + age -r on the same payload ({size_kib:.0f} KiB; vault: "
        f"{vault.describe()})"
    )
    shutil.rmtree(vault.folder / "cli", ignore_errors=True)
    return [
        {
            "name": "bundle.export_vs_cli",
            "value": whole,
            "unit": "s",
            "baseline": baseline + "; ours computes the figures first",
            "baseline_value": cli_seconds,
            "goal": "ratio <= 1.5",
        },
        {
            "name": "bundle.packaging_vs_cli",
            "value": packaging,
            "unit": "s",
            "baseline": baseline + "; ours also writes the ledger entry into the vault",
            "baseline_value": cli_seconds,
            "goal": "ratio <= 1.5",
        },
        {
            "name": "bundle.pipeline_vs_cli",
            "value": pipeline,
            "unit": "s",
            "baseline": baseline,
            "baseline_value": cli_seconds,
            "goal": "ratio <= 1.5",
        },
    ]
