"""A person seen every other day for two years: 500 contacts, 200 notes, 50 referrals with
their follow-ups, all on the person page, newest first, none of its dates cut off."""

from __future__ import annotations

from datetime import date

import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kisi_desktop.core.domain import Partner
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.ui.pages.people.timeline_model import TimelineRole

from tests.gui.people.conftest import Harness, add_person
from tests.support.busy_person import BUSY_NAME, CONTACTS, NOTES, REFERRALS, busy_records

pytestmark = pytest.mark.gui


def _open_busy_person(harness: Harness) -> list[tuple[str, str, str]]:
    """The busy person chosen in the People list with Enter, as a guide does; the timeline's
    rows as shown: (date, type, text)."""
    person = add_person(harness.ws, BUSY_NAME, residence_status="refugee", nationalities=("SY",))
    ((partner_id, _name),) = harness.ws.rows(Partner, ["name"])
    harness.ws.save(busy_records(person.id, partner_id), "import")
    harness.reload_list()
    page = harness.page
    page.list_view.select(person.id)
    page.list_view.table.setFocus()
    QTest.keyClick(page.list_view.table, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.person_view
    assert page.person_view.name_label.text() == BUSY_NAME
    model = page.person_view.timeline_model
    return [
        tuple(model.index(row, column).data() for column in range(3))  # type: ignore[misc]
        for row in range(model.rowCount())
    ]


def test_every_entry_is_on_the_page_newest_first(harness: Harness) -> None:
    shown = _open_busy_person(harness)
    kinds = [kind for _day, kind, _text in shown]
    assert len(shown) == CONTACTS + NOTES + 2 * REFERRALS
    assert kinds.count("Kontakt") == CONTACTS
    assert kinds.count("Notiz") == NOTES
    assert kinds.count("Weitervermittlung") == REFERRALS
    assert kinds.count("Wiedervorlage") == REFERRALS
    days = [date(int(d[6:]), int(d[3:5]), int(d[:2])) for d, _kind, _text in shown]
    assert days == sorted(days, reverse=True)
    contacts = [text for _day, kind, text in shown if kind == "Kontakt"]
    assert "Gespräch Nr. 500:" in contacts[0]
    assert "Gespräch Nr. 1:" in contacts[-1]
    assert {f"Gespräch Nr. {i + 1}:" for i in range(CONTACTS)} == {
        text.split(" – ")[-1].split(" Unterlagen")[0] for text in contacts
    }


def test_the_oldest_contact_is_reached_with_the_keyboard(harness: Harness) -> None:
    _open_busy_person(harness)
    view = harness.page.person_view
    assert view.timeline.hasFocus()
    QTest.keyClick(view.timeline, Qt.Key.Key_End)
    entry = view.current_entry()
    assert entry is not None
    assert (entry.kind, entry.day) == ("contact", date(2024, 1, 8))
    assert "Gespräch Nr. 1:" in entry.text
    # In view, and "Edit entry" opens it.
    rect = view.timeline.visualRect(view.timeline.currentIndex())
    assert view.timeline.viewport().rect().contains(rect)
    assert view.commands["edit_entry"].isEnabled()


def test_overdue_referrals_and_follow_ups_are_open(harness: Harness) -> None:
    _open_busy_person(harness)
    model = harness.page.person_view.timeline_model
    rows = [model.index(row, 0) for row in range(model.rowCount())]
    open_kinds = [i.data(TimelineRole.KIND) for i in rows if i.data(TimelineRole.OPEN)]
    # Every referral waits for its follow-up day (gone by on 10.03.2026); 5 follow-ups
    # are not done yet.
    assert sorted(open_kinds) == ["followup"] * 5 + ["referral"] * REFERRALS
    overdue = [i for i in rows if i.data(Qt.ItemDataRole.ToolTipRole) == "Überfällig"]
    assert len(overdue) == 5 + REFERRALS


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_date_or_type_is_cut_off(harness: Harness, language: str) -> None:
    # (English dates differ in width by month and day: "May 1, 2024", "Sep 30, 2025")
    set_ui_language(language)
    _open_busy_person(harness)
    timeline = harness.page.person_view.timeline
    model = timeline.model()
    for column in (0, 1):
        needed = max(
            timeline.sizeHintForIndex(model.index(row, column)).width()
            for row in range(model.rowCount())
        )
        assert timeline.columnWidth(column) >= needed
        assert timeline.columnWidth(column) >= timeline.header().sectionSizeHint(column)
