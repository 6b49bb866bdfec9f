"""I3: the golden sync files of every format generation still open and verify (never regenerated).

tests/golden/sync/<generation>/ holds a bundle, its receipt, a provisioning file and a
content pack that an earlier release wrote (see the README there). Today's readers must
accept each of them and read the same facts from them; the ministry's intake must still
import the old bundle. The files are pinned by hash here, so a regenerated generation (which
would prove nothing) fails as loudly as a reader that lost compatibility.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kisi_desktop.core.clock import FixedClock

from kisi_desktop.bundles import reasons
from kisi_desktop.bundles.age import Identity
from kisi_desktop.bundles.bundle_reader import OpenedBundle, open_bundle
from kisi_desktop.bundles.content_packs import read_pack
from kisi_desktop.bundles.manifest import INDICATORS, REPORT, WITHHELD_MARK
from kisi_desktop.bundles.minisign import parse_public_key
from kisi_desktop.bundles.provisioning import Provisioning, read_provisioning
from kisi_desktop.bundles.reasons import Rejected
from kisi_desktop.bundles.receipts import read_receipt
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import init_ministry

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "sync"
MAX_FILE = 20 * 1024

# Known facts per generation, written down when it was made. facts.json pins every other
# file by SHA-256, so its own hash pins the whole generation.
PINNED: dict[str, dict[str, Any]] = {
    "v1": {
        "facts.json": "5484bddc7c1cada95a64c779f5744e0243e88db42f3de950ae35338d0b158b60",
        "root_fingerprint": "6D34 BD2B 0EB0 974A 1056 147F AD9B 7ECD",
        "ags": "06534011",
        "seq": 1,
        "period": (date(2026, 1, 1), date(2026, 3, 31)),
        "manifest_sha256": "362a8412c5864050a116129639db811112420ee6318aaf91547dd79e450681b6",
        "receipt_status": "imported",
        "provisioning_version": 1,
        "pack_version": 1,
        "pack_languages": ("de", "en"),
        "indicators_schema": 1,
        "withheld_cells": 0,
        "report_schema": 1,
        "report_withheld_cells": 0,
    },
    # Indicator schema 2: a cell held back beside a lone small one is "withheld".
    "v2": {
        "facts.json": "296a56fa10270684ac0ee8925f22d4815cf0af28a73a685accba6ca6df5802ce",
        "root_fingerprint": "15B7 2929 0B44 918B 347B C3AF A2FC C3E0",
        "ags": "06534011",
        "seq": 1,
        "period": (date(2026, 1, 1), date(2026, 3, 31)),
        "manifest_sha256": "a8347ece64165efd785e972f7e3be1d68233b149c8dfa22456908bbb01314de6",
        "receipt_status": "imported",
        "provisioning_version": 1,
        "pack_version": 1,
        "pack_languages": ("de", "en"),
        "indicators_schema": 2,
        "withheld_cells": 2,
        "report_schema": 1,
        "report_withheld_cells": 0,
    },
    # Report schema 2: report rows may hold back cells beside a total too (the demo vault's
    # tables happen to need none; the schema is what this generation pins).
    "v3": {
        "facts.json": "9729b7a11a610d2e507bd6c2a8ec782932215c859bd110d65768d7d7f0cf678a",
        "root_fingerprint": "C1FC 4355 D387 0B5E F6B7 BCA4 5895 A0B8",
        "ags": "06534011",
        "seq": 1,
        "period": (date(2026, 1, 1), date(2026, 3, 31)),
        "manifest_sha256": "8e193fe61967541b35a98938a5067ebbabf3981523967979eb8c73230bb36c5b",
        "receipt_status": "imported",
        "provisioning_version": 1,
        "pack_version": 1,
        "pack_languages": ("de", "en"),
        "indicators_schema": 2,
        "withheld_cells": 2,
        "report_schema": 2,
        "report_withheld_cells": 0,
    },
}


def _first_chain_head(manifest_sha256: str) -> str:
    """SHA-256(32 zero bytes || manifest hash || "imported"): the head after a fresh
    intake's first import (bundles/FORMAT.md), worked out without the ministry's code."""
    return hashlib.sha256(bytes(32) + bytes.fromhex(manifest_sha256) + b"imported").hexdigest()


def _generations() -> list[str]:
    return sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name.startswith("v"))


GENERATIONS = _generations()


def test_every_generation_is_pinned() -> None:
    """A generation added without pins (or pins without files) is caught here."""
    assert GENERATIONS, f"no golden files under {GOLDEN}"
    assert GENERATIONS == sorted(PINNED)


def _file(generation: str, name: str) -> bytes:
    return (GOLDEN / generation / name).read_bytes()


def _facts(generation: str) -> dict[str, Any]:
    data = _file(generation, "facts.json")
    facts: dict[str, Any] = json.loads(data)
    return facts


def _identity(generation: str) -> Identity:
    text = _file(generation, "ministry-identity.TEST-ONLY.txt").decode("ascii")
    assert text.startswith("# TEST-ONLY KEY")
    (secret,) = [line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-1")]
    return Identity.parse(secret)


def _provisioning(generation: str) -> Provisioning:
    return read_provisioning(
        _file(generation, "provisioning.provisioning"),
        confirmed_fingerprint=PINNED[generation]["root_fingerprint"],
    )


def _open(generation: str) -> OpenedBundle:
    identity = _identity(generation)
    town = parse_public_key(_file(generation, "town.pub").decode("ascii"))
    return open_bundle(
        _file(generation, "bundle.kisi"),
        identity=str(identity),
        own_recipient=str(identity.recipient()),
        key_for=lambda ags: town,
    )


@pytest.mark.parametrize("generation", GENERATIONS)
def test_the_files_are_the_ones_committed(generation: str) -> None:
    pins, facts = PINNED[generation], _facts(generation)
    assert hashlib.sha256(_file(generation, "facts.json")).hexdigest() == pins["facts.json"]
    names = sorted(p.name for p in (GOLDEN / generation).iterdir())
    assert names == sorted([*facts["sha256"], "facts.json"])
    for name, digest in facts["sha256"].items():
        data = _file(generation, name)
        assert hashlib.sha256(data).hexdigest() == digest, f"{generation}/{name} was changed"
        assert len(data) <= MAX_FILE
    assert facts["generation"] == generation


@pytest.mark.parametrize("generation", GENERATIONS)
def test_the_provisioning_file_verifies_against_its_root_fingerprint(generation: str) -> None:
    pins, facts = PINNED[generation], _facts(generation)["provisioning"]
    doc = _provisioning(generation)
    assert doc.version == pins["provisioning_version"] == facts["version"]
    assert doc.expires == date.fromisoformat(facts["expires"])
    assert doc.participation_rows is facts["participation_rows"]
    assert not doc.demo
    assert doc.age_recipients == (str(_identity(generation).recipient()),)
    # Once installed, the app checks later files against the root key itself.
    data = _file(generation, "provisioning.provisioning")
    assert read_provisioning(data, pinned_root=doc.root_key) == doc
    # An untrusted root is still refused: the fingerprint must be confirmed.
    with pytest.raises(Rejected) as refused:
        read_provisioning(data, confirmed_fingerprint="0000 0000 0000 0000 0000 0000 0000 0000")
    assert refused.value.code == reasons.UNTRUSTED_ROOT


@pytest.mark.parametrize("generation", GENERATIONS)
def test_the_bundle_opens_and_says_what_it_said(generation: str) -> None:
    pins, facts = PINNED[generation], _facts(generation)["bundle"]
    opened = _open(generation)
    m = opened.manifest
    assert (m.municipality_ags, m.seq) == (pins["ags"], pins["seq"])
    assert (m.period_start, m.period_end) == pins["period"]
    assert opened.manifest_sha256 == pins["manifest_sha256"] == facts["manifest_sha256"]
    assert (m.device_id, m.device_epoch, m.prev_manifest_sha256) == (
        facts["device_id"],
        facts["epoch"],
        None,
    )
    assert {name: len(rows) for name, rows in opened.files.items()} == facts["records"]
    assert m.pseudonym_scheme == facts["pseudonym_scheme"]


@pytest.mark.parametrize("generation", GENERATIONS)
@pytest.mark.parametrize(
    ("data_file", "schema_pin", "marks_pin"),
    [
        (INDICATORS, "indicators_schema", "withheld_cells"),
        (REPORT, "report_schema", "report_withheld_cells"),
    ],
)
def test_the_rows_are_in_the_schema_they_were_written_in(
    generation: str, data_file: str, schema_pin: str, marks_pin: str
) -> None:
    """Schema 1 of either file has no held-back mark (a lone <5 sat beside its count or
    total); schema 2 has it where a cell beside a lone one is held back."""
    pins, opened = PINNED[generation], _open(generation)
    assert opened.manifest.schema(data_file) == pins[schema_pin]
    rows = opened.files[data_file]
    marks = sum(1 for row in rows for value in row.values() if value == WITHHELD_MARK)
    assert marks == pins[marks_pin]


@pytest.mark.parametrize("generation", GENERATIONS)
def test_the_receipt_verifies_with_the_provisioned_receipt_key(generation: str) -> None:
    pins, facts = PINNED[generation], _facts(generation)
    receipt = read_receipt(
        _file(generation, "bundle.receipt"), _provisioning(generation).receipt_keys
    )
    assert receipt.status == pins["receipt_status"] == facts["receipt"]["status"]
    assert receipt.confirmed
    assert receipt.manifest_sha256 == pins["manifest_sha256"]
    assert receipt.intake_chain_head == _first_chain_head(pins["manifest_sha256"])
    assert (receipt.ags, receipt.seq) == (pins["ags"], pins["seq"])
    assert (
        receipt.records == facts["receipt"]["records"] == sum(facts["bundle"]["records"].values())
    )
    # Not a key from anywhere else: the content key (same ministry) does not verify it.
    with pytest.raises(Rejected) as refused:
        read_receipt(_file(generation, "bundle.receipt"), _provisioning(generation).content_keys)
    assert refused.value.code == reasons.BAD_SIGNATURE


@pytest.mark.parametrize("generation", GENERATIONS)
def test_the_content_pack_verifies_with_the_provisioned_content_key(generation: str) -> None:
    pins, facts = PINNED[generation], _facts(generation)["content_pack"]
    pack = read_pack(_file(generation, "content_pack.zip"), _provisioning(generation).content_keys)
    assert pack.info.version == pins["pack_version"] == facts["version"]
    assert pack.info.pack_id == facts["pack_id"]
    assert pack.info.languages == pins["pack_languages"] == tuple(facts["languages"])
    assert sorted({name.split("/")[1] for name in pack.info.files}) == facts["topics"]


@pytest.mark.parametrize("generation", GENERATIONS)
def test_a_fresh_ministry_imports_the_golden_bundle(generation: str, tmp_path: Path) -> None:
    """The intake of today, given the old ministry's (TEST-ONLY) identity, imports the bundle
    once and issues its own receipt for it; the same file again is a duplicate."""
    pins, facts = PINNED[generation], _facts(generation)
    made = datetime.fromisoformat(facts["made"].replace("Z", "+00:00"))
    data = _file(generation, "bundle.kisi")
    with init_ministry(tmp_path / "ministry", clock=FixedClock(made)) as ministry:
        # init_ministry always makes new keys; the bundle is encrypted to the old one.
        ministry.identity = _identity(generation)
        town = _file(generation, "town.pub").decode("ascii")
        registry.register(ministry, ags=pins["ags"], name="Golden", key=town)
        result = import_bundle(ministry, data, facts["bundle"]["file_name"])
        assert (result.outcome, result.reason_code) == ("imported", None), result.message
        assert result.records == sum(facts["bundle"]["records"].values())
        assert result.receipt is not None
        receipt = read_receipt(result.receipt, [ministry.receipt.public])
        assert (receipt.status, receipt.manifest_sha256) == ("imported", pins["manifest_sha256"])
        # The first step of the intake chain, as FORMAT.md defines it; the town keeps it.
        assert receipt.intake_chain_head == _first_chain_head(pins["manifest_sha256"])
        rows = ministry.store.one("SELECT count(*) AS n FROM data_rows")
        assert rows is not None and rows["n"] == result.records
        again = import_bundle(ministry, data, "copy.kisi")
        assert (again.outcome, again.receipt) == ("duplicate", result.receipt)
