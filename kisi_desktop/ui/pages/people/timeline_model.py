"""A person's timeline: contacts, notes, referrals, follow-ups and handouts given, newest first.

The entries are built from the person's own records into frozen rows; the model only maps
them to columns. A person seen every week for years has a thousand: they are read as plain
values in one go (``Workspace.person_rows``), not as domain objects a row at a time, which
took 0.2-0.5 s on the UI thread while a worker read beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


def _as_wide_as(entry: TimelineEntry, column: int) -> object:
    """What makes the entry's text in ``column`` as wide as another's: its month and the
    digits of its day (the date), its kind (the type); None: its own text (what was done)."""
    if column == 0:
        return (entry.day.year, entry.day.month, entry.day.day >= 10)
    if column == 1:
        return entry.kind
    return None


def _entry(day: date, kind: str, rid: str, text: str, **flags: bool) -> TimelineEntry:
    return TimelineEntry(day, kind, rid, _short(text), full_text=text.strip(), **flags)


def build_timeline(workspace: Workspace, person_id: str, today: date) -> list[TimelineEntry]:
    """Every timeline entry of the person, newest first (follow-ups by due date)."""
    ref, lang = workspace.ref, ui_language()

    def rows(cls: type[Any], *fields: str) -> list[list[Any]]:
        return workspace.person_rows(cls, person_id, fields)

    entries: list[TimelineEntry] = []
    for rid, day, mode, minutes, topic_codes, note in rows(
        Contact, "contacted_on", "mode", "duration_minutes", "topics", "note"
    ):
        parts = [ref.label("contact_modes", mode, lang), f"{minutes} min"]
        topics = ", ".join(ref.label("topics", t, lang) for t in topic_codes or ())
        text = " · ".join(parts) + (f" – {topics}" if topics else "")
        if note:
            text += f" – {note}"
        entries.append(_entry(_day(day), "contact", rid, text))
    for rid, day, text in rows(Note, "written_on", "text"):
        entries.append(_entry(_day(day), "note", rid, text))
    partners = dict(workspace.rows(Partner, ["name"]))
    for rid, day, target, partner_id, status, follow_up_on, note in rows(
        Referral, "referred_on", "target", "partner_id", "status", "follow_up_on", "note"
    ):
        text = _referred_to(
            ref.label("referral_targets", target, lang), partners.get(partner_id or "")
        )
        text += f" – {ref.label('referral_statuses', status, lang)}"
        # The day the form asked for, while there is still something to follow up (the
        # Overview lists it then too: core/overview.py).
        settled = status in SETTLED_REFERRALS
        follow_up = _day(follow_up_on) if follow_up_on and not settled else None
        if follow_up is not None:
            text += " – " + _("follow up on {day}").format(day=format_date(follow_up))
        if note:
            text += f" – {note}"
        late = follow_up is not None and follow_up < today
        entries.append(
            _entry(_day(day), "referral", rid, text, open=follow_up is not None, overdue=late)
        )
    for rid, day, text, done in rows(FollowUp, "due_on", "text", "done"):
        due = _day(day)
        state = _("done") if done else _("open")
        entries.append(
            _entry(
                due,
                "followup",
                rid,
                f"[{state}] {text}",
                open=not done,
                overdue=not done and due < today,
            )
        )
    for rid, day, topic, language, copies in rows(
        HandoutGiven, "handed_out_on", "topic", "language", "copies"
    ):
        text = _handout_text(topic, language, copies or 1, ref, lang)
        entries.append(_entry(_day(day), HandoutGiven.KIND, rid, text))
    for rid, day, kind, level_before, level_after, feedback in rows(
        OutcomeEvent, "occurred_on", "kind", "level_before", "level_after", "feedback"
    ):
        text = ref.label("outcome_kinds", kind, lang)
        if level_before or level_after:
            before = level_before.upper() if level_before else "?"
            after = level_after.upper() if level_after else "?"
            text += f": {before} → {after}"
        if feedback:
            # The kind's own label has a colon ("feedback: helpful for integration"); the
            # answer follows as the answer to it: "… helpful for integration? no".
            text += f"? {ref.label('feedback_answers', feedback, lang)}"
        entries.append(_entry(_day(day), "outcome", rid, text))
    entries.sort(key=lambda e: (e.day, e.kind, e.id), reverse=True)
    return entries


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


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


def _handout_text(topic: str, language: str, copies: int, ref: ReferenceData, lang: str) -> str:
    """``Krankenversicherung und Arztbesuch (Arabisch)``, with the copies when more than one.

    A code the reference data no longer knows shows as itself rather than failing the page.
    """

    def label(enum: str, code: str) -> str:
        return ref.label(enum, code, lang) if ref.has_code(enum, code) else code

    text = f"{label('handout_topics', topic)} ({label('handout_languages', language)})"
    if copies > 1:
        text += " – " + ngettext("{n} copy", "{n} copies", copies).format(n=copies)
    return text


class TimelineModel(QAbstractTableModel):
    """Date, type and text of each :class:`TimelineEntry`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []
        self._day_texts: dict[date, str] = {}  # each day in words once, not at every paint

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
            return self._text(entry, index.column())
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

    def _text(self, entry: TimelineEntry, column: int) -> str:
        if column == 0:
            text = self._day_texts.get(entry.day)
            if text is None:
                text = self._day_texts[entry.day] = format_date(entry.day)
            return text
        if column == 1:
            return _(KIND_NAMES[entry.kind])
        return entry.text

    def widest_row(self, column: int, width: Callable[[str], int]) -> int | None:
        """The row whose text in ``column`` is the widest by ``width`` (None: no rows).

        The view fits a column to that row alone: Qt's ``resizeColumnToContents`` asks
        every row for its size hint, 0.1-0.3 s for a person with 800 entries. Only one
        entry per kind, and per month and number of digits in the day, is measured: the
        others are as wide (the UI's font has tabular figures, and the date formats of the
        UI languages name no weekday). Formatting every day took 20 ms of that opening.
        """
        widths: dict[str, int] = {}
        measured: set[object] = set()
        widest, widest_row = -1, None
        for row, entry in enumerate(self._entries):
            like = _as_wide_as(entry, column)
            if like is not None:
                if like in measured:
                    continue
                measured.add(like)
            text = self._text(entry, column)
            found = widths.get(text)
            if found is None:
                found = widths[text] = width(text)
            if found > widest:
                widest, widest_row = found, row
        return widest_row

    def set_entries(self, entries: list[TimelineEntry]) -> None:
        """Show ``entries`` (already in display order), dates in today's UI language."""
        self.beginResetModel()
        self._entries = list(entries)
        self._day_texts = {}
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
