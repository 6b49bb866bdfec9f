"""German spellings and Arabic-script letter forms a guide types for the same name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.spellings import german_spellings, match_text, typed_words


@pytest.mark.parametrize(
    ("word", "spellings"),
    [
        ("Termin", ("Termin",)),
        ("Müller", ("Müller", "mueller")),
        ("Mueller", ("Mueller", "müller")),
        ("Straße", ("Straße", "strasse")),
        ("Schüßler", ("Schüßler", "schüssler", "schueßler", "schuessler")),
    ],
)
def test_each_umlaut_and_sharp_s_is_tried_both_ways(word: str, spellings: tuple[str, ...]) -> None:
    assert german_spellings(word) == spellings


def test_a_long_word_gets_two_spellings_not_every_mix() -> None:
    assert german_spellings("äöüßä") == ("äöüßä", "aeoeuessae")


@given(st.text(max_size=30))
def test_the_word_as_typed_comes_first(word: str) -> None:
    spellings = german_spellings(word)
    assert spellings[0] == word
    assert len(spellings) == len(set(spellings)) <= 8


def test_list_text_drops_accents_and_folds_letter_forms() -> None:
    assert match_text("Öztürk Doğan Yılmaz") == "ozturk dogan yilmaz"
    assert match_text("علي") == match_text("علی")
    assert match_text("أحمد") == "احمد"


def test_typed_words_hold_each_words_spellings_as_lists_compare_them() -> None:
    assert typed_words("Müller  Ali") == (("muller", "mueller"), ("ali",))
    assert typed_words("   ") == ()
