"""Receipts: the ministry's signed word on what happened to one bundle.

The ministry signs a receipt for every bundle it looked at, with a key used for nothing
else, and the receipt travels back the way the bundle came (USB stick, mail, or as the
answer to an upload). The app believes a receipt only if a receipt key from its
provisioning file signed it and it names a bundle in the ledger by manifest hash; then the
bundle is *confirmed* (imported or duplicate) or marked *rejected* with the ministry's
reason code. File: a ZIP of ``receipt.json`` (canonical JSON) and ``receipt.json.minisig``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.core import crashpoints
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.i18n import N_, _
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import minisign, strict_json
from kisi_desktop.bundles.limits import MAX_RECEIPT_FILE
from kisi_desktop.bundles.manifest import file_name, sha256_hex
from kisi_desktop.bundles.minisign import PublicKey
from kisi_desktop.bundles.provisioning import current_provisioning
from kisi_desktop.bundles.reasons import (
    AUDIT_ROLLBACK,
    BAD_SIGNATURE,
    CODES,
    DROPPED,
    FORK,
    GAP,
    IMPLAUSIBLE,
    MALFORMED,
    NEW_EPOCH,
    NOT_PROVISIONED,
    REVOKED_KEY,
    UNKNOWN_MUNICIPALITY,
    UNSUPPORTED_VERSION,
    WRONG_DEVICE_KEY,
    Rejected,
)
from kisi_desktop.bundles.signed_document import SignedFormat

FORMAT = "kisi-receipt/1"
DOCUMENT = "receipt.json"
SIGNATURE = "receipt.json.minisig"
STATUSES = ("imported", "duplicate", "rejected", "held")
MALFORMED_FILE = N_("The receipt is malformed: {what}.")
SIGNED = SignedFormat(
    document=DOCUMENT,
    max_file=MAX_RECEIPT_FILE,
    what=N_("receipt"),
    too_large=N_("The receipt is larger than allowed."),
    signature_too_large=N_("The receipt signature is larger than allowed."),
    malformed=MALFORMED_FILE,
    incomplete=N_("it needs exactly the receipt and its signature"),
    unsigned_changed=N_(
        "The receipt's signature was changed outside its signed part (the untrusted comment)."
    ),
    unreadable=N_(
        "This file is not a receipt from the ministry, or it is damaged or incomplete (for "
        "example copied off the USB stick too early). Copy it again, or ask the ministry to "
        "send the receipt again."
    ),
)

# What a reason code means for the guide, where the ministry's message alone does not say
# what follows for the municipality. The other codes name a fault of the file or of its
# place in the sequence, which the ministry's message describes.
# What a receipt's reason means for the guide and what to do; the ministry's own message
# (written for its operators) follows. The code itself stays out of the guide's text. A
# damaged or unreadable bundle has none: the ministry's message says what to do already
# (bundle_reader._unreadable).
_CALL_THE_MINISTRY = N_(
    "The ministry does not accept bundles signed with this laptop's key. Please call the "
    "ministry before you send more."
)
REASON_SENTENCES = {
    DROPPED: N_(
        "The ministry has removed this bundle for good: its figures will never count. The "
        "ministry's message says why; ask the ministry whether to send these days again."
    ),
    GAP: N_(
        "The ministry is still waiting for an earlier bundle from this laptop; this one "
        "counts as soon as that one arrives. Send every bundle not yet sent."
    ),
    NEW_EPOCH: N_(
        "This bundle begins a new series (after a restore, or on a new laptop). The "
        "ministry confirms it, usually after a phone call; until then it waits there."
    ),
    FORK: N_(
        "The ministry already has another bundle with this number from this vault: a copy "
        "of the vault may be in use somewhere else. Please call the ministry before you "
        "send more."
    ),
    AUDIT_ROLLBACK: N_(
        "The vault's history is behind what the ministry already received: an older copy "
        "of the vault may be in use. Please call the ministry before you send more."
    ),
    UNKNOWN_MUNICIPALITY: N_(
        "The ministry does not know this laptop's key yet. Ask the ministry to register "
        "it; the bundle can be sent again afterwards."
    ),
    REVOKED_KEY: _CALL_THE_MINISTRY,
    WRONG_DEVICE_KEY: _CALL_THE_MINISTRY,
}

_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX16 = re.compile(r"[0-9a-f]{16}")
_AGS = re.compile(r"\d{8}")
_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the ministry says about one bundle.

    ``status`` is ``imported``, ``duplicate`` (already had it: counted once), ``held`` (a
    gap: waits for an earlier bundle) or ``rejected`` with ``reason_code``. For a file so
    broken that its manifest cannot be read, the bundle fields are empty/zero and only the
    reason tells the guide what happened.
    """

    manifest_sha256: str | None
    ags: str | None
    device_id: str | None
    epoch: int
    seq: int
    status: str
    reason_code: str | None
    imported_at: str
    intake_seq: int
    intake_chain_head: str
    records: int
    message: str = ""
    format: str = FORMAT

    def as_json(self) -> dict[str, Any]:
        """The fields as signed."""
        return {name: getattr(self, name) for name in sorted(self.__dataclass_fields__)}

    @property
    def confirmed(self) -> bool:
        """Whether the ministry has the bundle's figures."""
        return self.status in ("imported", "duplicate")


def reason_sentence(code: str | None) -> str:
    """What the ministry's reason ``code`` means for the guide, in the UI language.

    "" for a code whose meaning the ministry's message already says.
    """
    msgid = REASON_SENTENCES.get(code or "")
    return _(msgid) if msgid else ""


def explained(code: str | None, message: str) -> str:
    """The ministry's ``message``, after what its reason ``code`` means for the guide."""
    return " ".join(part for part in (reason_sentence(code), message) if part)


def _comment(body: bytes, receipt: Receipt) -> str:
    return f"{FORMAT} seq={receipt.seq} status={receipt.status} sha256={sha256_hex(body)}"


def write_receipt(receipt: Receipt, private: Ed25519PrivateKey, key_id: bytes) -> bytes:
    """The signed receipt file (the ministry's side)."""
    body = strict_json.dumps(receipt.as_json())
    signature = minisign.sign(body, private, key_id, trusted_comment=_comment(body, receipt))
    return SIGNED.write(body, signature)


def _bad(what: str) -> Rejected:
    return Rejected(MALFORMED, _(MALFORMED_FILE).format(what=what))


def _optional(value: Any, pattern: re.Pattern[str], what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise _bad(what)
    return value


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**62:
        raise _bad(what)
    return value


def _parse(raw: Any) -> Receipt:
    if not isinstance(raw, dict):
        raise _bad(_("not an object"))
    if raw.get("format") != FORMAT:
        fmt = raw.get("format")
        if isinstance(fmt, str) and fmt.startswith("kisi-receipt/"):
            raise Rejected(
                UNSUPPORTED_VERSION, _("This receipt format is not supported by this version.")
            )
        raise _bad("format")
    if set(raw) != set(Receipt.__dataclass_fields__):
        raise _bad(_("unexpected or missing fields"))
    status = raw["status"]
    if status not in STATUSES:
        raise _bad("status")
    reason = raw["reason_code"]
    # A list or object is not hashable: checked as a type first, not by `in CODES`.
    if reason is not None and (not isinstance(reason, str) or reason not in CODES):
        raise _bad("reason_code")
    message = raw["message"]
    if not isinstance(message, str) or len(message) > 1000:
        raise _bad("message")
    if not isinstance(raw["imported_at"], str) or not _UTC.fullmatch(raw["imported_at"]):
        raise _bad("imported_at")
    head = _optional(raw["intake_chain_head"], _HEX64, "intake_chain_head")
    return Receipt(
        manifest_sha256=_optional(raw["manifest_sha256"], _HEX64, "manifest_sha256"),
        ags=_optional(raw["ags"], _AGS, "ags"),
        device_id=_optional(raw["device_id"], _HEX16, "device_id"),
        epoch=_whole(raw["epoch"], "epoch"),
        seq=_whole(raw["seq"], "seq"),
        status=status,
        reason_code=reason,
        imported_at=raw["imported_at"],
        intake_seq=_whole(raw["intake_seq"], "intake_seq"),
        intake_chain_head=head or "",
        records=_whole(raw["records"], "records"),
        message=message,
    )


def read_receipt(data: bytes, trusted: Sequence[PublicKey]) -> Receipt:
    """A receipt signed by one of ``trusted``, or :class:`Rejected`."""
    body, signature = SIGNED.read(data)
    verified = None
    for key in trusted:
        try:
            verified = minisign.verify(body, signature, key)
            break
        except minisign.SignatureError:
            continue
    if verified is None:
        raise Rejected(BAD_SIGNATURE, _("The receipt is not signed by the ministry's receipt key."))
    SIGNED.check_written(signature)
    receipt = _parse(strict_json.loads(body, what=DOCUMENT, max_bytes=MAX_RECEIPT_FILE))
    if strict_json.dumps(receipt.as_json()) != body:
        raise _bad(_("not in canonical form"))
    if verified.trusted_comment != _comment(body, receipt):
        raise Rejected(BAD_SIGNATURE, _("The signed comment does not match the receipt."))
    return receipt


@dataclass(frozen=True, slots=True)
class ReceiptOutcome:
    """What importing one receipt file did to the ledger."""

    file: str
    seq: int | None
    status: str
    """``confirmed``, ``rejected`` (by the ministry), ``held``, ``unreadable`` (the ministry
    could not read a bundle file, so the receipt names none), ``unknown`` (no such bundle
    in the ledger), ``already`` (receipt seen before) or ``refused`` (the file)."""
    reason_code: str | None
    message: str


def _unreadable_bundle(file: str, receipt: Receipt) -> ReceiptOutcome:
    """A verified refusal for a file the ministry could not read (QA 26b).

    The ministry signs such a receipt without bundle fields: it could not see whose file it
    was (intake.py, ``_reject``). The receipt holds no hash of the file either, so nothing
    ties it to one bundle of this ledger - it may even be another town's. It changes no
    ledger entry; the guide is told what it means and what to do, and must not read "not a
    bundle of this vault" for what is most likely their own bundle, damaged on the way.
    """
    return ReceiptOutcome(
        file,
        None,
        "unreadable",
        receipt.reason_code,
        " ".join(
            part
            for part in (
                _(
                    "The ministry could not read a bundle file it was given, so this receipt "
                    "cannot say which bundle it was. If a bundle you sent has no receipt yet, "
                    "write it again (“Write again…” on the Sync page) and send the new file."
                ),
                receipt.message,
            )
            if part
        ),
    )


def _names_its_bundle(receipt: Receipt, entry: BundleEntry) -> bool:
    """Do the receipt's municipality, device, epoch and number agree with those of the
    bundle it names by its manifest's hash? The ministry's intake signs only receipts
    that do: one that does not is its fault, or made with its key by someone else, and
    confirms nothing (found by testing: it confirmed the bundle)."""
    if (receipt.epoch, receipt.seq) != (entry.epoch, entry.seq):
        return False
    if receipt.ags is None or receipt.device_id is None:
        return False
    return file_name(receipt.ags, receipt.device_id, receipt.seq, entry.created_at) == (
        entry.file_name
    )


def apply_receipt(ws: Workspace, data: bytes, file: str = "") -> ReceiptOutcome:
    """Verify one receipt and mark its bundle in the ledger (one vault write)."""
    doc = current_provisioning(ws)
    if doc is None:
        raise Rejected(NOT_PROVISIONED, _("Import the ministry's provisioning file first."))
    receipt = read_receipt(data, doc.receipt_keys)
    if receipt.manifest_sha256 is None:
        return _unreadable_bundle(file, receipt)
    entry = next(
        (e for e in ws.list(BundleEntry) if e.manifest_sha256 == receipt.manifest_sha256),
        None,
    )
    if entry is None:
        return ReceiptOutcome(
            file,
            receipt.seq or None,
            "unknown",
            receipt.reason_code,
            _("The receipt is for a bundle this vault did not export."),
        )
    if not _names_its_bundle(receipt, entry):
        raise Rejected(
            IMPLAUSIBLE,
            _(
                "The receipt names the bundle {file} but another municipality, device or "
                "bundle number. It was not applied; please tell the ministry."
            ).format(file=entry.file_name),
        )
    digest = sha256_hex(data)
    if entry.receipt_sha256 == digest or (entry.status == "confirmed" and not receipt.confirmed):
        # A confirmation is never taken back by a later, different answer: the ministry
        # has the figures; a "rejected" receipt after that is about a re-sent copy.
        return ReceiptOutcome(file, entry.seq, "already", entry.receipt_reason, "")
    status = (
        "confirmed"
        if receipt.confirmed
        else ("rejected" if receipt.status == "rejected" else entry.status)
    )
    crashpoints.reached("receipt.apply")
    ws.update(
        dataclasses.replace(
            entry,
            status=status,
            receipt_status=receipt.status if receipt.status != "held" else None,
            receipt_reason=receipt.reason_code,
            receipt_at=receipt.imported_at,
            receipt_sha256=digest,
        )
    )
    return ReceiptOutcome(
        file,
        entry.seq,
        "confirmed" if receipt.confirmed else receipt.status,
        receipt.reason_code,
        explained(receipt.reason_code, receipt.message),
    )
