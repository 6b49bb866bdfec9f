"""manifest.json: what a bundle claims, in canonical JSON, checked field by field.

The manifest is the only thing the municipality signs; everything else in the bundle is
bound to it by SHA-256 and size. It is encoded canonically (sorted keys, no whitespace, no
floats) so the same facts always give the same bytes, the same hash and the same
signature: a bundle re-created from the vault for the same epoch and sequence is the same
bundle. Parsing is strict: unknown or missing fields, wrong types and out-of-range values
are refused with a reason code before any data file is read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kisi_desktop.core.i18n import _

from kisi_desktop.bundles import strict_json
from kisi_desktop.bundles.limits import MAX_MANIFEST
from kisi_desktop.bundles.reasons import MALFORMED, UNSUPPORTED_VERSION, Rejected

FORMAT = "kisi-bundle/1"
COMMENT_PREFIX = "kisi-bundle/1"
PSEUDONYM_SCHEME = "hmac-sha256/v1"
SUPPRESSION_THRESHOLD = 5
CREATED_AT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# The fixed allowlist of data files: nothing else may be in a bundle.
INDICATORS = "data/indicators.jsonl"
REPORT = "data/report.jsonl"
PARTICIPATION = "data/participation.jsonl"
DATA_FILES = (INDICATORS, REPORT, PARTICIPATION)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.minisig"
MEMBERS = (MANIFEST, SIGNATURE, *DATA_FILES)
DATA_SCHEMAS = {INDICATORS: 2, REPORT: 2, PARTICIPATION: 1}
"""The schema of each data file as this version writes it. Indicators 2: a breakdown cell
held back beside a small one is :data:`WITHHELD_MARK`, not a number; report 2: the same
in the report tables' counts of people that add up to a total (FORMAT.md)."""
READABLE_SCHEMAS: Mapping[str, tuple[int, ...]] = {
    INDICATORS: (1, 2),
    REPORT: (1, 2),
    PARTICIPATION: (1,),
}
"""The schemas this version reads: older bundles too (indicators 1 and report 1, without
the mark)."""
WITHHELD_MARK = "withheld"
"""A breakdown cell held back so that a small cell beside it cannot be worked out from the
row's count (``reports.indicators.WITHHELD``): some whole number from 0, not told."""

_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX16 = re.compile(r"[0-9a-f]{16}")
_KEY_ID = re.compile(r"[0-9A-F]{16}")
_AGS = re.compile(r"\d{8}")
_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_VERSION = re.compile(r"[0-9A-Za-z.+-]{1,40}")
_MAX_SEQ = 1_000_000_000


BUNDLE_FILE_NAME = re.compile(r"KISI_\d{8}_[0-9a-f]{16}_\d{6,10}_\d{8}\.kisi")
"""``KISI_<AGS>_<device>_<seq:06d>_<YYYYMMDD>.kisi``, the name the export gives a bundle
(:func:`file_name`): the only file name the ministry may keep or repeat."""


def file_name(ags: str, device_id: str, seq: int, created_at: str) -> str:
    """A bundle's file name: ``KISI_<AGS>_<device>_<seq:06d>_<YYYYMMDD>.kisi``."""
    return f"KISI_{ags}_{device_id}_{seq:06d}_{created_at[:10].replace('-', '')}.kisi"


def is_bundle_file_name(name: str) -> bool:
    """Whether ``name`` (no folder) is a name the export gives bundles.

    Anything else may be someone's name ("Befund_Anna_Mueller.pdf" picked through "All
    files"), so the ministry neither stores nor repeats it.
    """
    return BUNDLE_FILE_NAME.fullmatch(name) is not None


def sha256_hex(data: bytes) -> str:
    """SHA-256 as lower-case hex: how every hash in the formats is written."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One data file as the manifest vouches for it."""

    name: str
    size: int
    sha256: str
    records: int
    schema: int

    def as_json(self) -> dict[str, Any]:
        """The manifest's spelling."""
        return {
            "name": self.name,
            "records": self.records,
            "schema": self.schema,
            "sha256": self.sha256,
            "size": self.size,
        }


@dataclass(frozen=True, slots=True)
class Manifest:
    """The signed facts of one bundle (SECURITY.md, "Manifest fields")."""

    bundle_id: str
    municipality_ags: str
    device_id: str
    device_epoch: int
    seq: int
    prev_manifest_sha256: str | None
    epoch_start_receipt_sha256: str | None
    period_start: date
    period_end: date
    created_at: str
    app_version: str
    recipients: tuple[str, ...]
    signer_key_id: str
    audit_head_seq: int
    audit_head_mac: str
    files: tuple[FileEntry, ...]
    pseudonym_scheme: str | None = None
    schemas: tuple[tuple[str, int], ...] = tuple(sorted(DATA_SCHEMAS.items()))
    """``schema_versions``: what the writer wrote (an older bundle's are older)."""
    suppression_threshold: int = SUPPRESSION_THRESHOLD
    profile: str = "p1"
    format: str = FORMAT

    def as_json(self) -> dict[str, Any]:
        """The manifest as a JSON object (before canonical encoding)."""
        return {
            "app_version": self.app_version,
            "audit_head": {"mac": self.audit_head_mac, "seq": self.audit_head_seq},
            "bundle_id": self.bundle_id,
            "created_at": self.created_at,
            "device_epoch": self.device_epoch,
            "device_id": self.device_id,
            "epoch_start": (
                None
                if self.prev_manifest_sha256 is not None
                else {"last_receipt_sha256": self.epoch_start_receipt_sha256}
            ),
            "files": [f.as_json() for f in self.files],
            "format": self.format,
            "municipality_ags": self.municipality_ags,
            "period": {"end": self.period_end.isoformat(), "start": self.period_start.isoformat()},
            "prev_manifest_sha256": self.prev_manifest_sha256,
            "profile": self.profile,
            "pseudonym_scheme": self.pseudonym_scheme,
            "recipients": list(self.recipients),
            "schema_versions": dict(self.schemas),
            "seq": self.seq,
            "signer_key_id": self.signer_key_id,
            "suppression_threshold": self.suppression_threshold,
        }

    def encode(self) -> bytes:
        """Canonical JSON: the bytes that are signed and hashed."""
        return strict_json.dumps(self.as_json())

    @property
    def created(self) -> datetime:
        """``created_at`` as an aware UTC datetime (:func:`parse_manifest` checked it is one)."""
        return datetime.strptime(self.created_at, CREATED_AT_FORMAT).replace(tzinfo=UTC)

    def trusted_comment(self) -> str:
        """The minisign trusted comment: who, which device and sequence, which manifest."""
        return trusted_comment(self, sha256_hex(self.encode()))

    def file(self, name: str) -> FileEntry | None:
        """The entry for data file ``name``, if the bundle has it."""
        return next((f for f in self.files if f.name == name), None)

    def schema(self, name: str) -> int:
        """The schema data file ``name`` was written in (whether the bundle has it or not)."""
        return dict(self.schemas)[name]


def trusted_comment(manifest: Manifest, manifest_sha256: str) -> str:
    """``kisi-bundle/1 ags=<AGS> dev=<id> epoch=<e> seq=<n> manifest-sha256=<hex>``."""
    return (
        f"{COMMENT_PREFIX} ags={manifest.municipality_ags} dev={manifest.device_id} "
        f"epoch={manifest.device_epoch} seq={manifest.seq} manifest-sha256={manifest_sha256}"
    )


# -- strict reading ------------------------------------------------------------------------


def _bad(what: str) -> Rejected:
    return Rejected(MALFORMED, _("The bundle manifest is malformed: {what}.").format(what=what))


def _obj(value: Any, what: str, keys: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _bad(_("{what} must be an object").format(what=what))
    if set(value) != keys:
        raise _bad(_("{what} has unexpected or missing fields").format(what=what))
    return value


def _text(value: Any, what: str, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        raise _bad(_("{what} is not valid").format(what=what))
    return value


def _int(value: Any, what: str, low: int, high: int) -> int:
    # bool is an int in Python; JSON true must not pass as 1.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(_("{what} is not a whole number in range").format(what=what))
    return value


def _day(value: Any, what: str) -> date:
    text = _text(value, what, re.compile(r"\d{4}-\d\d-\d\d"))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _bad(_("{what} is not a date").format(what=what)) from None


def _time(value: Any, what: str) -> str:
    text = _text(value, what, _UTC)
    try:  # the pattern alone lets 2026-13-45T25:61:61Z through
        datetime.strptime(text, CREATED_AT_FORMAT)
    except ValueError:
        raise _bad(_("{what} is not valid").format(what=what)) from None
    return text


def _optional_hex(value: Any, what: str) -> str | None:
    return None if value is None else _text(value, what, _HEX64)


_TOP = {
    "app_version",
    "audit_head",
    "bundle_id",
    "created_at",
    "device_epoch",
    "device_id",
    "epoch_start",
    "files",
    "format",
    "municipality_ags",
    "period",
    "prev_manifest_sha256",
    "profile",
    "pseudonym_scheme",
    "recipients",
    "schema_versions",
    "seq",
    "signer_key_id",
    "suppression_threshold",
}


def _schemas(value: Any) -> dict[str, int]:
    """``schema_versions``: every data file named, each in a schema this version reads.

    A newer app's schema is refused in words the ministry's clerk and the guide can act on:
    the app sends a refused bundle's days again with its next one (whose gap the operator
    lets pass, as after any refused bundle); a value that is no schema at all is malformed.
    """
    if not isinstance(value, dict) or set(value) != set(DATA_SCHEMAS):
        raise _bad(_("schema_versions"))
    schemas = {name: _int(value[name], "schema_versions", 1, 10_000) for name in DATA_SCHEMAS}
    if any(schemas[name] not in READABLE_SCHEMAS[name] for name in schemas):
        raise Rejected(
            UNSUPPORTED_VERSION,
            _(
                "The bundle was written by a newer KISI Desktop than the ministry's, in a "
                "data format this version cannot read yet. Nothing was imported. The "
                "ministry should update KISI Desktop; the municipality's next bundle then "
                "carries these days again."
            ),
        )
    return schemas


def parse_manifest(data: bytes) -> Manifest:
    """A :class:`Manifest` from untrusted bytes, or :class:`Rejected`.

    The bytes must also be the canonical encoding of what they say: a manifest that parses
    but is spelled differently (spaces, key order) was not written by KISI and is refused,
    so one set of facts has exactly one manifest hash.
    """
    raw = strict_json.loads(data, what="manifest.json", max_bytes=MAX_MANIFEST)
    if not isinstance(raw, dict):
        raise _bad(_("not an object"))
    fmt = raw.get("format")
    if fmt != FORMAT:
        if isinstance(fmt, str) and fmt.startswith("kisi-bundle/"):
            raise Rejected(
                UNSUPPORTED_VERSION,
                _("Bundle format {found} is not supported by this version.").format(found=fmt),
            )
        raise _bad(_("format"))
    top = _obj(raw, "manifest", _TOP)
    if top["profile"] != "p1":
        raise Rejected(
            UNSUPPORTED_VERSION,
            _("Crypto profile {name} is not supported by this version.").format(
                name=str(top["profile"])[:20]
            ),
        )
    period = _obj(top["period"], "period", {"start", "end"})
    audit = _obj(top["audit_head"], "audit_head", {"seq", "mac"})
    seq = _int(top["seq"], "seq", 1, _MAX_SEQ)
    prev = _optional_hex(top["prev_manifest_sha256"], "prev_manifest_sha256")
    epoch_start = top["epoch_start"]
    start_receipt: str | None = None
    if prev is None:
        if seq != 1 and epoch_start is None:
            raise _bad(_("only the first bundle of an epoch may lack a previous manifest"))
        start = _obj(epoch_start, "epoch_start", {"last_receipt_sha256"})
        start_receipt = _optional_hex(start["last_receipt_sha256"], "last_receipt_sha256")
    elif epoch_start is not None:
        raise _bad(_("epoch_start is only for the first bundle of an epoch"))
    if prev is None and seq != 1:
        raise _bad(_("only the first bundle of an epoch may lack a previous manifest"))
    recipients = top["recipients"]
    if not isinstance(recipients, list) or not 1 <= len(recipients) <= 16:
        raise _bad(_("recipients"))
    schemas = _schemas(top["schema_versions"])
    files_raw = top["files"]
    if not isinstance(files_raw, list) or len(files_raw) > len(DATA_FILES):
        raise _bad(_("files"))
    files: list[FileEntry] = []
    for item in files_raw:
        entry = _obj(item, "file", {"name", "size", "sha256", "records", "schema"})
        name = entry["name"]
        if name not in DATA_FILES or any(f.name == name for f in files):
            raise _bad(_("file name"))
        files.append(
            FileEntry(
                name=name,
                size=_int(entry["size"], "size", 0, 2**40),
                sha256=_text(entry["sha256"], "sha256", _HEX64),
                records=_int(entry["records"], "records", 0, 10**9),
                schema=_int(entry["schema"], "schema", schemas[name], schemas[name]),
            )
        )
    scheme = top["pseudonym_scheme"]
    if scheme not in (None, PSEUDONYM_SCHEME):
        raise Rejected(UNSUPPORTED_VERSION, _("Unknown pseudonym scheme."))
    manifest = Manifest(
        bundle_id=_text(top["bundle_id"], "bundle_id", _UUID4),
        municipality_ags=_text(top["municipality_ags"], "municipality_ags", _AGS),
        device_id=_text(top["device_id"], "device_id", _HEX16),
        device_epoch=_int(top["device_epoch"], "device_epoch", 1, 10_000),
        seq=seq,
        prev_manifest_sha256=prev,
        epoch_start_receipt_sha256=start_receipt,
        period_start=_day(period["start"], "period.start"),
        period_end=_day(period["end"], "period.end"),
        created_at=_time(top["created_at"], "created_at"),
        app_version=_text(top["app_version"], "app_version", _VERSION),
        recipients=tuple(_text(r, "recipient", _HEX64) for r in recipients),
        signer_key_id=_text(top["signer_key_id"], "signer_key_id", _KEY_ID),
        audit_head_seq=_int(audit["seq"], "audit_head.seq", 0, 2**62),
        audit_head_mac=_text(audit["mac"], "audit_head.mac", _HEX64),
        files=tuple(files),
        pseudonym_scheme=scheme,
        schemas=tuple(sorted(schemas.items())),
        suppression_threshold=_int(top["suppression_threshold"], "suppression_threshold", 5, 5),
    )
    if manifest.period_end < manifest.period_start:
        raise _bad(_("the period ends before it starts"))
    if (PARTICIPATION in {f.name for f in files}) != (scheme is not None):
        raise _bad(_("participation rows and pseudonym scheme must come together"))
    if manifest.encode() != data:
        raise _bad(_("not in canonical form"))
    return manifest
