"""The passphrase strength hint: the first guesses are refused, long unusual phrases pass."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.keys import MIN_PASSPHRASE_LENGTH
from kisi_desktop.core.vault.strength import Level, estimate


@pytest.mark.parametrize("text", ["", "kurz", "Xk9#mQ2!v"])
def test_below_the_minimum_length_is_too_short_and_says_how_many_are_missing(text: str) -> None:
    set_ui_language("en")
    result = estimate(text)
    assert result.level is Level.TOO_SHORT
    assert not result.acceptable
    missing = MIN_PASSPHRASE_LENGTH - len(text)
    assert f"({missing} more)" in result.hints[0]


def test_a_common_word_in_a_strong_passphrase_is_said_to_be_made_up_for() -> None:
    """QA: "Strength: Strong" beside "“sonne” is one of the first words attackers try"
    read as if one of the two were wrong."""
    set_ui_language("de")
    result = estimate("Sonne-Gieskanne-Laterne-77")
    assert result.level is Level.STRONG
    assert result.hints == (
        "„sonne“ gehört zu den ersten Wörtern, die Angreifer ausprobieren; der Rest der "
        "Passphrase gleicht das aus.",
    )


@pytest.mark.parametrize(
    "text",
    [
        "passwort123",
        "P4ssw0rt!2024",  # leet spelling does not hide the word
        "Sommer2024!",  # season + year + "!" is a classic pattern
        "aaaaaaaaaaaa",
        "1234567890",
        "qwertz12345",
        "abcdefghijklmnop",
        "hallohallohallo",
    ],
)
def test_first_guesses_are_very_weak_and_not_acceptable(text: str) -> None:
    result = estimate(text)
    assert result.level is Level.VERY_WEAK
    assert not result.acceptable


def test_common_word_is_named_in_the_hint() -> None:
    set_ui_language("en")
    hints = estimate("passwort123").hints
    assert hints[0] == "Too easy to guess: please choose another passphrase."
    assert "“passwort” is one of the first words attackers try." in hints


@pytest.mark.parametrize(
    "text", ["aaaaaaaaaaaa", "Sonnenblume1234", "Sonnenblume-hjkl", "Sonnenblume zyxw"]
)
def test_runs_and_repeats_get_their_own_hint(text: str) -> None:
    set_ui_language("en")
    assert "Avoid repeated characters and runs like “1234” or “qwertz”." in estimate(text).hints


def test_one_character_class_suggests_variety() -> None:
    set_ui_language("en")
    assert (
        "Mix capitals, digits or symbols in, or make it longer." in estimate("wolkenschiff").hints
    )
    assert "Mix capitals, digits or symbols in, or make it longer." not in (
        estimate("Wolkenschiff7").hints
    )


@pytest.mark.parametrize(
    "text",
    [
        "Haus Baum Fenster Katze",
        "correct horse battery staple",  # "rst" inside "horse" is not a keyboard run
        "Tr0mpete-Gieskanne-77",
        "Mühlenweg 12 Kirchhain",
        # A repeat next to an alphabet or keyboard step is no run: "ffee", "fert", "dert".
        "Fahrrad Kaffee Zitrone Berg",
        "Fertig Wasser Kirsche Turm",
        "blaue Tasse wandert leise nach Norden",
    ],
)
def test_long_unusual_phrases_are_strong_without_hints(text: str) -> None:
    result = estimate(text)
    assert result.level is Level.STRONG
    assert result.acceptable
    assert result.hints == ()


def test_variety_and_length_raise_the_estimate() -> None:
    assert estimate("wolkenschiff").bits < estimate("Wolkenschiff7").bits
    assert estimate("Wolkenschiff7").bits < estimate("Wolkenschiff7 segelt").bits


def test_hints_follow_the_ui_language() -> None:
    set_ui_language("de")
    german = estimate("passwort123")
    assert german.label() == "Sehr schwach"
    assert german.hints[0] == "Zu leicht zu erraten: Bitte wählen Sie eine andere Passphrase."
    set_ui_language("en")
    english = estimate("passwort123")
    assert english.label() == "Very weak"
    assert english.hints[0] == "Too easy to guess: please choose another passphrase."


@given(st.text(max_size=64))
def test_any_text_gives_a_level_and_a_finite_estimate(text: str) -> None:
    result = estimate(text)
    assert result.bits >= 0
    assert result.acceptable == (len(text) >= MIN_PASSPHRASE_LENGTH and result.level >= Level.WEAK)


def test_a_repeat_joined_to_a_run_costs_little_more_than_the_run() -> None:
    # "1234444": the run 1234 and the repeat 4444 share the 4; the repeat is cheap too.
    base = estimate("Sonnenblume-1234").bits
    assert estimate("Sonnenblume-1234444").bits - base < 10  # about one character
    assert estimate("Sonnenblume-1234xqz").bits - base > 15  # three random characters
