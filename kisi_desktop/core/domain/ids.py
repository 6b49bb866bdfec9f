"""Random record ids and their text form.

Ids are 128 random bits so that they carry no meaning (no counter that leaks how many
people an office advises, no date) and can stay in the clear on disk (DESIGN.md, "Data at
rest").
"""

from __future__ import annotations

import re
import secrets

from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

_ID_RE = re.compile(r"[0-9a-f]{32}")


def new_id() -> str:
    """A fresh record id: 32 lowercase hex characters from 16 random bytes."""
    return secrets.token_bytes(16).hex()


def check_id(value: str, field: str) -> str:
    """Return ``value`` if it is a well-formed id, else raise ValidationError naming ``field``."""
    if not isinstance(value, str) or _ID_RE.fullmatch(value) is None:
        raise ValidationError(field, _("Not a valid id."))
    return value
