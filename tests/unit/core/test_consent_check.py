"""Whether a consent covers what is recorded on a day, for which purpose and partner."""

from __future__ import annotations

from datetime import date

from kisi_desktop.core.consent_check import MissingConsent, missing_consent
from kisi_desktop.core.domain import Consent
from kisi_desktop.core.domain.ids import new_id

PERSON, PARTNER, OTHER = new_id(), new_id(), new_id()


def _consent(purpose: str, given: date, withdrawn: date | None = None, **kw: str) -> Consent:
    return Consent(
        person_id=PERSON,
        purpose=purpose,
        form_version="2025-10",
        form_language="de",
        given_on=given,
        withdrawn_on=withdrawn,
        **kw,
    )


def test_a_withdrawn_consent_names_its_day_and_a_later_one_covers_again() -> None:
    phone = "contact_phone_messenger"
    first = _consent(phone, date(2026, 1, 5), date(2026, 2, 1))
    assert missing_consent([first], phone, date(2026, 1, 31)) is None
    assert missing_consent([first], phone, date(2026, 2, 1)) == MissingConsent(
        phone, date(2026, 2, 1)
    )
    again = _consent(phone, date(2026, 3, 1))
    assert missing_consent([first, again], phone, date(2026, 3, 2)) is None
    assert missing_consent([], phone, date(2026, 3, 2)) == MissingConsent(phone, None)
    assert missing_consent([first], phone, date(2026, 1, 1)) == MissingConsent(phone, None)


def test_sharing_is_consented_per_partner() -> None:
    share = _consent("share_with_partner", date(2026, 1, 5), partner_id=PARTNER)
    day = date(2026, 2, 1)
    assert missing_consent([share], "share_with_partner", day, partner_id=PARTNER) is None
    assert missing_consent([share], "share_with_partner", day, partner_id=OTHER) == (
        MissingConsent("share_with_partner", None)
    )
