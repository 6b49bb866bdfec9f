"""Field kinds: strict checks, exact decimals, strict ISO dates, clear field names."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain.field_groups import Counts, Many
from kisi_desktop.core.domain.fields import (
    Amount,
    Day,
    Month,
    Text,
    Whole,
    parse_date,
    parse_decimal,
)
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import set_ui_language


def field_of(call: object, *args: object) -> str:
    with pytest.raises(ValidationError) as error:
        call(*args, "f")  # type: ignore[operator]
    return error.value.field


def test_text_limits_required_and_single_line() -> None:
    text = Text(5, required=True)
    assert text.check("ab", "f") == "ab"
    for bad in ("", "   ", "abcdef", "a\nb", "a\x00", 5):
        assert field_of(text.check, bad) == "f"
    assert Text(5, multiline=True).check("a\nb", "f") == "a\nb"
    assert field_of(Text(5, multiline=True).check, "a\x07") == "f"


def test_text_refuses_lone_surrogates_that_cannot_be_stored_as_utf8() -> None:
    assert field_of(Text(5).check, "a\ud800") == "f"


def test_amount_is_exact_bounded_and_refuses_float() -> None:
    money = Amount(strict_minimum=True)
    assert money.check(Decimal("0.01"), "f") == Decimal("0.01")
    assert money.check(7, "f") == Decimal(7)
    for bad in (
        Decimal(0),
        Decimal("-1"),
        Decimal("1.001"),
        0.5,
        Decimal("NaN"),
        Decimal("Infinity"),
        True,
        "1",
    ):
        assert field_of(money.check, bad) == "f"
    assert Amount().check(Decimal(0), "f") == 0
    assert field_of(Amount(maximum=Decimal(100)).check, Decimal("100.01")) == "f"


def test_amount_with_positive_exponent_is_normalised() -> None:
    value = Amount().check(Decimal("1E+3"), "f")
    assert value == 1000
    assert Amount().encode(value) == "1000"


def test_parse_decimal_takes_plain_strings_and_ints_only() -> None:
    assert parse_decimal("35.00", "f") == Decimal("35.00")
    assert parse_decimal(12, "f") == 12
    for bad in (35.5, "1e3", "1,5", " 1", "", "NaN", True, None):
        assert field_of(parse_decimal, bad) == "f"


def test_day_refuses_datetimes_and_implausible_years() -> None:
    day = Day()
    assert day.check(date(2025, 1, 1), "f") == date(2025, 1, 1)
    for bad in (datetime(2025, 1, 1), date(1899, 12, 31), date(2101, 1, 1), "2025-01-01"):
        assert field_of(day.check, bad) == "f"


def test_parse_date_is_strict_iso() -> None:
    assert parse_date("2025-10-01", "f") == date(2025, 10, 1)
    for bad in ("20251001", "2025-W40-1", "2025-10-01T00:00", "2025-13-01", 20251001):
        assert field_of(parse_date, bad) == "f"


def test_whole_refuses_bool_and_out_of_range() -> None:
    whole = Whole(0, 10)
    assert whole.check(10, "f") == 10
    for bad in (True, -1, 11, 1.0):
        assert field_of(whole.check, bad) == "f"


def test_many_normalises_to_tuple_and_refuses_duplicates() -> None:
    many = Many(Whole(0, 9), max_items=3)
    assert many.check([1, 2], "f") == (1, 2)
    for bad in ([1, 1], [1, 2, 3, 4], "12", [10]):
        assert field_of(many.check, bad) == "f"


def test_counts_accept_dicts_and_store_sorted_pairs() -> None:
    counts = Counts("genders")
    assert counts.check({"male": 2, "female": 3}, "f") == (("female", 3), ("male", 2))
    assert counts.encode((("female", 3),)) == {"female": 3}
    for bad in ({"female": -1}, {"female": True}, [("female", 1), ("female", 2)], 3):
        assert field_of(counts.check, bad) == "f"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_day_encoding_round_trips(value: date) -> None:
    day = Day()
    assert day.check(day.decode(day.encode(value), "f"), "f") == value


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10_000_000), places=2))
def test_amount_encoding_round_trips(value: Decimal) -> None:
    money = Amount(strict_minimum=True)
    assert money.check(money.decode(money.encode(money.check(value, "f")), "f"), "f") == value


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-11", "2026-11"),
        ("2026-3", "2026-03"),
        ("11/2026", "2026-11"),
        ("3/2026", "2026-03"),
        ("11.2026", "2026-11"),
        (" 11 / 2026 ", "2026-11"),
        ("November 2026", "2026-11"),
        ("november 2026", "2026-11"),
        ("März 2026", "2026-03"),
        ("Okt. 2026", "2026-10"),
        ("Oct 2026", "2026-10"),
    ],
)
def test_a_month_is_taken_as_people_write_it_and_stored_as_yyyy_mm(typed: str, stored: str) -> None:
    """QA 26b: only ``2026-11`` was accepted; ``11/2026`` and ``November 2026`` were not."""
    set_ui_language("de")
    assert Month().check(typed, "month") == stored


@pytest.mark.parametrize(
    "typed", ["13/2026", "00/2026", "11/1999", "2026-13", "Nov", "Brumaire 2026", "11/26"]
)
def test_a_month_that_is_none_says_the_form_it_expects(typed: str) -> None:
    set_ui_language("de")
    with pytest.raises(ValidationError) as caught:
        Month().check(typed, "month")
    assert caught.value.message == "Erwartet wird ein Monat als MM/JJJJ, z. B. 03/2026."
    set_ui_language("en")
    with pytest.raises(ValidationError) as caught:
        Month().check(typed, "month")
    assert caught.value.message == "Expected a month as MM/YYYY, e.g. 03/2026."


def test_limits_in_messages_are_written_as_the_ui_language_writes_numbers() -> None:
    """QA 26b: the budget plan said "Darf höchstens 10000000 sein."."""
    set_ui_language("de")
    said = {}
    for name, spec, value in (
        ("most", Amount(), Decimal("10000000.01")),
        ("least", Amount(minimum=Decimal("1500.5")), Decimal(1)),
        ("more", Amount(minimum=Decimal(1000), strict_minimum=True), Decimal(1000)),
        ("day", Day(), date(1899, 12, 31)),
        ("text", Text(20_000), "x" * 20_001),
    ):
        with pytest.raises(ValidationError) as caught:
            spec.check(value, "field")
        said[name] = caught.value.message
    assert said == {
        "most": "Darf höchstens 10.000.000 sein.",
        "least": "Muss mindestens 1.500,5 sein.",
        "more": "Muss größer als 1.000 sein.",
        "day": "Das Datum muss zwischen 01.01.1900 und 31.12.2100 liegen.",
        "text": "Höchstens 20.000 Zeichen.",
    }
    set_ui_language("en")
    with pytest.raises(ValidationError) as caught:
        Amount().check(Decimal("10000000.01"), "field")
    assert caught.value.message == "Must be at most 10,000,000."
