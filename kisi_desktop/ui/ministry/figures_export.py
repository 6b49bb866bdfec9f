"""The ministry's figures as CSV, XLSX or PDF: the bytes, made on a worker from tables in hand.

The same tables as ``kisi ministry report --csv/--xlsx`` writes (coverage, indicators with
their ranges, breakdowns, participation where asked for, the report tables), for every
municipality and all together; the PDF is the report layout of the municipalities' own
reports with the ministry's tables in it. All in the language the figures were made in.
"""

from __future__ import annotations

from datetime import date

from kisi_desktop.core.files import safe_file_name
from kisi_desktop.core.i18n import N_, _, translator

from kisi_desktop.ministry.aggregate import Figures
from kisi_desktop.reports.csv_export import csv_bytes
from kisi_desktop.reports.pdf_report import render_pdf
from kisi_desktop.reports.sections import ReportInfo
from kisi_desktop.reports.xlsx_export import xlsx_bytes

SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "pdf": ".pdf"}


def file_name(result: Figures, key: str) -> str:
    """The suggested file name in the UI language, e.g. ``KISI-Ministerium_PY1.xlsx``."""
    name = _("KISI-ministry_{period}").format(period=result.period.key.replace("..", "_"))
    return f"{safe_file_name(name)}{SUFFIXES[key]}"


def export_bytes(result: Figures, key: str, created: date) -> bytes:
    """The file's bytes in format ``key`` (``csv``, ``xlsx`` or ``pdf``); plain data, any
    thread."""
    if key == "csv":
        return csv_bytes(result.tables, language=result.language)
    if key == "xlsx":
        return xlsx_bytes(
            result.tables,
            language=result.language,
            title=f"KISI {result.period.key}",
            created=created,
        )
    if key == "pdf":
        towns = [c for c in result.coverage if c.bundles]
        info = ReportInfo(
            municipality=translator(result.language)
            .gettext(N_("All municipalities ({n} with bundles in the period)"))
            .format(n=len(towns)),
            ags=", ".join(c.ags for c in towns),
            district="",
            guides=(),
            period=result.period,
            created=created,
        )
        return render_pdf(info, result.tables, (), language=result.language, charts_after=None)
    raise ValueError(f"unknown export format {key!r}")
