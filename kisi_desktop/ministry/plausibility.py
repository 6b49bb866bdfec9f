"""Step 9 of the intake: a well-formed, correctly signed bundle can still carry impossible data.

Checked here, before anything is stored (reason code ``implausible``, or ``malformed`` for
a line of the wrong shape):

* the period lies inside the project (1 October 2025 to 30 September 2028), and the
  indicator rows are for the manifest's period;
* every count is a whole number and none is negative;
* small cells were suppressed: no count of people between 1 and 4 in the aggregate files
  (AMIF indicators and the report tables), as the app must have written them as ``null``
  ("<5"). A bundle that breaks this was not made by a correct app, and storing it would
  put the small numbers into the ministry's database.

Before that, and apart from it, :func:`check_times` refuses what claims a time that had not
come (reason code ``future_time``, SECURITY.md's replay matrix A1): a bundle made, by its
own word, more than :data:`CLOCK_SKEW` after the ministry's clock, or one whose period ends
after the day it was made.

Which report columns count *people* (and so are suppressed) is the reports module's rule
(kisi_figures.py, needs.py); :data:`PEOPLE_COLUMNS` mirrors it for the tables that leave the
laptop. Counts of things (contacts, events, copies, ranks) may be 1 to 4.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.manifest import (
    CREATED_AT_FORMAT,
    INDICATORS,
    PARTICIPATION,
    REPORT,
    Manifest,
)
from kisi_desktop.bundles.reasons import FUTURE_TIME, IMPLAUSIBLE, MALFORMED, Rejected
from kisi_desktop.reports.indicators import SMALL_CELL
from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START

CLOCK_SKEW = timedelta(days=1)
"""How far a bundle's ``created_at`` may lie ahead of the ministry's clock. Both clocks can
be off (a laptop set by hand, one that missed a time sync for weeks); a day forgives that
without letting a bundle be dated into a time that has not come. Content packs allow two
days the other way round (``bundles/content_packs.CLOCK_SKEW``): there a wrong verdict locks
a town out of new texts. Here the town sets its clock; its next bundle then follows one
that was refused, and waits at the intake until the operator lets the gap pass
(``kisi ministry skip-gap``), as after any refused bundle."""

PERIOD_END_LEEWAY = timedelta(days=1)
"""How far a period's last day may lie after the UTC date of ``created_at``. The export
ends a running period on the guide's own calendar day (``core.clock.today``, local time),
while ``created_at`` is UTC: east of Greenwich the local date runs up to one day ahead
(UTC+14 at most), so a bundle made at 00:30 in Hessen legitimately ends "tomorrow" in UTC.
More than that cannot be genuine: the bundle reports days that had not happened."""

BREAKDOWNS = ("gender.", "age_group.", "nationality_group.")
"""Prefixes of the indicator rows' breakdown cells (``reports.indicators.export_rows``)."""

PEOPLE_COLUMNS: Mapping[str, frozenset[str]] = {
    "contacts_by_mode": frozenset({"family_members"}),
    "contacts_by_topic": frozenset({"family_members"}),
    "contacts_by_action": frozenset({"family_members"}),
    "volunteers": frozenset({"recruited", "trained", "active"}),
    "volunteer_deployments_by_kind": frozenset({"volunteers"}),
    "events_by_type": frozenset({"tcn", "local", "administration", "volunteers", "attendance"}),
    "administration_network": frozenset({"participants", "administration_staff"}),
    "needs": frozenset({"respondents"}),
}
"""Report table key -> columns that count people (suppressed when 1 to 4)."""

_PSEUDONYM = re.compile(r"[0-9a-f]{32}")
_CODE = re.compile(r"[A-Za-z0-9._-]{1,40}")


@functools.cache
def _non_people_indicators() -> frozenset[str]:
    """Indicator codes that count something other than people (O.2.2: municipalities)."""
    ref = ReferenceData.load()
    return frozenset(
        code
        for code, entry in ref.enum("indicators").items()
        if entry.extra.get("basis") not in ("unique_eligible_participants", "outcome")
    )


def _implausible(message: str) -> Rejected:
    return Rejected(IMPLAUSIBLE, message)


def _count(value: Any, where: str) -> int | None:
    """A count cell: None (suppressed) or a whole number from 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Rejected(MALFORMED, _("{where}: a count must be a whole number.").format(where=where))
    if value < 0:
        raise _implausible(
            _("{where}: a negative count ({value}).").format(where=where, value=value)
        )
    return value


def _people(value: Any, where: str) -> None:
    count = _count(value, where)
    if count is not None and 0 < count < SMALL_CELL:
        raise _implausible(
            _(
                "{where}: a count of {value} people was not suppressed "
                "(counts of 1 to 4 must be sent as <5)."
            ).format(where=where, value=count)
        )


def _scalars(row: Mapping[str, Any], where: str) -> None:
    """Cells are text, numbers, booleans or null: a list or object in a cell would break
    the figures of all municipalities later (row keys, spreadsheet cells)."""
    for key, value in row.items():
        if isinstance(value, (list, dict)):
            raise Rejected(
                MALFORMED,
                _("{where}, {field}: a cell must hold a single value.").format(
                    where=where, field=key
                ),
            )


def _no_negative(row: Mapping[str, Any], where: str) -> None:
    _scalars(row, where)
    for key, value in row.items():
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise _implausible(
                _("{where}, {field}: a negative number ({value}).").format(
                    where=where, field=key, value=value
                )
            )


def _indicator_rows(rows: Sequence[Mapping[str, Any]], manifest: Manifest) -> None:
    others = _non_people_indicators()
    start, end = manifest.period_start.isoformat(), manifest.period_end.isoformat()
    for number, row in enumerate(rows, 1):
        where = f"{INDICATORS}:{number}"
        code = row.get("indicator")
        if not isinstance(code, str) or _CODE.fullmatch(code) is None or "count" not in row:
            raise Rejected(MALFORMED, _("{where}: not an indicator row.").format(where=where))
        if row.get("from", start) != start or row.get("to", end) != end:
            raise _implausible(
                _("{where}: the row is for another period than the bundle.").format(where=where)
            )
        _no_negative(row, where)
        if code in others:
            _count(row["count"], f"{where} {code}")
        else:
            _people(row["count"], f"{where} {code}")
        for key, value in row.items():
            if key.startswith(BREAKDOWNS):
                _people(value, f"{where} {code} {key}")


def _report_rows(rows: Sequence[Mapping[str, Any]]) -> None:
    for number, row in enumerate(rows, 1):
        where = f"{REPORT}:{number}"
        table = row.get("table")
        if not isinstance(table, str) or _CODE.fullmatch(table) is None:
            raise Rejected(MALFORMED, _("{where}: the row names no table.").format(where=where))
        _no_negative(row, where)
        for key in PEOPLE_COLUMNS.get(table, ()):
            if key in row:
                _people(row[key], f"{where} {table} {key}")


def _participation_rows(rows: Sequence[Mapping[str, Any]]) -> None:
    # Two rows may share a pseudonym: people with the same name and only a year of birth
    # cannot be told apart by the scheme (bundles/pseudonyms.py), so they count once.
    for number, row in enumerate(rows, 1):
        where = f"{PARTICIPATION}:{number}"
        pseudonym = row.get("pseudonym")
        if not isinstance(pseudonym, str) or _PSEUDONYM.fullmatch(pseudonym) is None:
            raise Rejected(MALFORMED, _("{where}: no valid pseudonym.").format(where=where))
        born = row.get("birth_year")
        if born is not None and (
            isinstance(born, bool) or not isinstance(born, int) or not 1900 <= born <= 2028
        ):
            raise _implausible(_("{where}: an impossible year of birth.").format(where=where))


def check_plausible(manifest: Manifest, files: Mapping[str, Sequence[Any]]) -> None:
    """Refuse impossible content with ``implausible`` (or ``malformed`` for a wrong shape).

    Raises:
        Rejected: the first problem found.
    """
    if manifest.period_start < PROJECT_START or manifest.period_end > PROJECT_END:
        raise _implausible(
            _(
                "The bundle's period {start} to {end} lies outside the project ({first} to {last})."
            ).format(
                start=manifest.period_start.isoformat(),
                end=manifest.period_end.isoformat(),
                first=PROJECT_START.isoformat(),
                last=PROJECT_END.isoformat(),
            )
        )
    if manifest.period_end < manifest.period_start:
        raise _implausible(_("The bundle's period ends before it starts."))
    _indicator_rows(files.get(INDICATORS, ()), manifest)
    _report_rows(files.get(REPORT, ()))
    _participation_rows(files.get(PARTICIPATION, ()))


def check_times(manifest: Manifest, now: datetime) -> None:
    """Refuse a bundle dated after ``now`` (the ministry's clock) beyond :data:`CLOCK_SKEW`,
    or one whose period ends after the day it was made.

    Raises:
        Rejected: ``future_time``.
    """
    created = manifest.created
    if created > now + CLOCK_SKEW:
        raise Rejected(
            FUTURE_TIME,
            _(
                "The bundle is dated {created}, more than a day after the ministry's clock "
                "({now}); check the date and time of the computer that made it."
            ).format(created=manifest.created_at, now=now.strftime(CREATED_AT_FORMAT)),
        )
    if manifest.period_end > created.date() + PERIOD_END_LEEWAY:
        raise Rejected(
            FUTURE_TIME,
            _(
                "The bundle's period ends on {end}, after the day it was made ({created}): "
                "it reports days that had not yet happened."
            ).format(end=manifest.period_end.isoformat(), created=manifest.created_at[:10]),
        )
