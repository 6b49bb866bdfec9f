"""Line breaking in :class:`BidiParagraph`, read from the laid-out lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.typeset.fonts import Script
from kisi_desktop.typeset.paragraph import BidiParagraph, Span, TextStyle

EMAIL = "integrationsguide.schwalmstadt@gemeinde-schwalmstadt.example"


def lines(text: str, width: float) -> list[str]:
    paragraph = BidiParagraph([Span(text)], TextStyle())
    paragraph.wrap(width, 1000)
    return paragraph.line_texts()


def test_an_address_too_long_for_its_column_breaks_after_its_punctuation() -> None:
    # Cut where it stopped fitting, "...@gemeinde-s" / "chwalmstadt.example" read as two
    # addresses; a reader copying it by hand should see where the pieces join.
    assert lines(f"E-Mail: {EMAIL}", 230) == [
        "E-Mail:",
        "integrationsguide.schwalmstadt@",
        "gemeinde-schwalmstadt.example",
    ]
    assert lines("https://www.kirchhain.de/leben-in-kirchhain/integration-und-migration", 200) == [
        "https://www.kirchhain.de/leben-in-",
        "kirchhain/integration-und-migration",
    ]


def test_a_word_without_punctuation_is_still_cut_where_it_stops_fitting() -> None:
    cut = lines("Migrationsberatungsstelleninformationsveranstaltungsteilnahmebescheinigung", 150)
    assert len(cut) > 1 and "".join(cut).startswith("Migrationsberatungs")


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghijkmnopqrstuvwxyzäöüß.-/@_", min_size=1, max_size=60),
        min_size=1,
        max_size=6,
    ),
    width=st.floats(min_value=20, max_value=300),
)
def test_breaking_never_loses_or_reorders_a_character_and_every_line_fits(
    words: list[str], width: float
) -> None:
    text = " ".join(words)
    paragraph = BidiParagraph([Span(text)], TextStyle())
    paragraph.wrap(width, 1000)
    assert "".join(paragraph.line_texts()).replace(" ", "") == text.replace(" ", "")
    for line in paragraph._laid_out():
        assert (
            line.width <= max(width, 0) + 0.01 or len("".join(str(r.text) for r in line.runs)) == 1
        )


SHY = "\u00ad"


def laid_out(text: str, width: float, **style: object) -> BidiParagraph:
    paragraph = BidiParagraph([Span(text)], TextStyle(**style))  # type: ignore[arg-type]
    paragraph.wrap(width, 1000)
    return paragraph


def test_a_soft_hyphen_breaks_the_word_with_a_hyphen_shown_only_at_the_line_end() -> None:
    text = f"Die Aufent{SHY}halts{SHY}erlaubnis gilt ein Jahr."
    assert lines(text, 1000) == ["Die Aufenthaltserlaubnis gilt ein Jahr."]
    # "Die Aufenthaltserlaubnis" is too wide; the word is broken at its last soft
    # hyphen that still fits, not moved whole to the next line.
    narrow = laid_out(text, 95)
    assert narrow.line_texts() == ["Die Aufenthalts-", "erlaubnis gilt ein", "Jahr."]
    assert narrow.hyphenated_lines() == [True, False, False]


def test_a_german_word_wider_than_the_line_is_hyphenated_by_the_german_patterns() -> None:
    paragraph = laid_out("Integrationskursverordnung", 80, language="de")
    shown = paragraph.line_texts()
    assert len(shown) > 1
    assert all(line.endswith("-") for line in shown[:-1])
    assert paragraph.hyphenated_lines() == [True] * (len(shown) - 1) + [False]
    # Each break where German hyphenation allows one ("In-te-gra-ti-ons-kurs-ver-ord-nung").
    allowed = {2, 4, 7, 9, 12, 16, 19, 22}
    ends = [len("".join(line[:-1] for line in shown[: i + 1])) for i in range(len(shown) - 1)]
    assert set(ends) <= allowed


def test_english_and_ukrainian_words_use_their_own_patterns() -> None:
    english = laid_out("internationalization", 60, language="en").line_texts()
    assert len(english) > 1 and english[0].endswith("-")
    ukrainian = laid_out("дезінтеграційний", 50, language="uk").line_texts()
    assert len(ukrainian) > 1 and ukrainian[0].endswith("-")


def test_arabic_and_tigrinya_words_are_never_hyphenated() -> None:
    arabic = f"الاستش{SHY}ارات" * 3
    paragraph = laid_out(arabic, 40, script=Script.ARABIC, rtl=True, language="ar", size=12)
    assert not any(paragraph.hyphenated_lines())
    ethiopic = f"ምኽሪ{SHY}ሓበሬታ" * 3
    paragraph = laid_out(ethiopic, 40, script=Script.ETHIOPIC, language="ti")
    assert not any(paragraph.hyphenated_lines())
    assert not any(SHY in line or "-" in line for line in paragraph.line_texts())


def test_without_a_language_a_long_word_is_still_cut_as_before() -> None:
    assert not any(laid_out("Integrationskursverordnung", 80).hyphenated_lines())


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet=f"abcdefghiknorstuvzäöüß-/.@{SHY}{SHY}{SHY}", min_size=1, max_size=40),
        min_size=1,
        max_size=6,
    ),
    width=st.floats(min_value=20, max_value=300),
    language=st.sampled_from(["de", "en", "uk", ""]),
)
def test_taking_the_added_hyphens_away_gives_back_the_text(
    words: list[str], width: float, language: str
) -> None:
    text = " ".join(words)
    paragraph = laid_out(text, width, language=language)
    shown = [
        line[:-1] if hyphen else line
        for line, hyphen in zip(paragraph.line_texts(), paragraph.hyphenated_lines(), strict=True)
    ]
    assert "".join(shown).replace(" ", "") == text.replace(" ", "").replace(SHY, "")
    assert not any(SHY in line for line in paragraph.line_texts())
    for line in paragraph._laid_out():
        assert line.width <= width + 0.01 or len(line.runs) <= 2
