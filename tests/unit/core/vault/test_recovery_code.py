"""Recovery codes: the printed form, typing tolerance and the check character."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.errors import WrongSecret
from kisi_desktop.core.i18n import _
from kisi_desktop.core.vault import recovery

from tests.support.vectors import load_vector

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
TYPO = "The recovery code contains a typing error; please check it."
SHAPE = "Type the whole recovery code as it stands on its sheet: 9 groups, for example {example}."

secrets_ = st.binary(min_size=recovery.CODE_BYTES, max_size=recovery.CODE_BYTES)


def test_printed_form_is_pinned() -> None:
    """A code printed by an old release must still be read by a new one."""
    for case in load_vector("recovery_code")["codes"]:
        secret = bytes.fromhex(case["secret_hex"])
        assert recovery.format_code(secret) == case["code"]
        assert recovery.parse_code(case["code"]) == secret


def test_generated_codes_have_160_bits_and_the_documented_shape() -> None:
    codes = {recovery.format_code(recovery.generate()) for _i in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"([A-Z2-7]{4}-){8}[A-Z2-7]", code), code


def test_the_example_in_the_message_has_the_printed_shape_but_is_no_code() -> None:
    printed = recovery.format_code(recovery.generate())
    assert re.sub("[A-Z2-7]", "X", recovery.EXAMPLE) == re.sub("[A-Z2-7]", "X", printed)
    with pytest.raises(WrongSecret) as info:
        recovery.parse_code(recovery.EXAMPLE)
    assert str(info.value) == _(TYPO)


@given(secret=secrets_)
def test_any_secret_round_trips(secret: bytes) -> None:
    code = recovery.format_code(secret)
    assert recovery.parse_code(code) == secret


@given(secret=secrets_, data=st.data())
def test_typing_variations_are_accepted(secret: bytes, data: st.DataObject) -> None:
    """Lower case, spaces instead of dashes, no separators: all read the same."""
    code = recovery.format_code(secret)
    variant = data.draw(
        st.sampled_from(
            [
                code.lower(),
                code.replace("-", " "),
                code.replace("-", ""),
                " " + code.lower().replace("-", "  ") + "\n",
            ]
        )
    )
    assert recovery.parse_code(variant) == secret


def test_confusable_digits_are_read_as_the_letters_meant() -> None:
    """0/1/8/9 are not Base32 digits; people copying by hand mean O/I/B/G."""
    secret = base64.b32decode("OIBG" * 8)
    code = recovery.format_code(secret)
    typed = code.replace("O", "0").replace("I", "1").replace("B", "8").replace("G", "9")
    assert recovery.parse_code(typed) == secret
    # The set-up wizard's check of two groups reads them the same way.
    assert recovery.as_read(" 0a-0m ") == "OAOM" and recovery.as_read("1b19") == "IBIG"


@settings(max_examples=200)
@given(secret=secrets_, position=st.integers(min_value=0, max_value=32))
def test_a_substituted_character_is_caught_by_the_check_character(
    secret: bytes, position: int
) -> None:
    """Every single-character substitution is refused or, at most 1 in 32, a different code.

    The check character is 5 bits, so a substitution in the 32-character body passes it
    with probability 1/32; a substitution in the check character itself always fails.
    Across all 31 substitutions at one position, at most a few slip through, and never
    does a typo give back the original secret.
    """
    code = recovery.format_code(secret).replace("-", "")
    passed = 0
    for replacement in ALPHABET:
        if replacement == code[position]:
            continue
        typo = code[:position] + replacement + code[position + 1 :]
        try:
            parsed = recovery.parse_code(typo)
        except WrongSecret as exc:
            assert str(exc) == _(TYPO)
            continue
        assert parsed != secret
        passed += 1
    if position == 32:
        assert passed == 0
    else:
        # Binomial(31, 1/32): more than 9 has probability 2e-8 per example, 4e-6 for a run
        # of 200 (the earlier bound of 6 failed about one run in 140).
        assert passed <= 9


def test_substitution_detection_rate_matches_the_documented_31_in_32() -> None:
    """Over every substitution in the body of 40 codes: refused at about 31/32 (≥ 95 %)."""
    refused = total = 0
    for n in range(40):
        code = recovery.format_code(bytes([n]) * 20).replace("-", "")
        for position in range(32):
            for replacement in ALPHABET:
                if replacement == code[position]:
                    continue
                total += 1
                try:
                    recovery.parse_code(code[:position] + replacement + code[position + 1 :])
                except WrongSecret:
                    refused += 1
    rate = refused / total
    assert rate >= 0.95, f"only {rate:.2%} of typos caught"
    assert rate >= 31 / 32 - 0.01


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ABCD",
        "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA",  # no check character
        "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA",  # one too many
        "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAA!-A",  # punctuation is ignored, so 32 chars
        "ÄAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-A",
        "٣AAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-A",  # Arabic-Indic digit
    ],
)
def test_malformed_codes_are_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(WrongSecret) as info:
        recovery.parse_code(text)
    assert str(info.value) in {_(SHAPE).format(example=recovery.EXAMPLE), _(TYPO)}
    assert str(info.value)
