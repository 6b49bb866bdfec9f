"""AES-256-GCM envelopes for records, audit entries and wrapped keys.

Blob layout: ``0x01 || nonce (12 bytes) || ciphertext || tag (16 bytes)``. The caller's
associated data binds the blob to where it belongs; a blob moved elsewhere fails to open
with the one opaque :class:`SealBroken`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kisi_desktop.core.errors import SealBroken

if TYPE_CHECKING:
    import mmap

ENVELOPE_VERSION = 1
NONCE_LENGTH = 12
TAG_LENGTH = 16
OVERHEAD = 1 + NONCE_LENGTH + TAG_LENGTH


class SealingKey:
    """A 256-bit AES-GCM key with its cipher object prepared once (hot path at unlock)."""

    __slots__ = ("_aead", "key_ref")

    def __init__(self, key: bytes, key_ref: str) -> None:
        if len(key) != 32:
            raise ValueError("sealing keys are 256 bits")
        self._aead = AESGCM(key)
        self.key_ref = key_ref

    def seal(self, plain: bytes, aad: bytes, *, nonce: bytes | None = None) -> bytes:
        """Encrypt and authenticate ``plain``; a given ``nonce`` must be fresh and random
        (known-answer tests, or nonces the caller drew in bulk from os.urandom)."""
        if nonce is None:
            nonce = os.urandom(NONCE_LENGTH)
        elif len(nonce) != NONCE_LENGTH:
            raise ValueError("nonce must be 96 bits")
        return bytes((ENVELOPE_VERSION,)) + nonce + self._aead.encrypt(nonce, plain, aad)

    def open(self, blob: bytes | mmap.mmap, aad: bytes) -> bytes:
        """Decrypt ``blob`` or raise :class:`SealBroken`, whatever the cause."""
        if len(blob) < OVERHEAD or blob[0] != ENVELOPE_VERSION:
            raise SealBroken()
        # Memoryviews, not slices: the working-set snapshot is ~100 MB, and a slice copies.
        # They are released before returning, so that a memory-mapped blob can be closed
        # at once, even when a traceback still holds this frame.
        view = memoryview(blob)
        nonce, body = view[1 : 1 + NONCE_LENGTH], view[1 + NONCE_LENGTH :]
        try:
            return self._aead.decrypt(nonce, body, aad)
        except InvalidTag:
            raise SealBroken() from None
        finally:
            nonce.release()
            body.release()
            view.release()
