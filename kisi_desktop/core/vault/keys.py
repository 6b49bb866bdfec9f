"""The key hierarchy: slots that wrap the vault master key, and keys the master key wraps.

passphrase --Argon2id--> KEK --wraps--> vault master key (VMK)
recovery code --HKDF--> KEK --wraps--> the same VMK
VMK --wraps--> data keys (generations), per-person keys, later signing/pseudonym keys
(SECURITY.md 6.1.2). Every wrap is AES-256-GCM whose associated data names what the
wrapped key is, so a wrapped key cannot be swapped into another slot or role.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass

from kisi_desktop.core.errors import SealBroken, WrongSecret
from kisi_desktop.core.i18n import _
from kisi_desktop.core.vault import subkeys
from kisi_desktop.core.vault.encoding import length_prefixed
from kisi_desktop.core.vault.kdf import KdfParams, derive_kek
from kisi_desktop.core.vault.seal import SealingKey

MIN_PASSPHRASE_LENGTH = 10
SALT_LENGTH = 16


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return secrets.token_bytes(32)


@dataclass(frozen=True, slots=True)
class KeySlot:
    """One way into the vault: the master key wrapped under a key derived from a secret."""

    slot_id: str
    kind: str  # "passphrase" or "recovery"
    kdf: str  # KdfParams JSON for passphrase slots, "hkdf-sha256" for recovery
    salt: bytes
    wrapped: bytes

    def aad(self, vault_id: bytes) -> bytes:
        """Associated data: vault, slot, kind and a hash of the stored parameters."""
        return length_prefixed(
            "KISI-SLOT",
            vault_id,
            self.slot_id,
            self.kind,
            hashlib.sha256(self.kdf.encode()).digest(),
        )


def _kek_for(slot_kind: str, secret: bytes, salt: bytes, kdf: str, vault_id: bytes) -> bytes:
    if slot_kind == "passphrase":
        return derive_kek(secret, salt, KdfParams.from_json(kdf), vault_id)
    if slot_kind == "recovery":
        return subkeys.derive_subkey(secret, subkeys.RECOVERY_KEK, salt=salt + vault_id)
    raise ValueError(f"unknown slot kind {slot_kind!r}")


def make_slot(
    slot_id: str, kind: str, secret: bytes, vmk: bytes, vault_id: bytes, params: KdfParams | None
) -> KeySlot:
    """Wrap ``vmk`` under a key derived from ``secret`` with a fresh salt."""
    kdf = params.to_json() if kind == "passphrase" and params else "hkdf-sha256"
    salt = secrets.token_bytes(SALT_LENGTH)
    kek = _kek_for(kind, secret, salt, kdf, vault_id)
    shell = KeySlot(slot_id=slot_id, kind=kind, kdf=kdf, salt=salt, wrapped=b"")
    wrapped = SealingKey(kek, "kek").seal(vmk, shell.aad(vault_id))
    return KeySlot(slot_id=slot_id, kind=kind, kdf=kdf, salt=salt, wrapped=wrapped)


def open_slot(slot: KeySlot, secret: bytes, vault_id: bytes) -> bytes:
    """Unwrap the master key, or refuse with a message the user understands."""
    try:
        kek = _kek_for(slot.kind, secret, slot.salt, slot.kdf, vault_id)
    except (ValueError, KeyError) as exc:
        raise SealBroken() from exc
    try:
        return SealingKey(kek, "kek").open(slot.wrapped, slot.aad(vault_id))
    except SealBroken:
        if slot.kind == "recovery":
            raise WrongSecret(_("This recovery code does not open the vault.")) from None
        raise WrongSecret(_("Wrong passphrase.")) from None


def check_passphrase(passphrase: str) -> bytes:
    """Refuse passphrases that are too short; return the UTF-8 bytes to derive from."""
    from kisi_desktop.core.errors import WeakPassphrase

    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(
            _("The passphrase must have at least {n} characters.").format(n=MIN_PASSPHRASE_LENGTH)
        )
    return passphrase_bytes(passphrase)


def passphrase_bytes(passphrase: str) -> bytes:
    """The bytes a passphrase derives from: NFC first, so "ä" typed or pasted as "a" plus
    a combining mark opens the vault alike."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def wrap_key(vmk: bytes, key: bytes, role: str, key_ref: str, vault_id: bytes) -> bytes:
    """Wrap a data, person or other key under the master key, bound to its role and ref."""
    return SealingKey(vmk, "vmk").seal(key, length_prefixed("KISI-KEY", vault_id, role, key_ref))


def unwrap_key(vmk: bytes, wrapped: bytes, role: str, key_ref: str, vault_id: bytes) -> bytes:
    """Inverse of :func:`wrap_key`; :class:`SealBroken` if anything does not match."""
    return SealingKey(vmk, "vmk").open(
        wrapped, length_prefixed("KISI-KEY", vault_id, role, key_ref)
    )
