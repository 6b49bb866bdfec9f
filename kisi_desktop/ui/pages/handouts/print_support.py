"""Printing a rendered handout: each PDF page as a 300 dpi image on the printer's page.

Qt cannot hand a PDF to a printer as it is; QtPdf renders pages to images. 300 dpi is sharp
on paper; QPrinter's HighResolution mode would rasterise at 1200 dpi, 16 times the pixels
for no visible gain (TECH-NOTES.md, "PySide6 headless"). "Save as PDF" never goes through
here: it writes the ReportLab file as it is.

A page at 300 dpi takes a good part of a second to render, so printing runs on a worker
(``print_job.py``): QPainter may paint on a QPrinter and a QImage off the UI thread, and
the worker reads the PDF into a QPdfDocument of its own. Between pages it reports how far
it got and asks whether the guide cancelled.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

MAX_DPI = 300


class PrintCancelled(Exception):
    """The guide cancelled the print: the job was aborted and no file was left behind."""


def prepare_printer(printer: QPrinter, document: QPdfDocument) -> None:
    """Preset the paper size and orientation to the document's first page (A4 portrait).

    The guide can still choose other paper in the print dialog; pages are then scaled to fit.
    """
    if document.pageCount() < 1:
        return
    size = document.pagePointSize(0)
    printer.setPageSize(QPageSize(QSizeF(size), QPageSize.Unit.Point))
    landscape = size.width() > size.height()
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


def print_pdf(
    data: bytes,
    printer: QPrinter,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Print the PDF ``data`` on ``printer`` (see :func:`print_document`); for a worker,
    which must not share the preview's QPdfDocument with the UI thread.

    Raises:
        OSError: QtPdf cannot read ``data``, or the printer could not be opened.
        PrintCancelled: ``cancelled()`` said so between two pages.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() is QPdfDocument.Status.Error:
            raise OSError("the handout's PDF cannot be read")
        return print_document(document, printer, progress=progress, cancelled=cancelled)
    finally:
        document.close()
        buffer.close()


def print_document(
    document: QPdfDocument,
    printer: QPrinter,
    max_dpi: int = MAX_DPI,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Print every page of ``document`` on ``printer``; returns the number of pages printed.

    The printer's resolution is set to ``max_dpi``, and each page is drawn onto the
    whole sheet (full-page mode), true to scale when the paper has the page's size: the
    handout's own margins (16 mm and more) leave room for any printer's unprintable edge.
    ``progress(done, total)`` is called before each page and once at the end. A printer
    that writes a file (PDF) writes it under a temporary name and renames it once all
    pages are in: a cancelled or failed print leaves no half file under the chosen name.

    Raises:
        OSError: the printer (or the PDF file it writes) could not be opened.
        PrintCancelled: ``cancelled()`` said so between two pages; the job was aborted.
    """
    pages = document.pageCount()
    if pages < 1:
        return 0
    # Whatever the mode the printer was made with (ScreenResolution would be 96 dpi, blurred
    # on paper; HighResolution 1200 dpi), the pages go out at max_dpi.
    printer.setResolution(max_dpi)
    printer.setFullPage(True)
    target = printer.outputFileName()
    part = Path(target).with_name(f".{Path(target).name}.{os.getpid()}.part") if target else None
    if part is not None:
        printer.setOutputFileName(str(part))
    try:
        _print_pages(document, printer, target or printer.printerName(), progress, cancelled)
        if part is not None:
            os.replace(part, target)
    finally:
        if part is not None:
            part.unlink(missing_ok=True)
            printer.setOutputFileName(target)
    return pages


def _print_pages(
    document: QPdfDocument,
    printer: QPrinter,
    name: str,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    """Every page onto ``printer`` (named ``name`` in an error)."""
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(name)
    try:
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        for page in range(pages):
            if cancelled is not None and cancelled():
                printer.abort()  # a printer's spooler drops the job (Windows, CUPS)
                raise PrintCancelled
            if progress is not None:
                progress(page, pages)
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            image = _page_image(document, page, points, printer.resolution())
            painter.drawImage(_fit(points, paper), image)
    finally:
        painter.end()
    if progress is not None:
        progress(pages, pages)


def _page_image(document: QPdfDocument, page: int, points: QSizeF, dpi: int) -> QImage:
    """The page at ``dpi`` on white: QtPdf leaves the background transparent, and some
    printer drivers turn a transparent image into a grey or black box."""
    size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
    rendered = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def _fit(points: QSizeF, paper: QRectF) -> QRectF:
    """The largest rectangle of the page's proportions centred on the paper."""
    if points.width() <= 0 or points.height() <= 0:
        return paper
    scale = min(paper.width() / points.width(), paper.height() / points.height())
    width, height = points.width() * scale, points.height() * scale
    return QRectF(
        paper.x() + (paper.width() - width) / 2,
        paper.y() + (paper.height() - height) / 2,
        width,
        height,
    )
