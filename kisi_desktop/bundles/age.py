"""The age v1 file format with X25519 recipients (profile p1), on ``cryptography`` primitives.

Bundles are encrypted so that only the ministry can read them, in a format its staff can
open with the standard ``age`` tool (https://age-encryption.org/v1). Only what profile p1
needs is here: X25519 recipients and identities in their Bech32 spelling, the header with
its HMAC, and the STREAM payload (ChaCha20-Poly1305, 64 KiB chunks). Reading treats the
file as hostile: header size and stanza count are capped, scrypt and unknown stanzas are
never used, a bad MAC or chunk is one ``AgeError`` and no plaintext is returned. Armored
files and post-quantum (hybrid) keys are refused by name: bundles are binary and X25519-only
(FORMAT.md). The C2SP/CCTV age testkit runs against this reader (tests/unit/test_age_cctv.py).
"""

from __future__ import annotations

import base64
import hmac
import os
from collections.abc import Iterator
from dataclasses import dataclass
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _

INTRO = b"age-encryption.org/v1\n"
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
CHUNK = 64 * 1024
TAG = 16
MAX_HEADER = 8 * 1024
MAX_STANZAS = 16
MAX_PLAINTEXT = 256 * 1024 * 1024
_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


class AgeError(UserError):
    """The file is not an age file for this identity, or it was changed.

    ``code`` is the reason code (bundles/reasons.py) the bundle reader reports.
    """

    def __init__(self, message: str, code: str = "malformed") -> None:
        super().__init__(message)
        self.code = code


# -- Bech32 (BIP 173), as age spells keys; no length limit, as in age ---------------------


def _polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            check ^= generator[i] if (top >> i) & 1 else 0
    return check


def _expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert(data: bytes | list[int], source: int, target: int, pad: bool) -> list[int]:
    acc = bits = 0
    out = []
    for value in data:
        acc = (acc << source) | value
        bits += source
        while bits >= target:
            bits -= target
            out.append((acc >> bits) & ((1 << target) - 1))
    if pad and bits:
        out.append((acc << (target - bits)) & ((1 << target) - 1))
    elif not pad and (bits >= source or (acc << (target - bits)) & ((1 << target) - 1)):
        raise AgeError(_("Not a valid age key."))
    return out


def bech32_encode(hrp: str, data: bytes) -> str:
    """``data`` in Bech32 with human-readable part ``hrp`` (lower case)."""
    words = _convert(data, 8, 5, True)
    check = _polymod(_expand(hrp) + words + [0] * 6) ^ 1
    words += [(check >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[w] for w in words)


def bech32_decode(text: str, hrp: str) -> bytes:
    """The bytes of a Bech32 string with part ``hrp`` (either case, not mixed)."""
    if text.lower() != text and text.upper() != text:
        raise AgeError(_("Not a valid age key."))
    text = text.lower()
    head, sep, tail = text.rpartition("1")
    if not sep or head != hrp or len(tail) < 6 or any(c not in _CHARSET for c in tail):
        raise AgeError(_("Not a valid age key."))
    words = [_CHARSET.index(c) for c in tail]
    if _polymod(_expand(hrp) + words) != 1:
        raise AgeError(_("Not a valid age key (checksum)."))
    return bytes(_convert(words[:-6], 5, 8, False))


# -- keys -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone files are encrypted to: an X25519 public key, spelled ``age1...``."""

    key: bytes

    @classmethod
    def parse(cls, text: str) -> Recipient:
        """From ``age1...``."""
        raw = bech32_decode(text.strip(), "age")
        if len(raw) != 32:
            raise AgeError(_("Not a valid age recipient."))
        return cls(raw)

    def __str__(self) -> str:
        return bech32_encode("age", self.key)


@dataclass(frozen=True, slots=True)
class Identity:
    """The private key that opens files for a recipient, spelled ``AGE-SECRET-KEY-1...``."""

    key: bytes

    @classmethod
    def generate(cls) -> Identity:
        """A new random identity."""
        private = X25519PrivateKey.generate()
        return cls(private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))

    @classmethod
    def parse(cls, text: str) -> Identity:
        """From ``AGE-SECRET-KEY-1...`` (as ``age-keygen`` writes it)."""
        if text.strip().upper().startswith("AGE-SECRET-KEY-PQ-1"):
            # age 1.3's ML-KEM-768 + X25519 keys: bundles are X25519-only (FORMAT.md, p1).
            raise AgeError(
                _("Post-quantum age keys are not supported; bundles use X25519 keys."),
                "unsupported_version",
            )
        raw = bech32_decode(text.strip(), "age-secret-key-")
        if len(raw) != 32:
            raise AgeError(_("Not a valid age identity."))
        return cls(raw)

    def recipient(self) -> Recipient:
        """The matching recipient."""
        public = X25519PrivateKey.from_private_bytes(self.key).public_key()
        return Recipient(public.public_bytes(Encoding.Raw, PublicFormat.Raw))

    def __str__(self) -> str:
        return bech32_encode("age-secret-key-", self.key).upper()


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    if "=" in text or "\r" in text:
        raise AgeError(_("The age header is malformed."))
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise AgeError(_("The age header is malformed.")) from None
    if _b64(raw) != text:  # canonical encoding only
        raise AgeError(_("The age header is malformed."))
    return raw


_X25519_INFO = b"age-encryption.org/v1/X25519"


# -- encryption ---------------------------------------------------------------------------


def encrypt(plaintext: bytes, recipients: list[Recipient]) -> bytes:
    """``plaintext`` as a binary age file that each of ``recipients`` can open."""
    if not recipients:
        raise ValueError("at least one recipient")
    file_key = os.urandom(16)
    header = bytearray(INTRO)
    for recipient in recipients:
        ephemeral = X25519PrivateKey.generate()
        share = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.key))
        wrap = _hkdf(shared, share + recipient.key, _X25519_INFO)
        body = ChaCha20Poly1305(wrap).encrypt(bytes(12), file_key, None)
        encoded = _b64(body)
        header += f"-> X25519 {_b64(share)}\n".encode()
        lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
        if len(lines[-1]) == 64:
            lines.append("")
        header += ("\n".join(lines) + "\n").encode()
    header += b"---"
    mac = hmac.new(_hkdf(file_key, b"", b"header"), bytes(header), sha256).digest()
    header += f" {_b64(mac)}\n".encode()
    nonce = os.urandom(16)
    stream = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    out = bytearray(header) + nonce
    chunks = [plaintext[i : i + CHUNK] for i in range(0, len(plaintext), CHUNK)] or [b""]
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        out += stream.encrypt(
            index.to_bytes(11, "big") + (b"\x01" if last else b"\x00"), chunk, None
        )
    return bytes(out)


# -- decryption ---------------------------------------------------------------------------


def decrypt(data: bytes, identity: Identity, *, limit: int = MAX_PLAINTEXT) -> bytes:
    """The plaintext of an age file for ``identity``.

    Raises:
        AgeError: not age v1, no stanza for this identity, header changed (MAC), payload
            changed or cut short, or more than ``limit`` bytes of plaintext.
    """
    if not data.startswith(INTRO):
        # age's armor may have whitespace around it (CCTV: armor_whitespace_outside).
        if data[:1024].lstrip().startswith(ARMOR_BEGIN):
            raise AgeError(_("ASCII-armored age files are not accepted; bundles are binary."))
        raise AgeError(_("This is not an age v1 file."))
    end = data.find(b"\n---", 0, MAX_HEADER)
    if end < 0:
        raise AgeError(_("The age header is missing or too large."))
    mac_line_end = data.find(b"\n", end + 1, MAX_HEADER + 64)
    if mac_line_end < 0:
        raise AgeError(_("The age header is malformed."))
    header = data[: end + 4]
    mac_line = data[end + 1 : mac_line_end].decode("ascii", "replace")
    if not mac_line.startswith("--- "):
        raise AgeError(_("The age header is malformed."))
    stanzas = _stanzas(data[len(INTRO) : end + 1])
    # The MAC is part of the header's syntax: a missing, short or long one is a malformed
    # header, found before any key is tried (CCTV testkit: hmac_missing, hmac_truncated).
    mac = _unb64(mac_line[4:])
    if len(mac) != 32:
        raise AgeError(_("The age header is malformed."))
    file_key = None
    mine = identity.recipient().key
    private = X25519PrivateKey.from_private_bytes(identity.key)
    # Checked over the whole header before any stanza is tried: age allows a scrypt stanza
    # only alone, and a file is refused for it even when another stanza would open it.
    if any(kind == "scrypt" for kind, _args, _body in stanzas):
        raise AgeError(_("Passphrase-encrypted age files are not accepted."), "unsupported_version")
    for kind, args, body in stanzas:
        if kind != "X25519":
            continue
        if len(args) != 1 or len(body) != 32:
            raise AgeError(_("The age header is malformed."))
        share = _unb64(args[0])
        if len(share) != 32:
            raise AgeError(_("The age header is malformed."))
        try:
            shared = private.exchange(X25519PublicKey.from_public_bytes(share))
        except ValueError:
            # A low-order point (e.g. 32 zero bytes): OpenSSL refuses the all-zero secret.
            raise AgeError(_("The age header is malformed.")) from None
        if shared == bytes(32):
            raise AgeError(_("The age header is malformed."))
        wrap = _hkdf(shared, share + mine, _X25519_INFO)
        try:
            file_key = ChaCha20Poly1305(wrap).decrypt(bytes(12), body, None)
            break
        except InvalidTag:
            continue
    if file_key is None:
        raise AgeError(_("This file is not encrypted to this key."), "wrong_recipient")
    expected = hmac.new(_hkdf(file_key, b"", b"header"), header, sha256).digest()
    if not hmac.compare_digest(expected, mac):
        raise AgeError(_("The age header was changed."), "tampered")
    out = bytearray()
    for plain in payload_chunks(data[mac_line_end + 1 :], file_key):
        out += plain
        if len(out) > limit:
            raise AgeError(_("The age file is larger than allowed."), "oversized")
    return bytes(out)


def payload_chunks(payload: bytes, file_key: bytes) -> Iterator[bytes]:
    """Each plaintext chunk of a STREAM ``payload`` (nonce, then chunks) once it is authentic.

    The first bad, missing or surplus chunk raises ``AgeError``. ``decrypt`` gathers the
    chunks and returns nothing unless all are good; what this yields before a failure is
    what a streaming reader would release, and the CCTV testkit pins it to the chunks that
    age's own reader releases: a short chunk can only be the last, a full one is the last
    if it opens as the last, and data after the last chunk is refused once it is reached.
    """
    if len(payload) < 16 + TAG:
        raise AgeError(_("The age file is cut short."), "tampered")
    stream = ChaCha20Poly1305(_hkdf(file_key, payload[:16], b"payload"))
    start = 16
    index = 0
    while True:
        chunk = payload[start : start + CHUNK + TAG]
        start += len(chunk)
        counter = index.to_bytes(11, "big")
        plain = _open_chunk(stream, counter + b"\x00", chunk) if len(chunk) == CHUNK + TAG else None
        last = plain is None
        if last:
            plain = _open_chunk(stream, counter + b"\x01", chunk)
        if plain is None:
            raise AgeError(_("The age file was changed or cut short."), "tampered")
        if last and not plain and index > 0:
            # Only an empty payload may end in an empty chunk (CCTV: stream_last_chunk_empty).
            raise AgeError(_("The age file is malformed."))
        yield plain
        if last:
            if start < len(payload):
                raise AgeError(_("The age file was changed or cut short."), "tampered")
            return
        index += 1


def _open_chunk(stream: ChaCha20Poly1305, nonce: bytes, chunk: bytes) -> bytes | None:
    try:
        return stream.decrypt(nonce, chunk, None)
    except InvalidTag:
        return None


def _stanzas(block: bytes) -> list[tuple[str, list[str], bytes]]:
    lines = block.decode("ascii", "strict").split("\n") if block.isascii() else None
    if lines is None:
        raise AgeError(_("The age header is malformed."))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    stanzas: list[tuple[str, list[str], bytes]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("-> "):
            raise AgeError(_("The age header is malformed."))
        parts = line[3:].split(" ")
        if not parts or any(not p for p in parts):
            raise AgeError(_("The age header is malformed."))
        i += 1
        body_lines = []
        while True:
            if i >= len(lines):
                raise AgeError(_("The age header is malformed."))
            body_lines.append(lines[i])
            i += 1
            if len(body_lines[-1]) > 64:
                raise AgeError(_("The age header is malformed."))
            if len(body_lines[-1]) < 64:
                break
        stanzas.append((parts[0], parts[1:], _unb64("".join(body_lines))))
        if len(stanzas) > MAX_STANZAS:
            raise AgeError(_("The age header has too many recipients."), "oversized")
    return stanzas
