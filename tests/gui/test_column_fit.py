"""Column widths of the list pages (kisi_desktop/ui/tables/column_fit.py), without a screen:
headings whole, no column wider than it needs while a text is cut, the longest texts cut
first, the first column last, and the room filled exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.ui.tables.column_fit import MIN_COLUMN, ColumnNeed, fit_columns

CAP = 300

needs_lists = st.lists(
    st.builds(
        ColumnNeed,
        heading=st.integers(min_value=30, max_value=180),
        text=st.integers(min_value=0, max_value=600),
    ),
    min_size=1,
    max_size=10,
)


def _want(need: ColumnNeed) -> int:
    return max(need.heading, min(need.text, CAP))


@settings(max_examples=300)
@given(needs=needs_lists, room=st.integers(min_value=0, max_value=2_000))
def test_headings_stay_whole_and_no_room_is_kept_from_a_cut_text(
    needs: list[ColumnNeed], room: int
) -> None:
    widths = fit_columns(needs, room, cap=CAP)
    assert len(widths) == len(needs)
    wants = [_want(n) for n in needs]
    headings = sum(n.heading for n in needs) - needs[0].heading + wants[0]
    if sum(n.heading for n in needs) <= room:
        # The headings fit together: every one is whole, and the table is filled.
        assert all(w >= n.heading for w, n in zip(widths, needs, strict=True))
        assert sum(widths) == room
    else:
        assert all(w >= min(n.heading, MIN_COLUMN) for w, n in zip(widths, needs, strict=True))
    if sum(wants) <= room:
        # Everything fits: nothing is cut; what is left goes to a text that wants more.
        assert all(w >= want for w, want in zip(widths, wants, strict=True))
        wider = [c for c, (w, want) in enumerate(zip(widths, wants, strict=True)) if w > want]
        assert all(needs[c].text > wants[c] or needs[c].text == max(n.text for n in needs)
                   for c in wider)  # fmt: skip
    elif headings <= room:
        # A text is cut only while no column is wider than it wants; the first keeps its
        # text; the others are cut longest first, to one width (give or take a pixel),
        # unless their heading needs more.
        assert all(w <= want for w, want in zip(widths, wants, strict=True))
        assert widths[0] == wants[0]
        cut = [c for c in range(1, len(needs)) if needs[c].heading < widths[c] < wants[c]]
        if cut:
            level = min(widths[c] for c in cut)
            assert max(widths[c] for c in cut) <= level + 1
            assert all(
                widths[c] <= level + 1 or widths[c] == needs[c].heading
                for c in range(1, len(needs))
                if c not in cut
            )


def test_the_partner_list_at_1366x768() -> None:
    """The audit's case: empty columns keep their headings only; the longest texts (the
    services, the languages) are cut, the names, types and phone numbers are whole."""
    needs = [
        ColumnNeed(heading=50, text=300),  # Name
        ColumnNeed(heading=40, text=154),  # Art: "Arbeitsmarkt / Jobcenter"
        ColumnNeed(heading=75, text=513),  # Angebote
        ColumnNeed(heading=70, text=182),  # Sprachen
        ColumnNeed(heading=105, text=15),  # Ansprechperson (empty)
        ColumnNeed(heading=60, text=104),  # Telefon
        ColumnNeed(heading=47, text=15),  # E-Mail (empty)
        ColumnNeed(heading=63, text=15),  # Webseite (empty)
    ]
    widths = fit_columns(needs, 1120, cap=CAP)
    assert sum(widths) == 1120
    assert widths[0] == 300 and widths[1] == 154 and widths[5] == 104
    assert (widths[4], widths[6], widths[7]) == (105, 47, 63)
    assert abs(widths[2] - widths[3]) <= 1 and max(widths[2], widths[3]) < 182


def test_spare_room_goes_to_the_longest_text_not_to_an_empty_column() -> None:
    needs = [ColumnNeed(60, 80), ColumnNeed(60, 500), ColumnNeed(60, 200), ColumnNeed(60, 0)]
    assert fit_columns(needs, 1000, cap=CAP) == (80, 660, 200, 60)


def test_the_budget_status_gives_way_to_the_category_names_first() -> None:
    """The Budget table: names on one line before statuses on one line, then names on
    two lines before statuses on two, then the status down to its longest word."""
    from kisi_desktop.ui.pages.budget.plan_columns import Needs, status_width

    names = Needs(one=436, two=246, word=138)
    status = Needs(one=168, two=92, word=85)
    assert status_width(700, names, status) == 168  # both on one line, the rest to names
    assert status_width(560, names, status) == 124  # names on one line, status wraps
    assert status_width(340, names, status) == 92  # names on two lines, status too
    assert status_width(335, names, status) == 89  # names on two lines, status narrower
    assert status_width(300, names, status) == 85  # no narrower than its longest word
