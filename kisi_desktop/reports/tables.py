"""The one shape every report section takes: a titled table of typed cells.

Indicators, KISI's own figures, the budget and the needs analysis each produce
:class:`ReportTable` values; the outputs (screen, CSV, XLSX, PDF) only know this shape, so a
new section needs no change in any of them, and XLSX gets real number and date cells from
the column kinds instead of guessing from text. Each section's title and columns are a
:class:`TableShape` it makes its tables from, so a reader that has only the rows (the
ministry, from bundles) heads them the same way. Sections that word their titles, notes and
headings as msgids build them with :func:`translated_shape`, :func:`translated_column` and
:func:`translated_table`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from kisi_desktop.reports.labels import german

SUPPRESSED = "<5"
"""How every output writes a count of 1 to 4 people (None in a count cell)."""
SUPPRESSED_NOTE = {
    "de": "<5: weniger als 5 Personen; die genaue Zahl wird zum Schutz der Personen nicht gezeigt.",
    "en": "<5: fewer than 5 people; the exact figure is withheld to protect them.",
}


class Kind(Enum):
    """What a column holds; decides formatting and the XLSX cell type."""

    TEXT = "text"
    COUNT = "count"
    """Whole people or things; None in a count cell means "suppressed (fewer than 5)"."""
    MONEY = "money"
    """Decimal EUR."""
    PERCENT = "percent"
    """Decimal, 0-100."""
    DATE = "date"
    HOURS = "hours"


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its key in the rows, its German and English heading, its kind."""

    key: str
    de: str
    en: str
    kind: Kind = Kind.TEXT

    def heading(self, language: str) -> str:
        """The heading in ``language`` (German for ``de``, else English)."""
        return self.de if language == "de" else self.en


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A section of a report: title, columns, rows (dicts keyed by column key), notes."""

    key: str
    title_de: str
    title_en: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]
    notes_de: Sequence[str] = field(default_factory=tuple)
    notes_en: Sequence[str] = field(default_factory=tuple)
    leaves_laptop: bool = True
    """Whether the rows may go into bundles and exports (aggregates, small cells suppressed)."""

    def title(self, language: str) -> str:
        """The title in ``language``."""
        return self.title_de if language == "de" else self.title_en

    def notes(self, language: str) -> Sequence[str]:
        """Explanations printed under the table, in ``language``."""
        return self.notes_de if language == "de" else self.notes_en

    def explained_notes(self, language: str) -> list[str]:
        """The notes, plus one saying what "<5" means where a count shows it and no note does.

        A workbook sheet or a CSV file travels without the report's pages around it, so the
        mark has to be explained beside the table itself.
        """
        notes = list(self.notes(language))
        suppressed = any(
            row.get(column.key) is None
            for row in self.rows
            for column in self.columns
            if column.kind is Kind.COUNT
        )
        if suppressed and not any(note.startswith(SUPPRESSED) for note in notes):
            notes.append(SUPPRESSED_NOTE.get(language, SUPPRESSED_NOTE["en"]))
        return notes


@dataclass(frozen=True, slots=True)
class TableShape:
    """A section without its rows: key, title and columns, what each row of it means.

    Kept apart from the rows so that whoever has the rows but not the vault they came from
    (the ministry, reading bundles) heads and types them as the section itself does.
    """

    key: str
    title_de: str
    title_en: str
    columns: tuple[Column, ...]

    def title(self, language: str) -> str:
        """The title in ``language``."""
        return self.title_de if language == "de" else self.title_en

    def table(
        self,
        rows: Sequence[Mapping[str, Any]],
        notes_de: Sequence[str] = (),
        notes_en: Sequence[str] = (),
        *,
        leaves_laptop: bool = True,
    ) -> ReportTable:
        """A table of this shape with ``rows`` and notes in both languages."""
        return ReportTable(
            key=self.key,
            title_de=self.title_de,
            title_en=self.title_en,
            columns=self.columns,
            rows=tuple(rows),
            notes_de=tuple(notes_de),
            notes_en=tuple(notes_en),
            leaves_laptop=leaves_laptop,
        )


def translated_column(key: str, msgid: str, kind: Kind = Kind.TEXT) -> Column:
    """A column headed ``msgid`` in English and its catalog translation in German."""
    return Column(key, german(msgid), msgid, kind)


def label_column(key: str, de: str, en: str, kind: Kind = Kind.TEXT) -> Column:
    """A column headed by a reference label ("recommended", "empfohlen"), its first letter
    made a capital: a heading begins with one in both languages, as the budget tables'
    "Category" does, while the label inside a sentence or a cell stays as written."""
    return Column(key, de[:1].upper() + de[1:], en[:1].upper() + en[1:], kind)


def translated_shape(key: str, title: str, columns: Sequence[Column]) -> TableShape:
    """A shape whose title is a msgid, German from the catalog."""
    return TableShape(key, german(title), title, tuple(columns))


def translated_table(
    shape: TableShape,
    rows: Sequence[Mapping[str, Any]],
    notes: Sequence[str] = (),
    *,
    leaves_laptop: bool = True,
) -> ReportTable:
    """A table of ``shape`` whose notes are msgids, German from the catalog."""
    return shape.table(rows, [german(n) for n in notes], notes, leaves_laptop=leaves_laptop)
