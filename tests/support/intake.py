"""Both ends of an upload on loopback: a ministry folder, its intake server, a provisioned vault.

The TLS certificate is made here with ``cryptography`` (not with the server module's own
helper), so the tests check the server's and the app's pin arithmetic against an
independent one.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.provisioning import fingerprint, install_provisioning
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.keys import init_ministry, load_ministry
from kisi_desktop.ministry.provision import make_provisioning
from kisi_desktop.ministry.server import IntakeServer

from tests.support.sync import NOW, PASSPHRASE, demo_workspace


@dataclass(frozen=True)
class Tls:
    """A self-signed certificate, its key and the pin of its key."""

    cert: Path
    key: Path
    pin: str


def self_signed(folder: Path, host: str = "127.0.0.1") -> Tls:
    """A P-384 key with a self-signed certificate for ``host`` (an IP address)."""
    import ipaddress

    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test intake")])
    start = datetime.now(UTC) - timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return Tls(cert_file, key_file, hashlib.sha256(spki).hexdigest())


def make_ministry(folder: Path) -> Path:
    """A new ministry folder (closed again: the server opens its own)."""
    init_ministry(folder, clock=FixedClock(NOW)).close()
    return folder


def register_vault(ministry_dir: Path, ws: Workspace, ags: str = "06534011") -> None:
    """Register the vault's signing key for ``ags`` (what the ministry does out of band)."""
    with load_ministry(ministry_dir) as ministry:
        registry.register(ministry, ags=ags, name="Kirchhain", key=signer(ws).public.text())


def provision_vault(
    ministry_dir: Path, ws: Workspace, *, url: str | None, pins: tuple[str, ...]
) -> None:
    """Make a provisioning file with the intake address and pins, install it in the vault."""
    with load_ministry(ministry_dir) as ministry:
        assert ministry.root is not None
        data = make_provisioning(
            ministry, expires=date(2028, 12, 31), intake_url=url, spki_pins=pins
        )
        root = fingerprint(ministry.root.public.base64())
    install_provisioning(ws, data, confirmed_fingerprint=root)


@contextmanager
def running(
    ministry_dir: Path, tls: Tls, *, port: int = 0, max_body: int | None = None
) -> Iterator[IntakeServer]:
    """The intake server on loopback in a thread, stopped afterwards."""
    options = {} if max_body is None else {"max_body": max_body}
    server = IntakeServer(
        ministry_dir,
        "127.0.0.1",
        port,
        cert=tls.cert,
        key=tls.key,
        poll_interval=0.05,
        **options,  # type: ignore[arg-type]
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def ministry_counts(ministry_dir: Path) -> dict[str, int]:
    """How many bundles, data rows and receipts the intake database holds."""
    with load_ministry(ministry_dir) as ministry:
        conn = ministry.store.conn
        return {
            table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
            for table in ("bundles", "data_rows", "receipts", "rejections")
        }


@dataclass(frozen=True)
class World:
    """A ministry folder, a vault registered and provisioned with it, and its bundles.

    Made once per test module (a demo vault takes a moment) and cloned per test, so each
    test has its own intake database and ledger with the same keys.
    """

    ministry_dir: Path
    vault: Path
    tls: Tls
    bundles: tuple[tuple[str, bytes], ...]
    """(file name, encrypted bytes) of each exported bundle, in sequence."""


def make_world(folder: Path, *, bundles: int = 1, people: int = 100) -> World:
    """Ministry, vault with ``people`` demo people, ``bundles`` exported quarters of 2026."""
    ministry_dir = make_ministry(folder / "ministry")
    ws = demo_workspace(folder / "vault.kisi", people)
    try:
        register_vault(ministry_dir, ws)
        tls = self_signed(folder / "tls")
        # The real address is known once a server runs; tests provision again with it.
        provision_vault(ministry_dir, ws, url="https://127.0.0.1:9", pins=(tls.pin,))
        out = folder / "out"
        out.mkdir()
        made = []
        for quarter in range(1, bundles + 1):
            summary = export_bundle(ws, out, period=f"2026-Q{quarter}")
            made.append((summary.path.name, summary.path.read_bytes()))
    finally:
        ws.lock()
    return World(ministry_dir, folder / "vault.kisi", tls, tuple(made))


def clone(world: World, folder: Path) -> World:
    """A copy of ``world``'s ministry folder and vault under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ministry_dir = Path(shutil.copytree(world.ministry_dir, folder / "ministry"))
    vault = folder / "vault.kisi"
    shutil.copyfile(world.vault, vault)
    return World(ministry_dir, vault, world.tls, world.bundles)


def open_vault(path: Path) -> Workspace:
    """The vault at ``path`` with the tests' fixed clock."""
    return Workspace.open(path, passphrase=PASSPHRASE, clock=FixedClock(NOW))
