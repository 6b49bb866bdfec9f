"""A stick's folder as the clerk meets it, dropped on the ministry view (in German).

Good bundles beside a copy of one already imported, a bundle cut off half-way, an empty
file, a folder named like a bundle, a file nobody may read, a receipt instead of a bundle
and a bundle of a municipality not registered: each entry gets one row that says in words
what became of it, nothing crashes, and only the good bundle reaches the books; importing
the folder again changes nothing.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Municipality

from kisi_desktop.bundles.manifest import sha256_hex

from kisi_desktop.ui.ministry.window import MinistryWindow

from tests.gui.ministry.conftest import Desk, results

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("in_german")]


def shown(window: MinistryWindow) -> dict[str, tuple[str, str]]:
    """Each row's file name: its Result and Reason as the table shows them."""
    model = window.intake.model
    return {
        model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 2).data())
        for r in range(model.rowCount())
    }


def test_each_file_of_a_mixed_folder_gets_one_clear_row(desk: Desk) -> None:
    desk.init()
    town = desk.ready_town()
    stranger = desk.town("stranger")  # provisioned, never registered
    profile = stranger.ws.list(Municipality)[0]
    stranger.ws.update(dataclasses.replace(profile, ags="06534014"))
    desk.provision(stranger)
    window = desk.window()
    first = town.export("2025-10-01..2026-03-31").path
    desk.import_files(window, [first])
    receipt = Path(str(results(window)[0].receipt))
    window.intake.clear()

    second = town.export("2026-04-01..2026-06-30").path
    stick = desk.tmp / "Stick"
    stick.mkdir()
    shutil.copyfile(second, stick / second.name)
    copy = first.read_bytes()
    (stick / f"Kopie von {first.name}").write_bytes(copy)
    device = first.name.split("_")[2]
    named = [stick / f"KISI_{town.ags}_{device}_00000{n}_20261125.kisi" for n in (3, 4, 5, 6)]
    cut, empty, folder, locked = named
    cut.write_bytes(second.read_bytes()[: second.stat().st_size // 2])
    empty.write_bytes(b"")
    folder.mkdir()
    shutil.copyfile(receipt, stick / receipt.name)
    strange = stranger.export("2025-10-01..2026-03-31").path
    shutil.copyfile(strange, stick / strange.name)
    locked.write_bytes(second.read_bytes())
    locked.chmod(0)
    can_lock = not os.access(locked, os.R_OK)  # root reads it anyway
    if not can_lock:
        locked.unlink()

    expected = {
        second.name: ("importiert", ""),
        f"sha256-{sha256_hex(copy)[:16]}": ("doppelt", "bereits importiert (einmal gezählt)"),
        cut.name: ("abgelehnt", "verändert oder unvollständig"),
        empty.name: ("nicht gelesen", "leere Datei (0 Byte)"),
        folder.name: ("nicht gelesen", "ist ein Ordner, keine Datei"),
        receipt.name: ("nicht gelesen", "eine Quittung, kein Bündel"),
        strange.name: ("abgelehnt", "Kommune nicht registriert"),
    }
    if can_lock:
        expected[locked.name] = ("nicht gelesen", "keine Berechtigung")
    try:
        assert desk.drop(window, [stick])
        desk.wait_idle(window)
        assert shown(window) == expected
        assert len(results(window)) == len(expected)
        with desk.open() as ministry:
            books = ministry.store.conn.execute("SELECT seq FROM bundles").fetchall()
            before = ministry.store.snapshot()
        assert books == [(1,), (2,)]
        summary = window.intake.progress.text()
        assert summary.startswith(f"{len(expected)} Ergebnisse: 1 importiert, 1 doppelt")

        # Again: the good bundle is a duplicate now, the rest as before, the books unchanged.
        window.intake.clear()
        assert desk.drop(window, [stick])
        desk.wait_idle(window)
        again = shown(window)
        assert again[second.name] == ("doppelt", "bereits importiert (einmal gezählt)")
        assert {k: v for k, v in again.items() if k != second.name} == {
            k: v for k, v in expected.items() if k != second.name
        }
        with desk.open() as ministry:
            assert ministry.store.snapshot() == before
    finally:
        if locked.exists():
            locked.chmod(0o644)  # so that pytest can remove the folder
