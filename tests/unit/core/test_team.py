"""Team members and their time sheets: one sheet per member and month, none of nobody,
and no member removed while their sheets count in the hourly-rate staff line."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Guide, TimeSheet
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.team import (
    HasTimeSheets,
    SecondTimeSheet,
    check_time_sheet,
    refuse_if_time_sheets,
    time_sheets_of,
)
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

ANNA = Guide(name="Anna Beispiel", fte=Decimal(1), started_on=date(2025, 10, 1))
PASS = "Sonnenblume am Fenster"
BEN = Guide(name="Ben Muster", fte=Decimal("0.5"), started_on=date(2025, 10, 1))


def _sheet(guide: Guide, month: str, hours: str = "100") -> TimeSheet:
    return TimeSheet(guide_id=guide.id, month=month, hours=Decimal(hours))


def test_a_sheet_is_checked_against_the_team_and_the_other_sheets() -> None:
    march = _sheet(ANNA, "2026-03", "120")
    sheets = [march, _sheet(BEN, "2026-03")]
    # Another month, or another member's March: fine; the sheet itself (an edit): fine.
    check_time_sheet(_sheet(ANNA, "2026-04"), [ANNA, BEN], sheets)
    check_time_sheet(dataclasses.replace(march, hours=Decimal(121)), [ANNA, BEN], sheets)
    with pytest.raises(SecondTimeSheet) as second:
        check_time_sheet(_sheet(ANNA, "2026-03", "8"), [ANNA, BEN], sheets)
    assert second.value.existing == march
    assert str(second.value) == (
        "Für Anna Beispiel gibt es schon einen Stundennachweis für März 2026 (120 h). Ändern "
        "Sie diesen, statt einen zweiten anzulegen: Das Budget zählt einen Stundennachweis je "
        "Teammitglied und Monat."
    )
    with pytest.raises(ValidationError) as nobody:
        check_time_sheet(_sheet(ANNA, "2026-05"), [BEN], sheets)
    assert nobody.value.field == "guide_id"


def test_a_member_with_sheets_is_refused_with_their_count() -> None:
    sheets = [_sheet(ANNA, "2026-02"), _sheet(BEN, "2026-01"), _sheet(ANNA, "2026-01")]
    assert [s.month for s in time_sheets_of(ANNA.id, sheets)] == ["2026-01", "2026-02"]
    refuse_if_time_sheets(ANNA, sheets[1:2])  # Ben's only
    with pytest.raises(HasTimeSheets) as refused:
        refuse_if_time_sheets(ANNA, sheets)
    assert (refused.value.guide_id, refused.value.count) == (ANNA.id, 2)
    assert str(refused.value).startswith("Anna Beispiel hat noch 2 Stundennachweise.")


def test_the_workspace_keeps_a_member_whose_sheets_count(tmp_path: Path) -> None:
    ws, _code = Workspace.create(tmp_path / "vault.kisi", PASS, kdf=TEST_PARAMS)
    anna, ben = ws.add(ANNA), ws.add(BEN)
    sheet = ws.add(_sheet(anna, "2026-03"))
    with pytest.raises(HasTimeSheets):
        ws.delete(Guide.KIND, anna.id)
    assert ws.get(Guide, anna.id) == anna
    ws.delete(Guide.KIND, ben.id)  # no sheets
    # A restore repeats what the original vault did, under the rules of its day.
    ws.delete(Guide.KIND, anna.id, despite_hold=True)
    assert ws.list(Guide) == [] and ws.list(TimeSheet) == [sheet]
    ws.lock()


def test_a_sheet_left_twice_from_before_can_take_the_sum_of_both() -> None:
    """What the budget's warning asks (put the hours on one, delete the other) must be
    allowed: an edit that keeps its member and month passes beside the old second sheet."""
    first, second = _sheet(ANNA, "2026-03", "100"), _sheet(ANNA, "2026-03", "20")
    summed = dataclasses.replace(first, hours=Decimal(120))
    check_time_sheet(summed, [ANNA], [first, second])
    # Moving it onto another month that has its sheet is still refused.
    april = _sheet(ANNA, "2026-04", "90")
    with pytest.raises(SecondTimeSheet):
        check_time_sheet(dataclasses.replace(first, month="2026-04"), [ANNA], [first, april])
