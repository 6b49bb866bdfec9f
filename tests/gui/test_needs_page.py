"""The Needs page on a real vault: record needs, rank them by period and group, chart, lock.

The needs recorded below (B and C through the form, the others straight into the vault),
scored urgency weight (low 1, medium 2, high 3) x respondents:

    A  2025-11-20  local           mobility                medium  3   ->  6
    B  2026-01-10  tcn             housing                 high   10   -> 30
    C  2026-01-10  tcn             language course places  medium  8   -> 16
    D  2026-02-05  local           housing                 low     4   ->  4
    E  2026-02-05  administration  translation             high    3   ->  9
    F  2026-02-05  administration  language course places  high    2   ->  6
    G  2026-11-03  tcn             childcare               high    6   -> 18
    H  2026-11-03  volunteers      translation             medium  5   -> 10

Whole project, all groups (need: score, respondents, records):
    1 housing 30+4 = 34, 14, 2;  2 language course places 16+6 = 22, 10, 2;
    3 translation 9+10 = 19, 8, 2;  4 childcare 18, 6, 1;  5 mobility 6, 3, 1
    (mobility and its 3 respondents show: the page's figures are exact, not suppressed).
Project year 1 (2025-10-01 .. 2026-09-30), A-F: housing 34, lcp 22, translation 9, mobility 6.
Project year 2, G-H: childcare 18, translation 10.
Calendar year 2026, B-H: housing 34, lcp 22, translation 19, childcare 18 (A is in 2025).
Calendar year 2025, A: mobility 6.
Third-country nationals, whole project: housing 30, childcare 18, lcp 16.
Administration, whole project: translation 9, lcp 6; in project year 2: nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage

from kisi_desktop.core.domain import Municipality, Need
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.app import build_main_window
from kisi_desktop.ui.fonts import register_fonts
from kisi_desktop.ui.main_window import MainWindow
from kisi_desktop.ui.pages.needs import NeedsPage
from kisi_desktop.ui.pages.needs.bar_chart import BAR_FILL, MARGIN, ChartBar
from kisi_desktop.ui.pages.registry import page_factories
from kisi_desktop.ui.tables.row_model import RowRole
from kisi_desktop.ui.window_size import window_size

from tests.gui.office import conftest as office_setup
from tests.gui.office.conftest import PASS, Office
from tests.support.clipping import clipped

pytestmark = pytest.mark.gui

office = office_setup.office  # the Office fixture (a real vault, unlocked), shared here

DIRECT = [  # (day, group, need, urgency, respondents): A, D-H of the module docstring
    (date(2025, 11, 20), "local", "mobility", "medium", 3),
    (date(2026, 2, 5), "local", "housing", "low", 4),
    (date(2026, 2, 5), "administration", "translation", "high", 3),
    (date(2026, 2, 5), "administration", "language_course_places", "high", 2),
    (date(2026, 11, 3), "tcn", "childcare", "high", 6),
    (date(2026, 11, 3), "volunteers", "translation", "medium", 5),
]
BY_FORM = [  # B and C
    (date(2026, 1, 10), "tcn", "housing", "high", 10),
    (date(2026, 1, 10), "tcn", "language_course_places", "medium", 8),
]
WHOLE_PROJECT = [
    (1, "housing", 34, 14, 2),
    (2, "language course places", 22, 10, 2),
    (3, "translation and interpreting", 19, 8, 2),
    (4, "childcare", 18, 6, 1),
    (5, "mobility", 6, 3, 1),
]


def _add_directly(ws: Workspace) -> None:
    """Stored as a seeded history (``save``): some days lie after the tests' clock, which
    an entry typed today may not (core/domain/entry_dates.py)."""
    for day, group, need, urgency, respondents in DIRECT:
        ws.save(
            [
                Need(
                    recorded_on=day,
                    group=group,
                    need=need,
                    urgency=urgency,
                    respondents=respondents,
                )
            ]
        )


def _add_by_form(office: Office, page: NeedsPage) -> None:
    for day, group, need, urgency, respondents in BY_FORM:
        page.table.new_button.click()
        dialog = office.dialog(page)
        assert dialog.windowTitle() == "New need"
        editors = dialog.form.editors
        assert editors["recorded_on"].get() == date(2026, 3, 18)  # today by the vault's clock
        assert editors["urgency"].get() == "medium" and editors["respondents"].get() == 1
        editors["recorded_on"].set(day)
        editors["group"].set(group)
        editors["need"].set(need)
        editors["urgency"].set(urgency)
        editors["respondents"].set(respondents)
        with office.qtbot.waitSignal(page.changed) as saved:
            office.save(dialog)
        assert saved.args == ["need"]
        office.qtbot.waitUntil(lambda: not page.dialogs)


def _ranking(page: NeedsPage) -> list[tuple[int, str, int, int, int]]:
    return [(r.rank, r.need, r.score, r.respondents, r.records) for r in page.analysis.model.rows()]


def _bars(page: NeedsPage) -> list[tuple[str, int]]:
    return [(b.label, b.score) for b in page.analysis.chart.bars()]


def _cells(page: NeedsPage, row: int) -> list[str]:
    model = page.analysis.view.model()
    return [model.index(row, c).data() for c in range(model.columnCount())]


@pytest.fixture
def english() -> Iterator[None]:
    set_ui_language("en")
    yield


@pytest.fixture
def page(office: Office, english: None) -> NeedsPage:
    """The page with all eight needs of the module docstring, two of them typed in the form."""
    _add_directly(office.ws)
    page = office.page(NeedsPage)
    _add_by_form(office, page)
    return page


def test_needs_added_through_the_form_are_listed_and_ranked(page: NeedsPage) -> None:
    assert page.table.model.rowCount() == 8
    assert page.analysis.period().key == "project" and page.analysis.group() == "all"
    assert _ranking(page) == WHOLE_PROJECT
    assert _cells(page, 0) == ["1", "housing", "34", "14", "2"]
    headers = [
        page.analysis.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(page.analysis.model.columnCount())
    ]
    assert headers == ["Rank", "Need", "Score", "Respondents", "Records"]
    page.table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # oldest first
    first = [page.table.proxy.index(0, c).data() for c in range(6)]
    assert first == ["Nov 20, 2025", "local population", "mobility", "medium", "3", ""]


def test_models_pass_the_model_tester(page: NeedsPage, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(page.analysis.model)
    qtmodeltester.check(page.table.model)


def test_group_filter_ranks_one_group(page: NeedsPage) -> None:
    page.analysis.choose_group("tcn")
    assert page.analysis.group_combo.currentText() == "third-country nationals"
    assert _ranking(page) == [
        (1, "housing", 30, 10, 1),
        (2, "childcare", 18, 6, 1),
        (3, "language course places", 16, 8, 1),
    ]
    assert _bars(page) == [("housing", 30), ("childcare", 18), ("language course places", 16)]
    page.analysis.choose_group("administration")
    assert _ranking(page) == [
        (1, "translation and interpreting", 9, 3, 1),
        (2, "language course places", 6, 2, 1),
    ]
    page.analysis.choose_period("PY2")
    assert _ranking(page) == [] and page.analysis.chart.bars() == []
    page.analysis.choose_group("all")
    assert _ranking(page) == [
        (1, "childcare", 18, 6, 1),
        (2, "translation and interpreting", 10, 5, 1),
    ]


def test_period_filter(page: NeedsPage) -> None:
    combo = page.analysis.period_combo
    keys = [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]
    assert keys == ["PY1", "PY2", "PY3", "2025", "2026", "2027", "2028", "project"]
    assert combo.itemText(0) == "Project year 1 (October 2025 – September 2026)"
    page.analysis.choose_period("PY1")
    assert [(r[1], r[2]) for r in _ranking(page)] == [
        ("housing", 34),
        ("language course places", 22),
        ("translation and interpreting", 9),
        ("mobility", 6),
    ]
    page.analysis.choose_period("2026")
    assert [(r[1], r[2]) for r in _ranking(page)] == [
        ("housing", 34),
        ("language course places", 22),
        ("translation and interpreting", 19),
        ("childcare", 18),
    ]
    page.analysis.choose_period("2025")
    assert _ranking(page) == [(1, "mobility", 6, 3, 1)]
    page.analysis.choose_period("project")
    assert _ranking(page) == WHOLE_PROJECT


def test_chart_has_one_bar_per_need_in_rank_order(page: NeedsPage) -> None:
    chart = page.analysis.chart
    assert chart.bars() == [ChartBar(rank, need, score) for rank, need, score, *_ in WHOLE_PROJECT]
    areas = chart.bar_areas()
    assert [a.accessibleName() for a in areas] == [
        "Rank 1: housing, score 34",
        "Rank 2: language course places, score 22",
        "Rank 3: translation and interpreting, score 19",
        "Rank 4: childcare, score 18",
        "Rank 5: mobility, score 6",
    ]
    assert [a.toolTip() for a in areas] == [a.accessibleName() for a in areas]
    shapes = chart.geometry_of_bars()
    tops = [s.row.top() for s in shapes]
    assert tops == sorted(tops)  # first rank on top
    lengths = [s.fill.width() for s in shapes]
    assert lengths == sorted(lengths, reverse=True)
    assert lengths[0] * 6 == pytest.approx(lengths[4] * 34, abs=34)  # to scale, rounding aside
    assert [a.geometry() for a in areas] == [s.row for s in shapes]  # tooltips hit the bars


def test_chart_lays_out_again_on_resize_and_language_change(page: NeedsPage) -> None:
    chart = page.analysis.chart
    page.analysis.splitter.setSizes([600, 300])
    narrow = chart.geometry_of_bars()[0].fill.width()
    page.analysis.splitter.setSizes([300, 600])
    wide = chart.geometry_of_bars()[0].fill.width()
    assert wide > narrow
    assert chart.bar_areas()[0].width() == chart.width() - 2 * MARGIN  # moved with the bars

    set_ui_language("de")
    page.retranslate_ui()
    assert _bars(page)[:2] == [("Wohnraum", 34), ("Sprachkursplätze", 22)]
    assert page.analysis.group_combo.itemText(1) == "Drittstaatsangehörige"
    assert page.table.proxy.index(0, 2).data() in {
        "Wohnraum",
        "Sprachkursplätze",
        "Mobilität",
        "Übersetzen und Dolmetschen",
        "Kinderbetreuung",
    }


def test_edit_and_delete_change_the_ranking(office: Office, page: NeedsPage) -> None:
    # D (local, housing, low, 4) becomes high: housing 30 + 3 x 4 = 42.
    local_housing = next(
        rid
        for rid, group, need in office.ws.rows(Need, ["group", "need"])
        if (group, need) == ("local", "housing")
    )
    page.table.select(local_housing)
    page.table.edit_button.click()
    dialog = office.dialog(page)
    assert dialog.windowTitle() == "Edit need"
    dialog.form.editors["urgency"].set("high")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert _ranking(page)[0] == (1, "housing", 42, 14, 2)
    # Deleting A (mobility) drops it from the ranking and the chart.
    mobility = next(rid for rid, need in office.ws.rows(Need, ["need"]) if need == "mobility")
    page.table.select(mobility)
    page.table.delete_button.click()
    office.qtbot.waitUntil(lambda: page.confirm_box is not None)
    assert page.confirm_box is not None
    assert page.confirm_box.text() == (
        "Delete the need “mobility” of local population (3 respondents)? This cannot be undone."
    )
    office.confirm(page)
    assert office.ws.count(Need) == 7
    assert [r[1] for r in _ranking(page)] == [
        "housing",
        "language course places",
        "translation and interpreting",
        "childcare",
    ]
    assert len(page.analysis.chart.bars()) == 4


def test_a_need_written_elsewhere_shows_after_refresh(office: Office, english: None) -> None:
    page = office.page(NeedsPage)
    assert page.analysis.chart.bars() == []
    office.ws.add(
        Need(
            recorded_on=date(2026, 3, 1), group="tcn", need="health", urgency="high", respondents=2
        )
    )
    page.refresh()  # what the window does for every page when another one emits changed()
    assert page.table.model.rowCount() == 1
    assert _ranking(page) == [(1, "health care", 6, 2, 1)]
    assert _bars(page) == [("health care", 6)]


def test_an_untouched_need_form_stores_nothing(office: Office) -> None:
    """Ctrl+S on the form as it opened stored "language course places" of third-country
    nationals: the first entries of both lists, which then led the ranking."""
    page = office.page(NeedsPage)
    page.table.new_button.click()
    dialog = office.dialog(page)
    editors = dialog.form.editors
    for field in ("group", "need"):
        combo = editors[field].widget
        assert combo.currentIndex() == -1 and combo.placeholderText() == "Bitte auswählen…"
    assert editors["urgency"].get() == "medium"  # the middle weight, as on the command line
    office.save(dialog)
    assert dialog.form.error_text("group") == "Bitte einen Eintrag aus der Liste wählen."
    assert dialog.form.error_text("need") == "Bitte einen Eintrag aus der Liste wählen."
    assert page.dialogs == [dialog] and office.ws.list(Need) == []
    editors["group"].set("local")
    editors["need"].set("mobility")
    office.save(dialog)
    office.qtbot.waitUntil(lambda: not page.dialogs)
    assert [(n.group, n.need) for n in office.ws.list(Need)] == [("local", "mobility")]


def test_lock_clears_everything_and_unlock_reopens_the_draft(
    office: Office, page: NeedsPage
) -> None:
    page.analysis.choose_period("PY1")
    page.analysis.choose_group("tcn")
    page.table.new_button.click()
    dialog = office.dialog(page)
    dialog.form.editors["need"].set("childcare")
    dialog.form.edited.emit()  # as choosing in the drop-down does: the draft has changes

    office.session.lock("manual")

    assert not dialog.isVisible() and page.dialogs == []
    assert page.table.model.rowCount() == 0
    assert page.analysis.model.rowCount() == 0
    assert page.analysis.chart.bars() == [] and page.analysis.chart.bar_areas() == []
    assert page.analysis.summary is None
    assert page.analysis.period().key == "project" and page.analysis.group() == "all"

    office.unlock()
    reopened = office.dialog(page)
    assert reopened.form.editors["need"].get() == "childcare"
    assert page.table.model.rowCount() == 8 and len(_ranking(page)) == 5


def test_the_page_comes_after_the_budget_pages_in_the_navigation() -> None:
    keys = [factory.key for factory in page_factories()]  # type: ignore[attr-defined]
    # Budget, its expenses and trips, the team and its time sheets, then the needs; the
    # Sync page follows.
    assert keys.index("needs") == keys.index("time_sheets") + 1 == keys.index("budget") + 5
    assert keys.index("time_sheets") == keys.index("team") + 1
    assert keys.index("sync") == keys.index("needs") + 1


def _window(
    qtbot: QtBot, tmp_path: Path, size: tuple[int, int] = (1366, 768)
) -> tuple[MainWindow, NeedsPage]:
    """The main window (1366x768 unless ``size`` says otherwise) on a vault with the
    eight needs, showing the Needs page."""
    vault = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(vault, PASS, kdf=TEST_PARAMS)
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    _add_directly(ws)
    for day, group, need, urgency, respondents in BY_FORM:
        ws.add(
            Need(recorded_on=day, group=group, need=need, urgency=urgency, respondents=respondents)
        )
    ws.lock()
    window = build_main_window(vault)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: window.session.workspace is not None, timeout=10_000)
    window.navigate("needs")
    page = window.current_page()
    assert isinstance(page, NeedsPage)
    qtbot.waitUntil(lambda: len(page.analysis.chart.bars()) == 5)
    return window, page


def test_changed_need_on_another_page_refreshes(
    qtbot: QtBot, tmp_path: Path, english: None
) -> None:
    window, page = _window(qtbot, tmp_path)
    ws = window.session.workspace
    assert ws is not None
    ws.add(Need(recorded_on=date(2026, 3, 1), group="tcn", need="health", respondents=40))
    assert page.table.model.rowCount() == 8  # nobody said yet
    window.page_list[0].changed.emit("need")  # as a page that wrote a need would
    assert page.table.model.rowCount() == 9
    assert _ranking(page)[0] == (1, "health care", 80, 40, 1)  # medium: 2 x 40
    window.session.lock("manual")


# What the window gets on a 1280x720 screen (a full-HD laptop scaled to 150 %): 1264x680.
SMALL = window_size(QSize(1280, 720))


@pytest.mark.parametrize(
    ("language", "size"),
    [("de", (1366, 768)), ("en", (1366, 768)), ("de", (SMALL.width(), SMALL.height()))],
)
def test_screenshot_at_1366x768(
    qtbot: QtBot, tmp_path: Path, language: str, size: tuple[int, int]
) -> None:
    """Nothing cut, on a 1280x720 screen too: "Übersetzen und Dolmetschen" was cut in the ranking
    while the "Rang" column beside it had room to spare (QA pass)."""
    register_fonts()
    set_ui_language(language)
    window, page = _window(qtbot, tmp_path, size)
    notes = page.analysis.notes
    qtbot.waitUntil(lambda: notes.height() >= notes.heightForWidth(notes.width()))  # not cut off
    out = Path(os.environ.get("KISI_SHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    shot = out / f"needs_page_{language}_{size[0]}.png"
    image = window.grab().toImage()
    assert image.save(str(shot)) and shot.stat().st_size > 10_000
    chart = page.analysis.chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    bar = page.analysis.chart.geometry_of_bars()[0].fill.center()
    ratio = chart.width() / page.analysis.chart.width()
    assert QColor(chart.pixel(int(bar.x() * ratio), int(bar.y() * ratio))) == BAR_FILL
    assert clipped(page) == []
    assert (window.width(), window.height()) == size  # the page does not widen it
    window.session.lock("manual")


def test_up_and_down_move_between_the_bars(office: Office, page: NeedsPage) -> None:
    areas = page.analysis.chart.bar_areas()
    office.activate(page)
    areas[0].setFocus()
    office.qtbot.waitUntil(areas[0].hasFocus)
    office.qtbot.keyClick(areas[0], Qt.Key.Key_Down)
    assert areas[1].hasFocus()
    office.qtbot.keyClick(areas[1], Qt.Key.Key_Up)
    assert areas[0].hasFocus()


def test_after_a_delete_by_keyboard_the_next_need_is_chosen(
    office: Office, page: NeedsPage
) -> None:
    """Del, then Alt+D: the list had no row chosen afterwards (Edit and Delete greyed, Enter
    did nothing, Down jumped to the second row); the one that followed is chosen now,
    as on the other office lists."""
    office.activate(page)
    view = page.table.view
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # oldest first
    view.setFocus()
    office.qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)  # the first
    office.qtbot.keyClick(view, Qt.Key.Key_Down)  # the second row
    assert view.currentIndex().row() == 1
    doomed = page.table.current_id()
    following = view.model().index(2, 0).data(RowRole.ID)
    office.qtbot.keyClick(view, Qt.Key.Key_Delete)
    office.qtbot.waitUntil(lambda: page.confirm_box is not None)
    box = page.confirm_box
    assert box is not None
    office.activate(box)  # (the mnemonic answers in the active window)
    office.qtbot.keyClick(box, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    office.qtbot.waitUntil(lambda: page.confirm_box is None)
    assert office.ws.count(Need) == 7 and page.table.model.row_index(doomed) < 0
    assert page.table.current_id() == following
    assert page.table.edit_button.isEnabled() and page.table.delete_button.isEnabled()
