"""Field kinds shared by all records: check, encode to JSON, decode from JSON, check codes.

Every record field is annotated ``Annotated[type, Spec]``, so that the type and
format rules, the payload form and the reference-data check of a field are written once and
read the same way by the constructor (``__post_init__``), ``to_payload``, ``from_payload``
and ``validate``. Payloads are treated as untrusted: decoding accepts exactly the JSON types
``to_payload`` produces and nothing looser (STYLE.md rule 10: parse outside data in one
place).
"""

from __future__ import annotations

import abc
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from kisi_desktop.core.domain.ids import check_id
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import N_, _, format_date, format_number, month_names, ngettext

if TYPE_CHECKING:
    from kisi_desktop.core.domain.reference import ReferenceData

# Dates outside this window are typing errors (0202 for 2025), not real events.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
NAME_MAX = 200
SHORT_MAX = 500
NOTE_MAX = 20_000
LIST_MAX = 200

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL_RE = re.compile(r"-?\d{1,15}(\.\d{1,10})?")
_CODE_RE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")
COUNTRY_RE = re.compile(r"[A-Z]{2}")
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
AGS_RE = re.compile(r"\d{8}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_RE = re.compile(r"\+?[0-9][0-9 ()/.-]{2,39}")
URL_RE = re.compile(r"https?://\S+")
# What a refused value should have looked like, for the patterns people type by hand.
FORMAT_HINTS = {
    AGS_RE: N_("The municipality key (AGS) has 8 digits, e.g. 06534011."),
    EMAIL_RE: N_("An e-mail address, for example name@example.org."),
    PHONE_RE: N_("A + or a digit first, then digits, spaces and ( ) / . -, e.g. 06421 12345."),
    URL_RE: N_("A web address, for example https://www.vhs-marburg.de."),
}


class Spec(abc.ABC):
    """How one field is checked, encoded and decoded; subclasses name the kinds."""

    __slots__ = ()

    @abc.abstractmethod
    def check(self, value: Any, field: str) -> Any:
        """Check a Python value's type and format; return it (normalised) or raise."""

    def encode(self, value: Any) -> Any:
        """The JSON-safe form of a checked value."""
        return value

    def decode(self, raw: Any, field: str) -> Any:
        """Turn an untrusted JSON value into the Python value (checked again afterwards)."""
        return raw

    def check_ref(self, value: Any, field: str, ref: ReferenceData) -> None:  # noqa: B027 - a default: most kinds have no codes
        """Check codes against reference data; most kinds have none."""


class Text(Spec):
    """A string with a length limit; single-line unless ``multiline``; optional pattern."""

    __slots__ = ("max_len", "multiline", "pattern", "required")

    def __init__(
        self,
        max_len: int,
        *,
        required: bool = False,
        multiline: bool = False,
        pattern: re.Pattern[str] | None = None,
    ) -> None:
        self.max_len = max_len
        self.required = required
        self.multiline = multiline
        self.pattern = pattern

    def check(self, value: Any, field: str) -> str:
        if not isinstance(value, str):
            raise ValidationError(field, _("Expected text."))
        if self.required and not value.strip():
            raise ValidationError(field, _("This field is required."))
        if len(value) > self.max_len:
            raise ValidationError(
                field, _("At most {max} characters.").format(max=format_number(self.max_len))
            )
        # str.isprintable() is false for every control character and surrogate, so text
        # that passes it needs no character-by-character look (long ids lists, payloads).
        if not value.isprintable():
            allowed = "\n\r\t" if self.multiline else ""
            for char in value:
                if unicodedata.category(char) in ("Cc", "Cs") and char not in allowed:
                    raise ValidationError(field, _("Contains characters that are not allowed."))
        if value and self.pattern is not None and self.pattern.fullmatch(value) is None:
            hint = FORMAT_HINTS.get(self.pattern)
            raise ValidationError(field, _(hint) if hint else _("Not in a valid format."))
        return value


class OpenCode(Text):
    """A code of enumeration ``enum`` that may also be one the enumeration lacks (a guide's
    own handout topic): checked and stored as text, but read by its label where the
    reference data knows it (``core/record_text.field_text``), so the Art. 15 text and
    ``kisi person show`` say "Arabisch", not "ar"."""

    __slots__ = ("enum",)

    def __init__(self, enum: str, max_len: int, *, pattern: re.Pattern[str]) -> None:
        super().__init__(max_len, required=True, pattern=pattern)
        self.enum = enum


_MONTH_FORMS = (
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})"),  # 2026-11, as stored
    re.compile(r"(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4})"),  # 11/2026, 11.2026
    re.compile(r"(?P<name>[^\W\d_]+)\.?\s*(?P<year>\d{4})"),  # November 2026, Nov. 2026
)


class Month(Text):
    """A calendar month, stored as ``YYYY-MM`` and typed as people write it.

    Only ``2026-11`` was accepted, and ``11/2026`` or ``November 2026`` got "Not in a
    valid format." without a hint (QA 26b). ``check`` now takes ``YYYY-MM``, ``MM/YYYY``,
    ``MM.YYYY`` and the month's name (in the UI language or English) with the year, and
    returns ``YYYY-MM``; a refusal says the form it expects. Years 2000-2099: a month
    outside them is a typing slip.
    """

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(40, required=True)

    def check(self, value: Any, field: str) -> str:
        text = super().check(value, field).strip()
        for form in _MONTH_FORMS:
            found = form.fullmatch(text)
            if found is None:
                continue
            parts = found.groupdict()
            if "name" in parts:
                month = month_names().get(parts["name"].casefold())
            else:
                month = int(parts["month"])
            year = int(parts["year"])
            if month is not None and 1 <= month <= 12 and 2000 <= year <= 2099:
                return f"{year}-{month:02d}"
        raise ValidationError(field, _("Expected a month as MM/YYYY, e.g. 03/2026."))


class Code(Text):
    """A code from a reference-data enumeration (``enum``); format checked here."""

    __slots__ = ("enum",)

    def __init__(self, enum: str, pattern: re.Pattern[str] = _CODE_RE) -> None:
        super().__init__(40, required=True, pattern=pattern)
        self.enum = enum

    def check_ref(self, value: Any, field: str, ref: ReferenceData) -> None:
        if not ref.has_code(self.enum, value):
            raise ValidationError(field, _("Unknown code {code}.").format(code=value))


class Id(Spec):
    """A record id (own or foreign)."""

    __slots__ = ()

    def check(self, value: Any, field: str) -> str:
        return check_id(value, field)


class Day(Spec):
    """A calendar date between 1900 and 2100; ISO ``YYYY-MM-DD`` in payloads."""

    __slots__ = ()

    def check(self, value: Any, field: str) -> date:
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValidationError(field, _("Expected a date (YYYY-MM-DD)."))
        if not MIN_DATE <= value <= MAX_DATE:
            raise ValidationError(
                field,
                _("Date must be between {min} and {max}.").format(
                    min=format_date(MIN_DATE), max=format_date(MAX_DATE)
                ),
            )
        return value

    def encode(self, value: Any) -> str:
        return str(value.isoformat())

    def decode(self, raw: Any, field: str) -> date:
        return parse_date(raw, field)


class Amount(Spec):
    """An exact decimal (never float) with bounds and a maximum number of decimal places."""

    __slots__ = ("maximum", "minimum", "places", "strict_minimum")

    def __init__(
        self,
        *,
        minimum: Decimal = Decimal(0),
        strict_minimum: bool = False,
        maximum: Decimal = Decimal(10_000_000),
        places: int = 2,
    ) -> None:
        self.minimum = minimum
        self.strict_minimum = strict_minimum
        self.maximum = maximum
        self.places = places

    def check(self, raw: Any, field: str) -> Decimal:
        value = Decimal(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValidationError(field, _("Expected an exact decimal number."))
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > 0:
            value = value.quantize(Decimal(1))
        elif isinstance(exponent, int) and -exponent > self.places:
            # (km take one place: "Höchstens 1 Nachkommastellen" was bad German)
            raise ValidationError(
                field,
                ngettext(
                    "At most one decimal place.", "At most {places} decimal places.", self.places
                ).format(places=self.places),
            )
        # The bounds as the UI language writes numbers: "Darf höchstens 10000000 sein."
        # left the guide counting zeros (QA 26b); now "10.000.000".
        if self.strict_minimum and value <= self.minimum:
            raise ValidationError(
                field, _("Must be more than {min}.").format(min=format_number(self.minimum))
            )
        if value < self.minimum:
            raise ValidationError(
                field, _("Must be at least {min}.").format(min=format_number(self.minimum))
            )
        if value > self.maximum:
            raise ValidationError(
                field, _("Must be at most {max}.").format(max=format_number(self.maximum))
            )
        return value

    def encode(self, value: Any) -> str:
        return format(value, "f")

    def decode(self, raw: Any, field: str) -> Decimal:
        return parse_decimal(raw, field)


class Whole(Spec):
    """An integer within bounds (bool is refused although Python counts it as int)."""

    __slots__ = ("maximum", "minimum")

    def __init__(self, minimum: int, maximum: int) -> None:
        self.minimum = minimum
        self.maximum = maximum

    def check(self, value: Any, field: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(field, _("Expected a whole number."))
        if not self.minimum <= value <= self.maximum:
            raise ValidationError(
                field,
                _("Must be between {min} and {max}.").format(min=self.minimum, max=self.maximum),
            )
        return value


class Flag(Spec):
    """A yes/no value."""

    __slots__ = ()

    def check(self, value: Any, field: str) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(field, _("Expected yes or no."))
        return value


def parse_date(raw: Any, field: str) -> date:
    """Parse a strict ISO date ``YYYY-MM-DD`` (Python 3.11 alone would also take ``20250101``)."""
    if not isinstance(raw, str) or _DATE_RE.fullmatch(raw) is None:
        raise ValidationError(field, _("Expected a date (YYYY-MM-DD)."))
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(field, _("Expected a date (YYYY-MM-DD).")) from None


def parse_decimal(raw: Any, field: str) -> Decimal:
    """Parse a decimal from a plain numeric string or a JSON integer; floats are refused."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Decimal(raw)
    if not isinstance(raw, str) or _DECIMAL_RE.fullmatch(raw) is None:
        raise ValidationError(field, _("Expected an exact decimal number."))
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes this
        raise ValidationError(field, _("Expected an exact decimal number.")) from None
