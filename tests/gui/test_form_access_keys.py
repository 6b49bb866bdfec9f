"""Every label of the person, contact and municipality forms has an access key (Alt and
its underlined letter) that jumps to its field, unique within the form's window, in
German and in English (QA pass: twenty fields down to "Sprachen" by Tab alone)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from kisi_desktop.core.domain import Contact, Municipality, Person
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.forms.access_keys import access_key, with_access_keys
from kisi_desktop.ui.forms.field_widgets import FlagEditor
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.main_window import PROFILE_FIELDS
from kisi_desktop.ui.pages.people.person_forms import FORMS

from tests.gui.office import conftest as office_setup
from tests.gui.office.conftest import Office
from tests.support.access_keys import keys_in

pytestmark = pytest.mark.gui

office = office_setup.office  # a real vault, unlocked

FORMS_TESTED = {
    "person": (Person, FORMS[Person.KIND].fields),
    "contact": (Contact, FORMS[Contact.KIND].fields),
    "municipality profile": (Municipality, PROFILE_FIELDS),
}


@pytest.fixture(params=["de", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_ui_language(request.param)
    yield request.param
    set_ui_language("de")


@pytest.mark.parametrize("form", sorted(FORMS_TESTED))
def test_every_label_has_an_access_key_unique_in_its_form(
    office: Office, language: str, form: str
) -> None:
    cls, fields = FORMS_TESTED[form]
    dialog = RecordDialog(
        office.session, office.ws, cls, fields, form_name=f"keys.{form}", title=form
    )
    office.qtbot.addWidget(dialog)
    labels = dialog.form.labels
    boxes = [e.widget for e in dialog.form.editors.values() if isinstance(e, FlagEditor)]
    assert len(labels) + len(boxes) == len(fields)
    for name, label in labels.items():
        assert not QKeySequence.mnemonic(label.text()).isEmpty(), (language, label.text())
        assert label.buddy() is dialog.form.editors[name].widget
    for box in boxes:
        assert not QKeySequence.mnemonic(box.text()).isEmpty(), (language, box.text())
    keys = keys_in(dialog)
    assert [k for k, n in Counter(keys).items() if n > 1] == [], (language, keys)


def test_alt_and_the_letter_jumps_to_the_field(office: Office) -> None:
    """As a guide types it: Alt+S(prachen) in the German person form, far down the form."""
    cls, fields = FORMS_TESTED["person"]
    dialog = RecordDialog(office.session, office.ws, cls, fields, form_name="keys", title="")
    office.qtbot.addWidget(dialog)
    dialog.start()
    office.qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    label = dialog.form.labels["languages"]
    key = access_key(label.text())
    assert label.text().replace("&", "") == "Sprachen:"
    office.qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
    editor = dialog.form.editors["languages"].widget
    assert editor.hasFocus() or editor.isAncestorOf(QApplication.focusWidget())
    dialog.reject()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdeÄöß &-:1", max_size=12), max_size=12),
    st.sets(st.sampled_from("abcdeäöß"), max_size=3),
)
def test_keys_are_unique_free_and_leave_the_text_as_it_was(
    qapp: object, texts: list[str], taken: set[str]
) -> None:
    keyed = with_access_keys(texts, taken)
    keys = [access_key(text) for text in keyed]
    blocked = {key.casefold() for key in taken}
    chosen = [key for key in keys if key]
    assert len(chosen) == len(set(chosen)) and not set(chosen) & blocked
    for text, shown in zip(texts, keyed, strict=True):
        # What Qt shows: "&&" is an "&", the single "&" only underlines.
        assert shown.replace("&&", "\0").replace("&", "").replace("\0", "&") == text
    # A text with a letter no other text has gets a key.
    for index, text in enumerate(texts):
        others = "".join(t for j, t in enumerate(texts) if j != index).casefold()
        own = [ch for ch in text if ch.isascii() and ch.isalpha() and ch.casefold() not in others]
        if [ch for ch in own if ch.casefold() not in blocked]:
            assert keys[index], (texts, keyed)
