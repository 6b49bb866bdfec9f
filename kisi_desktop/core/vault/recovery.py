"""Recovery codes: 160 random bits, printed as 8 groups of 4 Base32 characters plus a check.

Example: ``ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-K``. The code is high-entropy, so HKDF
(not a slow KDF) turns it into a key-encryption key. The check character catches almost
every typing error before the vault is even touched.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from kisi_desktop.core.errors import WrongSecret
from kisi_desktop.core.i18n import _

CODE_BYTES = 20
# The printed shape, for the message that asks for the whole code (its check character
# does not fit: typed in, it is a typing error, never a code).
EXAMPLE = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-K"
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# Characters people confuse when copying by hand, mapped to what they meant.
_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})


def generate() -> bytes:
    """Fresh random recovery secret."""
    return secrets.token_bytes(CODE_BYTES)


def _check_char(secret: bytes) -> str:
    return _ALPHABET[hashlib.sha256(b"kisi-recovery" + secret).digest()[0] % 32]


def format_code(secret: bytes) -> str:
    """The printable form shown once at set-up."""
    body = base64.b32encode(secret).decode("ascii")
    groups = [body[i : i + 4] for i in range(0, len(body), 4)]
    return "-".join([*groups, _check_char(secret)])


def as_read(text: str) -> str:
    """Typed code text as the code reads it: letters and digits only, upper case, and the
    digits that look like letters (0, 1, 8, 9) read as those letters."""
    return "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)


def parse_code(text: str) -> bytes:
    """Read a typed recovery code back; spaces, dashes and case do not matter."""
    cleaned = as_read(text)
    if len(cleaned) != 33 or any(ch not in _ALPHABET for ch in cleaned):
        # In the words of the sheet the guide holds, not a count of characters to check.
        raise WrongSecret(
            _(
                "Type the whole recovery code as it stands on its sheet: 9 groups, for "
                "example {example}."
            ).format(example=EXAMPLE)
        )
    secret = base64.b32decode(cleaned[:32])
    if _check_char(secret) != cleaned[32]:
        raise WrongSecret(_("The recovery code contains a typing error; please check it."))
    return secret
