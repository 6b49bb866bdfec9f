"""What must hold between the team members and their time sheets before either changes.

A staff line planned as an hourly rate counts every time sheet at its team member's rate
(``reports/budget_spending.hourly_costs``), one per member and month. Of a second sheet
for the same member and month only one would count, a sheet of nobody in the team is left
out, and the sheets of a member who was removed drop out of the line. The window and the
``kisi`` command refuse all three through these checks, and :meth:`Workspace.delete`
refuses to remove a member with time sheets itself, so that no caller can forget it. What
vaults from before these checks still hold, the budget names (``reports/budget_sheets``).

The functions take the records rather than the workspace, so the workspace can call them.
Messages name no command (they reach the window too); the ``kisi`` command adds one from
the data the errors carry (``cli/hints.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kisi_desktop.core.domain.municipality import Guide
from kisi_desktop.core.domain.time_sheet import TimeSheet
from kisi_desktop.core.errors import StillNeeded, UserError, ValidationError
from kisi_desktop.core.i18n import _, format_date, format_number, ngettext


class HasTimeSheets(StillNeeded):
    """A team member stays while time sheets of theirs count in the budget."""

    def __init__(self, guide: Guide, count: int) -> None:
        self.guide_id = guide.id
        self.count = count
        super().__init__(
            ngettext(
                "{name} still has {count} time sheet. Its hours count in the budget's staff "
                "costs and would drop out. Delete it first, or give it to another team member.",
                "{name} still has {count} time sheets. Their hours count in the budget's staff "
                "costs and would drop out. Delete them first, or give them to another team "
                "member.",
                count,
            ).format(name=guide.name, count=count)
        )


class SecondTimeSheet(UserError):
    """The team member already has a time sheet for that month (``existing``)."""

    def __init__(self, guide_name: str, existing: TimeSheet) -> None:
        self.existing = existing
        super().__init__(
            _(
                "{name} already has a time sheet for {month} ({hours} h). Change that one "
                "instead: the budget counts one time sheet per team member and month."
            ).format(
                name=guide_name,
                month=format_date(date.fromisoformat(f"{existing.month}-01"), fmt="MMMM yyyy"),
                hours=format_number(existing.hours),
            )
        )


def time_sheets_of(guide_id: str, sheets: Iterable[TimeSheet]) -> list[TimeSheet]:
    """The time sheets of one team member, by month."""
    return sorted((s for s in sheets if s.guide_id == guide_id), key=lambda s: (s.month, s.id))


def refuse_if_time_sheets(guide: Guide, sheets: Iterable[TimeSheet]) -> None:
    """Raise :class:`HasTimeSheets` if ``guide`` has any of ``sheets``."""
    count = len(time_sheets_of(guide.id, sheets))
    if count:
        raise HasTimeSheets(guide, count)


def check_time_sheet(
    sheet: TimeSheet, guides: Iterable[Guide], sheets: Iterable[TimeSheet]
) -> None:
    """Refuse ``sheet`` if its team member is not among ``guides`` (a ValidationError of
    ``guide_id``) or another of ``sheets`` has the same member and month
    (:class:`SecondTimeSheet`); ``sheet`` itself may be among ``sheets`` (an edit).

    An edit that keeps its member and month is let through even beside a second sheet
    for that month left from before this check (the budget asks the guide to put the
    hours on one of them and delete the other: reports/budget_sheets.py)."""
    sheets = list(sheets)
    names = {g.id: g.name for g in guides}
    if sheet.guide_id not in names:
        raise ValidationError("guide_id", _("No such team member."))
    stored = next((s for s in sheets if s.id == sheet.id), None)
    if stored is not None and (stored.guide_id, stored.month) == (sheet.guide_id, sheet.month):
        return
    for other in sheets:
        if other.guide_id == sheet.guide_id and other.month == sheet.month and other.id != sheet.id:
            raise SecondTimeSheet(names[sheet.guide_id], other)
