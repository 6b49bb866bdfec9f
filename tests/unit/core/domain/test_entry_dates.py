"""What has happened may not be entered as lying ahead (core/domain/entry_dates.py), by any
way in: the rule is the workspace's, not only the window's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kisi_desktop.core.domain import Activity, Contact, Person
from kisi_desktop.core.domain.time_sheet import TimeSheet
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.workspace import Workspace


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"birth_date": date(2030, 1, 1)}, "birth_date"),
        ({"birth_year": 2099}, "birth_year"),
        ({"arrival_date": date(2026, 3, 19)}, "arrival_date"),
    ],
)
def test_a_person_born_or_arrived_ahead_is_refused(
    ws: Workspace, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        ws.add(Person(name="Amina Haidari", **fields))  # type: ignore[arg-type]
    assert refused.value.field == field
    assert ws.list(Person) == []


def test_a_contact_tomorrow_is_refused_today_is_fine(ws: Workspace) -> None:
    person = ws.add(Person(name="Amina Haidari", birth_year=1991))
    ws.add(Contact(person_id=person.id, contacted_on=date(2026, 3, 18), duration_minutes=30,
                   mode="office"))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        ws.add(Contact(person_id=person.id, contacted_on=date(2026, 3, 19), duration_minutes=30,
                       mode="office"))  # fmt: skip
    assert refused.value.field == "contacted_on"
    assert len(ws.list(Contact)) == 1


def test_a_plan_may_lie_ahead_but_not_decades_ahead(ws: Workspace) -> None:
    planned = Activity(activity_type="information_event", title="Elterncafé",
                       starts_on=date(2026, 9, 1), municipality_ags="06534011")  # fmt: skip
    ws.add(planned)
    with pytest.raises(ValidationError) as refused:
        ws.add(Activity(activity_type="information_event", title="Elterncafé",
                        starts_on=date(2099, 9, 1), municipality_ags="06534011"))  # fmt: skip
    assert refused.value.field == "starts_on"


def test_hours_of_a_month_still_to_come_are_refused(ws: Workspace) -> None:
    from kisi_desktop.core.domain.municipality import Guide

    guide = ws.add(Guide(name="Anna Beispiel", fte=Decimal("0.5"), started_on=date(2025, 10, 1),
                         municipality_ags=("06534011",)))  # fmt: skip
    ws.add(TimeSheet(guide_id=guide.id, month="2026-03", hours=Decimal(60)))
    with pytest.raises(ValidationError) as refused:
        ws.add(TimeSheet(guide_id=guide.id, month="2026-04", hours=Decimal(60)))
    assert refused.value.field == "month"


def test_records_stored_before_the_rule_still_open_and_save(ws: Workspace) -> None:
    """A record entered while the computer's clock ran ahead is no entry typed now: a
    rewrite (an erasure elsewhere, an import of history) is not refused."""
    ws.save([Person(name="Früh Eingetragen", birth_year=2027)])
    assert [p.name for p in ws.list(Person)] == ["Früh Eingetragen"]


def test_an_activity_may_not_count_more_people_by_gender_than_took_part(ws: Workspace) -> None:
    with pytest.raises(ValidationError) as refused:
        ws.add(Activity(activity_type="encounter", title="Sprachcafé", starts_on=date(2026, 3, 2),
                        municipality_ags="06534011", counts_by_target_group={"tcn": 3},
                        counts_by_gender={"female": 1000}))  # type: ignore[arg-type]  # fmt: skip
    assert refused.value.field == "counts_by_gender"
    ws.add(Activity(activity_type="encounter", title="Sprachcafé", starts_on=date(2026, 3, 2),
                    municipality_ags="06534011", counts_by_target_group={"tcn": 3},
                    counts_by_gender={"female": 2, "male": 1}))  # type: ignore[arg-type]  # fmt: skip
    assert len(ws.list(Activity)) == 1


def test_a_municipality_outside_hesse_is_a_typing_slip(ws: Workspace) -> None:
    from kisi_desktop.core.domain import Municipality

    with pytest.raises(ValidationError) as refused:
        ws.add(Municipality(ags="99999999", name="Kirchhain"))
    assert refused.value.field == "ags"
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    assert [m.ags for m in ws.list(Municipality)] == ["06534011"]


def test_dates_the_app_writes_itself_may_lie_far_ahead(ws: Workspace) -> None:
    """A signed content pack may expire in 2040: nobody typed that date."""
    from kisi_desktop.core.domain.content_pack import InstalledContentPack

    pack = InstalledContentPack(
        pack_id="hmaij-handouts", version=3, pack_sha256="ab" * 32,
        created="2026-03-01T00:00:00Z", expires=date(2040, 1, 1),
        installed_on=date(2026, 3, 18), directory="hmaij-handouts-3", languages=("de",),
        time_floor="2026-03-01T00:00:00Z",
    )  # fmt: skip
    ws.add(pack)
    assert [p.expires for p in ws.list(InstalledContentPack)] == [date(2040, 1, 1)]
