"""Which hidden cells of a table its sums pin down, found exactly: the table as a network.

Narrowing each hidden cell's range sum after sum (``held_back._together``) misses what
only several sums together tell. The events table adds up by column exactly and by row to
at most the attendance; where the groups' totals add up to the whole attendance, every row
must add up exactly too, and a reader who sees that pins cells that no range narrowed.
(An independent reader, ``tests/support/reidentify.py``, found such tables: a "<5" of
local residents that could only be 4.)

A table whose every cell lies in at most two of its sums, a row's and a column's, is a
network: each sum is a node where what flows in (its total, or its parts) equals what
flows out, each cell an edge between its two sums (or from its one sum to outside), and
a sum of "at most" or "at least" has one more edge for the difference. The true table is
one flow through it. Another table that publishes the same differs from it by flows
around cycles, so a hidden cell can take another value exactly when a cycle runs through
it along which every hidden cell can move and no shown cell moves: a search of the
network, no guessing. (The cycles carry whole numbers, so the other table is one of whole
numbers too.)
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import inf
from typing import TYPE_CHECKING

from kisi_desktop.reports.indicators import ADDS_UP, AT_LEAST, AT_MOST, Withheld

if TYPE_CHECKING:
    from kisi_desktop.reports.held_back import Cell, Sum

OUTSIDE = -1
"""The node at the other end of a cell that only one sum holds: no sum to balance there."""

_PART, _TOTAL = 1, -1


@dataclass(frozen=True, slots=True)
class _Edge:
    cell: Cell | None
    """None for the difference of a sum that adds up to at most or at least its total."""
    tail: int
    head: int
    value: int
    low: float
    high: float


def pinned_in_network(
    cells: Mapping[Cell, int],
    shown: Mapping[Cell, int | Withheld | None],
    sums: Sequence[Sum],
    threshold: int,
) -> list[Cell] | None:
    """The hidden cells of ``shown`` that ``sums`` pin to one value together, given the
    true ``cells``; None where the sums do not make a network (a cell in three sums):
    the caller narrows ranges instead.

    A reader knows "<5" to be 1 to ``threshold - 1`` and "x" to be any whole number from
    0. Sums that may or may not add up tell nothing.
    """
    lines = [
        line
        for line in sums
        if line.relation in (ADDS_UP, AT_MOST, AT_LEAST) and line.total in shown
    ]
    edges = _edges(cells, shown, lines, threshold)
    if edges is None:
        return None
    leaving: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for number, edge in enumerate(edges):
        if edge.value < edge.high:
            leaving[edge.tail].append((edge.head, number))
        if edge.value > edge.low:
            leaving[edge.head].append((edge.tail, number))
    return [
        edge.cell
        for number, edge in enumerate(edges)
        if edge.cell is not None
        and not isinstance(shown[edge.cell], int)
        and not (edge.value < edge.high and _reaches(leaving, edge.head, edge.tail, number))
        and not (edge.value > edge.low and _reaches(leaving, edge.tail, edge.head, number))
    ]


def _edges(
    cells: Mapping[Cell, int],
    shown: Mapping[Cell, int | Withheld | None],
    lines: Sequence[Sum],
    threshold: int,
) -> list[_Edge] | None:
    """Each cell of ``lines`` as an edge between the sums that hold it, turned so that
    each sum's parts leave it and its total enters it, or the other way round for every
    cell of a sum (a column's sum where its rows' sums take the parts out); None where no
    such turning fits."""
    held: dict[Cell, list[tuple[int, int]]] = defaultdict(list)
    for node, line in enumerate(lines):
        for cell in line.parts:
            if cell in shown:
                held[cell].append((node, _PART))
        held[line.total].append((node, _TOTAL))
    if any(len(places) > 2 for places in held.values()):
        return None
    turned = _turnings(len(lines), held)
    if turned is None:
        return None
    edges = []
    for cell, places in held.items():
        value = shown[cell]
        low, high = (
            (value, value)
            if isinstance(value, int)
            else (1, threshold - 1)
            if value is None
            else (0, inf)
        )
        out = [node for node, role in places if turned[node] * role == 1]
        into = [node for node, role in places if turned[node] * role == -1]
        tail = out[0] if out else OUTSIDE
        head = into[0] if into else OUTSIDE
        edges.append(_Edge(cell, tail, head, cells[cell], low, high))
    for node, line in enumerate(lines):
        relation = line.relation
        if relation == ADDS_UP:
            continue
        parts = sum(cells[c] for c in line.parts if c in shown)
        gap = abs(cells[line.total] - parts)
        # "at most": parts + gap = total, the gap a part; "at least": a total
        role = _PART if relation == AT_MOST else _TOTAL
        leaves = turned[node] * role == 1
        edges.append(
            _Edge(None, node if leaves else OUTSIDE, OUTSIDE if leaves else node, gap, 0, inf)
        )
    return edges


def _turnings(nodes: int, held: Mapping[Cell, list[tuple[int, int]]]) -> list[int] | None:
    """+1 or -1 per sum, so that a cell in two sums leaves one and enters the other."""
    links: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for places in held.values():
        if len(places) == 2:
            (a, role_a), (b, role_b) = places
            links[a].append((b, -role_a * role_b))
            links[b].append((a, -role_a * role_b))
    turned = [0] * nodes
    for start in range(nodes):
        if turned[start]:
            continue
        turned[start] = 1
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for other, sign in links[node]:
                wanted = turned[node] * sign
                if not turned[other]:
                    turned[other] = wanted
                    queue.append(other)
                elif turned[other] != wanted:
                    return None
    return turned


def _reaches(
    leaving: Mapping[int, list[tuple[int, int]]], start: int, goal: int, without: int
) -> bool:
    """Whether a path of cells that can move leads from ``start`` to ``goal`` without the
    edge ``without`` (the cell whose cycle is looked for)."""
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for other, number in leaving.get(node, ()):
            if number != without and other not in seen:
                seen.add(other)
                queue.append(other)
    return False
