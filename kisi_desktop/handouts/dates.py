"""The date of issue in the reader's language, with a fallback Babel cannot fail on."""

from __future__ import annotations

from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date


def issue_date(day: date, locale: str) -> str:
    """``day`` as a reader of ``locale`` writes it (long form: "25. November 2026").

    Babel has no data for some languages a guide may add (and a user folder may name a
    locale that does not exist): those get the ISO form 2026-11-25, which every reader
    parses and which cannot be misread as day/month or month/day.
    """
    if locale:
        try:
            return format_date(day, format="long", locale=Locale.parse(locale))
        except (UnknownLocaleError, ValueError):
            pass
    return day.isoformat()
