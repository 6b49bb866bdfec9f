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

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from kisi_desktop.core.i18n import N_

from kisi_desktop.reports.held_back import Cell, Sum, pinned, row_sum
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
    keyed ``total``) held back beside the same row of each bundle in ``sent`` (an
    indicator's row): :func:`held_beside_rows` for one row."""
    parts = [k for k in exact if k != total]
    (held,) = held_beside_rows(
        [[{k: row.get(k, 0) for k in exact}] for row in sent],
        [shown],
        columns=list(exact),
        sums=lambda rows: [row_sum(0, parts, total)],
        across=dict.fromkeys(exact, ADDS_UP if whole else AT_MOST),
        order=exact,
    )
    return held


def held_beside_rows(
    sent: Sequence[Sequence[Mapping[str, Any]]],
    shown: Sequence[Mapping[str, Any]],
    *,
    columns: Collection[str],
    sums: Callable[[Sequence[Mapping[str, Any]]], list[Sum]],
    across: Mapping[str, str],
    order: Mapping[str, int] | None = None,
    same: Callable[[Mapping[str, Any]], Any] = lambda row: 0,
) -> list[dict[str, Any]]:
    """The report table's rows ``shown`` held back beside the same table of each bundle in
    ``sent``: a cell of ``columns`` that a bundle held back is held back too, and then one
    cell at a time until no hidden cell can be pinned by a reader of them all.

    ``sums`` gives a table's own sums for its rows (a bundle's as the report's); a row of
    each bundle and the report's row that are ``same`` (its code) line up in a column of
    ``across``: the bundles' cells add up to the report's (``ADDS_UP``), to at most it
    (the bundles cover part of the period), or to at least it (people counted in each
    period they came, as volunteers). ``order`` ranks the report's cells to hold back
    (smallest first; without it the cells shown are their own rank), the rows' totals last.
    """
    rows: list[dict[str, Any]] = [dict(row) for table in sent for row in table]
    lined: list[Sum] = []
    offset = 0
    for table in sent:
        lined += [_moved(line, offset) for line in sums(table)]
        offset += len(table)
    me = offset
    mine = [dict(row) for row in shown]
    mine_sums = sums(mine)
    lined += [_moved(line, me) for line in mine_sums]
    known: dict[Cell, int] = {}
    for n, row in enumerate(mine):
        for column in columns:
            if column not in row or column not in across:
                continue
            parts = [
                i for i, other in enumerate(rows) if column in other and _same(other, row, same)
            ]
            if not parts:
                continue
            if isinstance(row[column], int) and any(is_hidden(rows[i][column]) for i in parts):
                row[column] = WITHHELD
            values = [rows[i][column] for i in parts]
            if across[column] == ADDS_UP and all(isinstance(v, int) for v in values):
                known[(n, column)] = sum(values)  # (the bundles give it alone)
            lined.append(Sum(tuple((i, column) for i in parts), (me + n, column), across[column]))
    totals = {line.total for line in mine_sums}
    while stuck := pinned([*rows, *_with(mine, known)], lined):
        if not _hold_one_more(mine, _around(stuck[0], me, lined), columns, totals, order):
            break  # (nothing of the report's left to hold back: the bundles give it alone)
    return mine


def _same(
    a: Mapping[str, Any], b: Mapping[str, Any], same: Callable[[Mapping[str, Any]], Any]
) -> bool:
    return bool(same(a) == same(b))


def _moved(line: Sum, offset: int) -> Sum:
    return Sum(
        tuple((n + offset, c) for n, c in line.parts),
        (line.total[0] + offset, line.total[1]),
        line.relation,
    )


def _with(mine: Sequence[Mapping[str, Any]], known: Mapping[Cell, int]) -> list[dict[str, Any]]:
    """The report's rows as a reader of the bundles reads them: a cell the bundles give
    alone (every bundle's cell of its column shown) is known, held back or not."""
    return [
        {**row, **{c: v for (n, c), v in known.items() if n == i}} for i, row in enumerate(mine)
    ]


def _around(cell: Cell, me: int, sums: Sequence[Sum]) -> list[Cell]:
    """The report's cells on the sums through ``cell`` (as the report's rows number them)."""
    return [
        (n - me, c)
        for line in sums
        if cell in (*line.parts, line.total)
        for n, c in (*line.parts, line.total)
        if n >= me
    ]


def _hold_one_more(
    mine: list[dict[str, Any]],
    around: Sequence[Cell],
    columns: Collection[str],
    totals: Collection[Cell],
    order: Mapping[str, int] | None,
) -> bool:
    """Hold back one more of the report's cells, those ``around`` first: "<5" widened to
    "x" (which has no upper bound), else the smallest number shown, totals last."""
    every = [(n, c) for n, row in enumerate(mine) for c in columns if c in row]
    for cells in (around, every):
        small = [(n, c) for n, c in cells if c in mine[n] and mine[n][c] is None]
        if small:
            for n, c in small:
                mine[n][c] = WITHHELD
            return True
        shown = sorted(
            ((n, c) in totals, order[c] if order else mine[n][c], n, c)
            for n, c in cells
            if isinstance(mine[n].get(c), int) and not isinstance(mine[n][c], bool)
        )
        if shown:
            _total, _value, n, c = shown[0]
            mine[n][c] = WITHHELD
            return True
    return False
