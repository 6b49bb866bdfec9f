"""A guide's session in the real window, in a process of its own, to be killed mid-session.

    python -m tests.support.killed_session VAULT MARKER...

The app starts as the ``kisi-desktop`` command does (``KISI_PASSPHRASE`` unlocks), and the
session types the markers in Latin, Arabic and Tigrinya script as key presses into the
People page's forms: a person's name, a note and a contact's note, each saved; a lock and
an unlock (the lock writes the snapshot when the vault is large enough); a search for the
note's marker; a second note saved after the snapshot; and a last note typed but not saved. Once
that note's sealed draft is in the vault the process prints ``ready`` with the ids it made
and waits to be killed (tests/gui/test_killed_window.py). Markers come in through the
command line only, so no file of the test holds them.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kisi_desktop.core.domain import Draft, Person

from kisi_desktop.ui.app import start
from kisi_desktop.ui.forms.record_dialog import RecordDialog
from kisi_desktop.ui.main_window import MainWindow

# What a step waits for, checked every POLL_MS; or a number of milliseconds to let pass.
Wait = Callable[[], bool] | int
POLL_MS = 20
GIVE_UP_MS = 120_000


def type_text(widget: QWidget, text: str) -> None:
    """Send ``text`` to ``widget`` as key presses, one character each, as an input method
    delivers letters that have no key of their own (QTest types Latin-1 only)."""
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _dialog(window: MainWindow) -> RecordDialog:
    dialog = window.page("people").dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, RecordDialog), dialog
    return dialog


def _type_and_save(window: MainWindow, field: str, text: str) -> None:
    dialog = _dialog(window)
    type_text(dialog.form.editors[field].widget, text)
    dialog.save_button.click()
    assert window.page("people").dialog is None, f"{field} not saved"  # type: ignore[attr-defined]


def session(
    window: MainWindow, passphrase: str, markers: list[str], made: dict[str, object]
) -> Iterator[Wait]:
    """The steps of the session; each ``yield`` waits for the window."""
    name, note, contact, later, unsaved = markers
    people = window.page("people")
    window.navigate("people")
    people.list_view.new_action.trigger()  # type: ignore[attr-defined]
    _type_and_save(window, "name", f"Hodan {name}")
    ws = window.session.workspace
    assert ws is not None
    (person,) = [p for p in ws.list(Person) if name in p.name]
    made["person"] = person.id
    people.open_person(person.id)  # type: ignore[attr-defined]
    people.person_view.commands["add_note"].trigger()  # type: ignore[attr-defined]
    _type_and_save(window, "text", f"Rückruf wegen {note}")
    people.person_view.commands["add_contact"].trigger()  # type: ignore[attr-defined]
    _type_and_save(window, "note", f"Gespräch über {contact}")
    yield 50

    # Lock and unlock: with a large vault the lock writes the snapshot on its thread.
    window.session.lock("manual")
    yield lambda: not window.session.writing_snapshot
    window.session.unlock(passphrase=passphrase)
    yield lambda: window.session.workspace is not None
    yield lambda: not window.runner.busy()

    type_text(window.search, note)  # (found in the note saved before the lock)
    yield lambda: window.search_page.results.count() >= 1
    window.navigate("people")
    people.open_person(person.id)  # type: ignore[attr-defined]
    people.person_view.commands["add_note"].trigger()  # type: ignore[attr-defined]
    _type_and_save(window, "text", f"Nach dem Sperren: {later}")
    people.person_view.commands["add_note"].trigger()  # type: ignore[attr-defined]
    type_text(_dialog(window).form.editors["text"].widget, f"Entwurf {unsaved}")
    ws = window.session.workspace
    assert ws is not None
    yield lambda: bool(ws.list(Draft))  # sealed after a short pause in typing


def main(argv: list[str]) -> int:
    vault, markers = argv[0], argv[1:]
    started = start(["--vault", vault])
    assert not isinstance(started, int), started
    app, window = started
    made: dict[str, object] = {}
    steps = session(window, os.environ["KISI_PASSPHRASE"], markers, made)

    def step() -> None:
        try:
            wait = next(steps)
        except StopIteration:
            print(json.dumps({"ready": made}), flush=True)  # and wait for the kill
            return
        except Exception as error:  # a step that failed: say so, end the run
            print(json.dumps({"failed": repr(error)}), flush=True)
            app.exit(2)
            return
        if isinstance(wait, int):
            QTimer.singleShot(wait, step)
        else:
            poll(wait)

    def poll(until: Callable[[], bool]) -> None:
        QTimer.singleShot(POLL_MS, lambda: step() if until() else poll(until))

    window.session.unlocked.connect(lambda: QTimer.singleShot(0, step) if not made else None)
    window.session.unlock_failed.connect(
        lambda msg: (print(json.dumps({"failed": msg}), flush=True), app.exit(2))
    )
    QTimer.singleShot(GIVE_UP_MS, lambda: app.exit(3))
    return app.exec()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main(sys.argv[1:]))
