"""Whether what is being recorded is covered by the person's consent.

A contact by phone or messenger needs the consent "contact by phone or messenger"; a
referral that passes data to a named partner needs "share with partner" for that partner.
The guide records what happened, so a missing consent is said, not refused: the form
names the purpose and, if it was withdrawn, the day, and the guide decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kisi_desktop.core.domain.consent import Consent, consent_active

CONTACT_MODE_PURPOSES = {
    "phone": "contact_phone_messenger",
    "messenger_email": "contact_phone_messenger",
}
SHARE_PURPOSE = "share_with_partner"


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
