"""Dates and amounts as guides type them into forms: "15.3.1990", "15.03.90", "150390",
"2026-03-15", "1.234,50" or "1,234.50".

A form must never store something other than what was meant: text that cannot be read
exactly raises :class:`UnreadableInput` with a message that shows how to write it, and the
form shows that message under the field. No Qt here, so the rules are tested on their own.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from kisi_desktop.core.domain.fields import MAX_DATE, MIN_DATE
from kisi_desktop.core.i18n import _

# A two-digit year means the century that puts it at most this many years ahead: "27"
# is 2027 for a contact, "90" is 1990 for a birth date.
YEARS_AHEAD = 10

# "15.3." and "15.3" mean this year; "15.122" is not read as 15.01.2022.
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4})?)?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DIGITS = re.compile(r"\d{6}|\d{8}")
# Thousands groups: a first group without a leading zero ("0.500" is not 500).
_GROUPED = {
    ",": re.compile(r"-?[1-9]\d{0,2}(,\d{3})+", re.ASCII),
    ".": re.compile(r"-?[1-9]\d{0,2}(\.\d{3})+", re.ASCII),
}
_PLAIN_NUMBER = re.compile(r"-?\d+", re.ASCII)
_DIGITS_ONLY = re.compile(r"\d+", re.ASCII)


class UnreadableInput(ValueError):
    """What was typed is not a value of the field's kind; ``str()`` says how to write one."""


def format_typed_date(day: date, language: str) -> str:
    """``day`` as the date field shows it: 15.03.1990 in German, 1990-03-15 in English."""
    if language == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    return day.isoformat()


def parse_typed_date(
    text: str, language: str, today: date, *, years_ahead: int = YEARS_AHEAD
) -> date | None:
    """The date ``text`` names, None for empty text, or :class:`UnreadableInput`.

    Read in either language: ``d.m.yyyy``, ``d.m.yy``, ``d.m.`` (this year), ISO
    ``yyyy-mm-dd``, and runs of digits ``ddmmyy``, ``ddmmyyyy`` or ``yyyymmdd`` (the
    language's own order first when both would be dates). ``years_ahead``: how far
    ahead a two-digit year may land; 0 for dates that cannot lie ahead (a birth date:
    "15.03.30" is 1930, not 2030).
    """
    text = text.strip()
    if not text:
        return None
    if iso := _ISO.fullmatch(text):
        return _day(int(iso[1]), int(iso[2]), int(iso[3]))
    if dotted := _DOTTED.fullmatch(text):
        return _day(_year(dotted[3], today, years_ahead), int(dotted[2]), int(dotted[1]))
    if _DIGITS.fullmatch(text):
        if len(text) == 6:
            return _day(_year(text[4:], today, years_ahead), int(text[2:4]), int(text[:2]))
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
    whole, fraction = text, ""
    if "," in text and "." in text:
        # The last mark is the decimal one; everything before it must be grouped right.
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        whole, fraction = text.rsplit(decimal_mark, 1)
        if not _GROUPED["." if decimal_mark == "," else ","].fullmatch(whole):
            raise UnreadableInput(_amount_hint(language))
    elif "," in text or "." in text:
        mark = "," if "," in text else "."
        thousands = "." if language == "de" else ","
        if not (mark == thousands and _GROUPED[mark].fullmatch(text)):
            whole, _mark, fraction = text.partition(mark)
    whole = whole.replace(",", "").replace(".", "")
    # Plain digits only: no "1e5", "NaN" or "1_000", which Decimal would take.
    if not _PLAIN_NUMBER.fullmatch(whole) or (fraction and not _DIGITS_ONLY.fullmatch(fraction)):
        raise UnreadableInput(_amount_hint(language))
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def parse_typed_whole(text: str, *, example: int = 1985) -> int | None:
    """A whole number typed into a field ("1985", "-3"), None for empty text; the message
    for anything else shows ``example`` (a year, or a count)."""
    text = text.strip()
    if not text:
        return None
    if not _PLAIN_NUMBER.fullmatch(text):
        raise UnreadableInput(
            _("Enter a whole number, for example {example}.").format(example=example)
        )
    return int(text)


def _amount_hint(language: str) -> str:
    # The example with the decimal mark the guide's language writes: 12,50 or 12.50.
    example = "12,50" if language == "de" else "12.50"
    return _("Enter an amount, for example {example}.").format(example=example)


def _date_hint(language: str) -> str:
    example = format_typed_date(date(1990, 3, 15), language)
    return _("Enter the date as {form}, for example {example}.").format(
        form=_("DD.MM.YYYY") if language == "de" else _("YYYY-MM-DD"), example=example
    )


def _year(text: str | None, today: date, years_ahead: int) -> int:
    if text is None:
        return today.year
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= today.year + years_ahead else 1900
    return year


def _exists(year: int, month: int, day: int) -> bool:
    try:
        return MIN_DATE <= date(year, month, day) <= MAX_DATE
    except ValueError:
        return False


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)  # (the record checks the range, with its message)
    except ValueError:
        raise UnreadableInput(_("This date does not exist.")) from None


def date_hint(language: str) -> str:
    """How to write a date in ``language``, with an example (for messages)."""
    return _date_hint(language)
