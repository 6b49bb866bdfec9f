"""Purpose-bound subkeys derived from the vault master key with HKDF-SHA-256.

Each purpose has its own label, so a key used for one job is never valid for another.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

AUDIT_MAC = "kisi/v1/audit-mac"
AUDIT_SEAL = "kisi/v1/audit-seal"
RECOVERY_KEK = "kisi/v1/recovery-kek"


def derive_subkey(root: bytes, label: str, salt: bytes | None = None, length: int = 32) -> bytes:
    """Derive ``length`` bytes for ``label`` from ``root`` (optionally salted)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=length, salt=salt, info=label.encode("ascii")
    ).derive(root)
