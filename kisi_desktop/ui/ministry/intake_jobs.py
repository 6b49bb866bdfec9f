"""Intake work for a worker thread: import files or release held bundles, write the receipts.

Plain functions (no Qt): the worker opens its own connection to the ministry folder, does
the work, closes the connection, writes each receipt into the chosen folder and returns
frozen rows for the table. Nothing here raises for a bad bundle - that is a result with a
reason code - and a file that cannot be read or a receipt that cannot be written is a row
that says so, so one broken file never hides the others' results.

An import reports after every file (``progress(done, total)``) and asks before each one
whether to stop (``stop()``): hundreds of files take a while, and stopping between two
files leaves every file taken so far imported with its receipt written, the rest untouched
(imported later, a file is taken once: the intake is idempotent).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kisi_desktop.core.files import os_error_reason, write_atomic
from kisi_desktop.core.i18n import _

from kisi_desktop.ministry import intake
from kisi_desktop.ministry.intake import IntakeResult
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.store import kept_file_name

UNREADABLE = "unreadable"
"""The outcome of a file that could not be read (no verdict on the bundle)."""

_numbers = itertools.count(1)


@dataclass(frozen=True, slots=True)
class ResultRow:
    """What became of one file (or one released held bundle), as the Intake tab lists it."""

    id: str
    file_name: str
    outcome: str
    reason_code: str | None
    message: str
    ags: str | None
    seq: int | None
    records: int
    receipt: str | None
    """Where the receipt was written, or None."""
    receipt_problem: str | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """What one job did: a row per file (or released bundle), and the files left unread
    because the clerk stopped the import."""

    rows: list[ResultRow]
    skipped: int = 0


def _never() -> bool:
    return False


def _ignore(_done: int, _total: int) -> None:
    return None


def bundle_files(paths: Iterable[Path]) -> list[Path]:
    """The files given, folders expanded to their ``.kisi`` files in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix == ".kisi" and p.is_file())
        else:
            files.append(path)
    return files


def _rows(results: Sequence[IntakeResult], receipts_dir: Path) -> list[ResultRow]:
    rows = []
    folder_problem: OSError | None = None
    try:
        receipts_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        folder_problem = error
    for top in results:
        for result in top.all():
            written, problem = None, None
            if result.receipt is not None:
                target = receipts_dir / result.receipt_name
                try:
                    if folder_problem is not None:
                        raise folder_problem
                    write_atomic(target, result.receipt)
                    written = str(target)
                except OSError as error:
                    problem = _("The receipt could not be written: {reason}").format(
                        reason=os_error_reason(error)
                    )
            rows.append(
                ResultRow(
                    id=str(next(_numbers)),
                    file_name=result.file_name,
                    outcome=result.outcome,
                    reason_code=result.reason_code,
                    message=result.message,
                    ags=result.ags,
                    seq=result.seq,
                    records=result.records,
                    receipt=written,
                    receipt_problem=problem,
                )
            )
    return rows


def import_files(
    open_ministry: Callable[[], Ministry],
    paths: Sequence[Path],
    receipts_dir: Path,
    *,
    progress: Callable[[int, int], None] = _ignore,
    stop: Callable[[], bool] = _never,
) -> Batch:
    """Import each file in order; every file read gets a row, readable or not.

    Stops before the next file once ``stop()`` says so; the files not reached are counted
    in :attr:`Batch.skipped`.
    """
    rows: list[ResultRow] = []
    files = bundle_files(paths)
    progress(0, len(files))
    with open_ministry() as ministry:
        for number, path in enumerate(files):
            if stop():
                return Batch(rows, skipped=len(files) - number)
            rows += _import_one(ministry, path, receipts_dir)
            progress(number + 1, len(files))
    return Batch(rows)


def _import_one(ministry: Ministry, path: Path, receipts_dir: Path) -> list[ResultRow]:
    try:
        result = intake.import_path(ministry, path)
    except OSError as error:
        return [
            ResultRow(
                id=str(next(_numbers)),
                file_name=kept_file_name(path.name, "-"),
                outcome=UNREADABLE,
                reason_code=None,
                message=_("The file cannot be read: {reason}").format(
                    reason=os_error_reason(error)
                ),
                ags=None,
                seq=None,
                records=0,
                receipt=None,
            )
        ]
    return _rows([result], receipts_dir)


def release(
    open_ministry: Callable[[], Ministry],
    action: Callable[[Ministry], list[IntakeResult]],
    receipts_dir: Path,
) -> Batch:
    """Run an operator action (confirm an epoch, skip a gap, drop a held bundle) and list
    what it let through, or what it dropped.

    Raises:
        UserError: the action was refused (no reason, nothing waiting any more).
    """
    with open_ministry() as ministry:
        results = action(ministry)
    return Batch(_rows(results, receipts_dir))
