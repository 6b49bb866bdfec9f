"""The printed recovery sheet: the code, the vault it opens, the date, and where to keep it.

DESIGN.md: the recovery code is shown once at set-up, to be printed and kept in the office
safe. The sheet is laid out with QTextDocument so the same function prints to a real
printer (through the system print dialog) or to a PDF file, which is what tests use.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from kisi_desktop.core.i18n import _, format_date

# TECH-NOTES.md: QPrinter(HighResolution) rasterises at 1200 dpi (slow, 10 MB files);
# 300 dpi is plenty for one page of text.
PRINT_DPI = 300
# Body text size on paper; the code itself is larger (16 pt, one line on A4).
SHEET_POINT_SIZE = 11.0


def pdf_printer(path: Path) -> QPrinter:
    """A printer that writes an A4 PDF to ``path`` ("Save as PDF…" and tests)."""
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setResolution(PRINT_DPI)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setDocName(_("KISI Desktop recovery code"))
    return printer


def sheet_html(code: str, *, vault_path: Path | None = None, day: date | None = None) -> str:
    """The sheet as Qt rich text (HTML subset), in the UI language."""
    mono = html.escape(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family())
    day = day or date.today()
    title = html.escape(_("KISI Desktop recovery code"))
    created = html.escape(_("Created on:"))
    vault = html.escape(_("Vault file:"))
    kept = html.escape(_("Kept at:"))
    warning = html.escape(
        _(
            "This code opens the vault when the passphrase is forgotten. Anyone who has "
            "this sheet and the vault file can read every record in it."
        )
    )
    advice = html.escape(
        _(
            "Keep this sheet locked away (for example in the office safe), never together "
            "with the laptop. Letters and digits only: there is no zero and no one in the "
            "code."
        )
    )
    code_style = (
        f"font-family: '{mono}'; font-size: 16pt; font-weight: bold; white-space: pre; "
        "margin-top: 24px; margin-bottom: 24px;"
    )
    rows = [
        f"<h1>{title}</h1>",
        f"<p>{warning}</p>",
        f'<p style="{code_style}">{html.escape(code)}</p>',
        "<table cellpadding='4'>",
        f"<tr><td>{created}</td><td>{html.escape(format_date(day, fmt='long'))}</td></tr>",
    ]
    if vault_path is not None:
        rows.append(f"<tr><td>{vault}</td><td>{html.escape(str(vault_path))}</td></tr>")
    rows += [
        f"<tr><td>{kept}</td><td>______________________________</td></tr>",
        "</table>",
        f"<p>{advice}</p>",
    ]
    return "\n".join(rows)


def print_recovery_sheet(
    code: str,
    printer: QPrinter,
    *,
    vault_path: Path | None = None,
    day: date | None = None,
) -> None:
    """Print one page with ``code``, the date and the vault path on ``printer``.

    The printer is set up by the caller: from the print dialog, or :func:`pdf_printer`.
    """
    document = QTextDocument()
    font = document.defaultFont()
    font.setPointSizeF(SHEET_POINT_SIZE)
    document.setDefaultFont(font)
    document.setHtml(sheet_html(code, vault_path=vault_path, day=day))
    document.print_(printer)
