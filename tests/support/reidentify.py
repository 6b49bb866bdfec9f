"""A reader who tries to work hidden cells out of a published table, written apart from
``reports.held_back`` so that the tests of that module do not grade it by its own rule.

The reader knows what a report prints and what its notes say: the cells shown, that "<5"
is 1 to 4 people, that "x" is any whole number from 0, and how the cells add up (the
sums a report section declares: exactly, to at most or to at least the total). From that
the reader looks for every whole number each hidden cell can hold: a depth-first search
over the hidden cells' values that gives up a branch as soon as one sum can no longer be
met. Nothing is narrowed step by step as ``held_back`` does; a value is possible exactly
when the search finds a whole table that has it.

A cell is **disclosed** when only one value is possible: a "<5" known to be 2, or an "x"
known to be 0 or 30 (which gives away the small cell it was held back for). A range of
several values is not: "<5" promises 1 to 4 and no more, "x" promises nothing at all; a
reader who learns that an "x" is 1 to 4 learns what "<5" would have told.

:func:`rule_aware` is a stronger reader still: one who also runs the app's own rule on
every table the search finds and keeps those that come out as published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from kisi_desktop.reports.held_back import Cell, Sum, column_sum, row_sum
from kisi_desktop.reports.indicators import ADDS_UP, AT_LEAST, AT_MOST, Withheld

Published = Mapping[Cell, int | Withheld | None]
"""A table as printed: a whole number, None for "<5", WITHHELD for "x"."""

SMALL = range(1, 5)
"""What "<5" stands for."""


@dataclass(frozen=True, slots=True)
class Possible:
    """The values a hidden cell can hold, given everything published. ``open_above``: any
    value up to the search's cap was possible, so there is no upper bound."""

    values: frozenset[int]
    open_above: bool

    @property
    def pinned(self) -> bool:
        """Only one value is possible: the reader knows the cell."""
        return len(self.values) == 1 and not self.open_above


class _Search:
    """The hidden cells of one table, their starting ranges, and the sums through them."""

    def __init__(self, published: Published, sums: Sequence[Sum], cap: int) -> None:
        self.sums = [s for s in sums if s.total in published]
        cells = {c for s in self.sums for c in (*s.parts, s.total) if c in published}
        self.known = {c: v for c, v in published.items() if isinstance(v, int)}
        hidden = sorted(c for c in cells if not isinstance(published[c], int))
        self.hidden = hidden
        self.start = {c: (1, 4) if published[c] is None else (0, cap) for c in hidden}

    def _tightened(self, ranges: dict[Cell, tuple[int, int]]) -> dict[Cell, tuple[int, int]] | None:
        """``ranges`` without the values that one sum rules out whatever the other cells
        hold (None: a cell has no value left). Only to search faster: a value taken out
        here is one the search would reject anyway; nothing is decided by it."""
        ranges = dict(ranges)

        def bounds(cell: Cell) -> tuple[int, int]:
            return (self.known[cell],) * 2 if cell in self.known else ranges[cell]

        changed = True
        while changed:
            changed = False
            for line in self.sums:
                members = [(c, 1) for c in line.parts if c in ranges or c in self.known]
                members.append((line.total, -1))
                # sum(parts) - total is 0, at most 0 or at least 0
                low = sum(sign * bounds(c)[0 if sign > 0 else 1] for c, sign in members)
                high = sum(sign * bounds(c)[1 if sign > 0 else 0] for c, sign in members)
                for cell, sign in members:
                    if cell not in ranges:
                        continue
                    own_low, own_high = ranges[cell]
                    rest_low = low - sign * (own_low if sign > 0 else own_high)
                    rest_high = high - sign * (own_high if sign > 0 else own_low)
                    new_low, new_high = own_low, own_high
                    if line.relation in (ADDS_UP, AT_MOST):  # sign * cell <= -rest_low
                        if sign > 0:
                            new_high = min(new_high, -rest_low)
                        else:
                            new_low = max(new_low, rest_low)
                    if line.relation in (ADDS_UP, AT_LEAST):  # sign * cell >= -rest_high
                        if sign > 0:
                            new_low = max(new_low, -rest_high)
                        else:
                            new_high = min(new_high, rest_high)
                    if new_low > new_high:
                        return None
                    if (new_low, new_high) != (own_low, own_high):
                        ranges[cell] = (new_low, new_high)
                        changed = True
                        break  # (low and high of this sum changed)
        return ranges

    def narrowed_start(self) -> dict[Cell, tuple[int, int]]:
        """The starting ranges less what one sum rules out (empty where nothing fits)."""
        return self._tightened(self.start) or dict.fromkeys(self.hidden, (1, 0))

    def tables(self, chosen: Mapping[Cell, int]) -> Iterator[dict[Cell, int]]:
        """Every assignment of the hidden cells that the sums allow, with ``chosen``."""
        start = {c: (chosen[c], chosen[c]) if c in chosen else self.start[c] for c in self.hidden}
        yield from self._tables(start)

    def _tables(self, ranges: dict[Cell, tuple[int, int]]) -> Iterator[dict[Cell, int]]:
        narrowed = self._tightened(ranges)
        if narrowed is None:
            return
        free = [c for c in self.hidden if narrowed[c][0] < narrowed[c][1]]
        if not free:
            yield {c: narrowed[c][0] for c in self.hidden}
            return
        cell = min(free, key=lambda c: narrowed[c][1] - narrowed[c][0])
        low, high = narrowed[cell]
        for value in range(low, high + 1):
            yield from self._tables({**narrowed, cell: (value, value)})


def default_cap(published: Published) -> int:
    """A value no hidden cell with an upper bound can reach: every bound comes from totals
    shown and "<5" cells, so it is below all of them together."""
    shown = sum(v for v in published.values() if isinstance(v, int))
    return shown + 4 * sum(1 for v in published.values() if v is None) + 1


def possible(
    published: Published, sums: Sequence[Sum], cap: int | None = None
) -> dict[Cell, Possible]:
    """Every value each hidden cell of ``published`` can hold (see the module docstring)."""
    cap = default_cap(published) if cap is None else cap
    search = _Search(published, sums, cap)
    seen: dict[Cell, set[int]] = {c: set() for c in search.hidden}
    ranges = search.narrowed_start()
    for cell in search.hidden:
        low, high = ranges[cell]
        for value in range(low, high + 1):
            if value in seen[cell]:
                continue
            found = next(search.tables({cell: value}), None)
            if found is not None:
                for other, held in found.items():
                    seen[other].add(held)
    return {
        c: Possible(frozenset(values), cap in values and published[c] is not None)
        for c, values in seen.items()
    }


def disclosed(published: Published, sums: Sequence[Sum]) -> dict[Cell, int]:
    """The hidden cells a reader pins to one value, with that value."""
    return {c: min(p.values) for c, p in possible(published, sums).items() if p.pinned}


def rule_aware(
    published: Published,
    sums: Sequence[Sum],
    rule: Callable[[Mapping[Cell, int]], Published],
    *,
    limit: int = 20_000,
) -> dict[Cell, frozenset[int]] | None:
    """The values each hidden cell can hold for a reader who also knows the rule that
    printed the table: the tables the search finds that ``rule`` prints as published.
    None where the search finds more than ``limit`` tables (too many to try)."""
    search = _Search(published, sums, default_cap(published))
    known = {c: v for c, v in published.items() if isinstance(v, int)}
    found: dict[Cell, set[int]] = {c: set() for c in search.hidden}
    for n, table in enumerate(search.tables({})):
        if n >= limit:
            return None
        if dict(rule({**known, **table})) == dict(published):
            for cell, value in table.items():
                found[cell].add(value)
    return {c: frozenset(v) for c, v in found.items()}


def table_adding_up_both_ways(
    body: Sequence[Sequence[int]], rows_add_up: bool
) -> tuple[dict[Cell, int], list[Sum]]:
    """Rows with a total column ``t`` and a total row under them, as cells and sums: the
    events table's shape (its rows add up to at most the attendance, ``rows_add_up``
    False: a recorded total may be larger)."""
    columns = [f"c{i}" for i in range(len(body[0]))]
    rows = [{**dict(zip(columns, r, strict=True)), "t": sum(r)} for r in body]
    rows.append({c: sum(r[c] for r in rows) for c in (*columns, "t")})
    last = len(rows) - 1
    sums = [column_sum(range(last), last, c) for c in (*columns, "t")]
    relation = ADDS_UP if rows_add_up else AT_MOST
    sums += [row_sum(n, columns, "t", relation) for n in range(len(rows))]
    return {(n, c): v for n, row in enumerate(rows) for c, v in row.items()}, sums
