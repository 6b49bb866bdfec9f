"""Dates and amounts as guides type them into forms: "15.3.1990", "15.03.90", "150390",
"2026-03-15", "1.234,50" or "1,234.50".

A form must never store something other than what was meant: text that cannot be read
exactly raises :class:`UnreadableInput` with a message that shows how to write it, and the
form shows that message under the field. No Qt here, so the rules are tested on their own.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from kisi_desktop.core.i18n import _

# A two-digit year means the century that puts it at most this many years ahead: "27"
# is 2027 for a contact, "90" is 1990 for a birth date.
YEARS_AHEAD = 10

_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.?(\d{2}|\d{4})?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DIGITS = re.compile(r"\d{6}|\d{8}")
_GROUPED = {",": re.compile(r"\d{1,3}(,\d{3})+"), ".": re.compile(r"\d{1,3}(\.\d{3})+")}


class UnreadableInput(ValueError):
    """What was typed is not a value of the field's kind; ``str()`` says how to write one."""


def format_typed_date(day: date, language: str) -> str:
    """``day`` as the date field shows it: 15.03.1990 in German, 1990-03-15 in English."""
    if language == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    return day.isoformat()


def parse_typed_date(text: str, language: str, today: date) -> date | None:
    """The date ``text`` names, None for empty text, or :class:`UnreadableInput`.

    Read in either language: ``d.m.yyyy``, ``d.m.yy``, ``d.m.`` (this year), ISO
    ``yyyy-mm-dd``, and runs of digits ``ddmmyy``, ``ddmmyyyy`` or ``yyyymmdd`` (the
    language's own order first when both would be dates).
    """
    text = text.strip()
    if not text:
        return None
    if iso := _ISO.fullmatch(text):
        return _day(int(iso[1]), int(iso[2]), int(iso[3]))
    if dotted := _DOTTED.fullmatch(text):
        return _day(_year(dotted[3], today), int(dotted[2]), int(dotted[1]))
    if _DIGITS.fullmatch(text):
        if len(text) == 6:
            return _day(_year(text[4:], today), int(text[2:4]), int(text[:2]))
        orders = [(text[4:], text[2:4], text[:2]), (text[:4], text[4:6], text[6:])]
        if language != "de":
            orders.reverse()
        for y, m, d in orders:
            if _exists(int(y), int(m), int(d)):
                return date(int(y), int(m), int(d))
        raise UnreadableInput(_("This date does not exist."))
    raise UnreadableInput(_date_hint(language))


def parse_typed_amount(text: str, language: str) -> Decimal | None:
    """The amount ``text`` names ("1.234,50 €", "1,234.50", "12,5"), None for empty text.

    With both separators the last one is the decimal mark. With one kind only, it groups
    thousands when every group after the first has three digits and the language writes
    thousands that way (German "1.234", English "1,234"); otherwise it is the decimal
    mark, so "12,50" means the same in either language.
    """
    # The euro sign before or after the figure only: "12€50" is not read as 1250.
    text = text.strip().removesuffix("€").removeprefix("€").strip()
    text = text.replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        text = text.replace(grouping, "").replace(decimal_mark, ".")
    elif "," in text or "." in text:
        mark = "," if "," in text else "."
        thousands = "." if language == "de" else ","
        if mark == thousands and _GROUPED[mark].fullmatch(text.lstrip("-")):
            text = text.replace(mark, "")
        else:
            text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise UnreadableInput(_("Enter an amount, for example 1234,50.")) from None


def _date_hint(language: str) -> str:
    example = format_typed_date(date(1990, 3, 15), language)
    return _("Enter the date as {form}, for example {example}.").format(
        form=_("DD.MM.YYYY") if language == "de" else _("YYYY-MM-DD"), example=example
    )


def _year(text: str | None, today: date) -> int:
    if text is None:
        return today.year
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= today.year + YEARS_AHEAD else 1900
    return year


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _day(year: int, month: int, day: int) -> date:
    if not _exists(year, month, day):
        raise UnreadableInput(_("This date does not exist."))
    return date(year, month, day)
