"""Case: date order, closed status, and the two retention clocks."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kisi_desktop.core.domain.case import Case, RetentionDue, add_months, retention_due
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError


def case(**fields: object) -> Case:
    return Case(**{"person_id": new_id(), "opened_on": date(2025, 11, 3), **fields})  # type: ignore[arg-type]


def test_closed_before_opened_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        case(closed_on=date(2025, 11, 2), status="closed")
    assert error.value.field == "closed_on"


def test_status_and_closing_date_must_agree(ref: ReferenceData) -> None:
    with pytest.raises(ValidationError) as error:
        case(status="closed").validate(ref)
    assert error.value.field == "closed_on"
    with pytest.raises(ValidationError) as error:
        case(closed_on=date(2026, 1, 1)).validate(ref)
    assert error.value.field == "status"
    with pytest.raises(ValidationError) as error:
        case(status="archived").validate(ref)
    assert error.value.field == "status"
    with pytest.raises(ValidationError) as error:
        case(main_topics=("astrology",)).validate(ref)
    assert error.value.field == "main_topics"


def test_bad_ags_is_refused() -> None:
    for bad in ("0653401", "06534O11", "065340111", ""):
        with pytest.raises(ValidationError) as error:
            case(municipality_ags=bad)
        assert error.value.field == "municipality_ags"


def test_notes_due_12_months_after_closing_proof_after_the_audit_period(
    ref: ReferenceData,
) -> None:
    """The proof of participation is kept five years after the case, and at least until
    the end of 2033: Art. 82 Reg. (EU) 2021/1060 counts five years from 31 December of the
    year of the last payment to the project (2028 at the earliest)."""
    closed = case(closed_on=date(2026, 3, 31), status="closed")
    due = retention_due(closed, ref)
    assert due == RetentionDue(notes=date(2027, 3, 31), participation_proof=date(2034, 1, 1))
    # A case closed late in the project: five years after it are later still.
    late = case(closed_on=date(2029, 6, 30), status="closed")
    assert retention_due(late, ref).participation_proof == date(2034, 6, 30)
    on_the_edge = case(closed_on=date(2029, 1, 1), status="closed")
    assert retention_due(on_the_edge, ref).participation_proof == date(2034, 1, 1)


def test_open_case_or_legal_hold_is_never_due(ref: ReferenceData) -> None:
    assert retention_due(case(), ref) == RetentionDue(None, None)
    held = case(closed_on=date(2026, 3, 31), status="closed", legal_hold=True)
    assert retention_due(held, ref) == RetentionDue(None, None)
    released = dataclasses.replace(held, legal_hold=False)
    assert retention_due(released, ref).notes == date(2027, 3, 31)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 2, 29), 1) == date(2028, 3, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 2) == date(2026, 1, 15)
