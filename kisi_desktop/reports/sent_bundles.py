"""The bundles this device already sent for part of a report's period, as their rows.

A report for a longer period (a project year, a calendar year, the whole project) adds up
the figures the bundles of its quarters sent: each person counts once for the project, in
the period of first support, and contacts and events count per day. A cell a bundle held
back would then be the report's cell minus the other bundles' cells. So a report that
leaves the laptop reads what the bundles inside its period carried, and holds back what
they held back (:mod:`.beside_bundles`).

What a bundle carried is the signed payload its ledger entry keeps
(``core.domain.bundle_entry``): the vault's own bytes, written by ``bundles.export`` and
sealed in the vault, not outside data. They are read here with the standard library's ZIP
reader because the bundle code sits above the reports (CONTRIBUTING.md); the names below
are the bundle format's (``bundles.manifest``, checked by the tests).
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.reports.indicators import WITHHELD, Withheld
from kisi_desktop.reports.periods import Period

INDICATORS_FILE = "data/indicators.jsonl"
REPORT_FILE = "data/report.jsonl"
WITHHELD_MARK = "withheld"
"""How a bundle writes a cell held back beside a small one ("x" in a report)."""

Mark = int | Withheld | None
"""A count as it may be shown: a number, None ("<5") or WITHHELD ("x")."""


@dataclass(frozen=True, slots=True)
class SentFigures:
    """The rows the bundles inside a report's period carried, oldest bundle first."""

    indicators: tuple[Mapping[str, Mapping[str, Any]], ...] = ()
    """Per bundle: indicator code -> its row (``count``, ``gender.male``...), marks read."""
    report: tuple[Sequence[Mapping[str, Any]], ...] = ()
    """Per bundle: the rows of its report tables, each with its ``table`` key, marks read."""
    whole: bool = False
    """The bundles cover the report's period day by day: their figures add up to the
    report's (else to at most them)."""

    def __bool__(self) -> bool:
        return bool(self.indicators or self.report)


NOTHING_SENT = SentFigures()


def sent_inside(ws: Workspace, period: Period) -> SentFigures:
    """The figures of every bundle whose period lies inside ``period`` and that the
    ministry has not refused (prepared ones included: they will go)."""
    entries = sorted(
        (
            e
            for e in ws.list(BundleEntry)
            if e.status != "rejected"
            and period.start <= e.period_start
            and e.period_end <= period.end
        ),
        key=lambda e: e.period_start,
    )
    indicators = []
    report = []
    for entry in entries:
        files = _data_files(entry)
        indicators.append({str(row["indicator"]): row for row in files[INDICATORS_FILE]})
        report.append(tuple(files[REPORT_FILE]))
    day = period.start
    for entry in entries:
        day = entry.period_end + timedelta(days=1) if entry.period_start == day else day
    return SentFigures(tuple(indicators), tuple(report), bool(entries) and day > period.end)


def _data_files(entry: BundleEntry) -> dict[str, list[dict[str, Any]]]:
    payload = base64.b64decode(entry.payload_b64)
    with zipfile.ZipFile(io.BytesIO(payload)) as files:
        return {
            name: [_marks_read(json.loads(line)) for line in files.read(name).splitlines()]
            for name in (INDICATORS_FILE, REPORT_FILE)
        }


def _marks_read(row: dict[str, Any]) -> dict[str, Any]:
    return {k: WITHHELD if v == WITHHELD_MARK else v for k, v in row.items()}


def is_hidden(value: Any) -> bool:
    """Whether a count cell was held back: "<5" (None) or "x"."""
    return value is None or value is WITHHELD
