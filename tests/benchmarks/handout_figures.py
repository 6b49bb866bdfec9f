"""Handout figures: what correct bidi and our layout cost against plain ReportLab and xhtml2pdf.

All three render the same bilingual German/Arabic handout text (``welcome``, two pages):

* ours: the real handout (header, footer, notice, QR code, per-word shaping and bidi);
* bare ReportLab: the same blocks as rows of a two-column Table of ``Paragraph`` objects
  with shaping on, no layout of ours (and Arabic words in the wrong order; a ReportLab
  crash worked around, see ``_guard_set_rise``);
* xhtml2pdf: the same blocks as an HTML table, with the same Noto fonts embedded via
  ``@font-face``.

Each is measured warm (fonts registered, one render before timing), best of several runs;
our word-shape cache is cleared before every run so it cannot flatter us.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from kisi_desktop.core.paths import fonts_dir

from kisi_desktop.handouts.catalog import Catalog, load_catalog, shipped_folder
from kisi_desktop.handouts.profile import HandoutProfile, fill_blocks
from kisi_desktop.handouts.render import Request, render, render_all
from kisi_desktop.handouts.text_format import BlockKind
from kisi_desktop.typeset import paragraph
from kisi_desktop.typeset.fonts import fonts

TOPIC = "welcome"
PROFILE = HandoutProfile(
    {
        "municipality": "Kirchhain",
        "guide": "Katharina Weber",
        "office.phone": "+49 6422 808-0",
        "office.address": "Am Markt 1, 35274 Kirchhain",
        "office.email": "integration@kirchhain.example",
    }
)
ISSUED = date(2026, 11, 25)


def _best(fn: Callable[[], Any], runs: int) -> float:
    fn()
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _pairs() -> list[tuple[str, str, bool]]:
    catalog = load_catalog()
    topic = catalog.topics[TOPIC]
    german = fill_blocks(topic.texts["de"].blocks, PROFILE)
    arabic = fill_blocks(topic.texts["ar"].blocks, PROFILE, rtl=True)
    rows = []
    for de, ar in zip(german, arabic, strict=False):
        arabic_text = " ".join(ar.lines).replace("\u202a", "").replace("\u202c", "")
        rows.append((" ".join(de.lines), arabic_text, de.kind is BlockKind.HEADING))
    return rows


def _ours(catalog: Catalog) -> bytes:
    paragraph._shaped.cache_clear()
    return render(catalog, Request(TOPIC, "ar"), PROFILE, ISSUED)


def _guard_set_rise() -> None:
    """Work around a ReportLab 5.1 crash, for the baseline only.

    Its Paragraph with shaping crashes (IndexError in ``PDFTextObject.setRise``, which looks
    at the last operator of an empty buffer) on wrapped Arabic lines whose glyphs HarfBuzz
    shifts vertically. Our layout never calls ``setRise``; the baseline gets the missing
    emptiness check so that it can be timed at all.
    """
    from reportlab.pdfgen.textobject import PDFTextObject

    original = PDFTextObject.setRise
    if getattr(original, "guarded", False):
        return

    def set_rise(self: Any, rise: float) -> None:
        if not self._code:
            self._code.append("")
        original(self, rise)

    set_rise.guarded = True  # type: ignore[attr-defined]
    PDFTextObject.setRise = set_rise


def _bare_reportlab(rows: list[tuple[str, str, bool]]) -> bytes:
    _guard_set_rise()
    fonts()
    de_style = ParagraphStyle("de", fontName="KisiSans", fontSize=10.5, leading=14.7)
    ar_style = ParagraphStyle(
        "ar", fontName="KisiArabic", fontSize=12, leading=18.6, alignment=TA_RIGHT, shaping=1
    )
    head_de = ParagraphStyle("hde", parent=de_style, fontName="KisiSans-Bold", fontSize=13)
    head_ar = ParagraphStyle("har", parent=ar_style, fontName="KisiArabic-Bold", fontSize=14.5)
    data = [
        [
            Paragraph(escape(de).replace("**", ""), head_de if heading else de_style),
            Paragraph(escape(ar).replace("**", ""), head_ar if heading else ar_style),
        ]
        for de, ar, heading in rows
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm)
    width = (A4[0] - 32 * mm - 8 * mm) / 2
    table = Table(data, colWidths=[width, width + 8 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    doc.build([table])
    return buffer.getvalue()


def _html(rows: list[tuple[str, str, bool]]) -> str:
    folder = fonts_dir()
    faces = "".join(
        f"@font-face {{ font-family: {family}; src: url('{folder / file}'); }}"
        for family, file in (
            ("kisisans", "NotoSans-Regular.ttf"),
            ("kisiarabic", "NotoSansArabic-Regular.ttf"),
        )
    )
    body = "".join(
        f"<tr><td class='de'>{'<b>' if h else ''}{escape(de).replace('**', '')}"
        f"{'</b>' if h else ''}</td>"
        f"<td class='ar' dir='rtl'>{escape(ar).replace('**', '')}</td></tr>"
        for de, ar, h in rows
    )
    return (
        f"<html><head><style>{faces} @page {{ size: a4; margin: 16mm; }}"
        " td { vertical-align: top; } .de { font-family: kisisans; font-size: 10.5pt; }"
        " .ar { font-family: kisiarabic; font-size: 12pt; text-align: right; }"
        f"</style></head><body><table>{body}</table></body></html>"
    )


def _xhtml2pdf(html: str) -> bytes:
    from xhtml2pdf import pisa

    buffer = io.BytesIO()
    status = pisa.CreatePDF(html, dest=buffer, encoding="utf-8")
    if status.err:
        raise SystemExit("xhtml2pdf failed")
    return buffer.getvalue()


def run(size: int) -> list[dict[str, Any]]:
    """The three handout figures (``size`` only chooses how many timing runs)."""
    runs = 5 if size <= 10_000 else 10
    rows = _pairs()
    html = _html(rows)
    catalog = load_catalog()  # loaded once, as the app does; the baselines get their text
    ours = _best(lambda: _ours(catalog), runs)
    bare = _best(lambda: _bare_reportlab(rows), runs)
    xhtml = _best(lambda: _xhtml2pdf(html), runs)
    with tempfile.TemporaryDirectory() as out:
        workers = min(os.cpu_count() or 1, 2)
        started = time.perf_counter()
        written = render_all([shipped_folder()], Path(out), PROFILE, ISSUED, workers=workers)
        per_handout = (time.perf_counter() - started) / len(written)
    return [
        {
            "name": "handout.vs_bare_reportlab",
            "value": ours,
            "unit": "s",
            "baseline": "the same two columns as a ReportLab Table of shaped Paragraphs",
            "baseline_value": bare,
            "goal": "ratio <= 1.5",
        },
        {
            "name": "handout.vs_xhtml2pdf",
            "value": ours,
            "unit": "s",
            "baseline": "the same content as HTML through xhtml2pdf, same fonts embedded",
            "baseline_value": xhtml,
            "goal": "ratio <= 1.0",
        },
        {
            "name": "handout.all_per_handout",
            "value": per_handout,
            "unit": "s",
            "baseline": f"one handout rendered in-process ({len(written)} with --all on "
            f"{workers} cores)",
            "baseline_value": ours,
            "goal": "value <= 0.25",
        },
    ]
