"""Why something from outside was refused: one error class with a stable reason code.

Bundles, receipts, content packs and provisioning files arrive from USB sticks, mail and
the network. Whatever is wrong with them, the reader raises :class:`Rejected` with a short
machine-readable ``code`` (stored in receipts, shown in the ministry view, counted in tests)
and a translated message that says what is wrong in words. Nothing else may escape a
reader: a traceback on hostile input is a bug.
"""

from __future__ import annotations

import logging

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _

log = logging.getLogger(__name__)

# The reason codes, as receipts and the intake database store them. Adding a code is a
# format change (bundles/FORMAT.md lists them with their meaning).
OVERSIZED = "oversized"  # larger than a limit in limits.py
MALFORMED = "malformed"  # not the format it claims to be (ZIP, JSON, age, minisign)
TAMPERED = "tampered"  # a MAC, hash, size or signature over signed content does not match
BAD_SIGNATURE = "bad_signature"  # signed by another key, or the signature does not verify
UNKNOWN_MUNICIPALITY = "unknown_municipality"  # no registered key for this AGS
WRONG_RECIPIENT = "wrong_recipient"  # not encrypted to this ministry's recipient
UNSUPPORTED_VERSION = "unsupported_version"  # a format or profile this build does not know
DUPLICATE = "duplicate"  # the same signed manifest was already imported
FORK = "fork"  # a different manifest for a sequence number already imported
GAP = "gap"  # a later sequence number while an earlier one is missing
NEW_EPOCH = "new_epoch"  # a device epoch that needs the operator's confirmation
AUDIT_ROLLBACK = "audit_rollback"  # a device's audit head behind its last imported bundle's
REVOKED_KEY = "revoked_key"  # signed by a key the registry has revoked
WRONG_DEVICE_KEY = "wrong_device_key"  # a known device's bundle signed by another device's key
IMPLAUSIBLE = "implausible"  # well-formed but impossible (period, counts, suppression)
FUTURE_TIME = "future_time"  # dated after the reader's clock, or reporting days yet to come
EXPIRED = "expired"  # past its expiry date when installed
ROLLBACK = "rollback"  # older than what is installed
EQUIVOCATION = "equivocation"  # same version as installed, other content
FAST_FORWARD = "fast_forward"  # a version implausibly far ahead
DEMO_KEY = "demo_key"  # demo keys offered where real ones are required
NOT_PROVISIONED = "not_provisioned"  # the app has no ministry keys yet
UNTRUSTED_ROOT = "untrusted_root"  # provisioning signed by a root key nobody confirmed
DROPPED = "dropped"  # a held bundle the ministry's operator removed for good: it never counts

CODES = frozenset(
    {
        OVERSIZED,
        MALFORMED,
        TAMPERED,
        BAD_SIGNATURE,
        UNKNOWN_MUNICIPALITY,
        WRONG_RECIPIENT,
        UNSUPPORTED_VERSION,
        DUPLICATE,
        FORK,
        GAP,
        NEW_EPOCH,
        AUDIT_ROLLBACK,
        REVOKED_KEY,
        WRONG_DEVICE_KEY,
        IMPLAUSIBLE,
        FUTURE_TIME,
        EXPIRED,
        ROLLBACK,
        EQUIVOCATION,
        FAST_FORWARD,
        DEMO_KEY,
        NOT_PROVISIONED,
        UNTRUSTED_ROOT,
        DROPPED,
    }
)


# Each code in a few words, as the ministry view and the command line show it (the code
# itself is for scripts and the rejection log: a guide cannot act on "malformed").
REASON_LABELS = {
    OVERSIZED: N_("file too large"),
    MALFORMED: N_("damaged or not a KISI bundle"),
    TAMPERED: N_("changed or incomplete"),
    BAD_SIGNATURE: N_("signature does not match the registered key"),
    UNKNOWN_MUNICIPALITY: N_("municipality not registered"),
    WRONG_RECIPIENT: N_("not encrypted for this ministry"),
    UNSUPPORTED_VERSION: N_("format or profile not supported"),
    DUPLICATE: N_("already imported (counted once)"),
    FORK: N_("fork in the sequence: quarantined"),
    GAP: N_("an earlier bundle is missing"),
    NEW_EPOCH: N_("new device epoch: needs confirmation"),
    AUDIT_ROLLBACK: N_("the device's audit log went back"),
    REVOKED_KEY: N_("the municipality's key is revoked"),
    WRONG_DEVICE_KEY: N_("signed with another device's key"),
    IMPLAUSIBLE: N_("figures are not plausible"),
    FUTURE_TIME: N_("dated in the future"),
    EXPIRED: N_("expired"),
    ROLLBACK: N_("older than the installed version"),
    EQUIVOCATION: N_("same version, other content"),
    FAST_FORWARD: N_("version implausibly far ahead"),
    DEMO_KEY: N_("demo keys where real ones are required"),
    NOT_PROVISIONED: N_("no ministry keys installed"),
    UNTRUSTED_ROOT: N_("ministry key not confirmed"),
    DROPPED: N_("dropped by the operator: never counts"),
}


def reason_label(code: str | None) -> str:
    """The short explanation of ``code`` in the UI language ("" for none)."""
    if not code:
        return ""
    msgid = REASON_LABELS.get(code)
    return _(msgid) if msgid else code


class Rejected(UserError):
    """Outside input refused; ``code`` is one of :data:`CODES`, the message is translated.

    ``detail`` is the reader's own, technical account (which ZIP or age check failed), kept
    for the log and for tests that must know which check fired, when the message shown is
    the plain one of :func:`reworded`.
    """

    def __init__(self, code: str, message: str, *, detail: str = "") -> None:
        if code not in CODES:
            raise ValueError(f"unknown reason code {code!r}")
        super().__init__(message)
        self.code = code
        self.detail = detail


def reworded(error: Rejected, message: str) -> Rejected:
    """``error`` with ``message`` (plain words: what is wrong, what to do) in its place.

    The guide or the ministry's clerk cannot act on "not an age v1 file" or "fails its
    CRC-32 check" (QA 26b): what they need to know is that the file is not the kind they
    expected, or damaged, and whom to ask for it again. The reader's own words go to the
    log and into ``detail``: they describe the file's structure, never its content. The
    code, and so everything decided on it, stays the same.
    """
    detail = error.detail or str(error)
    log.info("refused (%s): %s", error.code, detail)
    return Rejected(error.code, message, detail=detail)
