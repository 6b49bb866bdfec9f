"""How the ministry view words reason codes, import outcomes and bundle states.

The intake stores machine words (``gap``, ``quarantined_fork``); the ministry's staff read a
short explanation in the UI language (``bundles.reasons.reason_label``, which the command
line shares; the code itself only in a tooltip, for looking a
refusal up in the format document or the rejection log: the municipalities' apps do not
show it either). The full message of the intake (which bundle is missing, which key was
expected) is shown as well, where there is room.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from kisi_desktop.core.i18n import N_, _

from kisi_desktop.ministry import intake
from kisi_desktop.ministry.store import HELD_EPOCH, HELD_GAP, IMPORTED, QUARANTINED_FORK

GREEN, RED, AMBER, GREY = QColor("#1b7a2f"), QColor("#b00020"), QColor("#8a5a00"), QColor("#555")

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


def outcome_label(outcome: str) -> str:
    """``imported``, ``duplicate``, ``held`` or ``rejected`` in the UI language."""
    msgid = OUTCOME_LABELS.get(outcome)
    return _(msgid) if msgid else outcome


def bundle_status_label(status: str) -> str:
    """A held or quarantined bundle's state in words."""
    msgid = BUNDLE_STATUS_LABELS.get(status)
    return _(msgid) if msgid else status
