"""Step 9 of the intake: a well-formed, correctly signed bundle can still carry impossible data.

Checked here, before anything is stored (reason code ``implausible``, or ``malformed`` for
a line of the wrong shape):

* the period lies inside the project (1 October 2025 to 30 September 2028), and the
  indicator rows are for the manifest's period;
* every count is a whole number and none is negative;
* small cells were suppressed: no count of people between 1 and 4 in the aggregate files
  (AMIF indicators and the report tables), as the app must have written them as ``null``
  ("<5"). A bundle that breaks this was not made by a correct app, and storing it would
  put the small numbers into the ministry's database;
* in indicator rows of schema 2, no small cell can be worked out from the row's count
  either (``reports.indicators.worked_out``): the app holds back a cell beside it, marked
  ``"withheld"``, and the mark stands only in a breakdown cell of a people indicator whose
  count is shown, never beside a ``null`` of the same breakdown, never alone. Schema 1
  (older apps) knew no mark: there it is malformed, and its rows are taken as they are.

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
    WITHHELD_MARK,
    Manifest,
)
from kisi_desktop.bundles.reasons import FUTURE_TIME, IMPLAUSIBLE, MALFORMED, Rejected
from kisi_desktop.reports.held_back import pinned
from kisi_desktop.reports.indicators import SMALL_CELL, WITHHELD, Withheld, worked_out
from kisi_desktop.reports.periods import PROJECT_END, PROJECT_START
from kisi_desktop.reports.sections import (
    HELD_ACROSS,
    HELD_ALONE,
    HELD_WITH,
    UNRANKED_WITH,
    report_sums,
    shared_shapes,
)
from kisi_desktop.reports.tables import Kind

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
    marks = manifest.schema(INDICATORS) >= 2
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
        withheld = {
            k
            for k, v in row.items()
            if v == WITHHELD_MARK and (k == "count" or k.startswith(BREAKDOWNS))
        }
        if withheld and not marks:
            raise Rejected(
                MALFORMED,
                _("{where}: a held-back mark in a bundle whose format has none.").format(
                    where=where
                ),
            )
        if withheld and (code in others or "count" in withheld):
            raise _misplaced(where, code, min(withheld))
        _no_negative({k: v for k, v in row.items() if k not in withheld}, where)
        if code in others:
            _count(row["count"], f"{where} {code}")
        else:
            _people(row["count"], f"{where} {code}")
        dimensions: dict[str, dict[str, int | Withheld | None]] = {}
        for key, value in row.items():
            if key.startswith(BREAKDOWNS):
                dimension, _dot, category = key.partition(".")
                if key not in withheld:
                    _people(value, f"{where} {code} {key}")
                cell = WITHHELD if key in withheld else value
                dimensions.setdefault(dimension, {})[category] = cell
        if marks and code not in others:
            for dimension, cells in dimensions.items():
                _breakdown(cells, row["count"], f"{where} {code} {dimension}")


def _misplaced(where: str, code: str, key: str) -> Rejected:
    return Rejected(
        MALFORMED,
        _(
            "{where} {code} {field}: a held-back mark stands only in a breakdown cell of "
            "an indicator that counts people."
        ).format(where=where, code=code, field=key),
    )


def _breakdown(cells: Mapping[str, int | Withheld | None], count: int | None, where: str) -> None:
    """One breakdown of a schema 2 row: marks as the app sets them, nothing to work out."""
    marked = sum(1 for v in cells.values() if v is WITHHELD)
    if marked and (count is None or marked < 2 or None in cells.values()):
        raise Rejected(
            MALFORMED,
            _(
                "{where}: cells are held back only beside a count that is shown, two or "
                "more of them, and in place of every <5 of the breakdown."
            ).format(where=where),
        )
    if count is not None and sum(v for v in cells.values() if isinstance(v, int)) > count:
        raise _implausible(
            _("{where}: the cells add up to more than the count.").format(where=where)
        )
    if worked_out(cells, count):
        raise _implausible(
            _(
                "{where}: a cell sent as <5 or held back can be worked out from the count "
                "and the other cells (small cells were not protected)."
            ).format(where=where)
        )


@functools.cache
def _count_columns() -> Mapping[str, frozenset[str]]:
    """Report table key -> its columns of counts, people or things (the sections' own)."""
    shapes = shared_shapes(ReferenceData.load())
    return {
        key: frozenset(c.key for c in shape.columns if c.kind is Kind.COUNT)
        | PEOPLE_COLUMNS.get(key, frozenset())
        for key, shape in shapes.items()
    }


def _report_rows(rows: Sequence[Mapping[str, Any]], manifest: Manifest) -> None:
    marks = manifest.schema(REPORT) >= 2
    tables: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, row in enumerate(rows, 1):
        where = f"{REPORT}:{number}"
        table = row.get("table")
        if not isinstance(table, str) or _CODE.fullmatch(table) is None:
            raise Rejected(MALFORMED, _("{where}: the row names no table.").format(where=where))
        counts = _count_columns().get(table, PEOPLE_COLUMNS.get(table, frozenset()))
        withheld = {k for k, v in row.items() if v == WITHHELD_MARK and k in counts}
        if withheld and not marks:
            raise Rejected(
                MALFORMED,
                _("{where}: a held-back mark in a bundle whose format has none.").format(
                    where=where
                ),
            )
        _no_negative({k: v for k, v in row.items() if k not in withheld}, where)
        for key in PEOPLE_COLUMNS.get(table, ()):
            if key in row and key not in withheld:
                _people(row[key], f"{where} {table} {key}")
        read = {k: WITHHELD if k in withheld else v for k, v in row.items()}
        tables.setdefault(table, []).append((number, read))
    if marks:
        for table, numbered in tables.items():
            _report_table(table, numbered)
        _held_across(tables)


def _held_across(tables: Mapping[str, Sequence[tuple[int, Mapping[str, Any]]]]) -> None:
    """The cells that count the same people in two tables (``sections.HELD_ACROSS``) are
    held back in both or in neither: shown in one, the other's "x" is that figure, and the
    small cell beside it can be worked out (a network meeting's administration staff).
    Only a cell the table may hold back of its own accord (``sections.HELD_ALONE``, a
    row's participants) may be "x" beside one the other table shows."""
    for table, (other, beside) in HELD_ACROSS.items():
        alone = HELD_ALONE.get(table, frozenset())
        there = {row.get("code"): row for _number, row in tables.get(other, ())}
        for number, row in tables.get(table, ()):
            same = there.get(row.get("code"))
            if same is None:
                continue
            for key, column in beside.items():
                here, there_too = row.get(key) is WITHHELD, same.get(column) is WITHHELD
                if here != there_too and not (here and key in alone):
                    raise _implausible(
                        _(
                            "{where} {field}: shown or held back unlike {beside} of the same "
                            "row in {other}, which counts the same people."
                        ).format(
                            where=f"{REPORT}:{number} {table}",
                            field=key,
                            beside=column,
                            other=other,
                        )
                    )


def _report_table(table: str, numbered: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
    """One table of a report file of schema 2: marks where the export puts them (cells
    that add up to a total, ``sections.report_sums``, and the cells held back with one of
    them), the cells held with another hidden with it, and nothing to work out."""
    rows = [row for _number, row in numbered]
    sums = report_sums(table, rows)
    summed = {cell for line in sums for cell in (*line.parts, line.total)}
    held_with = HELD_WITH.get(table, {})
    _other, across = HELD_ACROSS.get(table, ("", {}))
    unranked = UNRANKED_WITH.get(table, {})
    alone = HELD_ALONE.get(table, frozenset())
    for n, (number, row) in enumerate(numbered):
        where = f"{REPORT}:{number} {table}"
        for key, value in row.items():
            if key in unranked and value is WITHHELD:
                if _hidden(row.get(unranked[key])) == "shown":
                    raise _implausible(
                        _("{where} {field}: held back beside a {beside} that is shown.").format(
                            where=where, field=key, beside=unranked[key]
                        )
                    )
                continue
            if (
                value is WITHHELD
                and (n, key) not in summed
                and key not in {*held_with, *alone, *across}
            ):
                raise Rejected(
                    MALFORMED,
                    _(
                        "{where} {field}: a held-back mark stands only in a count of people "
                        "that adds up to a total shown in the table."
                    ).format(where=where, field=key),
                )
        for key, beside in held_with.items():
            if key in row and beside in row and _hidden(row[key]) != _hidden(row[beside]):
                raise _implausible(
                    _("{where} {field}: shown or hidden unlike {beside} of the row.").format(
                        where=where, field=key, beside=beside
                    )
                )
    found = pinned(rows, sums)
    if found:
        number, key = numbered[found[0][0]][0], found[0][1]
        raise _implausible(
            _(
                "{where} {field}: a cell sent as <5 or held back can be worked out from the "
                "total and the other cells (small cells were not protected)."
            ).format(where=f"{REPORT}:{number} {table}", field=key)
        )


def _hidden(value: Any) -> str:
    """How a cell was sent: a number (or text), ``<5``, or held back."""
    return "x" if value is WITHHELD else "<5" if value is None else "shown"


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
    _report_rows(files.get(REPORT, ()), manifest)
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
