"""minisign signatures (Ed25519 over BLAKE2b-512), written and checked without the tool.

Bundle manifests are signed in minisign's format so that the ministry can verify them with
`minisign -V` (SECURITY.md, profile p1). The format, as minisign 0.11 writes it:

* public key: ``untrusted comment: ...`` and base64 of ``"Ed" || key id (8) || key (32)``;
* signature: ``untrusted comment: ...``, base64 of ``"ED" || key id (8) || sig (64)`` where
  ``sig`` signs BLAKE2b-512 of the file, then ``trusted comment: ...`` and base64 of the
  *global* signature over ``sig || trusted comment``, which binds the comment to the file.

The first line, the *untrusted* comment, is not covered by either signature (minisign
shows it but vouches for nothing in it). :func:`verify` takes any, as ``minisign -V`` does,
so files the tool signed verify here; the readers of KISI's own files (bundles, receipts,
provisioning files, content packs) also call :func:`written_by_sign`, so that no byte of
those files can change unnoticed (bundles/FORMAT.md, "Unsigned bytes").

The legacy algorithm ``"Ed"`` (the whole file signed, not its hash) is refused unless asked
for. Checking is strict: every line, length and key id is verified before a single byte of
what the signature covers is trusted, and every failure is the same error class with a
reason a person can act on.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _

KEY_ALG = b"Ed"
PREHASHED = b"ED"
LEGACY = b"Ed"
UNTRUSTED = "untrusted comment: "
TRUSTED = "trusted comment: "
MAX_COMMENT = 1024
MAX_SIGNATURE_FILE = 4096
KISI_UNTRUSTED = "signature from KISI Desktop"
"""The untrusted comment KISI writes unless a format names its own (content packs do)."""


class SignatureError(UserError):
    """A minisign key or signature is malformed, from another key, or does not verify."""


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A minisign public key: its 8-byte id and the Ed25519 key."""

    key_id: bytes
    key: bytes

    def key_id_hex(self) -> str:
        """The id as minisign prints it (hex of the little-endian 64-bit number)."""
        return key_id_hex(self.key_id)

    def text(self) -> str:
        """The public key file's two lines."""
        body = base64.b64encode(KEY_ALG + self.key_id + self.key).decode()
        return f"{UNTRUSTED}minisign public key {self.key_id_hex()}\n{body}\n"

    def base64(self) -> str:
        """The second line alone, as given to ``minisign -P``."""
        return base64.b64encode(KEY_ALG + self.key_id + self.key).decode()


@dataclass(frozen=True, slots=True)
class Verified:
    """What a good signature proves: the key that made it and the trusted comment."""

    key_id: bytes
    trusted_comment: str
    prehashed: bool


def key_id_hex(key_id: bytes) -> str:
    """minisign's spelling of a key id: 16 upper-case hex digits of it read little-endian."""
    return f"{int.from_bytes(key_id, 'little'):016X}"


def new_key_id() -> bytes:
    """A random 8-byte key id, as minisign draws one for every new key."""
    return os.urandom(8)


def public_key_of(private: Ed25519PrivateKey, key_id: bytes) -> PublicKey:
    """The public half of ``private`` under ``key_id``."""
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return PublicKey(key_id, raw)


def _clean_comment(comment: str, what: str) -> str:
    if "\n" in comment or "\r" in comment or len(comment) > MAX_COMMENT:
        raise SignatureError(
            _("The {what} must be one line of at most 1024 characters.").format(what=what)
        )
    return comment


def sign(
    message: bytes,
    private: Ed25519PrivateKey,
    key_id: bytes,
    *,
    trusted_comment: str,
    untrusted_comment: str = KISI_UNTRUSTED,
) -> str:
    """The ``.minisig`` text for ``message`` (prehashed, as minisign 0.11 signs by default)."""
    trusted_comment = _clean_comment(trusted_comment, _("trusted comment"))
    untrusted_comment = _clean_comment(untrusted_comment, _("untrusted comment"))
    digest = hashlib.blake2b(message, digest_size=64).digest()
    signature = private.sign(digest)
    global_signature = private.sign(signature + trusted_comment.encode("utf-8"))
    return (
        f"{UNTRUSTED}{untrusted_comment}\n"
        f"{base64.b64encode(PREHASHED + key_id + signature).decode()}\n"
        f"{TRUSTED}{trusted_comment}\n"
        f"{base64.b64encode(global_signature).decode()}\n"
    )


def _b64(line: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(line, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(_("The {what} is not valid base64.").format(what=what)) from None
    if len(raw) != size:
        raise SignatureError(_("The {what} has the wrong length.").format(what=what))
    if base64.b64encode(raw).decode() != line:
        # Unused low bits before "=" padding decode to the same bytes; only the canonical
        # spelling is accepted, so a signature file has exactly one valid form.
        raise SignatureError(_("The {what} is not valid base64.").format(what=what))
    return raw


def parse_public_key(text: str) -> PublicKey:
    """A public key from its file (two lines) or from the base64 line alone."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if len(lines) == 2 and lines[0].startswith(UNTRUSTED):
        lines = lines[1:]
    if len(lines) != 1:
        raise SignatureError(_("A minisign public key is one base64 line (after its comment)."))
    # A key pasted by a person may carry spaces around it; signatures may not.
    raw = _b64(lines[0].strip(), 42, _("public key"))
    if raw[:2] != KEY_ALG:
        raise SignatureError(_("This is not an Ed25519 minisign public key."))
    return PublicKey(raw[2:10], raw[10:])


def verify(
    message: bytes, signature_text: str | bytes, key: PublicKey, *, allow_legacy: bool = False
) -> Verified:
    """Check a ``.minisig`` against ``message`` and ``key``; the trusted comment if good.

    Raises:
        SignatureError: malformed, made by another key, legacy without ``allow_legacy``, or
            either signature does not verify.
    """
    if isinstance(signature_text, bytes):
        if len(signature_text) > MAX_SIGNATURE_FILE:
            raise SignatureError(_("The signature file is too large."))
        try:
            signature_text = signature_text.decode("utf-8")
        except UnicodeDecodeError:
            raise SignatureError(_("The signature file is not UTF-8 text.")) from None
    if len(signature_text) > MAX_SIGNATURE_FILE:
        raise SignatureError(_("The signature file is too large."))
    lines = signature_text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 4 or not lines[0].startswith(UNTRUSTED) or not lines[2].startswith(TRUSTED):
        raise SignatureError(
            _(
                "A minisign signature has four lines: comment, signature, trusted comment, "
                "global signature."
            )
        )
    sig = _b64(lines[1], 74, _("signature"))
    algorithm, key_id, signature = sig[:2], sig[2:10], sig[10:]
    if algorithm not in (PREHASHED, LEGACY):
        raise SignatureError(_("Unknown signature algorithm."))
    if algorithm == LEGACY and not allow_legacy:
        raise SignatureError(_("Legacy (not prehashed) minisign signatures are not accepted."))
    if key_id != key.key_id:
        raise SignatureError(
            _("Signed with key {found}, expected {expected}.").format(
                found=key_id_hex(key_id), expected=key.key_id_hex()
            )
        )
    trusted = lines[2][len(TRUSTED) :]
    global_signature = _b64(lines[3], 64, _("global signature"))
    public = Ed25519PublicKey.from_public_bytes(key.key)
    signed = (
        hashlib.blake2b(message, digest_size=64).digest() if algorithm == PREHASHED else message
    )
    try:
        public.verify(signature, signed)
    except InvalidSignature:
        raise SignatureError(_("The signature does not match the file.")) from None
    try:
        public.verify(global_signature, signature + trusted.encode("utf-8"))
    except InvalidSignature:
        raise SignatureError(_("The trusted comment was changed after signing.")) from None
    return Verified(key_id, trusted, algorithm == PREHASHED)


def written_by_sign(signature_text: str | bytes, untrusted_comment: str = KISI_UNTRUSTED) -> bool:
    """Whether a signature file is byte for byte what :func:`sign` writes with this comment.

    For files only KISI writes, after :func:`verify` held. The signatures then cover lines
    two to four (canonical base64 and the trusted comment), so what is left is what they do
    not cover: the untrusted comment line, and the line ends that :func:`verify` forgives
    like minisign does (CRLF, no final newline). A changed byte there would otherwise give
    the file another SHA-256 - which receipts and ``epoch_start`` use as its name - while
    it still verifies.
    """
    if isinstance(signature_text, bytes):
        try:
            signature_text = signature_text.decode("utf-8")
        except UnicodeDecodeError:
            return False
    first, _newline, rest = signature_text.partition("\n")
    return (
        first == UNTRUSTED + untrusted_comment
        and "\r" not in rest
        and rest.count("\n") == 3
        and rest.endswith("\n")
    )
