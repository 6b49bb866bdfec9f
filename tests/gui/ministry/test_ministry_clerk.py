"""What the ministry's clerk reads and types in the ministry window, in German.

A QA pass as the Sachbearbeiterin in Wiesbaden would do it: bundles from devices made to
order (``tests.unit.ministry.conftest.Device``: gaps, forks, unknown municipalities), files
that are no bundles or vanished, and the words the window answers with.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QMessageBox

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles.manifest import sha256_hex
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.content_pack import made_packs, make_and_record

from kisi_desktop.ui.ministry.pack_maker import PackMaker
from kisi_desktop.ui.ministry.window import MinistryWindow

from tests.gui.ministry.conftest import Desk, results
from tests.gui.sync.conftest import pack_texts
from tests.unit.ministry.conftest import Device

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def german() -> Iterator[None]:
    set_ui_language("de")
    yield
    set_ui_language("en")


def _period(n: int) -> tuple[date, date]:
    start = date(2026, 1, 1) + timedelta(days=10 * n)
    return start, start + timedelta(days=9)


def _bundle(desk: Desk, device: Device, name: str, n: int, **options: object) -> Path:
    with desk.open() as ministry:
        data = device.bundle([ministry.recipient], period=_period(n), **options)
    path = desk.tmp / "stick" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def _registered_device(desk: Desk, ags: str = "06534011", name: str = "Kirchhain") -> Device:
    device = Device(ags)
    with desk.open() as ministry:
        device.register(ministry, name)
    return device


def _shown_cells(window: MinistryWindow, row: int) -> list[str]:
    model = window.intake.model
    return [str(model.index(row, c).data() or "") for c in range(model.columnCount())]


def test_the_intake_table_says_why_in_words_not_in_reason_codes(desk: Desk) -> None:
    desk.init()
    stranger = Device("06534099")  # never registered
    window = desk.window()
    junk = desk.tmp / "stick" / "Notizen.kisi"
    junk.parent.mkdir()
    junk.write_bytes(b"kein Buendel")
    unknown = _bundle(desk, stranger, "fremd.kisi", 0)
    desk.import_files(window, [junk, unknown])
    shown = [_shown_cells(window, 0), _shown_cells(window, 1)]
    codes = {"malformed", "unknown_municipality"}
    assert not [c for row in shown for c in row if c in codes], shown
    assert "beschädigt oder kein KISI-Bündel" in shown[0]
    assert "Kommune nicht registriert" in shown[1]
    headers = [
        window.intake.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(window.intake.model.columnCount())
    ]
    assert "Code" not in headers


def test_a_file_that_vanished_is_explained_in_german(desk: Desk) -> None:
    desk.init()
    window = desk.window()
    gone = desk.tmp / "weg.kisi"
    window.tabs.setCurrentWidget(window.intake)
    window.intake.import_paths([gone])
    desk.wait_idle(window)
    desk.qtbot.waitUntil(lambda: window.intake.model.rowCount() == 1)
    row = results(window)[0]
    assert row.outcome == "unreadable"
    assert "No such file" not in row.message
    assert row.message == "Die Datei kann nicht gelesen werden: gibt es nicht"


def test_a_bundle_held_for_one_missing_bundle_says_so_in_good_german(desk: Desk) -> None:
    desk.init()
    device = _registered_device(desk)
    window = desk.window()
    _bundle(desk, device, "b1.kisi", 0)  # made, never sent
    third = _bundle(desk, device, "b2.kisi", 1)
    desk.import_files(window, [third])
    row = results(window)[0]
    assert (row.outcome, row.reason_code) == ("held", "gap")
    assert row.message == (
        "Zurückgestellt: Bündel 1 fehlt. Es wird von selbst importiert, sobald die Lücke "
        "geschlossen ist."
    )


def _mnemonic(text: str) -> str | None:
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else None


@pytest.mark.parametrize("language", ["de", "en"])
def test_alt_keys_on_every_tab_reach_one_thing_each(desk: Desk, language: str) -> None:
    """Alt+A on the Figures tab opened the "Ansicht" menu or the "Anzeigen" list, by turns."""
    set_ui_language(language)
    desk.init()
    window = desk.window()
    window.retranslate_ui()
    menus = [a.text() for a in window.menuBar().actions()]
    clashes = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        desk.qtbot.wait(10)
        tab = window.tabs.currentWidget()
        texts = list(menus)
        texts += [b.text() for b in tab.findChildren(QAbstractButton) if b.isVisible()]
        texts += [
            label.text()
            for label in tab.findChildren(QLabel)
            if label.isVisible() and label.buddy() is not None
        ]
        keys = [k for k in map(_mnemonic, texts) if k]
        doubled = {k for k in keys if keys.count(k) > 1}
        if doubled:
            clashes[window.tabs.tabText(index)] = sorted(
                t for t in texts if _mnemonic(t) in doubled
            )
    assert clashes == {}


def test_a_second_guides_laptop_is_registered_beside_the_first_not_in_its_place(
    desk: Desk,
) -> None:
    """Bensheim has two guides. Before, the dialog only offered to replace the registered
    key for a known AGS, which left the first guide's laptop refused from then on."""
    desk.init()
    first = _registered_device(desk, "06431002", "Bensheim")
    second = Device("06431002")
    window = desk.window()
    window.tabs.setCurrentWidget(window.towns)
    desk.click(window.towns.register_button)
    dialog = desk.wait_for(lambda: window.towns.register_dialog)
    desk.qtbot.keyClicks(dialog.name, "Bensheim")
    desk.qtbot.keyClicks(dialog.ags, "06431002")
    desk.qtbot.keyClicks(dialog.key, second.public.base64())
    assert dialog.replace.isVisible() and dialog.add_device.isVisible()
    desk.click(dialog.ok)
    assert dialog.isVisible()
    assert "Weiteres Gerät" in dialog.error_text("ags")
    dialog.add_device.setChecked(True)
    dialog.replace.setChecked(True)  # one or the other, never both
    assert not dialog.add_device.isChecked()
    dialog.add_device.setChecked(True)
    assert not dialog.replace.isChecked()
    desk.click(dialog.ok)
    desk.qtbot.waitUntil(lambda: window.towns.register_dialog is None)
    message = window.statusBar().currentMessage()
    assert "Weiteres Gerät" in message and second.public.key_id_hex() in message
    key_cell = window.towns.model.index(window.towns.model.row_index("06431002"), 2)
    tooltip = key_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert second.public.key_id_hex() in tooltip

    # Both laptops' bundles are taken in.
    paths = [_bundle(desk, first, "erstes.kisi", 0), _bundle(desk, second, "zweites.kisi", 0)]
    desk.import_files(window, paths)
    assert [r.outcome for r in results(window)] == ["imported", "imported"]


def _first_pack_made(desk: Desk, window: MinistryWindow, texts: Path) -> PackMaker:
    """The Distribute tab's pack maker, after it made version 1 of ``texts`` as v1.zip
    (the folder and the file chosen in the real dialogs' places)."""
    window.tabs.setCurrentWidget(window.distribute)
    maker = window.distribute.pack
    desk.answer_folder(texts)
    desk.click(maker.folder_button)
    desk.answer_save(desk.tmp / "v1.zip")
    desk.click(maker.save_button)
    desk.qtbot.waitUntil(lambda: not maker.running, timeout=10_000)
    assert (desk.tmp / "v1.zip").is_file(), maker.error.text()
    return maker


def test_a_content_pack_version_that_the_apps_would_refuse_is_not_made(desk: Desk) -> None:
    """After version 1 went out, the spin box let the clerk make version 1 again with other
    texts: the apps refuse it ("same version, other content") and keep the old texts."""
    desk.init()
    window = desk.window()
    maker = _first_pack_made(desk, window, pack_texts(desk.tmp / "texts"))
    maker.version.setValue(1)
    desk.click(maker.save_button)  # no file dialog is answered: none may open
    assert not maker.running
    assert maker.error.isVisible()
    assert maker.error.text() == (
        "Version 1 ist nicht höher als das zuletzt hier erstellte Inhaltspaket (Version 1): "
        "Die Apps würden es ablehnen. Wählen Sie Version 2 oder höher."
    )
    maker.version.setValue(2)
    assert not maker.error.isVisible()


def test_the_figures_are_exported_as_csv_from_the_window(desk: Desk) -> None:
    """CSV was only on the command line (``kisi ministry report --csv``); the clerk's
    statistics colleagues read CSV."""
    desk.init()
    device = _registered_device(desk)
    window = desk.window()
    desk.import_files(window, [_bundle(desk, device, "b1.kisi", 0)])
    window.tabs.setCurrentWidget(window.figures)
    tab = window.figures
    desk.qtbot.waitUntil(lambda: tab.result is not None and not tab.loading, timeout=10_000)
    assert tab.csv_button.text() == "Als &CSV exportieren…"
    target = desk.tmp / "zahlen"
    desk.answer_save(target)
    desk.click(tab.csv_button)
    written = desk.tmp / "zahlen.csv"
    desk.qtbot.waitUntil(lambda: tab.exporting is None and written.exists(), timeout=10_000)
    lines = written.read_text("utf-8").splitlines()
    assert lines[0] == "table,title,row,label,column,heading,kind,value"
    assert any(line.startswith("ministry_indicators,AMIF-Indikatoren,") for line in lines)
    # O.2.3 of the bundle: two cells sent as <5 (counted with the range they leave).
    assert "ministry_indicators,AMIF-Indikatoren,2,*,cells_under_5,Zellen <5,count,0" in lines
    assert "Gespeichert" in window.statusBar().currentMessage()


def test_a_file_named_after_a_person_is_shown_and_answered_under_its_hash_only(
    desk: Desk,
) -> None:
    """A PDF picked through "Alle Dateien" was listed, logged and answered under its own
    name: "Befund_Anna_Mueller.receipt" went back to the municipality on the stick."""
    desk.init()
    window = desk.window()
    letter = desk.tmp / "stick" / "Befund_Anna_Mueller.pdf"
    letter.parent.mkdir()
    letter.write_bytes(b"%PDF-1.7 Befund")
    desk.import_files(window, [letter])
    label = f"sha256-{sha256_hex(letter.read_bytes())[:16]}"
    cells = _shown_cells(window, 0)
    assert cells[0] == label
    window.intake.view.selectRow(0)
    shown = " ".join([*cells, window.intake.detail.text(), window.intake.progress.text()])
    assert "Mueller" not in shown
    receipts = sorted(p.name for p in (desk.path / "receipts").iterdir())
    assert receipts == [f"{label}.receipt"]
    with desk.open() as ministry:
        assert [r.file_name for r in ministry.store.rejections()] == [label]


def test_one_stolen_laptop_is_stopped_from_the_window_and_the_other_goes_on(
    desk: Desk,
) -> None:
    """Bensheim's second laptop was stolen. "Schlüssel widerrufen…" stops the whole town;
    one device could only be stopped with ``kisi ministry revoke --device KEYID``."""
    desk.init()
    first = _registered_device(desk, "06431002", "Bensheim")
    second = Device("06431002")
    with desk.open() as ministry:
        registry.add_device_key(ministry, "06431002", second.public.text())
    window = desk.window()
    sent = [_bundle(desk, first, "a1.kisi", 0), _bundle(desk, second, "b1.kisi", 0)]
    desk.import_files(window, sent)
    window.tabs.setCurrentWidget(window.towns)
    window.towns.select_town("06431002")
    assert window.towns.devices_button.text() == "&Geräte…"
    desk.click(window.towns.devices_button)
    dialog = desk.wait_for(lambda: window.towns.devices_dialog)
    assert dialog.windowTitle() == "Geräte von Bensheim (AGS 06431002)"
    keys = [first.public.key_id_hex(), second.public.key_id_hex()]
    assert [k.key_id for k in dialog.model.rows()] == keys
    devices = [str(dialog.model.index(r, 1).data()) for r in range(2)]
    assert devices == [first.device_id, second.device_id]
    assert not dialog.revoke_button.isEnabled()  # the municipality's own key: not here
    assert "„Schlüssel widerrufen…“" in dialog.hint.text()
    dialog.view.selectRow(1)
    desk.click(dialog.revoke_button)
    question = desk.wait_for(lambda: dialog.question)
    text = question.text()
    assert f"Schlüssel {keys[1]} von Bensheim (AGS 06431002)" in text
    assert f"Gerät {second.device_id}" in text
    assert "ab jetzt abgelehnt" in text
    assert "Bereits importiert: 1 Bündel dieses Geräts; es zählt weiter." in text
    assert "anderen Geräte der Kommune senden weiter" in text
    shots = desk.tmp / "shots"
    shots.mkdir()
    question.grab().save(str(shots / "revoke-device-question.png"))
    revoke = next(
        b for b in question.buttons()
        if question.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )  # fmt: skip
    desk.click(revoke)
    desk.qtbot.waitUntil(lambda: dialog.question is None)
    assert str(dialog.model.index(1, 5).data()).startswith("widerrufen am")
    assert str(dialog.model.index(0, 5).data()).startswith("aktiv")
    dialog.grab().save(str(shots / "devices-dialog.png"))
    assert keys[1] in window.statusBar().currentMessage()
    dialog.close()
    desk.qtbot.waitUntil(lambda: window.towns.devices_dialog is None)

    # The stolen laptop's next bundle is refused; the first guide's is taken in.
    later = [_bundle(desk, second, "b2.kisi", 1), _bundle(desk, first, "a2.kisi", 1)]
    desk.import_files(window, later)
    assert [r.outcome for r in results(window)[:2]] == ["rejected", "imported"]


def test_pack_versions_made_on_the_command_line_count_in_the_window_and_back(
    desk: Desk,
) -> None:
    """Versions were remembered only by the window (ministry-view.json): after
    ``kisi ministry content-pack --version 1`` the window offered version 1 again, and a
    pack the window made was unknown to the command."""
    desk.init()
    texts = pack_texts(desk.tmp / "texts")
    with desk.open() as ministry:  # what `kisi ministry content-pack` does
        make_and_record(ministry, texts, 1, date(2027, 6, 30), desk.tmp / "cli-v1.zip")
    window = desk.window()
    window.tabs.setCurrentWidget(window.distribute)
    maker = window.distribute.pack
    assert maker.version.value() == 2
    maker.version.setValue(1)
    desk.answer_folder(texts)
    desk.click(maker.folder_button)
    desk.click(maker.save_button)  # refused before any file dialog
    assert not maker.running and maker.error.isVisible()
    assert "Version 1 ist nicht höher als das zuletzt hier erstellte Inhaltspaket (Version 1)" in (
        maker.error.text()
    )

    # Made on the command line while the window is open: the tab shown again knows it.
    with desk.open() as ministry:
        make_and_record(ministry, texts, 2, date(2027, 6, 30), desk.tmp / "cli-v2.zip")
    window.tabs.setCurrentWidget(window.towns)
    window.tabs.setCurrentWidget(window.distribute)
    assert maker.version.value() == 3
    desk.answer_save(desk.tmp / "v3.zip")
    desk.click(maker.save_button)
    desk.qtbot.waitUntil(lambda: not maker.running, timeout=10_000)
    assert (desk.tmp / "v3.zip").is_file(), maker.error.text()
    with desk.open() as ministry:
        assert [p.version for p in made_packs(ministry.store)] == [3, 2, 1]
        with pytest.raises(UserError, match="Version 3 ist nicht höher"):
            make_and_record(ministry, texts, 3, date(2027, 6, 30), desk.tmp / "cli-v3.zip")
    assert not (desk.tmp / "cli-v3.zip").exists()


def _junk_files(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"KISI_06534011_0123456789abcdef_{n:06d}_20261125.kisi"
        path.write_bytes(b"kein Buendel %d" % n)
        paths.append(path)
    return paths


def test_a_long_intake_counts_the_files_and_stops_between_two(desk: Desk) -> None:
    """900 files showed "Importiere 900 Dateien…" until the end, with no way to stop."""
    desk.init()
    window = desk.window()
    tab = window.intake
    window.tabs.setCurrentWidget(tab)
    seen: list[tuple[int, int, str, str, bool, int]] = []
    tab.bar.valueChanged.connect(
        lambda v: seen.append(
            (
                v,
                tab.bar.maximum(),
                tab.bar.text(),
                tab.progress.text(),
                tab.running,
                tab.model.rowCount(),
            )
        )
    )
    tab.import_paths(_junk_files(desk.tmp / "stick", 30))
    assert tab.bar.isVisible() and tab.stop_button.isVisible()
    assert tab.stop_button.text() == "Import a&nhalten"
    desk.wait_idle(window)
    # Painted as the files are done (in steps, 0.25 s apart at least), each count with its rows.
    values = [v for v, *_rest in seen]
    assert values[0] == 0 and values[-1] == 30 and values == sorted(set(values))
    assert all(maximum == 30 and running for _v, maximum, _b, _p, running, _r in seen)
    for v, _m, bar, label, _running, rows in seen:
        assert (bar, rows) == (f"{v} von 30 Dateien", v)
        assert v in (0, 30) or label == f"Datei {v + 1} von 30 wird importiert…"
    assert not tab.bar.isVisible() and not tab.stop_button.isVisible()
    assert tab.model.rowCount() == 30

    # Stopped at once: what was taken so far is in the books with its receipt, no more.
    many = _junk_files(desk.tmp / "stick2", 400, start=100)
    tab.import_paths(many)
    desk.click(tab.stop_button)
    assert not tab.stop_button.isEnabled()
    assert tab.progress.text() == "Wird nach der laufenden Datei angehalten…"
    desk.wait_idle(window)
    done = tab.model.rowCount() - 30
    assert 0 <= done < 400
    assert tab.progress.text().endswith(
        f"Angehalten: {400 - done} Dateien wurden nicht importiert; importieren Sie sie "
        "erneut, um sie aufzunehmen."
    )
    with desk.open() as ministry:
        assert len(ministry.store.rejections()) == 30 + done
    assert len(list((desk.path / "receipts").iterdir())) == 30 + done


def test_a_pack_that_leaves_translations_outdated_says_which(desk: Desk) -> None:
    """A new German welcome text with the old Arabic translation went out without a word:
    every municipality then printed Arabic (and each shipped language) as outdated."""
    desk.init()
    texts = pack_texts(desk.tmp / "texts", greeting="Willkommen in Hessen")
    window = desk.window()
    maker = _first_pack_made(desk, window, texts)
    shown = maker.result.text()
    assert "werden als veraltet gekennzeichnet gedruckt" in shown
    assert "Willkommen – Ihr Integrationsguide (welcome): ar (in diesem Paket), am, " in shown
    window.resize(1366, 768)
    out = Path(os.environ.get("KISI_SCREENSHOTS", desk.tmp))
    assert window.grab().save(str(out / "ministry_pack_outdated_de.png"))
