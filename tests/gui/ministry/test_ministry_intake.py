"""Bundles into the ministry view: chosen or dropped, each result with its reason, receipts out.

Bundles come from the app's real export of a demo vault that installed this ministry's
provisioning file (made on the Distribute tab); the window imports them on a worker with its
own database connection, as it does for the staff, and the figures follow.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from PySide6.QtCore import Qt

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.manifest import sha256_hex
from kisi_desktop.bundles.receipts import apply_receipt, read_receipt
from kisi_desktop.ministry.aggregate import ALL, figures
from kisi_desktop.ministry.held import operator_name

from kisi_desktop.ui.ministry.figures_model import EVERY

from tests.gui.ministry.conftest import (
    Desk,
    cell,
    provision_through_tab,
    register_through_dialog,
    results,
    town_row,
    twin,
)

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_ui_language("en")
    yield


# ---------------------------------------------------------------------------- a full round


def test_register_provision_import_figures_and_export(desk: Desk) -> None:
    desk.init()
    town = desk.town()
    window = desk.window()
    register_through_dialog(desk, window, town)
    provision_through_tab(desk, window, town)
    receipts = desk.tmp / "receipts-out"
    receipts.mkdir()
    window.tabs.setCurrentWidget(window.intake)
    desk.answer_folder(receipts)
    desk.click(window.intake.folder_button)
    assert str(receipts) in window.intake.folder_label.text()

    bundle = town.export("PY1")
    desk.import_files(window, [bundle.path])
    row = results(window)[0]
    assert (row.outcome, row.reason_code, row.ags, row.seq) == ("imported", None, town.ags, 1)
    assert row.records > 0
    assert row.receipt == str(receipts / bundle.path.name.replace(".kisi", ".receipt"))
    assert Path(row.receipt).is_file()
    assert window.intake.model.index(0, 1).data() == "imported"
    assert bundle.path.name in window.intake.detail.text()
    assert "1 result: 1 imported" in window.intake.progress.text()

    # A tampered copy, dropped onto the results table: refused with its reason.
    data = bytearray(bundle.path.read_bytes())
    data[len(data) - 40] ^= 0x01
    tampered = desk.tmp / "tampered" / bundle.path.name
    tampered.parent.mkdir()
    tampered.write_bytes(bytes(data))
    assert desk.drop(window.intake.view.viewport(), [tampered])
    desk.wait_idle(window)
    desk.qtbot.waitUntil(lambda: len(results(window)) == 2)
    bad = results(window)[0]
    assert (bad.outcome, bad.reason_code) == ("rejected", "tampered")
    model = window.intake.model
    assert [model.index(0, c).data() for c in (1, 2)] == ["rejected", "changed or incomplete"]
    assert "(reason code: tampered)" in model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert bad.receipt is not None and Path(bad.receipt).is_file()

    # The Municipalities tab: one bundle, number 1, status ok.
    window.tabs.setCurrentWidget(window.towns)
    assert cell(window, town.ags, "Bundles") == "1"
    assert cell(window, town.ags, "Last bundle") == "1"
    assert cell(window, town.ags, "Status") == "ok"

    # The Figures tab: the municipality's O.2.3 as the aggregate counts it.
    with desk.open() as ministry:
        expected = figures(ministry, language="en").indicators[town.ags]["O.2.3"].counted
    assert expected > 0
    window.tabs.setCurrentWidget(window.figures)
    tab = window.figures
    desk.qtbot.waitUntil(lambda: tab.result is not None and not tab.loading, timeout=10_000)
    tab.choose_scope(town.ags)
    tab.choose_table("ministry_indicators")
    row_number = tab.model.row_where(indicator="O.2.3")
    assert row_number >= 0
    assert tab.model.value(row_number, "counted") == expected
    headers = [
        tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())
    ]
    assert tab.view.model().index(row_number, headers.index("Counted")).data() == str(expected)
    tab.choose_scope(ALL)
    assert tab.model.row_where(indicator="O.2.3", ags=ALL) >= 0
    assert tab.model.row_where(ags=town.ags) == -1
    tab.choose_scope(EVERY)
    assert tab.model.row_where(ags=town.ags) >= 0

    # XLSX and PDF of the shown period.
    xlsx = desk.tmp / "figures.xlsx"
    desk.answer_save(xlsx)
    desk.click(tab.xlsx_button)
    desk.qtbot.waitUntil(lambda: tab.exporting is None and xlsx.exists(), timeout=10_000)
    book = openpyxl.load_workbook(xlsx)
    values = [c for sheet in book.worksheets for r in sheet.iter_rows(values_only=True) for c in r]
    assert "O.2.3" in values and town.ags in values and expected in values
    pdf = desk.tmp / "figures"
    desk.answer_save(pdf)
    desk.click(tab.pdf_button)
    written = desk.tmp / "figures.pdf"
    desk.qtbot.waitUntil(lambda: tab.exporting is None and written.exists(), timeout=30_000)
    assert written.read_bytes().startswith(b"%PDF")
    assert "Saved as" in window.statusBar().currentMessage()


def test_a_gap_is_held_then_filled_and_a_new_epoch_is_confirmed(desk: Desk) -> None:
    desk.init()
    town = desk.town()
    desk.register(town)
    desk.provision(town)
    window = desk.window()
    first = town.export("2025-10-01..2026-03-31")
    second = town.export("2026-04-01..2026-06-30")
    desk.import_files(window, [second.path])
    assert (results(window)[0].outcome, results(window)[0].reason_code) == ("held", "gap")
    window.tabs.setCurrentWidget(window.towns)
    assert cell(window, town.ags, "Status") == "gap: bundle held"
    assert window.towns.held_model.rowCount() == 1
    window.towns.held_view.selectRow(0)
    assert window.towns.skip_button.isEnabled() and not window.towns.confirm_button.isEnabled()

    desk.import_files(window, [first.path])
    assert [(r.outcome, r.seq) for r in results(window)[:2]] == [("imported", 1), ("imported", 2)]
    assert cell(window, town.ags, "Status") == "ok"
    assert cell(window, town.ags, "Last bundle") == "2"
    assert window.towns.held_model.rowCount() == 0

    # Restored onto another laptop: the next bundle waits for the operator.
    town.new_epoch()
    third = town.export()  # the days after the last bundle
    desk.import_files(window, [third.path])
    assert results(window)[0].reason_code == "new_epoch"
    window.tabs.setCurrentWidget(window.towns)
    assert cell(window, town.ags, "Status") == "new epoch waiting"
    window.towns.held_view.selectRow(0)
    desk.click(window.towns.confirm_button)
    dialog = desk.wait_for(lambda: window.towns.why_dialog)
    assert not dialog.ok.isEnabled()
    desk.qtbot.keyClicks(dialog.entry, "phone call with the guide, ticket 117")
    desk.click(dialog.ok)
    desk.wait_idle(window)
    row = results(window)[0]
    assert (row.outcome, row.seq) == ("imported", 1)
    assert window.tabs.currentWidget() is window.intake
    window.tabs.setCurrentWidget(window.towns)
    assert cell(window, town.ags, "Status") == "ok"
    assert window.towns.held_model.rowCount() == 0


def test_only_bundle_files_and_folders_are_taken_from_a_drop(desk: Desk) -> None:
    desk.init()
    window = desk.window()
    other = desk.tmp / "letter.pdf"
    other.write_bytes(b"%PDF-1.7")
    assert not desk.drop(window, [other])
    assert window.intake.model.rowCount() == 0 and not window.intake.running
    folder = desk.tmp / "stick"
    folder.mkdir()
    (folder / "junk.kisi").write_bytes(b"not a bundle")
    assert desk.drop(window, [folder])
    desk.wait_idle(window)
    desk.qtbot.waitUntil(lambda: window.intake.model.rowCount() == 1)
    assert (results(window)[0].file_name, results(window)[0].reason_code) == (
        f"sha256-{sha256_hex(b'not a bundle')[:16]}",  # not a bundle's name: not repeated
        "malformed",
    )
    # Files given while an import runs wait their turn; none is lost.
    names = [f"KISI_06534011_0123456789abcdef_00000{n}_20261125.kisi" for n in range(3)]
    more = [desk.tmp / name for name in names]
    for path in more:
        path.write_bytes(b"still not a bundle")
    for path in more:
        window.intake.import_paths([path])
    assert window.intake.running
    desk.wait_idle(window)
    assert [r.file_name for r in results(window)[:3]] == names[::-1]


def test_the_receipts_folder_is_remembered_for_the_ministry_folder(desk: Desk) -> None:
    desk.init()
    window = desk.window()
    window.tabs.setCurrentWidget(window.intake)
    assert str(desk.path / "receipts") in window.intake.folder_label.text()
    chosen = desk.tmp / "share"
    chosen.mkdir()
    desk.answer_folder(chosen)
    desk.click(window.intake.folder_button)
    window.close()
    again = desk.window()
    assert again.intake.receipts_dir() == chosen


def test_a_fork_is_quarantined_and_shown(desk: Desk) -> None:
    desk.init()
    town = desk.town()
    desk.register(town)
    desk.provision(town)
    copy = twin(desk, town)
    first = town.export("2025-10-01..2026-03-31")
    other = copy.export("2025-10-01..2026-06-30")  # bundle 1 again, other content
    window = desk.window()
    # Both in one selection: the copy's bundle (same name) put beside the first.
    beside = first.path.with_name(f"copy of {other.path.name}")
    shutil.copyfile(other.path, beside)
    desk.import_files(window, [first.path, beside])
    assert [(r.outcome, r.reason_code) for r in results(window)[:2]] == [
        ("imported", None),
        ("rejected", "fork"),
    ]
    assert window.intake.model.index(1, 2).data() == "fork in the sequence: quarantined"
    window.tabs.setCurrentWidget(window.towns)
    assert cell(window, town.ags, "Status") == "fork quarantined"
    assert town_row(window, town.ags).status == "quarantined_fork"
    held = window.towns.held_model
    assert held.index(0, 6).data() == "fork: quarantined"
    window.towns.held_view.selectRow(0)
    assert not window.towns.confirm_button.isEnabled() and not window.towns.skip_button.isEnabled()
    assert not window.towns.drop_button.isEnabled()  # a fork is evidence: never dropped


def test_a_held_bundle_is_dropped_with_a_reason_and_its_receipt_tells_the_town(
    desk: Desk,
) -> None:
    desk.init()
    town = desk.town()
    desk.register(town)
    desk.provision(town)
    window = desk.window()
    town.export("2025-10-01..2026-03-31")  # bundle 1 never reaches the ministry
    second = town.export("2026-04-01..2026-06-30")
    desk.import_files(window, [second.path])
    tab = window.towns
    window.tabs.setCurrentWidget(tab)
    assert not tab.drop_button.isEnabled()  # nothing selected
    tab.held_view.selectRow(0)
    assert tab.drop_button.isEnabled() and tab.drop_button.text() == "&Drop bundle…"

    # Cancelled: nothing happens.
    desk.click(tab.drop_button)
    dialog = desk.wait_for(lambda: tab.why_dialog)
    dialog.reject()
    desk.qtbot.waitUntil(lambda: tab.why_dialog is None)
    assert tab.held_model.rowCount() == 1

    desk.click(tab.drop_button)
    dialog = desk.wait_for(lambda: tab.why_dialog)
    assert "never count" in dialog.question.text() and "bundle 2" in dialog.question.text()
    assert dialog.label.text() == "&Reason (who decided it, and why):"
    assert not dialog.ok.isEnabled()
    desk.qtbot.keyClicks(dialog.entry, "laptop stolen, police report 17")
    desk.click(dialog.ok)
    desk.wait_idle(window)

    assert window.tabs.currentWidget() is window.intake
    row = results(window)[0]
    assert (row.outcome, row.reason_code, row.seq) == ("rejected", "dropped", 2)
    assert window.intake.model.index(0, 2).data() == "dropped by the operator: never counts"
    assert row.receipt is not None
    data = Path(row.receipt).read_bytes()
    with desk.open() as ministry:
        receipt = read_receipt(data, [ministry.receipt.public])
        logged = ministry.store.one("SELECT seq, why, dropped_by FROM dropped")
    assert (receipt.status, receipt.reason_code) == ("rejected", "dropped")
    assert "laptop stolen, police report 17" in receipt.message
    assert logged == {
        "seq": 2, "why": "laptop stolen, police report 17", "dropped_by": operator_name(),
    }  # fmt: skip
    window.tabs.setCurrentWidget(tab)
    assert tab.held_model.rowCount() == 0
    assert cell(window, town.ags, "Status") == "no bundle yet"

    # The town's app reads the receipt: bundle 2 is refused for good, and says why.
    outcome = apply_receipt(town.ws, data, row.receipt)
    assert (outcome.seq, outcome.status, outcome.reason_code) == (2, "rejected", "dropped")
    assert outcome.message.startswith("The ministry has removed this bundle for good")
    assert outcome.message.endswith("laptop stolen, police report 17")
