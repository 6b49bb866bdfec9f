"""The provisioning file: the ministry's keys and addresses, signed by its root key.

A municipality's app learns from this one file whom to encrypt bundles to (age
recipients), whose signatures to accept on content packs and receipts (separate keys, one
per purpose), where to upload and which TLS key the intake server must present, and
whether the ministry asks for pseudonymous participation rows. The file is a ZIP of
``provisioning.json`` (canonical JSON) and its minisign signature by the ministry's root
key. The root is trusted because it is compiled into the build, or pinned in the vault by
an earlier file, or because the guide confirmed its fingerprint with the ministry by phone
or letter. Demo files say so, are refused unless demo use was asked for, and never replace
a real file.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.core.clock import today
from kisi_desktop.core.domain.provisioning import ProvisioningRecord
from kisi_desktop.core.i18n import N_, _, format_date
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import minisign, strict_json
from kisi_desktop.bundles.limits import MAX_PROVISIONING_FILE
from kisi_desktop.bundles.minisign import PublicKey
from kisi_desktop.bundles.reasons import (
    BAD_SIGNATURE,
    DEMO_KEY,
    EXPIRED,
    MALFORMED,
    ROLLBACK,
    UNSUPPORTED_VERSION,
    UNTRUSTED_ROOT,
    Rejected,
)
from kisi_desktop.bundles.signed_document import SignedFormat

from kisi_desktop import __version__

FORMAT = "kisi-provisioning/1"
DOCUMENT = "provisioning.json"
SIGNATURE = "provisioning.json.minisig"
MALFORMED_FILE = N_("The provisioning file is malformed: {what}.")
SIGNED = SignedFormat(
    document=DOCUMENT,
    max_file=MAX_PROVISIONING_FILE,
    what=N_("provisioning file"),
    too_large=N_("The provisioning file is larger than allowed."),
    signature_too_large=N_("The provisioning signature is larger than allowed."),
    malformed=MALFORMED_FILE,
    incomplete=N_("it needs exactly the document and its signature"),
    unsigned_changed=N_(
        "The provisioning file's signature was changed outside its signed part "
        "(the untrusted comment)."
    ),
    unreadable=N_(
        "This file is not a provisioning file from the ministry, or it is damaged or "
        "incomplete (for example copied off the USB stick too early). Copy it again, or ask "
        "the ministry to send the provisioning file again."
    ),
)
ROOTS_FILE = Path(__file__).resolve().parents[2] / "resources" / "data" / "ministry_roots.json"

_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_LINE = re.compile(r"[A-Za-z0-9+/]{56}")
_AGE = re.compile(r"age1[02-9ac-hj-np-z]{58}")
_VERSION = re.compile(r"[0-9A-Za-z.+-]{1,40}")
_URL = re.compile(r"https://[A-Za-z0-9.-]{1,253}(:\d{1,5})?(/[A-Za-z0-9._~/-]{0,200})?")
_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@dataclass(frozen=True, slots=True)
class Provisioning:
    """A verified provisioning document."""

    version: int
    issued: str
    expires: date
    demo: bool
    root_key: str
    age_recipients: tuple[str, ...]
    content_key_lines: tuple[str, ...]
    receipt_key_lines: tuple[str, ...]
    intake_url: str | None
    spki_pins: tuple[str, ...]
    participation_rows: bool
    min_app_version: str
    profile: str = "p1"

    @property
    def content_keys(self) -> tuple[PublicKey, ...]:
        """Keys whose signatures on content packs are accepted."""
        return tuple(minisign.parse_public_key(k) for k in self.content_key_lines)

    @property
    def receipt_keys(self) -> tuple[PublicKey, ...]:
        """Keys whose signatures on receipts are accepted."""
        return tuple(minisign.parse_public_key(k) for k in self.receipt_key_lines)

    def as_json(self) -> dict[str, Any]:
        """The document's fields, as signed."""
        return {
            "age_recipients": list(self.age_recipients),
            "content_keys": list(self.content_key_lines),
            "demo": self.demo,
            "expires": self.expires.isoformat(),
            "format": FORMAT,
            "intake_tls_spki_pins": list(self.spki_pins),
            "intake_url": self.intake_url,
            "issued": self.issued,
            "min_app_version": self.min_app_version,
            "participation_rows": self.participation_rows,
            "profile": self.profile,
            "receipt_keys": list(self.receipt_key_lines),
            "root_key": self.root_key,
            "version": self.version,
        }


def version_tuple(text: str) -> tuple[int, ...]:
    """``"1.2.3"`` as ``(1, 2, 3)`` for comparing; a part that is not a number ends it."""
    parts = []
    for part in text.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        parts.append(int(digits.group()))
        if digits.group() != part:
            break
    return tuple(parts)


def fingerprint(root_key_line: str) -> str:
    """What the guide reads out to the ministry: SHA-256 of the key line, in groups of 4."""
    digest = hashlib.sha256(root_key_line.encode("ascii")).hexdigest().upper()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def compiled_roots() -> frozenset[str]:
    """Root keys this build trusts without asking."""
    data = json.loads(ROOTS_FILE.read_text(encoding="utf-8"))
    return frozenset(str(k) for k in data.get("roots", ()))


def write_provisioning(doc: Provisioning, root_private: Ed25519PrivateKey, key_id: bytes) -> bytes:
    """The signed provisioning file for ``doc`` (the ministry's side)."""
    body = strict_json.dumps(doc.as_json())
    comment = f"{FORMAT} version={doc.version} sha256={hashlib.sha256(body).hexdigest()}"
    signature = minisign.sign(body, root_private, key_id, trusted_comment=comment)
    return SIGNED.write(body, signature)


def _bad(what: str) -> Rejected:
    return Rejected(MALFORMED, _(MALFORMED_FILE).format(what=what))


def _strings(value: Any, what: str, pattern: re.Pattern[str], most: int) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > most:
        raise _bad(what)
    if not all(isinstance(v, str) and pattern.fullmatch(v) for v in value):
        raise _bad(what)
    if len(set(value)) != len(value):
        raise _bad(what)
    return tuple(value)


def _document(raw: Any) -> Provisioning:
    if not isinstance(raw, dict):
        raise _bad(_("not an object"))
    if raw.get("format") != FORMAT:
        fmt = raw.get("format")
        if isinstance(fmt, str) and fmt.startswith("kisi-provisioning/"):
            raise Rejected(
                UNSUPPORTED_VERSION,
                _("Provisioning format {found} is not supported by this version.").format(
                    found=fmt[:40]
                ),
            )
        raise _bad("format")
    keys = set(Provisioning.__dataclass_fields__) - {
        "content_key_lines",
        "receipt_key_lines",
        "spki_pins",
    }
    keys |= {"content_keys", "receipt_keys", "intake_tls_spki_pins", "format"}
    if set(raw) != keys:
        raise _bad(_("unexpected or missing fields"))
    if raw["profile"] != "p1":
        raise Rejected(UNSUPPORTED_VERSION, _("The provisioning file names an unknown profile."))
    version = raw["version"]
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 10**9:
        raise _bad("version")
    for name in ("demo", "participation_rows"):
        if not isinstance(raw[name], bool):
            raise _bad(name)
    try:
        expires = date.fromisoformat(raw["expires"]) if isinstance(raw["expires"], str) else None
    except ValueError:
        expires = None
    if expires is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", raw["expires"]):
        raise _bad("expires")
    url = raw["intake_url"]
    if url is not None and (not isinstance(url, str) or not _URL.fullmatch(url)):
        raise _bad("intake_url")
    if not isinstance(raw["issued"], str) or not _UTC.fullmatch(raw["issued"]):
        raise _bad("issued")
    if not isinstance(raw["min_app_version"], str) or not _VERSION.fullmatch(
        raw["min_app_version"]
    ):
        raise _bad("min_app_version")
    if not isinstance(raw["root_key"], str) or not _KEY_LINE.fullmatch(raw["root_key"]):
        raise _bad("root_key")
    doc = Provisioning(
        version=version,
        issued=raw["issued"],
        expires=expires,
        demo=raw["demo"],
        root_key=raw["root_key"],
        age_recipients=_strings(raw["age_recipients"], "age_recipients", _AGE, 16),
        content_key_lines=_strings(raw["content_keys"], "content_keys", _KEY_LINE, 8),
        receipt_key_lines=_strings(raw["receipt_keys"], "receipt_keys", _KEY_LINE, 8),
        intake_url=url,
        spki_pins=_strings(raw["intake_tls_spki_pins"], "intake_tls_spki_pins", _HEX64, 8),
        participation_rows=raw["participation_rows"],
        min_app_version=raw["min_app_version"],
    )
    if not doc.age_recipients or not doc.receipt_key_lines or not doc.content_key_lines:
        raise _bad(_("a provisioning file needs recipients, receipt and content keys"))
    if doc.intake_url is not None and not doc.spki_pins:
        raise _bad(_("an intake address needs a pinned server key"))
    try:
        for line in (doc.root_key, *doc.content_key_lines, *doc.receipt_key_lines):
            minisign.parse_public_key(line)
    except minisign.SignatureError as error:
        raise _bad(str(error)) from None
    return doc


def read_provisioning(
    data: bytes,
    *,
    pinned_root: str | None = None,
    confirmed_fingerprint: str | None = None,
    allow_demo: bool = False,
    on: date | None = None,
) -> Provisioning:
    """A verified provisioning document, or :class:`Rejected` naming what is wrong.

    Order: size, ZIP, signature by the root key the document names (so nothing else of it
    is believed before the signature holds), then trust in that root, demo, expiry.
    """
    body, signature = SIGNED.read(data)
    doc = _document(strict_json.loads(body, what=DOCUMENT, max_bytes=MAX_PROVISIONING_FILE))
    if strict_json.dumps(doc.as_json()) != body:
        raise _bad(_("not in canonical form"))
    root = minisign.parse_public_key(doc.root_key)
    try:
        verified = minisign.verify(body, signature, root)
    except minisign.SignatureError as error:
        raise Rejected(BAD_SIGNATURE, str(error)) from None
    SIGNED.check_written(signature)
    expected = f"{FORMAT} version={doc.version} sha256={hashlib.sha256(body).hexdigest()}"
    if verified.trusted_comment != expected:
        raise Rejected(BAD_SIGNATURE, _("The signed comment does not match the document."))
    if pinned_root is not None:
        if doc.root_key != pinned_root:
            raise Rejected(
                UNTRUSTED_ROOT,
                _("This file is signed by another ministry key than the one installed."),
            )
    elif doc.root_key not in compiled_roots():
        wanted = fingerprint(doc.root_key)
        given = " ".join(
            (confirmed_fingerprint or "").upper().replace(" ", "")[i : i + 4]
            for i in range(0, 32, 4)
        ).strip()
        if given != wanted:
            raise Rejected(
                UNTRUSTED_ROOT,
                _(
                    "The ministry key of this file is not yet trusted. Confirm its "
                    "fingerprint {fingerprint} with the ministry (phone or letter) and "
                    "enter it to continue."
                ).format(fingerprint=wanted),
            )
    if version_tuple(doc.min_app_version) > version_tuple(__version__):
        raise Rejected(
            UNSUPPORTED_VERSION,
            _(
                "This provisioning file needs KISI Desktop {needed} or newer (this is {this})."
            ).format(needed=doc.min_app_version, this=__version__),
        )
    if doc.demo and not allow_demo:
        raise Rejected(
            DEMO_KEY,
            _("This is a DEMO provisioning file; it is only accepted when demo use is chosen."),
        )
    if on is not None and doc.expires < on:
        raise Rejected(
            EXPIRED,
            _("The provisioning file expired on {day}.").format(day=format_date(doc.expires)),
        )
    return doc


def _installed(ws: Workspace) -> ProvisioningRecord | None:
    records = ws.list(ProvisioningRecord)
    return max(records, key=lambda r: r.version) if records else None


def current_provisioning(ws: Workspace) -> Provisioning | None:
    """The installed document, verified again (the vault could be older than a root change)."""
    record = _installed(ws)
    if record is None:
        return None
    return read_provisioning(
        base64.b64decode(record.file_b64), pinned_root=record.root_key, allow_demo=record.demo
    )


def install_provisioning(
    ws: Workspace,
    data: bytes,
    *,
    confirmed_fingerprint: str | None = None,
    allow_demo: bool = False,
) -> Provisioning:
    """Verify ``data`` and make it the vault's provisioning, replacing the old one in one
    write, so there is always exactly one.

    A demo file never replaces a real one; an older version never replaces a newer one.
    """
    old = _installed(ws)
    pinned = old.root_key if old is not None and not old.demo else None
    doc = read_provisioning(
        data,
        pinned_root=pinned,
        confirmed_fingerprint=confirmed_fingerprint,
        allow_demo=allow_demo,
        on=today(ws.clock),
    )
    if old is not None and not old.demo and doc.demo:
        raise Rejected(DEMO_KEY, _("A demo provisioning file never replaces the ministry's."))
    if old is not None and old.demo == doc.demo and doc.version < old.version:
        raise Rejected(
            ROLLBACK,
            _("Version {new} is older than the installed version {old}.").format(
                new=doc.version, old=old.version
            ),
        )
    record = ProvisioningRecord(
        file_b64=base64.b64encode(data).decode("ascii"),
        root_key=doc.root_key,
        version=doc.version,
        demo=doc.demo,
        installed_on=today(ws.clock),
    )
    if old is None:
        ws.add(record)
    else:
        # The same record, new content: one write, so there is never zero or two.
        ws.update(dataclasses.replace(record, id=old.id))
    return doc


def recipients_of(doc: Provisioning) -> Sequence[str]:
    """The age recipients bundles are encrypted to."""
    return doc.age_recipients
