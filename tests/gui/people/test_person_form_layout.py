"""The person form as a guide sees it: every field box whole, inside its own row."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QPlainTextEdit

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.forms.record_dialog import MAX_SCREEN_SHARE

from tests.gui.people.conftest import Harness
from tests.support.clipping import clipped

pytestmark = pytest.mark.gui


def test_the_address_box_lies_whole_in_its_row_and_shows_four_lines(
    harness: Harness, qtbot: QtBot
) -> None:
    h = harness
    dialog = h.page.open_form("person")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    form = dialog.form
    address = form.editors["address"].widget
    assert isinstance(address, QPlainTextEdit)
    address.setPlainText("Am Grün 12\nc/o Familie Haidari\n35037 Marburg\nHinterhaus, 2. OG")

    def in_form(name: str) -> QRect:
        widget = form.editors[name].widget
        return QRect(widget.mapTo(form, widget.rect().topLeft()), widget.size())

    for height in (dialog.height(), dialog.height() + 150):  # as opened, and made taller
        dialog.resize(dialog.width(), height)
        qtbot.wait(50)  # the layouts settle
        # Whole inside the row the form gave it (its bottom border was cut off)...
        cell = address.parentWidget()
        assert cell.rect().contains(address.geometry()), (address.geometry(), cell.rect())
        # ...as far from the fields above and below as the other rows are from each other.
        gap = in_form("email").top() - in_form("phone").bottom()
        box = in_form("address")
        assert box.top() - in_form("email").bottom() == gap, height
        assert in_form("birth_date").top() - box.bottom() == gap, height
    # The four lines of a German address fit without a scroll bar.
    assert not address.verticalScrollBar().isVisible()
    dialog.reject()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_contact_form_fits_a_1366x768_screen_without_scrolling(
    harness: Harness, qtbot: QtBot, language: str
) -> None:
    """QA: the contact form was 876 px tall in one column and scrolled at 1366x768; its
    check lists now stand beside the short fields, every label whole."""
    set_ui_language(language)
    try:
        h = harness
        h.open_new_person("Amina Haidari")
        dialog = h.page.open_form("contact")
        assert dialog is not None
        qtbot.waitExposed(dialog)
        qtbot.wait(50)  # the layouts settle
        assert dialog.height() <= int(768 * MAX_SCREEN_SHARE) and dialog.width() <= 1366
        assert dialog.scroll_area.verticalScrollBar().maximum() == 0
        assert clipped(dialog) == []
        dialog.reject()
    finally:
        set_ui_language("de")
