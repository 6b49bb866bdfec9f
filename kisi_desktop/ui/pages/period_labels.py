"""How the period drop-downs of the Reports and Needs pages name a period, in the UI language.

Both pages offer the project years, the calendar years and the whole project; they read
alike because their labels come from here (one msgid each). What else a page offers
(quarters, a custom range) and how it keeps its entries is the page's own business.
"""

from __future__ import annotations

from kisi_desktop.core.i18n import _, format_date

from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START, Period

CALENDAR_YEARS = range(PROJECT_START.year, PROJECT_END.year + 1)  # 2025-2028


def months(period: Period, fmt: str = "LLLL yyyy") -> tuple[str, str]:
    """The first and last month of ``period``, written with the date pattern ``fmt``."""
    return format_date(period.start, fmt=fmt), format_date(period.end, fmt=fmt)


def project_year_label(period: Period, number: int) -> str:
    """ "Project year 1 (October 2025 – September 2026)"."""
    start, end = months(period)
    return _("Project year {n} ({start} – {end})").format(n=number, start=start, end=end)


def calendar_label(year: int) -> str:
    """ "Calendar year 2026"."""
    return _("Calendar year {year}").format(year=year)


def project_label(period: Period) -> str:
    """ "Whole project (October 2025 – September 2028)"."""
    start, end = months(period)
    return _("Whole project ({start} – {end})").format(start=start, end=end)
