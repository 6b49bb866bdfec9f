"""SigningKey: the municipality's Ed25519 key for bundle manifests, kept sealed in the vault.

Created once per vault (at set-up, or the first time a command needs it) together with a
random device id. The private key never leaves the vault: it is stored like any record,
sealed with the vault's data key, and only its public half is ever shown (in minisign
format, for registration with the ministry). A restore onto a new laptop starts a new
``epoch`` so the ministry can tell the two devices' bundle sequences apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.fields import Day, Id, Text, Whole
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase

HEX_64 = re.compile(r"[0-9a-f]{64}")
HEX_16 = re.compile(r"[0-9a-f]{16}")
HEX_32 = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True, slots=True, kw_only=True)
class SigningKey(RecordBase):
    """The Ed25519 private key (hex), its minisign key id (hex) and this device's identity."""

    KIND: ClassVar[str] = "signing_key"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: Annotated[str, Id()] = field(default_factory=new_id)
    private_key_hex: Annotated[str, Text(64, required=True, pattern=HEX_64)]
    key_id_hex: Annotated[str, Text(16, required=True, pattern=HEX_16)]
    device_id: Annotated[str, Text(16, required=True, pattern=HEX_16)]
    epoch: Annotated[int, Whole(1, 10_000)] = 1
    created_on: Annotated[date, Day()]
    # Which computer this epoch runs on (a keyed hash, see bundles/keys.py); a vault that
    # wakes up on another computer (restored, copied) starts a new epoch.
    machine_tag: Annotated[str, Text(32, pattern=HEX_32)] = ""

    def label(self) -> str:
        """Never the key: the device and epoch only."""
        return f"device {self.device_id} epoch {self.epoch}"
