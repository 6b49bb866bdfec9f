"""Paragraphs set in a real PDF and read back with poppler, as a reader's tools would."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from kisi_desktop.typeset.fonts import Script
from kisi_desktop.typeset.pages import counting_canvas
from kisi_desktop.typeset.paragraph import BidiParagraph, Span, TextStyle, missing_glyphs

from tests.support import pdf

ARABIC = (
    "مرحبا بكم في مكتب الاندماج. نساعدكم في البداية ونجيب عن أسئلتكم حول اللغة والعمل "
    "والسكن والمدرسة. تعالوا إلينا في أوقات الاستقبال أو اتصلوا بنا."
)


def _build(tmp_path: Path, paragraphs: list[BidiParagraph], width_mm: float = 80) -> Path:
    out = tmp_path / "p.pdf"
    margin = (A4[0] - width_mm * 72 / 25.4) / 2
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=margin, rightMargin=margin)
    doc.build(paragraphs, canvasmaker=counting_canvas(lambda c, n, t: None))
    return out


def _rtl(size: float = 12) -> TextStyle:
    return TextStyle(size, size * 1.5, Script.ARABIC, rtl=True)


def test_wrapped_arabic_reads_right_to_left_line_after_line(tmp_path: Path) -> None:
    out = _build(tmp_path, [BidiParagraph([Span(ARABIC)], _rtl())])
    read = pdf.lines(pdf.words(out))
    assert len(read) >= 3, "the paragraph should wrap in an 80 mm column"
    in_order = [word for line in read for word in pdf.reading_order(line, rtl=True)]
    assert in_order == ARABIC.split()
    # Right-aligned: every line ends (on the right) at the same x.
    right_edges = [max(w.x1 for w in line) for line in read]
    assert max(right_edges) - min(right_edges) < 0.5
    # The first logical word of each line has the largest x.
    for line in read:
        logical = pdf.reading_order(line, rtl=True)
        assert max(line, key=lambda w: w.x0).text == logical[0]


def test_phone_number_inside_arabic_prints_in_dialling_order(tmp_path: Path) -> None:
    text = "اتصلوا على الرقم 06251 14-0 أو اكتبوا إلى info@bensheim.de اليوم!"
    out = _build(tmp_path, [BidiParagraph([Span(text)], _rtl())], width_mm=150)
    found = {w.text: w for w in pdf.words(out)}
    assert found["06251"].x0 < found["14-0"].x0
    assert "info@bensheim.de" in found
    assert found["اتصلوا"].x0 > found["06251"].x0


def test_pashto_letters_and_vowel_marks_survive(tmp_path: Path) -> None:
    text = "ښه راغلاست! ټولنه، ځای او ړوند. مُحَمَّد"
    out = _build(tmp_path, [BidiParagraph([Span(text)], _rtl())], width_mm=150)
    read = [w for line in pdf.lines(pdf.words(out)) for w in pdf.reading_order(line, rtl=True)]
    assert " ".join(read) == text


def test_persian_digits_keep_their_order(tmp_path: Path) -> None:
    text = "شماره ۱۲۳ و ۴۵۶"
    out = _build(tmp_path, [BidiParagraph([Span(text)], _rtl())], width_mm=150)
    found = [w.text for w in pdf.words(out)]
    assert "۱۲۳" in found and "۴۵۶" in found


def test_tigrinya_exclamation_mark_falls_back_to_a_font_that_has_it(tmp_path: Path) -> None:
    text = "እንቋዕ ብደሓን መጻእኩም! ቁጽሪ 112።"
    style = TextStyle(12, 18, Script.ETHIOPIC)
    assert missing_glyphs(text, Script.ETHIOPIC) == set()
    out = _build(tmp_path, [BidiParagraph([Span(text)], style)], width_mm=150)
    assert pdf.text(out).split() == text.split()
    assert all(embedded for _, embedded in pdf.fonts(out))


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Öffnungszeiten finden Sie im Büro: **Mo–Fr**", Script.LATIN),
        ("Ласкаво просимо! Її ґанок є.", Script.LATIN),
        ("Hûn bi xêr hatin! Şêwirmendiya belaş. İyi günler, ığdır.", Script.LATIN),
    ],
)
def test_latin_and_cyrillic_text_extracts_as_written(
    tmp_path: Path, text: str, script: Script
) -> None:
    spans = [Span(text.replace("**", "")[:29]), Span(text.replace("**", "")[29:], bold=True)]
    out = _build(tmp_path, [BidiParagraph(spans, TextStyle(11, 15, script))], width_mm=170)
    assert pdf.text(out).split() == text.replace("**", "").split()


def test_every_font_is_embedded_and_no_helvetica_appears(tmp_path: Path) -> None:
    out = _build(
        tmp_path,
        [
            BidiParagraph([Span(ARABIC)], _rtl()),
            BidiParagraph([Span("Deutsch und ትግርኛ")], TextStyle()),
        ],
    )
    used = pdf.fonts(out)
    assert used and all(embedded for _, embedded in used)
    assert not any("Helvetica" in name for name, _ in used)


def test_a_character_no_bundled_font_has_is_reported() -> None:
    assert missing_glyphs("Kita 漢", Script.LATIN) == {"漢"}


def test_long_paragraph_splits_across_pages_without_losing_words(tmp_path: Path) -> None:
    long_text = " ".join([ARABIC] * 40)
    out = _build(tmp_path, [BidiParagraph([Span(long_text)], _rtl())])
    found = pdf.words(out)
    assert max(w.page for w in found) >= 2
    in_order = [w for line in pdf.lines(found) for w in pdf.reading_order(line, rtl=True)]
    assert in_order == long_text.split()


def test_german_term_in_brackets_inside_arabic_keeps_its_brackets(tmp_path: Path) -> None:
    text = "سجّلوا عنوانكم في مكتب المواطنين (Bürgerbüro): خلال أسبوعين."
    out = _build(tmp_path, [BidiParagraph([Span(text)], _rtl())], width_mm=160)
    found = [w.text for w in pdf.words(out)]
    # Read right to left the colon follows the term, so it is drawn on its left.
    assert ":(Bürgerbüro)" in found


def test_a_phone_number_is_never_split_across_lines(tmp_path: Path) -> None:
    for width in range(40, 70, 3):
        text = "Rufen Sie uns an: 06251 14-0 oder die Seelsorge 0800 111 0 111, jederzeit."
        out = _build(tmp_path, [BidiParagraph([Span(text)], TextStyle())], width_mm=width)
        for line in pdf.lines(pdf.words(out)):
            words = [w.text for w in line]
            assert ("06251" in words) == ("14-0" in words), (width, words)
            assert ("0800" in words) == ("0 111," in " ".join(words)), (width, words)
