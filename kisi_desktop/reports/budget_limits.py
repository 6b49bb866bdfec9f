"""When a budget figure earns a warning: from 80 % of its limit, and above 100 %.

One rule for every limit (a category in a year, a category, a year, the grant cap, a
volunteer's tax-free cap), so the guide learns it once. The comparison is exact, not on the
rounded percentage shown: 79.99 of 100 is no warning, 80.00 is; 100.00 of 100 is a warning,
100.01 is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from kisi_desktop.reports.money import cents

Level = Literal["warn", "over"]
WarningLevel = Literal["warn", "over", "check"]
"""A warning's level: a limit (``warn``, ``over``), or figures that disagree (``check``)."""

WARN_PERCENT = Decimal(80)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to two places; None when ``whole`` is zero."""
    if whole == 0:
        return None
    return cents(part * HUNDRED / whole)


def level_of(used: Decimal, limit: Decimal) -> Level | None:
    """``over`` above the limit, ``warn`` from 80 % of it, else None.

    Anything used against a limit of zero (spending on a line with no plan) is over.
    """
    if used > limit:
        return "over"
    if limit > 0 and used * HUNDRED >= limit * WARN_PERCENT:
        return "warn"
    return None


VOLUNTEER_WARNINGS = ("volunteer", "volunteer_rate", "volunteer_hours", "volunteer_expenses")
"""Warnings about one volunteer in one calendar year (personal: local output only)."""

TIME_SHEET_WARNINGS = ("time_sheets_same_month", "time_sheets_orphaned", "time_sheets_over_year")
"""Warnings about one team member's time sheets (their working hours: local output only)."""


@dataclass(frozen=True, slots=True)
class BudgetWarning:
    """Something about to run out (``warn``, from 80 %) or run out (``over``).

    ``what`` says which limit: ``cap`` (spending against the grant cap), ``plan_cap`` (the
    plan itself exceeds the cap), ``year``, ``category``, ``category_year``, ``flat_rate``
    (a percentage above the legal maximum), ``volunteer`` (allowances against the tax-free
    cap) or ``claim`` (a travel claim past its deadline); the last two concern a person.
    ``volunteers_unbooked`` (level ``check``) is no limit: the deployments record more paid
    to volunteers than the expenses book (``day``: deployments up to then). Nor are
    ``time_sheets_same_month`` (a team member's month with more than one time sheet) and
    ``time_sheets_orphaned`` (time sheets of someone no longer on the team): ``amount``
    is the hours the staff costs leave out, ``subject_id`` a time sheet to look at, ``day``
    the (first) month; they concern a person too. ``time_sheets_over_year`` (level
    ``over``): a team member's hours (``amount``) in calendar ``year`` above 1,720 x their
    full-time share (``limit``, in hours), ``subject_id`` and ``day`` that year's last sheet.
    """

    level: WarningLevel
    what: str
    amount: Decimal
    """What was used: spent, planned, paid, a flat-rate percentage or a trip's amount."""
    limit: Decimal | None = None
    """Planned, the cap, the legal maximum percentage; None for a claim."""
    percent: Decimal | None = None
    category: str | None = None
    project_year: int | None = None
    year: int | None = None
    """Calendar year (volunteer allowances)."""
    subject_id: str | None = None
    """Volunteer, trip or time sheet id: local only."""
    day: date | None = None
    """A claim's deadline; the last deployment day compared (``volunteers_unbooked``); a
    time sheet's month (its first day)."""

    @property
    def personal(self) -> bool:
        """Whether it concerns one person and so may not leave the laptop."""
        return self.what in (*VOLUNTEER_WARNINGS, *TIME_SHEET_WARNINGS, "claim")
