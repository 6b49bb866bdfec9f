"""Drop-downs of reference codes: a stored code the list no longer has is shown, not blank."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.ui.forms.field_widgets import CodeEditor

pytestmark = pytest.mark.gui


def test_a_code_no_longer_listed_is_shown_as_stored_and_must_be_chosen_again(
    qtbot: QtBot,
) -> None:
    """Reference data can drop a code (a referral target renamed): the form showed an empty
    field, so the guide could not see what had been stored."""
    editor = CodeEditor("referral_targets", ReferenceData.load(), optional=False)
    qtbot.addWidget(editor.widget)
    editor.set("old_target_code")
    assert editor.combo.currentText() == "old_target_code (nicht mehr in der Liste)"
    with pytest.raises(UnreadableInput):
        editor.get()  # shown, but no choice: saving asks for one
    editor.set("jobcenter")
    assert editor.get() == "jobcenter"
    editor.set(None)
    assert editor.combo.currentIndex() == -1
