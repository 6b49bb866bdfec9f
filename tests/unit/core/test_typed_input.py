"""Dates and amounts as guides type them: read exactly, or refused with a hint."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.typed_input import (
    UnreadableInput,
    format_typed_date,
    parse_typed_amount,
    parse_typed_date,
    parse_typed_whole,
)

TODAY = date(2026, 11, 26)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
LANGUAGES = st.sampled_from(["de", "en"])


@pytest.fixture(autouse=True)
def _german() -> None:
    set_ui_language("de")


@given(day=DAYS, shown_in=LANGUAGES, read_in=LANGUAGES)
def test_a_date_as_the_field_shows_it_reads_back_in_either_language(
    day: date, shown_in: str, read_in: str
) -> None:
    assert parse_typed_date(format_typed_date(day, shown_in), read_in, TODAY) == day


@given(day=DAYS, language=LANGUAGES)
def test_the_ways_people_type_a_date_all_mean_that_date(day: date, language: str) -> None:
    d, m, y = day.day, day.month, day.year
    for typed in (
        f"{d}.{m}.{y}",
        f"{d:02d}.{m:02d}.{y}",
        f" {d}.{m}.{y} ",
        f"{y}-{m}-{d}",
        f"{d:02d}{m:02d}{y}" if language == "de" else f"{y}{m:02d}{d:02d}",
    ):
        assert parse_typed_date(typed, language, TODAY) == day, typed


@given(day=st.dates(min_value=date(1937, 1, 1), max_value=date(2036, 12, 31)))
def test_two_digit_years_land_within_ten_years_ahead(day: date) -> None:
    short = f"{day.day:02d}.{day.month:02d}.{day.year % 100:02d}"
    assert parse_typed_date(short, "de", TODAY) == day
    assert parse_typed_date(short.replace(".", ""), "de", TODAY) == day


def test_a_birth_date_with_a_two_digit_year_never_lands_ahead() -> None:
    """A 96-year-old's "15.03.30" is 1930, not a birth four years from now."""
    assert parse_typed_date("15.03.30", "de", TODAY, years_ahead=0) == date(1930, 3, 15)
    assert parse_typed_date("150330", "de", TODAY, years_ahead=0) == date(1930, 3, 15)
    assert parse_typed_date("15.03.26", "de", TODAY, years_ahead=0) == date(2026, 3, 15)
    assert parse_typed_date("15.03.30", "de", TODAY) == date(2030, 3, 15)  # a due date


def test_a_second_dot_is_needed_before_the_year() -> None:
    for typed in ("15.122", "15.390"):
        with pytest.raises(UnreadableInput):
            parse_typed_date(typed, "de", TODAY)


def test_eight_digits_read_as_a_day_outside_1900_to_2100_are_not_chosen() -> None:
    assert parse_typed_date("20110512", "de", TODAY) == date(2011, 5, 12)  # not 20.11.0512


def test_day_and_month_alone_mean_this_year() -> None:
    assert parse_typed_date("3.12.", "de", TODAY) == date(2026, 12, 3)
    assert parse_typed_date("3.12", "en", TODAY) == date(2026, 12, 3)


def test_eight_digits_are_read_in_the_languages_order_first() -> None:
    # 19.12.1912 or 1912-12-19: both exist.
    assert parse_typed_date("19121912", "de", TODAY) == date(1912, 12, 19)
    assert parse_typed_date("19121912", "en", TODAY) == date(1912, 12, 19)
    assert parse_typed_date("01022027", "de", TODAY) == date(2027, 2, 1)
    assert parse_typed_date("20260315", "de", TODAY) == date(2026, 3, 15)  # only ISO fits
    assert parse_typed_date("01022027", "en", TODAY) == date(2027, 2, 1)  # only D.M.Y fits


def test_empty_is_no_date() -> None:
    assert parse_typed_date("", "de", TODAY) is None
    assert parse_typed_date("   ", "en", TODAY) is None


@pytest.mark.parametrize(
    "typed", ["31.02.2026", "29.2.2025", "2026-13-01", "00.01.2026", "32012026"]
)
def test_a_day_that_does_not_exist_is_refused(typed: str) -> None:
    with pytest.raises(UnreadableInput, match="gibt es nicht"):
        parse_typed_date(typed, "de", TODAY)


@pytest.mark.parametrize("typed", ["01/02/2027", "morgen", "1.2.3.4", "12345", "2026-3", "15 März"])
def test_text_that_is_no_date_gets_a_hint_in_the_fields_language(typed: str) -> None:
    with pytest.raises(UnreadableInput) as german:
        parse_typed_date(typed, "de", TODAY)
    assert str(german.value) == "Datum als TT.MM.JJJJ eingeben, z. B. 15.03.1990."
    set_ui_language("en")
    with pytest.raises(UnreadableInput) as english:
        parse_typed_date(typed, "en", TODAY)
    assert str(english.value) == "Enter the date as YYYY-MM-DD, for example 1990-03-15."


@given(
    cents=st.integers(min_value=0, max_value=10**9),
    language=LANGUAGES,
)
def test_amounts_written_with_grouping_in_either_style_read_alike(
    cents: int, language: str
) -> None:
    amount = Decimal(cents) / 100
    english = f"{amount:,.2f}"
    german = english.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert parse_typed_amount(english, language) == amount
    assert parse_typed_amount(german, language) == amount
    assert parse_typed_amount(f"{german} €", language) == amount


def test_one_kind_of_mark_is_read_as_the_language_writes_it() -> None:
    assert (
        parse_typed_amount("12,50", "de") == parse_typed_amount("12,50", "en") == Decimal("12.50")
    )
    assert parse_typed_amount("1.234", "de") == Decimal(1234)
    assert parse_typed_amount("1.234", "en") == Decimal("1.234")  # refused later: 3 places
    assert parse_typed_amount("1,234", "en") == Decimal(1234)
    assert parse_typed_amount("1,234", "de") == Decimal("1.234")
    assert parse_typed_amount("", "de") is None


@pytest.mark.parametrize(
    "typed",
    [
        "zwölf",
        "1,2,3.4.5",
        "--5",
        "12€50",
        "1e5",
        "1E-2",
        "1e28",
        "NaN",
        "Infinity",
        "1_000",
        "1.00,50",  # a typo for 1.000,50: not 100.50
        "12.50,00",
        "1,2,3.45",
        "-",
    ],
)
def test_text_that_is_no_amount_is_refused(typed: str) -> None:
    with pytest.raises(UnreadableInput, match="Betrag"):
        parse_typed_amount(typed, "de")


@pytest.mark.parametrize(
    ("language", "hint"),
    [("de", "Betrag eingeben, z. B. 12,50."), ("en", "Enter an amount, for example 12.50.")],
)
def test_the_amount_hint_writes_its_example_as_the_language_does(language: str, hint: str) -> None:
    set_ui_language(language)  # (the autouse fixture and conftest set German back)
    with pytest.raises(UnreadableInput) as refused:
        parse_typed_amount("zwölf", language)
    assert str(refused.value) == hint


def test_a_leading_zero_is_no_thousands_group() -> None:
    assert parse_typed_amount("0.500", "de") == Decimal("0.500")  # refused later: 3 places
    assert parse_typed_amount("0,500", "en") == Decimal("0.500")


@given(number=st.integers(min_value=-(10**9), max_value=10**9))
def test_whole_numbers_read_back(number: int) -> None:
    assert parse_typed_whole(f" {number} ") == number


@pytest.mark.parametrize("typed", ["2,5", "19,90", "12a", "1e3", "—"])
def test_text_that_is_no_whole_number_is_refused_not_trimmed(typed: str) -> None:
    with pytest.raises(UnreadableInput, match="ganze Zahl"):
        parse_typed_whole(typed)


@given(
    value=st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False),
    language=st.sampled_from(["de", "en"]),
)
def test_an_amount_shown_for_editing_reads_back_as_itself(value: Decimal, language: str) -> None:
    """What a form shows ("5.176,99") is what saving reads, in either language."""
    from kisi_desktop.core.i18n import format_typed_number

    shown = format_typed_number(value, language)
    assert parse_typed_amount(shown, language) == value
    if value >= 1000:
        assert ("." if language == "de" else ",") in shown  # grouped, as the lists show it
