"""Passphrase to key-encryption key with Argon2id (RFC 9106, BSI TR-02102-1 listed).

Parameters are stored in the key slot, so a vault opens with the cost it was made with.
Production parameters come from :func:`calibrate` and never go below :data:`FLOOR`;
weaker parameters exist only for tests, passed explicitly as :data:`TEST_PARAMS`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_LENGTH = 32
MAX_MEMORY_KIB = 1024 * 1024
MAX_ITERATIONS = 100


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost: memory in KiB, passes, lanes."""

    memory_kib: int
    iterations: int
    lanes: int = 1

    def to_json(self) -> str:
        """Canonical text form kept in the key slot (and hashed into its associated data)."""
        return json.dumps(
            {"alg": "argon2id", "m": self.memory_kib, "t": self.iterations, "p": self.lanes},
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> KdfParams:
        """Parse the stored form; anything unexpected means a damaged slot."""
        data = json.loads(text)
        # A hostile or damaged slot may hold any JSON (a list, a number): that is a damaged
        # slot too, never an AttributeError.
        if not isinstance(data, dict) or data.get("alg") != "argon2id":
            raise ValueError("unknown key derivation")
        m, t, p = data["m"], data["t"], data["p"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (m, t, p)):
            raise ValueError("bad key derivation parameters")
        # Refuse absurd values from a hostile file instead of trying to allocate them.
        # A hostile slot could otherwise ask for gigabytes and hours; calibration stays at
        # 64 MiB and well under 100 passes on any machine we support.
        if not (8 <= m <= MAX_MEMORY_KIB and 1 <= t <= MAX_ITERATIONS and 1 <= p <= 16):
            raise ValueError("key derivation parameters out of range")
        return cls(memory_kib=m, iterations=t, lanes=p)

    def meets_floor(self) -> bool:
        """True when the parameters are at least the production floor."""
        return self.memory_kib >= FLOOR.memory_kib and self.iterations >= FLOOR.iterations


# SECURITY.md 6.1.1: floor m = 64 MiB, t = 3, p = 1.
FLOOR = KdfParams(memory_kib=64 * 1024, iterations=3, lanes=1)
# For tests only: a few milliseconds instead of a second. Never chosen implicitly.
TEST_PARAMS = KdfParams(memory_kib=1024, iterations=1, lanes=1)


def derive_kek(secret: bytes, salt: bytes, params: KdfParams, ad: bytes) -> bytes:
    """Stretch a passphrase into a 32-byte key-encryption key.

    ``ad`` (the vault id) binds the key to this vault, as RFC 9106 associated data.
    """
    kdf = Argon2id(
        salt=salt,
        length=KEY_LENGTH,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
        ad=ad,
    )
    return kdf.derive(secret)


def calibrate(target_seconds: float = 0.6, max_seconds: float = 1.0) -> KdfParams:
    """Choose production parameters that take about ``target_seconds`` on this machine.

    Starts at the floor and raises the pass count; never returns less than :data:`FLOOR`.
    """
    salt = b"\x00" * 16
    params = FLOOR
    started = time.perf_counter()
    derive_kek(b"calibration", salt, params, b"")
    per_pass = max((time.perf_counter() - started) / params.iterations, 1e-4)
    wanted = int(target_seconds / per_pass)
    ceiling = max(int(max_seconds / per_pass), FLOOR.iterations)
    iterations = max(FLOOR.iterations, min(wanted, ceiling))
    return KdfParams(memory_kib=FLOOR.memory_kib, iterations=iterations, lanes=FLOOR.lanes)
