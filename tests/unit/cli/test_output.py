"""``cli/output.py``: the tables of the listing commands read as the window's lists do."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from kisi_desktop.core.i18n import format_moment, set_ui_language

from kisi_desktop.cli.output import stored_day, stored_moment, table


def _cells(*values: object) -> list[str]:
    """The row of ``values`` as the table prints it, split at its column gaps."""
    headers = [f"h{i}" for i in range(len(values))]
    return table(headers, [values])[1].split("  ")


def test_german_dates_decimals_and_yes_no() -> None:
    set_ui_language("de")
    cells = _cells(date(2026, 11, 26), Decimal("2.5"), Decimal("99999.99"), 0.5, True, None)
    assert [c.strip() for c in cells if c] == ["26.11.2026", "2,5", "99.999,99", "0,5", "ja", "-"]


def test_english_as_the_window_shows_them() -> None:
    set_ui_language("en")
    cells = _cells(date(2026, 11, 26), Decimal("2.5"), Decimal("99999.99"), False)
    assert [c.strip() for c in cells if c] == ["Nov 26, 2026", "2.5", "99,999.99", "no"]


def test_whole_hours_lose_the_point_zero_as_in_the_window() -> None:
    set_ui_language("de")
    assert _cells(Decimal("9.0")) == ["9"]


def test_a_moment_shows_in_local_time_to_the_minute() -> None:
    set_ui_language("de")
    moment = datetime(2026, 11, 26, 23, 54, 22, tzinfo=UTC)
    local = moment.astimezone()
    expected = f"{local:%d.%m.%Y} {local:%H:%M}"
    assert _cells(moment) == [expected] == [format_moment(moment)]
    # A moment of no zone is taken as it is.
    assert _cells(datetime(2026, 1, 2, 3, 4)) == ["02.01.2026 03:04"]


def test_lists_are_joined_with_a_space_and_each_item_formatted() -> None:
    set_ui_language("de")
    assert _cells((date(2026, 1, 2), Decimal("1.5"))) == ["02.01.2026, 1,5"]
    assert _cells(()) == ["-"]


def test_stored_text_becomes_a_date_or_moment_and_odd_text_stays() -> None:
    assert stored_day("2026-11-26") == date(2026, 11, 26)
    assert stored_moment("2026-11-26T23:54:22Z") == datetime(
        2026, 11, 26, 23, 54, 22, tzinfo=timezone(timedelta(0))
    )
    assert stored_day("soon") == "soon" and stored_moment("later") == "later"
    assert stored_day(None) is None and stored_moment("") is None
