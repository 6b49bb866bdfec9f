"""Euro amounts and percentages as a reader of the report's language writes them.

Babel rounds half to even when it formats (2.665 becomes 2,66 €), while the budget rounds
half up everywhere (a Verwendungsnachweis is checked to the cent by people who round half
up). So amounts are quantized here first, and Babel only adds grouping, decimal mark and
the currency sign: ``290.657,90 €`` in German, ``€290,657.90`` in English.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_currency, format_decimal

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """``amount`` rounded to the cent, half up (3 x 33.335 = 100.005 -> 100.01)."""
    return amount.quantize(CENT, ROUND_HALF_UP)


def format_eur(amount: Decimal, language: str) -> str:
    """``amount`` in EUR for ``language``: ``de`` 290.657,90 €, ``en`` €290,657.90."""
    return format_currency(cents(amount), "EUR", locale=Locale.parse(language))


def format_percent(value: Decimal, language: str) -> str:
    """A percentage given as 0-100 with two decimals (``de``: 80,00 %, ``en``: 80.00%)."""
    locale = Locale.parse(language)
    number = format_decimal(cents(value), format="#,##0.00", locale=locale)
    suffix: str = locale.percent_formats[None].suffix[0]
    return number + suffix
