"""Note and FollowUp: required text within limits, optional person, done dates."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.domain.fields import NOTE_MAX
from kisi_desktop.core.domain.note import FollowUp, Note
from kisi_desktop.core.errors import ValidationError


def test_note_text_is_required_and_limited() -> None:
    for bad in ("", " \n ", "x" * (NOTE_MAX + 1)):
        with pytest.raises(ValidationError) as error:
            Note(written_on=date(2025, 1, 1), text=bad)
        assert error.value.field == "text"
    assert len(Note(written_on=date(2025, 1, 1), text="x" * NOTE_MAX).text) == NOTE_MAX


def test_note_label_is_first_line_cut_at_60() -> None:
    note = Note(written_on=date(2025, 1, 1), text="a" * 100 + "\nzweite Zeile")
    assert len(note.label()) == 60
    assert note.label().endswith("…")
    assert Note(written_on=date(2025, 1, 1), text="  kurz\nmehr").label() == "kurz"


def test_followup_done_date_needs_done() -> None:
    with pytest.raises(ValidationError) as error:
        FollowUp(due_on=date(2025, 1, 1), text="x", done_on=date(2025, 1, 2))
    assert error.value.field == "done_on"
    assert FollowUp(due_on=date(2025, 1, 1), text="x").owner_person_id() is None


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=NOTE_MAX
    ).filter(lambda s: s.strip() != "")
)
def test_hypothesis_round_trip_or_clear_refusal(text: str) -> None:
    try:
        note = Note(written_on=date(2025, 1, 1), text=text)
    except ValidationError as error:  # control characters other than tab/newline
        assert error.field == "text"
        return
    assert Note.from_payload(json.loads(json.dumps(note.to_payload()))) == note
