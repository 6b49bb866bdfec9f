"""Translation and locale formatting for the UI language, and translators for other languages.

The UI speaks one language at a time (German by default, English selectable); handouts
need several at once, so :func:`translator` returns an independent gettext object for any
language. Catalogs live in ``translations/<lang>/LC_MESSAGES/kisi.mo`` (compiled with
Babel from the ``.po`` files beside them).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kisi_desktop.core.mo_catalog import LazyTranslations

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "kisi"
DEFAULT_LANGUAGE = "de"
UI_LANGUAGES = ("de", "en")

_TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"


def translations_dir() -> Path:
    """Folder holding the gettext catalogs (source checkout or installed package)."""
    return _TRANSLATIONS_DIR


def translator(language: str) -> gettext.NullTranslations:
    """Return a gettext translator for ``language``; untranslated strings stay as written.

    Source strings are English, so English needs no catalog. Each message is looked up
    in the catalog file when first asked for (core/mo_catalog.py): reading the German
    catalog whole held up every start 10-12 ms.
    """
    return gettext.translation(
        DOMAIN,
        localedir=str(_TRANSLATIONS_DIR),
        languages=[language],
        fallback=True,
        class_=LazyTranslations,
    )


class _UiLanguage:
    """The UI's current language; switched by the app at start-up or from settings."""

    def __init__(self) -> None:
        self.code = DEFAULT_LANGUAGE
        self.translation: gettext.NullTranslations = translator(DEFAULT_LANGUAGE)


_ui = _UiLanguage()


def set_ui_language(language: str) -> None:
    """Switch the UI language (``de`` or ``en``) for every later call of :func:`_`."""
    if language not in UI_LANGUAGES:
        raise ValueError(f"unsupported UI language: {language!r}")
    _ui.code = language
    _ui.translation = translator(language)


def ui_language() -> str:
    """The code of the current UI language."""
    return _ui.code


def _(message: str) -> str:
    """Translate ``message`` into the current UI language."""
    return _ui.translation.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for marking strings
    """Mark ``message`` for extraction without translating it yet (module-level strings)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the count ``n``."""
    return _ui.translation.ngettext(singular, plural, n)


def isolated(text: str) -> str:
    """``text`` inside Unicode isolates (UAX #9, FSI ... PDI), so that an Arabic or Dari
    name placed in a German sentence does not turn the whole paragraph right-to-left."""
    return f"\u2068{text}\u2069"


class _Babel(NamedTuple):
    parse_locale: Callable[[str], Locale]
    format_date: Callable[..., str]
    format_datetime: Callable[..., str]
    format_time: Callable[..., str]
    format_decimal: Callable[..., str]
    format_currency: Callable[..., str]
    format_list: Callable[..., str]


@cache
def _babel() -> _Babel:
    """Babel's formatters, imported at the first date or number shown, not with this
    module: the unlock screen shows none, and Babel's import is about 15 ms of the start
    (the window's preload imports it while the passphrase is typed)."""
    from babel import Locale
    from babel.dates import format_date, format_datetime, format_time
    from babel.lists import format_list
    from babel.numbers import format_currency, format_decimal

    return _Babel(
        Locale.parse, format_date, format_datetime, format_time,
        format_decimal, format_currency, format_list,
    )  # fmt: skip


def _locale(language: str | None) -> Locale:
    return _parsed_locale(language or _ui.code)


@cache
def _parsed_locale(code: str) -> Locale:
    """Parsed once per language: parsing took 60 % of each date's formatting (a person
    page shows one for each of up to a thousand entries)."""
    return _babel().parse_locale(code)


def format_date(value: date, language: str | None = None, fmt: str = "medium") -> str:
    """A date as a reader of ``language`` (default: the UI language) expects it."""
    return _babel().format_date(value, format=fmt, locale=_locale(language))


def format_datetime(value: datetime, language: str | None = None, fmt: str = "medium") -> str:
    """A date and time in the conventions of ``language`` (default: the UI language)."""
    return _babel().format_datetime(value, format=fmt, locale=_locale(language))


def format_time(value: time, language: str | None = None, fmt: str = "short") -> str:
    """A time of day in the conventions of ``language`` (German 06:55, English 6:55 AM)."""
    return _babel().format_time(value, format=fmt, locale=_locale(language))


def format_moment(value: datetime, language: str | None = None) -> str:
    """A moment as lists show one: the date as in every other column (26.11.2026, not the
    short form's 26.11.26), then the time to the minute; in local time when ``value``
    knows its zone (stored moments are UTC)."""
    local = value.astimezone() if value.tzinfo is not None else value
    return f"{format_date(local.date(), language)} {format_time(local.time(), language)}"


def country_name(code: str, language: str | None = None) -> str:
    """The country of an ISO 3166-1 code in the UI language ("Äthiopien" for ET), the
    names the reference data has too; a code Babel does not know, as it is."""
    return str(_locale(language).territories.get(code, code))


def format_number(value: int | Decimal | float, language: str | None = None) -> str:
    """A number with the grouping and decimal marks of ``language``."""
    return _babel().format_decimal(value, locale=_locale(language))


def format_km(value: Decimal, language: str | None = None) -> str:
    """A distance as the lists show it, always to the one decimal place a km field takes
    ("31,0" beside "31,2"): a column of "31" and "31,2" looked like two kinds of figure."""
    return _babel().format_decimal(
        value, format="#,##0.0", locale=_locale(language), decimal_quantization=True
    )


def format_typed_number(value: Decimal, language: str | None = None) -> str:
    """A number as a form shows it for editing: the language's grouping and decimal mark,
    and exactly the decimals it has ("64.800,00", "45,5"), so that what the field shows
    reads back as the same value (``typed_input.parse_typed_amount``)."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return _babel().format_decimal(
        value, format=pattern, locale=_locale(language), decimal_quantization=False
    )


def format_money(value: Decimal, language: str | None = None, currency: str = "EUR") -> str:
    """An amount of money, e.g. ``290.657,90 €`` in German."""
    return _babel().format_currency(value, currency, locale=_locale(language))


def month_names(language: str | None = None) -> dict[str, int]:
    """Each month's names in ``language`` (default: the UI language) and in English, full
    and short, case-folded and without a final dot: what a guide may type for a month."""
    names: dict[str, int] = {}
    for code in (language or _ui.code, "en"):
        months = _locale(code).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    names.setdefault(name.casefold().rstrip("."), number)
    return names


def format_list(items: Sequence[str], language: str | None = None) -> str:
    """Items joined as a sentence in ``language`` lists them: ``100 h und 120 h``."""
    return _babel().format_list(list(items), locale=_locale(language))


def load_formatting() -> None:
    """Import Babel and read the UI language's locale data now: a thread calls this ahead
    of the first date or number the window shows (Babel reads a locale's data at its
    first use, 7 ms for German, not when the locale is named)."""
    format_date(date(2000, 1, 1))
    format_number(Decimal("1000.5"))
    format_money(Decimal(1))
