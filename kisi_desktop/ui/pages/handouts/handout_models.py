"""The Handouts page's two lists: the topics, and the languages of the selected topics.

Rows are frozen dataclasses built from the catalog and reference data in the UI language;
the models only map them to roles (STYLE.md rule 7). A topic or language that a guide added
in their own handout folder has no reference-data label: it shows its German title or its
own name instead.

Several topics can be chosen at once (a welcome pack printed in one language): the language
selector then offers the languages every one of them has, each marked with the weakest
review status among them, and :func:`summary_line` says which handouts that concerns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.i18n import N_, _, ngettext

from kisi_desktop.handouts.catalog import SOURCE_LANGUAGE, Catalog, Status, Topic

Index = QModelIndex | QPersistentModelIndex

LRM = "\u200e"
FSI, PDI = "\u2068", "\u2069"
"""Bidi controls: a line that starts with LRM is laid out left to right, and a native name
in an isolate (FSI ... PDI) cannot pull the German label and the brackets into its
right-to-left run, so "العربية – Arabisch (veraltet)" reads as written."""

STATUS_WORDS = {
    Status.SOURCE: N_("source"),
    Status.REVIEWED: N_("reviewed"),
    Status.UNREVIEWED: N_("unreviewed"),
    Status.OUTDATED: N_("outdated"),
}
STATUS_LINES = {
    Status.SOURCE: N_("The German original: every translation is made from this text."),
    Status.REVIEWED: N_("Reviewed translation: checked against the current German text."),
    Status.UNREVIEWED: N_(
        "Unreviewed translation: nobody has checked it against the German text yet. "
        "The printed handout carries a notice saying so."
    ),
    Status.OUTDATED: N_(
        "Outdated translation: the German text has changed since it was translated. "
        "The printed handout carries a notice saying so."
    ),
}
# From worst to best: the row of a language chosen for several topics shows the first of
# these that any of them has.
SEVERITY = (Status.OUTDATED, Status.UNREVIEWED, Status.REVIEWED, Status.SOURCE)
NAMED_TOPICS = 3  # a summary names at most this many handouts, then "…"
OUTDATED = QColor("#b00020")
UNREVIEWED = QColor("#8a5a00")


class HandoutRole(IntEnum):
    """Item data roles beyond Qt's own."""

    CODE = Qt.ItemDataRole.UserRole + 1  # topic id or language code
    STATUS = Qt.ItemDataRole.UserRole + 2  # the language's Status (languages only)


@dataclass(frozen=True, slots=True)
class TopicRow:
    """One topic: its id and its title in the UI language."""

    code: str
    title: str
    languages: int


@dataclass(frozen=True, slots=True)
class LanguageRow:
    """One language of the chosen topics, labelled for the language selector.

    ``status`` is the weakest review status among the topics; ``statuses`` pairs each
    topic's title (in the UI language) with its own status, in catalog order.
    """

    code: str
    native: str
    label: str
    status: Status
    rtl: bool
    statuses: tuple[tuple[str, Status], ...] = ()

    def text(self) -> str:
        """``العربية – Arabisch (veraltet)``; one name where the label already holds the
        native one ("Deutsch (einfache Sprache)" for "Einfache Sprache")."""
        word = _(STATUS_WORDS[self.status])
        if self.native.casefold() == self.label.casefold():
            return f"{LRM}{FSI}{self.native}{PDI} ({word})"
        if self.native.casefold() in self.label.casefold():
            return f"{LRM}{FSI}{self.label}{PDI} ({word})"
        return f"{LRM}{FSI}{self.native}{PDI} – {self.label} ({word})"


def topic_title(topic: Topic, ref: ReferenceData, language: str) -> str:
    """The topic's title in the UI language (German from the catalog itself)."""
    if language != SOURCE_LANGUAGE and ref.has_code("handout_topics", topic.id):
        return ref.label("handout_topics", topic.id, language)
    return topic.title_de


def language_label(code: str, catalog: Catalog, ref: ReferenceData, language: str) -> str:
    """A handout language's name in the UI language (its own name if reference data lacks it)."""
    if ref.has_code("handout_languages", code):
        return ref.label("handout_languages", code, language)
    found = catalog.languages.get(code)
    return found.name if found is not None else code


def topic_rows(catalog: Catalog, ref: ReferenceData, language: str) -> list[TopicRow]:
    """Every topic in catalog order."""
    return [
        TopicRow(
            code=topic_id,
            title=topic_title(catalog.topics[topic_id], ref, language),
            languages=len(catalog.topics[topic_id].texts),
        )
        for topic_id in catalog.ordered_ids()
    ]


def language_rows(
    catalog: Catalog, topics: Topic | Sequence[Topic], ref: ReferenceData, language: str
) -> list[LanguageRow]:
    """The printable languages that every one of ``topics`` has, in reference-data order.

    German comes first and the languages most guides need next (the order of the
    ``handout_languages`` enumeration); a language the guide added comes last, by code.
    """
    chosen = [topics] if isinstance(topics, Topic) else list(topics)
    if not chosen:
        return []
    known = list(ref.enum("handout_languages"))
    codes = [c for c in chosen[0].texts if c in catalog.languages]
    codes = [c for c in codes if all(c in topic.texts for topic in chosen[1:])]
    codes.sort(key=lambda c: (known.index(c), "") if c in known else (len(known), c))
    titles = [topic_title(topic, ref, language) for topic in chosen]
    rows = []
    for code in codes:
        statuses = tuple(
            (title, topic.status(code)) for title, topic in zip(titles, chosen, strict=True)
        )
        rows.append(
            LanguageRow(
                code=code,
                native=catalog.languages[code].name,
                label=language_label(code, catalog, ref, language),
                status=next(s for s in SEVERITY if any(s is t for _t, t in statuses)),
                rtl=catalog.languages[code].rtl,
                statuses=statuses,
            )
        )
    return rows


def status_line(status: Status) -> str:
    """What the status of a language version means, in words, in the UI language."""
    return _(STATUS_LINES[status])


def summary_line(row: LanguageRow) -> str:
    """The status line for ``row``: as :func:`status_line` for one topic, else a summary.

    For several topics the worst news comes first: how many (and which) translations are
    outdated; else how many are unreviewed; else that all are reviewed (or German).
    """
    total = len(row.statuses)
    if total <= 1:
        return status_line(row.status)
    hit = [title for title, status in row.statuses if status is row.status]
    n = len(hit)
    named = ", ".join(hit[:NAMED_TOPICS]) + (", …" if n > NAMED_TOPICS else "")
    if row.status is Status.OUTDATED:
        if n == total:
            return _(
                "All {total} translations are outdated: the German texts have changed since "
                "they were translated. The printed handouts carry a notice saying so."
            ).format(total=total)
        return ngettext(
            "{n} of {total} translations is outdated ({topics}): the German text has changed "
            "since. That handout carries a notice saying so.",
            "{n} of {total} translations are outdated ({topics}): the German texts have "
            "changed since. Those handouts carry a notice saying so.",
            n,
        ).format(n=n, total=total, topics=named)
    if row.status is Status.UNREVIEWED:
        if n == total:
            return _(
                "All {total} translations are unreviewed: nobody has checked them against the "
                "German texts yet. The printed handouts carry a notice saying so."
            ).format(total=total)
        return ngettext(
            "{n} of {total} translations is unreviewed ({topics}). "
            "That handout carries a notice saying so.",
            "{n} of {total} translations are unreviewed ({topics}). "
            "Those handouts carry a notice saying so.",
            n,
        ).format(n=n, total=total, topics=named)
    if row.status is Status.REVIEWED:
        return _(
            "All {total} translations are reviewed: checked against the current German texts."
        ).format(total=total)
    return _(
        "The German originals of {total} handouts: every translation is made from them."
    ).format(total=total)


class TopicListModel(QAbstractListModel):
    """The topic titles of :class:`TopicRow` rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TopicRow] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return ngettext(
                "{title}: {n} language", "{title}: {n} languages", row.languages
            ).format(title=row.title, n=row.languages)
        if role == HandoutRole.CODE:
            return row.code
        return None

    def set_rows(self, rows: list[TopicRow]) -> None:
        """Show ``rows`` (already in catalog order)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        """Show nothing (locked)."""
        self.set_rows([])

    def code(self, row: int) -> str:
        """The topic id at ``row``."""
        return self._rows[row].code

    def row_of(self, code: str) -> int | None:
        """The row of topic ``code``, if shown."""
        return next((i for i, r in enumerate(self._rows) if r.code == code), None)


class LanguageListModel(QAbstractListModel):
    """The language selector's entries; outdated ones in red, unreviewed ones in brown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[LanguageRow] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text()
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.label} ({_(STATUS_WORDS[row.status])})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return summary_line(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status is Status.OUTDATED:
                return QBrush(OUTDATED)
            if row.status is Status.UNREVIEWED:
                return QBrush(UNREVIEWED)
            return None
        if role == Qt.ItemDataRole.FontRole and row.status is Status.OUTDATED:
            font = QFont()
            font.setItalic(True)
            return font
        if role == HandoutRole.CODE:
            return row.code
        if role == HandoutRole.STATUS:
            return row.status.value
        return None

    def set_rows(self, rows: list[LanguageRow]) -> None:
        """Show ``rows`` (already in display order)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        """Show nothing (locked, or no topic selected)."""
        self.set_rows([])

    def entry(self, index: int) -> LanguageRow:
        """The row at ``index``."""
        return self._rows[index]

    def row_of(self, code: str) -> int | None:
        """The row of language ``code``, if shown."""
        return next((i for i, r in enumerate(self._rows) if r.code == code), None)
