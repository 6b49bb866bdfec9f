"""Whether what is being recorded is covered by the person's consent.

A contact by phone or messenger needs the consent "contact by phone or messenger"; a
referral that passes data to a named partner needs "share with partner" for that partner;
a participant named at an event needs "participation proof (AMIF)".
The guide records what happened, so a missing consent is said, not refused: the form
names the purpose and, if it was withdrawn, the day, and the guide decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kisi_desktop.core.domain.consent import Consent, consent_active
from kisi_desktop.core.workspace import Workspace

CONTACT_MODE_PURPOSES = {
    "phone": "contact_phone_messenger",
    "messenger_email": "contact_phone_messenger",
}
SHARE_PURPOSE = "share_with_partner"
PROOF_PURPOSE = "participation_proof"
DOCUMENTATION_PURPOSE = "case_documentation"


@dataclass(frozen=True, slots=True)
class MissingConsent:
    """A purpose without an active consent on a day; ``withdrawn_on``: when it ended."""

    purpose: str
    withdrawn_on: date | None


def missing_consent(
    consents: Iterable[Consent], purpose: str, day: date, *, partner_id: str | None = None
) -> MissingConsent | None:
    """None when a consent for ``purpose`` (and ``partner_id``, where it names one) covers
    ``day``; else what is missing, with the latest withdrawal before ``day``."""
    relevant = [
        c
        for c in consents
        if c.purpose == purpose and (partner_id is None or c.partner_id == partner_id)
    ]
    if any(consent_active(c, day) for c in relevant):
        return None
    withdrawn = [c.withdrawn_on for c in relevant if c.withdrawn_on and c.withdrawn_on <= day]
    return MissingConsent(purpose, max(withdrawn) if withdrawn else None)


def proof_consents(ws: Workspace) -> dict[str, list[tuple[str, str | None]]]:
    """Person id -> (given, withdrawn) ISO days of their consents to the participation
    proof: read once when an event form opens, so ticking names costs nothing."""
    found: dict[str, list[tuple[str, str | None]]] = {}
    fields = ["person_id", "purpose", "given_on", "withdrawn_on"]
    for _cid, pid, purpose, given, withdrawn in ws.rows(Consent, fields):
        if purpose == PROOF_PURPOSE and pid and given:
            found.setdefault(pid, []).append((given, withdrawn))
    return found


def without_proof_consent(
    consents: dict[str, list[tuple[str, str | None]]], person_ids: Iterable[str], day: date
) -> list[str]:
    """The named participants of an event on ``day`` whose consent to the participation
    proof (AMIF) does not cover it: they may be counted, but not named in a proof."""
    iso = day.isoformat()
    return sorted(
        pid
        for pid in set(person_ids)
        if not any(
            given <= iso and (withdrawn is None or iso < withdrawn)
            for given, withdrawn in consents.get(pid, ())
        )
    )
