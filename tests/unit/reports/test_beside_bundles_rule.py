"""The rule on its own, over random quarters: whatever four quarterly bundles showed of a
breakdown, the year's row held back beside them lets no hidden cell be pinned by a reader
of all five rows (``tests.support.reidentify``, written apart from the rule)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.reports.beside_bundles import held_beside
from kisi_desktop.reports.held_back import Cell, Sum, column_sum, row_sum
from kisi_desktop.reports.indicators import WITHHELD, suppressed, suppressed_breakdown

from tests.support.reidentify import Published, disclosed

KEYS = ("a", "b", "c", "d")

quarters = st.lists(
    st.lists(st.integers(0, 12), min_size=len(KEYS), max_size=len(KEYS)), min_size=4, max_size=4
)


def _shown(counts: dict[str, int]) -> dict[str, object]:
    """A row as a bundle (or the report, before the rule) shows it."""
    total = suppressed({"total": sum(counts.values())})["total"]
    return {"total": total, **suppressed_breakdown(counts, total)}


def _read(rows: list[dict[str, object]]) -> tuple[Published, list[Sum]]:
    published: dict[Cell, object] = {
        (n, k): v for n, row in enumerate(rows) for k, v in row.items()
    }
    year = len(rows) - 1
    sums = [row_sum(n, KEYS, "total") for n in range(len(rows))]
    sums += [column_sum(range(year), year, k) for k in ("total", *KEYS)]
    return published, sums  # type: ignore[return-value]


@settings(max_examples=60, deadline=None)
@given(quarters)
def test_the_year_beside_its_quarters_gives_no_hidden_cell_away(
    counts: list[list[int]],
) -> None:
    rows = [dict(zip(KEYS, q, strict=True)) for q in counts]
    sent = [_shown(r) for r in rows]
    exact = {k: sum(r[k] for r in rows) for k in KEYS}
    exact_row = {"total": sum(exact.values()), **exact}
    year = held_beside(sent, exact_row, _shown(exact), total="total", whole=True)  # type: ignore[arg-type]
    published, sums = _read([*sent, year])
    without_year = {c: WITHHELD if c[0] == 4 else v for c, v in published.items()}
    known = disclosed(without_year, sums)
    assert {c: v for c, v in disclosed(published, sums).items() if known.get(c) != v} == {}
    for key, value in year.items():  # (what a bundle held back, the year holds back)
        if any(not isinstance(s[key], int) for s in sent):
            assert not isinstance(value, int), key
