"""How wide each column of a list is: whole headings first, then the longest texts give way.

A list page at 1366x768 has about 1,100 pixels for seven or eight columns, less than their
texts want. Fixed widths, and then a fitting that gave up a heading's width before any text
("Ansprechp…", "Erschiene…"), cut headings while empty columns kept 190 pixels. The rules
here, in order:

1. Each column wants its heading and its widest text (measured on the first rows), a text
   at most ``cap`` wide (longer ones are cut with "…" and shown whole in the tooltip).
2. When that fits, the room left goes to the columns whose texts are still cut, else to
   the longest text; never to an empty column.
3. When it does not, every heading stays whole and the first column (the record's name or
   day, what tells the rows apart) keeps its text; the other texts give way longest first,
   so short ones (a phone number, a date) stay whole while the longest are cut to one
   width.
4. Only when even the headings do not fit together are they narrowed, in proportion.

Headings are not wrapped onto two lines: Qt's header elides a heading as if it were one
line, so "Gedruckte" over "Exemplare" came out as "Gedruckte" over "Exem…". A heading is
whole in its tooltip too.

Widths are plain numbers in pixels: the table measures, this module decides, so the rules
are tested without a screen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_COLUMN = 40
"""No column narrower than this, even when the headings alone do not fit (a sliver helps
nobody; the table then scrolls sideways)."""


@dataclass(frozen=True, slots=True)
class ColumnNeed:
    """What one column needs, in pixels, margins included.

    Attributes:
        heading: its heading.
        text: its widest text (0 when the column is empty).
    """

    heading: int
    text: int


def fit_columns(
    needs: Sequence[ColumnNeed], room: int, *, cap: int, key: int = 0
) -> tuple[int, ...]:
    """Widths for ``needs`` that fill ``room`` (see the module docstring for the rules).

    Args:
        needs: one per column, in order.
        room: the pixels the columns share.
        cap: the widest a column grows for its text alone.
        key: the column whose text gives way last.
    """
    if not needs:
        return ()
    headings = [n.heading for n in needs]
    wants = [max(n.heading, min(n.text, cap)) for n in needs]
    if sum(wants) <= room:
        return tuple(_spread(wants, needs, room - sum(wants)))
    floors = list(headings)
    floors[key] = wants[key]
    if sum(floors) > room:
        floors[key] = headings[key]
    if sum(floors) > room:
        return tuple(_narrowed(floors, room))
    return tuple(_levelled(wants, floors, room))


def _spread(wants: list[int], needs: Sequence[ColumnNeed], spare: int) -> list[int]:
    """``wants`` with ``spare`` pixels added: first to the texts still cut (each up to its
    text), then all that is left to the column with the longest text."""
    widths = list(wants)
    for c in sorted(range(len(widths)), key=lambda c: needs[c].text - widths[c], reverse=True):
        more = min(max(needs[c].text - widths[c], 0), spare)
        widths[c] += more
        spare -= more
    longest = max(range(len(widths)), key=lambda c: needs[c].text)
    widths[longest] += spare
    return widths


def _levelled(wants: list[int], floors: list[int], room: int) -> list[int]:
    """Each column at ``min(want, level)`` but not below its floor, with the level as high
    as ``room`` allows: the longest texts are cut to one width, the rest stay whole."""

    def total(level: int) -> int:
        return sum(max(f, min(w, level)) for w, f in zip(wants, floors, strict=True))

    low, high = 0, max(wants)
    while low < high:  # the highest level whose widths fit the room
        middle = (low + high + 1) // 2
        if total(middle) <= room:
            low = middle
        else:
            high = middle - 1
    widths = [max(f, min(w, low)) for w, f in zip(wants, floors, strict=True)]
    spare = room - sum(widths)
    for c in range(len(widths)):  # the pixels short of the next level, one each
        if spare <= 0:
            break
        if widths[c] == low < wants[c]:
            widths[c] += 1
            spare -= 1
    return widths


def _narrowed(floors: list[int], room: int) -> list[int]:
    """Headings that do not fit together, narrowed in proportion to what they have above
    :data:`MIN_COLUMN` (they end in "…" and are whole in their tooltips)."""
    spare = sum(max(f - MIN_COLUMN, 0) for f in floors)
    excess = sum(floors) - room
    if spare <= 0:
        return floors
    share = min(excess / spare, 1.0)
    return [f - math.ceil(max(f - MIN_COLUMN, 0) * share) for f in floors]
