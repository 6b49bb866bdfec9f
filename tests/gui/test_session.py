"""The session's unlock reads for the window on its worker, while it holds the workspace alone.

With 10,000 people the Overview's figures took the turn that shows the unlocked window
45 ms of SQLite reads; the unlock's worker reads them now, right after the vault opens,
and the answer is handed out only while the pages take the new workspace.

A worker may also borrow the open workspace (``Session.lend``, renewing every key): a lock
asked for meanwhile waits for it, and so does the end of the app.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kisi_desktop.core.domain import Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.ui.session import Session, UnlockRead
from kisi_desktop.ui.workers import TaskRunner

pytestmark = pytest.mark.gui
PASS = "Lindenblüte 2026"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    ws.add(Person(name="Amina Haidari"))
    ws.lock()
    runner = TaskRunner()
    session = Session(path, runner)
    yield session
    session.shutdown()
    runner.wait()


def _unlock(qtbot: QtBot, session: Session) -> None:
    session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: session.workspace is not None, timeout=10_000)


def test_the_reads_run_on_the_worker_and_their_answers_last_while_the_pages_take_the_workspace(
    qtbot: QtBot, session: Session
) -> None:
    asked_on: list[bool] = []  # on the UI thread?
    read_on: list[bool] = []

    def people(ws: Workspace) -> int:
        read_on.append(threading.current_thread() is threading.main_thread())
        return len(ws.list(Person))

    def reads() -> dict[str, UnlockRead]:
        asked_on.append(threading.current_thread() is threading.main_thread())
        return {"people": people}

    session.read_at_unlock(reads)
    seen: list[object] = []
    session.unlocked.connect(
        lambda: seen.extend(
            session.unlock_answer(key, session.workspace)  # type: ignore[arg-type]
            for key in ("people", "other")
        )
    )
    _unlock(qtbot, session)
    assert asked_on == [True]  # asked as the unlock began: it may look at the window
    assert read_on == [False]  # read by the unlock's worker
    assert seen == [1, None]
    # Once the pages have the workspace, a write may change what was read: no answer.
    assert session.unlock_answer("people", session.workspace) is None  # type: ignore[arg-type]


def test_an_answer_is_for_the_workspace_it_was_read_on(qtbot: QtBot, session: Session) -> None:
    session.read_at_unlock(lambda: {"people": lambda ws: 1})
    other = object()  # (another workspace: only its identity counts)
    seen: list[object] = []
    session.unlocked.connect(
        lambda: seen.append(session.unlock_answer("people", other))  # type: ignore[arg-type]
    )
    _unlock(qtbot, session)
    assert seen == [None]


@pytest.mark.allow_log_warnings  # the failed read is logged (its key and error type only)
def test_a_read_that_fails_leaves_the_vault_to_open_all_the_same(
    qtbot: QtBot, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(ws: Workspace) -> object:
        raise RuntimeError("a bug in a read")

    session.read_at_unlock(lambda: {"overview": broken})
    seen: list[object] = []
    session.unlocked.connect(
        lambda: seen.append(session.unlock_answer("overview", session.workspace))  # type: ignore[arg-type]
    )
    _unlock(qtbot, session)
    assert seen == [None]  # the page reads for itself then
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        "reading overview at unlock failed: RuntimeError"
    ]


def test_no_read_is_asked_for_by_default(qtbot: QtBot, session: Session) -> None:
    seen: list[object] = []
    session.unlocked.connect(
        lambda: seen.append(session.unlock_answer("overview", session.workspace))  # type: ignore[arg-type]
    )
    _unlock(qtbot, session)
    assert seen == [None]


def test_a_lock_asked_for_while_a_worker_holds_the_workspace_follows_when_it_is_back(
    qtbot: QtBot, session: Session
) -> None:
    _unlock(qtbot, session)
    gate = threading.Event()
    said: list[str] = []
    session.locked.connect(lambda reason: said.append(f"locked {reason}"))

    def work(ws: Workspace) -> int:
        assert gate.wait(10)
        return ws.count()

    def done(count: int) -> None:
        # Locked first: nothing the work made reaches a screen the guide has left.
        said.append(f"done {count}, {'locked' if session.workspace is None else 'open'}")

    assert session.lend(work, done, lambda error: said.append(repr(error)))
    assert session.lent
    assert not session.lend(work, done, done)  # one at a time
    session.idle_seconds = 0
    session.check_idle()
    session.lock("sleep")
    session.lock("manual")
    assert session.workspace is not None and said == []
    gate.set()
    qtbot.waitUntil(lambda: len(said) == 2, timeout=10_000)
    assert said == ["locked sleep", "done 1, locked"]
    assert not session.lent
    assert not session.lend(work, done, done)  # locked: nothing to lend


def test_after_a_lent_workspace_is_back_a_lock_happens_at_once(
    qtbot: QtBot, session: Session
) -> None:
    _unlock(qtbot, session)
    answers: list[object] = []
    assert session.lend(lambda ws: ws.count(), answers.append, answers.append)
    qtbot.waitUntil(lambda: answers == [1], timeout=10_000)
    assert not session.lent and session.workspace is not None
    session.lock("manual")
    assert session.workspace is None


def test_the_end_of_the_app_waits_for_a_lent_workspace_then_locks(
    qtbot: QtBot, session: Session
) -> None:
    _unlock(qtbot, session)
    gate, finished = threading.Event(), threading.Event()

    def work(ws: Workspace) -> None:
        assert gate.wait(10)
        ws.count()
        finished.set()

    assert session.lend(work, lambda _r: None, lambda _e: None)
    opener = threading.Timer(0.2, gate.set)
    opener.start()
    session.shutdown()
    opener.join()
    assert finished.is_set()
    assert session.workspace is None and not session.lent


@pytest.mark.allow_log_warnings  # the failed unlock is logged (type and place only)
def test_an_unexpected_unlock_failure_is_logged_with_where_not_what(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A rare failure must be findable from the log, without what the guide typed."""

    def opened_badly(path: Path, **_kwargs: object) -> Workspace:
        raise TypeError(f"a bug that names {PASS} and Amina Haidari")

    path = tmp_path / "vault.kisi"
    Workspace.create(path, PASS, kdf=TEST_PARAMS)[0].lock()  # (the passphrase is right)
    runner = TaskRunner()
    session = Session(path, runner, open_workspace=opened_badly)
    said: list[str] = []
    session.unlock_failed.connect(said.append)
    session.unlock(passphrase=PASS)
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    [line] = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert line.startswith("unlock failed: TypeError at test_session.py:")
    assert "opened_badly" in line and PASS not in line and "Amina" not in line
    # The file the unlock's first step opened was let go: the vault opens again.
    Workspace.open(path, passphrase=PASS).lock()
    session.shutdown()
    runner.wait()


def test_after_an_unlock_from_the_snapshot_the_first_record_opened_reads_only_itself(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From a snapshot, the map from record id to row was built at the first read by id:
    # a scan of every record (65 ms with 100,000) when the guide opened the first person.
    # The session builds it a few thousand rows a turn while the Overview shows.
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, snapshot_min_records=1)
    people = [ws.add(Person(name=f"Person {n}")) for n in range(25)]
    ws.lock()

    def open_workspace(*args: object, **kwargs: object) -> Workspace:
        return Workspace.open(*args, snapshot_min_records=1, **kwargs)  # type: ignore[arg-type]

    # (several steps of several pieces)
    monkeypatch.setattr("kisi_desktop.ui.session.ID_MAP_PIECE_ROWS", 4)
    monkeypatch.setattr("kisi_desktop.ui.session.ID_MAP_STEP_S", 0.0)
    runner = TaskRunner()
    session = Session(path, runner, open_workspace=open_workspace)
    try:
        _unlock(qtbot, session)
        workspace = session.workspace
        assert workspace is not None
        working = workspace.working_set
        qtbot.waitUntil(lambda: working.ids_mapped, timeout=5000)
        statements: list[str] = []
        working.conn.set_trace_callback(statements.append)
        assert workspace.get(Person, people[17].id).name == "Person 17"
        working.conn.set_trace_callback(None)
        assert statements and not any("SELECT id, rid" in s for s in statements), statements
    finally:
        session.shutdown()
        runner.wait()
