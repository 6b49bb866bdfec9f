"""Consent: one purpose per record, partner only for sharing, withdrawal after giving."""

from __future__ import annotations

from datetime import date

import pytest

from kisi_desktop.core.domain.consent import Consent, consent_active
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError


def consent(**fields: object) -> Consent:
    base = {
        "person_id": new_id(),
        "purpose": "photo",
        "form_version": "2025-10",
        "form_language": "ar",
        "given_on": date(2025, 11, 3),
    }
    return Consent(**{**base, **fields})  # type: ignore[arg-type]


def test_withdrawn_before_given_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        consent(withdrawn_on=date(2025, 11, 2))
    assert error.value.field == "withdrawn_on"


def test_sharing_needs_a_partner_and_others_must_not_have_one(ref: ReferenceData) -> None:
    with pytest.raises(ValidationError) as error:
        consent(purpose="share_with_partner").validate(ref)
    assert error.value.field == "partner_id"
    with pytest.raises(ValidationError) as error:
        consent(partner_id=new_id()).validate(ref)
    assert error.value.field == "partner_id"
    consent(purpose="share_with_partner", partner_id=new_id()).validate(ref)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"purpose": "marketing"}, "purpose"),
        ({"form_language": "xx"}, "form_language"),
    ],
)
def test_unknown_codes(ref: ReferenceData, fields: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        consent(**fields).validate(ref)
    assert error.value.field == field


def test_every_purpose_from_the_issue_exists(ref: ReferenceData) -> None:
    assert set(ref.enum("consent_purposes")) == {
        "case_documentation",
        "share_with_partner",
        "contact_phone_messenger",
        "participation_proof",
        "feedback",
        "photo",
    }


def test_consent_active_window() -> None:
    c = consent(withdrawn_on=date(2026, 1, 1))
    assert not consent_active(c, date(2025, 11, 2))
    assert consent_active(c, date(2025, 11, 3))
    assert consent_active(c, date(2025, 12, 31))
    assert not consent_active(c, date(2026, 1, 1))
