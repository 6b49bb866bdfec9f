"""InstalledContentPack: the vault's pointer to the handout texts the ministry last sent.

A content pack (``bundles/content_packs.py``) is unpacked into a directory of its own
beside the vault; this record says which directory is the current one and what the signed
``pack.json`` said about it. Installing a newer pack writes its directory first and then
replaces this record in one vault transaction, so a crash leaves either the old pointer
(old texts in use) or the new one, never a half-written pack in use.

The record also keeps ``time_floor``: the newest signed creation time seen, below which the
app's idea of "now" never falls, so that turning the laptop's clock back cannot make an
expired pack look fresh again (SECURITY.md, "Trusted time").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import Many
from kisi_desktop.core.domain.fields import Day, Id, Text, Whole
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

HEX_64 = re.compile(r"[0-9a-f]{64}")
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
PACK_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
DIRECTORY = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z]{2,8})?")


@dataclass(frozen=True, slots=True, kw_only=True)
class InstalledContentPack(RecordBase):
    """Which signed pack is in use: its identity, validity, directory and languages."""

    KIND: ClassVar[str] = "content_pack"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: Annotated[str, Id()] = field(default_factory=new_id)
    pack_id: Annotated[str, Text(64, required=True, pattern=PACK_ID)]
    version: Annotated[int, Whole(1, 2**53)]
    # SHA-256 of the signed pack.json: the pack's identity (two packs with the same
    # version and another hash are an equivocation, however they were zipped).
    pack_sha256: Annotated[str, Text(64, required=True, pattern=HEX_64)]
    created: Annotated[str, Text(20, required=True, pattern=ISO_UTC)]
    expires: Annotated[date, Day()]
    installed_on: Annotated[date, Day()]
    directory: Annotated[str, Text(128, required=True, pattern=DIRECTORY)]
    languages: Annotated[tuple[str, ...], Many(Text(12, required=True, pattern=LANGUAGE), 100)]
    time_floor: Annotated[str, Text(20, required=True, pattern=ISO_UTC)]

    def _check(self) -> None:
        # Both are fixed-width ISO UTC texts, so text order is time order.
        if self.time_floor < self.created:
            raise ValidationError("time_floor", _("Not in a valid format."))

    def label(self) -> str:
        """Series and version, as the status line shows them."""
        return f"{self.pack_id} v{self.version}"
