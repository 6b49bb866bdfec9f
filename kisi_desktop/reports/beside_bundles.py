"""A report's counts held back beside the bundles already sent for part of its period.

The ministry has the bundles of the quarters and, with the yearly narrative report, the
year's report: it can line a figure's quarters up above the year's. Everyone counts once
for the project, so the quarters add up to the year; a quarter's held-back cell would be
the year's cell minus the other quarters', and two held back beside a year of 2 more
than the others would be 1 each. So every cell a bundle inside the report's period held
back is held back in the report too ("x" where the report would show a number), and then,
one at a time, the report's cells that would still let a reader of the bundles and the
report together pin a hidden cell, with the ministry's own reader
(:func:`~kisi_desktop.reports.held_back.pinned`). The bundles stay as sent: only the
report's cells are held back.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from kisi_desktop.core.i18n import N_

from kisi_desktop.reports.held_back import Cell, Sum, column_sum, pinned, row_sum
from kisi_desktop.reports.indicators import ADDS_UP, AT_MOST, WITHHELD
from kisi_desktop.reports.sent_bundles import Mark, is_hidden

BESIDE_BUNDLES_NOTE = N_(
    "x: also held back where a bundle already sent for part of this period held the "
    "figure back, and where the figures of the bundles and of this report together would "
    "give it away."
)


def held_beside(
    sent: Sequence[Mapping[str, Any]],
    exact: Mapping[str, int],
    shown: Mapping[str, Mark],
    *,
    total: str,
    whole: bool,
) -> dict[str, Mark]:
    """The report's row ``shown`` (of the counts ``exact``, whose cells add up to the one
    keyed ``total``) held back beside the same row of each bundle in ``sent``.

    Each bundle's row adds up to its total too; the bundles' cells add up to the
    report's (``whole``: they cover its period day by day) or to at most them. A cell a
    bundle does not name held nobody there.
    """
    keys = list(exact)
    rows: list[dict[str, Any]] = [{k: row.get(k, 0) for k in keys} for row in sent]
    mine = dict(shown)
    for key in keys:
        if isinstance(mine[key], int) and any(is_hidden(row[key]) for row in rows):
            mine[key] = WITHHELD
    me = len(rows)
    sums = sums_beside(me, [k for k in keys if k != total], total, whole)
    # What the bundles give away of the report's cells without it (all quarters of a
    # column shown) the reader knows anyway: read as numbers, they need no more held back.
    known = {k for n, k in pinned([*rows, dict.fromkeys(keys, WITHHELD)], sums) if n == me}
    while stuck := pinned([*rows, {**mine, **{k: exact[k] for k in known}}], sums):
        if not _hold_one_more(mine, exact, _around(stuck[0], me, keys), total):
            break  # (nothing of the report's left to hold back: the bundles give it alone)
    return mine


def _around(cell: Cell, me: int, keys: Sequence[str]) -> list[str]:
    """The report's cells on a sum through ``cell``: its whole row, or its column's."""
    row, key = cell
    return list(keys) if row == me else [key]


def _hold_one_more(
    mine: dict[str, Mark], exact: Mapping[str, int], around: Collection[str], total: str
) -> bool:
    """Hold back one more of the report's cells, those ``around`` first: "<5" widened to
    "x" (which has no upper bound), else the smallest number shown, the total last."""
    for keys in (around, list(mine)):
        small = [k for k in keys if mine[k] is None]
        if small:
            mine.update(dict.fromkeys(small, WITHHELD))
            return True
        shown = sorted((k == total, exact[k], k) for k in keys if isinstance(mine[k], int))
        if shown:
            mine[shown[0][2]] = WITHHELD
            return True
    return False


def sums_beside(bundles: int, parts: Sequence[str], total: str, whole: bool) -> list[Sum]:
    """The sums a reader lines up for ``bundles`` rows of bundles and the report's row
    under them (for the tests' reader, as :func:`held_beside` sees them)."""
    keys = [total, *parts]
    sums = [row_sum(n, parts, total) for n in range(bundles + 1)]
    return sums + [
        column_sum(range(bundles), bundles, k, ADDS_UP if whole else AT_MOST) for k in keys
    ]
