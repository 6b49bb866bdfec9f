"""The municipality's signing key and device identity, as the bundle code uses them."""

from __future__ import annotations

import os
from dataclasses import dataclass

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


def signer(ws: Workspace) -> Signer:
    """This vault's signer, created (and sealed in the vault) on first use."""
    stored = ws.list(SigningKey)
    if stored:
        key = stored[0]
    else:
        private = Ed25519PrivateKey.generate()
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        key = ws.add(
            SigningKey(
                private_key_hex=raw.hex(),
                key_id_hex=os.urandom(8).hex(),
                device_id=os.urandom(8).hex(),
                created_on=today(ws.clock),
            )
        )
    return Signer(
        Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key.private_key_hex)),
        bytes.fromhex(key.key_id_hex),
        key.device_id,
        key.epoch,
    )
