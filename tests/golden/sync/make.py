"""Make one generation of golden sync files (SECURITY.md test plan, I3). Run it ONCE per
format version, commit what it wrote, and never run it for that generation again.

    .venv/bin/python tests/golden/sync/make.py v2

writes ``tests/golden/sync/v2/``: a bundle from a tiny deterministic demo vault, the
ministry's receipt for it, the provisioning file that vault was provisioned with, a small
content pack, the throwaway ministry's age identity (TEST-ONLY, so the bundle can be
opened), the town's public signing key and ``facts.json`` (what every file says, and each
file's SHA-256). Everything is made by today's writers, through the same calls the app and
the ministry's tools make: a fresh ministry folder, a provisioned vault, a real export and
a real intake.

It refuses to write into a folder that exists: golden files are evidence that a release
still reads what older releases wrote; a regenerated file proves nothing. A new format
version gets a new generation beside the old ones (``v2`` beside ``v1``), and
tests/unit/bundles/test_golden_sync.py checks them all.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import content_packs, manifest, provisioning, receipts
from kisi_desktop.bundles.bundle_reader import open_bundle
from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.provisioning import fingerprint, install_provisioning
from kisi_desktop.handouts.catalog import shipped_folder
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.content_pack import make_content_pack
from kisi_desktop.ministry.intake import import_bundle
from kisi_desktop.ministry.keys import init_ministry
from kisi_desktop.ministry.provision import make_provisioning

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PEOPLE = 30
SEED = 2026
PERIOD = "2026-Q1"
LANGUAGES = ("de", "en")
TOPIC = "welcome"
MAX_FILE = 20 * 1024

BUNDLE = "bundle.kisi"
RECEIPT = "bundle.receipt"
PROVISIONING = "provisioning.provisioning"
PACK = "content_pack.zip"
IDENTITY = "ministry-identity.TEST-ONLY.txt"
TOWN_KEY = "town.pub"
FACTS = "facts.json"
NAMES = (BUNDLE, RECEIPT, PROVISIONING, PACK, IDENTITY, TOWN_KEY, FACTS)

IDENTITY_WARNING = """\
# TEST-ONLY KEY. NOT A SECRET. NEVER USE IT FOR ANYTHING REAL.
# The age identity of a throwaway ministry made by tests/golden/sync/make.py for the
# golden sync files beside this file; published in the source tree on purpose, so that
# tests can open bundle.kisi. No real data was ever encrypted to it.
"""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make(work: Path, generation: str) -> dict[str, bytes]:
    """Every file of one generation, made in ``work`` (a scratch folder)."""
    clock = FixedClock(NOW)
    ministry = init_ministry(work / "ministry", clock=clock)
    try:
        assert ministry.root is not None
        root_line = ministry.root.public.base64()
        prov = make_provisioning(
            ministry,
            version=1,
            expires=date(2028, 12, 31),
            participation_rows=True,
            intake_url="https://intake.example.invalid/kisi",
            spki_pins=("5e" * 32,),
        )

        ws, _code = Workspace.create(
            work / "vault.kisi", "golden files", kdf=TEST_PARAMS, clock=clock
        )
        try:
            generate(ws, PEOPLE, random.Random(SEED), clock)
            install_provisioning(ws, prov, confirmed_fingerprint=fingerprint(root_line))
            town = sorted(ws.list(Municipality), key=lambda m: m.ags)[0]
            me = signer(ws)
            town_key = me.public.text()
            registry.register(ministry, ags=town.ags, name=town.name, key=town_key)
            out = work / "out"
            out.mkdir()
            summary = export_bundle(ws, out, period=PERIOD)
        finally:
            ws.lock()
        bundle = summary.path.read_bytes()
        result = import_bundle(ministry, bundle, summary.path.name)
        if result.outcome != "imported" or result.receipt is None:
            raise SystemExit(f"the intake did not import the bundle: {result.message}")

        texts = work / "texts" / TOPIC
        texts.mkdir(parents=True)
        shutil.copy(shipped_folder() / TOPIC / "topic.toml", texts / "topic.toml")
        for language in LANGUAGES:
            shutil.copy(shipped_folder() / TOPIC / f"{language}.md", texts / f"{language}.md")
        pack = make_content_pack(
            ministry.content.private,
            ministry.content.key_id,
            work / "texts",
            1,
            date(2027, 12, 31),
            created=NOW,
        )
        identity_text = (
            IDENTITY_WARNING
            + f"# generation: {generation}\n"
            + f"# public key: {ministry.recipient}\n"
            + f"{ministry.identity}\n"
        )
        opened = open_bundle(
            bundle,
            identity=str(ministry.identity),
            own_recipient=ministry.recipient,
            key_for=lambda ags: me.public,
        )
    finally:
        ministry.close()

    m = opened.manifest
    files = {
        BUNDLE: bundle,
        RECEIPT: result.receipt,
        PROVISIONING: prov,
        PACK: pack,
        IDENTITY: identity_text.encode("ascii"),
        TOWN_KEY: town_key.encode("ascii"),
    }
    facts = {
        "generation": generation,
        "made": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "formats": {
            "bundle": manifest.FORMAT,
            "receipt": receipts.FORMAT,
            "provisioning": provisioning.FORMAT,
            "content_pack": content_packs.FORMAT,
        },
        "bundle": {
            "file_name": summary.path.name,
            "ags": m.municipality_ags,
            "device_id": m.device_id,
            "epoch": m.device_epoch,
            "seq": m.seq,
            "period": [m.period_start.isoformat(), m.period_end.isoformat()],
            "manifest_sha256": opened.manifest_sha256,
            "records": {name: len(rows) for name, rows in sorted(opened.files.items())},
            "pseudonym_scheme": m.pseudonym_scheme,
        },
        "receipt": {"status": "imported", "seq": m.seq, "records": result.records},
        "provisioning": {
            "version": 1,
            "root_fingerprint": fingerprint(root_line),
            "expires": "2028-12-31",
            "participation_rows": True,
        },
        "content_pack": {
            "version": 1,
            "pack_id": content_packs.DEFAULT_PACK_ID,
            "languages": list(LANGUAGES),
            "topics": [TOPIC],
        },
        "sha256": {name: _sha256(data) for name, data in sorted(files.items())},
    }
    files[FACTS] = (json.dumps(facts, indent=2, sort_keys=True) + "\n").encode("ascii")
    return files


def main(argv: list[str]) -> int:
    """Make ``tests/golden/sync/<generation>/``; refuse if anything is there already."""
    if len(argv) != 1 or not argv[0].startswith("v") or not argv[0][1:].isdigit():
        print("usage: make.py vN   (a generation that does not exist yet)", file=sys.stderr)
        return 2
    generation = argv[0]
    target = HERE / generation
    if target.exists():
        print(
            f"{target} exists: golden files are made once and never regenerated. "
            "A new format version gets a new generation (v2, v3, ...) beside it.",
            file=sys.stderr,
        )
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        files = make(Path(scratch), generation)
    too_big = {name: len(data) for name, data in files.items() if len(data) > MAX_FILE}
    if too_big:
        print(f"files larger than {MAX_FILE} bytes: {too_big}", file=sys.stderr)
        return 1
    target.mkdir()
    for name in NAMES:
        with (target / name).open("xb") as out:  # never overwrites
            out.write(files[name])
    for name in NAMES:
        print(f"{target / name}: {len(files[name])} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
