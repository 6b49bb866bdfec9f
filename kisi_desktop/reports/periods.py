"""Reporting periods: project years (October to September), calendar years, quarters, ranges.

KISI runs from 1 October 2025 to 30 September 2028; the ministry asks for figures per project
year, the EU per calendar year, and the guide sometimes for a quarter or any stretch of days.
Every period is a closed range of days, so "30 September" and "1 October" can never fall
into the same project year by an off-by-one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import N_, _

PROJECT_START = date(2025, 10, 1)
PROJECT_END = date(2028, 9, 30)
PROJECT_YEARS = 3


@dataclass(frozen=True, slots=True)
class Period:
    """The days from ``start`` to ``end``, both included."""

    start: date
    end: date
    key: str
    """How the period was asked for (``PY1``, ``2026``, ``2026-Q1``, ``2026-01-01..2026-03-31``)."""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise UserError(_("The period ends before it starts."))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1


def project_year(number: int) -> Period:
    """Project year ``number`` (1-3): 1 October to 30 September."""
    if not 1 <= number <= PROJECT_YEARS:
        raise UserError(_("KISI has project years 1 to 3."))
    start = date(PROJECT_START.year + number - 1, 10, 1)
    return Period(start, date(start.year + 1, 9, 30), f"PY{number}")


def project_year_of(day: date) -> int | None:
    """The project year ``day`` falls into, or None outside the project."""
    for number in range(1, PROJECT_YEARS + 1):
        if day in project_year(number):
            return number
    return None


def whole_project() -> Period:
    """All three project years."""
    return Period(PROJECT_START, PROJECT_END, "project")


def _check_year(year: int) -> None:
    # "0000" is four digits too; a calendar has no year 0 (nor one past 9999).
    if not MINYEAR <= year <= MAXYEAR:
        raise UserError(_("There is no year {year}.").format(year=year))


def calendar_year(year: int) -> Period:
    """1 January to 31 December."""
    _check_year(year)
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def quarter(year: int, number: int) -> Period:
    """Calendar quarter ``number`` (1-4) of ``year``."""
    if not 1 <= number <= 4:
        raise UserError(_("A quarter is numbered 1 to 4."))
    _check_year(year)
    start = date(year, 3 * number - 2, 1)
    end = date(year, 12, 31) if number == 4 else date(year, 3 * number + 1, 1) - timedelta(days=1)
    return Period(start, end, f"{year}-Q{number}")


def parse_period(text: str) -> Period:
    """A period from how a guide types it on the command line.

    ``PY1``..``PY3`` (project years), ``project``, ``2026`` (calendar year), ``2026-Q2``,
    or ``2026-01-15..2026-03-31``.

    Raises:
        UserError: the text is none of these.
    """
    value = text.strip()
    upper = value.upper()
    if m := re.fullmatch(r"PY([1-9])", upper):
        return project_year(int(m.group(1)))
    if upper == "PROJECT":
        return whole_project()
    if re.fullmatch(r"\d{4}", value):
        return calendar_year(int(value))
    if m := re.fullmatch(r"(\d{4})-Q([1-9])", upper):
        return quarter(int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", value):
        try:
            start, end = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
        except ValueError:
            raise UserError(_("{text}: not a valid date.").format(text=value)) from None
        return Period(start, end, value)
    raise UserError(
        _("Unknown period {text!r}: use PY1, 2026, 2026-Q1 or 2026-01-01..2026-03-31.").format(
            text=value
        )
    )


def project_reach(period: Period) -> str | None:
    """A msgid saying that ``period`` reaches outside the project, or None if it lies in it.

    The AMIF indicators count only days of the project; the other sections (contacts,
    needs, events...) every day of the period. A report of 1 September to 31 October 2025
    showed September's contacts under indicators that counted October alone, and said
    nothing of it. The msgid has ``{start}`` and ``{end}`` for the project's days.
    """
    if period.end < PROJECT_START or period.start > PROJECT_END:
        return N_(
            "The period lies outside the project ({start} – {end}): the AMIF indicators "
            "count none of its days; the other sections count every day of the period."
        )
    if period.start < PROJECT_START or period.end > PROJECT_END:
        return N_(
            "The period reaches beyond the project ({start} – {end}): the AMIF indicators "
            "count only its days within the project; the other sections count every day "
            "of the period."
        )
    return None
