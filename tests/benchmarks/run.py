"""Benchmarks: each figure beside a baseline measured in the same run, as a ratio.

    python tests/benchmarks/run.py [--quick] [--json] [--only PREFIX]

Figures are not asserted in the test suite (timing on shared CI machines is noise); this
script prints them and whether each meets its goal. ``--quick`` uses 10,000 instead of
100,000 notes so the whole run finishes within a minute.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import (
    backup_figures,
    bundle_figures,
    gui_figures,
    handout_figures,
    ministry_figures,
    report_figures,
    store_figures,
)


@dataclass
class Figure:
    """One measured figure with its same-run baseline and goal."""

    name: str
    value: float
    unit: str
    baseline: str
    baseline_value: float
    goal: str
    ratio: float = 0.0
    met: bool = False

    def __post_init__(self) -> None:
        self.ratio = self.value / self.baseline_value if self.baseline_value else float("inf")
        self.met = _meets(self)


def _meets(fig: Figure) -> bool:
    checks = []
    for part in fig.goal.split(" and "):
        subject, _op, limit = part.strip().partition(" <= ")
        if subject == "ratio":
            checks.append(fig.ratio <= float(limit))
        elif subject == "value":
            checks.append(fig.value <= float(limit))
    return all(checks)


FigureFn = Callable[[int], list[Figure]]
SUITES: dict[str, FigureFn] = {
    "store": store_figures.run,
    "gui": gui_figures.run,
    "handout": handout_figures.run,
    "reports": report_figures.run,
    "bundle": bundle_figures.run,
    "ministry": ministry_figures.run,
    "backup": backup_figures.run,
}


def main(argv: list[str] | None = None) -> int:
    """Run the selected figures and print them (table or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (within a minute)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--only", default="", help="run only figures whose suite starts so")
    args = parser.parse_args(argv)
    size = 10_000 if args.quick else 100_000
    figures: list[Figure] = []
    started = time.perf_counter()
    for suite, fn in SUITES.items():
        if args.only and not suite.startswith(args.only):
            continue
        for raw in fn(size):
            figures.append(Figure(**raw))
    if args.json:
        out = {
            f.name: {
                "value": round(f.value, 6),
                "unit": f.unit,
                "baseline": f.baseline,
                "baseline_value": round(f.baseline_value, 6),
                "ratio": round(f.ratio, 4),
                "goal": f.goal,
                "met": f.met,
            }
            for f in figures
        }
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{'figure':32} {'value':>12} {'baseline':>12} {'ratio':>7}  goal")
        for f in figures:
            mark = "ok" if f.met else "MISSED"
            print(
                f"{f.name:32} {f.value:>10.4f}{f.unit:>2} {f.baseline_value:>10.4f}{f.unit:>2} "
                f"{f.ratio:>7.3f}  {f.goal} [{mark}] (baseline: {f.baseline})"
            )
        print(f"size {size} notes; total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
