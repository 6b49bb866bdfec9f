"""Versioned reference data: enumerations, countries, languages, dated rates, indicators.

Every rate, category and enumeration lives in ``resources/data/*.json`` rather than in code
(DOMAIN.md: "Every rate and category is configuration data, versioned by validity date"),
so a changed tax cap or a ministry decision on who counts as eligible is a data update.
The files are checked strictly on load: an error names the file and the key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kisi_desktop.core.domain.reference_check import check_documents
from kisi_desktop.core.domain.reference_schema import (
    FILE_NAMES,
    DatedValue,
    Entry,
    FileInfo,
    ReferenceDataError,
)
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

__all__ = ["DatedValue", "Entry", "FileInfo", "ReferenceData", "ReferenceDataError"]

SHIPPED_FOLDER = Path(__file__).resolve().parents[3] / "resources" / "data"


class ReferenceData:
    """The loaded, checked reference data; immutable, passed explicitly (no global)."""

    def __init__(
        self,
        enums: Mapping[str, Mapping[str, Entry]],
        tables: Mapping[str, Mapping[str, tuple[DatedValue, ...]]],
        stateless: Entry,
        files: Mapping[str, FileInfo],
    ) -> None:
        self._enums = MappingProxyType({k: MappingProxyType(dict(v)) for k, v in enums.items()})
        self._tables = MappingProxyType({k: MappingProxyType(dict(v)) for k, v in tables.items()})
        self.stateless = stateless
        self.files = MappingProxyType(dict(files))

    @classmethod
    def load(cls, folder: Path | None = None) -> ReferenceData:
        """Load and strictly check the JSON files in ``folder`` (default: the shipped set)."""
        folder = SHIPPED_FOLDER if folder is None else folder
        docs: dict[str, Any] = {}
        for name in FILE_NAMES:
            path = folder / name
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                raise ReferenceDataError(name, "-", _("File cannot be read.")) from None
            try:
                docs[name] = json.loads(text, parse_float=Decimal, object_pairs_hook=_no_dupes)
            except ValueError as error:
                raise ReferenceDataError(
                    name, "-", _("Not valid JSON: {error}").format(error=error)
                ) from None
        return cls.from_documents(docs)

    @classmethod
    def from_documents(cls, docs: Mapping[str, Any]) -> ReferenceData:
        """Build from already parsed documents keyed by file name (used by load and tests)."""
        enums, tables, stateless, files = check_documents(docs)
        return cls(enums, tables, stateless, files)

    def enum(self, name: str) -> Mapping[str, Entry]:
        """All entries of enumeration ``name`` in file order, keyed by code."""
        try:
            return self._enums[name]
        except KeyError:
            raise LookupError(f"no enumeration {name!r}") from None

    def has_code(self, name: str, code: str) -> bool:
        """Whether ``code`` is a value of enumeration ``name``."""
        return code in self.enum(name)

    def entry(self, name: str, code: str) -> Entry:
        """The entry for ``code``; ValidationError (naming the enumeration) if unknown."""
        try:
            return self.enum(name)[code]
        except KeyError:
            raise ValidationError(name, _("Unknown code {code}.").format(code=code)) from None

    def label(self, name: str, code: str, language: str) -> str:
        """The display label of ``code`` in ``language``."""
        return self.entry(name, code).label(language)

    def is_eu_eea_ch(self, country: str) -> bool:
        """Whether ``country`` is an EU, EEA or Swiss nationality (not a third country)."""
        return bool(self.entry("countries", country).extra["eu_eea_ch"])

    def dated_on(self, table: str, key: str, day: date) -> DatedValue:
        """The dated value of ``table``/``key`` that applies on ``day``."""
        values = self._tables[table].get(key) if table in self._tables else None
        if values is None:
            raise ReferenceDataError(table, key, _("No such rate."))
        for value in values:
            if value.covers(day):
                return value
        raise ReferenceDataError(
            table, key, _("No value valid on {day}.").format(day=day.isoformat())
        )

    def first_dated(self, table: str, key: str) -> DatedValue:
        """The earliest dated value of ``table``/``key``."""
        values = self._tables[table].get(key) if table in self._tables else None
        if not values:
            raise ReferenceDataError(table, key, _("No such rate."))
        return min(values, key=lambda value: value.valid_from)

    def rate_on(self, table: str, key: str, day: date) -> Decimal:
        """The number in ``table``/``key`` valid on ``day`` (e.g. a km rate or a tax cap)."""
        return self.dated_on(table, key, day).value

    def has_rate(self, table: str, key: str) -> bool:
        """Whether ``table``/``key`` exists at all (for cross-file checks)."""
        return key in self._tables.get(table, {})


def _no_dupes(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result
