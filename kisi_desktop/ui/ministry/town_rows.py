"""The Municipalities tab's rows: each registered municipality, and bundles that wait.

A municipality's status says in words what needs the operator: a revoked key, a fork in
quarantine, a new device epoch waiting for confirmation, a bundle held because an earlier
one is missing; otherwise "ok" (or "no bundle yet"). Several can hold at once; all are
named, the worst first, and the colour follows the worst.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from kisi_desktop.core.i18n import N_, _, format_date

from kisi_desktop.ministry.held import HeldBundle
from kisi_desktop.ministry.registry import MunicipalityStatus
from kisi_desktop.ministry.store import HELD_EPOCH, HELD_GAP, QUARANTINED_FORK

from kisi_desktop.ui.ministry.labels import AMBER, GREEN, GREY, RED, bundle_status_label
from kisi_desktop.ui.tables.row_model import Column, RowTableModel

REVOKED = "revoked"
OK = "ok"
NOTHING_YET = "nothing_yet"
STATUS_LABELS = {
    REVOKED: N_("key revoked"),
    QUARANTINED_FORK: N_("fork quarantined"),
    HELD_EPOCH: N_("new epoch waiting"),
    HELD_GAP: N_("gap: bundle held"),
    NOTHING_YET: N_("no bundle yet"),
    OK: N_("ok"),
}
STATUS_ORDER = (REVOKED, QUARANTINED_FORK, HELD_EPOCH, HELD_GAP, NOTHING_YET, OK)
STATUS_INK = {
    REVOKED: RED,
    QUARANTINED_FORK: RED,
    HELD_EPOCH: AMBER,
    HELD_GAP: AMBER,
    NOTHING_YET: GREY,
    OK: GREEN,
}


@dataclass(frozen=True, slots=True)
class TownRow:
    """One registered municipality as the table shows it."""

    id: str
    ags: str
    name: str
    key_id: str
    revoked: bool
    bundles: int
    last_seq: int | None
    last_received: date | None
    covers_to: date | None
    states: tuple[str, ...]
    """Keys of :data:`STATUS_LABELS`, worst first."""
    device_keys: tuple[str, ...] = ()
    """Key ids of the municipality's further devices (a second guide's laptop)."""

    @property
    def status(self) -> str:
        """The worst state (decides the colour)."""
        return self.states[0]

    def status_text(self) -> str:
        """Every state in words, worst first."""
        return ", ".join(_(STATUS_LABELS[s]) for s in self.states)


@dataclass(frozen=True, slots=True)
class HeldRow:
    """A bundle held (gap, new epoch) or in quarantine (fork)."""

    id: str
    ags: str
    name: str
    device_id: str
    epoch: int
    seq: int
    status: str
    received: date
    file_name: str


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def town_rows(
    overview: Sequence[MunicipalityStatus],
    held: Sequence[HeldBundle],
    device_keys: Mapping[str, tuple[str, ...]] | None = None,
) -> list[TownRow]:
    """One row per municipality, with the states its held bundles give it."""
    device_keys = device_keys or {}
    waiting: dict[str, Counter[str]] = {}
    for bundle in held:
        waiting.setdefault(bundle.ags, Counter())[bundle.status] += 1
    rows = []
    for item in overview:
        town = item.municipality
        found = waiting.get(town.ags, Counter())
        states = {s for s in (HELD_GAP, HELD_EPOCH, QUARANTINED_FORK) if found[s]}
        if town.revoked:
            states.add(REVOKED)
        if not states:
            states.add(OK if item.bundles_imported else NOTHING_YET)
        rows.append(
            TownRow(
                id=town.ags,
                ags=town.ags,
                name=town.name,
                key_id=town.key_id,
                revoked=town.revoked,
                bundles=item.bundles_imported,
                last_seq=item.last_seq,
                last_received=_day(item.last_received_at),
                covers_to=_day(item.last_period_end),
                states=tuple(s for s in STATUS_ORDER if s in states),
                device_keys=device_keys.get(town.ags, ()),
            )
        )
    return rows


def held_rows(held: Sequence[HeldBundle], names: dict[str, str]) -> list[HeldRow]:
    """The bundles that wait, oldest first."""
    return [
        HeldRow(
            id=h.manifest_sha256,
            ags=h.ags,
            name=names.get(h.ags, h.ags),
            device_id=h.device_id,
            epoch=h.epoch,
            seq=h.seq,
            status=h.status,
            received=_day(h.received_at) or date.min,
            file_name=h.file_name,
        )
        for h in held
    ]


def _date(value: date | None) -> str:
    return format_date(value) if value is not None else ""


def _key_tooltip(row: TownRow) -> str:
    lines = [_("revoked")] if row.revoked else []
    if row.device_keys:
        lines.append(_("Further devices: {key_ids}").format(key_ids=", ".join(row.device_keys)))
    return "\n".join(lines)


def _ink(row: TownRow) -> QColor:
    return STATUS_INK[row.status]


TOWN_COLUMNS = [
    Column(N_("AGS"), lambda r: r.ags),
    Column(N_("Municipality"), lambda r: r.name, tooltip=lambda r: r.name),
    Column(
        N_("Key ID"),
        lambda r: r.key_id,
        tooltip=_key_tooltip,
        foreground=lambda r: RED if r.revoked else None,
    ),
    Column(N_("Bundles"), lambda r: str(r.bundles), sort=lambda r: r.bundles, numeric=True),
    Column(
        N_("Last bundle"),
        lambda r: "" if r.last_seq is None else str(r.last_seq),
        sort=lambda r: r.last_seq or 0,
        numeric=True,
    ),
    Column(
        N_("Received"),
        lambda r: _date(r.last_received),
        sort=lambda r: (r.last_received or date.min).isoformat(),
    ),
    Column(
        N_("Covers until"),
        lambda r: _date(r.covers_to),
        sort=lambda r: (r.covers_to or date.min).isoformat(),
    ),
    Column(N_("Status"), lambda r: r.status_text(), tooltip=lambda r: r.status_text(),
           foreground=_ink),
]  # fmt: skip

HELD_COLUMNS = [
    Column(N_("AGS"), lambda r: r.ags),
    Column(N_("Municipality"), lambda r: r.name, tooltip=lambda r: r.name),
    Column(N_("Device"), lambda r: r.device_id),
    Column(N_("Epoch"), lambda r: str(r.epoch), sort=lambda r: r.epoch, numeric=True),
    Column(N_("Bundle"), lambda r: str(r.seq), sort=lambda r: r.seq, numeric=True),
    Column(N_("Received"), lambda r: _date(r.received), sort=lambda r: r.received.isoformat()),
    Column(
        N_("State"),
        lambda r: bundle_status_label(r.status),
        foreground=lambda r: RED if r.status == QUARANTINED_FORK else AMBER,
    ),
    Column(N_("File"), lambda r: r.file_name, tooltip=lambda r: r.file_name),
]


def town_model(parent: QObject | None = None) -> RowTableModel:
    """The municipalities (``TownRow``)."""
    return RowTableModel(TOWN_COLUMNS, parent)


def held_model(parent: QObject | None = None) -> RowTableModel:
    """The bundles that wait (``HeldRow``)."""
    return RowTableModel(HELD_COLUMNS, parent)
