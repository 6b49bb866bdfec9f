"""The Handouts page on a real vault: topics, preview, print, save, record, lock.

Also several topics at once (a welcome pack in one language): one PDF, the languages all of
them have, one record per topic.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton, QWidget

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Guide, HandoutGiven, Municipality, Partner, Person
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.handouts.catalog import Status, load_catalog, shipped_folder
from kisi_desktop.handouts.layout import Layout
from kisi_desktop.handouts.render import Request, render

from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.pages.base import PageContext
from kisi_desktop.ui.pages.handouts import HandoutsPage
from kisi_desktop.ui.pages.handouts.given_dialog import HandoutGivenDialog
from kisi_desktop.ui.pages.handouts.handout_models import (
    OUTDATED,
    HandoutRole,
    LanguageRow,
    status_line,
    summary_line,
)
from kisi_desktop.ui.pages.handouts.print_support import print_document
from kisi_desktop.ui.pages.people import PeoplePage
from kisi_desktop.ui.pages.people.timeline_model import TimelineModel, build_timeline
from kisi_desktop.ui.session import Session
from kisi_desktop.ui.workers import TaskRunner

from tests.gui.office.conftest import AGS, NOW, PASS, Office
from tests.support.modal import FileDialogAnswers, answer_next_modal
from tests.support.qt_tasks import HeldRunner

pytestmark = pytest.mark.gui
# What the status line must say, in German, for each review state.
STATUS_WORD = {
    Status.SOURCE: "original",
    Status.REVIEWED: "geprüft",
    Status.UNREVIEWED: "ungeprüft",
    Status.OUTDATED: "veraltet",
}


def _visible(text: str) -> str:
    """``text`` without the invisible bidi controls the language selector adds."""
    return text.translate(dict.fromkeys(map(ord, "\u200e\u2068\u2069")))


@pytest.fixture
def office(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Office]:
    """A vault with a municipality, its guide and a partner that fills a handout role."""
    monkeypatch.setenv("KISI_HANDOUTS", str(tmp_path / "no-own-handouts"))
    clock = FixedClock(NOW)
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, clock=clock)
    ws.add(Municipality(ags=AGS, name="Kirchhain", phone="+49 6422 808-0"))
    ws.add(
        Guide(
            name="Mira Weber",
            fte=Decimal("0.5"),
            started_on=date(2025, 1, 1),
            municipality_ags=(AGS,),
            phone="+49 6422 808-15",
        )
    )
    ws.add(Partner(name="Jobcenter Marburg", handout_role="jobcenter"))
    ws.lock()
    runner = TaskRunner()

    def open_workspace(vault: Path, **kwargs: Any) -> Workspace:
        return Workspace.open(vault, clock=clock, **kwargs)

    session = Session(path, runner, open_workspace=open_workspace)
    office = Office(qtbot, session, runner, clock, path)
    office.unlock()
    yield office
    session.lock()
    runner.wait()


def _page(office: Office) -> HandoutsPage:
    page = office.page(HandoutsPage)
    page.resize(1140, 700)
    return page


def _preview(office: Office, page: HandoutsPage, topic: str, language: str) -> None:
    page.select(topic, language)
    office.qtbot.waitUntil(
        lambda: (
            page.shown is not None
            and page.shown.request.topic == topic
            and page.shown.request.language == language
        ),
        timeout=10_000,
    )


def test_every_shipped_topic_is_listed(office: Office, qtmodeltester: ModelTester) -> None:
    page = _page(office)
    catalog = load_catalog()
    model = page.topic_model
    assert [model.index(r, 0).data(HandoutRole.CODE) for r in range(model.rowCount())] == (
        catalog.ordered_ids()
    )
    assert model.index(0, 0).data() == catalog.topics[catalog.ordered_ids()[0]].title_de
    qtmodeltester.check(model)
    qtmodeltester.check(page.language_model)
    assert page.current_topic() == catalog.ordered_ids()[0]
    assert page.current_language() == "de"
    assert not page.layout_combo.isEnabled()  # German prints on its own


def test_arabic_preview_and_its_review_status(office: Office) -> None:
    page = _page(office)
    topic = load_catalog().topics["health"]
    _preview(office, page, "health", "ar")
    assert page.preview.page_count() >= 1
    assert page.preview.document.pageCount() == page.preview.page_count()
    assert page.preview.pages_label.text().endswith(
        "Seiten" if page.preview.page_count() > 1 else "Seite"
    )
    assert not page.preview.is_busy()
    assert page.shown is not None
    assert page.shown.request == Request("health", "ar", Layout.SIDE_BY_SIDE)
    assert page.shown.profile.municipality == "Kirchhain"
    assert page.shown.profile.values["local.jobcenter"] == "Jobcenter Marburg"
    status = topic.status("ar")
    assert page.status_line.text() == status_line(status)
    assert STATUS_WORD[status] in page.status_line.text().casefold()
    row = page.language_combo.currentIndex()
    text = _visible(page.language_combo.itemText(row))
    assert "العربية – Arabisch" in text
    assert text.endswith({Status.OUTDATED: "(veraltet)", Status.UNREVIEWED: "(ungeprüft)",
                          Status.REVIEWED: "(geprüft)"}[status])  # fmt: skip
    brush = page.language_model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole)
    if status is Status.OUTDATED:
        assert isinstance(brush, QBrush) and brush.color() == OUTDATED
    assert page.layout_combo.isEnabled()
    assert page.print_button.isEnabled() and page.save_button.isEnabled()

    page.layout_combo.setCurrentIndex(page.layout_combo.findData(Layout.SINGLE.value))
    office.qtbot.waitUntil(
        lambda: page.shown is not None and page.shown.request.layout is Layout.SINGLE,
        timeout=10_000,
    )


def test_save_as_pdf_writes_the_rendered_file(office: Office, tmp_path: Path) -> None:
    page = _page(office)
    _preview(office, page, "work", "ti")
    target = tmp_path / "out" / "handout.pdf"
    target.parent.mkdir()
    asked: list[str] = []

    def type_a_name(dialog: QWidget) -> None:
        # Qt's own save dialog: it suggests the handout's name, and takes one typed
        # without ".pdf".
        assert isinstance(dialog, QFileDialog)
        asked.append(dialog.selectedFiles()[0])
        dialog.setDirectory(str(target.parent))
        dialog.selectFile("handout")
        dialog.accept()

    answer_next_modal(type_a_name)
    office.activate(page)
    page.topic_view.setFocus()
    office.qtbot.keyClick(
        page.topic_view,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    office.qtbot.waitUntil(target.exists, timeout=5000)
    assert Path(asked[0]).name == "work_ti.pdf"
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert data == page.pdf
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


def test_printing_prints_every_page(office: Office, tmp_path: Path) -> None:
    page = _page(office)
    _preview(office, page, "health", "ar")
    out = tmp_path / "printed.pdf"
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert print_document(page.preview.document, printer) == page.preview.page_count()
    assert printer.resolution() == 300
    printed = QPdfDocument()
    printed.load(str(out))
    assert printed.pageCount() == page.preview.page_count()
    size = printed.pagePointSize(0)
    assert abs(size.width() - 595) < 2 and abs(size.height() - 842) < 2  # A4, true to scale
    printed.close()


def _pdf_printer(out: Path) -> QPrinter:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    return printer


class _Watch:
    """A 5 ms timer that counts its turns and notes every text the print progress shows:
    it only fires while the UI thread handles events."""

    def __init__(self, page: HandoutsPage) -> None:
        self.page = page
        self.ticks = 0
        self.labels: list[str] = []
        self.values: list[tuple[int, int]] = []
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.ticks += 1
        dialog = self.page.printing.progress
        if dialog is not None:
            if not self.labels or self.labels[-1] != dialog.labelText():
                self.labels.append(dialog.labelText())
            self.values.append((dialog.value(), dialog.maximum()))


def test_printing_keeps_the_window_answering_and_names_the_page(
    office: Office, tmp_path: Path
) -> None:
    page = _page(office)
    _preview_many(office, page, ["health", "housing"], "ar")
    pages = page.preview.page_count()
    assert pages >= 2
    out = tmp_path / "printed.pdf"
    said: list[str] = []
    page.status.connect(said.append)
    watch = _Watch(page)
    page.print_on(_pdf_printer(out))
    # The pages are drawn on a worker: the call is back before the first page is done.
    assert page.printing.running and watch.ticks == 0
    office.qtbot.waitUntil(lambda: not page.printing.running, timeout=60_000)
    watch.timer.stop()
    assert watch.ticks >= 10  # the window kept painting and taking input
    assert f"Seite 1 von {pages} wird gedruckt…" in watch.labels
    assert f"Seite {pages} von {pages} wird gedruckt…" in watch.labels
    assert max(done for done, _total in watch.values) >= pages - 1
    assert page.printing.progress is None  # closed at the end
    assert said == [f"{pages} Seiten gedruckt."]
    printed = QPdfDocument()
    printed.load(str(out))
    assert printed.pageCount() == pages
    printed.close()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_cancelled_printing_leaves_no_half_file(office: Office, tmp_path: Path) -> None:
    page = _page(office)
    catalog = load_catalog()
    # Every topic: enough pages that the cancel comes long before the last one.
    _preview_many(
        office, page, [t for t in catalog.ordered_ids() if "uk" in catalog.topics[t].texts], "uk"
    )
    assert page.preview.page_count() >= 8
    folder = tmp_path / "printouts"
    folder.mkdir()
    out = folder / "printed.pdf"
    said: list[str] = []
    page.status.connect(said.append)
    watch = _Watch(page)
    page.print_on(_pdf_printer(out))
    office.qtbot.waitUntil(lambda: any(t.startswith("Seite 1 von") for t in watch.labels))
    dialog = page.printing.progress
    assert dialog is not None
    cancel = dialog.findChild(QPushButton)
    assert cancel.text() == "Abbrechen"
    office.qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    office.qtbot.waitUntil(lambda: not page.printing.running, timeout=60_000)
    watch.timer.stop()
    assert list(folder.iterdir()) == []  # neither the PDF nor a part of it
    assert said == ["Drucken abgebrochen; es wurde nichts gedruckt."]
    assert page.printing.progress is None


def test_a_lock_while_printing_stops_the_print(office: Office, tmp_path: Path) -> None:
    page = _page(office)
    _preview_many(office, page, ["health", "housing"], "ar")
    folder = tmp_path / "printouts"
    folder.mkdir()
    watch = _Watch(page)
    page.print_on(_pdf_printer(folder / "printed.pdf"))
    office.qtbot.waitUntil(lambda: any(t.startswith("Seite 1 von") for t in watch.labels))
    office.session.lock()
    watch.timer.stop()
    assert not page.printing.running and page.printing.progress is None
    office.runner.wait()
    assert list(folder.iterdir()) == []


@pytest.mark.qt_log_ignore(r"QPainter::begin\(\): Returned false")
def test_printing_that_fails_says_so_in_a_box(office: Office, tmp_path: Path) -> None:
    page = _page(office)
    _preview(office, page, "welcome", "uk")
    page.print_on(_pdf_printer(tmp_path / "missing" / "printed.pdf"))
    office.qtbot.waitUntil(lambda: page.failure_box is not None, timeout=60_000)
    box = page.failure_box
    assert box is not None and box.objectName() == "handoutNotPrinted"
    assert box.windowTitle() == "Nicht gedruckt"
    assert box.text().startswith("Das Infoblatt konnte nicht gedruckt werden")
    assert not page.printing.running and page.printing.progress is None


def test_print_dialog_is_closed_by_a_lock(office: Office) -> None:
    page = _page(office)
    _preview(office, page, "welcome", "uk")
    office.activate(page)
    page.topic_view.setFocus()
    office.qtbot.keyClick(page.topic_view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert page.print_dialog is not None
    office.qtbot.waitExposed(page.print_dialog)
    office.session.lock()
    assert page.print_dialog is None
    assert not any(w.isVisible() and w.objectName() == "handoutPrintDialog"
                   for w in QApplication.topLevelWidgets())  # fmt: skip


def test_record_handout_given_shows_on_the_timeline(office: Office) -> None:
    amina = office.ws.add(Person(name="Amina Haddad"))
    office.ws.add(Person(name="Bilal Rahimi"))
    page = _page(office)
    page.select("health", "ar")
    catalog = load_catalog()
    dialog = page.record_given()
    assert dialog is not None
    office.qtbot.waitExposed(dialog)
    assert dialog.person.itemText(0) == "anonym"
    assert [dialog.person.itemText(i) for i in (1, 2)] == ["Amina Haddad", "Bilal Rahimi"]
    dialog.person.setCurrentIndex(dialog.person.findData(amina.id))
    dialog.copies.setValue(3)
    with office.qtbot.waitSignal(page.status) as message:
        office.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert message.args == [
        "Erfasst: 3 Exemplare von „Krankenversicherung und Arztbesuch“ auf Arabisch."
    ]
    assert page.dialog is None
    (given,) = office.ws.list(HandoutGiven)
    assert (given.person_id, given.copies, given.topic, given.language, given.handed_out_on) == (
        amina.id,
        3,
        "health",
        "ar",
        NOW.date(),
    )
    assert given.version == catalog.topics["health"].texts["ar"].content_hash[:12]

    model = TimelineModel()
    model.set_entries(build_timeline(office.ws, amina.id, NOW.date()))
    rows = [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]
    assert rows == [
        [
            "18.03.2026",
            "Infoblatt",
            "Krankenversicherung und Arztbesuch (Arabisch) – 3 Exemplare",
        ]
    ]


def test_anonymous_handout_and_a_name_nobody_has(office: Office) -> None:
    page = _page(office)
    page.select("housing", "fa")
    dialog = page.record_given()
    assert dialog is not None
    dialog.person.setEditText("Niemand")
    office.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Wählen Sie eine Person aus der Liste oder „anonym“."
    assert office.ws.list(HandoutGiven) == []
    dialog.person.setCurrentIndex(0)
    office.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (given,) = office.ws.list(HandoutGiven)
    assert given.person_id is None and given.copies == 1 and given.language == "fa"


def test_the_day_handed_out_is_typed_and_checked(office: Office) -> None:
    page = _page(office)
    page.select("housing", "fa")
    dialog = page.record_given()
    assert dialog is not None
    assert dialog.day.edit.text() == "18.03.2026"  # today
    for typed, message in (
        ("19.03.2026", "Ein Infoblatt kann nicht in der Zukunft ausgegeben werden."),
        ("", "Geben Sie den Tag der Ausgabe ein."),
        ("30.02.2026", "Diesen Tag gibt es nicht."),
    ):
        dialog.day.edit.setText(typed)
        office.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.message.text() == message
    assert office.ws.list(HandoutGiven) == []
    dialog.day.edit.clear()
    office.qtbot.keyClicks(dialog.day.edit, "2.3.2026")  # typed with dots: read as 2 March
    office.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (given,) = office.ws.list(HandoutGiven)
    assert given.handed_out_on == date(2026, 3, 2)


def test_lock_clears_lists_preview_and_dialogs(office: Office) -> None:
    page = _page(office)
    _preview(office, page, "health", "ar")
    dialog = page.record_given()
    assert dialog is not None
    office.session.lock()
    assert page.dialog is None
    assert page.preview.page_count() == 0
    assert page.preview.document.status() is not QPdfDocument.Status.Ready
    assert page.pdf is None and page.shown is None
    assert page.topic_model.rowCount() == 0
    assert page.language_model.rowCount() == 0
    assert page.status_line.text() == ""
    assert not page.print_button.isEnabled() and not page.record_button.isEnabled()
    office.unlock()
    office.qtbot.waitUntil(lambda: page.shown is not None, timeout=10_000)
    assert page.topic_model.rowCount() == len(load_catalog().topics)


def test_a_result_nobody_wants_any_more_is_not_shown(office: Office) -> None:
    held = HeldRunner()
    context = PageContext(office.session, held, navigate=lambda _k, _i: None)  # type: ignore[arg-type]
    page = HandoutsPage(context)
    office.qtbot.addWidget(page)
    page.set_workspace(office.ws)
    page.resize(1140, 700)
    page.show()
    office.qtbot.waitExposed(page)
    office.qtbot.waitUntil(lambda: len(held.held) == 1)  # the first topic, in German
    page.select("health", "ar")
    page.select("work", "ar")
    office.qtbot.wait(2 * 120)
    assert len(held.held) == 1  # one render at a time
    held.release()  # the German one finishes: not wanted any more, the wanted one starts
    assert page.shown is None and page.preview.is_busy()
    assert len(held.held) == 1
    held.release()
    assert page.shown is not None and page.shown.request == Request("work", "ar")
    assert not page.preview.is_busy()
    page.set_workspace(None)


def test_english_ui_titles(office: Office) -> None:
    page = _page(office)
    set_ui_language("en")
    page.retranslate_ui()
    row = page.topic_model.row_of("health")
    assert row is not None
    assert page.topic_model.index(row, 0).data() == "Health insurance and seeing a doctor"
    assert _visible(page.language_combo.currentText()) == "Deutsch – German (source)"
    assert page.status_line.text().startswith("The German original")
    page.select("health", "ar")
    assert "العربية – Arabic (" in _visible(page.language_combo.currentText())
    assert page.print_button.text() == "Pri&nt…"


def test_own_folder_outdated_translations_and_own_topics(office: Office, tmp_path: Path) -> None:
    own = tmp_path / "own"
    (own / "health").mkdir(parents=True)
    german = shipped_folder() / "health" / "de.md"
    (own / "health" / "de.md").write_text(
        german.read_text(encoding="utf-8") + "\nEin neuer Absatz der Gemeinde.\n", encoding="utf-8"
    )
    (own / "bus_pass").mkdir()
    (own / "bus_pass" / "topic.toml").write_text(
        'order = 99\ntitle_de = "Busfahrkarte"\n', encoding="utf-8"
    )
    (own / "bus_pass" / "de.md").write_text(
        "---\ntitle: Busfahrkarte\nreview: source\n---\nDie Karte gibt es im Rathaus.\n",
        encoding="utf-8",
    )
    page = HandoutsPage(office.context(), load_catalog=lambda: load_catalog([own]))
    office.qtbot.addWidget(page)
    page.set_workspace(office.ws)
    page.select("health", "ar")
    assert page.status_line.text().startswith("Veraltete Übersetzung")
    row = page.language_combo.currentIndex()
    assert _visible(page.language_combo.itemText(row)).endswith("(veraltet)")
    index = page.language_model.index(row, 0)
    assert index.data(Qt.ItemDataRole.ForegroundRole).color() == OUTDATED
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert page.record_button.isEnabled()

    page.select("bus_pass", "de")
    assert page.current_topic() == "bus_pass"
    assert page.topic_model.index(page.topic_model.row_of("bus_pass") or 0, 0).data() == (
        "Busfahrkarte"
    )
    # A topic of the guide's own folder counts like a shipped one.
    assert page.record_button.isEnabled()
    dialog = page.record_given()
    assert dialog is not None
    dialog.person.setCurrentIndex(0)
    office.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (given,) = office.ws.list(HandoutGiven)
    assert (given.topic, given.language, given.person_id) == ("bus_pass", "de", None)
    page.set_workspace(None)


def _page_over(office: Office, own: Path) -> HandoutsPage:
    """The Handouts page over the texts in ``own`` (a guide's own folder), shown."""
    page = HandoutsPage(office.context(), load_catalog=lambda: load_catalog([own]))
    office.qtbot.addWidget(page)
    page.set_workspace(office.ws)
    page.resize(1140, 700)
    page.show()
    office.qtbot.waitExposed(page)
    return page


def test_a_handout_that_cannot_be_made_says_why(office: Office, tmp_path: Path) -> None:
    own = tmp_path / "own"
    (own / "bus_pass").mkdir(parents=True)
    (own / "bus_pass" / "topic.toml").write_text(
        'order = 99\ntitle_de = "Busfahrkarte"\n', encoding="utf-8"
    )
    (own / "bus_pass" / "ar.md").write_text(
        "---\ntitle: تذكرة الحافلة\nreview: unreviewed\n---\nالتذكرة في البلدية.\n",
        encoding="utf-8",
    )
    page = _page_over(office, own)
    page.select("bus_pass", "ar")
    office.qtbot.waitUntil(lambda: page.preview.message.text() != "", timeout=10_000)
    assert page.preview.message.text().startswith("Dieses Infoblatt kann nicht erstellt werden")
    assert "bus_pass" in page.preview.message.text()  # the core's message names the topic
    assert page.shown is None and not page.print_button.isEnabled()
    assert not page.preview.is_busy()
    page.set_workspace(None)


def test_a_language_no_bundled_font_draws_is_refused_not_printed_as_boxes(
    office: Office, tmp_path: Path
) -> None:
    # A guide adds Georgian to their own folder: the app has no font for its letters, and
    # the handout would go to the printer with empty boxes where the text should be.
    own = tmp_path / "own"
    (own / "languages").mkdir(parents=True)
    (own / "languages" / "ka.toml").write_text(
        'name = "ქართული"\ndirection = "ltr"\nlocale = "ka"\nreview = "unreviewed"\n'
        "[strings]\n"
        'unreviewed = "თარგმანი ჯერ არ შემოწმებულა."\noutdated = "გერმანული ტექსტი შეიცვალა."\n'
        'issued = "{date}"\npage = "{page} / {pages}"\nguide = "Integrationsguide"\n'
        'more = "QR"\n',
        encoding="utf-8",
    )
    (own / "bus_pass").mkdir()
    (own / "bus_pass" / "topic.toml").write_text(
        'order = 99\ntitle_de = "Busfahrkarte"\n', encoding="utf-8"
    )
    (own / "bus_pass" / "de.md").write_text(
        "---\ntitle: Busfahrkarte\nreview: source\n---\nDie Karte gibt es im Rathaus.\n",
        encoding="utf-8",
    )
    (own / "bus_pass" / "ka.md").write_text(
        "---\ntitle: ავტობუსის ბილეთი\nreview: unreviewed\nsource-sha256: PENDING\n---\n"
        "ბილეთი მერიაშია.\n",
        encoding="utf-8",
    )
    page = _page_over(office, own)
    page.select("bus_pass", "ka")
    assert page.current_language() == "ka"
    office.qtbot.waitUntil(lambda: page.preview.message.text() != "", timeout=10_000)
    message = page.preview.message.text()
    assert message.startswith("Dieses Infoblatt kann nicht erstellt werden")
    assert "bus_pass/ka" in message and "U+10D0" in message  # which text, which letters
    assert page.shown is None and not page.print_button.isEnabled()
    assert not page.save_button.isEnabled()
    # German alone still prints.
    page.select("bus_pass", "de")
    office.qtbot.waitUntil(lambda: page.shown is not None, timeout=10_000)
    assert page.print_button.isEnabled()
    page.set_workspace(None)


def test_a_recorded_handout_can_be_corrected_from_the_timeline(office: Office) -> None:
    amina = office.ws.add(Person(name="Amina Haddad"))
    given = office.ws.add(
        HandoutGiven(person_id=amina.id, handed_out_on=NOW.date(), topic="work", language="ps")
    )
    people = office.page(PeoplePage)
    people.set_workspace(office.ws)
    people.open_person(amina.id)
    people.person_view.select_entry(given.id)
    office.activate(people)
    timeline = people.person_view.timeline
    timeline.setFocus()
    office.qtbot.keyClick(timeline, Qt.Key.Key_F2)  # F2 edits the selected entry
    office.qtbot.waitUntil(lambda: people.dialog is not None, timeout=2000)
    dialog = people.dialog
    assert isinstance(dialog, RecordDialog)
    assert set(dialog.form.editors) == {"handed_out_on", "copies"}
    dialog.form.editors["copies"].set(4)
    office.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (saved,) = office.ws.list(HandoutGiven)
    assert (saved.id, saved.copies, saved.topic, saved.language) == (given.id, 4, "work", "ps")


# ---------------------------------------------------------------------- several topics
def _preview_many(office: Office, page: HandoutsPage, topics: list[str], language: str) -> None:
    page.select_topics(topics, language)
    office.qtbot.waitUntil(
        lambda: (
            page.shown is not None
            and page.shown.topics == tuple(topics)
            and page.shown.request.language == language
            and not page.queue.pending
        ),
        timeout=20_000,
    )


def _pages(data: bytes, path: Path) -> int:
    path.write_bytes(data)
    document = QPdfDocument()
    document.load(str(path))
    count = document.pageCount()
    document.close()
    return count


def _languages(page: HandoutsPage) -> list[str]:
    model = page.language_model
    return [model.index(r, 0).data(HandoutRole.CODE) for r in range(model.rowCount())]


def _own_folder(tmp_path: Path) -> Path:
    """A changed German health text (its translations outdated), a topic in de and ar."""
    own = tmp_path / "own"
    (own / "health").mkdir(parents=True)
    german = shipped_folder() / "health" / "de.md"
    (own / "health" / "de.md").write_text(
        german.read_text(encoding="utf-8") + "\nEin neuer Absatz der Gemeinde.\n", encoding="utf-8"
    )
    (own / "bus_pass").mkdir()
    (own / "bus_pass" / "topic.toml").write_text(
        'order = 99\ntitle_de = "Busfahrkarte"\n', encoding="utf-8"
    )
    (own / "bus_pass" / "de.md").write_text(
        "---\ntitle: Busfahrkarte\nreview: source\n---\nDie Karte gibt es im Rathaus.\n",
        encoding="utf-8",
    )
    german_hash = load_catalog([own]).topics["bus_pass"].texts["de"].content_hash
    (own / "bus_pass" / "ar.md").write_text(
        f"---\ntitle: تذكرة الحافلة\nreview: unreviewed\nsource-sha256: {german_hash}\n---\n"
        "التذكرة في البلدية.\n",
        encoding="utf-8",
    )
    return own


def test_several_topics_preview_as_one_pdf(office: Office, tmp_path: Path) -> None:
    page = _page(office)
    catalog = load_catalog()
    _preview(office, page, "health", "ar")
    _preview_many(office, page, ["health", "housing"], "ar")
    assert page.selected_topics() == ["health", "housing"]
    assert page.current_topic() == "health"
    job = page.shown
    assert job is not None
    assert job.requests == (Request("health", "ar"), Request("housing", "ar"))
    singles = [
        _pages(render(catalog, r, job.profile, job.issued), tmp_path / f"{r.topic}.pdf")
        for r in job.requests
    ]
    assert page.preview.page_count() == sum(singles) >= 2
    assert page.preview.pages_label.text() == f"{sum(singles)} Seiten"
    # The status line sums up the two translations (both unreviewed as shipped).
    statuses = {catalog.topics[t].status("ar") for t in ("health", "housing")}
    row = page.language_model.entry(page.language_combo.currentIndex())
    assert page.status_line.text() == summary_line(row)
    if statuses == {Status.UNREVIEWED}:
        assert page.status_line.text().startswith("Alle 2 Übersetzungen sind ungeprüft")
    assert page.print_button.isEnabled() and page.save_button.isEnabled()
    assert page.record_button.isEnabled()

    out = tmp_path / "printed.pdf"
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert print_document(page.preview.document, printer) == sum(singles)

    # Back to one topic: the same preview as before.
    _preview(office, page, "housing", "ar")
    assert page.shown is not None and page.shown.requests == (Request("housing", "ar"),)
    assert page.preview.page_count() == singles[1]
    assert page.status_line.text() == status_line(catalog.topics["housing"].status("ar"))


def test_keyboard_chooses_several_topics(office: Office) -> None:
    page = _page(office)
    catalog = load_catalog()
    office.activate(page)
    page.topic_view.setFocus()
    page.select("welcome", "uk")
    view = page.topic_view
    office.qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert page.selected_topics() == catalog.ordered_ids()[:2]
    assert page.current_language() == "uk"  # kept: both topics have it
    office.qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert page.selected_topics() == catalog.ordered_ids()
    assert page.current_language() == "uk"
    office.qtbot.keyClick(view, Qt.Key.Key_Down)  # a plain arrow: one topic again
    assert page.selected_topics() == [catalog.ordered_ids()[2]]
    # Ctrl+click adds a topic; Ctrl+click on each chosen one leaves none chosen.
    for row in (3, 2, 3):
        rect = view.visualRect(page.topic_model.index(row, 0))
        office.qtbot.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            rect.center(),
        )
    assert page.selected_topics() == []
    assert page.language_model.rowCount() == 0
    assert page.status_line.text() == ""
    assert page.shown is None and page.pdf is None
    assert page.preview.message.text() == "Wählen Sie ein oder mehrere Themen."
    assert not page.print_button.isEnabled() and not page.save_button.isEnabled()
    assert not page.record_button.isEnabled()
    assert page.record_given() is None


def test_languages_of_several_topics_are_those_all_have(office: Office, tmp_path: Path) -> None:
    page = HandoutsPage(
        office.context(), load_catalog=lambda: load_catalog([_own_folder(tmp_path)])
    )
    office.qtbot.addWidget(page)
    page.set_workspace(office.ws)
    page.select("health", "ar")
    assert len(_languages(page)) > 2
    page.select_topics(["health", "bus_pass"])
    assert _languages(page) == ["de", "ar"]
    assert page.current_language() == "ar"  # kept: both have it
    assert page.selected_topics() == ["health", "bus_pass"]  # catalog order
    catalog = page.catalog
    assert catalog is not None
    assert catalog.topics["health"].status("ar") is Status.OUTDATED
    assert catalog.topics["bus_pass"].status("ar") is Status.UNREVIEWED
    # Health is outdated (its German text changed), the bus pass unreviewed: outdated wins.
    row = page.language_combo.currentIndex()
    assert _visible(page.language_combo.itemText(row)).endswith("(veraltet)")
    index = page.language_model.index(row, 0)
    assert index.data(Qt.ItemDataRole.ForegroundRole).color() == OUTDATED
    assert page.status_line.text() == (
        "1 von 2 Übersetzungen ist veraltet (Krankenversicherung und Arztbesuch): Der deutsche "
        "Text wurde seither geändert. Dieses Infoblatt weist darauf hin."
    )
    assert index.data(Qt.ItemDataRole.ToolTipRole) == page.status_line.text()
    page.language_combo.setCurrentIndex(0)
    assert page.status_line.text().startswith("Die deutschen Originaltexte von 2 Infoblättern")

    page.select("health", "fa")
    page.select_topics(["health", "bus_pass"])
    assert page.current_language() == "de"  # Persian is missing for the bus pass
    set_ui_language("en")
    page.retranslate_ui()
    assert page.selected_topics() == ["health", "bus_pass"]  # kept across a language switch
    assert _visible(page.language_combo.currentText()) == "Deutsch – German (source)"
    page.set_workspace(None)


def test_save_several_topics_as_one_pdf(
    office: Office, tmp_path: Path, file_dialogs: FileDialogAnswers
) -> None:
    page = _page(office)
    _preview_many(office, page, ["welcome", "work", "health"], "ti")
    target = tmp_path / "out" / "pack.pdf"
    target.parent.mkdir()
    file_dialogs.save(target)
    office.activate(page)
    page.topic_view.setFocus()
    office.qtbot.keyClick(
        page.topic_view,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    office.qtbot.waitUntil(target.exists, timeout=5000)
    assert file_dialogs.suggested == ["ti_3_Themen.pdf"]  # QA 26b: German words in German
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and data == page.pdf
    assert _pages(data, tmp_path / "copy.pdf") == page.preview.page_count() >= 3
    assert list(target.parent.iterdir()) == [target]


def test_record_several_topics_given(office: Office) -> None:
    amina = office.ws.add(Person(name="Amina Haddad"))
    page = _page(office)
    page.select_topics(["health", "housing"], "ar")
    catalog = load_catalog()
    dialog = page.record_given()
    assert dialog is not None
    office.qtbot.waitExposed(dialog)
    assert (
        dialog.what.text() == "Krankenversicherung und Arztbesuch, Wohnen und Anmeldung – Arabisch"
    )
    dialog.person.setCurrentIndex(dialog.person.findData(amina.id))
    dialog.copies.setValue(2)
    with office.qtbot.waitSignal(page.status) as message:
        office.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert message.args == ["Erfasst: je 2 Exemplare von 2 Infoblättern auf Arabisch."]
    given = sorted(office.ws.list(HandoutGiven), key=lambda g: g.topic)
    assert [(g.topic, g.version) for g in given] == [
        (t, catalog.topics[t].texts["ar"].content_hash[:12]) for t in ("health", "housing")
    ]
    assert {(g.person_id, g.copies, g.language, g.handed_out_on) for g in given} == {
        (amina.id, 2, "ar", NOW.date())
    }
    model = TimelineModel()
    model.set_entries(build_timeline(office.ws, amina.id, NOW.date()))
    texts = sorted(model.index(r, 2).data() for r in range(model.rowCount()))
    assert texts == [
        "Krankenversicherung und Arztbesuch (Arabisch) – 2 Exemplare",
        "Wohnen und Anmeldung (Arabisch) – 2 Exemplare",
    ]


def test_status_line_of_several_topics_names_the_worst() -> None:
    def row(*statuses: Status) -> LanguageRow:
        worst = min(statuses, key=[Status.OUTDATED, Status.UNREVIEWED, Status.REVIEWED].index)
        titles = ("Arbeit", "Wohnen", "Schule", "Kita", "Bus")
        pairs = tuple(zip(titles, statuses, strict=False))
        return LanguageRow("fa", "فارسی", "Persisch", worst, True, pairs)

    assert summary_line(row(Status.OUTDATED)) == status_line(Status.OUTDATED)
    assert summary_line(row(Status.REVIEWED, Status.REVIEWED)) == (
        "Alle 2 Übersetzungen sind geprüft: mit den aktuellen deutschen Texten abgeglichen."
    )
    assert summary_line(row(Status.REVIEWED, Status.UNREVIEWED, Status.UNREVIEWED)) == (
        "2 von 3 Übersetzungen sind ungeprüft (Wohnen, Schule). "
        "Diese Infoblätter weisen darauf hin."
    )
    assert summary_line(row(Status.UNREVIEWED, Status.REVIEWED)).startswith(
        "1 von 2 Übersetzungen ist ungeprüft (Arbeit). Dieses Infoblatt"
    )
    many = row(*[Status.OUTDATED] * 4, Status.UNREVIEWED)
    assert summary_line(many).startswith(
        "4 von 5 Übersetzungen sind veraltet (Arbeit, Wohnen, Schule, …): "
    )
    assert summary_line(row(Status.OUTDATED, Status.OUTDATED)).startswith(
        "Alle 2 Übersetzungen sind veraltet"
    )


def test_a_language_is_named_once_when_its_label_holds_its_own_name() -> None:
    def text(native: str, label: str) -> str:
        row = LanguageRow("x", native, label, Status.UNREVIEWED, False, ())
        return row.text().strip("\u200e\u2068\u2069").replace("\u2069", "")

    assert text("Einfache Sprache", "Deutsch (einfache Sprache)") == (
        "Deutsch (einfache Sprache) (ungeprüft)"
    )
    assert text("فارسی", "Persisch") == "فارسی – Persisch (ungeprüft)"
    assert text("Deutsch", "deutsch") == "Deutsch (ungeprüft)"


def test_tab_reaches_the_buttons_above_the_preview_before_the_preview(office: Office) -> None:
    page = _page(office)
    _preview(office, page, "welcome", "de")
    office.activate(page)
    page.print_button.setFocus()
    order = [page.print_button]
    for _ in range(3):
        office.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    # As they stand on screen: the row of buttons, then the pages below it.
    assert order == [page.print_button, page.save_button, page.record_button, page.preview.view]


def test_the_handout_given_form_starts_at_the_person_and_tabs_down_to_save(
    office: Office,
) -> None:
    """Alt+E opened it with the focus on Save and Tab went Save, Cancel, Person, Copies,
    Day: a screen reader began at the bottom, and a name typed at once went nowhere."""
    office.ws.add(Person(name="Amina Haddad"))
    page = _page(office)
    _preview(office, page, "housing", "fa")
    office.activate(page)
    page.topic_view.setFocus()
    office.qtbot.keyClick(page.topic_view, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    office.qtbot.waitUntil(lambda: page.dialog is not None)
    dialog = page.dialog
    assert isinstance(dialog, HandoutGivenDialog)
    office.activate(dialog)
    assert QApplication.focusWidget() is dialog.person
    order = [QApplication.focusWidget()]
    for _ in range(4):
        office.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    buttons = dialog.findChildren(QPushButton)
    cancel = next(b for b in buttons if b.objectName() == "cancelButton")
    assert order == [dialog.person, dialog.copies, dialog.day.edit, dialog.save_button, cancel]
    office.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert page.dialog is None


def test_a_folder_that_takes_no_files_is_said_in_german_in_a_box(
    office: Office, file_dialogs: FileDialogAnswers
) -> None:
    # /sys refuses new files even to root: a write-protected USB stick or a network folder
    # without write permission does the same. The guide saw "Permission denied", in the
    # status bar for eight seconds, and could not tell the handout was not saved.
    page = _page(office)
    _preview(office, page, "work", "ar")
    file_dialogs.save(Path("/sys/work_ar.pdf"))
    page.save_pdf()
    office.qtbot.waitUntil(lambda: page.failure_box is not None, timeout=5000)
    box = page.failure_box
    assert box.windowTitle() == "Nicht gespeichert"
    assert box.text() == (
        "Das Infoblatt wurde nicht gespeichert: dort darf nicht geschrieben werden. "
        "Wählen Sie einen anderen Ordner."
    )
    assert "/sys/work_ar.pdf" in box.informativeText()
    office.session.lock()  # a lock closes the box with the page's other dialogs
    assert page.failure_box is None
