"""A receipt's reason code as one sentence the guide can read, for the receipt results.

Receipts and refusals carry a stable reason code (:mod:`kisi_desktop.bundles.reasons`),
which the guide should never have to decode (QA: the results showed "malformed"). The
same code means something else for a receipt file refused on this laptop than for a bundle
the ministry refused, so there are two tables. The code itself stays available (a
tooltip) for quoting it on the phone to the ministry.
"""

from __future__ import annotations

from kisi_desktop.core.i18n import N_, _

from kisi_desktop.bundles import reasons

# Why this laptop refused a receipt file (apply_receipt and the readers it calls).
FILE_REASONS = {
    reasons.OVERSIZED: N_("The file is too large for a receipt."),
    reasons.MALFORMED: N_("The file is damaged or not a receipt."),
    reasons.TAMPERED: N_("The receipt was changed or is incomplete."),
    reasons.BAD_SIGNATURE: N_("The receipt is not signed by the ministry."),
    reasons.UNSUPPORTED_VERSION: N_("This version of KISI cannot read this receipt's format."),
    reasons.NOT_PROVISIONED: N_("The ministry's provisioning file is not installed yet."),
    reasons.IMPLAUSIBLE: N_("The receipt does not match the bundle it names."),
}
FILE_REFUSED = N_("The receipt cannot be used.")

# Why the ministry refused or held a bundle (every code, so none is ever shown raw).
MINISTRY_REASONS = {
    reasons.OVERSIZED: N_("The bundle was too large for the ministry."),
    reasons.MALFORMED: N_("The ministry could not read the bundle."),
    reasons.TAMPERED: N_("The bundle arrived changed or incomplete."),
    reasons.BAD_SIGNATURE: N_("The bundle's signature does not match this laptop's key."),
    reasons.UNKNOWN_MUNICIPALITY: N_("The ministry does not know this laptop's key yet."),
    reasons.WRONG_RECIPIENT: N_("The bundle was not encrypted for the ministry."),
    reasons.UNSUPPORTED_VERSION: N_("The ministry cannot read the bundle's format."),
    reasons.DUPLICATE: N_("The ministry already had this bundle; it counts once."),
    reasons.FORK: N_("The ministry already has another bundle with this number."),
    reasons.GAP: N_("An earlier bundle is missing at the ministry."),
    reasons.NEW_EPOCH: N_("A new series of bundles waits for the ministry's confirmation."),
    reasons.AUDIT_ROLLBACK: N_("The vault's history is behind what the ministry received."),
    reasons.REVOKED_KEY: N_("The ministry has revoked this laptop's key."),
    reasons.WRONG_DEVICE_KEY: N_("The bundle is signed with another laptop's key."),
    reasons.IMPLAUSIBLE: N_("The ministry found the figures implausible."),
    reasons.FUTURE_TIME: N_("The bundle is dated in the future."),
    reasons.EXPIRED: N_("Something the bundle relies on has expired."),
    reasons.ROLLBACK: N_("The bundle is older than what the ministry has."),
    reasons.EQUIVOCATION: N_("The ministry has another bundle with the same version."),
    reasons.FAST_FORWARD: N_("The bundle's number is implausibly far ahead."),
    reasons.DEMO_KEY: N_("The bundle was made with demo keys."),
    reasons.NOT_PROVISIONED: N_("The ministry's keys were missing."),
    reasons.UNTRUSTED_ROOT: N_("The ministry's key was not confirmed."),
    reasons.DROPPED: N_("The ministry removed the bundle for good."),
}
MINISTRY_REFUSED = N_("The ministry gave a reason this version of KISI does not know.")


def file_reason(code: str | None) -> str:
    """Why this laptop refused a receipt file, in the UI language ("" without a code)."""
    if not code:
        return ""
    return _(FILE_REASONS.get(code, FILE_REFUSED))


def ministry_reason(code: str | None) -> str:
    """Why the ministry refused or held a bundle, in the UI language ("" without a code)."""
    if not code:
        return ""
    return _(MINISTRY_REASONS.get(code, MINISTRY_REFUSED))
