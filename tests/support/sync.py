"""A ministry's keys and a provisioned demo vault, for tests of export, receipts and upload.

The ministry package has its own key store; these tests sit below it (bundles/) and only
need the key material, so they make it here directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import age, minisign
from kisi_desktop.bundles.provisioning import (
    Provisioning,
    fingerprint,
    install_provisioning,
    write_provisioning,
)

PASSPHRASE = "correct horse battery staple"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass
class SigningPair:
    """An Ed25519 key with its minisign key id."""

    private: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    key_id: bytes = field(default_factory=minisign.new_key_id)

    @property
    def public(self) -> minisign.PublicKey:
        return minisign.public_key_of(self.private, self.key_id)

    @property
    def line(self) -> str:
        return self.public.base64()


@dataclass
class MinistryKeys:
    """What a ministry holds: age identity, root, content and receipt keys."""

    identity: age.Identity = field(default_factory=age.Identity.generate)
    root: SigningPair = field(default_factory=SigningPair)
    content: SigningPair = field(default_factory=SigningPair)
    receipt: SigningPair = field(default_factory=SigningPair)

    @property
    def recipient(self) -> str:
        return str(self.identity.recipient())

    def provisioning(
        self,
        *,
        version: int = 1,
        demo: bool = False,
        participation_rows: bool = False,
        expires: date = date(2028, 12, 31),
        intake_url: str | None = None,
        spki_pins: tuple[str, ...] = (),
        extra_recipients: tuple[str, ...] = (),
    ) -> Provisioning:
        return Provisioning(
            version=version,
            issued="2026-11-01T00:00:00Z",
            expires=expires,
            demo=demo,
            root_key=self.root.line,
            age_recipients=(self.recipient, *extra_recipients),
            content_key_lines=(self.content.line,),
            receipt_key_lines=(self.receipt.line,),
            intake_url=intake_url,
            spki_pins=spki_pins,
            participation_rows=participation_rows,
            min_app_version="0.1.0",
        )

    def provisioning_file(self, **options: object) -> bytes:
        doc = self.provisioning(**options)  # type: ignore[arg-type]
        return write_provisioning(doc, self.root.private, self.root.key_id)

    def install(self, ws: Workspace, **options: object) -> Provisioning:
        data = self.provisioning_file(**options)
        return install_provisioning(
            ws,
            data,
            confirmed_fingerprint=fingerprint(self.root.line),
            allow_demo=bool(options.get("demo")),
        )


def named_in_file(entry: BundleEntry) -> tuple[str, str]:
    """The municipality and device a ledger entry's bundle names (its file name says
    them, as its manifest does): what the ministry's receipt for it repeats."""
    _kisi, ags, device_id, *_rest = entry.file_name.split("_")
    return ags, device_id


def demo_workspace(path: Path, people: int = 120, *, seed: int = 7) -> Workspace:
    """A vault with demo data up to :data:`NOW` (fixed clock)."""
    clock = FixedClock(NOW)
    ws, _code = Workspace.create(path, PASSPHRASE, kdf=TEST_PARAMS, clock=clock)
    generate(ws, people, random.Random(seed), clock)
    return ws
