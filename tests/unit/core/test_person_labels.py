"""How people are told apart in pick lists, search hits and the Overview's follow-ups
(core/person_labels.py): by year of birth and nationality, in words."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.person_labels import person_label


def test_the_nationality_is_named_in_the_ui_language_not_as_a_code() -> None:
    # QA: the Overview's follow-ups read "Tewodros Yared (geb. 1983, ET)"; a guide
    # need not know that ET is Ethiopia.
    label = person_label("Tewodros Yared", None, 1983, '["ET"]')
    assert label == "Tewodros Yared (geb. 1983, Äthiopien)"
    assert person_label("Amina Haidari", "1991-05-03", None, '["AF", "IR"]') == (
        "Amina Haidari (geb. 1991, Afghanistan, Iran)"
    )
    assert person_label("Amina Haidari", None, None, '["SY"]') == "Amina Haidari (Syrien)"
    set_ui_language("en")
    assert (
        label
        != person_label("Tewodros Yared", None, 1983, '["ET"]')
        == ("Tewodros Yared (b. 1983, Ethiopia)")
    )


def test_a_code_without_a_name_is_shown_as_it_is() -> None:
    assert person_label("Amina Haidari", None, 1991, '["QQ"]') == "Amina Haidari (geb. 1991, QQ)"


@given(st.lists(st.text(max_size=3), max_size=3), st.sampled_from(["de", "en"]))
def test_any_stored_nationalities_give_a_label(codes: list[str], language: str) -> None:
    set_ui_language(language)
    assert person_label("Amina Haidari", None, 1991, json.dumps(codes)).startswith("Amina Haidari")
