"""QR codes as flowables, so a phone can open the official page a handout names."""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCode


def qr_code(url: str, size: float) -> QrCode:
    """A square QR code of ``size`` points encoding ``url``, error correction level M.

    Level M (15 % of the code may be damaged) keeps a code readable on a creased or
    smudged sheet while staying small for URLs of a hundred characters. ReportLab's
    flowable draws the modules straight onto the page; its graphics-widget variant would
    also select Helvetica, an unembedded font, in every PDF that holds a code.
    """
    return QrCode(url, width=size, height=size, qrLevel="M", qrBorder=2)
