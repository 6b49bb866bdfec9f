"""BundleEntry: one line of the ledger of bundles this device sent to the ministry.

The ledger is what lets a guide answer "did the ministry get our figures?" and what keeps
the sequence honest: every bundle gets the next sequence number of this device's epoch, the
SHA-256 of its manifest chains it to the one before, and the signed payload (aggregates or
pseudonyms only, never names) is kept so that a lost file can be re-created with the same
manifest and a fresh encryption. Receipt and upload fields change as the bundle travels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import Many, Maybe
from kisi_desktop.core.domain.fields import Day, Id, Text, Whole
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

HEX_64 = re.compile(r"[0-9a-f]{64}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
STATUS = re.compile(r"prepared|exported|uploaded|confirmed|rejected")
RECEIPT_STATUS = re.compile(r"imported|duplicate|rejected")
REASON = re.compile(r"[a-z_]{1,40}")
BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
# "<indicator code>|<person id>": who was reported for which indicator.
REPORTED = re.compile(r"[A-Za-z0-9._-]{1,40}\|[0-9a-f]{32}")
# A bundle's signed payload: aggregates are a few dozen KiB; pseudonymous participation
# rows for a few thousand people stay well under a few MiB.
PAYLOAD_MAX = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class BundleEntry(RecordBase):
    """A bundle exported by this device: its place in the sequence and where it stands."""

    KIND: ClassVar[str] = "bundle_entry"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: Annotated[str, Id()] = field(default_factory=new_id)
    epoch: Annotated[int, Whole(1, 10_000)]
    seq: Annotated[int, Whole(1, 1_000_000_000)]
    bundle_id: Annotated[str, Text(36, required=True, pattern=UUID)]
    manifest_sha256: Annotated[str, Text(64, required=True, pattern=HEX_64)]
    file_name: Annotated[str, Text(120, required=True)]
    period_start: Annotated[date, Day()]
    period_end: Annotated[date, Day()]
    created_at: Annotated[str, Text(20, required=True, pattern=ISO_UTC)]
    payload_b64: Annotated[str, Text(PAYLOAD_MAX, required=True, pattern=BASE64)]
    # People counted as AMIF participants for the first time in this bundle: the next
    # bundle leaves them out so that each person counts once for the project.
    reported_people: Annotated[tuple[str, ...], Many(Text(80, pattern=REPORTED), 1_000_000)] = ()
    status: Annotated[str, Text(12, required=True, pattern=STATUS)] = "prepared"
    # The last written file's hash (each writing encrypts afresh, so it changes).
    file_sha256: Annotated[str | None, Maybe(Text(64, pattern=HEX_64))] = None
    receipt_status: Annotated[str | None, Maybe(Text(12, pattern=RECEIPT_STATUS))] = None
    receipt_reason: Annotated[str | None, Maybe(Text(40, pattern=REASON))] = None
    receipt_at: Annotated[str | None, Maybe(Text(20, pattern=ISO_UTC))] = None
    receipt_sha256: Annotated[str | None, Maybe(Text(64, pattern=HEX_64))] = None
    upload_attempts: Annotated[int, Whole(0, 1_000_000)] = 0
    next_upload_at: Annotated[str | None, Maybe(Text(20, pattern=ISO_UTC))] = None
    upload_error: Annotated[str, Text(500)] = ""
    # The audit head the manifest names (``audit_head``): the unlock checks that the chain
    # still holds it (Workspace, SECURITY.md 6.1.6). Kept beside the signed payload so the
    # check needs no ZIP reader in the core; None in entries made before it was recorded.
    audit_seq: Annotated[int | None, Maybe(Whole(0, 2**62))] = None
    audit_mac: Annotated[str | None, Maybe(Text(64, pattern=HEX_64))] = None

    def _check(self) -> None:
        if (self.audit_seq is None) != (self.audit_mac is None):
            raise ValidationError("audit_mac", _("An audit head needs its entry and its MAC."))

    def label(self) -> str:
        """Sequence and file: what the ledger shows."""
        return f"#{self.seq} {self.file_name}"
