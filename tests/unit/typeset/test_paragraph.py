"""Line breaking in :class:`BidiParagraph`, read from the laid-out lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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
