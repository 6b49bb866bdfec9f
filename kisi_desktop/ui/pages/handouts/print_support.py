"""Printing a rendered handout: each PDF page as a 300 dpi image on the printer's page.

Qt cannot hand a PDF to a printer as it is; QtPdf renders pages to images. 300 dpi is sharp
on paper; QPrinter's HighResolution mode would rasterise at 1200 dpi, 16 times the pixels
for no visible gain (TECH-NOTES.md, "PySide6 headless"). "Save as PDF" never goes through
here: it writes the ReportLab file as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

MAX_DPI = 300


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


def print_document(document: QPdfDocument, printer: QPrinter, max_dpi: int = MAX_DPI) -> int:
    """Print every page of ``document`` on ``printer``; returns the number of pages printed.

    The printer's resolution is set to ``max_dpi``, and each page is drawn onto the
    whole sheet (full-page mode), true to scale when the paper has the page's size: the
    handout's own margins (16 mm and more) leave room for any printer's unprintable edge.

    Raises:
        OSError: the printer (or the PDF file it writes) could not be opened.
    """
    pages = document.pageCount()
    if pages < 1:
        return 0
    # Whatever the mode the printer was made with (ScreenResolution would be 96 dpi, blurred
    # on paper; HighResolution 1200 dpi), the pages go out at max_dpi.
    printer.setResolution(max_dpi)
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(printer.outputFileName() or printer.printerName())
    try:
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        for page in range(pages):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            image = _page_image(document, page, points, printer.resolution())
            painter.drawImage(_fit(points, paper), image)
    finally:
        painter.end()
    return pages


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
