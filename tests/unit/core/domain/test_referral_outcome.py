"""Referral follow-up order; outcome fields allowed/required per kind from data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.outcome import OutcomeEvent, levels_gained
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.referral import Referral
from kisi_desktop.core.errors import ValidationError


def outcome(**fields: Any) -> OutcomeEvent:
    return OutcomeEvent(**{"person_id": new_id(), "occurred_on": date(2026, 6, 1), **fields})


def test_referral_follow_up_before_referral_is_refused(ref: ReferenceData) -> None:
    with pytest.raises(ValidationError) as error:
        Referral(
            person_id=new_id(),
            referred_on=date(2025, 11, 3),
            target="jobcenter",
            follow_up_on=date(2025, 11, 2),
        )
    assert error.value.field == "follow_up_on"
    with pytest.raises(ValidationError) as error:
        Referral(person_id=new_id(), referred_on=date(2025, 11, 3), target="astrologer").validate(
            ref
        )
    assert error.value.field == "target"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "language_level"}, "level_after"),
        ({"kind": "language_level", "level_after": "b1", "feedback": "yes"}, "feedback"),
        ({"kind": "feedback_helpful"}, "feedback"),
        ({"kind": "applied_recognition", "level_after": "b1"}, "level_after"),
        ({"kind": "language_level", "level_after": "d1"}, "level_after"),
        ({"kind": "feedback_helpful", "feedback": "maybe"}, "feedback"),
        ({"kind": "won_lottery"}, "kind"),
    ],
)
def test_outcome_rules(ref: ReferenceData, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        outcome(**fields).validate(ref)
    assert error.value.field == field


def test_every_outcome_kind_from_the_issue_exists(ref: ReferenceData) -> None:
    assert set(ref.enum("outcome_kinds")) == {
        "language_level",
        "applied_recognition",
        "applied_long_term_residence",
        "feedback_helpful",
        "family_reunification_info",
    }
    outcome(kind="applied_long_term_residence").validate(ref)
    outcome(kind="feedback_helpful", feedback="not_asked").validate(ref)


def test_levels_gained_uses_the_cefr_order(ref: ReferenceData) -> None:
    assert (
        levels_gained(outcome(kind="language_level", level_before="a1", level_after="b1"), ref) == 2
    )
    assert levels_gained(outcome(kind="language_level", level_after="b1"), ref) is None
