"""Small cells of report tables that add up to a total shown beside them.

KISI's own figures and the needs analysis print counts of people with a total: family
members advised per contact mode and their total, an event type's attendance by group and
its attendance, the events' groups over all types, each need's respondents per group and
over all groups. Hiding a count of 1 to 4 there is not enough: a lone ``<5`` is the total
minus the cells shown. The indicator breakdowns have the same problem in one line;
:func:`~kisi_desktop.reports.indicators.suppressed_breakdown` holds back a cell beside the
small one, and :func:`~kisi_desktop.reports.indicators.worked_out` is the reader's side.

A table can have several such sums, and they cross (the events table adds up by row and by
column): a cell held back for its column is then one more hidden cell of its row, which
may in turn need one more. :func:`suppressed_sums` applies the rule sum by sum until no
sum of the table leaves a hidden cell that :func:`worked_out` can pin down. The ministry's
intake runs the same check over the rows a bundle carries (:func:`pinned`), with the sums
the report sections declare (``sections.report_sums``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from math import inf
from typing import Any

from kisi_desktop.reports.indicators import (
    ADDS_UP,
    AT_LEAST,
    AT_MOST,
    MAY_ADD_UP,
    SMALL_CELL,
    WITHHELD,
    Withheld,
    suppressed,
    suppressed_breakdown,
    worked_out,
)
from kisi_desktop.reports.table_network import pinned_in_network

Cell = tuple[int, str]
"""A cell of a table: its row's index and its column's key."""


@dataclass(frozen=True, slots=True)
class Sum:
    """Cells that add up (:data:`~kisi_desktop.reports.indicators.ADDS_UP`), or at least or
    at most, to a total cell of the same table."""

    parts: tuple[Cell, ...]
    total: Cell
    relation: str = ADDS_UP


def column_sum(parts: Sequence[int], total: int, column: str, relation: str = ADDS_UP) -> Sum:
    """The rows ``parts`` of ``column`` adding up to row ``total`` of it."""
    return Sum(tuple((row, column) for row in parts), (total, column), relation)


def row_sum(row: int, parts: Sequence[str], total: str, relation: str = ADDS_UP) -> Sum:
    """The columns ``parts`` of ``row`` adding up to its column ``total``."""
    return Sum(tuple((row, column) for column in parts), (row, total), relation)


def _pinned(shown: Mapping[Cell, int | Withheld | None], line: Sum, threshold: int) -> bool:
    total = shown.get(line.total)
    cells = {cell: shown[cell] for cell in line.parts if cell in shown}
    return bool(
        worked_out(
            cells,
            total if isinstance(total, int) else None,
            threshold,
            relation=line.relation,
        )
    )


def _together(
    shown: Mapping[Cell, int | Withheld | None], sums: Sequence[Sum], threshold: int
) -> list[Cell]:
    """Hidden cells that the sums pin down together, though none of them alone does: each
    cell's range ("<5": 1 to 4, "x": from 0) narrowed by one sum after another until
    nothing changes. (Rows and columns that both add up: two "<5" of a column adding up
    to a "<5" total that its row bounds by 2 are 1 each.)"""
    ranges: dict[Cell, list[float]] = {}
    for line in sums:
        for cell in (*line.parts, line.total):
            if cell in shown:
                value = shown[cell]
                ranges[cell] = (
                    [value, value]
                    if isinstance(value, int)
                    else [1, threshold - 1]
                    if value is None
                    else [0, inf]
                )
    for _round in range(1000):
        changed = False
        for line in sums:
            if line.total not in ranges:
                continue
            parts = [c for c in line.parts if c in ranges]
            low = sum(ranges[c][0] for c in parts)
            high = sum(ranges[c][1] for c in parts)
            total = ranges[line.total]
            narrowed = [
                max(total[0], low) if line.relation in (ADDS_UP, AT_MOST) else total[0],
                min(total[1], high) if line.relation in (ADDS_UP, AT_LEAST) else total[1],
            ]
            changed |= narrowed != total
            ranges[line.total] = total = narrowed
            for cell in parts:
                own = ranges[cell]
                new = list(own)
                if line.relation in (ADDS_UP, AT_LEAST):
                    new[0] = max(own[0], total[0] - (high - own[1]))
                if line.relation in (ADDS_UP, AT_MOST):
                    new[1] = min(own[1], total[1] - (low - own[0]))
                changed |= new != own
                ranges[cell] = new
        if not changed:
            break
    return [
        cell
        for cell, (low, high) in ranges.items()
        if not isinstance(shown[cell], int) and high <= low
    ]


def suppressed_sums(
    cells: Mapping[Cell, int], sums: Sequence[Sum], threshold: int = SMALL_CELL
) -> dict[Cell, int | Withheld | None]:
    """``cells`` as they may leave the laptop: 1 to 4 as None, and cells held back
    (:data:`~kisi_desktop.reports.indicators.WITHHELD`) until no hidden cell can be pinned
    down, by one sum or by the sums together.

    Each sum that a reader could use is given to ``suppressed_breakdown`` with the cells
    held back for other sums; where the rule has nothing left to hold back (a sum known to
    be "at least" or "at most", or a cell held back that was 0), the smallest cell still
    shown goes, and last the total. Where only the sums together pin a cell, the "<5"
    cells of the sums through it become "x" (which has no upper bound), else the smallest
    cell shown in them goes. Every step hides one more cell or widens one, so it ends.
    """
    sums = [
        replace(line, relation=ADDS_UP)
        if line.relation == MAY_ADD_UP and sum(cells[c] for c in line.parts) == cells[line.total]
        else line
        for line in sums
    ]
    shown: dict[Cell, int | Withheld | None] = dict(suppressed(cells, threshold))
    while True:
        line = next((s for s in sums if _pinned(shown, s, threshold)), None)
        if line is None:
            stuck = pinned_in_network(cells, shown, sums, threshold)
            if stuck is None:
                stuck = _together(shown, sums, threshold)
            if not stuck:
                return shown
            _widen(shown, cells, [s for s in sums if stuck[0] in (*s.parts, s.total)])
            continue
        before = dict(shown)
        total = shown[line.total]
        held = [cell for cell in line.parts if shown[cell] is WITHHELD]
        parts = {cell: cells[cell] for cell in line.parts}
        found = suppressed_breakdown(
            parts, total if isinstance(total, int) else None, threshold, held=held
        )
        shown.update({cell: WITHHELD for cell, value in found.items() if value is WITHHELD})
        if shown != before:
            continue
        rest = [cell for cell in line.parts if isinstance(shown[cell], int)]
        if rest:
            shown[min(rest, key=lambda cell: cells[cell])] = WITHHELD
            # (every hidden cell of the sum reads "x": "<5" beside it would bound it)
            shown.update(dict.fromkeys((c for c in line.parts if shown[c] is None), WITHHELD))
        else:
            shown[line.total] = WITHHELD


def _widen(
    shown: dict[Cell, int | Withheld | None], cells: Mapping[Cell, int], lines: Sequence[Sum]
) -> None:
    around = [cell for line in lines for cell in (*line.parts, line.total) if cell in shown]
    small = [cell for cell in around if shown[cell] is None]
    if small:
        shown.update(dict.fromkeys(small, WITHHELD))
        return
    rest = [cell for cell in around if isinstance(shown[cell], int)]
    if rest:
        shown[min(rest, key=lambda cell: cells[cell])] = WITHHELD
    else:  # (cannot happen: "x" everywhere leaves every cell open; but never loop)
        shown.update(dict.fromkeys(shown, WITHHELD))


def protected_rows(
    rows: Sequence[Mapping[str, Any]], columns: Collection[str], sums: Sequence[Sum]
) -> list[dict[str, Any]]:
    """``rows`` with their counts of people (``columns``) suppressed as
    :func:`suppressed_sums` shows them; other cells as they were."""
    cells = {
        (number, column): int(row[column])
        for number, row in enumerate(rows)
        for column in columns
        if column in row
    }
    shown = suppressed_sums(cells, sums)
    return [
        {**row, **{column: shown[(n, column)] for column in columns if column in row}}
        for n, row in enumerate(rows)
    ]


def pinned(rows: Sequence[Mapping[str, Any]], sums: Sequence[Sum]) -> list[Cell]:
    """The hidden cells of ``rows`` (None or :data:`WITHHELD`) that one of ``sums`` pins
    down, as the ministry reads them: the check :func:`suppressed_sums` passes. A cell a
    row does not have is no part of a sum (and a total it does not have is not shown)."""

    def value(cell: Cell) -> int | Withheld | None:
        number, column = cell
        found = rows[number].get(column)
        return found if isinstance(found, (int, Withheld)) else None

    present = [
        Sum(tuple(c for c in line.parts if line_has(rows, c)), line.total, line.relation)
        for line in sums
    ]
    found: list[Cell] = []
    for line in present:
        total = value(line.total) if line_has(rows, line.total) else None
        cells = {cell: value(cell) for cell in line.parts}
        found += worked_out(
            cells, total if isinstance(total, int) else None, relation=line.relation
        )
    shown = {cell: value(cell) for line in present for cell in (*line.parts, line.total)}
    return found or _together(shown, [s for s in present if line_has(rows, s.total)], SMALL_CELL)


def line_has(rows: Sequence[Mapping[str, Any]], cell: Cell) -> bool:
    """Whether the row of ``cell`` has its column."""
    return cell[1] in rows[cell[0]]
