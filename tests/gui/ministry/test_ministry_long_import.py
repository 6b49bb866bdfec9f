"""A long import in the ministry view: each file's row as it is done, progress, and stop.

300 bundles (one town, 300 devices; see ``many_bundles``) dropped as a folder: the rows
come while the worker imports, the bar and the rows agree ("n von 300 Dateien"), and a stop
keeps every row done so far, each of them imported in the books; so does closing the
window. The hand-over in steps is checked on its own with a clock the test turns.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from kisi_desktop.ministry.keys import init_ministry, load_ministry

from kisi_desktop.ui.ministry.intake_jobs import Step, import_files

from tests.gui.ministry.conftest import Desk, many_bundles, results

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("in_german")]

FILES = 300


def test_rows_come_as_files_are_done_and_a_stop_keeps_them(desk: Desk) -> None:
    desk.init()
    town = desk.ready_town()
    stick = desk.tmp / "stick"
    paths = many_bundles(desk, town, FILES, stick)
    window = desk.window()
    tab = window.intake
    assert desk.drop(window, [stick])
    assert tab.running and tab.bar.isVisible()

    # Rows while the import runs, the bar counting the same files.
    desk.qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=15_000)
    assert tab.running
    shown = tab.model.rowCount()
    assert tab.bar.text() == f"{shown} von {FILES} Dateien"
    assert tab.model.index(0, 1).data() == "importiert"
    assert tab.detail.text().startswith(paths[0].name)
    assert f"von {FILES} wird importiert" in tab.progress.text()

    # More rows than the table shows: the newest comes into sight (once laid out).
    def newest_in_sight() -> bool:
        newest = tab.view.visualRect(tab.model.index(tab.model.rowCount() - 1, 0))
        return tab.model.rowCount() > 30 and tab.view.viewport().rect().contains(newest)

    desk.qtbot.waitUntil(newest_in_sight, timeout=15_000)
    assert tab.running

    desk.click(tab.stop_button)
    desk.wait_idle(window)
    rows = results(window)
    done = len(rows)
    assert 0 < done < FILES
    assert [r.file_name for r in rows] == [p.name for p in paths[:done]]
    assert {r.outcome for r in rows} == {"imported"}
    assert f"Angehalten: {FILES - done} Dateien wurden nicht importiert" in tab.progress.text()
    with desk.open() as ministry:
        imported = ministry.store.conn.execute("SELECT count(*) FROM bundles").fetchone()[0]
    assert imported == done
    assert tab.clear_button.isEnabled() and not tab.stop_button.isVisible()


def test_closing_the_window_during_an_import_stops_it_and_keeps_what_was_done(
    desk: Desk,
) -> None:
    desk.init()
    town = desk.ready_town()
    stick = desk.tmp / "stick"
    many_bundles(desk, town, FILES, stick)
    window = desk.window()
    tab = window.intake
    assert desk.drop(window, [stick])
    desk.qtbot.waitUntil(lambda: tab.bar.value() > 0, timeout=15_000)
    assert window.close()
    desk.qtbot.wait(200)  # the import's answer arrives after the window closed: ignored
    assert not window.isVisible()
    with desk.open() as ministry:
        imported = ministry.store.conn.execute("SELECT count(*) FROM bundles").fetchone()[0]
    assert 0 < imported < FILES


def test_the_worker_hands_rows_over_in_steps_each_row_once(tmp_path: Path) -> None:
    init_ministry(tmp_path / "ministry").close()
    stick = tmp_path / "stick"
    stick.mkdir()
    for number in range(10):
        (stick / f"file{number}.kisi").write_bytes(b"not a bundle %d" % number)
    ticks = itertools.count()
    steps: list[Step] = []

    def import_all(stop_after: int | None = None) -> tuple[int, list[str]]:
        steps.clear()
        batch = import_files(
            lambda: load_ministry(tmp_path / "ministry"),
            [stick],
            tmp_path / "receipts",
            progress=steps.append,
            stop=lambda: stop_after is not None and len(steps) > stop_after,
            every=0.1,
            clock=lambda: next(ticks) * 0.04,  # a file every 0.04 s
        )
        handed = [row for step in steps for row in step.rows]
        assert handed == batch.rows  # every row once, in file order
        assert [s.done for s in steps] == list(itertools.accumulate(len(s.rows) for s in steps))
        return batch.skipped, [row.outcome for row in handed]

    skipped, outcomes = import_all()
    assert (skipped, outcomes) == (0, ["rejected"] * 10)
    assert steps[0] == Step(0, 10)
    assert [len(s.rows) for s in steps[1:]] == [3, 3, 3, 1]  # batched, the last one too

    skipped, outcomes = import_all(stop_after=2)
    assert [len(s.rows) for s in steps[1:]] == [3, 3]
    assert (skipped, len(outcomes)) == (4, 6)
