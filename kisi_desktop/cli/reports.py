"""``kisi report``: the AMIF indicators for a period, on screen, as JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from typing import Any

from kisi_desktop.core.files import write_atomic
from kisi_desktop.core.i18n import _, ui_language

from kisi_desktop.cli.args import add_json
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table
from kisi_desktop.reports.facts import load_facts
from kisi_desktop.reports.indicators import compute, export_rows
from kisi_desktop.reports.periods import parse_period

SUPPRESSED = "<5"


def register(sub: Any) -> None:
    """Add ``report``."""
    p = sub.add_parser("report", help=_("AMIF indicators for a period"))
    p.add_argument(
        "--period",
        required=True,
        help=_("PY1..PY3 (project years), project, 2026, 2026-Q1 or 2026-01-01..2026-03-31"),
    )
    p.add_argument(
        "--csv", metavar="FILE", help=_("write the figures as CSV (small cells suppressed)")
    )
    add_json(p)
    p.set_defaults(handler=report)


def report(ctx: Context, args: argparse.Namespace) -> int:
    """Print every indicator; JSON and CSV carry only what may leave the laptop."""
    period = parse_period(args.period)
    ws = ctx.open_workspace()
    results = compute(load_facts(ws), period, ws.ref)
    rows = export_rows(results, period)
    if args.csv:
        columns: list[str] = []
        for row in rows:
            columns.extend(k for k in row if k not in columns)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        # A suppressed cell says so; an empty one means the breakdown does not apply.
        writer.writerows(
            {k: SUPPRESSED if v is None else v for k, v in row.items()} for row in rows
        )
        write_atomic(Path(args.csv).expanduser(), buffer.getvalue().encode("utf-8"))
    german = ui_language() == "de"
    lines = table(
        [_("indicator"), _("count"), _("definition")],
        [(r.code, r.count, r.label_de if german else r.label_en) for r in results],
    )
    head = _("{period}: {start} to {end}").format(
        period=period.key, start=period.start.isoformat(), end=period.end.isoformat()
    )
    ctx.emit({"period": period.key, "indicators": rows}, [head, *lines])
    return 0
