"""A person's timeline: contacts, notes, referrals, follow-ups and handouts given, newest first.

The entries are built from the person's own records (a few dozen at most, read with
``Workspace.list(..., owner=)``) into frozen rows; the model only maps them to columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kisi_desktop.core.domain import (
    Contact,
    FollowUp,
    HandoutGiven,
    Note,
    OutcomeEvent,
    Partner,
    Referral,
)
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.referral import SETTLED_REFERRALS
from kisi_desktop.core.i18n import N_, _, format_date, ngettext, ui_language
from kisi_desktop.core.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex
SHORT = 140

KIND_NAMES = {
    "contact": N_("Contact"),
    "note": N_("Note"),
    "referral": N_("Referral"),
    "followup": N_("Follow-up"),
    "handout_given": N_("Handout"),
    "outcome": N_("Result"),
}
HEADERS = (N_("Date"), N_("Type"), N_("What"))
OVERDUE = QColor("#b00020")


class TimelineRole(IntEnum):
    """Item data roles beyond Qt's own."""

    ID = Qt.ItemDataRole.UserRole + 1
    KIND = Qt.ItemDataRole.UserRole + 2
    OPEN = Qt.ItemDataRole.UserRole + 3  # a follow-up (or a referral's day) not done yet


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line: when, what kind, a short text; ``open`` for what "Mark done" can tick
    off: a follow-up not done yet, a referral's follow-up day not yet settled."""

    day: date
    kind: str
    id: str
    text: str
    open: bool = False
    overdue: bool = False
    full_text: str = ""  # the whole text, as a tooltip where the line is cut


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SHORT else line[: SHORT - 1] + "…"


def _entry(day: date, kind: str, rid: str, text: str, **flags: bool) -> TimelineEntry:
    return TimelineEntry(day, kind, rid, _short(text), full_text=text.strip(), **flags)


def build_timeline(workspace: Workspace, person_id: str, today: date) -> list[TimelineEntry]:
    """Every timeline entry of the person, newest first (follow-ups by due date)."""
    ref, lang = workspace.ref, ui_language()
    entries: list[TimelineEntry] = []
    for c in workspace.list(Contact, owner=person_id):
        parts = [ref.label("contact_modes", c.mode, lang), f"{c.duration_minutes} min"]
        topics = ", ".join(ref.label("topics", t, lang) for t in c.topics)
        text = " · ".join(parts) + (f" – {topics}" if topics else "")
        if c.note:
            text += f" – {c.note}"
        entries.append(_entry(c.contacted_on, "contact", c.id, text))
    for n in workspace.list(Note, owner=person_id):
        entries.append(_entry(n.written_on, "note", n.id, n.text))
    partners = {p.id: p.name for p in workspace.list(Partner)}
    for r in workspace.list(Referral, owner=person_id):
        text = _referred_to(
            ref.label("referral_targets", r.target, lang), partners.get(r.partner_id or "")
        )
        text += f" – {ref.label('referral_statuses', r.status, lang)}"
        # The day the form asked for, while there is still something to follow up (the
        # Overview lists it then too: core/overview.py).
        follow_up = r.follow_up_on if r.status not in SETTLED_REFERRALS else None
        if follow_up is not None:
            text += " – " + _("follow up on {day}").format(day=format_date(follow_up))
        if r.note:
            text += f" – {r.note}"
        late = follow_up is not None and follow_up < today
        entries.append(
            _entry(r.referred_on, "referral", r.id, text, open=follow_up is not None, overdue=late)
        )
    for f in workspace.list(FollowUp, owner=person_id):
        state = _("done") if f.done else _("open")
        entries.append(
            _entry(
                f.due_on,
                "followup",
                f.id,
                f"[{state}] {f.text}",
                open=not f.done,
                overdue=not f.done and f.due_on < today,
            )
        )
    for h in workspace.list(HandoutGiven, owner=person_id):
        entries.append(
            _entry(h.handed_out_on, HandoutGiven.KIND, h.id, _handout_text(h, ref, lang))
        )
    for o in workspace.list(OutcomeEvent, owner=person_id):
        text = ref.label("outcome_kinds", o.kind, lang)
        if o.level_before or o.level_after:
            before = o.level_before.upper() if o.level_before else "?"
            after = o.level_after.upper() if o.level_after else "?"
            text += f": {before} → {after}"
        if o.feedback:
            # The kind's own label has a colon ("feedback: helpful for integration"); the
            # answer follows as the answer to it: "… helpful for integration? no".
            text += f"? {ref.label('feedback_answers', o.feedback, lang)}"
        entries.append(_entry(o.occurred_on, "outcome", o.id, text))
    entries.sort(key=lambda e: (e.day, e.kind, e.id), reverse=True)
    return entries


def _referred_to(target: str, partner: str | None) -> str:
    """The service and the partner, each said once: "Jobcenter (Kreisjobcenter
    Marburg)", but a partner named after its service ("Migrationsberatung für Erwachsene
    (MBE), Caritas", "MBE der Diakonie") by its name alone."""
    if not partner:
        return target
    words = re.findall(r"\w+", partner.casefold())
    short = re.search(r"\((\w+)\)\s*$", target)
    if target.casefold() in partner.casefold() or (short and short[1].casefold() in words):
        return partner
    return f"{target} ({partner})"


def _handout_text(handout: HandoutGiven, ref: ReferenceData, lang: str) -> str:
    """``Krankenversicherung und Arztbesuch (Arabisch)``, with the copies when more than one.

    A code the reference data no longer knows shows as itself rather than failing the page.
    """

    def label(enum: str, code: str) -> str:
        return ref.label(enum, code, lang) if ref.has_code(enum, code) else code

    text = (
        f"{label('handout_topics', handout.topic)} ({label('handout_languages', handout.language)})"
    )
    if handout.copies > 1:
        text += " – " + ngettext("{n} copy", "{n} copies", handout.copies).format(n=handout.copies)
    return text


class TimelineModel(QAbstractTableModel):
    """Date, type and text of each :class:`TimelineEntry`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return _(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return format_date(entry.day)
            if index.column() == 1:
                return _(KIND_NAMES[entry.kind])
            return entry.text
        if role == TimelineRole.ID:
            return entry.id
        if role == TimelineRole.KIND:
            return entry.kind
        if role == TimelineRole.OPEN:
            return entry.open
        if role == Qt.ItemDataRole.ForegroundRole and entry.overdue:
            return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return entry.full_text
        if role == Qt.ItemDataRole.ToolTipRole and entry.overdue:
            return _("Overdue")
        return None

    def set_entries(self, entries: list[TimelineEntry]) -> None:
        """Show ``entries`` (already in display order)."""
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def clear(self) -> None:
        """Show nothing (lock, or no person selected)."""
        self.set_entries([])

    def entry(self, row: int) -> TimelineEntry:
        """The entry at ``row``."""
        return self._entries[row]

    def row_of(self, record_id: str) -> int | None:
        """The row of the record ``record_id``, if shown."""
        for row, entry in enumerate(self._entries):
            if entry.id == record_id:
                return row
        return None
