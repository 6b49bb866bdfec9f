"""How the ministry view words reason codes, import outcomes and bundle states.

The intake stores machine words (``gap``, ``quarantined_fork``); the ministry's staff read a
short explanation in the UI language (the code itself only in a tooltip, for looking a
refusal up in the format document or the rejection log: the municipalities' apps do not
show it either). The full message of the intake (which bundle is missing, which key was
expected) is shown as well, where there is room.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from kisi_desktop.core.i18n import N_, _

from kisi_desktop.bundles import reasons
from kisi_desktop.ministry import intake
from kisi_desktop.ministry.store import HELD_EPOCH, HELD_GAP, IMPORTED, QUARANTINED_FORK

GREEN, RED, AMBER, GREY = QColor("#1b7a2f"), QColor("#b00020"), QColor("#8a5a00"), QColor("#555")

REASON_LABELS = {
    reasons.OVERSIZED: N_("file too large"),
    reasons.MALFORMED: N_("damaged or not a KISI bundle"),
    reasons.TAMPERED: N_("changed or incomplete"),
    reasons.BAD_SIGNATURE: N_("signature does not match the registered key"),
    reasons.UNKNOWN_MUNICIPALITY: N_("municipality not registered"),
    reasons.WRONG_RECIPIENT: N_("not encrypted for this ministry"),
    reasons.UNSUPPORTED_VERSION: N_("format or profile not supported"),
    reasons.DUPLICATE: N_("already imported (counted once)"),
    reasons.FORK: N_("fork in the sequence: quarantined"),
    reasons.GAP: N_("an earlier bundle is missing"),
    reasons.NEW_EPOCH: N_("new device epoch: needs confirmation"),
    reasons.AUDIT_ROLLBACK: N_("the device's audit log went back"),
    reasons.REVOKED_KEY: N_("the municipality's key is revoked"),
    reasons.WRONG_DEVICE_KEY: N_("signed with another device's key"),
    reasons.IMPLAUSIBLE: N_("figures are not plausible"),
    reasons.FUTURE_TIME: N_("dated in the future"),
    reasons.EXPIRED: N_("expired"),
    reasons.ROLLBACK: N_("older than the installed version"),
    reasons.EQUIVOCATION: N_("same version, other content"),
    reasons.FAST_FORWARD: N_("version implausibly far ahead"),
    reasons.DEMO_KEY: N_("demo keys where real ones are required"),
    reasons.NOT_PROVISIONED: N_("no ministry keys installed"),
    reasons.UNTRUSTED_ROOT: N_("ministry key not confirmed"),
    reasons.DROPPED: N_("dropped by the operator: never counts"),
}

OUTCOME_LABELS = {
    intake.OUTCOME_IMPORTED: N_("imported"),
    intake.OUTCOME_DUPLICATE: N_("duplicate"),
    intake.OUTCOME_HELD: N_("held"),
    intake.OUTCOME_REJECTED: N_("rejected"),
}
OUTCOME_INK = {
    intake.OUTCOME_IMPORTED: GREEN,
    intake.OUTCOME_DUPLICATE: GREY,
    intake.OUTCOME_HELD: AMBER,
    intake.OUTCOME_REJECTED: RED,
}

BUNDLE_STATUS_LABELS = {
    IMPORTED: N_("imported"),
    HELD_GAP: N_("held: an earlier bundle is missing"),
    HELD_EPOCH: N_("new epoch waiting for confirmation"),
    QUARANTINED_FORK: N_("fork: quarantined"),
}


def reason_label(code: str | None) -> str:
    """The short explanation of ``code`` in the UI language ("" for none)."""
    if not code:
        return ""
    msgid = REASON_LABELS.get(code)
    return _(msgid) if msgid else code


def outcome_label(outcome: str) -> str:
    """``imported``, ``duplicate``, ``held`` or ``rejected`` in the UI language."""
    msgid = OUTCOME_LABELS.get(outcome)
    return _(msgid) if msgid else outcome


def bundle_status_label(status: str) -> str:
    """A held or quarantined bundle's state in words."""
    msgid = BUNDLE_STATUS_LABELS.get(status)
    return _(msgid) if msgid else status
