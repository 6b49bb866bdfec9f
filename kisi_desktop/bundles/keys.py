"""The municipality's signing key and device identity, as the bundle code uses them."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain.signing_key import SigningKey
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.minisign import PublicKey, public_key_of


@dataclass(frozen=True, slots=True)
class Signer:
    """What signs this device's bundles, and how the ministry will know it."""

    private: Ed25519PrivateKey
    key_id: bytes
    device_id: str
    epoch: int

    @property
    def public(self) -> PublicKey:
        """The minisign public key to register with the ministry."""
        return public_key_of(self.private, self.key_id)


MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


def machine_id() -> bytes:
    """Something that names this computer and stays put: systemd's machine id, else the
    network card's address. Only a keyed hash of it is stored (see :func:`machine_tag`)."""
    for path in MACHINE_ID_FILES:
        try:
            text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return text.encode("ascii")
    return uuid.getnode().to_bytes(6, "big")


def machine_tag(key: SigningKey) -> str:
    """This computer, as the vault records it: an HMAC with the private key, so the vault
    (or a bundle) never shows the machine id itself."""
    secret = bytes.fromhex(key.private_key_hex)
    return hmac.new(secret, b"kisi-machine|" + machine_id(), hashlib.sha256).hexdigest()[:32]


def signer(ws: Workspace) -> Signer:
    """This vault's signer, created (and sealed in the vault) on first use.

    A vault opened on another computer than the one its epoch began on (a restore from a
    backup, a copy onto a new laptop) starts a new epoch here: its bundles count from 1
    again under the new epoch, and the ministry sees a new device history instead of a
    fork of the old one.
    """
    stored = ws.list(SigningKey)
    if stored:
        key = stored[0]
        tag = machine_tag(key)
        if not hmac.compare_digest(key.machine_tag, tag):
            started = bool(key.machine_tag)
            key = ws.update(dataclasses.replace(key, machine_tag=tag, epoch=key.epoch + started))
    else:
        private = Ed25519PrivateKey.generate()
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        fresh = SigningKey(
            private_key_hex=raw.hex(),
            key_id_hex=os.urandom(8).hex(),
            device_id=os.urandom(8).hex(),
            created_on=today(ws.clock),
        )
        key = ws.add(dataclasses.replace(fresh, machine_tag=machine_tag(fresh)))
    return Signer(
        Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key.private_key_hex)),
        bytes.fromhex(key.key_id_hex),
        key.device_id,
        key.epoch,
    )
