"""Printed handouts read back with poppler: words in reading order, fonts, page furniture."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date
from pathlib import Path

import pytest

from kisi_desktop.handouts import layout
from kisi_desktop.handouts.catalog import load_catalog, shipped_folder
from kisi_desktop.handouts.layout import HandoutPage, Layout
from kisi_desktop.handouts.profile import HandoutProfile
from kisi_desktop.handouts.render import Request, handout_page, render, render_all, render_many
from kisi_desktop.handouts.text_format import Block, BlockKind, split_bold

from tests.support import pdf

PROFILE = HandoutProfile(
    {
        "municipality": "Kirchhain",
        "guide": "Katharina Weber",
        "guide.email": "k.weber@kirchhain.example",
        "office.phone": "+49 6422 808-0",
        "office.address": "Am Markt 1, 35274 Kirchhain",
        "office.hours": "Di 9–12 Uhr, Do 14–18 Uhr",
        "office.email": "integration@kirchhain.example",
    }
)
ISSUED = date(2026, 11, 25)
CATALOG = load_catalog()
LANGUAGES = sorted(CATALOG.languages)


def _render(tmp_path: Path, topic: str, lang: str, layout: Layout = Layout.SIDE_BY_SIDE) -> Path:
    out = tmp_path / f"{topic}_{lang}.pdf"
    out.write_bytes(render(CATALOG, Request(topic, lang, layout), PROFILE, ISSUED))
    return out


def _first_heading(topic: str, lang: str) -> list[str]:
    block = next(b for b in CATALOG.topics[topic].texts[lang].blocks if b.kind is BlockKind.HEADING)
    return "".join(piece for piece, _ in split_bold(block.lines[0])).split()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_prints_readable_and_complete(tmp_path: Path, lang: str) -> None:
    language = CATALOG.languages[lang]
    out = _render(tmp_path, "welcome", lang)
    fonts = pdf.fonts(out)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    words = pdf.words(out)
    # The reader's first heading comes out as one line, in logical order.
    expected = _first_heading("welcome", lang)
    column = (0, 10_000) if lang.startswith("de") else (297, 10_000)
    read = [pdf.reading_order(line, language.rtl) for line in pdf.lines(words, x_min=column[0])]
    assert any(line[: len(expected)] == expected for line in read), (expected, read[:8])
    # The municipality's name heads every page.
    pages = max(w.page for w in words)
    assert {w.page for w in words if w.text == "Kirchhain" and w.y0 < 40} == set(
        range(1, pages + 1)
    )
    text = pdf.text(out)
    assert "{{" not in text
    if not lang.startswith("de"):
        assert "Ausgegeben am 25. November 2026" in text
        assert "Diese Übersetzung wurde noch nicht geprüft." in text


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if CATALOG.languages[code].rtl])
def test_right_to_left_lines_are_right_aligned_and_start_at_the_right(
    tmp_path: Path, lang: str
) -> None:
    out = _render(tmp_path, "health", lang)
    lines = [line for line in pdf.lines(pdf.words(out), x_min=297) if len(line) >= 3]
    assert len(lines) > 10
    edges = sorted(round(max(w.x1 for w in line)) for line in lines)
    # Body text and headings end at the column's right edge; bullet text a bullet further in.
    assert edges[-1] - edges[len(edges) // 4] < 15
    for line in lines:
        first_read = pdf.reading_order(line, rtl=True)[0]
        assert max(line, key=lambda w: w.x1).text == first_read


def test_single_language_arabic_page_is_mirrored(tmp_path: Path) -> None:
    out = _render(tmp_path, "welcome", "ar", Layout.SINGLE)
    words = pdf.words(out)
    name = next(w for w in words if w.text == "Kirchhain" and w.y0 < 40)
    assert name.x1 > 500, "the header sits on the right of a right-to-left page"
    assert "Ausgegeben" not in pdf.text(out)


def test_alternating_layout_keeps_german_before_each_translated_block(tmp_path: Path) -> None:
    out = _render(tmp_path, "health", "uk", Layout.ALTERNATING)
    text = pdf.text(out)
    german = _first_heading("health", "de")
    ukrainian = _first_heading("health", "uk")
    assert text.index(" ".join(german)) < text.index(" ".join(ukrainian))


def test_missing_profile_values_leave_no_trace(tmp_path: Path) -> None:
    out = tmp_path / "blank.pdf"
    out.write_bytes(render(CATALOG, Request("welcome", "ar"), HandoutProfile(), ISSUED))
    text = pdf.text(out)
    assert "{{" not in text and "}}" not in text
    assert "Kirchhain" not in text


def test_every_topic_in_every_language_renders_on_both_cores(tmp_path: Path) -> None:
    written = render_all([shipped_folder()], tmp_path, PROFILE, ISSUED, workers=2)
    assert len(written) == len(CATALOG.pairs()) >= 11 * 13
    for path in written:
        head = path.read_bytes()[:5]
        assert head == b"%PDF-", path


def test_codes_never_fill_a_page_of_their_own(tmp_path: Path) -> None:
    # The German welcome text fits one page; its QR code would not fit below it.
    out = _render(tmp_path, "welcome", "de")
    words = pdf.words(out)
    assert max(w.page for w in words) == 1
    assert "integreat.app" in [w.text for w in words]


def test_side_by_side_blocks_keep_their_gap_whichever_column_is_taller(tmp_path: Path) -> None:
    """A row's table cell dropped the space after its paragraph: where the German column
    was the taller one, its next bullet or heading followed without a gap."""
    out = _render(tmp_path, "health", "ar")
    german = [line for line in pdf.lines(pdf.words(out), x_max=300) if line[0].page == 1]
    line_step = 10.5 * 1.4  # the German body's leading in a narrow column
    headings = {"Hausarzt", "Apotheke", "Kinder", "Notfall"}
    gaps = {}
    for above, line in itertools.pairwise(german):
        first = min(line, key=lambda w: w.x0).text
        if first == "•" or first in headings:
            gaps[first, line[0].y0] = line[0].y0 - above[0].y0
    bullets = [gap for (first, _), gap in gaps.items() if first == "•"]
    assert len(bullets) >= 4
    assert min(bullets) >= line_step + 2.5, gaps  # the bullet's 3 pt
    heads = [gap for (first, _), gap in gaps.items() if first != "•"]
    assert len(heads) == 4 and min(heads) >= line_step + 5, gaps  # (larger type, 6 pt above)


def test_a_handout_that_fits_one_sheet_without_the_gaps_is_printed_on_one(
    tmp_path: Path,
) -> None:
    # The Kita handout beside English fills one page to the foot; with all the rows' gaps
    # its codes, and then its last lines, would go onto a second sheet. The space above
    # its headings still fits: they do not touch the text above them.
    out = _render(tmp_path, "kita_school", "en")
    words = pdf.words(out)
    assert max(w.page for w in words) == 1
    assert "kultusministerium.hessen.de" in [w.text for w in words]
    german = pdf.lines(words, x_max=300)
    headings = [
        " ".join(b.lines)
        for b in CATALOG.topics["kita_school"].texts["de"].blocks
        if b.kind is BlockKind.HEADING
    ]
    gaps = [
        line[0].y0 - above[0].y0
        for above, line in itertools.pairwise(german)
        if " ".join(w.text for w in sorted(line, key=lambda w: w.x0)) in headings
    ]
    assert len(gaps) == len(headings) >= 3
    assert min(gaps) >= 10.5 * 1.4 + 5, gaps  # a line step, and the 6 pt above a heading


def _made_up(bullets: int, paragraph_words: int) -> HandoutPage:
    """The health handout beside English with made-up text: ``bullets`` one-line bullets,
    then a paragraph of ``paragraph_words`` words (0: none), on both sides."""
    page = handout_page(CATALOG, Request("health", "en"), PROFILE, ISSUED)
    blocks = [Block(BlockKind.BULLET, (f"Point {n}",)) for n in range(bullets)]
    if paragraph_words:
        blocks.append(Block(BlockKind.PARAGRAPH, (" ".join(["word"] * paragraph_words),)))
    assert page.german is not None
    return dataclasses.replace(
        page,
        reader=dataclasses.replace(page.reader, blocks=tuple(blocks)),
        german=dataclasses.replace(page.german, blocks=tuple(blocks)),
    )


@pytest.mark.parametrize("paragraph_words", [0, 140])
def test_the_rows_gaps_never_cost_a_sheet(tmp_path: Path, paragraph_words: int) -> None:
    """Whatever the text: never more pages than the same handout set without the gaps
    between its rows, alone or in a pack of several topics."""
    for bullets in range(10, 90, 3):
        page = _made_up(bullets, paragraph_words)
        tight_pdf = tmp_path / "tight.pdf"
        tight_pdf.write_bytes(layout._codes_placed(page, layout.Spacing.NONE)[2])
        out = tmp_path / "out.pdf"
        out.write_bytes(layout.build_pdf(page))
        assert pdf.page_count(out) <= pdf.page_count(tight_pdf), bullets
        pack = tmp_path / "pack.pdf"
        pack.write_bytes(layout.build_pdf_many([page, page]))
        assert pdf.page_count(pack) <= 2 * pdf.page_count(tight_pdf), bullets


def test_nothing_is_printed_outside_the_margins(tmp_path: Path) -> None:
    for lang in ("ar", "de", "ti"):
        out = _render(tmp_path, "housing", lang)
        for word in pdf.words(out):
            assert 16 * 72 / 25.4 - 0.5 <= word.x0 and word.x1 <= (210 - 16) * 72 / 25.4 + 0.5, (
                lang,
                word,
            )


def test_several_topics_print_as_one_document_each_from_a_new_page(tmp_path: Path) -> None:
    topics = ["welcome", "housing", "health"]
    out = tmp_path / "pack.pdf"
    out.write_bytes(render_many(CATALOG, [Request(t, "prs") for t in topics], PROFILE, ISSUED))
    singles = [pdf.words(_render(tmp_path, t, "prs")) for t in topics]
    words = pdf.words(out)
    assert max(w.page for w in words) == sum(max(w.page for w in s) for s in singles)
    # Each handout starts on a page of its own with its German title at the top.
    first_pages = [1]
    for single in singles[:-1]:
        first_pages.append(first_pages[-1] + max(w.page for w in single))
    for topic, page in zip(topics, first_pages, strict=True):
        title = CATALOG.topics[topic].texts["de"].front.title.split()[0]
        assert title in [w.text for w in words if w.page == page], (topic, page)
    assert f"Seite 1 von {max(w.page for w in words)}" in pdf.text(out)


def _gap_under_header(out: Path) -> float:
    """Space between the header's contact line (8.5 pt words) and the German title."""
    first = [w for w in pdf.words(out) if w.page == 1]
    title_top = next(w.y0 for w in first if w.text == "Willkommen")
    contact_bottom = max(w.y1 for w in first if w.y0 < 120 and w.y1 - w.y0 < 12)
    return title_top - contact_bottom


def test_a_long_contact_line_pushes_the_text_down_instead_of_into_the_header(
    tmp_path: Path,
) -> None:
    # Four guides in post and a long address: the header's contact line took three lines
    # in Pashto, its rule and last line ran through the handout's title (two lines already
    # left the rule touching it).
    crowded = dataclasses.replace(
        PROFILE,
        values={
            **PROFILE.values,
            "guide": "Katharina Weber-Schneider, Mohammad Al-Hassan Rahimi, "
            "Tesfaye Gebremedhin Haile, Olena Kovalenko-Schmidt",
            "guide.email": "integrationsguides.schwalmstadt@gemeinde-schwalmstadt.example",
        },
    )
    one_line = _gap_under_header(_render(tmp_path, "welcome", "de"))
    assert one_line > 10
    assert _gap_under_header(_render(tmp_path, "welcome", "ps")) >= one_line - 0.5  # two lines
    out = tmp_path / "crowded.pdf"
    out.write_bytes(render(CATALOG, Request("welcome", "ps"), crowded, ISSUED))
    assert _gap_under_header(out) >= one_line - 0.5  # three lines


@pytest.mark.parametrize("topic", ["housing", "welcome", "work"])
def test_a_codes_label_stays_with_its_code_on_a_right_to_left_page(
    tmp_path: Path, topic: str
) -> None:
    # The labels are German (topic.toml); on a Persian page they were set right to left,
    # right-aligned across the page, a hand's width away from the code they name.
    out = _render(tmp_path, topic, "fa", Layout.SINGLE)
    found = pdf.words(out)
    for link in CATALOG.topics[topic].links[:3]:
        url = next(w for w in found if w.text == layout._shown_url(link.url))
        first_word = link.label.split()[0]
        label = min(
            (w for w in found if w.page == url.page and w.text == first_word and w.y0 < url.y0),
            key=lambda w: url.y0 - w.y0,
        )
        assert abs(label.x0 - url.x0) < 1, (link.label, label, url)
