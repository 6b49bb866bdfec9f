"""The Sync page clicked through on a demo vault: provisioning, preview, export, receipts, CSV.

The ministry here is :class:`tests.support.sync.MinistryKeys`: its root key is not compiled
into the build, so the first provisioning file asks for the fingerprint, as for a real
municipality before the ministry's root ships with the app.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
)

from kisi_desktop.core.domain import Person
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.bundle_reader import open_bundle
from kisi_desktop.bundles.export import prepare_bundle
from kisi_desktop.bundles.provisioning import current_provisioning, fingerprint
from kisi_desktop.bundles.reasons import CODES, Rejected
from kisi_desktop.bundles.upload import NETWORK, RECEIPT_TYPE, Answer, Request, TransportError
from kisi_desktop.ministry.content_pack import make_content_pack
from kisi_desktop.reports.periods import parse_period

from kisi_desktop.ui.forms.access_keys import access_key
from kisi_desktop.ui.pages.registry import page_factories
from kisi_desktop.ui.pages.sync import SyncPage
from kisi_desktop.ui.pages.sync.fingerprint_dialog import FingerprintDialog
from kisi_desktop.ui.pages.sync.messages import error_text
from kisi_desktop.ui.pages.sync.receipt_import import ReceiptResultsDialog
from kisi_desktop.ui.tables.row_model import RowTableModel

from tests.gui.sync.conftest import Sync, pack_texts
from tests.support.access_keys import field_labels, keys_in
from tests.support.qt_tasks import HeldRunner
from tests.support.sync import MinistryKeys

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_ui_language("en")
    yield


def _column(model: RowTableModel, name: str) -> list[str]:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index(name)
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]


def _provision(sync: Sync, page: SyncPage, tmp_path: Path, **options: object) -> None:
    """Install the ministry's file through the page, fingerprint confirmed as by phone."""
    sync.answer_open(sync.provisioning_file(tmp_path, **options))  # type: ignore[arg-type]
    sync.click(page.provisioning.import_button)
    dialog = sync.wait_for(lambda: page.provisioning.fingerprint_dialog)
    sync.qtbot.keyClicks(dialog.entry, fingerprint(sync.keys.root.line))
    sync.click(_ok(dialog))
    sync.wait_for(lambda: page.provisioning.message)
    page.provisioning.message.close()


def _ok(dialog: FingerprintDialog) -> QPushButton:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def _export(sync: Sync, page: SyncPage, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    sync.answer_folder(folder)
    sync.click(page.export_button)
    sync.qtbot.waitUntil(lambda: page.writer.progress is not None)
    sync.qtbot.waitUntil(lambda: not page.writer.running, timeout=20_000)


# ---------------------------------------------------------------------------- provisioning


def test_provisioning_asks_for_the_fingerprint_and_refuses_a_wrong_one(
    sync: Sync, tmp_path: Path
) -> None:
    page = sync.page()
    assert "Not installed yet" in page.provisioning.state.text()
    assert not page.export_button.isEnabled()  # nothing to encrypt to yet
    assert any("provisioning file is not installed" in line for line in page.banner.lines)
    sync.answer_open(sync.provisioning_file(tmp_path))
    sync.click(page.provisioning.import_button)
    dialog = sync.wait_for(lambda: page.provisioning.fingerprint_dialog)
    wanted = fingerprint(sync.keys.root.line)
    assert dialog.fingerprint.text() == wanted  # shown, to read out to the ministry
    assert not _ok(dialog).isEnabled()
    sync.qtbot.keyClicks(dialog.entry, "0000 " * 8)  # not what the ministry said
    assert dialog.hint.isVisible() and not _ok(dialog).isEnabled()
    dialog.entry.clear()
    sync.qtbot.keyClicks(dialog.entry, wanted.lower().replace(" ", "-"))  # any spelling
    assert not dialog.hint.isVisible() and _ok(dialog).isEnabled()
    sync.click(_ok(dialog))
    message = sync.wait_for(lambda: page.provisioning.message)
    assert message.objectName() == "provisioningInstalled"
    assert "Provisioning version 1 installed" in message.text()
    assert current_provisioning(sync.ws) is not None
    assert "Version 1, valid until" in page.provisioning.state.text()
    assert wanted in page.provisioning.key.text()
    assert not page.provisioning.demo.isVisible()
    sync.settled(page)  # the preview is counted again
    assert page.export_button.isEnabled()
    assert not any("provisioning" in line for line in page.banner.lines)


def test_cancelling_the_fingerprint_installs_nothing(sync: Sync, tmp_path: Path) -> None:
    page = sync.page()
    sync.answer_open(sync.provisioning_file(tmp_path))
    sync.click(page.provisioning.import_button)
    dialog = sync.wait_for(lambda: page.provisioning.fingerprint_dialog)
    dialog.reject()
    sync.qtbot.waitUntil(lambda: page.provisioning.fingerprint_dialog is None)
    assert current_provisioning(sync.ws) is None


def test_a_demo_file_needs_an_explicit_yes_and_shows_demo_in_red(
    sync: Sync, tmp_path: Path
) -> None:
    page = sync.page()
    sync.answer_open(sync.provisioning_file(tmp_path, demo=True))
    sync.click(page.provisioning.import_button)
    dialog = sync.wait_for(lambda: page.provisioning.fingerprint_dialog)
    sync.qtbot.keyClicks(dialog.entry, fingerprint(sync.keys.root.line))
    sync.click(_ok(dialog))
    box = sync.wait_for(lambda: page.provisioning.demo_box)
    assert "DEMO keys" in box.text()
    assert box.defaultButton().objectName() == "demoCancel"  # Enter does not accept
    sync.click(box.findChild(QPushButton, "demoCancel"))
    assert current_provisioning(sync.ws) is None
    # Again, and this time yes.
    sync.click(page.provisioning.import_button)
    dialog = sync.wait_for(lambda: page.provisioning.fingerprint_dialog)
    sync.qtbot.keyClicks(dialog.entry, fingerprint(sync.keys.root.line))
    sync.click(_ok(dialog))
    box = sync.wait_for(lambda: page.provisioning.demo_box)
    sync.click(box.findChild(QPushButton, "demoAccept"))
    sync.wait_for(lambda: page.provisioning.message)
    doc = current_provisioning(sync.ws)
    assert doc is not None and doc.demo
    assert page.provisioning.demo.isVisible()
    assert "b00020" in page.provisioning.demo.styleSheet()  # red
    assert any("DEMO" in line for line in page.banner.lines)


def test_a_damaged_provisioning_file_is_refused_with_its_reason(sync: Sync, tmp_path: Path) -> None:
    page = sync.page()
    path = tmp_path / "broken.provisioning"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    sync.answer_open(path)
    sync.click(page.provisioning.import_button)
    message = sync.wait_for(lambda: page.provisioning.message)
    assert message.objectName() == "provisioningRefused"
    # Plain words and what to do (QA 26b), no ZIP details and no English reason code.
    assert "not a provisioning file from the ministry" in message.text()
    assert "Copy it again" in message.text()
    assert "ZIP" not in message.text() and "malformed" not in message.text()
    assert current_provisioning(sync.ws) is None


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_fingerprint_and_receipt_dialogs_label_their_fields_with_access_keys(
    sync: Sync, tmp_path: Path, language: str
) -> None:
    set_ui_language(language)
    page = sync.page()
    sync.answer_open(sync.provisioning_file(tmp_path))
    sync.click(page.provisioning.import_button)
    dialog = sync.wait_for(lambda: page.provisioning.fingerprint_dialog)
    labelled = [w for w in dialog.findChildren(QLabel) if w.buddy() is not None]
    assert labelled == [dialog.entry_label]
    keys = keys_in(dialog)
    assert access_key(dialog.entry_label.text()) and len(keys) == len(set(keys))
    dialog.reject()
    sync.answer_open_many([tmp_path / "ministry.provisioning"])  # not a receipt at all
    sync.keys.install(sync.ws)
    page.refresh()
    sync.click(page.receipts_button)
    results = sync.wait_for(lambda: page.results_dialog)
    assert field_labels(results) == []  # a summary and a table: nothing to jump to
    keys = keys_in(results)
    assert len(keys) == len(set(keys))


# ---------------------------------------------------------------------------- preview


def test_preview_shows_files_counts_and_the_privacy_sentence(sync: Sync, tmp_path: Path) -> None:
    sync.keys.install(sync.ws)
    page = sync.page()
    assert page.chooser.key() == "since-last"
    text = page.preview.summary.text()
    assert "Period: Oct 1, 2025 to Nov 25, 2026" in text
    assert "AMIF indicators (people counted once for the project): 10" in text
    assert "KISI figures, budget and needs (small numbers shown as <5): " in text
    assert "Participation rows" not in text
    assert page.preview.privacy.text() == (
        "No names, addresses, phone numbers, notes or birth dates leave the laptop."
    )
    assert not page.preview.sample_view.isVisible()
    # Another period: the preview follows after a short pause.
    page.chooser.choose("2026-Q1")
    sync.qtbot.waitUntil(lambda: "Jan 1, 2026 to Mar 31, 2026" in page.preview.summary.text())
    page.chooser.set_range(date(2026, 2, 1), date(2026, 2, 28))
    sync.qtbot.waitUntil(lambda: "Feb 1, 2026 to Feb 28, 2026" in page.preview.summary.text())
    assert page.chooser.key() == "custom"
    page.chooser.choose("PY2")  # still running: sent up to today, never beyond
    sync.qtbot.waitUntil(lambda: "Oct 1, 2026 to Nov 25, 2026" in page.preview.summary.text())


def test_the_preview_is_counted_on_a_worker_and_only_the_newest_is_shown(sync: Sync) -> None:
    held = HeldRunner()
    sync.runner = held  # the page's reads wait for release()
    sync.keys.install(sync.ws)
    page = sync.page()
    sync.qtbot.waitUntil(page.busy_note.isVisible)
    assert page.busy_note.label.text() == "Counting what the bundle would carry…"
    assert page.preview.payload is None and not page.export_button.isEnabled()
    page.chooser.choose("2026-Q1")  # chosen while the first preview is still counted
    sync.qtbot.waitUntil(lambda: len(held.held) == 2)
    held.release()  # the first answer arrives late: not shown, still counting
    assert page.preview.payload is None and page.busy_note.isVisible()
    held.release()
    assert not page.busy_note.isVisible()
    assert "Jan 1, 2026 to Mar 31, 2026" in page.preview.summary.text()
    assert page.export_button.isEnabled() and page.preview.isEnabled()
    # Another period: until its preview is counted, the old one is dimmed and Export waits
    # (it would write the new period, not the one still shown).
    page.chooser.choose("2026-Q2")
    assert not page.export_button.isEnabled() and not page.preview.isEnabled()  # the pause
    sync.qtbot.waitUntil(lambda: len(held.held) == 1)
    assert not page.export_button.isEnabled() and not page.preview.isEnabled()
    held.release()
    assert "Apr 1, 2026 to Jun 30, 2026" in page.preview.summary.text()
    assert page.export_button.isEnabled() and page.preview.isEnabled()


def test_preview_shows_the_participation_rows_the_ministry_asks_for(
    sync: Sync, tmp_path: Path
) -> None:
    sync.keys.install(sync.ws, participation_rows=True)
    page = sync.page()
    assert page.preview.sample_view.isVisible()
    model = page.preview.sample_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Pseudonym",
        "Year of birth",
        "Gender",
        "Nationality group",
        "Services",
        "Period",
    ]
    assert 1 <= model.rowCount() <= 5
    payload = page.preview.payload
    assert payload is not None
    rows = payload.counts()["data/participation.jsonl"]
    assert f"{rows} pseudonymous rows" in page.preview.sample_label.text()
    shown = " ".join(
        str(model.index(r, c).data())
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    )
    for person in sync.ws.list(Person)[:200]:
        assert person.name not in shown
    # In the guide's words, not the file's codes: "female", "language_course", ISO days.
    first = payload.files["data/participation.jsonl"][0]
    cells = [str(model.index(0, c).data()) for c in range(model.columnCount())]
    assert cells[0] == first["pseudonym"]
    assert cells[2] == {"female": "female", "male": "male", "non_binary": "non-binary",
                        "unknown": "not specified"}[first["gender"]]  # fmt: skip
    assert "_" not in cells[3] + cells[4]
    assert re.fullmatch(r"[A-Z][a-z]{2} \d+, \d{4} – [A-Z][a-z]{2} \d+, \d{4}", cells[5])
    set_ui_language("de")
    page.retranslate_ui()
    cells = [str(model.index(0, c).data()) for c in range(model.columnCount())]
    assert cells[2] in {"weiblich", "männlich", "divers", "keine Angabe"}
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} – \d\d\.\d\d\.\d{4}", cells[5])


# ---------------------------------------------------------------------------- export


def test_export_writes_the_bundle_and_a_ledger_row(sync: Sync, tmp_path: Path) -> None:
    page = sync.page()
    _provision(sync, page, tmp_path)
    stick = tmp_path / "stick"
    _export(sync, page, stick)
    message = sync.wait_for(lambda: page.writer.message)
    assert message.objectName() == "exportDone", message.text()
    files = list(stick.glob("*.kisi"))
    assert [f.name for f in files] == [f"KISI_06534011_{_device(sync)}_000001_20261125.kisi"]
    assert "Bundle 1 written" in message.text() and str(files[0]) in message.text()
    # Closed by keyboard, the message gives focus back to the bundle just written (Export
    # is off now: focus fell to the provisioning import before).
    sync.qtbot.keyClick(message, Qt.Key.Key_Return)
    # (the window's focus widget: where Qt puts the keyboard focus when it is active)
    sync.qtbot.waitUntil(lambda: page.window().focusWidget() is page.ledger_view)
    assert page.selected_entry() == sync.ws.list(BundleEntry)[0].id
    # The ministry can open it: our identity, the municipality's key.
    entry = sync.ws.list(BundleEntry)[0]
    opened = open_bundle(
        files[0].read_bytes(),
        identity=str(sync.keys.identity),
        own_recipient=sync.keys.recipient,
        key_for=lambda _ags: _public_key(sync),
    )
    assert opened.manifest_sha256 == entry.manifest_sha256
    assert entry.status == "exported"
    assert _column(page.ledger_model, "Status") == ["exported"]
    assert _column(page.ledger_model, "No.") == ["1"]
    assert _column(page.ledger_model, "File") == [files[0].name]
    assert _column(page.ledger_model, "Ministry receipt") == ["none yet"]
    assert page.last_dir == stick
    # Nothing new since: the default period says so and the button waits.
    assert "Nothing new to export" in page.preview.summary.text()
    assert not page.export_button.isEnabled()


def _device(sync: Sync) -> str:
    from kisi_desktop.bundles.keys import signer

    return signer(sync.ws).device_id


def _public_key(sync: Sync) -> object:
    from kisi_desktop.bundles.keys import signer

    return signer(sync.ws).public


def test_cancel_while_writing_keeps_the_bundle_for_the_next_export(
    sync: Sync, tmp_path: Path
) -> None:
    held = HeldRunner()
    sync.runner = held
    page = sync.page()
    sync.keys.install(sync.ws)
    page.refresh()
    while page.reader.busy:  # the previews, until the newest one is counted
        held.release()
    stick = tmp_path / "stick"
    stick.mkdir()
    sync.answer_folder(stick)
    sync.click(page.export_button)
    sync.qtbot.waitUntil(lambda: bool(held.held))  # recorded; the write waits on the "worker"
    progress = page.writer.progress
    assert progress is not None and progress.isVisible()
    assert not page.export_button.isEnabled()
    cancel = progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    sync.click(cancel)
    assert progress.labelText() == "Cancelling…"
    held.release()
    message = sync.wait_for(lambda: page.writer.message)
    assert message.objectName() == "exportCancelled"
    assert "Bundle 1 is recorded" in message.text()
    assert list(stick.iterdir()) == []
    assert _column(page.ledger_model, "Status") == ["prepared, not yet written"]
    while page.reader.busy:  # a preview after the write, if the period has anything to count
        held.release()
    assert "was recorded but never written" in page.preview.summary.text()
    # The next export writes that bundle, not a new one.
    message.close()
    sync.click(page.export_button)
    sync.qtbot.waitUntil(lambda: bool(held.held))
    held.release()
    message = sync.wait_for(lambda: page.writer.message)
    assert "prepared earlier" in message.text()
    assert len(list(stick.glob("*_000001_*.kisi"))) == 1
    assert _column(page.ledger_model, "Status") == ["exported"]


def _sent_once(sync: Sync, tmp_path: Path) -> SyncPage:
    """The Sync page after provisioning and one bundle written to a stick (message closed)."""
    page = sync.page()
    _provision(sync, page, tmp_path)
    _export(sync, page, tmp_path / "stick")
    page.writer.message.close()
    return page


def _dates_shown(page: SyncPage) -> tuple[str, str]:
    return page.chooser.start_edit.edit.text(), page.chooser.end_edit.edit.text()


def test_after_a_restart_the_period_fields_show_what_they_showed_after_the_export(
    sync: Sync, tmp_path: Path
) -> None:
    """Nothing new to export: the fields show the last bundle's days, not two empty boxes."""
    page = _sent_once(sync, tmp_path)
    after_export = _dates_shown(page)
    assert after_export == ("2025-10-01", "2026-11-25")
    sync.session.lock()  # the app quits ...
    sync.unlock()  # ... and starts again: a new window, a new Sync page
    restarted = sync.page()
    assert restarted.chooser.key() == "since-last"
    assert _dates_shown(restarted) == after_export
    assert "Nothing new to export" in restarted.preview.summary.text()
    assert not restarted.export_button.isEnabled()


def test_write_again_and_save_the_ledger_as_csv(sync: Sync, tmp_path: Path) -> None:
    page = _sent_once(sync, tmp_path)
    # The bundle just written is chosen, so "Write again" is at hand for a second stick.
    assert page.again_button.isEnabled()
    page.ledger_view.selectRow(0)
    assert page.again_button.isEnabled()
    other = tmp_path / "second-stick"
    other.mkdir()
    sync.answer_folder(other)
    sync.click(page.again_button)
    sync.qtbot.waitUntil(lambda: not page.writer.running, timeout=10_000)
    assert sync.wait_for(lambda: page.writer.message).objectName() == "exportDone"
    again = list(other.glob("*.kisi"))
    first = [f.name for f in (tmp_path / "stick").glob("*.kisi")]
    assert [f.name for f in again] == first
    assert page.ledger_model.rowCount() == 1  # the same bundle, not a new one
    target = tmp_path / "ledger"
    sync.answer_save(target)
    sync.click(page.csv_button)
    written = target.with_suffix(".csv").read_text("utf-8")
    cells = {row["column"]: row["value"] for row in csv.DictReader(io.StringIO(written))}
    assert cells["file"] == again[0].name
    assert cells["status"] == "exported"
    assert cells["seq"] == "1"


def test_days_already_sent_say_where_to_write_that_bundle_again(sync: Sync, tmp_path: Path) -> None:
    """The window says which button writes a bundle again; `kisi export --again` is the
    command's own hint (tests/unit/cli/test_ministry_cli.py), never shown here."""
    page = _sent_once(sync, tmp_path)
    page.chooser.choose("2026-Q1")
    sync.qtbot.waitUntil(lambda: "Bundle 1 already covers" in page.preview.summary.text())
    text = page.preview.summary.text()
    assert text.startswith("Bundle 1 already covers Oct 1, 2025 to Nov 25, 2026;")
    assert "To write it again: select it under “Bundles sent”, then “Write again…”." in text
    assert "--again" not in text and "kisi " not in text
    assert not page.export_button.isEnabled()


def test_a_missing_provisioning_file_says_which_button_imports_it(sync: Sync) -> None:
    with pytest.raises(Rejected) as refused:
        prepare_bundle(sync.ws, parse_period("2026-Q1"))
    text = error_text(refused.value)
    assert "import it before the first export." in text
    assert "To import it: “Import provisioning file…” on this page." in text
    assert "kisi provision" not in text and "Settings" not in text


# ---------------------------------------------------------------------------- receipts


def test_a_receipt_confirms_the_bundle_and_a_tampered_one_shows_its_reason(
    sync: Sync, tmp_path: Path
) -> None:
    page = _sent_once(sync, tmp_path)
    entry = sync.ws.list(BundleEntry)[0]
    good = tmp_path / "bundle.receipt"
    good.write_bytes(sync.receipt(entry.manifest_sha256, entry.seq))
    forged = tmp_path / "forged.receipt"  # signed with another key than the ministry's
    forged.write_bytes(sync.receipt(entry.manifest_sha256, entry.seq, keys=MinistryKeys()))
    cut = tmp_path / "cut.receipt"
    cut.write_bytes(good.read_bytes()[:-7])
    sync.answer_open_many([good, forged, cut])
    sync.click(page.receipts_button)
    dialog = sync.wait_for(lambda: page.results_dialog)
    assert isinstance(dialog, ReceiptResultsDialog)
    rows = dialog.texts()
    assert [r[0] for r in rows] == ["bundle.receipt", "forged.receipt", "cut.receipt"]
    assert rows[0][1:4] == ["1", "bundle confirmed", ""]
    assert rows[1][2:4] == ["file refused", "The receipt is not signed by the ministry."]
    assert rows[2][2] == "file refused" and rows[2][3] not in CODES and rows[2][3]
    assert dialog.summary.text() == ("3 receipt files read: 1 bundle confirmed, 2 files refused.")
    assert _column(page.ledger_model, "Status") == ["confirmed"]
    assert _column(page.ledger_model, "Ministry receipt")[0].startswith("imported, Nov 26, 2026")
    assert sync.ws.get(BundleEntry, entry.id).status == "confirmed"


def test_the_receipt_results_speak_german_sentences_not_reason_codes(
    sync: Sync, tmp_path: Path
) -> None:
    """The guide reads what went wrong, in German and in whole words (QA: "malformed")."""
    page = _sent_once(sync, tmp_path)
    entry = sync.ws.list(BundleEntry)[0]
    good = sync.receipt(entry.manifest_sha256, entry.seq)
    cut = tmp_path / "kaputt.receipt"
    cut.write_bytes(good[:-7])
    gap = tmp_path / "luecke.receipt"
    gap.write_bytes(
        sync.receipt(entry.manifest_sha256, entry.seq, status="rejected", reason_code="gap")
    )
    set_ui_language("de")
    sync.answer_open_many([cut, gap])
    sync.click(page.receipts_button)
    dialog = sync.wait_for(lambda: page.results_dialog)
    headers = [
        dialog.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(dialog.model.columnCount())
    ]
    assert headers[3] == "Grund"
    rows = dialog.texts()
    assert rows[0][2:4] == ["Datei abgelehnt", "Die Datei ist beschädigt oder keine Quittung."]
    assert rows[1][3] == "Beim Ministerium fehlt noch ein früheres Bündel."
    assert not {cell for row in rows for cell in row} & CODES
    reason = dialog.model.index(0, 3)
    assert "malformed" in reason.data(Qt.ItemDataRole.ToolTipRole)  # to quote on the phone
    assert dialog.summary.text() == (
        "2 Quittungsdateien gelesen: 0 Bündel bestätigt, 1 Datei abgelehnt."
    )
    assert "(en)" not in dialog.summary.text()


def test_a_refusal_by_the_ministry_shows_in_the_ledger(sync: Sync, tmp_path: Path) -> None:
    page = _sent_once(sync, tmp_path)
    entry = sync.ws.list(BundleEntry)[0]
    refused = tmp_path / "refused.receipt"
    refused.write_bytes(
        sync.receipt(entry.manifest_sha256, entry.seq, status="rejected", reason_code="gap")
    )
    sync.answer_open_many([refused])
    sync.click(page.receipts_button)
    dialog = sync.wait_for(lambda: page.results_dialog)
    assert dialog.texts()[0][2:4] == [
        "the ministry refused the bundle",
        "An earlier bundle is missing at the ministry.",
    ]
    assert _column(page.ledger_model, "Status") == ["refused by the ministry"]
    assert _column(page.ledger_model, "Ministry receipt") == ["refused, Nov 26, 2026"]
    receipt = page.ledger_model.index(0, 4)
    assert receipt.data(Qt.ItemDataRole.ToolTipRole).startswith(
        "The ministry is still waiting for an earlier bundle"
    )


def test_a_bundle_the_ministry_dropped_is_explained_to_the_guide(
    sync: Sync, tmp_path: Path
) -> None:
    """``dropped`` means more than a fault in the file: the figures will never count."""
    page = _sent_once(sync, tmp_path)
    entry = sync.ws.list(BundleEntry)[0]
    dropped = tmp_path / "dropped.receipt"
    ministry_says = "Dropped by the ministry: ... Reason: laptop reported stolen"
    dropped.write_bytes(
        sync.receipt(entry.manifest_sha256, entry.seq, status="rejected",
                     reason_code="dropped", message=ministry_says)
    )  # fmt: skip
    sync.answer_open_many([dropped])
    sync.click(page.receipts_button)
    dialog = sync.wait_for(lambda: page.results_dialog)
    row = dialog.texts()[0]
    assert row[2:4] == [
        "the ministry refused the bundle",
        "The ministry removed the bundle for good.",
    ]
    assert row[4] == (
        "The ministry has removed this bundle for good: its figures will never count. The "
        f"ministry's message says why; ask the ministry whether to send these days again. "
        f"{ministry_says}"
    )
    assert _column(page.ledger_model, "Ministry receipt") == ["refused, Nov 26, 2026"]
    receipt = page.ledger_model.index(0, 4)
    assert "will never count" in receipt.data(Qt.ItemDataRole.ToolTipRole)
    set_ui_language("de")
    assert receipt.data(Qt.ItemDataRole.ToolTipRole).startswith(
        "Das Ministerium hat dieses Bündel endgültig verworfen"
    )


# ---------------------------------------------------------------------------- warnings, packs


def test_overdue_receipts_are_warned_about(sync: Sync, tmp_path: Path) -> None:
    page = sync.page()
    _provision(sync, page, tmp_path)
    assert page.banner.lines[0] == "No bundle has been sent to the ministry yet."
    _export(sync, page, tmp_path / "stick")
    page.writer.message.close()
    assert not page.banner.isVisible()
    sync.clock.advance(days=20)
    page.refresh()
    assert page.banner.isVisible()
    assert "No receipt yet for bundle 1 (sent more than 14 days ago)." in page.banner.lines


def test_content_pack_import_and_the_expired_pack_warning(sync: Sync, tmp_path: Path) -> None:
    sync.keys.install(sync.ws)
    page = sync.page()
    assert "No content pack" in page.content.state.text()
    data = make_content_pack(
        sync.keys.content.private,
        sync.keys.content.key_id,
        pack_texts(tmp_path / "texts"),
        3,
        date(2026, 12, 31),
        created=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
    )
    pack = tmp_path / "pack.zip"
    pack.write_bytes(data)
    sync.answer_open(pack)
    changed: list[str] = []
    page.changed.connect(changed.append)
    sync.click(page.content.import_button)
    message = sync.wait_for(lambda: page.content.message)
    assert message.objectName() == "contentPackInstalled", message.text()
    assert "version 3 installed" in message.text()
    assert "No handout text changed." in message.text()  # the shipped welcome texts
    assert "version 3" in page.content.state.text()
    assert changed == ["content_pack"]
    message.close()
    # The same file again: nothing changes. An older one: refused with its reason.
    older = tmp_path / "older.zip"
    older.write_bytes(
        make_content_pack(
            sync.keys.content.private,
            sync.keys.content.key_id,
            pack_texts(tmp_path / "texts2"),
            2,
            date(2026, 12, 31),
            created=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        )
    )
    sync.answer_open(older)
    sync.click(page.content.import_button)
    message = sync.wait_for(lambda: page.content.message)
    assert message.objectName() == "contentPackRefused"
    assert "older than the installed version" in message.text()
    assert "rollback" not in message.text()
    message.close()
    # The office stays offline past the pack's expiry: still in use, with a warning.
    sync.clock.advance(days=50)
    page.refresh()
    assert any(line.startswith("Contents not updated since") for line in page.banner.lines)


# ---------------------------------------------------------------------------- the page itself


def test_lock_clears_everything_and_closes_questions(sync: Sync, tmp_path: Path) -> None:
    page = sync.page()
    _provision(sync, page, tmp_path)
    _export(sync, page, tmp_path / "stick")
    sync.answer_open(sync.provisioning_file(tmp_path, name="v2.provisioning", version=2))
    assert page.ledger_model.rowCount() == 1
    sync.session.lock()
    assert page.ledger_model.rowCount() == 0
    assert page.preview.payload is None and page.preview.summary.text() == ""
    assert page.provisioning.doc is None and page.provisioning.key.text() == ""
    assert page.writer.message is None
    assert not page.export_button.isEnabled() and not page.receipts_button.isEnabled()
    assert not any(
        isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
    )
    sync.unlock()
    assert page.ledger_model.rowCount() == 1


def test_every_action_has_a_mnemonic_and_an_accessible_name(sync: Sync) -> None:
    page = sync.page()
    buttons = [b for b in page.findChildren(QAbstractButton) if b.text()]
    assert len(buttons) >= 6
    for button in buttons:
        assert "&" in button.text(), button.text()
        assert button.accessibleName(), button.text()
    mnemonics = [b.text()[b.text().index("&") + 1].lower() for b in buttons]
    labels = [lbl for lbl in page.findChildren(QLabel) if lbl.buddy() is not None]
    mnemonics += [lbl.text()[lbl.text().index("&") + 1].lower() for lbl in labels]
    assert len(mnemonics) == len(set(mnemonics)), mnemonics
    for view in (page.ledger_view, page.preview.sample_view, page.chooser.combo):
        assert view.accessibleName()


def test_the_ledger_model_passes_the_model_tester(sync: Sync, tmp_path: Path) -> None:
    page = sync.page()
    _provision(sync, page, tmp_path)
    _export(sync, page, tmp_path / "stick")
    ModelTester(None).check(page.ledger_model)
    ModelTester(None).check(page.preview.sample_model)


def test_the_page_follows_needs_in_the_navigation() -> None:
    keys = [factory.key for factory in page_factories()]  # type: ignore[attr-defined]
    assert keys.index("sync") == keys.index("needs") + 1


def test_the_page_reads_nothing_while_hidden(sync: Sync, tmp_path: Path) -> None:
    page = sync.page()
    page.hide()
    sync.keys.install(sync.ws)
    page.refresh()  # as after another page's write
    assert page.provisioning.doc is None  # hidden: later
    page.show()
    sync.qtbot.waitExposed(page)
    assert page.provisioning.doc is not None


# ---------------------------------------------------------------------------- upload

INTAKE = {"intake_url": "https://intake.example.org", "spki_pins": ("ab" * 32,)}


def test_upload_sends_on_a_worker_and_the_receipt_confirms(sync: Sync, tmp_path: Path) -> None:
    sync.keys.install(sync.ws, **INTAKE)  # type: ignore[arg-type]
    page = sync.page()
    assert page.upload_button.isVisible() and not page.upload_button.isEnabled()
    _export(sync, page, tmp_path / "stick")
    page.writer.message.close()
    assert page.upload_button.isEnabled()
    entry = sync.ws.list(BundleEntry)[0]
    receipts = {entry.file_name: sync.receipt(entry.manifest_sha256, entry.seq)}
    threads: list[str] = []

    def ministry(request: Request) -> Answer:
        threads.append(threading.current_thread().name)
        assert request.url == "https://intake.example.org/v1/bundles"
        assert request.pins == ("ab" * 32,)
        return Answer(200, {"content-type": RECEIPT_TYPE}, receipts[request.file_name])

    page.uploader.transport = ministry
    sync.click(page.upload_button)
    message = sync.wait_for(lambda: page.uploader.message)
    assert threads and threads[0] != threading.main_thread().name  # not on the UI thread
    assert message.objectName() == "uploadDone"
    assert message.text().startswith("Bundle 1: confirmed")
    assert _column(page.ledger_model, "Status") == ["confirmed"]
    assert not page.upload_button.isEnabled()  # nothing left to send


def test_upload_without_a_connection_keeps_the_bundle_pending(sync: Sync, tmp_path: Path) -> None:
    sync.keys.install(sync.ws, **INTAKE)  # type: ignore[arg-type]
    page = sync.page()
    _export(sync, page, tmp_path / "stick")
    page.writer.message.close()

    def offline(request: Request) -> Answer:
        raise TransportError(NETWORK, "No connection to the intake server.")

    page.uploader.transport = offline
    sync.click(page.upload_button)
    message = sync.wait_for(lambda: page.uploader.message)
    assert "Bundle 1: not delivered, tried again later" in message.text()
    assert "No connection to the intake server." in message.text()
    entry = sync.ws.list(BundleEntry)[0]
    assert entry.status == "exported" and entry.upload_attempts == 1
    assert _column(page.ledger_model, "Status") == ["exported"]
    status_column = 3
    tip = page.ledger_model.index(0, status_column).data(Qt.ItemDataRole.ToolTipRole)
    assert "No connection" in tip


def test_no_upload_button_without_an_intake_server(sync: Sync) -> None:
    sync.keys.install(sync.ws)
    page = sync.page()
    assert not page.upload_button.isVisible()


def test_a_lock_while_writing_reports_nothing_and_keeps_the_bundle(
    sync: Sync, tmp_path: Path
) -> None:
    held = HeldRunner()
    sync.runner = held
    sync.keys.install(sync.ws)
    page = sync.page()
    held.release()  # the preview, read on a worker
    stick = tmp_path / "stick"
    stick.mkdir()
    sync.answer_folder(stick)
    sync.click(page.export_button)
    sync.qtbot.waitUntil(lambda: bool(held.held))
    progress = page.writer.progress
    assert progress is not None
    sync.session.lock()
    assert page.writer.progress is None and not page.writer.running
    held.release()  # the write was cancelled by the lock before it started
    assert page.writer.message is None
    assert list(stick.iterdir()) == []
    sync.unlock()
    assert _column(page.ledger_model, "Status") == ["prepared, not yet written"]


def test_the_timer_uploads_due_bundles_quietly_and_respects_the_back_off(
    sync: Sync, tmp_path: Path
) -> None:
    sync.keys.install(sync.ws, **INTAKE)  # type: ignore[arg-type]
    page = sync.page()
    assert page.auto_upload.isActive()
    _export(sync, page, tmp_path / "stick")
    page.writer.message.close()
    calls: list[str] = []

    def offline(request: Request) -> Answer:
        calls.append(request.file_name)
        raise TransportError(NETWORK, "No connection to the intake server.")

    page.uploader.transport = offline
    page.upload_when_due()  # what the timer does
    sync.qtbot.waitUntil(lambda: sync.ws.list(BundleEntry)[0].upload_attempts == 1)
    assert page.uploader.message is None  # no dialog for a round nobody asked for
    page.upload_when_due()  # back-off not over: nothing is sent
    sync.qtbot.waitUntil(lambda: not page.uploader.running)
    assert len(calls) == 1
    entry = sync.ws.list(BundleEntry)[0]
    receipts = {entry.file_name: sync.receipt(entry.manifest_sha256, entry.seq)}

    def ministry(request: Request) -> Answer:
        return Answer(200, {"content-type": RECEIPT_TYPE}, receipts[request.file_name])

    page.uploader.transport = ministry
    sync.ws.clock.advance(hours=7)  # type: ignore[attr-defined]
    page.upload_when_due()
    sync.qtbot.waitUntil(lambda: sync.ws.list(BundleEntry)[0].status == "confirmed")
    assert page.uploader.message is None
    sync.ws.lock()
    page.set_workspace(None)
    assert not page.auto_upload.isActive()


def test_while_a_worker_holds_the_workspace_nothing_is_sent_or_recorded(
    sync: Sync, tmp_path: Path
) -> None:
    """Renewing every key writes the vault on a worker (``Session.lend``): the timer's
    round waits for the next, and answers that arrive meanwhile are recorded after."""
    sync.keys.install(sync.ws, **INTAKE)  # type: ignore[arg-type]
    page = sync.page()
    _export(sync, page, tmp_path / "stick")
    page.writer.message.close()
    entry = sync.ws.list(BundleEntry)[0]
    receipts = {entry.file_name: sync.receipt(entry.manifest_sha256, entry.seq)}
    calls: list[str] = []
    answer, lent_back = threading.Event(), threading.Event()

    def ministry(request: Request) -> Answer:
        calls.append(request.file_name)
        assert answer.wait(10)
        return Answer(200, {"content-type": RECEIPT_TYPE}, receipts[request.file_name])

    page.uploader.transport = ministry
    page.upload_when_due()  # sent just before the renewal began
    sync.qtbot.waitUntil(lambda: len(calls) == 1)
    assert sync.session.lend(lambda _ws: lent_back.wait(10), lambda _r: None, lambda _e: None)
    page.upload_when_due()  # the next round: nothing is sent
    answer.set()
    sync.qtbot.wait(500)  # the answer is back on the UI thread by now, and waits
    assert page.uploader.running and len(calls) == 1
    assert sync.ws.list(BundleEntry)[0].status != "confirmed"
    lent_back.set()
    sync.qtbot.waitUntil(lambda: sync.ws.list(BundleEntry)[0].status == "confirmed")
    assert not page.uploader.running and len(calls) == 1


def test_a_language_switch_while_hidden_rewords_the_warnings_when_shown(
    sync: Sync, tmp_path: Path
) -> None:
    page = sync.page()
    _provision(sync, page, tmp_path)
    assert page.banner.lines[0] == "No bundle has been sent to the ministry yet."
    page.hide()
    set_ui_language("de")
    page.retranslate_ui()
    page.show()
    sync.qtbot.waitUntil(lambda: not page.banner.lines[0].startswith("No bundle"), timeout=2000)
    assert page.banner.lines[0].startswith("Es wurde noch kein Bündel")


def test_a_refused_upload_says_why_in_words_not_in_its_reason_code(
    sync: Sync, tmp_path: Path
) -> None:
    sync.keys.install(sync.ws, **INTAKE)  # type: ignore[arg-type]
    page = sync.page()
    _export(sync, page, tmp_path / "stick")
    page.writer.message.close()
    entry = sync.ws.list(BundleEntry)[0]
    refusal = sync.receipt(entry.manifest_sha256, entry.seq, status="rejected",
                           reason_code="revoked_key", message="")  # fmt: skip

    def ministry(request: Request) -> Answer:
        return Answer(200, {"content-type": RECEIPT_TYPE}, refusal)

    page.uploader.transport = ministry
    sync.click(page.upload_button)
    message = sync.wait_for(lambda: page.uploader.message)
    assert "Bundle 1: refused" in message.text()
    assert "signed with this laptop's key" in message.text()
    assert "revoked_key" not in message.text()
