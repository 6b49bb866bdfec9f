"""The child processes of the sync crash tests (SECURITY.md R2): export, receipt or intake.

:func:`run_killed` starts one child per run with ``KISI_CRASH_AT=<label>:<n>``; the child
makes the same calls the app and the ministry's tools make, reports each step that
returned, and is SIGKILLed by :mod:`kisi_desktop.core.crashpoints` at the labelled step.
Children are forked from a multiprocessing *forkserver* that has imported this module
once, so a run costs a fork rather than a fresh interpreter importing the app (0.05 s
instead of 0.45 s). They are still separate processes, killed for real. The clock is fixed
(tests/support/sync.py's ``NOW``), so whatever a child wrote can be compared byte for byte
with a run that was not killed.

Commands (``args`` are paths and periods as strings):

* ``export VAULT OUT PERIOD...``: one ``export_bundle`` per period;
  reports ``(seq, manifest sha256, resumed)``.
* ``receipts VAULT FILE...``: ``apply_receipt`` per file; reports ``(file, status)``.
* ``intake MINISTRY RECEIPTS FILE...``: ``import_path`` per file, then each receipt written
  into RECEIPTS as ``kisi ministry import`` does; reports ``(file, outcome)``.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.files import write_atomic
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.receipts import apply_receipt
from kisi_desktop.ministry.intake import import_path
from kisi_desktop.ministry.keys import load_ministry

from tests.support.sync import NOW, PASSPHRASE

Report = Callable[..., None]


def _vault(path: str) -> Workspace:
    return Workspace.open(Path(path), passphrase=PASSPHRASE, clock=FixedClock(NOW))


def export(report: Report, vault: str, out: str, *periods: str) -> None:
    """Export one bundle per period into ``out``."""
    ws = _vault(vault)
    for period in periods:
        summary = export_bundle(ws, Path(out), period=period)
        report(summary.entry.seq, summary.entry.manifest_sha256, summary.resumed)
    ws.lock()


def receipts(report: Report, vault: str, *files: str) -> None:
    """Apply each receipt file to the vault's ledger."""
    ws = _vault(vault)
    for file in files:
        outcome = apply_receipt(ws, Path(file).read_bytes(), Path(file).name)
        report(Path(file).name, outcome.status)
    ws.lock()


def intake(report: Report, ministry_dir: str, receipts_dir: str, *files: str) -> None:
    """Import each bundle file into the ministry and write its receipt(s)."""
    out = Path(receipts_dir)
    with load_ministry(Path(ministry_dir), clock=FixedClock(NOW)) as ministry:
        for file in files:
            result = import_path(ministry, Path(file))
            for each in result.all():
                if each.receipt is not None:
                    write_atomic(out / each.receipt_name, each.receipt)
            report(Path(file).name, result.outcome)


COMMANDS: dict[str, Callable[..., None]] = {
    "export": export,
    "receipts": receipts,
    "intake": intake,
}


def _child(
    command: str, args: Sequence[str], crash_at: str, conn: Connection, env: dict[str, str]
) -> None:
    # The fork server may have been started by another test, under that test's
    # (monkeypatched, since removed) environment: take the caller's as it is now.
    os.environ.clear()
    os.environ.update(env)
    os.environ["KISI_CRASH_AT"] = crash_at

    def report(*values: object) -> None:
        conn.send(values)  # written to the pipe at once: survives the kill that follows

    try:
        COMMANDS[command](report, *args)
    except BaseException:
        # Said through the pipe, so the parent's assertion shows why the child ended.
        report("error", traceback.format_exc())
        raise
    report("done")
    conn.close()


# Starting a child through the fork server and stopping the server, one at a time.
_FORK_SERVER = threading.Lock()


def run_killed(
    command: str, args: Sequence[str | Path], crash_at: str, *, timeout: float = 120
) -> list[tuple[object, ...]]:
    """Run one child to its death at ``crash_at``; what it reported before.

    Raises AssertionError if the child ended any other way (finished, raised, hung).
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child,
        args=(command, [str(a) for a in args], crash_at, send, dict(os.environ)),
        daemon=True,
    )
    with _FORK_SERVER:
        try:
            child.start()
        except ConnectionRefusedError:
            # The fork server died under load (see below): a new one for this run.
            multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]
            child.start()
    send.close()
    reports: list[tuple[object, ...]] = []
    try:
        while True:
            if not receive.poll(timeout):
                raise AssertionError(f"{command} child hung at {crash_at}")
            reports.append(receive.recv())
    except EOFError:
        pass
    finally:
        receive.close()
        child.join(timeout)
        if child.exitcode is None:
            child.kill()
            child.join()
    errors = [r[1] for r in reports if r and r[0] == "error"]
    finished = any(r and r[0] == "done" for r in reports)
    if child.exitcode == 255 and not errors and not finished:
        # 255 is multiprocessing's "lost the fork server's word on this child" (seen
        # under heavy load in the full suite), not the child's own exit status. The
        # child neither finished nor raised - it said so through the pipe - so it died
        # at the crash point; take the fork server down so the next run gets a new one.
        # (Under the lock: the runs go two at a time, and the other must not be starting
        # a child through the server being stopped.)
        with _FORK_SERVER:
            multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]
        return reports
    assert child.exitcode == -signal.SIGKILL, (
        f"{command} child was not killed at {crash_at} (exit code {child.exitcode}): "
        + ("\n".join(str(e) for e in errors) or "no traceback (see the captured stderr)")
    )
    return reports
