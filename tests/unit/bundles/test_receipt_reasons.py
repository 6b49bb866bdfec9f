"""Every reason code a receipt can carry reads as a German sentence, never as the code."""

from __future__ import annotations

import pytest

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.reasons import CODES
from kisi_desktop.bundles.receipt_reasons import MINISTRY_REASONS, file_reason, ministry_reason


def test_every_code_has_a_sentence_from_the_ministry() -> None:
    assert set(MINISTRY_REASONS) == CODES


@pytest.mark.parametrize("code", sorted(CODES))
def test_no_code_is_shown_raw_in_german(code: str) -> None:
    set_ui_language("de")
    for sentence in (file_reason(code), ministry_reason(code)):
        assert code not in sentence
        assert sentence.endswith(".") and sentence[0].isupper()


def test_no_code_no_sentence() -> None:
    assert file_reason(None) == ministry_reason(None) == ""
