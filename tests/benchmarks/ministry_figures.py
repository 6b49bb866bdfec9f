"""Ministry figures: the intake importing 42 municipalities' bundles, against opening them only.

The bundles: the payload of one export of the three-year vault (bundle_figures: 2,000
people, 30,000 contacts), signed by 42 municipalities, each with its own key, AGS and
device, as sequence 1 of its device, and encrypted to the ministry. (Generating 42 vaults
of 2,000 people would take minutes and give bundles of the same size and shape.)

``ministry.import_42`` is ``intake.import_bundle`` for all 42 into a fresh intake database
(decrypt, verify, order, plausibility, one transaction each with rows, chain and signed
receipt); the baseline is ``bundle_reader.open_bundle`` for the same 42 files - decrypt and
verify alone, nothing stored. Best of three, each on a new ministry folder.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.bundles import minisign
from kisi_desktop.bundles.bundle_reader import open_bundle
from kisi_desktop.bundles.manifest import MANIFEST, SIGNATURE, parse_manifest
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.safe_zip import write_zip
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.intake import OUTCOME_IMPORTED, import_bundle
from kisi_desktop.ministry.keys import Ministry, init_ministry

from tests.benchmarks.bundle_figures import CLOCK, bundle_members, three_year_vault

TOWNS = 42
RUNS = 3


@dataclass(frozen=True)
class TownKey:
    ags: str
    private: Ed25519PrivateKey
    key_id: bytes

    @property
    def public(self) -> minisign.PublicKey:
        return minisign.public_key_of(self.private, self.key_id)


def _towns() -> list[TownKey]:
    # 06 = Hesse, then a district and municipality number: 42 distinct AGS.
    return [
        TownKey(f"06{534 + i // 10:03d}{i % 10 + 1:03d}", Ed25519PrivateKey.generate(),
                minisign.new_key_id())
        for i in range(TOWNS)
    ]  # fmt: skip


def _bundles(members: dict[str, bytes], towns: list[TownKey], recipient: str) -> list[bytes]:
    """One bundle per town: the same data files, the town's own manifest and signature."""
    crypto = profile("p1")
    template = parse_manifest(members[MANIFEST])
    data = [(n, b) for n, b in members.items() if n not in (MANIFEST, SIGNATURE)]
    made = []
    for town in towns:
        manifest = dataclasses.replace(
            template,
            bundle_id=str(uuid.uuid4()),
            municipality_ags=town.ags,
            device_id=uuid.uuid4().hex[:16],
            signer_key_id=town.public.key_id_hex(),
            recipients=(crypto.recipient_hash(recipient),),
        )
        body = manifest.encode()
        signature = crypto.sign(body, town.private, town.key_id, manifest.trusted_comment())
        plaintext = write_zip([(MANIFEST, body), (SIGNATURE, signature.encode()), *data])
        made.append(crypto.encrypt(plaintext, [recipient]))
    return made


def _ministry(folder: Path, towns: list[TownKey]) -> Ministry:
    ministry = init_ministry(folder, clock=CLOCK)
    for number, town in enumerate(towns, 1):
        registry.register(ministry, ags=town.ags, name=f"Gemeinde {number}", key=town.public.text())
    return ministry


def run(size: int) -> list[dict[str, Any]]:
    """``ministry.import_42`` (``size`` is ignored)."""
    vault = three_year_vault()
    members = bundle_members(vault)
    towns = _towns()
    root = Path(tempfile.mkdtemp(prefix="kisi-ministry-bench-"))
    try:
        imports, opens = [], []
        records = 0
        for attempt in range(RUNS):
            with _ministry(root / f"ministry{attempt}", towns) as ministry:
                files = _bundles(members, towns, ministry.recipient)
                keys = {t.ags: t.public for t in towns}
                started = time.perf_counter()
                for data in files:
                    open_bundle(
                        data,
                        identity=str(ministry.identity),
                        own_recipient=ministry.recipient,
                        key_for=keys.__getitem__,
                    )
                opens.append(time.perf_counter() - started)
                started = time.perf_counter()
                results = [import_bundle(ministry, data, f"town{i}.kisi")
                           for i, data in enumerate(files)]  # fmt: skip
                imports.append(time.perf_counter() - started)
                bad = [r for r in results if r.outcome != OUTCOME_IMPORTED]
                if bad:
                    raise SystemExit(f"import refused a bundle: {bad[0].message}")
                records = sum(r.records for r in results)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    size_kib = len(files[0]) / 1024
    return [
        {
            "name": "ministry.import_42",
            "value": min(imports),
            "unit": "s",
            "baseline": f"open_bundle (decrypt + verify, nothing stored) of the same {TOWNS} "
            f"bundles ({size_kib:.0f} KiB each, {records:,} records in all; payload of "
            f"{vault.describe()}, signed by {TOWNS} towns)",
            "baseline_value": min(opens),
            # No target in the issue; a second per bundle is the bound F1 sets for refusals.
            "goal": f"value <= {TOWNS}",
        }
    ]
