"""A municipality's profile stays while cases or team members name its key."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Case, Guide, Municipality, Person
from kisi_desktop.core.municipality_use import MunicipalityInUse
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

AGS = "06534011"


def test_a_profile_named_by_a_case_and_a_team_member_stays_until_they_name_another(
    tmp_path: Path,
) -> None:
    ws, _code = Workspace.create(
        tmp_path / "v.kisi", "Sonnenblume am Fenster", kdf=TEST_PARAMS,
        clock=FixedClock(datetime(2026, 3, 9, 10, 0, tzinfo=UTC)),
    )  # fmt: skip
    profile = ws.add(Municipality(ags=AGS, name="Kirchhain"))
    other = ws.add(Municipality(ags="06534014", name="Rauschenberg"))
    amina = ws.add(Person(name="Amina Haidari"))
    case = ws.add(Case(person_id=amina.id, opened_on=date(2026, 3, 2), municipality_ags=AGS))
    guide = ws.add(
        Guide(name="Katharina Weber", fte=Decimal(1), started_on=date(2026, 1, 1),
              municipality_ags=(AGS, "06534014"))
    )  # fmt: skip
    with pytest.raises(MunicipalityInUse) as refused:
        ws.delete(Municipality.KIND, profile.id)
    assert refused.value.counts == {"activities": 0, "cases": 1, "team": 1}
    assert "Kirchhain (06534011)" in str(refused.value)
    assert len(ws.list(Municipality)) == 2
    ws.update(dataclasses.replace(case, municipality_ags="06534014"))
    ws.update(dataclasses.replace(guide, municipality_ags=("06534014",)))
    ws.delete(Municipality.KIND, profile.id)
    assert [m.id for m in ws.list(Municipality)] == [other.id]
