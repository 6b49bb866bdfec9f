"""``kisi report``: the report for a period on screen, as JSON, CSV, XLSX or PDF.

The sections come from :func:`kisi_desktop.reports.sections.report_sections`, so the command
prints and exports whatever the report holds (indicators, and each section added there)
without a change here. Files and JSON carry only what may leave the laptop (counts of one
to four people shown as "<5"); the screen, seen only by the guide, shows exact counts.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kisi_desktop.core.clock import today
from kisi_desktop.core.files import write_atomic
from kisi_desktop.core.i18n import _, format_date, ui_language

from kisi_desktop.cli.args import add_json
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table
from kisi_desktop.cli.progress import TerminalProgress
from kisi_desktop.reports.csv_export import csv_bytes
from kisi_desktop.reports.pdf_report import period_label, render_pdf
from kisi_desktop.reports.pdf_tables import cell_text, printed_columns
from kisi_desktop.reports.periods import Period, parse_period
from kisi_desktop.reports.sections import (
    SECTION_STEPS,
    ReportInfo,
    export_tables,
    report_charts,
    report_info,
    report_sections,
    shareable,
)
from kisi_desktop.reports.tables import ReportTable
from kisi_desktop.reports.xlsx_export import xlsx_bytes


def register(sub: Any) -> None:
    """Add ``report``."""
    p = sub.add_parser("report", help=command_help("report"))
    p.add_argument(
        "--period",
        required=True,
        help=_("PY1..PY3 (project years), project, 2026, 2026-Q1 or 2026-01-01..2026-03-31"),
    )
    p.add_argument("--csv", metavar="FILE", help=_("write every table as one CSV file"))
    p.add_argument("--xlsx", metavar="FILE", help=_("write a workbook, one sheet per table"))
    p.add_argument("--pdf", metavar="FILE", help=_("write the printed report for the ministry"))
    p.add_argument(
        "--report-lang",
        choices=("de", "en"),
        default="de",
        help=_("language of the files (default: de)"),
    )
    add_json(p)
    p.set_defaults(handler=report)


def _json(period: Period, tables: Sequence[ReportTable], files: Sequence[Path]) -> dict[str, Any]:
    return {
        "period": {
            "key": period.key,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
        },
        "tables": [
            {
                "key": t.key,
                "title_de": t.title_de,
                "title_en": t.title_en,
                "columns": [
                    {"key": c.key, "de": c.de, "en": c.en, "kind": c.kind.value} for c in t.columns
                ],
                "rows": [dict(r) for r in t.rows],
                "notes_de": list(t.notes_de),
                "notes_en": list(t.notes_en),
            }
            for t in tables
        ],
        "files": [str(f) for f in files],
    }


def _screen(info: ReportInfo, tables: Sequence[ReportTable]) -> list[str]:
    """Every table as plain text in the UI language."""
    language = ui_language()
    lines = [
        _("{period}: {start} to {end}").format(
            period=period_label(info.period, language),
            start=format_date(info.period.start),
            end=format_date(info.period.end),
        )
    ]
    for t in tables:
        columns = printed_columns(t, language)
        lines += ["", t.title(language)]
        lines += table(
            [c.heading(language) for c in columns],
            [[cell_text(row.get(c.key), c.kind, language) for c in columns] for row in t.rows],
        )
        lines += t.explained_notes(language)  # (what "<5" and "x" mean where they stand)
    lines += [
        "",
        _(
            "The AMIF indicators are exact here, for you only: files and --json show their "
            "counts under 5 as <5. KISI's own tables are shown as they leave the laptop."
        ),
    ]
    return lines


def _write(
    args: argparse.Namespace,
    info: ReportInfo,
    tables: Sequence[ReportTable],
    wrote: Callable[[int], None],
) -> list[Path]:
    """Write the files asked for; ``wrote(n)`` once the n-th is written (progress)."""
    language = args.report_lang
    files = export_tables(info, tables)
    written: list[Path] = []

    def keep(path: Path, data: bytes) -> None:
        write_atomic(path, data)
        written.append(path)
        wrote(len(written))

    if args.csv:
        keep(Path(args.csv).expanduser(), csv_bytes(files, language=language))
    if args.xlsx:
        title = f"KISI {info.municipality} {info.period.key}".strip()
        data = xlsx_bytes(files, language=language, title=title, created=info.created)
        keep(Path(args.xlsx).expanduser(), data)
    if args.pdf:
        data = render_pdf(info, tables, report_charts(tables), language=language)
        keep(Path(args.pdf).expanduser(), data)
    return written


def report(ctx: Context, args: argparse.Namespace) -> int:
    """Show the report, or write it to the files asked for (small cells suppressed there)."""
    period = parse_period(args.period)
    ws = ctx.open_workspace()
    info = report_info(ws, period, today(ws.clock))
    exporting = bool(ctx.as_json or args.csv or args.xlsx or args.pdf)
    # Counting a year of records and drawing the PDF take seconds: shown on a terminal.
    steps = SECTION_STEPS + sum(1 for name in (args.csv, args.xlsx, args.pdf) if name)
    with TerminalProgress(ctx.stderr, ctx.as_json, _("Report")) as show:

        def counted(done: int, _total: int) -> None:
            show.percent(done, steps)

        if not exporting:
            local = report_sections(
                ws, period, suppress=False, language=ui_language(), on=info.created,
                progress=counted,
            )  # fmt: skip
        else:
            tables = shareable(
                report_sections(
                    ws, period, language=args.report_lang, on=info.created, progress=counted
                )
            )
            written = _write(args, info, tables, lambda n: show.percent(SECTION_STEPS + n, steps))
    if not exporting:
        ctx.emit(None, _screen(info, local))
        return 0
    ctx.emit(_json(period, export_tables(info, tables), written), [str(p) for p in written])
    return 0
