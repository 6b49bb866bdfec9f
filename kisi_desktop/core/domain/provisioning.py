"""ProvisioningRecord and PseudonymKey: what the app trusts and keeps for the ministry.

The provisioning file (signed by the ministry's root key) brings the ministry's age
recipients, content and receipt keys, intake address and certificate pins. The vault keeps
the file as received, with the root key that signed it pinned: later files must come from
the same root, and a demo file never replaces a real one. It is re-verified on every use.

The pseudonym key turns a person into the keyed hash that participation rows carry. It is
the municipality's, not the ministry's: only with it can the pseudonyms be linked to names,
so it never leaves the municipality's devices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.fields import Day, Flag, Id, Text, Whole
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase

BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
HEX_64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvisioningRecord(RecordBase):
    """The installed provisioning file (base64) and the root key it was signed by."""

    KIND: ClassVar[str] = "provisioning"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: Annotated[str, Id()] = field(default_factory=new_id)
    file_b64: Annotated[str, Text(512 * 1024, required=True, pattern=BASE64)]
    root_key: Annotated[str, Text(120, required=True, pattern=BASE64)]
    version: Annotated[int, Whole(1, 1_000_000_000)]
    demo: Annotated[bool, Flag()] = False
    installed_on: Annotated[date, Day()]

    def label(self) -> str:
        """Version and whether it is a demo."""
        return f"provisioning v{self.version}" + (" (demo)" if self.demo else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class PseudonymKey(RecordBase):
    """The municipality's secret for participation pseudonyms (HMAC-SHA256 key, hex)."""

    KIND: ClassVar[str] = "pseudonym_key"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: Annotated[str, Id()] = field(default_factory=new_id)
    key_hex: Annotated[str, Text(64, required=True, pattern=HEX_64)]
    created_on: Annotated[date, Day()]

    def label(self) -> str:
        """Never the key."""
        return "pseudonym key"
