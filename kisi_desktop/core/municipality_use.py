"""A municipality's profile stays while records name its key.

Activities, cases and team members carry the municipality's key (AGS); the reports count
activities per municipality, the bundles and the title bar take its name from the profile.
A profile removed under them would leave those records naming a key the vault no longer
describes. A profile typed with a wrong key, which nothing names yet, can go.

Takes the records' keys rather than the workspace, so the workspace can call it.
"""

from __future__ import annotations

from collections.abc import Iterable

from kisi_desktop.core.domain.municipality import Municipality
from kisi_desktop.core.errors import StillNeeded
from kisi_desktop.core.i18n import _


class MunicipalityInUse(StillNeeded):
    """Records still name the municipality's key."""

    def __init__(self, municipality: Municipality, activities: int, cases: int, team: int) -> None:
        self.counts = {"activities": activities, "cases": cases, "team": team}
        super().__init__(
            _(
                "The profile of {name} ({ags}) stays: records still name this municipality "
                "(activities: {activities}, cases: {cases}, team members: {team}). Correct "
                "those first, or correct the profile instead of removing it."
            ).format(
                name=municipality.name,
                ags=municipality.ags,
                activities=activities,
                cases=cases,
                team=team,
            )
        )


def refuse_if_in_use(
    municipality: Municipality,
    activity_keys: Iterable[str | None],
    case_keys: Iterable[str | None],
    team_keys: Iterable[Iterable[str]],
) -> None:
    """Raise :class:`MunicipalityInUse` if any activity, case or team member names the
    municipality's key."""
    ags = municipality.ags
    activities = sum(1 for key in activity_keys if key == ags)
    cases = sum(1 for key in case_keys if key == ags)
    team = sum(1 for keys in team_keys if ags in keys)
    if activities or cases or team:
        raise MunicipalityInUse(municipality, activities, cases, team)
