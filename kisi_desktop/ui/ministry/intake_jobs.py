"""Intake work for a worker thread: import files or release held bundles, write the receipts.

Plain functions (no Qt): the worker opens its own connection to the ministry folder, does
the work, closes the connection, writes each receipt into the chosen folder and returns
frozen rows for the table. Nothing here raises for a bad bundle - that is a result with a
reason code - and a file that cannot be read or a receipt that cannot be written is a row
that says so, so one broken file never hides the others' results.

An import hands its rows over while it runs (``progress(Step)``: the files done of all, and
the rows since the last step) and asks before each file whether to stop (``stop()``):
hundreds of files take a while, and the clerk sees each file's result as it comes, not
only at the end; stopping between two files leaves every file taken so far imported with
its receipt written and listed, the rest untouched (imported later, a file is taken once:
the intake is idempotent). A step comes at most once every :data:`STEP_SECONDS` (and after the
last file): each step repaints the table, whose cells are Python calls that contend with
the worker for the interpreter lock, so a step per file (20 ms each) would slow the window
and the import for no row the eye could tell apart.

A folder is taken as the clerk sees it on a stick: every entry named ``*.kisi`` gets a row
(a folder so named too: "it is a folder, not a file"), and so does a receipt
(``*.receipt``), which is the ministry's answer, not a bundle: it is not read, and the
row says so instead of leaving it out without a word.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kisi_desktop.core.files import os_error_reason, write_atomic
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.manifest import is_bundle_file_name
from kisi_desktop.ministry import intake
from kisi_desktop.ministry.intake import IntakeResult
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.store import kept_file_name

UNREADABLE = "unreadable"
"""The outcome of a file that could not be read (no verdict on the bundle)."""

BUNDLE_SUFFIX = ".kisi"
RECEIPT_SUFFIX = ".receipt"

STEP_SECONDS = 0.25
"""At least this long between two hand-overs of rows to the window (see the docstring)."""

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
    reason: str = ""
    """Why a file was not read, in words (no reason code: the intake never saw it)."""


@dataclass(frozen=True, slots=True)
class Step:
    """What a running import hands the window: files done of all, and the rows since the
    last step (in file order)."""

    done: int
    total: int
    rows: tuple[ResultRow, ...] = ()


@dataclass(frozen=True, slots=True)
class Batch:
    """What one job did: a row per file (or released bundle), and the files left unread
    because the clerk stopped the import."""

    rows: list[ResultRow]
    skipped: int = 0


def _never() -> bool:
    return False


def _ignore(_step: Step) -> None:
    return None


def _taken_from_folder(entry: Path) -> bool:
    # Any case: a stick formatted FAT shows names as Windows wrote them (.KISI).
    return entry.suffix.lower() in (BUNDLE_SUFFIX, RECEIPT_SUFFIX)


def bundle_files(paths: Iterable[Path]) -> list[Path]:
    """The files given, folders expanded to their ``.kisi`` (and ``.receipt``) entries in
    name order; each of them gets a row."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if _taken_from_folder(p))
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
    progress: Callable[[Step], None] = _ignore,
    stop: Callable[[], bool] = _never,
    every: float = STEP_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> Batch:
    """Import each file in order; every file gets a row, readable or not.

    Hands the rows over in steps (at least ``every`` seconds by ``clock`` apart, and
    after the last file done or before a stop); every row comes in exactly one step, and
    the returned batch holds them all. Stops before the next file once ``stop()`` says so; the files
    not reached are counted in :attr:`Batch.skipped`.
    """
    rows: list[ResultRow] = []
    files = bundle_files(paths)
    total = len(files)
    progress(Step(0, total))
    handed, last = 0, clock()
    with open_ministry() as ministry:
        for number, path in enumerate(files):
            if stop():
                return Batch(rows, skipped=total - number)
            rows += _import_one(ministry, path, receipts_dir)
            now = clock()
            if now - last >= every or number + 1 == total or stop():
                progress(Step(number + 1, total, tuple(rows[handed:])))
                handed, last = len(rows), now
    return Batch(rows)


def _not_read(file_name: str, message: str, reason: str) -> ResultRow:
    return ResultRow(
        id=str(next(_numbers)),
        file_name=file_name,
        outcome=UNREADABLE,
        reason_code=None,
        message=message,
        ags=None,
        seq=None,
        records=0,
        receipt=None,
        reason=reason,
    )


def _import_one(ministry: Ministry, path: Path, receipts_dir: Path) -> list[ResultRow]:
    if path.suffix.lower() == RECEIPT_SUFFIX:
        return [
            _not_read(
                _receipt_name(path),
                _(
                    "This is a receipt (the ministry's answer to a bundle), not a bundle; "
                    "it was not read. Receipts go back to the municipality."
                ),
                _("a receipt, not a bundle"),
            )
        ]
    try:
        if path.stat().st_size == 0:
            return [_empty(path)]
        result = intake.import_path(ministry, path)
    except OSError as error:
        reason = os_error_reason(error)
        message = _("The file cannot be read: {reason}").format(reason=reason)
        return [_not_read(kept_file_name(path.name, "-"), message, reason)]
    return _rows([result], receipts_dir)


def _empty(path: Path) -> ResultRow:
    """An empty file holds no bundle to judge, and no receipt could name one: said as
    what it most likely is. It was rejected as "damaged or not a KISI bundle" before,
    which sent the clerk looking for tampering."""
    return _not_read(
        kept_file_name(path.name, "-"),
        _(
            "The file is empty (0 bytes): it was most likely cut off while being copied "
            "from the USB stick. Copy it from the stick once more (wait until the copy "
            "has finished before removing the stick) and import it again; if it is empty "
            "on the stick too, ask the municipality to save the bundle again."
        ),
        _("empty file (0 bytes)"),
    )


def _receipt_name(path: Path) -> str:
    """A receipt's name as the ministry wrote it (its bundle's, ``.receipt``) is shown;
    any other name may be a person's, as for a bundle (``kept_file_name``)."""
    if is_bundle_file_name(f"{path.stem}{BUNDLE_SUFFIX}"):
        return path.name
    return kept_file_name(path.name, "-")


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
