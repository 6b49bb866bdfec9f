"""Crypto profiles: which standard formats encrypt and sign a bundle.

The manifest names its profile and the ministry's registry fixes the profile per
municipality, so there is nothing to negotiate and nothing to downgrade. ``p1`` is age
(X25519) for encryption and minisign (Ed25519 over BLAKE2b-512) for signatures, both
checkable with the Debian tools. A profile built on algorithms listed in BSI TR-02102-1
(for example RSA-OAEP-256 with AES-256-GCM in JWE and PS256/ES256 signatures) would be one
more class here with the same five methods; nothing else in the bundle code names an
algorithm.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.core.i18n import _

from kisi_desktop.bundles import age, minisign
from kisi_desktop.bundles.limits import MAX_PLAINTEXT
from kisi_desktop.bundles.minisign import PublicKey
from kisi_desktop.bundles.reasons import (
    BAD_SIGNATURE,
    MALFORMED,
    TAMPERED,
    UNSUPPORTED_VERSION,
    Rejected,
)


class Profile(Protocol):
    """Encryption to the ministry's recipients and signatures by a municipality's key."""

    name: str

    def encrypt(self, plaintext: bytes, recipients: Sequence[str]) -> bytes:
        """``plaintext`` readable by each of ``recipients`` (their text form)."""
        ...

    def decrypt(self, data: bytes, identity: str, *, limit: int = MAX_PLAINTEXT) -> bytes:
        """The plaintext for ``identity`` (text form); :class:`Rejected` otherwise."""
        ...

    def recipient_hash(self, recipient: str) -> str:
        """How the manifest names a recipient: SHA-256 (hex) of its text form."""
        ...

    def sign(
        self, message: bytes, private: Ed25519PrivateKey, key_id: bytes, trusted_comment: str
    ) -> str:
        """A detached signature (text) over ``message`` carrying ``trusted_comment``."""
        ...

    def verify(self, message: bytes, signature: bytes | str, public: PublicKey) -> str:
        """The trusted comment of a good signature; :class:`Rejected` otherwise."""
        ...


class AgeMinisign:
    """Profile p1: age v1 with X25519 recipients, minisign prehashed Ed25519 signatures."""

    name = "p1"

    def encrypt(self, plaintext: bytes, recipients: Sequence[str]) -> bytes:
        """Binary age v1, one X25519 stanza per recipient."""
        return age.encrypt(plaintext, [age.Recipient.parse(r) for r in recipients])

    def decrypt(self, data: bytes, identity: str, *, limit: int = MAX_PLAINTEXT) -> bytes:
        """age v1 decryption; the age reader's reason becomes the rejection's code."""
        try:
            return age.decrypt(data, age.Identity.parse(identity), limit=limit)
        except age.AgeError as error:
            raise Rejected(error.code, str(error)) from None

    def recipient_hash(self, recipient: str) -> str:
        """SHA-256 of the ``age1...`` string."""
        return hashlib.sha256(recipient.encode("ascii")).hexdigest()

    def sign(
        self, message: bytes, private: Ed25519PrivateKey, key_id: bytes, trusted_comment: str
    ) -> str:
        """A ``.minisig`` that ``minisign -V`` accepts."""
        return minisign.sign(message, private, key_id, trusted_comment=trusted_comment)

    def verify(self, message: bytes, signature: bytes | str, public: PublicKey) -> str:
        """Prehashed signatures only; any failure is ``bad_signature``, garbage ``malformed``.

        A good signature whose unsigned first line (or line ends) is not what :meth:`sign`
        writes is ``tampered``: bundles are KISI's own files, and no byte of them may
        change unnoticed (bundles/FORMAT.md, "Unsigned bytes").
        """
        try:
            trusted = minisign.verify(message, signature, public).trusted_comment
        except minisign.SignatureError as error:
            text = str(error)
            # A signature file that cannot even be read is malformed; one that reads but
            # does not verify, or names another key, is a bad signature.
            code = BAD_SIGNATURE if _verifies_shape(signature) else MALFORMED
            raise Rejected(code, text) from None
        if not minisign.written_by_sign(signature):
            raise Rejected(
                TAMPERED,
                _(
                    "The manifest signature was changed outside its signed part "
                    "(the untrusted comment)."
                ),
            )
        return trusted


def _verifies_shape(signature: bytes | str) -> bool:
    """Whether the signature file has minisign's four-line shape (for the reason code)."""
    if isinstance(signature, bytes):
        try:
            signature = signature.decode("utf-8")
        except UnicodeDecodeError:
            return False
    lines = signature.rstrip("\n").split("\n")
    return len(lines) == 4 and lines[0].startswith(minisign.UNTRUSTED)


PROFILES: dict[str, Profile] = {"p1": AgeMinisign()}


def profile(name: object) -> Profile:
    """The profile called ``name``; unknown names are refused, never guessed."""
    found = PROFILES.get(name) if isinstance(name, str) else None
    if found is None:
        raise Rejected(
            UNSUPPORTED_VERSION,
            _("Crypto profile {name} is not supported by this version.").format(name=name),
        )
    return found
